"""Document model: paragraphs with 1-based lines, headings with levels, spans.

A :class:`Document` holds the normalised text of a draft. Every paragraph is
one line of that text, so a character offset maps to a 1-based line and a
1-based character column; for a .docx the "line" is the paragraph number.

Invisible characters (zero-width space, soft hyphen, word joiner, bidi controls …,
:data:`INVISIBLE`) are taken out of the text when a document is built, so that
主体\u200b责任 is found as 主体责任; where each stood is kept
(:attr:`Document.invisible`) for the finding that asks to delete it, and every
location (:meth:`Document.locate`) is a line and column of the original text.

Heading levels follow the numbering of official documents (GB/T 9704-2012
§7.3.3): ``一、`` (1) → ``（一）`` (2) → ``1.`` / ``1、`` (3) → ``（1）`` (4), plus
Markdown ``#`` headings (level = number of ``#``) and, for Word, the level of
the paragraph style (标题 1 / Heading 1 …).
"""

from __future__ import annotations

import bisect
import itertools
import re
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import field
from functools import cached_property

from .cache import lazy_pattern
from .records import record

CN_DIGITS = "零一二三四五六七八九十"
_CN = "[一二三四五六七八九十]{1,3}"

# (level, pattern, style) — style names the enumerator form for numbering checks.
_HEADING_PATTERNS: list[tuple[int, re.Pattern[str], str]] = [
    (1, lazy_pattern(rf"^\s*({_CN})\s*([、.．])", engine="re"), "cn"),
    (2, lazy_pattern(rf"^\s*[（(]\s*({_CN})\s*[）)]\s*(、?)", engine="re"), "paren-cn"),
    (3, lazy_pattern(r"^\s*(\d{1,2})\s*([.．、])(?!\d)", engine="re"), "arabic"),
    (4, lazy_pattern(r"^\s*[（(]\s*(\d{1,2})\s*[）)]\s*(、?)", engine="re"), "paren-arabic"),
]
_MD_HEADING = lazy_pattern(r"^(#{1,6})\s*(\S.*)$", engine="re")
#: The numbered heading patterns that can match a paragraph whose first non-space character is
#: a Chinese digit, a bracket or (key ``"0"``) a decimal digit; no other first character can open one.
_PATTERNS_BY_START: dict[str, list[tuple[int, re.Pattern[str], str]]] = {
    **{ch: [_HEADING_PATTERNS[0]] for ch in "一二三四五六七八九十"},
    **{ch: [_HEADING_PATTERNS[1], _HEADING_PATTERNS[3]] for ch in "（("},
    "0": [_HEADING_PATTERNS[2]],
}
#: One non-blank sentence: a stretch without sentence ends (。！？； and line ends) holding a
#: non-space character, with the punctuation that closes it (optional spaces first, so a match
#: starts where the stretch starts).
_SENTENCE = lazy_pattern(r"[^\S\n]*[^。！？!?；;\n\s][^。！？!?；;\n]*[。！？!?；;]*", engine="re")
#: After its first character, a run-in enumerator checks that it starts the text or follows one of
#: 。；;！？：: or a space: ``(?<![^…].)`` fails only when the two characters before hold another
#: character and then the first one.
_RUN_IN_START = r"(?<![^。；;！？：:\s].)"
#: Run-in enumerators (一是, 第二，, 首先， …), one alternative per first character: the standard
#: library's engine then skips to those characters instead of trying every position.
_RUN_IN = lazy_pattern(
    "("
    + "|".join(
        [f"{digit}{_RUN_IN_START}[一二三四五六七八九十]{{0,2}}是" for digit in "一二三四五六七八九十"]
        + [f"第{_RUN_IN_START}{_CN}[，,、：:]"]
        + [f"{word[0]}{_RUN_IN_START}{word[1]}[，,]" for word in ("首先", "其次", "再次", "最后")]
    )
    + ")",
    engine="re",
)
_TITLE_END = lazy_pattern(r"[。！？!?：:]", engine="re")

