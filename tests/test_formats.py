"""Machine formats: SARIF 2.1.0 (validated against the official schema), GitHub commands, HTML, --output."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

import djcheck
from djcheck.cli import Format, _pick_format, app
from djcheck.report.github import command, escape_data, escape_property

runner = CliRunner()
SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"

DRAFT = """关于2026年上半年落实全面从严治党主体责任情况的报告
今年以来，局党委认真履行全面从严治党主体责任。现将有关情况报告如下：
一、工作开展情况
局党委召开党委会**次，专题研究主体责任落实。运用监督执纪“四种形态”处理8人次，其中第一种形态7人次，第二种形态1人次。
二、存在的问题
一是3个党支部上半年未按要求开展组织生活会，批评和自我批评流于形式。二是对2个下属单位的经费支出监督不到位，发现违规报销问题5起。三是年轻干部教育管理不够，上半年有2名入职不满三年的干部受到诫勉。
"""


def run(*args, env=None):
    return runner.invoke(app, list(args), env=env)


@pytest.fixture
def draft(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = tmp_path / "drafts" / "草稿.txt"
    p.parent.mkdir()
    p.write_text(DRAFT, encoding="utf-8")
    return p


def _sarif(*paths) -> dict:
    result = run("check", *map(str, paths), "-f", "sarif")
    assert result.exit_code in (0, 1, 2), result.output
    return json.loads(result.stdout)


def _validate(log: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema 在测试依赖中（pip install '.[test]'）")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_cls = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_cls(schema).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_sarif_validates_against_the_official_schema(draft, seed, tmp_path):
    missing = tmp_path / "不存在.txt"
    log = _sarif(draft, seed("001"), seed("004"), missing)
    _validate(log)
    run_ = log["runs"][0]
    assert log["version"] == "2.1.0" and run_["columnKind"] == "unicodeCodePoints"
    assert run_["invocations"][0]["executionSuccessful"] is False  # the missing file
    assert "找不到" in run_["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


def test_the_schema_check_can_fail(draft):
    """The validator catches a wrong shape (so the test above proves something)."""
    log = _sarif(draft)
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        _validate(log)


def test_sarif_rules_results_and_locations(draft):
    log = _sarif(draft)
    run_ = log["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    pack = djcheck.load_pack("zhuti-zeren")
    assert set(rules) >= {r.id for r in pack.active_rules}
    placeholder_rule = rules["placeholder"]
    assert placeholder_rule["shortDescription"]["text"] == pack.rule("placeholder").title
    assert placeholder_rule["defaultConfiguration"]["level"] == "error" and placeholder_rule["help"]["text"]
    results = run_["results"]
    ph = [r for r in results if r["ruleId"] == "placeholder"]
    assert len(ph) == 1
    loc = ph[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "drafts/%E8%8D%89%E7%A8%BF.txt"  # relative, percent-encoded
    assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    line = DRAFT.split("\n")[3]
    region = loc["region"]
    assert region["startLine"] == 4 and line[region["startColumn"] - 1 : region["endColumn"] - 1] == "**"
    assert rules[ph[0]["ruleId"]] is placeholder_rule and results[0]["ruleIndex"] >= 0
    # The missing next-steps part is anchored where it belongs (the checklist item's line).
    nxt = next(r for r in results if r["ruleId"] == "next-steps")
    item = next(i for i in djcheck.check_file(draft).checklist if i.id == "next-steps")
    assert (
        nxt["level"] == "error"
        and nxt["locations"][0]["physicalLocation"]["region"]["startLine"] == item.line
    )
    assert all(r["partialFingerprints"]["djcheck/v1"] for r in results)
    art = run_["artifacts"][0]
    assert (
        art["properties"]["score"] == djcheck.check_file(draft).score
        and art["properties"]["locationUnit"] == "line"
    )


def test_sarif_fingerprints_survive_text_inserted_above(draft):
    before = {
        r["ruleId"] + r["message"]["text"]: r["partialFingerprints"]
        for r in _sarif(draft)["runs"][0]["results"]
    }
    draft.write_text(
        DRAFT.replace("一、工作开展情况\n", "一、工作开展情况\n新增一段说明文字。\n"), encoding="utf-8"
    )
    after_log = _sarif(draft)["runs"][0]["results"]
    after = {r["ruleId"] + r["message"]["text"]: r["partialFingerprints"] for r in after_log}
    ph = next(r for r in after_log if r["ruleId"] == "placeholder")
    assert ph["locations"][0]["physicalLocation"]["region"]["startLine"] == 5  # moved down one line
    assert before == after


def test_sarif_for_docx_says_paragraphs(seed, tmp_path, monkeypatch):
    from docxutil import text_to_docx

    monkeypatch.chdir(tmp_path)
    path = text_to_docx(seed("001").read_text(encoding="utf-8"), tmp_path / "001.docx")
    log = _sarif(path.name)
    _validate(log)
    art = log["runs"][0]["artifacts"][0]
    assert art["properties"]["locationUnit"] == "paragraph" and "段落" in art["description"]["text"]


# -- GitHub workflow commands ------------------------------------------------


def test_github_escaping_follows_the_toolkit():
    assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"
    line = command(
        "error", "第一行\n第二行：50%, 好", file="报告,终稿:v2.txt", line=3, col=5, title="djcheck x"
    )
    assert (
        line == "::error file=报告%2C终稿%3Av2.txt,line=3,col=5,title=djcheck x::第一行%0A第二行：50%25, 好"
    )
    assert command("info", "m", file="a", line=None) == "::notice file=a::m"


def test_github_format_lines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = tmp_path / "终稿,v2:final.txt"
    p.write_text(DRAFT, encoding="utf-8")
    result = run("check", p.name, "-f", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines)
    pattern = re.compile(r"^::(error|warning|notice) ((?:[A-Za-z]+=[^,:]*)(?:,[A-Za-z]+=[^,:]*)*)::(.*)$")
    for ln in lines:
        m = pattern.match(ln)
        assert m, ln
        assert "\n" not in m.group(3) and "\r" not in m.group(3)
        props = dict(kv.split("=", 1) for kv in m.group(2).split(","))
        assert props["file"] == "终稿%2Cv2%3Afinal.txt"
    ph = next(ln for ln in lines if "placeholder::" in ln)
    assert ph.startswith("::error file=终稿%2Cv2%3Afinal.txt,line=4,col=")
    # Multi-line messages (advice on a second line) are escaped, not broken.
    assert any("%0A建议：" in ln for ln in lines)
    assert lines[-1].startswith("::notice ") and "得分" in lines[-1]


def test_github_step_summary_gets_the_checklist(draft, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = run("check", str(draft), env=env)  # --format auto picks github under Actions
    assert result.exit_code == 1 and result.stdout.startswith("::")
    md = summary.read_text(encoding="utf-8")
    assert md.startswith("earlier step\n## djcheck 检查结果")
    assert "| ✖ 缺失 | 下一步打算" in md and "| ✔ 合格 |" in md and "未通过" in md
    rows = [ln for ln in md.splitlines() if ln.startswith("| ")]
    item_count = len(djcheck.check_file(draft).checklist)
    assert len(rows) == item_count + 1 and all(ln.count(" | ") == 3 for ln in rows)


def test_pick_format(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert _pick_format(Format.auto, None) == "plain"  # pytest's stdout is not a terminal
    assert _pick_format(Format.auto, Path("r.html")) == "html"
    assert _pick_format(Format.auto, Path("r.sarif")) == "sarif"
    assert _pick_format(Format.auto, Path("r.txt")) == "plain"
    assert _pick_format(Format.json, Path("r.html")) == "json"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert _pick_format(Format.auto, None) == "github"
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    assert _pick_format(Format.auto, None) == "github"
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert _pick_format(Format.auto, None) == "rich"


# -- --output ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["plain", "json", "sarif", "github", "html", "rich"])
def test_output_file_keeps_the_exit_code(draft, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = run("check", str(draft), "-f", fmt, "--output", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    assert out.stat().st_size > 100 and (out.stat().st_mode & 0o777) != 0o600
    good = tmp_path / "good.txt"
    good.write_text(DRAFT.replace("**", "12") + _NEXT_STEPS, encoding="utf-8")
    assert run("check", str(good), "-f", fmt, "--output", str(out)).exit_code == 0


_NEXT_STEPS = (
    "三、下一步工作打算\n一是由机关党委牵头，9月底前督促3个党支部补开组织生活会。二是由纪检组负责，"
    "每季度对下属单位经费支出开展一次专项检查，压实主体责任。三是由组织人事科牵头，年底前完成年轻干部廉洁教育全覆盖。\n"
)


def test_output_onto_the_input_is_refused(draft):
    before = draft.read_bytes()
    result = run("check", str(draft), "-f", "plain", "--output", str(draft))
    assert result.exit_code == 2 and "覆盖原文件" in result.stdout + result.stderr
    assert draft.read_bytes() == before


# -- HTML ----------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects marks (with their text), external references and tags."""

    def __init__(self):
        super().__init__()
        self.marks: list[dict] = []
        self.refs: list[str] = []
        self.tags: list[str] = []
        self._in_mark = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        for key in ("src", "href"):
            if a.get(key) and not a[key].startswith("#"):
                self.refs.append(a[key])
        if tag == "mark":
            self.marks.append({**a, "text": ""})
            self._in_mark += 1

    def handle_endtag(self, tag):
        if tag == "mark":
            self._in_mark -= 1

    def handle_data(self, data):
        if self._in_mark:
            self.marks[-1]["text"] += data


