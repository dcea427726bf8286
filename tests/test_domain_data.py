"""Domain data current to December 2026 (issue 15): word lists, events, regulation titles, yearly
themes, genre requirements and an office's own data files, on sentences written for these tests."""

from __future__ import annotations

import textwrap

import pytest
import yaml
from typer.testing import CliRunner

import djcheck
from djcheck import Document, check_document, load_pack
from djcheck.cli import app
from djcheck.fix import fixable
from djcheck.paths import bundled_dir
from djcheck.year import detect_year, load_events

COMMON = load_pack("common")
TERMS = bundled_dir() / "terms"


def found(text, rule, *, year=None, pack=COMMON):
    res = check_document(Document.from_text(text), pack, year=year)
    return [f for f in res.findings if f.rule == rule]


def matches(text, rule, **kw):
    return [f.match for f in found(text, rule, **kw)]


def item(text, rule, pack_id="common", year=None):
    res = check_document(Document.from_text(text), load_pack(pack_id), year=year)
    return next((i for i in res.checklist if i.id == rule), None)


# -- every entry has a source and a date ---------------------------------------------
@pytest.mark.parametrize("name", ["typos.yaml", "standard-terms.yaml", "outdated.yaml"])
def test_every_word_list_entry_has_a_source_and_a_date(name):
    entries = yaml.safe_load((TERMS / name).read_text(encoding="utf-8"))["entries"]
    for e in entries:
        label = e.get("wrong") or e.get("pattern")
        assert e.get("source"), label
        assert e.get("since") or e.get("valid_from") or e.get("valid_until"), label


def test_dated_entries_say_since_when_and_why():
    entries = yaml.safe_load((TERMS / "outdated.yaml").read_text(encoding="utf-8"))["entries"]
    for e in entries:
        said = e.get("note", "") + e.get("message", "")
        assert e.get("valid_from") and "年" in said, e.get("wrong") or e.get("pattern")


def test_every_meeting_campaign_regulation_and_theme_has_a_source():
    events = yaml.safe_load((TERMS / "events.yaml").read_text(encoding="utf-8"))
    for key in ("congresses", "central_plenums", "ccdi_plenums", "campaigns"):
        assert all(x.get("source") for x in events[key]), key
    regs = yaml.safe_load((TERMS / "regulations.yaml").read_text(encoding="utf-8"))["regulations"]
    assert all(r["source"] and all(v["source"] for v in r.get("versions", [])) for r in regs)
    themes = yaml.safe_load((TERMS / "themes.yaml").read_text(encoding="utf-8"))["themes"]
    assert {t["year"] for t in themes} >= {2024, 2025}
    assert all(t["source"] and all(e["source"] for e in t["required"]) for t in themes)


def test_new_meetings_and_campaigns_are_in_the_data():
    data = load_events()
    assert str(data.ccdi[("二十", 5)]) == "2026-01-12"
    assert str(data.ccdi[("十八", 6)]).startswith("2016-01")
    assert str(data.ccdi[("十八", 4)]) == "2014-10-25"
    names = {c[0]: (str(c[2]), str(c[3])) for c in data.campaigns}
    assert names["树立和践行正确政绩观学习教育"] == ("2026-02-01", "2026-07-31")


# -- corrected entries ------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "全体干部一刻不放松驰而不息纠治“四风”。",
        "班子成员在廉洁自律上做出表率，为项目落地做出了艰苦努力。",
        "做到不敢、不能、不想以权谋私。",
        "建设“一带一路”战略支点港口，与“一带一路”战略对接。",
        "增强拒腐防变和抵御风险能力，常态化开展扫黑除恶斗争。",
        "深入学习习近平总书记关于党的自我革命的重要思想，给予党纪政务处分2人。",
        "团结在以习近平同志为核心的党中央周围，踏石留印、抓铁有痕。",
        "他克己奉公，严于律己。",
    ],
)
def test_correct_text_is_left_alone(text):
    res = check_document(Document.from_text("2026年，" + text), COMMON)
    wording = [f for f in res.findings if f.rule.startswith(("typo", "term", "outdated"))]
    assert wording == [], [(f.rule, f.match) for f in wording]


