"""Checklist wording: titles read as the good state, "—" for what could not be checked, counts and places said once."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from djcheck.cli import app
from djcheck.engine import load_pack
from djcheck.report import get_writer
from djcheck.runner import check_file

runner = CliRunner()

# Our own draft: a complete structure, 四种形态 mentioned without a breakdown to add up.
NO_BREAKDOWN = "\n".join(
    [
        "关于2025年度落实全面从严治党主体责任情况的报告",
        "一、工作开展情况",
        "局党组认真履行全面从严治党主体责任，全年召开党组会议专题研究党风廉政建设6次，"
        "书记与班子成员开展廉政谈话24人次。坚持运用监督执纪“四种形态”，抓早抓小、防微杜渐。",
        "二、存在的问题",
        "一是对下属单位的日常监督不够，全年只检查了3个单位。二是个别干部廉洁意识淡薄，有1人违规收受礼品。",
        "三、下一步打算",
        "一是由纪检组牵头，2026年6月底前对全部下属单位开展一轮监督检查。"
        "二是由机关党委负责，2026年3月底前完成全员廉政教育培训。",
    ]
)

# The same draft with a breakdown that adds up.
WITH_BREAKDOWN = NO_BREAKDOWN.replace(
    "坚持运用监督执纪“四种形态”，抓早抓小、防微杜渐。",
    "运用监督执纪“四种形态”处理10人次，其中第一种形态8人次，第二种形态1人次，第三种形态1人次，第四种形态0人次。",
)


@pytest.fixture()
def drafts(tmp_path):
    a = tmp_path / "无分项.txt"
    a.write_text(NO_BREAKDOWN + "\n", encoding="utf-8")
    b = tmp_path / "有分项.txt"
    b.write_text(WITH_BREAKDOWN + "\n", encoding="utf-8")
    return a, b


def _item(result, rule_id):
    return next(i for i in result.checklist if i.id == rule_id)


def test_nothing_to_add_up_is_unchecked_not_a_pass(drafts):
    no, yes = (check_file(p, profile="zhuti-zeren") for p in drafts)
    item = _item(no, "four-forms-sum")
    assert item.status == "unchecked" and item.message == "没有可核对的分项数据"
    assert _item(yes, "four-forms-sum").status == "ok"
    # left out of the score: the score is what the other items earn
    counted = [i for i in no.checklist if i.status != "unchecked"]
    expected = round(100 * sum(i.weight * i.credit for i in counted) / sum(i.weight for i in counted), 1)
    assert no.score == expected
    assert item.weight > 0 and item.advice == ""


def test_unchecked_shows_a_dash_and_is_not_a_problem(drafts):
    result = check_file(drafts[0], profile="zhuti-zeren")
    rich = io.StringIO()
    get_writer("rich")([result], rich, color=False)
    line = next(x for x in rich.getvalue().splitlines() if "数据相加一致" in x)
    assert line.strip().startswith("—") and "✔" not in line
    for fmt in ("plain", "github"):
        out = io.StringIO()
        get_writer(fmt)([result], out, packs={}, documents={})
        assert "没有可核对的分项数据" not in out.getvalue(), fmt  # not reported as a problem
    out = io.StringIO()
    get_writer("sarif")([result], out, packs={}, documents={})
    messages = [r["message"]["text"] for r in json.loads(out.getvalue())["runs"][0]["results"]]
    assert messages and not any("分项数据" in m for m in messages)
    json_out = runner.invoke(app, ["check", str(drafts[0]), "-f", "json", "-p", "zhuti-zeren"]).stdout
    assert '"status": "unchecked"' in json_out


def test_bundled_titles_read_as_the_good_state():
    titles = {r.id: r.title for name in ("common", "quality") for r in load_pack(name).rules}
    assert titles["placeholder"] == "模板占位符已填写"
    assert titles["doubled-word"] == "没有重复的字词"
    assert titles["outdated-term"] == "没有过时的提法"
    negative = ("未填写", "错误", "不规范", "重复的字词")
    for rule_id, title in titles.items():
        if rule_id != "doubled-word":
            assert not any(word in title for word in negative), (rule_id, title)


# Our own draft with four numbered measures, blank lines between the parts and at the end.
MEASURES = "\n".join(
    [
        "关于2025年度落实全面从严治党主体责任情况的报告",
        "",
        "一、工作开展情况",
        "局党组全年召开党组会议专题研究党风廉政建设6次，书记与班子成员开展廉政谈话24人次，"
        "落实主体责任，班子成员履行“一岗双责”。",
        "",
        "二、存在的问题",
        "（一）对下属单位的日常监督不够，全年只检查了3个单位。",
        "（二）个别干部廉洁意识淡薄，有1人违规收受礼品。",
        "",
        "三、下一步打算",
        "针对上述问题，局党组将逐项整改。",
        "（一）纪检组牵头，2026年6月底前对全部下属单位开展一轮监督检查。",
        "",
        "（二）机关党委负责，2026年3月底前完成全员廉政教育培训。",
        "（三）办公室牵头，2026年9月底前修订公务接待管理办法。",
        "（四）党组书记负责，每季度听取一次班子成员履责情况汇报。",
        "",
        "",
    ]
)


def test_the_same_draft_as_txt_and_docx_counts_the_same(tmp_path):
    from docxutil import text_to_docx

    txt = tmp_path / "同稿.txt"
    txt.write_text(MEASURES, encoding="utf-8")
    docx_path = text_to_docx(MEASURES.rstrip("\n"), tmp_path / "同稿.docx")
    a, b = check_file(txt, profile="zhuti-zeren"), check_file(docx_path, profile="zhuti-zeren")
    assert "4 项" in _item(a, "next-steps").message  # blank lines are not measures
    # the same verdicts and counts; only the unit of places differs (第N行 in a text file, 第N段 in Word)
    as_docx = [(i.id, i.status, i.message.replace("行", "段")) for i in a.checklist]
    assert as_docx == [(i.id, i.status, i.message.replace("行", "段")) for i in b.checklist]
    assert a.score == b.score


def test_one_measure_is_not_all_measures(tmp_path):
    p = tmp_path / "一条.txt"
    p.write_text(NO_BREAKDOWN.replace(
        NO_BREAKDOWN.split("\n")[-1], "一是深化理论武装，完善学习制度。"
    ) + "\n", encoding="utf-8")
    item = _item(check_file(p, profile="zhuti-zeren"), "measures-concrete")
    assert item.status == "weak" and item.message.startswith("唯一的一条措施没有写明")
    assert "1 条措施都" not in item.message


def test_rich_says_a_place_once(tmp_path):
    p = tmp_path / "单薄.txt"
    p.write_text(NO_BREAKDOWN.replace(NO_BREAKDOWN.split("\n")[4], "学习不够。") + "\n", encoding="utf-8")
    result = check_file(p, profile="zhuti-zeren")
    item = _item(result, "problems")
    assert item.status == "weak" and f"第{item.line}行" in item.message
    out = io.StringIO()
    get_writer("rich")([result], out, color=False)
    line = next(x for x in out.getvalue().splitlines() if "内容单薄" in x)
    assert line.count(f"第{item.line}行") == 1