#: Characters that show nothing (or only reorder text) and that web pages, WeChat articles and
#: PDF copies leave in drafts, with their Chinese names: they split a keyword (主体\u200b责任)
#: without anyone seeing it. Unicode 15.1 (Default_Ignorable_Code_Point and Bidi_Control; the
#: Hangul fillers and variation selectors are left alone).
INVISIBLE_NAMES: dict[str, str] = {
    "\u00ad": "软连字符",
    "\u034f": "组合用字形连接符",
    "\u061c": "阿拉伯字母标记",
    "\u180e": "蒙古文元音分隔符",
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u200e": "从左到右标记",
    "\u200f": "从右到左标记",
    **{ch: "双向文字控制符" for ch in "\u202a\u202b\u202c\u202d\u202e"},
    "\u2060": "零宽不换行符",
    **{ch: "不可见运算符" for ch in "\u2061\u2062\u2063\u2064"},
    **{ch: "双向隔离符" for ch in "\u2066\u2067\u2068\u2069"},
    "\ufeff": "零宽不换行空格（BOM）",
}
INVISIBLE = "".join(INVISIBLE_NAMES)
_INVISIBLE_RUN = lazy_pattern(f"[{INVISIBLE}]+", engine="re")


@record(frozen=True)
class Invisible:
    """A run of invisible characters taken out of a paragraph.

    Attributes:
        line: 1-based line (paragraph) where they stood.
        col: 1-based column of the first of them in the original paragraph text.
        chars: the characters, in order.
        offset: offset in :attr:`Document.text` (the normalised text) where they stood.
    """

    line: int
    col: int
    chars: str
    offset: int


def without_invisible(text: str) -> str:
    """``text`` without the :data:`INVISIBLE` characters (what :class:`Document` matches on)."""
    return _INVISIBLE_RUN.sub("", text) if _INVISIBLE_RUN.search(text) else text


def _strip_invisible(lines: list[str]) -> tuple[list[str], list[tuple[int, ...]], list[tuple[int, int, str, int]]]:
    """Lines without invisible characters, per line the normalised positions they stood at (one
    entry per character), and ``(line, col, chars, position)`` for each run of them."""
    clean, removed, runs = [], [], []
    for i, line in enumerate(lines):
        if not _INVISIBLE_RUN.search(line):
            clean.append(line)
            removed.append(())
            continue
        pieces, at, gone = [], [], 0
        last = 0
        for m in _INVISIBLE_RUN.finditer(line):
            pieces.append(line[last : m.start()])
            position = m.start() - gone
            runs.append((i + 1, m.start() + 1, m.group(), position))
            at.extend([position] * len(m.group()))
            gone += len(m.group())
            last = m.end()
        pieces.append(line[last:])
        clean.append("".join(pieces))
        removed.append(tuple(at))
    return clean, removed, runs


def _original_index(removed: tuple[int, ...], k: int) -> int:
    """Index in the original paragraph text of the character at normalised index ``k``."""
    return k + bisect.bisect_right(removed, k)


#: Shortest document (characters) kept as a long one (:func:`shared_line_limit`); a shorter
#: document holds a list of paragraph objects that hold their text, the quickest to read.
SHARED_TEXT_MIN_CHARS = 1 << 18
#: Longest paragraph (characters) of a long document that makes its text anew each time it is read;
#: a longer one keeps it from the first read (:class:`_LongLineParagraph`).
SHARED_LINE_MAX_CHARS = 1 << 14


def shared_line_limit(length: int) -> int:
    """The longest paragraph (characters) that makes its text from the text of a document of
    ``length`` characters each time it is read (:class:`_SharedParagraph`); a longer one copies it
    when first read (:class:`_LongLineParagraph`); ``-1`` when the document is not a long one and
    its paragraphs hold their text. The one place that decides both.

    A long document keeps its paragraphs as :class:`_LongParagraphs`: an array of line starts and
    a list of headings, each paragraph made when read. Why: a report of 12 M characters in
    220,000 lines held a copy of every line (as large as the text: 24 MiB) and 220,000 paragraph
    objects with their ints (37 MiB). Reading costs: ``Paragraph.text`` of a paragraph that
    shares makes a new string each time (0.5 % more instructions for ordinary reports when all
    shared), and each paragraph read is a new object (about 1 % more for a report of 3 M
    characters; ordinary reports are not long). Code that reads the text of a paragraph once per
    match in it (year detection) would be quadratic on one very long line: so a paragraph longer
    than :data:`SHARED_LINE_MAX_CHARS` characters keeps its text from the first read, for as long
    as that paragraph object lives (a one-line report of 12 M characters: copied 8 times in a
    check, never kept by the document).
    """
    return SHARED_LINE_MAX_CHARS if length >= SHARED_TEXT_MIN_CHARS else -1


