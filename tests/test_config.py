"""Configuration: discovery per file, overrides, an organisation's rule folder, bad files, init."""

from __future__ import annotations

import json
import textwrap

import pytest
from typer.testing import CliRunner

import djcheck
from conftest import SAMPLES
from djcheck.cli import app
from djcheck.config import STARTER, find_config, load_config
from djcheck.errors import ConfigError
from djcheck.runner import Session

runner = CliRunner()
GOOD = (SAMPLES / "good-report.txt").read_text(encoding="utf-8")
NO_FOUR_FORMS = "\n".join(ln for ln in GOOD.split("\n") if "四种形态" not in ln)
NO_IDEOLOGY = "\n".join(ln for ln in GOOD.split("\n") if "意识形态" not in ln)
WEAK_FOUR_FORMS = "\n".join(
    "党组深化运用监督执纪“四种形态”，抓早抓小，防微杜渐。" if "四种形态" in ln else ln for ln in GOOD.split("\n")
)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def items(res):
    return {i.id: i for i in res.checklist}


def run_json(*args):
    out = runner.invoke(app, ["check", *map(str, args), "-f", "json"])
    return out, {f["path"]: f for f in json.loads(out.stdout)["files"]} if out.stdout.startswith("{") else {}


def test_good_report_needs_no_config():
    # the baseline these tests change: the good sample passes with every rule on
    res = djcheck.check_file(SAMPLES / "good-report.txt")
    assert res.passed and items(res)["four-forms"].status == "ok"


def test_nested_folders_each_file_gets_its_nearest_config(tmp_path):
    write(tmp_path / ".djcheck.yaml", "rules:\n  four-forms: off\n")
    write(tmp_path / "a" / "b" / ".djcheck.yaml", "min_score: 99\nrules:\n  four-forms: error\n")
    top = write(tmp_path / "top.txt", NO_FOUR_FORMS)
    mid = write(tmp_path / "a" / "mid.txt", NO_FOUR_FORMS)
    deep = write(tmp_path / "a" / "b" / "deep.txt", NO_FOUR_FORMS)
    out, files = run_json(tmp_path)
    t, m, d = files[str(top)], files[str(mid)], files[str(deep)]
    assert "four-forms" not in [i["id"] for i in t["checklist"]] and t["passed"] is True
    assert "four-forms" not in [i["id"] for i in m["checklist"]]  # a/ has no config: the parent's applies
    deep_items = {i["id"]: i for i in d["checklist"]}
    assert deep_items["four-forms"]["level"] == "error" and deep_items["four-forms"]["status"] == "missing"
    assert d["min_score"] == 99 and d["passed"] is False
    assert out.exit_code == 1
    assert find_config(tmp_path / "a") == tmp_path / ".djcheck.yaml"


def test_override_turns_a_rule_off_and_changes_options(tmp_path):
    draft = write(tmp_path / "r.txt", NO_FOUR_FORMS)
    before = djcheck.check_file(draft)
    assert items(before)["four-forms"].status == "missing"
    write(tmp_path / ".djcheck.yaml", "rules:\n  four-forms: off\n  problems: {min_chars: 2000, weight: 30}\n")
    after = djcheck.check_file(draft)
    assert "four-forms" not in items(after)
    assert items(after)["problems"].status == "weak" and items(after)["problems"].weight == 30


def test_pyproject_tool_table_is_found(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.djcheck]\nmin_score = 97\n\n[tool.djcheck.rules]\nfour-forms = "off"\n')
    draft = write(tmp_path / "sub" / "r.txt", GOOD)
    res = djcheck.check_file(draft)
    assert res.min_score == 97 and "four-forms" not in items(res)


def test_pyproject_unknown_key_has_line(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.djcheck]\nmin_score = 90\ncolour = "red"\n')
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path / "pyproject.toml")
    assert exc.value.line == 3 and "colour" in str(exc.value)


def test_config_option_overrides_discovery(tmp_path):
    draft = write(tmp_path / "drafts" / "r.txt", NO_FOUR_FORMS)
    write(tmp_path / "drafts" / ".djcheck.yaml", "rules: {four-forms: error}\n")
    other = write(tmp_path / "elsewhere.yaml", "rules: {four-forms: off}\n")
    _, files = run_json(draft, "--config", other)
    assert "four-forms" not in [i["id"] for i in files[str(draft)]["checklist"]]


def test_profile_in_config_forces_the_pack(tmp_path):
    write(tmp_path / ".djcheck.yaml", "profile: jiandu-zeren\n")
    res = djcheck.check_file(write(tmp_path / "r.txt", GOOD))
    assert res.profile == "jiandu-zeren" and ".djcheck.yaml" in res.profile_reason
    # the command line still wins
    assert djcheck.check_file(tmp_path / "r.txt", profile="zhuti-zeren").profile == "zhuti-zeren"


def test_custom_rule_folder(tmp_path):
    write(
        tmp_path / "规则" / "our-rules.yaml",
        """\
        id: our-rules
        title: 本单位补充规则
        rules:
          - id: ideology
            kind: mention
            title: 意识形态工作责任制
            level: error
            weight: 10
            options: {terms: [意识形态工作责任制], min_count: 1, beyond_opening: false}
            examples:
              fail: ["加强理论学习。"]
              pass: ["落实意识形态工作责任制。"]
        """,
    )
    write(tmp_path / ".djcheck.yaml", "rules_paths: [规则]\nextends: [our-rules]\n")
    draft = write(tmp_path / "r.txt", NO_IDEOLOGY)
    res = djcheck.check_file(draft)
    assert items(res)["ideology"].status == "missing" and res.passed is False
    assert res.profile == "zhuti-zeren"  # an add-on pack without detect does not change the genre
    write(tmp_path / "r2.txt", GOOD)
    assert items(djcheck.check_file(tmp_path / "r2.txt"))["ideology"].status == "ok"
    listed = runner.invoke(app, ["rules", "list", "--profile", "zhuti-zeren"], catch_exceptions=False)
    assert "ideology" not in listed.stdout  # the folder's config is not the cwd's


