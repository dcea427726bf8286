"""Run each rule against its own examples: every rule must prove it catches its bad example.

A rule that can never match reports "no problems" and passes silently (the
Vale#1154 trap, design notes). Every rule therefore carries
``examples: {fail: [...], pass: [...]}``: a fail example must be caught
(findings, or a checklist item that is weak or missing), a pass example must
come out clean. Entries of a ``terms`` list may carry their own examples, which
are checked the same way.

Each example is checked as a document of its own, with only that rule active,
through :func:`djcheck.engine.check_document` (so the report year is inferred
from the example text as it would be from a draft: write "2024年，……" in an
example for a date-aware rule).

Used by the test suite and by ``djcheck rules test``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .document import Document
from .pack import Pack, Rule


@dataclass
class ExampleProblem:
    """A rule that does not behave as its examples say.

    Attributes:
        rule: rule id.
        kind: ``fail-missed`` (a fail example was not caught), ``pass-flagged``
            (a pass example was reported) or ``no-examples`` (the rule has none).
        example: the example text ("" for ``no-examples``).
        file / line: where the rule (or the list entry) is defined.
        entry: for an entry of a term list, its wrong form; else "".
        detail: what was reported, for ``pass-flagged`` (Chinese).
    """

    rule: str
    kind: str
    example: str
    file: str
    line: int | None
    entry: str = ""
    detail: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f"规则“{self.rule}”" + (f"的条目“{self.entry}”" if self.entry else "")
        shown = self.example.replace("\n", "⏎")
        if self.kind == "fail-missed":
            return f"{where}：{who}没有发现反例中的问题：“{shown}”"
        if self.kind == "pass-flagged":
            return f"{where}：{who}把正例误报为问题：“{shown}”（{self.detail}）"
        return f"{where}：{who}没有示例（examples: fail / pass），无法证明它能发现问题"


def check_example(pack: Pack, rule: Rule, text: str) -> tuple[bool, str]:
    """Run ``rule`` alone on ``text``.

    Returns:
        ``(flagged, detail)``: whether the rule reported anything (a finding, or
        a weak/missing checklist item), and a short Chinese description of it.
    """
    from .engine import check_document

    alone = dataclasses.replace(pack, rules=[dataclasses.replace(rule, enabled=True)])
    result = check_document(Document.from_text(text, path="<示例>"), alone)
    item = next((i for i in result.checklist if i.id == rule.id), None)
    if item is None or item.status == "ok":
        return False, ""
    return True, item.message


def _examples_of(rule: Rule) -> list[tuple[str, str | None, int | None, list[str], list[str]]]:
    from .checks import KINDS

    out = [("", rule.file, rule.line, list(rule.examples.get("fail", [])), list(rule.examples.get("pass", [])))]
    extra = getattr(KINDS.get(rule.kind), "entry_examples", None)
    if extra is not None:
        out.extend(extra(rule))
    return out


def run_examples(pack: Pack, *, own_only: bool = False, require: bool = True) -> list[ExampleProblem]:
    """Check every enabled rule of ``pack`` against its examples.

    Args:
        pack: a loaded pack (:func:`djcheck.load_pack`).
        own_only: only the rules defined in this pack's own file, not inherited ones.
        require: report a rule without any fail example as ``no-examples``.

    Returns:
        The problems found, in rule order; an empty list when every rule behaves.
    """
    problems: list[ExampleProblem] = []
    for rule in pack.active_rules:
        if own_only and rule.pack != pack.id:
            continue
        sets = _examples_of(rule)
        if require and not sets[0][3]:
            problems.append(ExampleProblem(rule.id, "no-examples", "", rule.file, rule.line))
        for entry, file, line, fails, passes in sets:
            for text in fails:
                flagged, _ = check_example(pack, rule, text)
                if not flagged:
                    problems.append(ExampleProblem(rule.id, "fail-missed", text, file or rule.file, line, entry))
            for text in passes:
                flagged, detail = check_example(pack, rule, text)
                if flagged:
                    problems.append(
                        ExampleProblem(rule.id, "pass-flagged", text, file or rule.file, line, entry, detail)
                    )
    return problems