def _lines_of(text: str) -> Iterable[str]:
    """``text.split("\\n")``; a long text is split a stretch of about :data:`LONG_TEXT_STRETCH`
    characters at a time (ending at a line end), so that the lines of a long text are not all
    held at once (as much as the text again: 28 MiB for a report of 12 M characters)."""
    if len(text) <= LONG_TEXT_STRETCH:
        return text.split("\n")
    return _lines_in_stretches(text)


def _lines_in_stretches(text: str) -> Iterator[str]:
    start = 0
    while True:
        cut = text.find("\n", start + LONG_TEXT_STRETCH)
        if cut < 0:
            yield from text[start:].split("\n")
            return
        yield from text[start:cut].split("\n")
        start = cut + 1


def _parse_cn(numeral: str) -> int | None:
    if not numeral or any(ch not in CN_DIGITS for ch in numeral):
        return None
    if numeral == "十":
        return 10
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        if len(tens) > 1 or len(ones) > 1 or "十" in ones or "零" in tens:
            return None
        t = CN_DIGITS.index(tens) if tens else 1
        o = CN_DIGITS.index(ones) if ones else 0
        return t * 10 + o
    if len(numeral) == 1:
        return CN_DIGITS.index(numeral)
    return None


#: Every numeral :func:`_parse_cn` accepts, with its value: it accepts only one digit, or at most
#: one digit, 十 and at most one digit, so these candidates cover them all.
_CN_VALUES: dict[str, int] = {
    numeral: value
    for numeral in [*CN_DIGITS, *(t + "十" + o for t in ["", *CN_DIGITS] for o in ["", *CN_DIGITS])]
    if (value := _parse_cn(numeral)) is not None
}


def cn_to_int(numeral: str) -> int | None:
    """Convert a Chinese numeral of 1–99 (``一`` … ``九十九``) to an int; ``None`` if not one."""
    return _CN_VALUES.get(numeral)


@record
class Heading:
    """A heading recognised at the start of a paragraph.

    Attributes:
        level: 1 (``一、``) … 4 (``（1）``), or the Markdown / Word level.
        number: the enumerator as an int (``三、`` → 3), ``None`` for Markdown or style-only headings.
        marker: the enumerator text as written (``（一）、``).
        style: ``cn`` | ``paren-cn`` | ``arabic`` | ``paren-arabic`` | ``markdown`` | ``word-style``.
        title: the heading's words, up to the first 。/：, without the enumerator.
        run_in: the paragraph continues with body text after the title.
    """

    level: int
    number: int | None
    marker: str
    style: str
    title: str
    run_in: bool = False


#: The attributes of a :class:`Paragraph`, in the order its constructor takes them.
_PARAGRAPH_FIELDS = ("index", "line", "start", "text", "heading", "removed")


class Paragraph:
    """One paragraph = one line of the document text.

    Attributes:
        index: 0-based position among all paragraphs (blank ones included).
        line: 1-based line (``index + 1``).
        start: character offset of the paragraph in ``Document.text``.
        text: the paragraph's text without the line ending (invisible characters taken out).
        heading: the heading that opens the paragraph, if any.
        removed: normalised positions (0-based in ``text``) before which an invisible
            character stood, one entry per character, ascending; empty for most paragraphs.

    A plain class with ``__slots__`` rather than a record: a document holds one per line, and
    without an instance dictionary each takes 72 bytes instead of about 170 (a report of 12 M
    characters with a sentence on each line has 300,000 of them). Equal when every attribute is;
    :meth:`replaced` stands for :func:`dataclasses.replace`. The paragraphs of a long document
    do not hold their text (:func:`shared_line_limit`); they are still paragraphs, equal to one built
    with the same values.
    """

    __slots__ = _PARAGRAPH_FIELDS

    def __init__(
        self, index: int, line: int, start: int, text: str, heading: Heading | None = None, removed: tuple[int, ...] = ()
    ):
        self.index = index
        self.line = line
        self.start = start
        self.text = text
        self.heading = heading
        self.removed = removed

    def _values(self) -> tuple:
        return (self.index, self.line, self.start, self.text, self.heading, self.removed)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Paragraph):
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable and compared by value, as a dataclass

    def __repr__(self) -> str:
        names = ", ".join(f"{name}={value!r}" for name, value in zip(_PARAGRAPH_FIELDS, self._values(), strict=True))
        return f"Paragraph({names})"

    def replaced(self, **changes) -> Paragraph:
        """A copy of this paragraph with ``changes`` (attribute names and new values) applied (a
        paragraph that holds its text)."""
        values = dict(zip(_PARAGRAPH_FIELDS, self._values(), strict=True))
        values.update(changes)
        return Paragraph(**values)

    @property
    def end(self) -> int:
        """Offset just past the paragraph's last character."""
        return self.start + len(self.text)


