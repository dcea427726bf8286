"""A report written as one long line (text pasted from a web page or a PDF) is checked as before.

The structure-related analyses read such a line piece by piece instead of holding copies or
per-sentence lists of all of it, and no longer search the whole text before each year. Each
test compares the new way with the plain computation it replaces, on real report text made long
(a few hundred thousand characters: no test is slow) or on random text.
"""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLES
from djcheck import year
from djcheck.document import Document


def one_line(chars: int) -> str:
    """A title and, on one line, the bodies of the samples repeated to about ``chars`` characters."""
    bodies = [
        f.read_text(encoding="utf-8-sig").split("\n", 1)[-1].replace("\n", "")
        for f in sorted(SAMPLES.glob("*.txt"))
    ]
    body, i = [], 0
    while sum(map(len, body)) < chars:
        body.append(bodies[i % len(bodies)])
        i += 1
    return "关于落实全面从严治党主体责任情况的报告\n" + "".join(body) + "\n"


def plain_opening_year(paragraphs: list) -> regex.Match | None:
    """The opening's year as :func:`djcheck.year.detect_year` chose it before (every year examined)."""
    opening = [
        m
        for p in paragraphs
        for m in year._YEAR.finditer(p.text)
        if not year._history(p.text, m, lead=True)
        and not year._planned(p.text, m)
        and (m.group(2) or not year._RANGE_BEFORE.search(p.text, 0, m.start()))
    ]
    marked = [o for o in opening if o.group(2)]
    return (marked or opening or [None])[0]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*"2019年度 \t\n\u3000—-至到以来。a", " " * 40]), max_size=40).map("".join))
def test_a_range_and_an_opening_year_are_told_from_the_text_before_them_as_before(text):
    for at in range(len(text) + 1):
        assert year._range_before(text, at) == bool(year._RANGE_BEFORE.search(text, 0, at))
        assert year._opens(text, at) == (not text[:at].strip())


def test_the_opening_year_of_a_one_line_report_is_the_one_found_before():
    text = one_line(200_000)
    variants = [
        text,
        text.replace("年度", "年"),  # no period word: every year of the line is examined
        text.replace("年度", "年").replace("20", "—20"),  # years after a dash: the first of a range?
        "关于落实情况的报告\n" + "2020年以来，" + text.split("\n", 1)[1],
    ]
    for variant in variants:
        paragraphs = year._opening(Document.from_text(variant))
        found, plain = year._opening_year(paragraphs), plain_opening_year(paragraphs)
        assert (found and found.span()) == (plain and plain.span())