@pytest.mark.parametrize(
    "text, rule, match, suggestion",
    [
        ("取得的成绩不斐。", "typo-words", "不斐", "不菲"),
        ("纪律松驰，作风漂浮。", "typo-words", "松驰", "松弛"),
        ("监督缺位，致便个别干部顶风违纪。", "typo-words", "致便", "致使"),
        ("各股室负责人切实陆行监管职责。", "typo-words", "陆行", "履行"),
        ("今年来，局党组开展谈话20人次。", "typo-words", "今年来", "今年以来"),
        ("切实增强防腐拒变能力。", "term-standard", "防腐拒变", "拒腐防变"),
        ("始终以习近平新时代中国特色社会主义思想指导，推动各项工作。", "term-standard",
         "以习近平新时代中国特色社会主义思想指导", "以习近平新时代中国特色社会主义思想为指导"),
        ("传达学习中纪委全会精神。", "term-standard", "中纪委", "中央纪委"),
        ("学好用好习近平关于党的自我革命的重要思想。", "term-standard",
         "习近平关于党的自我革命的重要思想", "习近平总书记关于党的自我革命的重要思想"),
    ],
)
def test_errors_seen_in_drafts_are_caught(text, rule, match, suggestion):
    got = found(text, rule)
    assert [(f.match, f.suggestion) for f in got] == [(match, suggestion)]


def test_meaning_dependent_entries_are_suggestions_only():
    text = "成绩不斐，思想会地，今年来，一体推进不敢、不能、不想。传达中纪委精神，推进“一带一路”战略。"
    res = check_document(Document.from_text(text), COMMON)
    flagged = {f.match for f in res.findings}
    assert {"不斐", "思想会地", "今年来", "不敢、不能、不想", "中纪委", "“一带一路”战略"} <= flagged
    assert fixable(res.findings) == []
    assert "克律己" not in str([f.suggestion for f in found("坚持克律已奉公", "typo-words")])


# -- renamed and retired formulations -------------------------------------------------------
@pytest.mark.parametrize(
    "sentence, match, right",
    [
        ("2024年，给予3名干部政纪处分。", "政纪处分", "政务处分"),
        ("2025年，给予3名干部党纪、政纪处分。", "党纪、政纪处分", "党纪政务处分"),
        ("2025年，给予行政警告1人、行政记大过1人。", "行政警告", "政务警告"),
        ("2023年，深入推进扫黑除恶专项斗争。", "扫黑除恶专项斗争", "常态化扫黑除恶斗争"),
        ("2024年，局机关全面推进打黑除恶工作。", "打黑除恶", "扫黑除恶"),
        ("2024年，班子成员在年终述职述廉。", "述职述廉", "述责述廉"),
    ],
)
def test_renamed_formulations_are_flagged_after_the_change(sentence, match, right):
    got = found(sentence, "outdated-term")
    assert got and got[0].match == match and got[0].suggestion == right
    assert not got[0].fixable
    assert "年" in got[0].message  # says since when


def test_covid_prevention_is_no_current_task_after_2023_01_08():
    got = found("2024年，统筹做好新型冠状病毒感染疫情防控和项目建设。", "outdated-term")
    assert [f.match for f in got] == ["疫情防控"] and "2023年1月8日" in got[0].message
    for fine in (
        "2022年下半年，统筹做好新冠肺炎疫情防控和项目建设。",  # before the change
        "2024年，总结新冠疫情防控期间党员下沉社区的做法。",  # told as past
        "2024年，做好非洲猪瘟等动物疫情防控。",  # another epidemic
    ):
        assert found(fine, "outdated-term") == [], fine


@pytest.mark.parametrize(
    "text",
    [
        "2024年，回顾全县在2006年打黑除恶专项斗争中的做法，编写廉政教材。",
        "2016年，给予2人党纪政纪处分、行政警告1人。",
        "2024年，巩固扫黑除恶专项斗争成果，常态化开展扫黑除恶斗争。",
        "2025年，整理2019年扫黑除恶专项斗争期间的档案。",
        "2015年，班子成员述职述廉。",
    ],
)
def test_historical_mentions_are_not_flagged(text):
    assert found(text, "outdated-term") == []


def test_fix_never_rewrites_a_historical_or_dated_mention(tmp_path):
    draft = tmp_path / "2024.txt"
    draft.write_text(
        "2024年工作总结\n2024年，回顾全县在2006年打黑除恶专项斗争中的做法，深入推进扫黑除恶专项斗争，给予2人政纪处分。\n",
        encoding="utf-8",
    )
    before = draft.read_bytes()
    out = CliRunner().invoke(app, ["check", str(draft), "--fix", "--profile", "zhuti-zeren"])
    assert out.exit_code in (0, 1)
    assert draft.read_bytes() == before  # nothing dated is fixable; nothing else needed fixing


