"""``--fix`` on a Word draft: a copy with the safe fixes as tracked changes (修订) and the findings as comments."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import docx
import pytest
from typer.testing import CliRunner

from djcheck.cli import app
from djcheck.errors import ConfigError
from djcheck.fix import fix_file, planned_fixes
from djcheck.revise import revise_docx, revised_copy_path
from djcheck.runner import check_file
from docxutil import comment_texts, text_to_docx

runner = CliRunner()

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# A short draft of our own with safe fixes in several paragraphs: a half-width comma, a doubled
# word, a context-free typo, straight brackets; and one thing that is only a suggestion (截止).
DRAFT = "\n".join(
    [
        "关于2025年度落实全面从严治党主体责任情况的报告",
        "",
        "一、工作开展情况",
        "区委坚持把党的政治建设摆在首位,年内召开常委会专题研究党风廉政建设9次，认真布署年度任务。",
        "持续加强建建设基层党组织，截止11月底完成(支部)换届47个。",
        "二、存在的问题",
        "一是理论学习不够深入，个别支部学习流于形式。二是监督检查覆盖不全。",
        "三、下一步措施",
        "一是区委组织部牵头，2026年3月底前完善学习制度。",
    ]
)


def _texts(path, *, accept: bool) -> list[str]:
    """Paragraph texts of a .docx with every revision accepted (or rejected), read from the XML."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    out = []
    for p in root.iter(f"{W}p"):
        parts: list[str] = []
        _walk_docx(p, parts, accept, inside_ins=False)
        out.append("".join(parts))
    return out


def _walk_docx(el, parts: list[str], accept: bool, inside_ins: bool) -> None:
    for child in el:
        ins = inside_ins or child.tag == f"{W}ins"
        if child.tag == f"{W}t" and (not ins or accept):
            parts.append(child.text or "")
        elif child.tag == f"{W}delText" and not accept:
            parts.append(child.text or "")
        _walk_docx(child, parts, accept, ins)


@pytest.fixture()
def draft(tmp_path):
    return text_to_docx(DRAFT, tmp_path / "报告.docx")


def _fixed_text(tmp_path) -> list[str]:
    """What the text ``--fix`` makes of the same draft (the reference for accepting all revisions)."""
    txt = tmp_path / "same.txt"
    txt.write_text(DRAFT + "\n", encoding="utf-8")
    fix_file(txt, check_file(txt).findings)
    return txt.read_text(encoding="utf-8").rstrip("\n").split("\n")


def test_accepting_all_gives_the_text_fix_rejecting_all_the_original(draft, tmp_path):
    before = draft.read_bytes()
    result = check_file(draft)
    done = revise_docx(draft, None, result, now=dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.timezone.utc))
    assert draft.read_bytes() == before  # the input is never written
    assert done.target == tmp_path / "报告（已修改）.docx" and done.target.exists()
    assert [(f.old, f.new) for f in done.applied] == [
        (",", "，"),
        ("布署", "部署"),
        ("建建设", "建设"),
        ("(支部)", "（支部）"),
    ]
    assert done.skipped == []
    assert _texts(done.target, accept=False) == DRAFT.split("\n")
    assert _texts(done.target, accept=True) == _fixed_text(tmp_path)
    assert "截止" in _texts(done.target, accept=True)[4]  # a context suggestion is never changed


def test_revisions_are_word_revisions_by_djcheck_with_a_date(draft):
    done = revise_docx(draft, None, check_file(draft), now=dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.timezone.utc))
    body = docx.Document(str(done.target)).element.body
    marks = [el for el in body.iter() if el.tag in (f"{W}ins", f"{W}del")]
    assert len(marks) == 2 * len(done.applied)
    assert {m.get(f"{W}author") for m in marks} == {"djcheck"}
    assert {m.get(f"{W}date") for m in marks} == {"2026-03-01T08:00:00Z"}
    ids = [m.get(f"{W}id") for m in marks]
    assert len(set(ids)) == len(ids)
    deleted = ["".join(t.text for t in m.iter(f"{W}delText")) for m in marks if m.tag == f"{W}del"]
    assert sorted(deleted) == sorted(f.old for f in done.applied)
    assert not [t for m in marks if m.tag == f"{W}del" for t in m.iter(f"{W}t")]  # deleted text is w:delText


def test_findings_are_comments_and_the_fixed_ones_say_so(draft):
    result = check_file(draft)
    done = revise_docx(draft, None, result)
    texts = list(comment_texts(done.target).values())
    assert done.comments == len(texts) and texts[0].startswith("djcheck 检查结果")
    typo = next(t for t in texts if t.startswith("【") and "布署" in t)
    assert "已作为修订改正" in typo
    context = next(t for t in texts if t.startswith("【") and "截止" in t)  # a suggestion only: a comment, no revision
    assert "已作为修订改正" not in context


def test_the_copy_read_back_has_nothing_left_to_fix(draft):
    done = revise_docx(draft, None, check_file(draft))
    again = check_file(done.target)  # djcheck reads a .docx with its revisions accepted
    assert planned_fixes(again.findings) == []


