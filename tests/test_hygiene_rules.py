"""Hygiene rules on constructed sentences: what each rule catches and what it must leave alone."""

from __future__ import annotations

import textwrap

import pytest

import djcheck
from djcheck import Document, check_document, load_pack
from djcheck.errors import RuleError

COMMON = load_pack("common")


def found(text, rule, *, kind="txt", year=None, pack=COMMON):
    res = check_document(Document.from_text(text, kind=kind), pack, year=year)
    return [f for f in res.findings if f.rule == rule]


def matches(text, rule, **kw):
    return [f.match for f in found(text, rule, **kw)]


# -- placeholders --------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("由某某同志负责，对某某单位开展检查", ["某某", "某某"]),
        ("对王某某单位开展检查", ["某某"]),  # a surname before 某某, but followed by a unit: a template slot
        ("县交通局原局长李某某违规收受礼金，张某某受到警告处分", []),
        ("查处某县水利站站长张某、某单位会计王某挪用公款问题", []),
        (
            "开展谈话XX次，处理x人次，责任人××同志，【具体举措】，202_年，（待补充）",
            ["XX", "x", "××", "【具体举措】", "202_", "（待补充）"],
        ),
    ],
)
def test_placeholders_and_anonymisation(text, expected):
    assert matches(text, "placeholder") == expected


def test_markdown_bold_and_bullets_are_not_placeholders():
    md = "# 报告\n**一、工作情况**\n* 召开会议**次\n- 处理*人，开展*次\n***\n这是 *重点* 内容"
    assert matches(md, "placeholder", kind="md") == ["**", "*", "*"]
    assert len(matches(md, "placeholder", kind="txt")) == 9


# -- doubled words ---------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("全面加强党风廉政建建设，坚决做到做到红线不触", [("建建设", "建设"), ("做到做到", "做到")]),
        ("把签订责任书当作落实落实主体责任的全部内容", [("落实落实", "落实")]),
        ("区区委书记带队检查", [("区区委书记", "区委书记")]),
        ("牢牢把握，紧紧围绕，层层压实，人人参与，常常提醒", []),
        ("原原本本学习，老老实实做人，干干净净做事，端端正正做人", []),
        ("跟进学习习近平总书记讲话，实施作风风气建设，树立管理理念，第一时间组织学习", []),
        ("让红红脸、出出汗成为常态，经常咬咬耳朵、扯扯袖子", []),
        ("认真听取对对方的意见，加强在在职干部中的教育", []),
    ],
)
def test_doubled_words(text, expected):
    got = found(text, "doubled-word")
    assert [(f.match, f.suggestion) for f in got] == expected
    assert all(f.fixable and f.level == "error" for f in got)


def test_allow_list_is_data(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        textwrap.dedent(
            """\
            id: mine
            title: 测试
            extends: [common]
            rules:
              - id: doubled-word
                kind: doubled-word
                title: 重复的字词
                level: error
                options: {allow: [研究研究]}
            """
        ),
        encoding="utf-8",
    )
    text = "我们再研究研究这个问题"
    assert matches(text, "doubled-word") == ["研究研究"]
    assert matches(text, "doubled-word", pack=load_pack(str(pack))) == []


def test_segmentation_only_sees_candidate_neighbourhoods(monkeypatch):
    from djcheck import segment

    seen = []
    real = segment.cut
    monkeypatch.setattr(segment, "cut", lambda text: seen.append(text) or real(text))
    filler = "局党组认真履行全面从严治党主体责任，扎实推进各项工作落实。" * 200
    text = filler + "坚决做到做到红线不触。" + filler
    got = found(text, "doubled-word")
    assert [f.match for f in got] == ["做到做到"]
    assert seen and sum(len(s) for s in seen) <= 2 * 10 + 4
    assert all("做到做到" in s for s in seen)


# -- 易错词 and context pairs -------------------------------------------------------
def test_typos_fixable_and_context_pairs_only_suggested():
    got = found("认真布署工作，开展主体党日活动", "typo-words")
    assert [(f.match, f.suggestion, f.fixable) for f in got] == [
        ("布署", "部署", True),
        ("主体党日", "主题党日", True),
    ]
    got = found("截止2023年6月底发现问题12个，对责任人做出严肃处理，问题急待解决", "typo-words")
    assert [(f.match, f.suggestion) for f in got] == [("截止", "截至"), ("做出", "作出"), ("急待", "亟待")]
    assert not any(f.fixable for f in got) and all("语境" in f.message for f in got)


