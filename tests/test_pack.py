"""Rule packs: validation errors name the file, the line and the key; packs extend packs."""

from __future__ import annotations

import textwrap

import pytest

from djcheck import Document, check_document, load_pack
from djcheck.errors import RuleError

BASE = """\
id: my-pack
title: 测试规则包
extends: [zhuti-zeren]
rules:
  - id: ideology
    kind: mention
    title: 意识形态工作责任制
    level: warning
    weight: 5
    options:
      terms: [意识形态工作责任制]
"""


def write(tmp_path, text):
    p = tmp_path / "pack.yaml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def error_of(tmp_path, text) -> RuleError:
    with pytest.raises(RuleError) as exc:
        load_pack(str(write(tmp_path, text)))
    return exc.value


def test_custom_pack_extends_bundled(tmp_path):
    pack = load_pack(str(write(tmp_path, BASE)))
    ids = [r.id for r in pack.rules]
    assert ids.index("ideology") < ids.index("placeholder") and "structure" in ids
    res = check_document(Document.from_text("局党委落实意识形态工作责任制。"), pack)
    assert {i.id: i.status for i in res.checklist}["ideology"] == "weak"


def test_short_names_of_rule_and_pack(tmp_path):
    text = BASE.replace("    weight: 5\n", "    weight: 5\n    short: 意识形态\n")
    pack = load_pack(str(write(tmp_path, text.replace("\nrules:", "\nshort_title: 意识形态报告\nrules:", 1))))
    assert pack.short_title == "意识形态报告" and pack.rule("ideology").short == "意识形态"
    res = check_document(Document.from_text("局党委落实意识形态工作责任制。"), pack)
    item = {i.id: i for i in res.checklist}["ideology"]
    assert item.short_title == "意识形态" and res.profile_short == "意识形态报告"
    assert "short" not in item.to_dict() and "profile_short" not in res.to_dict()  # JSON unchanged
    # without ``short`` the title loses its parenthesis
    assert {i.id: i for i in res.checklist}["structure"].short_title == "三段式结构"


def test_override_single_rule(tmp_path):
    pack = load_pack(str(write(tmp_path, BASE + "  - id: four-forms\n    level: error\n  - id: placeholder\n    enabled: false\n")))
    assert pack.rule("four-forms").level == "error" and pack.rule("four-forms").kind == "four-forms"
    assert not pack.rule("placeholder").enabled


@pytest.mark.parametrize(
    "change, line, words",
    [
        (("    weight: 5\n", "    weight: 5\n    colour: red\n"), 10, "不认识的键“colour”"),
        (("    weight: 5\n", "    weight: lots\n"), 9, "类型不对"),
        (("    level: warning\n", "    level: fatal\n"), 8, "error / warning / info"),
        (("  - id: ideology\n", "  - id: Ideology_1\n"), 5, "小写字母"),
        (("      terms: [意识形态工作责任制]\n", "      words: [意识形态工作责任制]\n"), 11, "words"),
        (("    kind: mention\n", "    kind: magic\n"), 5, "未知的检查类型"),
        (("    weight: 5\n", "    weight: 5\n    short: 意识形态工作责任制落实情况汇总\n"), 10, "short"),
    ],
)
def test_schema_errors_have_file_line_key(tmp_path, change, line, words):
    err = error_of(tmp_path, BASE.replace(*change))
    assert err.path.endswith("pack.yaml") and err.line == line, (err.line, str(err))
    assert words in str(err)


def test_bad_regex_and_word_boundary(tmp_path):
    rule = """\
      - id: bad-re
        kind: pattern
        title: 坏正则
        level: warning
        options:
          patterns: ['{pat}']
    """
    head = "id: p\ntitle: t\nrules:\n"
    err = error_of(tmp_path, head + textwrap.indent(textwrap.dedent(rule).format(pat="(未闭合"), ""))
    assert "正则" in str(err) and err.line == 9
    err = error_of(tmp_path, head + textwrap.dedent(rule).format(pat="\\\\b主体责任\\\\b"))
    assert "\\b" in str(err)