class _SharedParagraph(Paragraph):
    """A paragraph of a long document that reads its text from the document's text instead of
    holding a copy of it (:func:`shared_line_limit`): ``text`` is ``source[start:start + length]``,
    made when read. Its ``text`` slot is left empty; it keeps the length (characters) rather than
    the end, as most lengths are small ints that Python does not allocate."""

    __slots__ = ("_source", "_length")

    def __init__(
        self, index: int, line: int, start: int, length: int, source: str, heading: Heading | None, removed: tuple[int, ...]
    ):
        self.index = index
        self.line = line
        self.start = start
        self._length = length
        self._source = source
        self.heading = heading
        self.removed = removed

    @property
    def text(self) -> str:  # type: ignore[override]
        """The paragraph's text (a new string each time it is read)."""
        start = self.start
        return self._source[start : start + self._length]

    @property
    def end(self) -> int:
        """Offset just past the paragraph's last character."""
        return self.start + self._length


class _LongLineParagraph(_SharedParagraph):
    """A paragraph of a long document longer than :data:`SHARED_LINE_MAX_CHARS` characters: its
    text is copied from the document's text the first time it is read and kept while this object
    lives, so that code reading ``text`` once per match in it does not copy it each time, while
    finding a paragraph by offset (every finding) copies nothing."""

    __slots__ = ("_copy",)

    def __init__(
        self, index: int, line: int, start: int, length: int, source: str, heading: Heading | None, removed: tuple[int, ...]
    ):
        super().__init__(index, line, start, length, source, heading, removed)
        self._copy: str | None = None

    @property
    def text(self) -> str:  # type: ignore[override]
        """The paragraph's text (copied when first read from this object)."""
        copy = self._copy
        if copy is None:
            start = self.start
            copy = self._copy = self._source[start : start + self._length]
        return copy


class _LongParagraphs(Sequence[Paragraph]):
    """The paragraphs of a long document (:func:`shared_line_limit`), made when read: a list of what
    :class:`Document.paragraphs` holds for a short document, kept as one array of line starts and a
    list of headings (16 bytes a paragraph instead of about 170 for a paragraph object and its ints:
    37 MiB for a report of 12 M characters in 220,000 lines).

    Each read makes a new paragraph object, equal to the one read before.
    """

    __slots__ = ("_text", "starts", "_headings", "_removed", "_limit")

    def __init__(
        self,
        text: str,
        starts: array,
        headings: list[Heading | None],
        removed: dict[int, tuple[int, ...]],
        limit: int,
    ):
        self._text = text
        #: Character offset at which each paragraph starts (what :attr:`Document.line_starts` gives).
        self.starts = starts
        self._headings = headings
        self._removed = removed
        self._limit = limit

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._paragraph(k) for k in range(*i.indices(len(self.starts)))]
        n = len(self.starts)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("paragraph index out of range")
        return self._paragraph(i)

    def _paragraph(self, i: int) -> Paragraph:
        starts = self.starts
        start = starts[i]
        end = starts[i + 1] - 1 if i + 1 < len(starts) else len(self._text)
        removed = self._removed.get(i, ()) if self._removed else ()
        kind = _SharedParagraph if end - start <= self._limit else _LongLineParagraph
        return kind(i, i + 1, start, end - start, self._text, self._headings[i], removed)

    def __iter__(self) -> Iterator[Paragraph]:
        if self._removed:
            yield from map(self._paragraph, range(len(self.starts)))
            return
        text, starts, headings, limit = self._text, self.starts, self._headings, self._limit
        ends = itertools.chain(itertools.islice(starts, 1, None), (len(text) + 1,))
        for i, (start, after, heading) in enumerate(zip(starts, ends, headings, strict=True)):
            length = after - 1 - start
            kind = _SharedParagraph if length <= limit else _LongLineParagraph
            yield kind(i, i + 1, start, length, text, heading, ())

    def headed(self) -> list[Paragraph]:
        """The paragraphs that open with a heading, in order (only they are made)."""
        return [self._paragraph(i) for i, heading in enumerate(self._headings) if heading is not None]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (list, _LongParagraphs)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(list(self))


