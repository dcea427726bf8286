"""The one regex policy (djcheck.safe_regex): every user pattern compiled by one function, one message."""

from __future__ import annotations

import textwrap

import pytest
import regex

from djcheck import load_pack, safe_regex
from djcheck.errors import RuleError
from djcheck.safe_regex import REGEX_FLAGS, compile_user_pattern
from djcheck.year import _read_events


def test_compile_user_pattern_compiles_with_the_pack_flags():
    pat = compile_user_pattern(r"[\p{Han}--[的]]+责任", file="p.yaml", line=3, owner="规则“x”")
    assert pat.flags & REGEX_FLAGS and pat.search("落实主体责任").group() == "落实主体责任"
    assert compile_user_pattern("abc", file=None, line=None, owner="", flags=regex.IGNORECASE).search("ABC")


@pytest.mark.parametrize(
    ("source", "words"),
    [("(未闭合", ["写错了"]), (r"\b主体责任\b", ["\\b", "在中文里不起作用", "请改用"])],
)
def test_compile_user_pattern_raises_at_file_and_line(source, words):
    with pytest.raises(RuleError) as exc:
        compile_user_pattern(source, file="own.yaml", line=12, owner="规则“own”")
    err = exc.value
    assert err.path == "own.yaml" and err.line == 12
    assert str(err.message).startswith(f"规则“own”：正则“{source}”")
    assert all(w in err.message for w in words)


def _load_error(tmp_path, text: str) -> RuleError:
    p = tmp_path / "pack.yaml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(RuleError) as exc:
        load_pack(str(p))
    return exc.value


@pytest.mark.parametrize(
    ("text", "owner", "line"),
    [
        (
            """\
            id: p
            title: 自定义
            rules:
              - id: own
                kind: pattern
                title: 自定义检查
                level: warning
                options:
                  patterns: ['\\b落实\\b']
            """,
            "规则“own”",
            9,
        ),
        (
            """\
            id: p
            title: 自定义
            extends: [zhuti-zeren]
            parts:
              problems:
                title: 存在的问题
                headings:
                  - '存在的问题'
                  - '\\b问题\\b'
            """,
            "parts.problems.headings",
            9,
        ),
        (
            """\
            id: p
            title: 自定义
            detect:
              title: {'\\b报告': 5}
            """,
            "detect.title",
            4,
        ),
    ],
)
def test_every_pack_pattern_refuses_a_word_boundary_with_one_message(tmp_path, text, owner, line):
    err = _load_error(tmp_path, text)
    assert err.line == line and err.message.startswith(f"{owner}：正则“")
    assert "含有 \\b，在中文里不起作用，请改用明确的字符或前后文。" in err.message


def test_terms_entries_and_event_campaigns_use_the_same_refusal(tmp_path):
    words = tmp_path / "own-terms.yaml"
    words.write_text("entries:\n  - {pattern: '\\b部署', right: 部署, source: 测试}\n", encoding="utf-8")
    err = _load_error(
        tmp_path,
        f"""\
        id: p
        title: 自定义
        rules:
          - id: own-terms
            kind: terms
            title: 自己的词表
            level: warning
            options:
              files: [{words.name}]
        """,
    )
    assert err.path == str(words) and "规则“own-terms”的条目：正则“\\b部署”含有 \\b" in err.message

    events = tmp_path / "events.yaml"
    events.write_text(
        "campaigns:\n  - name: 测试活动\n    pattern: '测试(活动'\n    from: 2020-01\n    until: 2020-12\n    source: 测试\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as exc:
        _read_events(str(events))
    assert exc.value.line == 2 and exc.value.message.startswith("活动“测试活动”：正则“测试(活动”写错了")


def test_the_policy_runs_bundled_patterns_on_short_texts_without_the_timeout(tmp_path):
    bundled = load_pack("common").rules[0].file
    own = str(tmp_path / "own.yaml")
    short, long = "短文本", "长" * (safe_regex.UNGUARDED_CHARS + 1)
    assert not safe_regex.needs_timeout(bundled, short) and safe_regex.needs_timeout(bundled, long)
    assert safe_regex.needs_timeout(own, short) and safe_regex.needs_timeout(None, short)
    assert safe_regex.timeout_within(bundled, safe_regex.UNGUARDED_CHARS) is None
    assert safe_regex.timeout_within(bundled, safe_regex.UNGUARDED_CHARS + 1) == safe_regex.REGEX_TIMEOUT
    assert safe_regex.timeout_within(own, 10) == safe_regex.REGEX_TIMEOUT


def test_one_timeout_message_names_the_owner_the_pattern_and_the_limit(monkeypatch):
    monkeypatch.setattr(safe_regex, "REGEX_TIMEOUT", 0.7)
    err = safe_regex.timeout_error("own.yaml", "规则“slow”", "(a+)+$", 5)
    assert (err.path, err.line) == ("own.yaml", 5)
    assert err.message.startswith("规则“slow”：正则“(a+)+$”运行超过 0.7 秒仍未结束")
    assert "请简化该正则" in err.message
