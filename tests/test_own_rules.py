"""An office's own rules without traps: word lists beside packs, changing a built-in rule, YAML typed in Chinese."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from djcheck.cli import app
from djcheck.engine import load_pack
from djcheck.errors import RuleError
from djcheck.yamlio import load_yaml, typing_mistake

runner = CliRunner()

DRAFT = "关于2025年度落实全面从严治党主体责任情况的报告\n一、工作开展情况\n全年加强党见工作，开展谈话12次。\n"


@pytest.fixture()
def office(tmp_path, monkeypatch):
    """A drafts folder with .djcheck.yaml, its own pack and a word list beside it in 规则/."""
    (tmp_path / "规则").mkdir()
    (tmp_path / ".djcheck.yaml").write_text("rules_paths: [规则]\nextends: [ben-danwei]\n", encoding="utf-8")
    (tmp_path / "规则" / "ben-danwei.yaml").write_text(
        "id: ben-danwei\ntitle: 本单位规则\nextends: [common]\nrules:\n"
        "  - id: typo-words\n    options: {files: [terms/typos.yaml, 本单位易错词.yaml]}\n",
        encoding="utf-8",
    )
    (tmp_path / "规则" / "本单位易错词.yaml").write_text(
        "description: 本单位易错词\nentries:\n  - {wrong: 党见, right: 党建, source: 本单位发文规范}\n",
        encoding="utf-8",
    )
    (tmp_path / "报告.txt").write_text(DRAFT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_word_list_beside_the_packs_is_a_word_list(office):
    result = runner.invoke(app, ["check", "报告.txt", "-f", "plain"])
    assert result.exit_code in (0, 1), result.stderr
    assert "“党见”应为“党建”" in result.stdout
    assert "entries" not in result.stderr and "缺少必填的键" not in result.stderr
    validated = runner.invoke(app, ["rules", "validate", "规则"])
    assert validated.exit_code == 0
    assert "本单位易错词.yaml：词表，1 个条目" in validated.stdout
    tested = runner.invoke(app, ["rules", "test", "规则"])
    assert tested.exit_code == 0 and "ben-danwei" in tested.stdout


def test_a_word_list_used_as_a_pack_says_what_it_is(office):
    result = runner.invoke(app, ["check", "报告.txt", "-p", "规则/本单位易错词.yaml"])
    assert result.exit_code == 2
    assert "本单位易错词.yaml:2：这是词表（有 entries:），不是规则包" in result.stderr
    assert "缺少必填的键" not in result.stderr


def test_changing_a_built_in_rule_without_extends_names_the_pack(tmp_path):
    p = tmp_path / "wenzi.yaml"
    p.write_text("id: wenzi\ntitle: 本单位文字规范\nrules:\n  - id: punctuation\n    level: error\n", encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_pack(p)
    message = str(err.value)
    assert "wenzi.yaml:4" in message and "自带规则包“common”" in message and "extends: [common]" in message
    # a rule several genre packs define: all are named, one is suggested
    q = tmp_path / "wenti.yaml"
    q.write_text("id: wenti\ntitle: 本单位\nextends: [quality]\nrules:\n  - id: problems\n    weight: 30\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"“jiandu-zeren”.*“zhuti-zeren”.*extends: \["):
        load_pack(q)
    # with the right extends it is a change, not an error
    p.write_text(
        "id: wenzi\ntitle: 本单位文字规范\nextends: [common]\nrules:\n  - id: punctuation\n    level: error\n",
        encoding="utf-8",
    )
    assert load_pack(p).rule("punctuation").level == "error"


@pytest.mark.parametrize(
    "text, line, words",
    [
        # a full-width colon after a key: the parser stops on the next line
        ("id: wenzi\ntitle： 本单位\nextends: [common]\n", 2, "“title”后面用了全角冒号“：”"),
        ("id: wenzi\ntitle: 本单位\nrules:\n  - id: punctuation\n    level： error\n  - id: x\n", 5, "“level”后面用了全角冒号"),
        # the same, where YAML reads the line as a plain key (no error from the parser)
        ("id: wenzi\ntitle：本单位\n", 2, "全角冒号"),
        # Tab indentation
        ("id: wenzi\ntitle: 本单位\nrules:\n\t- id: punctuation\n", 4, "Tab"),
        # full-width spaces as indentation (parses as a key "　　level")
        ("id: wenzi\ntitle: 本单位\nrules:\n  - id: punctuation\n\u3000\u3000level: error\n", 5, "全角空格"),
        # an unpaired quote: the line where it opens
        ('id: wenzi\ntitle: "本单位\nextends: [common]\n', 2, "引号"),
        ("id: wenzi\nextends: [common\ntitle: x\n", 3, "方括号"),
        ("id: wenzi\nrules:\n  - id: x\n   level: error\n", 4, "缩进没有对齐"),
        ("patterns:\n  - **次\n", 2, "加引号"),
    ],
)
def test_yaml_errors_are_chinese_at_the_right_line(tmp_path, text, line, words):
    p = tmp_path / "规则.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_yaml(p)
    message = str(err.value)
    assert message.startswith(f"{p}:{line}：YAML 格式错误："), message
    assert words in message
    assert not any(english in message for english in ("could not", "found", "expected")), message
    assert message.count(f"第{line}行") == 0  # the place is said once, by the prefix


def test_typing_mistakes_in_comments_and_far_lines_are_not_blamed():
    text = "# 说明：本文件\nid: wenzi\n\ttitle: x\n"
    assert typing_mistake(text, 3) == (3, typing_mistake(text, 3)[1])
    assert "Tab" in typing_mistake(text, 3)[1]
    far = "title：x\n" + "a: 1\n" * 5 + "b: [1\n"
    assert typing_mistake(far, 7) is None
