"""Genre detection: the seeds, one draft per genre, and texts that are not reports."""

from __future__ import annotations

import json
import textwrap

import pytest
from typer.testing import CliRunner

import djcheck
from conftest import FIXTURES, SAMPLES
from djcheck.cli import app
from djcheck.document import title_lines
from djcheck.errors import RuleError
from djcheck.genre import detect_genre, headline

runner = CliRunner()
GENRES = FIXTURES / "genres"


@pytest.mark.parametrize(
    "prefix, profile, word",
    [
        ("000", "zhuti-zeren", "主体责任"),
        ("001", "zhengzhi-shengtai", "政治生态"),
        ("002", "zhuti-zeren", "主体责任"),
        ("003", "zhuti-zeren", "主体责任"),
        ("004", "jiandu-zeren", "监督责任"),
    ],
)
def test_seed_genres(seed, prefix, profile, word):
    res = djcheck.check_file(seed(prefix))
    assert res.recognised and res.profile == profile, (res.profile, res.profile_reason)
    assert word in res.profile_reason
    assert res.score is not None


@pytest.mark.parametrize(
    "path, profile",
    [
        (SAMPLES / "genres" / "jiandu-zeren.txt", "jiandu-zeren"),
        (SAMPLES / "genres" / "zhengzhi-shengtai.txt", "zhengzhi-shengtai"),
        (SAMPLES / "genres" / "duizhao-jiancha-personal.txt", "duizhao-jiancha"),
        (SAMPLES / "genres" / "shuze-shulian.txt", "shuze-shulian"),
        (SAMPLES / "good-report.txt", "zhuti-zeren"),
        (GENRES / "jiandu-zeren-untitled.txt", "jiandu-zeren"),
        (GENRES / "zhengzhi-shengtai.md", "zhengzhi-shengtai"),
        (GENRES / "duizhao-jiancha-banzi.txt", "duizhao-jiancha"),
        (GENRES / "shuze-shulian-untitled.txt", "shuze-shulian"),
    ],
    ids=lambda v: v.name if hasattr(v, "name") else v,
)
def test_drafts_of_each_genre(path, profile):
    res = djcheck.check_file(path)
    assert res.profile == profile, res.profile_reason
    # each draft is a sound report of its genre: its own pack finds the structure complete
    statuses = {i.id: i.status for i in res.checklist}
    assert statuses["structure"] == "ok", [i.message for i in res.checklist if i.id == "structure"]


@pytest.mark.parametrize(
    "path, words",
    [
        (SAMPLES / "genres" / "news-item.txt", "不像一份工作报告"),
        (GENRES / "news-meeting.txt", "不像一份工作报告"),
        (GENRES / "speech.txt", "同志们"),
    ],
    ids=lambda v: v.name if hasattr(v, "name") else v,
)
def test_non_reports_are_not_recognised(path, words):
    res = djcheck.check_file(path)
    assert res.recognised is False and res.profile is None and res.score is None and res.passed is None
    assert words in res.profile_reason
    out = runner.invoke(app, ["check", str(path), "-f", "json"])
    assert out.exit_code == 0, out.stdout
    data = json.loads(out.stdout)["files"][0]
    assert data["recognised"] is False and data["profile"] is None and data["score"] is None
    assert words in data["profile_reason"]
    plain = runner.invoke(app, ["check", str(path), "-f", "plain"])
    assert plain.exit_code == 0 and "未识别为支持的报告类型" in plain.stdout


def test_profile_forces_a_pack_on_a_non_report():
    path = SAMPLES / "genres" / "news-item.txt"
    out = runner.invoke(app, ["check", str(path), "-f", "json", "--profile", "zhuti-zeren"])
    data = json.loads(out.stdout)["files"][0]
    assert data["recognised"] is True and data["profile"] == "zhuti-zeren" and data["score"] is not None
    assert "--profile" in data["profile_reason"]
    assert out.exit_code == 1  # a news item lacks every part of a report


def test_profile_overrides_detection(seed):
    res = djcheck.check_file(seed("004"), profile="zhuti-zeren")
    assert res.profile == "zhuti-zeren"
    assert {i.id: i.status for i in res.checklist}["zhuti-zeren"] == "missing"