@pytest.mark.parametrize(
    "text",
    [
        "截至2023年6月底，共发现问题12个",
        "截至目前，已整改到位",
        "报名于6月30日截止。截止日期为6月30日",
        "截止到2023年底，全部完成",
        "制定了《公务接待管理办法》，制订年度学习计划",
        "作出重要部署，做出了一桌饭菜",
        "存在的问题亟待解决",
    ],
)
def test_correct_uses_of_context_pairs_not_flagged(text):
    assert found(text, "typo-words") == []


# -- 规范提法 ----------------------------------------------------------------------
def test_standard_terms():
    text = (
        "团结在以习近平为核心的党中央周围，深入学习习近平思想，增强防腐拒变能力，狠杀“四风”，学习二十大会议精神"
    )
    got = found(text, "term-standard")
    assert [f.suggestion for f in got] == [
        "以习近平同志为核心的党中央",
        "习近平新时代中国特色社会主义思想",
        "拒腐防变",
        "狠刹",
        "党的二十大精神",
    ]
    clean = "团结在以习近平同志为核心的党中央周围，学习习近平法治思想和习近平新时代中国特色社会主义思想，加强学习思想政治理论"
    assert found(clean, "term-standard") == []


def test_slogan_collocations():
    ok = "增强“四个意识”、坚定“四个自信”、做到“两个维护”；树牢“四个意识”，践行“两个维护”，捍卫“两个确立”，牢固树立“四个意识”"
    assert found(ok, "term-slogans") == []
    got = found("坚定“四个意识”、增强“四个自信”、增强“两个维护”", "term-slogans")
    assert [(f.match, f.suggestion) for f in got] == [
        ("坚定“四个意识”", "增强“四个意识”"),
        ("增强“四个自信”", "坚定“四个自信”"),
        ("增强“两个维护”", "做到“两个维护”"),
    ]


# -- dates ---------------------------------------------------------------------
def test_outdated_terms_follow_the_report_date():
    text = "{}，统筹做好新冠肺炎疫情防控，用党的十九大精神武装头脑。"
    assert matches(text.format("2022年上半年"), "outdated-term") == []
    assert (
        matches(text.format("2022年"), "outdated-term") == []
    )  # could have been written before the renaming
    assert matches(text.format("2023年"), "outdated-term") == ["新冠肺炎", "党的十九大精神"]
    assert matches(text.format("今年以来"), "outdated-term") == []  # year unknown: not judged
    # from 2023-01-08 疫情防控 is no longer a current task (乙类乙管): said apart from the renaming
    assert matches(text.format("今年以来"), "outdated-term", year=2024) == ["新冠肺炎", "疫情防控", "党的十九大精神"]


def test_unknown_year_is_said():
    res = check_document(Document.from_text("今年以来，统筹做好新冠肺炎疫情防控。"), COMMON)
    item = next(i for i in res.checklist if i.id == "outdated-term")
    assert res.year is None and item.status == "ok" and "--year" in item.message


def test_meetings_and_campaigns_out_of_their_time():
    got = found(
        "2022年上半年，深入学习贯彻二十届中央纪委三次全会和二十届三中全会精神。", "outdated-term-event"
    )
    assert [f.match for f in got] == ["二十届中央纪委三次全会", "二十届三中全会"]
    assert "2024年1月" in got[0].message and "2024年7月" in got[1].message
    assert found("2024年，深入学习贯彻二十届中央纪委三次全会精神。", "outdated-term-event") == []
    assert found("2022年上半年，以优异成绩迎接党的二十大胜利召开。", "outdated-term-event") == []
    # 2022 annual report written in January 2023 may cite the January 2023 plenum.
    assert found("2022年，学习贯彻二十届中央纪委二次全会精神。", "outdated-term-event") == []
    got = found("2023年，局党组深入开展党史学习教育，扎实开展党纪学习教育。", "outdated-term-event")
    assert [f.match for f in got] == ["党史学习教育", "党纪学习教育"]
    settled = "2023年，推动党史学习教育常态化长效化，巩固拓展“不忘初心、牢记使命”主题教育成果，深入开展学习贯彻习近平新时代中国特色社会主义思想主题教育。"
    assert found(settled, "outdated-term-event") == []


