"""One defect, one penalty: checklist items that only restate another item's defect are shown under it.

A problems part of one generic sentence (……还存在一些差距和不足) makes four items weak at once: the
problems item itself (内容单薄), problems-specific (no specific problem), problem-measure-match (no problem
to pair the measures with) and problems-weight (too short beside the achievements). A reviewer at the
superior 纪委 writes one comment for that (domain-2026 §8, issue 14 item 10). So when the problems item
is weak and its part is thin (at most :data:`THIN_SENTENCES` sentences), the consequences that are not
ok are removed from the checklist and their messages are noted under the problems item's evidence.
The problems item then carries their weight too: one row, one penalty, but as large as what the
defect costs — a problems part of one generic sentence is the gravest defect such a report can have,
and folding must not turn a draft that fails into one that passes. A problems part with several items
keeps every item: then a vague wording, an unmatched problem or a light part are separate defects.
"""

from __future__ import annotations

from .model import ChecklistItem

#: The item whose weakness explains the others, and the items it explains.
CONSEQUENCES: dict[str, tuple[str, ...]] = {
    "problems": ("problems-specific", "problem-measure-match", "problems-weight"),
}
#: A problems part of at most this many sentences is "thin": one defect, however many items it touches.
THIN_SENTENCES = 2


def fold_consequences(items: list[ChecklistItem], ctx) -> list[ChecklistItem]:
    """``items`` with the consequences of a thin problems part folded under the problems item.

    Args:
        items: the checklist, in order.
        ctx: the :class:`djcheck.context.Context` of the check (its parts are read).

    Returns:
        A new list; the head item is replaced by a copy with one evidence line per folded item
        (``同一原因还导致：<title>——<message>``), its ``weight`` the sum of its own and the folded
        items' weights and its ``credit`` what they earned together, so the score is the one the
        unfolded checklist gives. Items are not modified in place.
    """
    by_id = {i.id: i for i in items}
    out = items
    for head_id, consequences in CONSEQUENCES.items():
        head = by_id.get(head_id)
        if head is None or head.status != "weak":
            continue
        part = ctx.parts.get(head_id.replace("-", "_"))
        if part is None or part.sentences(ctx.doc) > THIN_SENTENCES:
            continue
        folded = [by_id[k] for k in consequences if k in by_id and by_id[k].status != "ok"]
        if not folded:
            continue
        notes = [f"同一原因还导致：{i.title}——{i.message}" for i in folded]
        weight = head.weight + sum(i.weight for i in folded)
        earned = head.weight * head.credit + sum(i.weight * i.credit for i in folded)
        merged = ChecklistItem(
            **{
                **head.__dict__,
                "evidence": list(head.evidence) + notes,
                "weight": weight,
                "credit": earned / weight if weight else head.credit,
            }
        )
        out = [merged if i is head else i for i in out if i not in folded]
    return out