def detect_heading(text: str, style_level: int | None = None) -> Heading | None:
    """Recognise a heading at the start of ``text``.

    ``style_level`` is the level a Word paragraph style gives (``None`` for plain text);
    it wins over the numbering. Returns ``None`` when the paragraph is body text.
    """
    stripped = text.strip()
    if not stripped:
        return None
    first = stripped[0]
    if first == "#":
        md = _MD_HEADING.match(stripped)
        if md:
            return Heading(len(md.group(1)), None, md.group(1), "markdown", _title(md.group(2))[0])
    # only the patterns that can start with this character (\d = a decimal digit)
    patterns = _PATTERNS_BY_START.get("0" if first.isdecimal() else first, ())
    if not style_level and not patterns:
        return None
    for level, pattern, style in patterns:
        m = pattern.match(text)
        if m:
            numeral = m.group(1)
            number = int(numeral) if numeral.isdigit() else cn_to_int(numeral)
            title, run_in = _title(text[m.end() :])
            if not title:
                continue
            # the few markers there are (（一）, 1. …) shared: 3 MiB in a report of 12 M characters
            marker = sys.intern(m.group(0).strip())
            return Heading(style_level or level, number, marker, style, title, run_in)
    if style_level:
        return Heading(style_level, None, "", "word-style", _title(stripped)[0])
    return None


def _title(rest: str) -> tuple[str, bool]:
    rest = rest.strip()
    m = _TITLE_END.search(rest)
    if not m:
        return rest, False
    return rest[: m.start()].strip(), bool(rest[m.end() :].strip())


def _long_paragraphs(
    text: str, style_levels: list[int | None] | None, removed: list[tuple[int, ...]] | None, limit: int
) -> _LongParagraphs:
    """The paragraphs of the long document ``text`` (its lines read a stretch at a time): headings
    detected, ``removed`` (per line, see :func:`_strip_invisible`) kept for the lines that have
    them; ``limit``: see :func:`shared_line_limit`."""
    starts = array("q")
    headings: list[Heading | None] = []
    gone: dict[int, tuple[int, ...]] = {}
    offset = 0
    for i, line_text in enumerate(_lines_of(text)):
        starts.append(offset)
        headings.append(detect_heading(line_text, style_levels[i] if style_levels else None))
        if removed is not None and removed[i]:
            gone[i] = removed[i]
        offset += len(line_text) + 1
    return _LongParagraphs(text, starts, headings, gone, limit)