def test_formatting_is_kept_and_a_fix_across_runs_is_one_revision(tmp_path):
    path = tmp_path / "粗体.docx"
    document = docx.Document()
    document.add_paragraph("关于2025年度落实全面从严治党主体责任情况的报告")
    p = document.add_paragraph()
    p.add_run("区委认真").bold = True
    p.add_run("布")
    p.add_run("署年度任务,压实责任。")
    document.save(str(path))
    done = revise_docx(path, None, check_file(path))
    assert [(f.old, f.new) for f in done.applied] == [("布署", "部署"), (",", "，")]
    assert _texts(done.target, accept=True)[1] == "区委认真部署年度任务，压实责任。"
    assert _texts(done.target, accept=False)[1] == "区委认真布署年度任务,压实责任。"
    runs = docx.Document(str(done.target)).paragraphs[1].runs
    assert runs[0].text == "区委认真" and runs[0].bold


def test_a_fix_inside_a_hyperlink_stays_a_comment(tmp_path):
    path = tmp_path / "链接.docx"
    document = docx.Document()
    document.add_paragraph("关于2025年度落实全面从严治党主体责任情况的报告")
    p = document.add_paragraph("详见")
    link = p._p.makeelement(f"{W}hyperlink", {f"{W}anchor": "x"})
    run = p._p.makeelement(f"{W}r", {})
    t = p._p.makeelement(f"{W}t", {})
    t.text = "工作布署"
    run.append(t)
    link.append(run)
    p._p.append(link)
    document.save(str(path))
    done = revise_docx(path, None, check_file(path))
    assert [f.old for f in done.skipped] == ["布署"] and done.applied == []
    assert _texts(done.target, accept=True)[1] == "详见工作布署"
    assert not any("已作为修订改正" in t for t in comment_texts(done.target).values())


def test_an_existing_copy_is_never_overwritten(draft):
    target = revised_copy_path(draft)
    target.write_bytes(b"the user's own file")
    with pytest.raises(ConfigError, match="已经存在"):
        revise_docx(draft, None, check_file(draft))
    assert target.read_bytes() == b"the user's own file"
    with pytest.raises(ConfigError, match="不能覆盖原文件"):
        revise_docx(draft, draft, check_file(draft), replace=True)


def test_cli_fix_on_a_docx_writes_a_revised_copy_and_lists_the_changes(draft, tmp_path):
    before = draft.read_bytes()
    result = runner.invoke(app, ["check", str(draft), "--fix", "-f", "plain"])
    assert draft.read_bytes() == before
    copy = tmp_path / "报告（已修改）.docx"
    assert copy.exists() and "已另存修改稿" in result.stderr and "原文件未改动" in result.stderr
    assert "第4段 第16列：“,” → “，”" in result.stderr and "“布署” → “部署”" in result.stderr
    assert result.exit_code == 1  # the draft itself is reported as checked (it fails the pass mark)
    again = runner.invoke(app, ["check", str(draft), "--fix", "-f", "plain"])  # the copy exists now
    assert again.exit_code == 2 and "已经存在" in again.stderr and "没有可以自动修改" not in again.stderr
    named = tmp_path / "审阅稿.docx"
    third = runner.invoke(app, ["check", str(draft), "--fix", "--annotate", str(named), "-f", "plain"])
    assert named.exists() and "审阅稿.docx" in third.stderr
    assert _texts(named, accept=True) == _texts(copy, accept=True)
    assert draft.read_bytes() == before


def test_cli_diff_on_a_docx_lists_changes_and_writes_nothing(draft, tmp_path):
    result = runner.invoke(app, ["check", str(draft), "--diff"])
    assert result.exit_code == 1
    assert "第5段 第5列：“建建设” → “建设”（持续加强建设基层党组织，截止…）" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx"]


# -- LibreOffice ------------------------------------------------------------------------------


def _soffice() -> str:
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    if not exe:
        pytest.skip(
            "LibreOffice 未安装，跳过“修改稿能在 LibreOffice 中打开”的测试"
            "（Debian：apt-get install libreoffice-writer-nogui）"
        )
    return exe


def _convert(exe: str, path, fmt: str, outdir) -> str:
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{outdir}/profile", "--headless", "--convert-to", fmt,
         "--outdir", str(outdir), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    produced = outdir / f"{path.stem}.{fmt.split(':')[0]}"
    return produced.read_text(encoding="utf-8-sig")


_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _libreoffice_texts(fodt: str, *, accept: bool) -> list[str]:
    """Paragraph texts as LibreOffice holds them, every tracked change it found accepted or rejected.

    LibreOffice keeps deleted text in place between ``text:change-start`` / ``text:change-end``
    marks of a region listed under ``text:tracked-changes`` as a deletion or an insertion.
    """
    root = ET.fromstring(fodt)
    kinds = {}
    for region in root.iter(f"{{{_TEXT}}}changed-region"):
        rid = region.get(f"{{{_TEXT}}}id")
        kind = next(iter(region)).tag.split("}")[1]
        creator = region.find(".//{http://purl.org/dc/elements/1.1/}creator")
        kinds[rid] = (kind, creator.text if creator is not None else None)
    out = []
    body = root.find(f"{{{_OFFICE}}}body")
    in_comments = {id(q) for a in body.iter(f"{{{_OFFICE}}}annotation") for q in a.iter()}
    for p in body.iter():
        if p.tag not in (f"{{{_TEXT}}}p", f"{{{_TEXT}}}h") or id(p) in in_comments:
            continue  # headings are text:h; a comment's own paragraphs are not the document's
        parts: list[str] = []
        _walk_odf(p, parts, set(), kinds, accept)
        out.append("".join(parts))
    return out, kinds