# -- events and dates -----------------------------------------------------------------------
def test_a_plan_in_next_steps_is_not_a_past_event():
    text = textwrap.dedent(
        """\
        局党组落实主体责任工作报告
        今年以来，局党组认真履行主体责任，2025年召开党组会议12次。
        一、工作情况
        2025年，局党组深入开展深入贯彻中央八项规定精神学习教育，整改问题6个。
        二、存在的问题
        2025年学习教育成果巩固不够。
        三、下一步打算
        明年将全力推进树立和践行正确政绩观学习教育，扎实开展学习教育“回头看”。
        """
    )
    doc = Document.from_text(text)
    assert detect_year(doc).year == 2025  # the planned 2026 campaign does not date the report
    assert found(text, "outdated-term-event") == []


def test_a_campaign_listed_under_the_plans_heading_is_a_plan_too():
    text = (
        "局党组落实主体责任工作报告\n今年以来，局党组认真履行主体责任。\n一、工作情况\n"
        "2025年，局党组召开会议12次，整改问题6个。\n二、存在的问题\n学习教育成果巩固不够，整改不深。\n"
        "三、下一步工作打算\n（一）深入开展树立和践行正确政绩观学习教育。\n"
    )
    assert detect_year(Document.from_text(text)).year == 2025
    assert found(text, "outdated-term-event", pack=load_pack("zhuti-zeren")) == []


def test_a_campaign_begun_while_the_annual_report_was_written_is_not_flagged():
    text = "2025年度工作总结\n2025年，局党组召开会议12次。目前，局党组正扎实开展树立和践行正确政绩观学习教育。"
    assert found(text, "outdated-term-event") == []
    half = "2025年上半年工作总结\n2025年上半年，局党组扎实开展树立和践行正确政绩观学习教育。"
    assert matches(half, "outdated-term-event") == ["树立和践行正确政绩观学习教育"]


def test_a_campaign_under_way_out_of_its_years_is_still_flagged():
    assert matches("2025年，局党组全面开展党纪学习教育。", "outdated-term-event") == ["党纪学习教育"]
    assert found("2026年，局党组扎实开展树立和践行正确政绩观学习教育。", "outdated-term-event") == []


def test_an_autumn_plenum_in_an_annual_report_does_not_move_its_year():
    text = (
        "局党组全年工作总结\n今年以来，局党组统筹推进各项工作，2025年全年召开党组会议14次。\n"
        "11月，专题学习党的二十届四中全会精神。2025年7月底，深入贯彻中央八项规定精神学习教育基本结束。\n"
    )
    period = detect_year(Document.from_text(text))
    assert period.year == 2025
    assert found(text, "outdated-term-event") == []


def test_eighteenth_ccdi_plenums_are_dated_from_the_data():
    text = "2016年上半年工作情况\n2016年上半年，认真学习十八届中央纪委六次全会精神。"
    assert found(text, "outdated-term-event") == []
    late = "2015年上半年工作总结\n2015年上半年，认真学习十八届中央纪委六次全会精神。"
    assert matches(late, "outdated-term-event") == ["十八届中央纪委六次全会"]


def test_the_campaign_of_the_year_is_asked_for_at_info_level():
    got = item("2026年，局党组召开党组会议12次，开展廉政谈话30人次。", "term-campaign-of-year")
    assert got.status == "weak" and "正确政绩观" in got.message and got.level == "info"
    assert item("2026年，扎实开展正确政绩观学习教育。", "term-campaign-of-year").status == "ok"
    assert item("2022年，召开党组会议12次。", "term-campaign-of-year") is None  # no campaign began in 2022


# -- regulations ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "title, official",
    [
        ("党委落实全面从严治党主体责任规定", "党委（党组）落实全面从严治党主体责任规定"),
        ("党组落实全面从严治党主体责任规定", "党委（党组）落实全面从严治党主体责任规定"),
        ("新形势下党内政治生活若干准则", "关于新形势下党内政治生活的若干准则"),
        ("关于新形势下党内政治生活若干准则", "关于新形势下党内政治生活的若干准则"),
    ],
)
def test_wrong_regulation_titles_get_the_official_one(title, official):
    got = found(f"局党组认真学习《{title}》。", "term-regulation-titles")
    assert [(f.match, f.suggestion, f.fixable) for f in got] == [(title, official, True)]