@record
class Document:
    """A draft ready to be checked.

    Attributes:
        path: the file path as given by the user (used in messages).
        text: the whole text, paragraphs joined by ``\\n``.
        paragraphs: every line, blank ones included, so ``paragraphs[i].line == i + 1``: a list, or
            for a long document a sequence that makes each paragraph when read (:class:`_LongParagraphs`).
        kind: ``txt`` | ``md`` | ``docx`` | ``pdf``.
        encoding / newline: how the file was stored (for ``--fix``).
        metadata: extra facts from the container (e.g. ``{"created_year": 2023}`` for .docx).
        invisible: the runs of invisible characters taken out of the text, in order
            (line and column in the original text).
        cache: analyses computed once per document (not a constructor argument).
    """

    path: str
    text: str
    paragraphs: Sequence[Paragraph]
    kind: str = "txt"
    encoding: str = "utf-8"
    newline: str = "\n"
    metadata: dict = field(default_factory=dict)
    invisible: list[Invisible] = field(default_factory=list)
    #: Analyses of the text kept for the next module that needs them (e.g. the meetings and
    #: campaigns it names, :func:`djcheck.year.events_in`); a new document starts empty.
    cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_text(cls, text: str, path: str = "<text>", kind: str = "txt", **extra) -> Document:
        """Build a document from normalised text (``\\n`` line endings)."""
        return cls._build(None, None, path=path, kind=kind, joined=text, **extra)

    @classmethod
    def from_paragraphs(
        cls,
        texts: list[str],
        path: str = "<text>",
        kind: str = "txt",
        style_levels: list[int | None] | None = None,
        **extra,
    ) -> Document:
        """Build a document from paragraph texts (one per line); ``style_levels`` come from Word styles."""
        return cls._build(
            [raw.replace("\n", " ") for raw in texts], style_levels, path=path, kind=kind, **extra
        )

    @classmethod
    def _build(
        cls, lines: list[str] | None, style_levels: list[int | None] | None, joined: str | None = None, **fields
    ) -> Document:
        """A document of ``lines`` (texts without ``\\n``), headings detected, invisible characters
        taken out (the one place where they are: every check sees the normalised text).

        ``joined``: ``"\\n".join(lines)`` when the caller has it (kept instead of a second copy of
        the text: 24 MiB for a report of 12 M Chinese characters); ``lines`` may then be ``None``."""
        text = "\n".join(lines) if joined is None else joined
        removed: list[tuple[int, ...]] | None = None
        invisible: list[Invisible] = []
        if _INVISIBLE_RUN.search(text):
            lines, removed, runs = _strip_invisible(text.split("\n") if lines is None else lines)
            text = "\n".join(lines)
        limit = shared_line_limit(len(text))
        if limit >= 0:
            paragraphs = _long_paragraphs(text, style_levels, removed, limit)
        else:
            paragraphs = []
            offset = 0
            for i, line_text in enumerate(text.split("\n") if lines is None else lines):
                heading = detect_heading(line_text, style_levels[i] if style_levels else None)
                paragraphs.append(Paragraph(i, i + 1, offset, line_text, heading, () if removed is None else removed[i]))
                offset += len(line_text) + 1
        if removed is not None:
            invisible = [Invisible(ln, col, chars, paragraphs[ln - 1].start + pos) for ln, col, chars, pos in runs]
        return cls(text=text, paragraphs=paragraphs, invisible=invisible, **fields)

    # -- positions -------------------------------------------------------
    @cached_property
    def line_starts(self) -> Sequence[int]:
        """Offsets at which each line starts (computed once; for a long document the array its
        paragraphs are kept in)."""
        paragraphs = self.paragraphs
        if isinstance(paragraphs, _LongParagraphs):
            return paragraphs.starts
        return [p.start for p in paragraphs]

    def paragraph_at(self, offset: int) -> Paragraph:
        """The paragraph containing character ``offset`` (clamped to the document)."""
        starts = self.line_starts
        i = bisect.bisect_right(starts, offset if offset > 0 else 0) - 1
        paragraphs = self.paragraphs
        if i >= len(paragraphs):
            i = len(paragraphs) - 1
        return paragraphs[i if i > 0 else 0]

    def line_of(self, offset: int) -> int:
        """1-based line of character ``offset``."""
        return self.paragraph_at(offset).line

    def locate(self, start: int, end: int) -> tuple[int, int, int, int]:
        """Map offsets ``[start, end)`` of :attr:`text` to ``(line, col, end_line, end_col)``; 1-based,
        ``end_col`` exclusive, columns of the original text (invisible characters counted)."""
        starts = self.line_starts
        paragraphs = self.paragraphs
        last = len(paragraphs) - 1
        i = min(max(bisect.bisect_right(starts, start if start > 0 else 0) - 1, 0), last)
        if end <= start:
            end = start + 1
        j = i  # a span nearly always ends in the paragraph it starts in: one bisection then
        if i < last and end - 1 >= starts[i + 1]:
            j = min(bisect.bisect_right(starts, end - 1) - 1, last)
        p, q = paragraphs[i], paragraphs[j]
        if p.removed or q.removed:  # columns of the original text, invisible characters counted
            col = _original_index(p.removed, start - p.start) + 1 if p.removed else start - p.start + 1
            end_col = _original_index(q.removed, end - 1 - q.start) + 2 if q.removed else end - q.start + 1
            return p.line, col, q.line, end_col
        return p.line, start - p.start + 1, q.line, end - q.start + 1

    # -- structure helpers ---------------------------------------------------
    @property
    def headings(self) -> list[Paragraph]:
        """Paragraphs that open with a heading, in order."""
        paragraphs = self.paragraphs
        if isinstance(paragraphs, _LongParagraphs):
            return paragraphs.headed()
        return [p for p in paragraphs if p.heading]

    @property
    def body_paragraphs(self) -> list[Paragraph]:
        """Non-blank paragraphs."""
        return [p for p in self.paragraphs if p.text.strip()]

    @property
    def char_count(self) -> int:
        """Number of non-whitespace characters in the whole text."""
        return count_chars(self.text)


