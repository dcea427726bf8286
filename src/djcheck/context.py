"""What a check sees while it runs: the document, the pack, the report's period, shared analyses.

Analyses several kinds use (the parts, the items of a part) are typed members
computed once per document; a kind keeps its own private memo in ``ctx.cache``
under keys named after its module (``"terms.present"``).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .document import Document
from .items import ItemList, split_items
from .model import Finding
from .pack import Pack, Rule
from .parts import Parts, find_parts

if TYPE_CHECKING:
    from .year import ReportPeriod


class Context:
    """Shared, lazily computed facts about one document under one pack.

    Attributes:
        doc: the document being checked.
        pack: the resolved rule pack.
        year: the report's year (from the text, ``--year`` or config), or ``None``.
        year_reason: why that year was chosen, in Chinese.
        period: the months the report covers (:class:`djcheck.year.ReportPeriod`), or ``None``
            when unknown; date-aware kinds (``terms``, ``events``) judge against it.
        cache: private memos of kind modules, keyed by strings that start with the module's name.
    """

    def __init__(
        self,
        doc: Document,
        pack: Pack,
        year: int | None = None,
        year_reason: str | None = None,
        period: ReportPeriod | None = None,
    ):
        self.doc = doc
        self.pack = pack
        self.year = year
        self.year_reason = year_reason
        self.period = period
        self.cache: dict = {}
        self._items: dict[str, ItemList | None] = {}
        self._part_titles: dict[str, str] | None = None

    @cached_property
    def parts(self) -> Parts:
        """The report's parts (工作情况 / 存在的问题 / 下一步打算 …), found once."""
        return find_parts(self.doc, self.pack.parts)

    def items(self, kind: str) -> ItemList | None:
        """The items of part ``kind`` (split once by :func:`djcheck.items.split_items`), or
        ``None`` when the document has no such part."""
        if kind not in self._items:
            part = self.parts.get(kind)
            self._items[kind] = (
                None
                if part is None
                else split_items(
                    self.doc, part.body_start, part.end, part.start if part.via == "heading" else None
                )
            )
        return self._items[kind]

    def part_title(self, kind: str) -> str:
        """Chinese name of a part kind, from the pack (``problems`` → 存在的问题)."""
        titles = self._part_titles
        if titles is None:
            titles = self._part_titles = {}
            for spec in self.pack.parts:
                titles.setdefault(spec.kind, spec.title)  # the first spec of a kind, as before
        return titles.get(kind, kind)

    def finding(
        self,
        rule: Rule,
        start: int,
        end: int,
        message: str,
        suggestion: str | None = None,
        fixable: bool = False,
        level: str | None = None,
    ) -> Finding:
        """A :class:`Finding` of ``rule`` over offsets ``[start, end)`` of the document text."""
        line, col, end_line, end_col = self.doc.locate(start, end)
        return Finding(
            rule=rule.id,
            level=level or rule.level,  # type: ignore[arg-type]
            message=message,
            line=line,
            col=col,
            end_line=end_line,
            end_col=end_col,
            match=self.doc.text[start:end],
            suggestion=suggestion,
            start=start,
            end=end,
            fixable=fixable,
        )

    def last_line(self) -> int:
        """Line of the last non-blank paragraph (where a missing final part belongs)."""
        return next((p.line for p in reversed(self.doc.paragraphs) if p.text.strip()), 1)
