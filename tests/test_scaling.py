"""Work grows linearly with the input where hostile drafts could make it quadratic (issue 16, item 16).

No wall-clock figures: the work is counted as Python bytecode operations executed (a
trace function with ``f_trace_opcodes``), for one input and for the same input four
times as large. Linear work gives about 4×; the quadratic algorithms these tests guard
against gave 16× and more. The bound is a generous 8×.
"""

from __future__ import annotations

import sys
from pathlib import Path

import djcheck
from djcheck.annotate import annotate_docx
from djcheck.checks import Outcome
from djcheck.document import Document
from djcheck.model import Finding
from djcheck.suppress import scan
from docxutil import text_to_docx


def operations(fn) -> int:
    """Bytecode operations executed by ``fn()`` (every Python frame it runs)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        frame.f_trace_opcodes = True
        if event == "opcode":
            count += 1
        return tracer

    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(old)
    return count


def test_suppression_markers_are_matched_in_linear_time():
    """n marker pairs, each around one finding: deciding which span covers each finding."""

    class Rule:
        id = "placeholder"

    def work_filter(sup, outcome):
        kept = sup.filter(Rule, outcome)
        assert sup.count == len(outcome.findings) and not kept.findings

    # only the filtering is measured: build the inputs outside the count
    inputs = {}
    for n in (150, 600):
        lines = ["关于落实主体责任情况的报告"]
        findings = []
        for i in range(n):
            lines += ["【djcheck-disable placeholder：样稿】", f"第{i}项由××负责。", "【djcheck-enable】"]
            line = len(lines) - 1
            findings.append(Finding("placeholder", "warning", "占位符", line, 5, line, 7, match="××"))
        inputs[n] = (scan(Document.from_text("\n".join(lines)))[1], Outcome(findings=findings))
    small = operations(lambda: work_filter(*inputs[150]))
    large = operations(lambda: work_filter(*inputs[600]))
    assert large < 8 * small, (small, large)


def test_annotating_many_findings_in_one_paragraph_is_linear(tmp_path: Path, monkeypatch):
    """n findings (half-width commas) in one paragraph: cutting runs and anchoring comments."""
    prepared = {}
    for n in (30, 120):
        text = (
            "关于2024年落实全面从严治党主体责任情况的报告\n一、工作开展情况\n"
            + "".join(f"第{i}项工作,已经完成" for i in range(n))
            + "。\n二、存在的问题\n学习不够深入。\n"
        )
        source = text_to_docx(text, tmp_path / f"draft{n}.docx")
        result = djcheck.check_file(source, profile="zhuti-zeren")
        assert sum(1 for f in result.findings if f.line == 3) >= n
        prepared[n] = (source, result)

    def run_text_reads(n, monkeypatch) -> int:
        """How many times the text of a run is read (the step that made annotating quadratic)."""
        from docx.oxml.text.run import CT_R

        reads = 0
        real = CT_R.text

        def counting(self):
            nonlocal reads
            reads += 1
            return real.fget(self)

        with monkeypatch.context() as m:
            m.setattr(CT_R, "text", property(counting, real.fset))
            source, result = prepared[n]
            annotate_docx(source, tmp_path / f"out{n}.docx", result)
        return reads

    small = run_text_reads(30, monkeypatch)
    large = run_text_reads(120, monkeypatch)
    assert large < 8 * small, (small, large)