def test_plain_and_rich_say_which_pack_and_why():
    path = SAMPLES / "genres" / "shuze-shulian.txt"
    plain = runner.invoke(app, ["check", str(path), "-f", "plain"]).stdout
    line = next(ln for ln in plain.splitlines() if " info genre " in ln)
    assert "述责述廉报告［shuze-shulian］" in line and "“述责述廉”" in line
    assert plain.splitlines()[-1].startswith(f"{path}: 得分")
    rich = runner.invoke(app, ["check", str(path), "-f", "rich", "--no-color"]).stdout
    assert "报告类型依据：" in rich and "述责述廉" in rich


def test_title_decides_over_body_words():
    body = "本单位认真落实全面从严治党主体责任，主体责任清单逐项落实，一岗双责压紧压实。"
    titled = djcheck.Document.from_text(
        "市文旅局副局长2026年度述责述廉报告\n" + body + "现将本人情况报告如下。"
    )
    packs = [djcheck.load_pack(n) for n in ("zhuti-zeren", "shuze-shulian")]
    assert detect_genre(titled, packs).profile == "shuze-shulian"
    untitled = djcheck.Document.from_text(body + "现将有关情况报告如下。")
    assert detect_genre(untitled, packs).profile == "zhuti-zeren"


def test_title_and_headline_extraction():
    doc = djcheck.Document.from_text(
        "# 关于2026年落实监督责任情况的报告\n\n2026年以来，纪检监察组聚焦主责。现将有关情况报告如下：\n一、主要工作\n……"
    )
    assert title_lines(doc) == ["关于2026年落实监督责任情况的报告"]
    assert headline(doc, ["(报告|汇报)如下"]) == "现将有关情况报告如下："


def test_detect_block_is_validated_with_lines(tmp_path):
    p = tmp_path / "pack.yaml"
    p.write_text(
        textwrap.dedent(
            """\
            id: my-genre
            title: 巡察整改情况报告
            extends: [common]
            detect:
              title: {巡察整改: 12}
              wordz: {整改: 1}
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as exc:
        djcheck.load_pack(p)
    assert exc.value.line == 6 and "wordz" in str(exc.value)
    p.write_text("id: my-genre\ntitle: t\ndetect:\n  words:\n    '(整改': 2\n", encoding="utf-8")
    with pytest.raises(RuleError) as exc:
        djcheck.load_pack(p)
    assert exc.value.line == 5 and "正则" in str(exc.value)


def test_child_pack_detect_merges_over_parent(tmp_path):
    p = tmp_path / "pack.yaml"
    p.write_text(
        "id: xunshi\ntitle: 巡察整改情况报告\nextends: [common]\n"
        "detect:\n  title: {巡察整改: 14}\n  words: {巡察反馈: 3}\n",
        encoding="utf-8",
    )
    pack = djcheck.load_pack(p)
    assert pack.detect["title"]["巡察整改"] == 14
    assert any("讲话" in k for k in pack.detect["title"])  # common's speech wording is inherited
    assert pack.detect["report"]["headline"]
    doc = djcheck.Document.from_text(
        "县林业局党组关于巡察整改情况的报告\n根据县委巡察组反馈意见，现将巡察整改情况报告如下。\n一、巡察反馈问题整改情况\n……"
    )
    assert detect_genre(doc, [djcheck.load_pack("zhuti-zeren"), pack]).profile == "xunshi"


def test_the_most_frequent_match_is_counted_in_one_pass():
    """genre's summary of a word pattern: the most frequent match, ties going to the earliest one
    (what ``max(found, key=found.count)`` gave, in linear time)."""
    import random

    from djcheck.genre import _summary

    assert _summary([]) == ("", 0)
    assert _summary(["主体责任", "监督责任", "监督责任", "主体责任"]) == ("主体责任", 4)
    assert _summary(["监督责任", "主体责任", "主体责任"]) == ("主体责任", 3)
    rng = random.Random(19)
    for _ in range(500):
        found = [rng.choice(["主体责任", "监督责任", "政治生态", "从严治党"]) for _ in range(rng.randint(1, 12))]
        assert _summary(found) == (max(found, key=found.count), len(found))
