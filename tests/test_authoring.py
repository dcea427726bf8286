"""Rule authoring commands: rules list / validate / test, explain; the example runner."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import djcheck
from conftest import FIXTURES
from djcheck.checks import KINDS
from djcheck.cli import app
from djcheck.pack import BASE_PACKS, bundled_packs
from djcheck.selftest import own_rules, run_examples

runner = CliRunner()
RULES = FIXTURES / "rules"


def test_rules_test_passes_on_every_bundled_pack(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no configuration here
    out = runner.invoke(app, ["rules", "test"])
    assert out.exit_code == 0, out.stdout
    for name in bundled_packs() + list(BASE_PACKS):
        assert f"✔ {name}（" in out.stdout
    assert "✖" not in out.stdout and "全部通过" in out.stdout.splitlines()[-1]


def test_every_bundled_rule_has_examples_both_ways():
    for name in bundled_packs() + list(BASE_PACKS):
        pack = djcheck.load_pack(name)
        for rule in own_rules(pack):
            assert rule.examples.get("fail") and rule.examples.get("pass"), (name, rule.id)
        assert run_examples(pack, own_rules(pack)) == []


def test_rules_test_fails_naming_the_broken_rules():
    out = runner.invoke(app, ["rules", "test", str(RULES / "broken-pack.yaml")])
    assert out.exit_code == 1
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("✖")]
    assert len(lines) == 3, out.stdout
    missing, broken, flagged = lines  # pack order: element rules (mention) before located-findings rules
    assert "规则“outdated-dahei”的不合格例子 1 没有被发现" in broken and "broken-pack.yaml:6" in broken
    assert "规则“no-fail-example”没有不合格例子" in missing
    assert "规则“flags-its-pass”的合格例子 1 被误报" in flagged
    assert "kongtan" not in out.stdout and "3 处不通过" in out.stdout


def test_run_examples_reports_each_problem():
    pack = djcheck.load_pack(RULES / "broken-pack.yaml")
    failures = run_examples(pack)
    assert {f.rule: f.problem for f in failures} == {
        "outdated-dahei": "not-caught",
        "no-fail-example": "no-fail-example",
        "flags-its-pass": "flagged",
    }
    broken = next(f for f in failures if f.rule == "outdated-dahei")
    assert broken.example == "深入开展打黑除恶专项斗争。" and broken.line == 6 and broken.index == 1


def test_rules_validate():
    ok = runner.invoke(app, ["rules", "validate", str(RULES / "broken-pack.yaml")])
    assert ok.exit_code == 0 and "规则包“broken-pack”" in ok.stdout and "4 条规则" in ok.stdout
    bad = runner.invoke(app, ["rules", "validate", str(RULES)])
    assert bad.exit_code == 2
    line = next(ln for ln in bad.stdout.splitlines() if "bad-schema" in ln)
    assert line.startswith(f"✖ {RULES / 'bad-schema.yaml'}:8：") and "不认识的键“colour”" in line
    assert f"✔ {RULES / 'broken-pack.yaml'}" in bad.stdout
    missing = runner.invoke(app, ["rules", "validate", str(RULES / "nope.yaml")])
    assert missing.exit_code == 2 and "找不到" in missing.stderr


def test_rules_validate_a_config(tmp_path):
    cfg = tmp_path / ".djcheck.yaml"
    cfg.write_text("rules:\n  four-forms: error\n", encoding="utf-8")
    out = runner.invoke(app, ["rules", "validate", str(cfg)])
    assert out.exit_code == 0 and "配置文件" in out.stdout and "zhuti-zeren" in out.stdout
    cfg.write_text("rules:\n  four-forms:\n    windoww: 3\n", encoding="utf-8")
    out = runner.invoke(app, ["rules", "validate", str(cfg)])
    assert out.exit_code == 2 and f"{cfg}:3：" in out.stdout and "windoww" in out.stdout


def test_rules_list(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    one = runner.invoke(app, ["rules", "list", "--profile", "shuze-shulian"])
    table, _, legend = one.stdout.partition("\n检查类型（规则的 kind）：\n")
    rows = {ln.split()[0]: ln for ln in table.splitlines()}
    assert {"structure", "zhuti-zeren", "lianjie-zilv", "eight-rules", "personal-matters", "placeholder"} <= set(rows)
    assert rows["placeholder"].split()[1:4] == ["error", "10", "common"]
    # every kind the listed rules use is explained once, in Chinese
    kinds = {ln.split()[0]: ln.split(maxsplit=1)[1] for ln in legend.splitlines()}
    assert {"structure", "part", "pattern", "terms", "four-forms-sum"} <= set(kinds)
    assert kinds["pattern"] == KINDS["pattern"].DESCRIPTION_CN and "不允许" in kinds["pattern"]
    every = runner.invoke(app, ["rules", "list"]).stdout
    for name in bundled_packs():
        assert f"【{name}】" in every
    (tmp_path / ".djcheck.yaml").write_text("rules: {four-forms: off}\n", encoding="utf-8")
    listed = runner.invoke(app, ["rules", "list", "-p", "zhuti-zeren"]).stdout
    assert "（已关闭）" in next(ln for ln in listed.splitlines() if ln.startswith("four-forms"))


def test_explain(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = runner.invoke(app, ["explain", "subjective-causes"])
    assert out.exit_code == 0
    text = out.stdout
    assert text.startswith("subjective-causes  从主观上剖析原因")
    assert "duizhao-jiancha" in text and "领域目录 §3 QUAL-03" in text and "理想信念" in text
    assert "✖ " in text and "✔ " in text  # examples both ways
    forms = runner.invoke(app, ["explain", "four-forms", "--profile", "jiandu-zeren"]).stdout
    assert "级别：错误（error）" in forms and "党内监督条例" in forms
    unknown = runner.invoke(app, ["explain", "no-such-rule"])
    assert unknown.exit_code == 2 and "没有编号或名称为“no-such-rule”的规则" in unknown.stderr


def test_every_kind_is_one_uniform_module():
    """A kind is one module with KIND, DESCRIPTION_CN, OPTIONS_SCHEMA, prepare and run, registered once."""
    import types

    import djcheck.checks
    from djcheck.checks import Kind

    helpers = {"__init__", "outcome", "itemtools"}  # the registry, what a kind returns, shared item tools
    folder = Path(djcheck.checks.__file__).parent
    modules = {p.stem for p in folder.glob("*.py")} - helpers
    assert {m.__name__.rsplit(".", 1)[1] for m in KINDS.values()} == modules  # every kind module registered
    assert len({id(m) for m in KINDS.values()}) == len(KINDS)
    for name, kind in KINDS.items():
        assert isinstance(kind, types.ModuleType) and isinstance(kind, Kind), name
        module = {"problem-measure-match": "measure_match"}.get(name, name.replace("-", "_"))
        assert kind.KIND == name and kind.__name__ == f"djcheck.checks.{module}", (name, kind.__name__)
        assert isinstance(kind.OPTIONS_SCHEMA, dict) and kind.OPTIONS_SCHEMA["type"] == "object"
        assert kind.DESCRIPTION_CN.startswith(("检查", "查找", "核对", "逐处", "按词表")), name
        assert not any(ch.isascii() and ch.isalpha() for ch in kind.DESCRIPTION_CN.replace("GB/T", "")), name


def test_explain_describes_every_kind_in_chinese(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = runner.invoke(app, ["explain", "four-forms-sum"]).stdout
    assert f"检查类型：four-forms-sum —— {KINDS['four-forms-sum'].DESCRIPTION_CN}" in text