def test_html_is_self_contained_escaped_and_marks_every_finding(tmp_path):
    p = tmp_path / "d.txt"
    evil = DRAFT.replace("专题研究主体责任落实。", '专题研究<script>alert("x")</script>&amp;落实。XX')
    p.write_text(evil, encoding="utf-8")
    out = tmp_path / "r.html"
    assert run("check", str(p), "--output", str(out)).exit_code == 1  # auto: html from the suffix
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;" in html and "&amp;amp" in html  # the ";" after it is a finding
    assert "default-src 'none'" in html
    page = _Page()
    page.feed(html)
    assert page.refs == [] and "link" not in page.tags and "img" not in page.tags
    res = djcheck.check_file(p)
    assert len(res.findings) >= 2
    for i, f in enumerate(res.findings):
        text = "".join(m["text"] for m in page.marks if str(i) in m["data-findings"].split())
        assert text == f.match, (i, f)
        assert any(f.message in m["data-msg"] for m in page.marks if str(i) in m["data-findings"].split())
    assert f"得分 {res.score:g} / 100" in html
    for item in res.checklist:
        assert f'data-id="{item.id}" data-status="{item.status}"' in html


def test_html_overlapping_and_multiline_findings(tmp_path):
    from djcheck.model import ChecklistItem, FileResult, Finding
    from djcheck.report.html import render

    doc = djcheck.Document.from_text("甲乙丙丁\n戊己庚", path="x.txt")
    findings = [
        Finding("a", "error", "一", 1, 2, 1, 4, match="乙丙"),
        Finding("b", "warning", "二", 1, 3, 2, 2, match="丙丁\n戊"),
    ]
    res = FileResult(
        path="x.txt",
        profile="p",
        score=50,
        min_score=80,
        passed=False,
        checklist=[ChecklistItem("a", "甲", "missing", "error", "缺", line=2)],
        findings=findings,
    )
    page = _Page()
    page.feed(render([res], documents={"x.txt": doc}))
    by = {i: "".join(m["text"] for m in page.marks if str(i) in m["data-findings"].split()) for i in (0, 1)}
    assert by == {0: "乙丙", 1: "丙丁戊"}
    shared = next(m for m in page.marks if m["data-findings"] == "0 1")
    assert shared["text"] == "丙" and "一" in shared["data-msg"] and "二" in shared["data-msg"]