def _walk_odf(el, parts: list[str], hidden: set, kinds: dict, accept: bool) -> None:
    if el.text and not hidden:
        parts.append(el.text)
    for child in el:
        name = child.tag.split("}")[1]
        if child.tag == f"{{{_OFFICE}}}annotation":
            pass  # comment content is not the paragraph's text
        elif name == "change-start":
            kind = kinds[child.get(f"{{{_TEXT}}}change-id")][0]
            if (kind == "deletion") == accept:
                hidden.add(child.get(f"{{{_TEXT}}}change-id"))
        elif name == "change-end":
            hidden.discard(child.get(f"{{{_TEXT}}}change-id"))
        else:
            _walk_odf(child, parts, hidden, kinds, accept)
        if child.tail and not hidden:
            parts.append(child.tail)


def test_the_revised_copy_opens_in_libreoffice_with_its_revisions(draft, tmp_path):
    exe = _soffice()
    done = revise_docx(draft, None, check_file(draft))
    outdir = tmp_path / "lo"
    outdir.mkdir()
    fodt = _convert(exe, done.target, "fodt", outdir)
    accepted, kinds = _libreoffice_texts(fodt, accept=True)
    rejected, _ = _libreoffice_texts(fodt, accept=False)
    assert sorted(k for k, _ in kinds.values()) == ["deletion"] * 4 + ["insertion"] * 4
    assert {who for _, who in kinds.values()} == {"djcheck"}
    assert accepted == _texts(done.target, accept=True) == _fixed_text(tmp_path)
    assert rejected == DRAFT.split("\n")
    # Plain-text export shows what LibreOffice displays: deleted and inserted text side by side
    # (checked so that the fodt reading above is the one that tells them apart).
    txt = _convert(exe, done.target, "txt:Text", outdir)
    assert "建建设建设" in txt and re.search("首位,，", txt)


def test_cli_fix_on_a_docx_with_nothing_to_fix_writes_nothing(tmp_path):
    clean = text_to_docx(DRAFT.replace(",", "，").replace("布署", "部署").replace("建建设", "建设").replace(
        "(支部)", "（支部）"), tmp_path / "干净.docx")
    result = runner.invoke(app, ["check", str(clean), "--fix", "-f", "plain"])
    assert "没有可以自动修改的问题" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["干净.docx"]


def test_a_fix_that_would_create_a_finding_stays_a_comment(tmp_path):
    """The Word copy passes the same guard as the text --fix (fix.verify_fix): a replacement that would
    bring a new finding (here a made-up one turning 部署 into the typo 布署) is not made a revision."""
    from djcheck.model import Finding

    path = text_to_docx(DRAFT.replace("布署", "部署"), tmp_path / "报告.docx")
    res = check_file(path)
    line = next(i for i, p in enumerate(DRAFT.split("\n"), start=1) if "布署" in p)
    col = DRAFT.split("\n")[line - 1].index("布署") + 1
    bad = Finding(rule="typo-words", level="warning", message="", line=line, col=col, end_line=line,
                  end_col=col + 2, match="部署", suggestion="布署", fixable=True)
    res.findings = sorted(res.findings + [bad], key=lambda f: (f.line, f.col))
    done = revise_docx(path, tmp_path / "copy.docx", res)
    assert done.refused and "布署" in done.refused[0]
    assert done.applied == []
    assert _texts(tmp_path / "copy.docx", accept=True) == _texts(path, accept=True)  # no revision at all
    assert comment_texts(tmp_path / "copy.docx")  # the findings are still there as comments


def test_fixes_that_pass_the_guard_are_not_refused(draft, tmp_path):
    done = revise_docx(draft, tmp_path / "copy.docx", check_file(draft))
    assert done.refused == [] and done.applied


def test_cli_says_when_the_word_fixes_are_refused(draft, tmp_path, monkeypatch):
    """When the guard refuses (stood in for here: the guard itself is tested above), the CLI says so and the
    copy holds comments only."""
    import djcheck.revise

    monkeypatch.setattr(djcheck.revise, "verify_fix", lambda *a, **k: ["修改后第4段会出现新的问题"])
    result = runner.invoke(app, ["check", str(draft), "--fix", "-f", "plain"])
    assert "没有加修订：修改后第4段会出现新的问题" in result.stderr and "0 处修订" in result.stderr
    copy = tmp_path / "报告（已修改）.docx"
    assert _texts(copy, accept=True) == _texts(draft, accept=True)