def count_chars(text: str) -> int:
    """Number of non-whitespace characters of ``text``.

    Counted a stretch of :data:`LONG_TEXT_STRETCH` characters at a time: the split and join hold
    two copies of what they count (50 MiB at once for a report of 12 M characters).
    """
    # str.split() splits at exactly the str.isspace() characters
    if len(text) <= LONG_TEXT_STRETCH:
        return len("".join(text.split()))
    step = LONG_TEXT_STRETCH
    return sum(len("".join(text[i : i + step].split())) for i in range(0, len(text), step))


#: Characters a text is read in at once by the helpers here that would otherwise hold copies of a
#: long text (:func:`count_chars`, :func:`repeated_units`): peak memory stays a few MiB whatever
#: the length of a report.
LONG_TEXT_STRETCH = 1 << 16


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentences at 。！？； and line ends.

    Returns ``(start, end)`` offsets into ``text`` of each non-blank sentence,
    the closing punctuation included.
    """
    end = len(text) if end is None else end
    return [m.span() for m in _SENTENCE.finditer(text, start, end)]


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` as :func:`sentence_spans` splits it, closing punctuation
    included (``text`` itself when it has no sentence). Only that sentence is scanned for."""
    m = _SENTENCE.search(text)
    return m.group() if m is not None else text


def sentence_count(text: str) -> int:
    """Number of non-blank sentences of ``text``: ``len(sentence_spans(text))``."""
    return len(sentence_spans(text))


def sentence_bounds(text: str, start: int, end: int, ends: str) -> tuple[int, int]:
    """``(lo, hi)``: the sentence of ``text`` around ``text[start:end]``, offsets in characters.

    ``lo`` is just after the last of the characters ``ends`` before ``start`` (``0`` when there is
    none), ``hi`` the first of them at or after ``end`` (``len(text)`` when there is none): what
    ``max(text.rfind(c, 0, start) for c in ends) + 1`` and the least ``text.find(c, end)`` give.
    Looked for in windows that double in size, so a call costs the length of the sentence, not
    of the text: searching the whole text for each end character (``!`` is never found in a
    Chinese report) made a long report's checks quadratic in its length.
    """
    lo, right, width = -1, start, 64
    while right > 0:
        left = max(0, right - width)
        lo = max(text.rfind(c, left, right) for c in ends)
        if lo >= 0:
            break
        right, width = left, width * 2
    n = len(text)
    hi, left, width = n, end, 64
    while left < n:
        right = min(n, left + width)
        found = [i for i in (text.find(c, left, right) for c in ends) if i >= 0]
        if found:
            hi = min(found)
            break
        left, width = right, width * 2
    return lo + 1, hi


def repeated_units(text: str, max_unit: int) -> list[int]:
    """Offsets where a unit of 1–``max_unit`` characters from U+2E80 up is repeated at once (see
    :func:`_repeated_units`), ascending; a long text is read a stretch of :data:`LONG_TEXT_STRETCH`
    characters at a time (with the ``2 × max_unit`` after it a repetition can reach into), so the
    byte strings built stay small: about 12 bytes a character otherwise (150 MiB for 12 M)."""
    step = LONG_TEXT_STRETCH
    if len(text) <= step:
        return _repeated_units(text, max_unit)
    found: list[int] = []
    for first in range(0, len(text), step):
        stretch = text[first : first + step + 2 * max_unit]
        found.extend(first + j for j in _repeated_units(stretch, max_unit) if j < step)
    return found