def test_formats_listed_everywhere():
    from djcheck.report import FORMATS, get_writer

    assert {f.value for f in Format} == {"auto", *FORMATS}
    modules = {get_writer(fmt).__module__ for fmt in FORMATS}
    assert len(modules) == len(FORMATS)  # every format has its own writer


NO_FOUR_FORMS = """关于2026年上半年落实全面从严治党主体责任情况的报告
今年以来，县林业局党组认真履行全面从严治党主体责任。现将有关情况报告如下：
一、工作开展情况
局党组召开党组会议6次，专题研究党风廉政建设3次，组织全体干部参加廉政党课2次。
二、存在的问题
一是2个基层站所的公务用车登记不全，3月检查发现4次出车无记录。二是护林员补助发放监督不到位，有1个乡镇延迟发放两个月。
三、下一步工作打算
一是由办公室牵头，7月底前完成公务用车台账整改。二是由驻局纪检组负责，每季度抽查一次补助发放。
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_level_set_in_the_configuration_reaches_sarif_rules_and_results(tmp_path, monkeypatch, jobs):
    """SARIF describes the rules as the run used them (.djcheck.yaml applied), also when workers checked."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts").mkdir()
    for name in ("甲.txt", "乙.txt"):
        (tmp_path / "drafts" / name).write_text(NO_FOUR_FORMS, encoding="utf-8")
    plain = json.loads(run("check", "drafts", "-f", "sarif", "-j", jobs).stdout)["runs"][0]
    (tmp_path / "drafts" / ".djcheck.yaml").write_text(
        "rules: {four-forms: error, measures-concrete: info}\n", encoding="utf-8"
    )
    log = json.loads(run("check", "drafts", "-f", "sarif", "-j", jobs).stdout)
    _validate(log)
    run_ = log["runs"][0]
    before = {r["id"]: r["defaultConfiguration"]["level"] for r in plain["tool"]["driver"]["rules"]}
    after = {r["id"]: r["defaultConfiguration"]["level"] for r in run_["tool"]["driver"]["rules"]}
    assert (before["four-forms"], after["four-forms"]) == ("warning", "error")
    assert (before["measures-concrete"], after["measures-concrete"]) == ("warning", "note")
    four = [r for r in run_["results"] if r["ruleId"] == "four-forms"]
    assert len(four) == 2 and {r["level"] for r in four} == {"error"}  # missing at error level, per draft
    checked = json.loads(run("check", "drafts", "-f", "json").stdout)["files"][0]
    assert next(i for i in checked["checklist"] if i["id"] == "four-forms")["level"] == "error"