def test_short_titles_are_suggested_only_before_the_full_title_is_given():
    got = found("对照《党内监督条例》查找差距。", "term-regulation-titles")
    assert [(f.match, f.level, f.fixable) for f in got] == [("党内监督条例", "info", False)]
    full_first = "学习《中国共产党党内监督条例》（以下简称《党内监督条例》），对照《党内监督条例》查找差距。"
    assert found(full_first, "term-regulation-titles") == []
    assert found("学习《中国共产党纪律处分条例》《关于新形势下党内政治生活的若干准则》。", "term-regulation-titles") == []


@pytest.mark.parametrize(
    "text",
    [
        "2025年，组织党员干部逐章学习《中国共产党纪律处分条例》（2018年修订）。",
        "2024年，认真贯彻2018年修订的《中国共产党纪律处分条例》。",
        "2025年，严格按照《中国共产党巡视工作条例》（2017年修订）开展巡察。",
        "2026年，宣讲《中华人民共和国监察法》（2018年版）。",
        "2024年，组织学习《中国共产党党员领导干部廉洁从政若干准则》。",
    ],
)
def test_a_superseded_version_presented_as_current_is_flagged(text):
    got = found(text, "term-regulation-titles")
    assert len(got) == 1 and ("取代" in got[0].message)


@pytest.mark.parametrize(
    "text",
    [
        "2023年，组织学习《中国共产党纪律处分条例》（2018年修订）。",  # still in force in 2023
        "2025年，依照《中国共产党纪律处分条例》（2018年修订）第八十五条，对其2022年的违纪行为给予党内警告处分。",
        "2025年，组织党员干部逐章学习新修订的《中国共产党纪律处分条例》。",
        "2026年，严格执行《中国共产党巡视工作条例》。",
    ],
)
def test_current_versions_and_case_citations_are_not_flagged(text):
    assert found(text, "term-regulation-titles") == []


def test_a_version_later_than_the_report_is_flagged():
    got = found("2022年上半年，组织学习《中国共产党纪律处分条例》（2023年修订）。", "term-regulation-titles")
    assert len(got) == 1 and "晚于本报告" in got[0].message


def test_work_plans_named_in_a_past_sentence_do_not_make_it_a_plan():
    text = "2025年，按照党建工作要点，局党组全面开展党纪学习教育。"
    assert matches(text, "outdated-term-event") == ["党纪学习教育"]


def test_version_check_needs_the_report_year():
    text = "组织学习《中国共产党纪律处分条例》（2018年修订）。"
    assert found(text, "term-regulation-titles") == []
    assert len(found(text, "term-regulation-titles", year=2025)) == 1


# -- yearly themes of the 民主生活会 --------------------------------------------------------
PERSONAL_2025 = textwrap.dedent(
    """\
    县林业局副局长2025年度民主生活会个人对照检查材料
    会前，本人征求意见建议7条。
    一、存在的问题
    本人在落实中央八项规定精神方面要求不严，2025年5月分管单位一次接待超标，我签批时没有把关。
    二、原因剖析
    本人理想信念有所松懈，宗旨意识淡化。
    三、整改措施
    本人2026年3月底前牵头修订接待管理办法。
    """
)


def test_a_2025_material_is_checked_for_its_years_required_parts():
    got = item(PERSONAL_2025, "yearly-theme", "duizhao-jiancha")
    assert got.status == "weak"
    assert "学习教育整改落实情况" in got.message and "典型案例剖析" in got.message
    complete = PERSONAL_2025.replace(
        "会前，本人征求意见建议7条。",
        "会前，本人征求意见建议7条。深入贯彻中央八项规定精神学习教育中本人查摆的2个问题，整改已全部完成。"
        "本人对照县纪委通报的典型案例深入剖析。",
    )
    assert item(complete, "yearly-theme", "duizhao-jiancha").status == "ok"


def test_a_2024_team_material_needs_the_four_leads_cases_and_opinions():
    team = textwrap.dedent(
        """\
        县林业局领导班子2024年度民主生活会对照检查材料
        一、存在的问题
        班子理论学习不深，对基层站所督导不够经常。
        """
    )
    got = item(team, "yearly-theme", "duizhao-jiancha")
    assert got.status == "weak"
    for part in ("四个带头", "典型案例剖析", "征求意见情况"):
        assert part in got.message
    # the 班子 speaks as the 班子: first person is not asked of its material
    voice = item(team, "first-person", "duizhao-jiancha")
    assert voice.status == "ok" and "班子材料" in voice.message