def _repeated_units(text: str, max_unit: int) -> list[int]:
    r"""Offsets where a unit of 1–``max_unit`` characters from U+2E80 up is repeated at once, ascending
    (做到做到, 建建设: where doubled words can start; used by the ``doubled-word`` check).

    These are the positions where ``(?=([\u2e80-\U0010ffff]{1,max_unit})\1)`` matches (the plain
    definition, which ``tests/test_document.py`` compares with this on random texts, and
    ``benchmarks/ablation.py`` times in its place). Every Han character lies at U+2E80 or above.

    A unit of ``k`` characters is repeated at ``j`` when each of its characters equals the one
    ``k`` places on. Each ``k`` is tested at every position at once, on the lowest byte of
    each character: those bytes as one integer, XORed with itself shifted by ``k`` bytes, has
    a zero byte at ``j`` exactly when the lowest bytes of characters ``j`` and ``j + k`` are
    equal. Only where ``k`` zero bytes follow each other are the two copies compared as text
    (a few places per report); a regex tried at every position takes several times longer.
    """
    low = text.encode("utf-32-le", "surrogatepass")[::4]  # one byte per character
    n = len(low)
    whole = int.from_bytes(low, "little")
    found = set()
    for k in range(1, min(max_unit, n // 2) + 1):
        same = (whole ^ (whole >> (8 * k))).to_bytes(n, "little")  # byte j < n - k: low[j] ^ low[j + k]
        run = bytes(k)
        j = same.find(run, 0, n - k)
        while j >= 0:
            unit = text[j : j + k]
            if unit == text[j + k : j + 2 * k] and min(unit) >= "\u2e80":
                found.add(j)
            j = same.find(run, j + 1, n - k)
    return sorted(found)



def run_in_starts(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Offsets of run-in enumerators (``一是``, ``第二，``, ``首先，`` …) in ``text[start:end]``."""
    end = len(text) if end is None else end
    return [m.start(1) for m in _RUN_IN.finditer(text, start, end)]


def run_in_count(text: str) -> int:
    """Number of run-in enumerators in ``text`` (``len(run_in_starts(text))``)."""
    return len(_RUN_IN.findall(text))


# -- the title block ---------------------------------------------------------
#: Sentence punctuation that a title line does not contain.
_TITLE_PUNCT = lazy_pattern(r"[。；！？!?;]", engine="re")
#: Longest line (characters) that can be a title line.
TITLE_MAX_CHARS = 60


def title_lines(doc: Document) -> list[str]:
    """The title lines at the top of ``doc`` (at most three).

    A title line is a short line (≤ 60 characters) without sentence punctuation
    that comes before the first body paragraph; a Markdown ``#`` line counts.
    Numbered headings (``一、``) end the title block. A first line that runs the
    title into the first heading (``……情况的报告 一、主要工作``, text pasted from a
    web page or a PDF) gives its part before the heading as a title line.
    """
    out: list[str] = []
    for p in doc.paragraphs:
        text = p.text.strip()
        if not text:
            continue
        if p.heading and p.heading.style == "markdown":
            out.append(p.heading.title)
        elif p.heading or len(text) > TITLE_MAX_CHARS or _TITLE_PUNCT.search(text):
            if not out:
                run_in = _RUN_IN_TITLE.match(text)
                if run_in:
                    out.append(run_in.group(1).strip())
            break
        else:
            run_in = _RUN_IN_TITLE.match(text) if not out else None
            out.append(run_in.group(1).strip() if run_in else text)
        if len(out) == 3:
            break
    return out


#: A title followed on the same line by the first heading: the title is the part before ``一、``.
_RUN_IN_TITLE = lazy_pattern(r"([^。；！？!?;，,：:\n]{6,60}?(?:报告|材料|汇报|总结|模板|提纲|清单|述廉|述职|述责))\s*一、", engine="re")


def title_zone(titles: list[str]) -> list[str]:
    """``titles`` and each pair of adjacent title lines joined: a title hard-wrapped over two lines
    (``……对照检`` / ``查材料``) is matched whole."""
    return titles + [a + b for a, b in zip(titles, titles[1:], strict=False)]