def test_html_shows_the_documents_it_is_given_and_reads_nothing(tmp_path):
    """The HTML writer prints the text it receives; without a document it shows the checklist only."""
    import io

    from djcheck.report import get_writer

    path = tmp_path / "稿.txt"
    path.write_text(NO_FOUR_FORMS, encoding="utf-8")
    res = djcheck.check_file(path)
    other = djcheck.Document.from_text(NO_FOUR_FORMS.replace("县林业局", "市水务局"), path=str(path))
    given, bare = io.StringIO(), io.StringIO()
    get_writer("html")([res], given, packs={}, documents={str(path): other})
    get_writer("html")([res], bare, packs={}, documents={})
    assert "市水务局" in given.getvalue() and "县林业局" not in given.getvalue()
    assert "县林业局" not in bare.getvalue() and "无法重新读取原文" in bare.getvalue()


def test_the_cli_hands_html_the_drafts_read_one_at_a_time(tmp_path):
    """The CLI's documents for HTML are read on demand; a draft gone since the check is absent."""
    from djcheck.loaders import DocumentsOnDisk

    a, b = tmp_path / "甲.txt", tmp_path / "乙.txt"
    a.write_text(NO_FOUR_FORMS, encoding="utf-8")
    b.write_text(NO_FOUR_FORMS.replace("县林业局", "县水利局"), encoding="utf-8")
    docs = DocumentsOnDisk([str(a), str(b)])
    assert list(docs) == [str(a), str(b)] and len(docs) == 2
    assert "县水利局" in docs[str(b)].text and docs.get(str(tmp_path / "丙.txt")) is None
    b.unlink()
    assert docs.get(str(b)) is None and "县林业局" in docs[str(a)].text
