"""Rule self-tests: every rule proves it catches its ``fail`` examples and passes its ``pass`` examples.

A rule that can never match reports "no problems" and passes silently (a
``\\b`` in a Chinese regex, a typo in a term: the Vale#1154 trap in the design
notes). So every rule carries ``examples: {fail: [...], pass: [...]}``, and
entries of a term list may carry their own.

Each example is checked as a document of its own with a pack holding only
that rule (and the pack's ``parts:``), through
:func:`djcheck.engine.check_document`, so other rules cannot interfere and the
report year is inferred from the example text as from a draft (write
"2024年，……" in an example of a date-aware rule). A ``fail`` example is
*caught* when the rule's checklist item is not ``ok`` or the rule reports
findings; a ``pass`` example is *clean* when the item is ``ok`` with no
findings. A rule with no ``fail`` example fails the test.

Used by the test suite and by ``djcheck rules test``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .document import Document
from .pack import Pack, Rule


@dataclass
class ExampleFailure:
    """A rule that does not behave as its examples say.

    Attributes:
        rule / pack: rule id and the id of the pack it was tested in.
        file / line: where the rule (or the term-list entry) is defined (1-based line).
        problem: ``no-fail-example`` | ``not-caught`` | ``flagged``.
        example: the example text (``""`` for ``no-fail-example``).
        index: 1-based number of the example in its list (0 for ``no-fail-example``).
        detail: the rule's verdict on the example, in Chinese.
        entry: for an entry of a term list, its wrong form; else ``""``.
    """

    rule: str
    pack: str
    file: str
    line: int | None
    problem: str
    example: str = ""
    index: int = 0
    detail: str = ""
    entry: str = ""

    def message(self) -> str:
        """One Chinese line describing the failure (without the location)."""
        who = f"规则“{self.rule}”" + (f"的条目“{self.entry}”" if self.entry else "")
        if self.problem == "no-fail-example":
            return f"{who}没有不合格例子（examples: fail），无法证明它能发现问题"
        which = "不合格例子" if self.problem == "not-caught" else "合格例子"
        verdict = "没有被发现" if self.problem == "not-caught" else "被误报"
        text = " ".join(self.example.split())
        text = text if len(text) <= 40 else text[:39] + "…"
        return f"{who}的{which} {self.index} {verdict}：“{text}”（{self.detail}）"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}：{self.message()}"


def judge(rule: Rule, pack: Pack, text: str) -> tuple[bool, str]:
    """Run ``rule`` alone (with ``pack``'s parts) on ``text``.

    Returns:
        ``(flagged, detail)``: whether the item is not ok or has findings, and
        the verdict in Chinese.
    """
    from .engine import check_document

    solo = replace(pack, rules=[replace(rule, enabled=True)])
    res = check_document(Document.from_text(text, path="<例子>"), solo)
    item = next((i for i in res.checklist if i.id == rule.id), None)
    findings = [f for f in res.findings if f.rule == rule.id]
    if item is None:
        return bool(findings), "规则没有给出结论：推定的报告年份不在规则的有效期内，或所分析的部分不存在"
    return item.status != "ok" or bool(findings), f"{item.status}：{item.message}"


def own_rules(pack: Pack) -> list[Rule]:
    """The rules defined or changed in ``pack``'s own file (not only inherited)."""
    return [r for r in pack.rules if r.file == pack.file]


def _example_sets(rule: Rule) -> list[tuple[str, str, int | None, list[str], list[str]]]:
    """``(entry, file, line, fails, passes)``: the rule's own examples, then its entries' (term lists)."""
    from .checks import entry_examples

    sets = [("", rule.file, rule.line, list(rule.examples.get("fail", [])), list(rule.examples.get("pass", [])))]
    sets.extend(
        (entry, file or rule.file, line, fails, passes) for entry, file, line, fails, passes in entry_examples(rule)
    )
    return sets


def run_examples(pack: Pack, rules: list[Rule] | None = None) -> list[ExampleFailure]:
    """Self-test ``rules`` (default: every enabled rule of ``pack``) on their examples.

    Returns:
        The failures, in rule order (empty when every rule passes).
    """
    failures: list[ExampleFailure] = []
    for rule in pack.active_rules if rules is None else rules:
        sets = _example_sets(rule)
        if not sets[0][3]:
            failures.append(ExampleFailure(rule.id, pack.id, rule.file, rule.line, "no-fail-example"))
        for entry, file, line, fails, passes in sets:
            for i, text in enumerate(fails, 1):
                flagged, detail = judge(rule, pack, text)
                if not flagged:
                    failures.append(ExampleFailure(rule.id, pack.id, file, line, "not-caught", text, i, detail, entry))
            for i, text in enumerate(passes, 1):
                flagged, detail = judge(rule, pack, text)
                if flagged:
                    failures.append(ExampleFailure(rule.id, pack.id, file, line, "flagged", text, i, detail, entry))
    return failures