def test_yaml_syntax_error_and_duplicate_key(tmp_path):
    err = error_of(tmp_path, "id: p\ntitle: [unclosed\n")
    assert "YAML" in str(err) and err.line
    err = error_of(tmp_path, "id: p\ntitle: a\ntitle: b\n")
    assert "重复" in str(err) and err.line == 3


def test_python_object_tags_are_refused(tmp_path):
    err = error_of(tmp_path, "id: p\ntitle: !!python/object/apply:os.system ['echo hacked']\n")
    assert "标签" in str(err)


def test_missing_required_rule_key(tmp_path):
    err = error_of(tmp_path, "id: p\ntitle: t\nrules:\n  - id: x\n    kind: pattern\n    level: error\n")
    assert "title" in str(err) and err.line == 4


def test_bundled_packs_load():
    pack = load_pack("zhuti-zeren")
    assert pack.min_score == 80 and pack.rule("structure").weight > 0
    assert [s.kind for s in pack.parts][:3] == ["problems", "causes", "next_steps"]


PARENT_WITH_PATTERN = """\
id: unit-base
title: 本单位基础规则
rules:
  - id: old-name
    kind: pattern
    title: 旧机构名称
    level: warning
    options:
      patterns:
        - 纪检组长
        - 监察室主任
"""


def test_a_rule_inheriting_its_options_is_prepared_as_the_parents_rule(tmp_path):
    """A child that only retitles an inherited rule shares the parent's prepared patterns, and a bad
    pattern is reported at the parent's file and line (where it is written), not at the child's."""
    (tmp_path / "unit-base.yaml").write_text(PARENT_WITH_PATTERN, encoding="utf-8")
    child = "id: unit\ntitle: 本单位\nextends: [unit-base.yaml]\nrules:\n  - id: old-name\n    title: 机构改革前的名称\n"
    (tmp_path / "unit.yaml").write_text(child, encoding="utf-8")
    pack = load_pack(str(tmp_path / "unit.yaml"))
    rule = pack.rule("old-name")
    assert rule.title == "机构改革前的名称" and rule.file == str(tmp_path / "unit.yaml")
    assert rule.compiled is not None
    res = check_document(Document.from_text("原纪检组长调任。"), pack)
    assert [f.match for f in res.findings if f.rule == "old-name"] == ["纪检组长"]
    (tmp_path / "unit-base.yaml").write_text(PARENT_WITH_PATTERN.replace("监察室主任", "监察室\\b主任"), encoding="utf-8")
    with pytest.raises(RuleError) as exc:
        load_pack(str(tmp_path / "unit.yaml"))
    assert exc.value.path == str(tmp_path / "unit-base.yaml") and exc.value.line == 9, exc.value
    assert "\\b" in exc.value.message


def test_checklist_order_is_kept_at_every_level_of_extends(tmp_path):
    """A rule whose kind a child changes keeps the place its parent's checklist order gave it."""
    parent = """\
id: unit-base
title: 本单位基础规则
rules:
  - id: old-name
    kind: pattern
    title: 旧机构名称
    level: warning
    options: {patterns: [纪检组长]}
  - id: duty
    kind: mention
    title: 主体责任
    level: warning
    options: {terms: [主体责任]}
"""
    (tmp_path / "unit-base.yaml").write_text(parent, encoding="utf-8")
    child = """\
id: unit
title: 本单位
extends: [unit-base.yaml]
rules:
  - id: old-name
    kind: mention
    options: {terms: [纪检监察组组长]}
"""
    (tmp_path / "unit.yaml").write_text(child, encoding="utf-8")
    assert [r.id for r in load_pack(str(tmp_path / "unit-base.yaml")).rules] == ["duty", "old-name"]
    assert [r.id for r in load_pack(str(tmp_path / "unit.yaml")).rules] == ["duty", "old-name"]
