"""Issue 14: verdicts that hold on the variety of real drafts (tests/fixtures/variants, written for this project).

Each test reads a variant draft of one class (labels in tests/fixtures/variants/labels.yaml) and checks the
behaviour a reviewer expects of that class.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import djcheck
from djcheck.parts import find_parts
from djcheck.runner import Session

VARIANTS = Path(__file__).parent / "fixtures" / "variants"
LABELS = yaml.safe_load((VARIANTS / "labels.yaml").read_text(encoding="utf-8"))


def check(name: str, **options):
    res = Session(**options).check(VARIANTS / name)
    assert res.error is None, res.error
    return res


def matches(res, rule: str) -> list[str]:
    return [f.match for f in res.findings if f.rule == rule]


# -- hygiene on every text -------------------------------------------------------------------------
def test_notice_is_not_a_report_but_its_placeholders_are_reported():
    res = check("v18-notice.txt")
    assert not res.recognised and res.score is None
    assert res.profile_reason  # says why it is not scored
    found = matches(res, "placeholder")
    assert any("XX" in m for m in found)
    assert res.passed is False  # a leftover placeholder is a defect in any document


def test_unrecognised_text_without_error_findings_is_not_judged():
    res = check("v17-speech.txt")
    assert not res.recognised and res.passed is None
    assert all(f.level != "error" for f in res.findings)


def test_plain_report_lists_findings_of_an_unrecognised_text():
    import io

    from djcheck.report import plain

    res = check("v18-notice.txt")
    out = io.StringIO()
    plain.write([res], out)
    text = out.getvalue()
    assert "未识别为支持的报告类型" in text and "placeholder" in text and "不通过" in text


# -- genre ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(n for n, lab in LABELS.items() if "genre" in lab))
def test_genre_of_each_variant(name):
    want = LABELS[name]["genre"]
    res = check(name)
    assert res.profile_reason  # every decision keeps its reason
    if want is None:
        assert not res.recognised, res.profile_reason
    elif want == "any":
        assert res.recognised, res.profile_reason
    else:
        assert res.recognised and res.profile == want, res.profile_reason


def test_wrapped_title_is_matched_whole():
    from djcheck.document import Document, title_lines, title_zone

    doc = Document.from_text("县财政局领导班子2025年度民主生活会对照检\n查材料\n根据县委要求，现将对照检查情况报告如下。\n")
    assert "县财政局领导班子2025年度民主生活会对照检查材料" in title_zone(title_lines(doc))


def test_title_run_into_first_heading_is_a_title():
    from djcheck.document import Document, title_lines

    doc = Document.from_text("市水利局党组2025年度党风廉政建设工作总结一、主要做法，全年召开专题会议6次。\n")
    assert title_lines(doc) == ["市水利局党组2025年度党风廉政建设工作总结"]


def test_duizhao_jiancha_as_a_verb_is_not_the_genre_name():
    res = check("v19-duizhao-verb.txt")
    assert res.profile == "zhuti-zeren"
    assert "对照检查" not in res.profile_reason.split("；")[0]


# -- parts wherever they stand ----------------------------------------------------------------------
def parts_of(name: str, profile: str | None = None):
    lab = LABELS[name]
    pid = profile or (lab["genre"] if lab.get("genre") not in (None, "any") else "zhuti-zeren")
    doc = djcheck.load_document(VARIANTS / name)
    return doc, find_parts(doc, djcheck.load_pack(pid).parts)


@pytest.mark.parametrize("name", sorted(n for n, lab in LABELS.items() if lab.get("parts")))
def test_parts_of_each_variant(name):
    _, parts = parts_of(name)
    for kind, present in LABELS[name]["parts"].items():
        assert (parts.get(kind) is not None) == present, (kind, [(p.kind, p.line, p.via) for p in parts.parts])


def test_heading_run_into_previous_line_starts_the_problems_part():
    doc, parts = parts_of("v01-heading-run-in.txt")
    problems = parts.get("problems")
    assert doc.text[problems.start:].startswith("二、存在的问题")
    assert "落到实处" not in problems.text(doc)
    assert parts.get("next_steps").start > problems.start


def test_inline_labels_split_problems_from_next_steps():
    doc, parts = parts_of("v03-inline-labels.txt")
    problems, steps = parts.get("problems"), parts.get("next_steps")
    assert problems.via == steps.via == "label"
    assert doc.text[problems.start:].startswith("存在的不足")
    assert doc.text[steps.start:].startswith("下一步打算")
    assert "下一步打算" not in doc.text[problems.start:problems.end]


def test_unknown_heading_that_looks_ahead_ends_the_problems_part():
    from djcheck.document import Document

    text = (
        "区城管局党组2025年落实主体责任情况报告\n现将有关情况报告如下。\n一、主要工作\n全年召开党组会8次。\n"
        "二、存在的问题\n执法记录仪使用不规范，抽查发现5起未全程记录。\n三、2026年重点安排\n由法制科牵头，每季度抽查一次。\n"
    )
    doc = Document.from_text(text)
    parts = find_parts(doc, djcheck.load_pack("zhuti-zeren").parts)
    steps = parts.get("next_steps")
    assert steps is not None and doc.text[steps.start:].startswith("三、2026年重点安排")
    assert "每季度" not in parts.get("problems").text(doc)


def test_unknown_heading_that_names_a_problem_stays_in_the_problems_part():
    from djcheck.document import Document

    text = (
        "问题整改报告\n现将有关情况报告如下。\n一、主要工作\n全年召开党组会8次。\n二、存在的问题\n主要有以下方面。\n"
        "三、对下属单位的监督不够有力\n全年只检查1次。\n"
    )
    doc = Document.from_text(text)
    parts = find_parts(doc, djcheck.load_pack("zhuti-zeren").parts)
    assert parts.get("next_steps") is None
    assert "只检查1次" in parts.get("problems").text(doc)


# -- the report year ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(n for n, lab in LABELS.items() if lab.get("year")))
def test_report_year_of_each_variant(name):
    res = check(name)
    assert res.year == LABELS[name]["year"], res.year_reason
    assert res.year_reason  # the year keeps its reason


def year_of(text: str):
    from djcheck.document import Document
    from djcheck.year import detect_year

    return detect_year(Document.from_text(text))


def test_history_years_in_the_opening_are_not_the_report_year():
    p = year_of("县档案馆工作总结\n本馆成立于1998年，自2012年以来连续获评先进单位，2016年—2019年完成了新馆建设。\n"
                "一、主要工作\n2025年，馆党支部开展廉政谈话12人次，2025年查处问题1起。\n")
    assert p.year == 2025


def test_period_phrase_wins_over_the_date_it_was_given():
    p = year_of("2023年度述责述廉报告\n2024年1月在县纪委全会上报告如下。\n一、履职情况\n全年主持会议6次。\n")
    assert p.year == 2023 and "2023年度" in p.reason


def test_this_year_with_a_dated_signature():
    p = year_of("工作报告\n今年以来，局党组认真履职，现报告如下。\n一、工作\n11月，学习党的二十届四中全会精神。\n"
                "县水利局党组\n2025年11月28日\n")
    assert p.year == 2025 and "落款" in p.reason


def test_plans_and_deadlines_do_not_date_the_report():
    p = year_of("工作报告\n现将有关情况报告如下。\n一、工作\n2024年召开会议3次，2024年开展培训2次。\n"
                "二、下一步打算\n2025年将开展专项检查，计划2025年完成；2025年6月底前完成整改。\n")
    assert p.year == 2024


def test_planned_campaign_in_next_steps_is_not_flagged():
    res = check("v24-year-plans.txt")
    assert res.year == 2024
    assert not matches(res, "outdated-term-event")


# -- doubled words ----------------------------------------------------------------------------------
def test_doubled_words_across_place_and_number_boundaries_are_names():
    res = check("v25-doubled.txt")
    assert matches(res, "doubled-word") == ["为为"]  # 4市市委书记, 各区区委, 服务站站长 are names; 列为为 is doubled


@pytest.mark.parametrize(
    "text, found",
    [
        ("县里把这项工作列为为重点任务。", ["为为"]),
        ("认真学习的的文件精神。", ["的的"]),
        ("全市12个县县委书记参加了培训。", []),
        ("派出所所长和司法所所长列席会议。", []),
        ("编制“十五五”规划，落实“十四五”任务。", []),
        ("区区委书记带队开展检查。", ["区区委书记"]),
        ("我们要进一步步完善制度，步步为营。", ["步步"]),
        ("两区区长和3镇镇长参加会议。", []),
    ],
)
def test_doubled_word_decisions(text, found):
    from djcheck.document import Document
    from djcheck.engine import check_document

    pack = djcheck.load_pack("common")
    res = check_document(Document.from_text(text), pack)
    assert [f.match for f in res.findings if f.rule == "doubled-word"] == found


# -- collocations and voice -----------------------------------------------------------------------------
def test_slogan_flagged_only_where_the_verb_governs_it():
    res = check("v27-slogans.txt")
    assert matches(res, "term-slogans") == ["增强“两个维护”"]  # 增强“两个维护”的政治自觉 is the official wording


def test_banzi_material_is_not_asked_for_first_person_but_personal_material_is():
    banzi = {i.id: i for i in check("v28-banzi-voice.txt").checklist}
    personal = {i.id: i for i in check("v29-personal-no-first-person.txt").checklist}
    assert banzi["first-person"].status == "ok" and "班子" in banzi["first-person"].message
    assert personal["first-person"].status == "weak"


def test_dangwei_xuncha_is_a_function_not_the_author_name():
    res = check("v30-author-dangwei-xuncha.txt")
    assert not matches(res, "author-name")
    item = next(i for i in Session().check(VARIANTS / "v30-author-dangwei-xuncha.txt").checklist if i.id == "author-name")
    assert item.status == "ok"


def test_author_name_still_catches_a_real_mix():
    from djcheck.document import Document
    from djcheck.engine import check_document

    doc = Document.from_text("局党组召开会议12次，局党组书记讲党课。全年召开党委会28次，抓好党委巡察反馈问题整改。")
    res = check_document(doc, djcheck.load_pack("common"))
    assert [f.match for f in res.findings if f.rule == "author-name"] == ["党委"]
    item = next(i for i in res.checklist if i.id == "author-name")
    assert "党组设在政府部门" not in item.advice  # the old advice was factually wrong


# -- placeholders ------------------------------------------------------------------------------------
def test_placeholder_forms_are_reported_and_anonymised_names_are_not():
    res = check("v20-placeholders.txt")
    found = matches(res, "placeholder")
    text = (VARIANTS / "v20-placeholders.txt").read_text(encoding="utf-8")
    for slot in LABELS["v20-placeholders.txt"]["expect"]["placeholder"]:
        at = text.index(slot)
        assert any(f.start < at + len(slot) and at < f.end for f in res.findings if f.rule == "placeholder"), slot
    assert not any("某" in m for m in found)  # 某县 … 张某某 is anonymisation in a case


def test_markdown_link_is_not_a_bracketed_slot():
    from djcheck.document import Document
    from djcheck.engine import check_document

    doc = Document.from_text("详见[具体办法](https://example.org/a)。", kind="md")
    res = check_document(doc, djcheck.load_pack("common"))
    assert not [f for f in res.findings if f.rule == "placeholder"]


# -- four forms ----------------------------------------------------------------------------------------
def test_forms_named_one_by_one_are_a_mention_with_per_form_figures():
    res = check("v26-four-forms-ordinal.txt")
    item = next(i for i in res.checklist if i.id == "four-forms")
    assert item.status == "ok"
    assert "共184人次" in item.message and "第四种形态6人次" in item.message
    assert not matches(res, "four-forms-sum")


def test_a_total_after_the_forms_that_does_not_add_up_is_reported(tmp_path):
    text = (VARIANTS / "v26-four-forms-ordinal.txt").read_text(encoding="utf-8").replace("合计184人次", "合计190人次")
    p = tmp_path / "draft.txt"
    p.write_text(text, encoding="utf-8")
    res = Session().check(p)
    assert [f.match for f in res.findings if f.rule == "four-forms-sum"]


# -- one defect, one penalty --------------------------------------------------------------------------
def test_a_thin_problems_part_is_one_item_with_the_others_noted_under_it(tmp_path):
    text = (
        "区人社局党组2025年落实主体责任情况报告\n现将有关情况报告如下。\n一、主要工作\n"
        + "局党组召开会议研究党风廉政建设12次，开展廉政谈话80人次，查处违纪问题3起，完成内部巡察4个。" * 6
        + "\n二、存在的问题\n工作中还存在一些差距和不足。\n三、下一步打算\n"
        "（一）由机关党委牵头，2026年6月底前完成专项检查。\n（二）由纪检组负责，每季度开展一次谈话。\n"
    )
    p = tmp_path / "thin.txt"
    p.write_text(text, encoding="utf-8")
    res = Session(profile="zhuti-zeren").check(p)
    items = {i.id: i for i in res.checklist}
    assert items["problems"].status == "weak"
    assert "problems-specific" not in items and "problems-weight" not in items
    assert any(e.startswith("同一原因还导致") for e in items["problems"].evidence)


def test_a_problems_part_with_several_items_keeps_each_penalty():
    res = check("v01-heading-run-in.txt")
    items = {i.id for i in res.checklist}
    assert {"problems-specific", "problem-measure-match", "problems-weight"} <= items


def test_a_document_issued_in_a_year_is_history():
    p = year_of("述责述廉工作解读\n为落实该项要求，2005年中央办公厅印发《关于述职述廉的规定》。2025年，局党组组织述责述廉。\n")
    assert p.year == 2025


def test_problems_lead_in_early_in_a_text_without_next_steps():
    from djcheck.document import Document

    text = (
        "县供销社党委2025年工作情况报告\n现将有关情况报告如下。\n"
        "全年召开党委会研究党风廉政建设9次。但工作中仍存在不少问题，主要是基层社财务监管薄弱，2个基层社账实不符。\n"
        + "全年组织党员学习32次，开展廉政谈话44人次，查处问题2起，完成3个基层社的财务审计。" * 4
        + "\n"
    )
    doc = Document.from_text(text)
    parts = find_parts(doc, djcheck.load_pack("zhuti-zeren").parts)
    problems = parts.get("problems")
    assert problems is not None and problems.via == "lead-in" and problems.line == 3


@pytest.mark.parametrize("fmt", ["github", "html", "json"])
def test_every_format_lists_findings_of_an_unrecognised_text(fmt):
    import io
    import json

    from djcheck.report import github, html, json_report

    res = check("v18-notice.txt")
    out = io.StringIO()
    {"github": github, "html": html, "json": json_report}[fmt].write([res], out)
    text = out.getvalue()
    if fmt == "json":
        data = json.loads(text)
        files = data["files"] if isinstance(data, dict) and "files" in data else data
        assert any(f["rule"] == "placeholder" for f in files[0]["findings"])
    else:
        assert "placeholder" in text and "未识别" in text


def test_exit_code_of_an_unrecognised_text_follows_its_error_findings():
    from typer.testing import CliRunner

    from djcheck.cli import app

    runner = CliRunner()
    notice = runner.invoke(app, ["check", str(VARIANTS / "v18-notice.txt"), "--format", "plain"])
    speech = runner.invoke(app, ["check", str(VARIANTS / "v17-speech.txt"), "--format", "plain"])
    assert notice.exit_code == 1  # a leftover placeholder fails any document
    assert speech.exit_code == 0  # not recognised, nothing at error level: not judged


def test_plain_output_keeps_the_year_and_its_reason():
    import io

    from djcheck.report import plain

    out = io.StringIO()
    plain.write([check("v21-year-niandu.txt")], out)
    assert "info year 报告年份：2024（开头写明“2024年度”）" in out.getvalue()
