"""``--annotate``: a reviewed copy of a .docx with one Word comment per finding, input untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import zipfile

import docx
import pytest
from typer.testing import CliRunner

import djcheck
from djcheck.annotate import annotate_docx
from djcheck.cli import app
from djcheck.errors import ConfigError, InputError
from docxutil import comment_anchors, comment_texts, text_to_docx

runner = CliRunner()


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def seed001_docx(seed, tmp_path):
    return text_to_docx(seed("001").read_text(encoding="utf-8"), tmp_path / "001.docx")


def test_seed_001_gets_one_comment_per_placeholder_on_the_placeholder(seed001_docx, tmp_path):
    before = _sha(seed001_docx)
    out = tmp_path / "001-批注.docx"
    result = runner.invoke(app, ["check", str(seed001_docx), "--annotate", str(out), "-f", "plain"])
    assert result.exit_code == 1  # the verdict, unchanged by --annotate
    assert _sha(seed001_docx) == before
    res = djcheck.check_file(seed001_docx)
    placeholders = [f for f in res.findings if f.rule == "placeholder"]
    assert len(placeholders) >= 30
    texts, anchors = comment_texts(out), comment_anchors(out)
    on_placeholder = [cid for cid, t in texts.items() if "placeholder" in t and "模板占位符“" in t]
    assert len(on_placeholder) == len(placeholders)
    assert sorted(anchors[cid] for cid in on_placeholder) == sorted(f.match for f in placeholders)
    # The text of the document is unchanged by the comments and the split runs.
    assert djcheck.load_document(out).text == djcheck.load_document(seed001_docx).text
    # Summary at the top: score and the whole checklist.
    first = min(texts)
    assert texts[first].startswith(f"djcheck 检查结果：得分 {res.score:g}/100")
    assert all(item.title in texts[first] for item in res.checklist)
    assert "✖ 模板占位符已填写" in texts[first] and "⚠" in texts[first]
    # The weak 四种形态 item has no findings: anchored on the paragraph it points at.
    four = next(i for i in res.checklist if i.id == "four-forms")
    four_comment = next(cid for cid, t in texts.items() if t.startswith("⚠ 运用监督执纪"))
    assert anchors[four_comment] == djcheck.load_document(seed001_docx).paragraphs[four.line - 1].text
    with zipfile.ZipFile(out) as zf:
        assert "word/comments.xml" in zf.namelist()
        assert zf.read("word/comments.xml").count(b"<w:comment ") == len(texts)
        assert b'w:author="djcheck"' in zf.read("word/comments.xml")


def test_missing_parts_are_anchored_on_the_paragraph_the_item_names(seed, tmp_path):
    src = text_to_docx(seed("002").read_text(encoding="utf-8"), tmp_path / "002.docx")
    res = djcheck.check_file(src, profile="zhuti-zeren")
    out = tmp_path / "out.docx"
    annotate_docx(src, out, res)
    texts, anchors = comment_texts(out), comment_anchors(out)
    doc = djcheck.load_document(src)
    problems = next(i for i in res.checklist if i.id == "problems")
    assert problems.status == "missing"
    cid = next(c for c, t in texts.items() if t.startswith("✖ 存在的问题"))
    assert anchors[cid] == doc.paragraphs[problems.line - 1].text
    assert "建议：" in texts[cid]


def test_runs_are_split_with_their_formatting(tmp_path):
    """A placeholder inside a bold run: the run is cut in three, all bold, and only “**” is anchored."""
    document = docx.Document()
    p = document.add_paragraph()
    p.add_run("今年以来，")
    bold = p.add_run("局党委召开党委会**次，")
    bold.bold = True
    p.add_run("研究主体责任。")
    document.add_paragraph("一、工作开展情况")
    src = tmp_path / "bold.docx"
    document.save(str(src))
    res = djcheck.check_file(src, profile="zhuti-zeren")
    f = next(f for f in res.findings if f.rule == "placeholder")
    assert (f.line, f.col, f.match) == (1, 14, "**")
    out = tmp_path / "out.docx"
    annotate_docx(src, out, res)
    anchors = comment_anchors(out)
    cid = next(c for c, t in comment_texts(out).items() if "placeholder" in t)
    assert anchors[cid] == "**"
    runs = docx.Document(str(out)).paragraphs[0].runs
    texts = [(r.text, bool(r.bold)) for r in runs if r.text]
    assert texts == [
        ("今年以来，", False),
        ("局党委召开党委会", True),
        ("**", True),
        ("次，", True),
        ("研究主体责任。", False),
    ]


def test_a_finding_across_runs_spans_them(tmp_path):
    document = docx.Document()
    p = document.add_paragraph()
    p.add_run("召开党委会X")
    p.add_run("X次，")
    document.add_paragraph("一、工作开展情况")
    src = tmp_path / "split.docx"
    document.save(str(src))
    res = djcheck.check_file(src, profile="zhuti-zeren")
    f = next(f for f in res.findings if f.rule == "placeholder")
    assert f.match == "XX"
    out = tmp_path / "out.docx"
    annotate_docx(src, out, res)
    cid = next(c for c, t in comment_texts(out).items() if "placeholder" in t)
    assert comment_anchors(out)[cid] == "XX"


def test_output_equal_to_input_is_refused(seed001_docx, tmp_path):
    before = _sha(seed001_docx)
    result = runner.invoke(app, ["check", str(seed001_docx), "--annotate", str(seed001_docx)])
    assert result.exit_code == 2 and "覆盖原文件" in result.stdout + result.stderr
    # Same file under another spelling of the path.
    other = os.path.join(str(tmp_path), ".", "001.docx")
    assert runner.invoke(app, ["check", str(seed001_docx), "--annotate", other]).exit_code == 2
    res = djcheck.check_file(seed001_docx)
    with pytest.raises(ConfigError):
        annotate_docx(seed001_docx, seed001_docx, res)
    link = tmp_path / "link.docx"
    link.symlink_to(seed001_docx)
    with pytest.raises(ConfigError):
        annotate_docx(seed001_docx, link, res)
    assert _sha(seed001_docx) == before


@pytest.mark.parametrize(
    "args, words",
    [
        (["--annotate", "out.txt"], ".docx 结尾"),
        (["--annotate", "out.docx", "EXTRA"], "只能用于检查一个 .docx"),
    ],
)
def test_annotate_misuse_is_exit_2(seed001_docx, tmp_path, args, words):
    args = [a if a != "EXTRA" else str(seed001_docx) for a in args]
    args = [str(tmp_path / a) if a.startswith("out") else a for a in args]
    result = runner.invoke(app, ["check", str(seed001_docx), *args])
    assert result.exit_code == 2 and words in result.stdout + result.stderr


def test_annotate_on_a_text_file_is_refused(tmp_path):
    txt = tmp_path / "a.txt"
    txt.write_text("一、工作情况\n正文。", encoding="utf-8")
    result = runner.invoke(app, ["check", str(txt), "--annotate", str(tmp_path / "a.docx")])
    assert result.exit_code == 2 and "只能用于检查一个 .docx" in result.stdout + result.stderr


def test_write_is_atomic_and_replaces_an_old_copy(seed001_docx, tmp_path):
    out = tmp_path / "reviewed.docx"
    out.write_bytes(b"old copy")
    res = djcheck.check_file(seed001_docx)
    n = annotate_docx(seed001_docx, out, res)
    assert n == len(comment_texts(out)) and zipfile.is_zipfile(out)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_changed_source_is_detected(seed001_docx, tmp_path):
    res = djcheck.check_file(seed001_docx)
    text_to_docx("一、工作情况\n完全不同的文字。", seed001_docx)
    with pytest.raises(InputError, match="修改"):
        annotate_docx(seed001_docx, tmp_path / "out.docx", res)


def _soffice() -> str:
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    if not exe:
        pytest.skip(
            "未安装 LibreOffice（Debian 软件包 libreoffice-writer-nogui）：跳过“批注副本能被 LibreOffice 打开”的检查"
        )
    return exe


@pytest.mark.integration
def test_annotated_seed_001_opens_in_libreoffice(seed001_docx, tmp_path):
    exe = _soffice()
    out = tmp_path / "reviewed.docx"
    res = djcheck.check_file(seed001_docx)
    n = annotate_docx(seed001_docx, out, res)
    profile = (tmp_path / "lo-profile").as_uri()
    env = dict(os.environ, HOME=str(tmp_path))
    for target in ("pdf", "odt"):
        proc = subprocess.run(
            [
                exe,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path),
                str(out),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            env=env,
        )
        assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "reviewed.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    # LibreOffice read every comment: its own .odt carries them as office:annotation elements.
    with zipfile.ZipFile(tmp_path / "reviewed.odt") as zf:
        content = zf.read("content.xml").decode("utf-8")
    assert content.count("<office:annotation ") + content.count("<office:annotation>") == n
    assert "djcheck" in content and "模板占位符" in content