def test_genre_pack_in_rules_folder_joins_detection(tmp_path):
    write(
        tmp_path / "packs" / "xunshi.yaml",
        """\
        id: xunshi-zhenggai
        title: 巡察整改情况报告
        extends: [common]
        detect: {title: {巡察整改: 14}, words: {巡察反馈: 3}}
        parts:
          problems: {title: 整改情况, headings: [整改(落实)?情况]}
        rules:
          - id: structure
            kind: structure
            title: 结构
            level: error
            weight: 10
            options: {required: [problems]}
            examples: {fail: ["开展工作。"], pass: ["一、整改情况\\n已整改。"]}
        """,
    )
    write(tmp_path / ".djcheck.yaml", "rules_paths: [packs]\n")
    draft = write(tmp_path / "r.txt", "关于巡察整改情况的报告\n现将巡察整改情况报告如下。\n一、整改落实情况\n巡察反馈问题12个，已整改11个。\n")
    res = djcheck.check_file(draft)
    assert res.profile == "xunshi-zhenggai" and "巡察整改" in res.profile_reason


def test_exclude_skips_walked_files_but_not_named_ones(tmp_path):
    write(tmp_path / ".djcheck.yaml", 'exclude: ["旧稿", "*模板*"]\n')
    kept = write(tmp_path / "new.txt", GOOD)
    old = write(tmp_path / "旧稿" / "old.txt", GOOD)
    tpl = write(tmp_path / "报告模板.txt", GOOD)
    _, files = run_json(tmp_path)
    assert list(files) == [str(kept)]
    _, files = run_json(old, tpl)
    assert set(files) == {str(old), str(tpl)}


def test_fail_on_warning_and_year(tmp_path):
    draft = write(tmp_path / "r.txt", WEAK_FOUR_FORMS)
    res = djcheck.check_file(draft)
    assert res.passed is True and items(res)["four-forms"].status == "weak"
    out, _ = run_json(draft, "--fail-on", "warning")
    assert out.exit_code == 1
    write(tmp_path / ".djcheck.yaml", "fail_on: warning\nyear: 2026\n")
    res = djcheck.check_file(draft)
    assert res.passed is False and res.year == 2026
    assert Session(fail_on="error").check(draft).passed is True  # the command line wins


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("min_score: 90\ncolour: red\n", 2, "不认识的键“colour”"),
        ("min_score: lots\n", 1, "类型不对"),
        ("fail_on: never\n", 1, "error / warning"),
        ("rules:\n  four-forms: loud\n", 2, "off、error、warning、info"),
        ("rules:\n  no-such-rule: off\n", 2, "没有编号为“no-such-rule”的规则"),
        ("rules:\n  problems:\n    min_chars: 10\n    min_charz: 3\n", 4, "min_charz"),
        ("rules:\n  four-forms: {level: fatal}\n", 2, "error / warning / info"),
        ("rules_paths: [nowhere]\n", 1, "nowhere"),
        ("profile: nonesuch\n", 1, "nonesuch"),
        ("rules: [four-forms\n", 2, "YAML"),
    ],
)
def test_malformed_config_is_one_clear_line_exit_2(tmp_path, text, line, words):
    cfg = write(tmp_path / ".djcheck.yaml", text)
    draft = write(tmp_path / "r.txt", GOOD)
    out = runner.invoke(app, ["check", str(draft), "-f", "json"])
    assert out.exit_code == 2, out.stdout
    message = out.stderr.strip()
    # the draft's error names the configuration file and line (issue 16 item 14: per file, not per batch)
    assert message.startswith(f"djcheck：{draft}：") and f"{cfg}:{line}：" in message, message
    assert words in message and "Traceback" not in message and len(message.splitlines()) == 1
    assert json.loads(out.stdout)["files"][0]["error"] == message.removeprefix("djcheck：")


def test_init_writes_a_commented_starter_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = runner.invoke(app, ["init"])
    assert out.exit_code == 0 and (tmp_path / ".djcheck.yaml").read_text(encoding="utf-8") == STARTER
    cfg = load_config(tmp_path / ".djcheck.yaml")
    assert cfg.rules == {} and cfg.profile is None  # everything is commented out: defaults apply
    (tmp_path / ".djcheck.yaml").write_text("min_score: 60\n", encoding="utf-8")
    again = runner.invoke(app, ["init"])
    assert again.exit_code == 2 and "已经存在" in again.stderr
    assert (tmp_path / ".djcheck.yaml").read_text(encoding="utf-8") == "min_score: 60\n"


def test_starter_examples_are_valid_when_uncommented(tmp_path):
    import re

    lines = [
        ln[2:]
        for ln in STARTER.splitlines()
        if re.match(r"# ( {2})?[a-z_][a-z0-9_-]*:( |$)", ln) and not re.match(r"# (rules_paths|extends):", ln)
    ]
    assert len(lines) == 9
    write(tmp_path / ".djcheck.yaml", "\n".join(lines) + "\n")
    cfg = load_config(tmp_path / ".djcheck.yaml")
    assert cfg.profile == "zhuti-zeren" and cfg.rules["four-forms"].level == "error" and cfg.min_score == 85
    res = djcheck.check_file(write(tmp_path / "r.txt", GOOD))
    assert items(res)["problems"].weight == 25 and items(res)["placeholder"].level == "warning"
