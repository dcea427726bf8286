"""Every bundled rule catches its own fail examples and passes its own pass examples."""

from __future__ import annotations

import textwrap

import pytest

from djcheck import load_pack
from djcheck.pack import BASE_PACKS, bundled_packs
from djcheck.selftest import own_rules, run_examples


@pytest.mark.parametrize("name", [*BASE_PACKS, *bundled_packs()])
def test_bundled_rules_pass_their_own_examples(name):
    pack = load_pack(name)
    problems = run_examples(pack, own_rules(pack))
    assert problems == [], "\n".join(map(str, problems))


def test_every_bundled_rule_has_examples_and_a_source():
    for name in [*BASE_PACKS, *bundled_packs()]:
        for rule in load_pack(name).rules:
            assert rule.examples.get("fail") and rule.examples.get("pass"), rule.id
            assert rule.source, rule.id


def test_runner_reports_rules_that_cannot_catch_their_examples(tmp_path):
    (tmp_path / "words.yaml").write_text(
        textwrap.dedent(
            """\
            entries:
              - wrong: 布署
                right: 部署
                source: 测试
                examples: {fail: [认真部署工作], pass: [认真布署工作]}
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "pack.yaml").write_text(
        textwrap.dedent(
            """\
            id: mine
            title: 测试
            rules:
              - id: never
                kind: pattern
                title: 永远匹配不到
                level: warning
                options: {patterns: ['\\\\d{99}']}
                examples: {fail: [今年召开会议12次], pass: [今年召开会议12次]}
              - id: noisy
                kind: pattern
                title: 什么都报
                level: warning
                options: {patterns: ['会议']}
                examples: {fail: [召开会议], pass: [召开会议]}
              - id: bare
                kind: pattern
                title: 没有示例
                level: info
                options: {patterns: ['会议']}
              - id: typo-mine
                kind: terms
                title: 易错词
                level: warning
                options: {files: [words.yaml]}
                examples: {fail: [认真布署工作], pass: [认真部署工作]}
            """
        ),
        encoding="utf-8",
    )
    problems = run_examples(load_pack(str(tmp_path / "pack.yaml")))
    got = {(p.rule, p.problem, p.entry) for p in problems}
    assert got == {
        ("never", "not-caught", ""),
        ("noisy", "flagged", ""),
        ("bare", "no-fail-example", ""),
        ("typo-mine", "not-caught", "布署"),
        ("typo-mine", "flagged", "布署"),
    }
    entry_problem = next(p for p in problems if p.entry)
    assert entry_problem.file.endswith("words.yaml") and entry_problem.line == 2
    assert all("规则“" in str(p) for p in problems)
