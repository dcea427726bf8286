"""Rule self-tests: every rule proves it catches its ``fail`` examples and passes its ``pass`` examples.

An example is checked with a pack holding only that rule (and the pack's
``parts:``), so other rules cannot interfere. A ``fail`` example is *caught*
when the rule's checklist item is not ``ok`` or the rule reports findings; a
``pass`` example is *clean* when the item is ``ok`` with no findings. A rule
with no ``fail`` example fails the test: a rule that cannot show it catches
something may silently catch nothing (a ``\\b`` in a Chinese regex, a typo in a
term).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .document import Document
from .pack import Pack, Rule


@dataclass
class ExampleFailure:
    """A rule that failed its self-test.

    Attributes:
        rule / pack: rule id and the id of the pack it was tested in.
        file / line: where the rule is defined (1-based line).
        problem: ``no-fail-example`` | ``not-caught`` | ``flagged``.
        example: the example text (``""`` for ``no-fail-example``).
        index: 1-based number of the example in its list (0 for ``no-fail-example``).
        detail: the rule's verdict on the example, in Chinese.
    """

    rule: str
    pack: str
    file: str
    line: int | None
    problem: str
    example: str = ""
    index: int = 0
    detail: str = ""

    def message(self) -> str:
        """One Chinese line describing the failure."""
        if self.problem == "no-fail-example":
            return f"规则“{self.rule}”没有不合格例子（examples: fail），无法证明它能发现问题"
        which = "不合格例子" if self.problem == "not-caught" else "合格例子"
        verdict = "没有被发现" if self.problem == "not-caught" else "被误报"
        text = " ".join(self.example.split())
        text = text if len(text) <= 40 else text[:39] + "…"
        return f"规则“{self.rule}”的{which} {self.index} {verdict}：“{text}”（{self.detail}）"


def judge(rule: Rule, pack: Pack, text: str) -> tuple[bool, str]:
    """Run ``rule`` alone (with ``pack``'s parts) on ``text``.

    Returns:
        ``(flagged, detail)``: whether the item is not ok or has findings, and
        the verdict in Chinese.
    """
    from .engine import check_document

    solo = replace(pack, rules=[replace(rule, enabled=True, valid_from=None, valid_until=None)])
    res = check_document(Document.from_text(text, path="<例子>"), solo)
    item = res.checklist[0]
    findings = [f for f in res.findings if f.rule == rule.id]
    flagged = item.status != "ok" or bool(findings)
    return flagged, f"{item.status}：{item.message}"


def own_rules(pack: Pack) -> list[Rule]:
    """The rules defined or changed in ``pack``'s own file (not only inherited)."""
    return [r for r in pack.rules if r.file == pack.file]


def run_examples(pack: Pack, rules: list[Rule] | None = None) -> list[ExampleFailure]:
    """Self-test ``rules`` (default: every rule of ``pack``) on their examples.

    Returns:
        The failures, in rule order (empty when every rule passes).
    """
    failures: list[ExampleFailure] = []
    for rule in pack.rules if rules is None else rules:

        def fail(problem: str, example: str = "", index: int = 0, detail: str = "", r: Rule = rule) -> None:
            failures.append(ExampleFailure(r.id, pack.id, r.file, r.line, problem, example, index, detail))

        examples = rule.examples or {}
        if not examples.get("fail"):
            fail("no-fail-example")
        for i, text in enumerate(examples.get("fail") or [], 1):
            flagged, detail = judge(rule, pack, text)
            if not flagged:
                fail("not-caught", text, i, detail)
        for i, text in enumerate(examples.get("pass") or [], 1):
            flagged, detail = judge(rule, pack, text)
            if flagged:
                fail("flagged", text, i, detail)
    return failures