# -- punctuation ---------------------------------------------------------------
def test_punctuation_half_width_quotes_pairs_ellipsis():
    text = '精神,并在基础上(部门)开展学习;问题:整改?严防"四风"反弹，落实”两个责任“，学习《条例，抓好学习...'
    got = found(text, "punctuation")
    assert [(f.match, f.suggestion) for f in got] == [
        (",", "，"),
        ("(部门)", "（部门）"),
        (";", "；"),
        (":", "："),
        ("?", "？"),
        ('"', "“"),
        ('"', "”"),
        ("”两个责任“", None),
        ("《", None),
        ("...", "……"),
    ]
    assert [f.fixable for f in got] == [True] * 7 + [False, False, True]


@pytest.mark.parametrize(
    "text",
    [
        "增长3.5%，上午10:30召开会议，共1,200人参加",
        "网址https://www.12371.cn/a,b;c，邮箱dj@example.com",
        "使用Excel,Word等软件，函数f(x)的值",
        "He said: yes, it works!",
        "落实“两个责任”，学习《条例》（2023年修订）……",
        "代码`a,b`不是中文",
        "详见[共产党员网](https://www.12371.cn)网站",
    ],
)
def test_punctuation_leaves_ascii_contexts_alone(text):
    assert found(text, "punctuation") == []


# -- numbering ---------------------------------------------------------------------
def test_heading_numbering():
    text = "一、工作情况\n内容。\n二、存在的问题\n（一）学习不深\n（二）、监督不严\n（二）考核不严\n四、下一步打算\n1、加强学习\n2.强化监督\n3.严格考核\n五.其他"
    got = found(text, "numbering")
    by_line = {f.line: f for f in got}
    assert "重复" in by_line[6].message  # （二） twice
    assert "不连续" in by_line[7].message and "三、" in by_line[7].message  # 二、→ 四、
    assert by_line[5].suggestion == "（二）"  # （二）、
    assert by_line[8].suggestion == "1." and by_line[11].suggestion == "五、"
    assert set(by_line) == {5, 6, 7, 8, 11}


def test_run_in_enumerators():
    text = "一、工作情况\n一是加强学习。二是强化监督。\n四是严格考核。\n二、存在的问题\n一是学习不深，二是监督不严。一是新的一组。"
    got = found(text, "numbering")
    assert [(f.line, f.match) for f in got] == [(3, "四是")]
    assert "三是" in got[0].message


def test_well_numbered_document_is_clean():
    text = "一、工作情况\n（一）学习\n1.中心组\n（1）计划\n（2）落实\n2.党课\n（二）监督\n二、问题\n（一）学习\n三、打算"
    assert found(text, "numbering") == []


# -- author naming -------------------------------------------------------------------
def test_author_name_consistency():
    text = "局党组召开会议12次，局党组书记讲党课。召开党委会28次，迎接上级党委巡视，机关党委牵头，落实《党委（党组）落实全面从严治党主体责任规定》。"
    got = found(text, "author-name")
    assert [(f.match, f.suggestion) for f in got] == [("党委", "党组")]
    assert got[0].level == "info" and "党委会" in text[got[0].start : got[0].end + 1]


# -- data files ----------------------------------------------------------------------
def test_organisation_extends_term_list(tmp_path):
    (tmp_path / "my-typos.yaml").write_text(
        "entries:\n  - {wrong: 陆行, right: 履行, source: 本单位常见错误}\n", encoding="utf-8"
    )
    (tmp_path / "pack.yaml").write_text(
        textwrap.dedent(
            """\
            id: mine
            title: 测试
            extends: [zhuti-zeren]
            rules:
              - id: typo-words
                options: {files: [terms/typos.yaml, my-typos.yaml]}
            """
        ),
        encoding="utf-8",
    )
    pack = load_pack(str(tmp_path / "pack.yaml"))
    got = found("各支部积极陆行支部党建责任，认真布署", "typo-words", pack=pack)
    assert [f.suggestion for f in got] == ["履行", "部署"]