def test_no_theme_check_without_data_for_the_year_or_outside_the_genre():
    old = PERSONAL_2025.replace("2025年度", "2019年度")
    assert item(old, "yearly-theme", "duizhao-jiancha") is None


# -- genre requirements (domain-2026 §6) ------------------------------------------------------
def test_zhuti_zeren_requires_first_responsible_one_post_two_duties_and_the_areas():
    thin = "2025年，局党组召开会议12次，严格执行中央八项规定精神。"
    pack = "zhuti-zeren"
    assert item(thin, "first-responsible", pack).status != "ok"
    assert item(thin, "yigang-shuangze", pack).status != "ok"
    areas = item(thin, "regulation-areas", pack)
    assert areas.status == "weak" and "政治建设" in areas.message and "作风建设" not in areas.message
    assert item(thin, "rectification", pack).status == "weak"


def test_jiandu_zeren_requires_political_supervision_and_petition_figures():
    words_only = "2025年，纪检监察组认真受理信访举报，及时处置问题线索，开展日常监督。"
    assert item(words_only, "political-supervision", "jiandu-zeren").status != "ok"
    assert item(words_only, "petitions", "jiandu-zeren").status == "weak"
    figures = "2025年，纪检监察组聚焦政治监督，受理信访举报23件，处置问题线索17件。"
    assert item(figures, "political-supervision", "jiandu-zeren").status == "ok"
    assert item(figures, "petitions", "jiandu-zeren").status == "ok"


def test_zhengzhi_shengtai_requires_an_overall_judgement_and_the_leaders():
    vague = "2025年上半年，局党组对全局干部思想状况进行了梳理。"
    assert item(vague, "overall-judgement", "zhengzhi-shengtai").status == "weak"
    assert item(vague, "leaders", "zhengzhi-shengtai").status == "weak"
    clear = "综合研判，本局政治生态总体向好。局“一把手”带头执行民主集中制，领导班子团结。"
    assert item(clear, "overall-judgement", "zhengzhi-shengtai").status == "ok"
    assert item(clear, "leaders", "zhengzhi-shengtai").status == "ok"


def test_shuze_shulian_requires_the_integrity_code_and_family():
    text = "2025年，我严格执行中央八项规定精神，全年因公出差9次。"
    assert item(text, "integrity-code", "shuze-shulian").status != "ok"
    assert item(text, "family", "shuze-shulian").status == "weak"
    text2 = "我对照《中国共产党廉洁自律准则》严守廉洁纪律，管好配偶子女和身边工作人员。"
    assert item(text2, "integrity-code", "shuze-shulian").status == "ok"
    assert item(text2, "family", "shuze-shulian").status == "ok"


