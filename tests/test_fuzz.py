"""Property-based fuzzing (hypothesis): random text, random edits of the samples and seeds, random bytes.

For every input the whole path runs — read the file, detect the genre (or use a forced
pack), check, render every output format — and must hold these properties:

* no exception; a text that cannot be read gives a one-line Chinese error naming the file;
* every finding lies inside the text: ``0 <= start <= end <= len(text)``, its ``match`` is
  the text at that place, and its 1-based ``line``/``col``/``end_line``/``end_col`` agree
  with the text as the user typed it (computed here independently: invisible characters,
  which the checked text leaves out, are counted in columns; a finding about them points
  at them);
* every checklist line is a line of the text; the score is within 0–100;
* checking twice gives the same result.

Inputs that once broke a property are kept in ``REGRESSIONS`` and always run.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, SAMPLES, SEEDS
from djcheck.document import INVISIBLE
from djcheck.errors import InputError
from djcheck.loaders import load_document
from djcheck.loaders.docx import read_docx
from djcheck.loaders.text import decode_bytes
from djcheck.pack import bundled_packs
from djcheck.report import get_writer
from djcheck.runner import Session
from docxutil import text_to_docx

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TOKENS = [
    "关于2024年落实全面从严治党主体责任情况的报告", "现将有关情况报告如下：", "一、", "二、", "三、", "（一）",
    "（二）", "1.", "2．", "一是", "二是", "工作开展情况", "存在的问题", "下一步工作打算", "原因分析",
    "主体责任", "监督责任", "第一责任人", "一岗双责", "四种形态", "第一种形态", "第二种形态", "处理", "12人次",
    "8人次", "占", "66.7%", "召开党委会", "12次", "2023年", "6月底前", "牵头", "负责", "本人", "我",
    "局党组", "党委（党组）", "新冠肺炎", "布署", "建建设", "做到做到", "**", "××", "XX", "___", "（待补充）",
    "【具体举措】", "《中国共产党纪律处分条例》", "“", "”", "《", "》", "（", "）", "(", ")", '"', ",", ";", ":",
    "。", "，", "；", "：", "、", "……", "...", "!", "?", "——", " ", "\t", "\u3000", "\n", "\n\n", "\r\n",
    "# ", "## ", "- ", "> ", "**粗体**", "`代码`", "http://example.org/a,b", "a@b.cn",
    "【djcheck-disable placeholder：样稿】", "【djcheck-enable】", "<!-- djcheck-disable -->",
    "[忽略检查 four-forms]", "【djcheck-disable no-such-rule】", "\ufeff", "\u200b", "𠀀", "é", "ﬁ",
    # invisible characters inside keywords (issue 16, item 17)
    "主体\u200b责任", "主\u00ad体责任", "全面从严\u2060治党", "\u202e四种形态\u202c", "\u200d", "\u2066", "\u00ad",
]
CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"
SAFE_ALPHABET = CHARS + "0123456789０１２３ABCxyz%％.．*＊×□○△、，。；：？！“”‘’（）《》【】〔〕—…·-_/#>\n \t\u3000"

token_text = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(alphabet=SAFE_ALPHABET, min_size=1, max_size=12)),
    min_size=1,
    max_size=120,
).map("".join)

PACKS = bundled_packs()

#: Inputs that broke a property once; they always run (see the module docstring).
REGRESSIONS: list[str] = [
    "一一十",  # cn_to_int on malformed numerals (found by hypothesis in test_items)
    "《" * 3000 + "\n",  # quadratic title scan in author-name (found by the long-line sweep)
    "关于报告\n" + "1" * 30000 + "\n三、下一步工作打算\n" + "1" * 30000,  # quadratic \d+ in measures-concrete
    # invisible characters inside keywords, headings and fixable text (issue 16, item 17)
    "关于落实主体\u200b责任情况的报告\n\u00ad一、\u200b工作情况\n局党组认\u2060真布署,加强\u202e监督\u202c。\n\u200b",
    "\ufeff\u200b\u200b\n主体\u00ad责任" * 50,
    "<!-- djcheck-disable -->主体\u200b责任<!-- djcheck-disable -->",  # a marker's own finding (found by hypothesis)
]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def sessions():
    return {None: Session(), **{p: Session(profile=p) for p in PACKS}}


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_properties(path: Path, session: Session) -> None:
    """Check ``path`` twice with ``session`` and assert every property of the module docstring."""
    res = session.check(path)
    again = session.check(path)
    assert json.dumps(res.to_dict(), ensure_ascii=False, sort_keys=True) == json.dumps(
        again.to_dict(), ensure_ascii=False, sort_keys=True
    )
    for fmt in ("plain", "json", "sarif", "github", "html"):
        get_writer(fmt)([res], io.StringIO(), color=False, verbose=True)
    if res.error is not None:
        assert res.error.startswith(f"{path}：") and "\n" not in res.error, res.error
        assert res.score is None
        return
    doc = load_document(path)
    text = doc.text
    lines = text.split("\n")
    original = decode_bytes(path.read_bytes(), str(path)).text.split("\n")  # as typed, invisible characters too
    if res.score is not None:
        assert 0 <= res.score <= 100 and isinstance(res.passed, bool)
    for item in res.checklist:
        assert item.status in ("ok", "weak", "missing", "unchecked")
        assert item.line is None or 1 <= item.line <= len(lines), (item.id, item.line, len(lines))
    for f in res.findings:
        assert 0 <= f.start <= f.end <= len(text), (f.rule, f.start, f.end, len(text))
        assert f.match == text[f.start : f.end], (f.rule, f.match, text[f.start : f.end])
        assert 1 <= f.line <= f.end_line <= len(lines) and 1 <= f.col <= len(original[f.line - 1]) + 1
        if "不可见字符" in f.message and not f.match:  # points at the invisible characters themselves
            assert all(ch in INVISIBLE for ch in original[f.line - 1][f.col - 1 : f.end_col - 1]), f
            assert f.end_col > f.col, f
            continue
        line, col = _line_col(text, f.start)
        assert (f.line, f.col) == (line, _typed_col(original[line - 1], col)), (f.rule, f.line, f.col)
        last = max(f.end, f.start + 1) - 1
        end_line, end_col = _line_col(text, last)
        assert (f.end_line, f.end_col) == (end_line, _typed_col(original[end_line - 1], end_col) + 1), (
            f.rule, f.end_line, f.end_col,
        )


def _typed_col(typed_line: str, col: int) -> int:
    """The column in the line as typed of the ``col``-th character that is not invisible (past the end: one more)."""
    seen = 0
    for i, ch in enumerate(typed_line):
        if ch not in INVISIBLE:
            seen += 1
            if seen == col:
                return i + 1
    return len(typed_line) + 1 + (col - seen - 1)


def _write(workdir: Path, text: str, name: str = "draft.txt") -> Path:
    path = workdir / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


@pytest.mark.parametrize("text", REGRESSIONS, ids=range(len(REGRESSIONS)))
def test_regressions(text, workdir, sessions):
    path = _write(workdir, text, "regression.txt")
    for profile in (None, "zhuti-zeren"):
        assert sessions[profile].check(path).error is None  # e.g. a bundled pattern running out of time
        check_properties(path, sessions[profile])


@pytest.mark.slow
@settings(FUZZ, max_examples=200)
@given(text=token_text, profile=st.sampled_from([None, *PACKS]), suffix=st.sampled_from([".txt", ".md"]))
def test_random_report_like_text(workdir, sessions, text, profile, suffix):
    assume(text.strip())
    check_properties(_write(workdir, text, f"draft{suffix}"), sessions[profile])


@pytest.mark.slow
@settings(FUZZ, max_examples=60)
@given(text=st.text(max_size=400), profile=st.sampled_from([None, "zhuti-zeren"]))
def test_random_unicode_text(workdir, sessions, text, profile):
    check_properties(_write(workdir, text), sessions[profile])


def _bases() -> list[Path]:
    found = sorted(SAMPLES.rglob("*.txt")) + sorted((FIXTURES / "drafts").glob("*.txt"))
    if SEEDS.is_dir():
        found += sorted(SEEDS.glob("*.txt"))
    return found


BASES = _bases()

edit = st.tuples(
    st.sampled_from(["delete", "insert", "duplicate-line", "drop-line", "swap-lines", "replace", "truncate"]),
    st.floats(0, 1),
    st.floats(0, 1),
    st.one_of(st.sampled_from(TOKENS), st.text(alphabet=SAFE_ALPHABET, max_size=20)),
)


def apply_edits(text: str, edits) -> str:
    """Apply random edits (operation, two positions as fractions of the text, a payload) in order."""
    for op, a, b, payload in edits:
        i, j = sorted((int(a * len(text)), int(b * len(text))))
        lines = text.split("\n")
        k, m = int(a * (len(lines) - 1)), int(b * (len(lines) - 1))
        if op == "delete":
            text = text[:i] + text[min(j, i + 200) :]
        elif op == "insert":
            text = text[:i] + payload + text[i:]
        elif op == "duplicate-line":
            text = "\n".join(lines[: k + 1] + [lines[k]] + lines[k + 1 :])
        elif op == "drop-line":
            text = "\n".join(lines[:k] + lines[k + 1 :])
        elif op == "swap-lines":
            lines[k], lines[m] = lines[m], lines[k]
            text = "\n".join(lines)
        elif op == "replace":
            text = text[:i] + payload[:1] + text[i + 1 :]
        elif op == "truncate":
            text = text[: max(i, 1)]
    return text


@pytest.mark.slow
@settings(FUZZ, max_examples=150)
@given(
    base=st.sampled_from(range(len(BASES))),
    edits=st.lists(edit, min_size=1, max_size=8),
    profile=st.sampled_from([None, *PACKS]),
)
def test_random_edits_of_samples_and_seeds(workdir, sessions, base, edits, profile):
    text = apply_edits(BASES[base].read_text(encoding="utf-8"), edits)
    assume(text.strip())
    check_properties(_write(workdir, text, "edited.txt"), sessions[profile])


@pytest.mark.slow
@settings(FUZZ, max_examples=300)
@given(data=st.one_of(st.binary(max_size=600), token_text.map(lambda t: t.encode("gb18030", "replace"))))
def test_random_bytes_decode_or_raise_input_error(data):
    try:
        source = decode_bytes(data, "x.txt")
    except InputError as exc:
        assert str(exc).startswith("x.txt：") and "\n" not in str(exc)
        return
    assert "\r" not in source.text and source.text.strip()
    assert source.encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030")
    assert source.newline in ("\n", "\r\n", "\r")


@pytest.fixture(scope="module")
def docx_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("docx") / "base.docx"
    return text_to_docx((SAMPLES / "good-report.txt").read_text(encoding="utf-8")[:1500], path).read_bytes()


@pytest.mark.slow
@settings(FUZZ, max_examples=150)
@given(
    cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=6),
    truncate=st.one_of(st.none(), st.floats(0, 1)),
)
def test_damaged_docx_reads_or_raises_input_error(workdir, docx_bytes, cuts, truncate):
    raw = bytearray(docx_bytes)
    for where, value in cuts:
        raw[int(where * (len(raw) - 1))] = value
    if truncate is not None:
        raw = raw[: int(truncate * len(raw))]
    path = workdir / "damaged.docx"
    path.write_bytes(bytes(raw))
    try:
        doc = read_docx(path)
    except InputError as exc:
        assert str(exc).startswith(f"{path}：") and "\n" not in str(exc)
        return
    assert doc.paragraphs and doc.kind == "docx"


@pytest.mark.slow
@settings(FUZZ, max_examples=60)
@given(xml_edit=st.tuples(st.floats(0, 1), st.sampled_from(TOKENS + ["<", ">", "&", "&amp;", "<w:p>", "</w:t>"])))
def test_docx_with_edited_xml_reads_or_raises_input_error(workdir, docx_bytes, xml_edit):
    """Damage inside the XML (so the ZIP and its checksums stay valid)."""
    where, payload = xml_edit
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as zin:
        parts = {i.filename: zin.read(i) for i in zin.infolist()}
    xml = parts["word/document.xml"]
    cut = int(where * len(xml))
    parts["word/document.xml"] = xml[:cut] + payload.encode("utf-8") + xml[cut:]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    path = workdir / "edited.docx"
    path.write_bytes(buf.getvalue())
    try:
        doc = read_docx(path)
    except InputError as exc:
        assert str(exc).startswith(f"{path}：")
        return
    assert doc.kind == "docx"


# -- run containers nested at random (issue 16, item 12) -------------------------------------------
RUN_WORDS = ["主体", "责任", "落实", "全面", "从严", "治党", "监督"]
CONTAINER_TAGS = ["hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "dir", "bdo", "sdt", "alt",
                  "del", "moveFrom"]
run_tree = st.recursive(
    st.sampled_from(RUN_WORDS),
    lambda children: st.tuples(st.sampled_from(CONTAINER_TAGS), st.lists(children, min_size=1, max_size=3)),
    max_leaves=12,
)


def _render(node) -> str:
    if isinstance(node, str):
        return f'<w:r><w:t xml:space="preserve">{node}</w:t></w:r>'
    tag, children = node
    inner = "".join(_render(c) for c in children)
    if tag == "sdt":
        return f"<w:sdt><w:sdtPr/><w:sdtContent>{inner}</w:sdtContent></w:sdt>"
    if tag == "alt":  # the same content in both branches: it must be read once
        return (f'<mc:AlternateContent><mc:Choice Requires="w14">{inner}</mc:Choice>'
                f"<mc:Fallback>{inner}</mc:Fallback></mc:AlternateContent>")
    return f"<w:{tag}>{inner}</w:{tag}>"


def _expected(node) -> str:
    if isinstance(node, str):
        return node
    tag, children = node
    return "" if tag in ("del", "moveFrom") else "".join(_expected(c) for c in children)


@pytest.fixture(scope="module")
def container_base(tmp_path_factory) -> tuple[dict[str, bytes], str]:
    path = text_to_docx("一、工作情况\nPLACE\n二、存在的问题", tmp_path_factory.mktemp("nest") / "base.docx")
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    return parts, parts["word/document.xml"].decode("utf-8")


@settings(FUZZ, max_examples=60)
@given(tree=st.lists(run_tree, min_size=1, max_size=4))
def test_runs_in_any_nesting_of_containers_are_read_once(workdir, container_base, tree):
    parts, xml = container_base
    start = xml.index("PLACE")
    p_open = xml.rindex("<w:p>", 0, start)
    body = "".join(_render(n) for n in tree)
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    new = xml[:p_open].replace("<w:document ", "<w:document " + mc, 1) if mc not in xml else xml[:p_open]
    new += "<w:p>" + body + xml[xml.index("</w:p>", start):]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, new.encode("utf-8") if name == "word/document.xml" else data)
    path = workdir / "nested.docx"
    path.write_bytes(buf.getvalue())
    assert read_docx(path).paragraphs[1].text == "".join(_expected(n) for n in tree)


# -- the atheris target, replayed without atheris ------------------------------------------------
def _fuzz_target():
    import importlib.util

    spec = importlib.util.spec_from_file_location("fuzz_djcheck", FUZZ_DIR / "fuzz_djcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FUZZ_DIR = Path(__file__).resolve().parents[1] / "fuzz"


@pytest.mark.skipif(not FUZZ_DIR.is_dir(), reason="fuzz/ 文件夹不在这个安装中")
def test_fuzz_regressions_replay(tmp_path):
    """Every saved crashing input (fuzz/regressions) and the fuzzer's seed corpus run cleanly through the target."""
    target = _fuzz_target()
    inputs = [p for p in sorted((FUZZ_DIR / "regressions").iterdir()) if p.suffix != ".md"]
    inputs += sorted(target.seed_corpus(tmp_path / "corpus").iterdir())
    assert len(inputs) >= 8
    for path in inputs:
        target.check_input(path.read_bytes())


@pytest.mark.skipif(not FUZZ_DIR.is_dir(), reason="fuzz/ 文件夹不在这个安装中")
def test_fuzz_target_reports_a_finding_outside_the_text():
    """The target's own property check is live: a result pointing past the text is a crash."""
    target = _fuzz_target()
    target._setup()
    from djcheck.document import Document
    from djcheck.model import FileResult, Finding

    doc = Document.from_text("一行。")
    bad = FileResult(path="x", findings=[Finding("r", "info", "m", 1, 1, 1, 9, match="一行。xx", start=0, end=8)])
    with pytest.raises(AssertionError, match="outside the text"):
        target._assert_inside(doc, bad)