@pytest.mark.parametrize(
    "entry, line, words",
    [
        ("  - {wrong: 陆行, right: 履行}\n", 3, "source"),
        ("  - {wrong: 陆行, right: 履行, source: x, colour: red}\n", 3, "colour"),
        ("  - {right: 履行, source: x}\n", 3, "wrong"),
        ("  - {pattern: '陆(行', right: 履行, source: x}\n", 3, "正则"),
    ],
)
def test_bad_data_file_names_file_and_line(tmp_path, entry, line, words):
    data = tmp_path / "bad.yaml"
    data.write_text("description: 测试\nentries:\n" + entry, encoding="utf-8")
    (tmp_path / "pack.yaml").write_text(
        "id: mine\ntitle: 测试\nrules:\n  - id: typo-mine\n    kind: terms\n    title: 测试\n    level: warning\n"
        "    options: {files: [bad.yaml]}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as exc:
        load_pack(str(tmp_path / "pack.yaml"))
    assert str(exc.value).startswith(f"{data}:{line}：") and words in str(exc.value)


def test_missing_data_file_is_a_rule_error(tmp_path):
    (tmp_path / "pack.yaml").write_text(
        "id: mine\ntitle: 测试\nrules:\n  - id: typo-mine\n    kind: terms\n    title: 测试\n    level: warning\n"
        "    options: {files: [nowhere.yaml]}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match="nowhere.yaml"):
        load_pack(str(tmp_path / "pack.yaml"))


def test_hygiene_rule_ids_use_the_family_prefixes():
    prefixes = (
        "placeholder",
        "doubled-word",
        "typo",
        "term",
        "outdated-term",
        "punctuation",
        "numbering",
        "author-name",
    )
    ids = [r.id for r in COMMON.rules]
    assert all(i.startswith(prefixes) for i in ids)
    assert all(any(i.startswith(p) for i in ids) for p in prefixes)
    assert all(r.source for r in djcheck.load_pack("zhuti-zeren").rules)


# -- report year ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, year, start, end, words",
    [
        (
            "关于2023年第三季度落实主体责任情况的报告\n今年以来……",
            2023,
            "2023-07-01",
            "2023-09-30",
            "第三季度",
        ),
        ("2024年1-6月，局党组召开会议12次。", 2024, "2024-01-01", "2024-06-30", "2024年1-6月"),
        ("2021年，局党组……\n2022年工作要点", 2021, "2021-01-01", "2021-12-31", "2021年"),
        (
            "今年以来，局党组认真学习二十届三中全会精神。\n一是……2023年度民主生活会整改……",
            2024,
            "2024-01-01",
            "2024-12-31",
            "二十届三中全会",
        ),
        (
            "今年以来，局党组认真学习。\n一是2023年召开会议。二是2023年开展检查。三是2021年巡察。",
            2023,
            "2023-01-01",
            "2023-12-31",
            "2 次",
        ),
    ],
)
def test_detect_year(text, year, start, end, words):
    from djcheck.year import detect_year

    found = detect_year(Document.from_text(text))
    assert (found.year, str(found.start), str(found.end)) == (year, start, end)
    assert words in found.reason


def test_year_unknown_and_override():
    from djcheck.year import detect_year, resolve

    doc = Document.from_text("今年以来，局党组认真学习。")
    assert detect_year(doc) is None
    assert resolve(doc, 2024).reason == "命令行 --year 指定"
    doc = Document.from_text("2022年上半年，局党组认真学习。")
    period = resolve(doc, 2022)
    assert str(period.end) == "2022-06-30" and "2022年上半年" in period.reason
    assert str(resolve(doc, 2024).start) == "2024-01-01"


def test_meeting_patterns_found_from_their_possible_starts():
    """The meeting patterns are matched only where a match can start (near a 十): the same matches,
    groups included, as ``finditer`` over the whole text."""
    import random

    from djcheck import year

    pieces = [*year.MEETING_TERMS, *sorted({ch for term in year.MEETING_TERMS for ch in term})]  # the terms, and their pieces
    pieces += "第 大 届 中全会 次全国代表大会 中央纪委 次全会 次全体会 中央纪律检查委员会第".split()
    pieces += "中央委员会第 次全体会议 三 六 二 一 ， 的".split()
    rnd = random.Random(6)
    found = 0
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        starts = year._meeting_starts(text)
        for pattern in (year._CONGRESS, year._CENTRAL, year._CCDI):
            expected = [(m.span(), m.groups()) for m in pattern.finditer(text)]
            assert [(m.span(), m.groups()) for m in year._matches_from(pattern, text, starts)] == expected, (
                text
            )
            found += len(expected)
    assert found > 500