# -- an office's own data, without code ------------------------------------------------------
def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_an_office_adds_a_years_events_themes_titles_and_terms(tmp_path):
    rules = tmp_path / "规则"  # packs here; their data files in a subfolder (every .yaml here is a pack)
    _write(
        rules / "数据" / "本单位会议.yaml",
        """\
        campaigns:
          - name: 全市作风建设提升年活动
            pattern: 作风建设提升年活动
            from: 2027-03
            until: 2027-11
            source: 市委办公室2027年2月通知
        """,
    )
    _write(
        rules / "数据" / "本单位主题.yaml",
        """\
        themes:
          - year: 2026
            theme: 树立和践行正确政绩观（假设的主题，供测试）
            source: 县委2026年12月通知
            required:
              - name: 政绩观
                patterns: [政绩观]
                source: 县委2026年12月通知
        """,
    )
    _write(
        rules / "数据" / "本单位法规.yaml",
        """\
        regulations:
          - title: 某市党员干部作风建设若干规定
            wrong: [某市作风建设若干规定]
            source: 市委2027年1号文件
            examples:
              fail: [学习《某市作风建设若干规定》]
              pass: [学习《某市党员干部作风建设若干规定》]
        """,
    )
    _write(
        rules / "数据" / "本单位词表.yaml",
        """\
        entries:
          - wrong: 河长治
            right: 河长制
            since: 2016-12
            source: 中办、国办《关于全面推行河长制的意见》（2016-12）
            examples: {fail: [全面落实河长治], pass: [全面落实河长制]}
        """,
    )
    _write(
        rules / "ben-danwei-data.yaml",
        """\
        id: ben-danwei-data
        title: 本单位补充的数据
        rules:
          - id: bendanwei-terms
            kind: terms
            title: 本单位易错词
            level: warning
            weight: 2
            source: 本单位公文写作规范
            options: {files: [数据/本单位词表.yaml]}
            examples: {fail: [全面落实河长治], pass: [全面落实河长制]}
          - id: bendanwei-titles
            kind: regulations
            title: 本单位法规名称
            level: warning
            weight: 2
            source: 市委文件
            options: {files: [数据/本单位法规.yaml]}
            examples: {fail: [学习《某市作风建设若干规定》], pass: [学习《某市党员干部作风建设若干规定》]}
          - id: bendanwei-events
            kind: events
            title: 本单位的学习教育活动
            level: warning
            weight: 2
            source: 市委通知
            options: {files: [数据/本单位会议.yaml]}
            examples:
              fail: ["2028年，深入开展作风建设提升年活动。"]
              pass: ["2027年，深入开展作风建设提升年活动。"]
          - id: bendanwei-themes
            kind: yearly-theme
            title: 本单位民主生活会主题
            level: warning
            weight: 5
            source: 县委通知
            options: {files: [数据/本单位主题.yaml]}
            examples:
              fail: ["2026年度民主生活会个人对照检查材料\\n本人查摆问题3个。"]
              pass: ["2026年度民主生活会个人对照检查材料\\n本人在政绩观上有偏差。"]
        """,
    )
    _write(tmp_path / ".djcheck.yaml", "rules_paths: [规则]\nextends: [ben-danwei-data]\n")
    out = CliRunner().invoke(app, ["rules", "test", str(rules)], catch_exceptions=False)
    assert out.exit_code == 0, out.stdout
    assert "全部通过" in out.stdout

    draft = _write(
        tmp_path / "草稿.txt",
        """\
        关于落实全面从严治党主体责任情况的报告
        局党组认真履行主体责任，现将有关情况报告如下。
        一、工作情况
        全面落实河长治，学习《某市作风建设若干规定》，深入开展作风建设提升年活动。
        """,
    )
    res = djcheck.check_file(draft)
    got = {(f.rule, f.match) for f in res.findings}
    assert ("bendanwei-terms", "河长治") in got
    assert ("bendanwei-titles", "某市作风建设若干规定") in got
    # the office's campaign dates the report (2027) and is then under way, not flagged
    assert res.year == 2027 and "作风建设提升年活动" in res.year_reason
    assert not any(f.rule == "bendanwei-events" for f in res.findings)


def test_the_office_guide_is_followed_literally(tmp_path, monkeypatch):
    """docs/domain-data.md: every ``file=`` block written out, ``djcheck rules test 规则/`` passes,
    and a draft using the new data is checked with it."""
    import re

    from conftest import ROOT

    guide = (ROOT / "docs" / "domain-data.md").read_text(encoding="utf-8")
    fence = re.compile(r"^```(\w+)(?: file=(\S+))?\n(.*?)^```", re.MULTILINE | re.DOTALL)
    files = [(name, body) for _lang, name, body in fence.findall(guide) if name]
    assert {n for n, _ in files} == {
        ".djcheck.yaml", "规则/ben-danwei-data.yaml", "规则/数据/本单位词表.yaml",
        "规则/数据/本单位会议.yaml", "规则/数据/本单位法规.yaml", "规则/数据/本单位主题.yaml",
    }
    for name, body in files:
        _write(tmp_path / name, body)
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(app, ["rules", "test", "规则/"])
    assert out.exit_code == 0 and "全部通过" in out.stdout, out.stdout + out.stderr
    material = _write(
        tmp_path / "对照检查.txt",
        "县水务局局长2026年度民主生活会个人对照检查材料\n一、存在的问题\n本人调研不深，全面落实河长治不到位。\n",
    )
    res = djcheck.check_file(material)
    assert res.profile == "duizhao-jiancha"
    theme = next(i for i in res.checklist if i.id == "bendanwei-themes")
    assert theme.status == "weak" and "政绩观" in theme.message
    assert any(f.rule == "bendanwei-terms" and f.match == "河长治" for f in res.findings)
