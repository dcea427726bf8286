"""Splitting a part into items: headings, run-in enumerators, sentences; empty, single and long parts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import djcheck
from djcheck.context import Context
from djcheck.document import Document
from djcheck.items import HEADING, RUN_IN, SENTENCE, split_items

CN = "一二三四五六七八九十"


def whole(text: str):
    doc = Document.from_text(text)
    return doc, split_items(doc, 0, len(doc.text))


def test_heading_items_with_preamble():
    doc, items = whole("对照要求，还存在以下问题：\n（一）学习不深。表现为……\n（二）监督不严。\n继续说明监督不严。")
    assert items.via == HEADING and len(items) == 2
    assert [i.label for i in items] == ["（一）", "（二）"]
    assert doc.text[items.preamble[0] : items.preamble[1]].startswith("对照要求")
    assert items.items[1].text(doc).endswith("继续说明监督不严。")  # an item runs to the next heading
    assert items.items[0].title(doc) == "学习不深"


def test_run_in_items_inside_one_paragraph():
    doc, items = whole("总的来看还有差距。一是学习不深，流于形式。二是监督不严。三是作风不实。")
    assert items.via == RUN_IN
    assert [i.label for i in items] == ["一是", "二是", "三是"]
    assert [i.title(doc) for i in items] == ["学习不深，流于形式", "监督不严", "作风不实"]
    assert items.preamble is not None


def test_sentences_when_nothing_is_enumerated():
    doc, items = whole("下一步，我们将持续强化组织领导；持续强化监督检查。持续强化作风建设！")
    assert items.via == SENTENCE and not items.enumerated
    assert [i.label for i in items] == ["第1句", "第2句", "第3句"]
    assert items.preamble is None


def test_only_the_top_level_headings_start_items():
    doc, items = whole("（一）学习不深。\n1.理论学习少。\n2.学用脱节。\n（二）监督不严。")
    assert [i.label for i in items] == ["（一）", "（二）"]
    assert "学用脱节" in items.items[0].text(doc)


def test_zero_and_one_item():
    doc, items = whole("\n   \n")
    assert len(items) == 0 and items.preamble is None
    doc, items = whole("还存在一些差距和不足。")
    assert len(items) == 1 and items.items[0].label == "第1句"
    doc, items = whole("（一）学习不深。")
    assert len(items) == 1 and items.via == HEADING


def test_a_hundred_items():
    lines = [f"第{n}条问题的表述。" for n in range(1, 101)]
    doc, items = whole("".join(lines))
    assert len(items) == 100
    assert items.items[99].text(doc) == "第100条问题的表述。"


def test_part_items_skip_the_parts_own_run_in_heading():
    text = "今年以来，局党委认真履行主体责任。现报告如下：\n一、工作情况\n召开党委会12次。\n二、存在的问题：一是学习不深。二是监督不严。\n三、下一步打算\n一是加强学习。二是强化监督。"
    ctx = Context(Document.from_text(text), djcheck.load_pack("zhuti-zeren"))
    items = ctx.items("problems")
    assert [i.label for i in items] == ["一是", "二是"]
    assert ctx.items("causes") is None


def test_seed_parts_split_as_a_reviewer_counts(seed):
    pack = djcheck.load_pack("zhuti-zeren")
    counts = {}
    for prefix in ("000", "001", "003"):
        ctx = Context(djcheck.load_document(seed(prefix)), pack)
        counts[prefix] = (len(ctx.items("problems")), len(ctx.items("next_steps")))
    assert counts == {"000": (3, 3), "001": (4, 3), "003": (1, 5)}


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("（）一二三是。；，\n学习问题1.、 ") + list(CN)), max_size=200))
def test_items_are_ordered_and_inside_the_span(text):
    doc = Document.from_text(text)
    start, end = len(doc.text) // 4, len(doc.text)
    items = split_items(doc, start, end)
    last = start
    for it in items:
        assert start <= it.start < it.end <= end
        assert it.start >= last
        last = it.end
        assert it.text(doc)


def test_inline_labels_found_as_a_scan_at_every_character_finds_them():
    """parts._label_matches tries the label pattern only where a label can start; on every seed,
    sample and draft, and on texts dense with labels, colons and sentence ends, it finds exactly
    the matches of the pattern's scan at every character (存在问题：…… 整改措施：……)."""
    from conftest import FIXTURES, SEEDS
    from djcheck import parts

    root = FIXTURES.parent.parent
    files = [p for d in (SEEDS, root / "samples", FIXTURES) if d.is_dir() for p in sorted(d.rglob("*.txt"))]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    texts += [
        "存在问题：学习不深入。整改措施：加强学习；\n下一步打算:持续推进！一是存在的不足：还不够？\r\n主要问题：无",
        "：：存在问题：：。。整改措施：\u2028问题：\n\n  　存在不足：一二是整改措施：",
    ]
    assert len(texts) > 10
    for text in texts:
        slow = [(m.span(), m.group(1)) for m in parts._LABEL.finditer(text)]
        assert [(m.span(), m.group(1)) for m in parts._label_matches(text)] == slow
    assert [m.group(1) for m in parts._label_matches(texts[-2])] == ["存在问题", "整改措施", "下一步打算", "存在的不足", "主要问题"]
