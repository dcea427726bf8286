"""Genre detection: which report type (rule pack) a draft is, from its title and content.

The deciding words are data: each pack's ``detect:`` block (schema
:data:`djcheck.pack.DETECT_SCHEMA`), merged over its parents' (so the
``common`` pack's entries — speech and news wording that count against every
genre, and the signs that a text is a report at all — apply to every genre)::

    detect:
      title:                 # regex → points, once each, in the 标题 and the “现将……报告如下” sentence
        监督责任: 12
      words:                 # regex → points for each occurrence in the whole text …
        协助职责: 3
        问题线索: {points: 1, cap: 5}   # … counting at most `cap` occurrences (default: detect.cap, 3)
      min_score: 8           # fewest points to be recognised as this genre
      priority: 0            # wins a tie
      report:                # a text is a report only if it shows one of these
        title: 报告|材料|汇报  # a title line with one of these words
        headline: ['(报告|汇报)如下']   # a sentence such as “现将有关情况报告如下”
        min_headings: 2      # or this many top-level headings (一、二、… or #)

A genre is chosen when its points reach its ``min_score``; the highest wins,
then the higher ``priority``, then the earlier pack in the candidate list.
Text that looks like no report, or reaches no genre's ``min_score``, is not
recognised (:attr:`Detection.profile` is ``None``) and is not scored.

Domain basis: the genres and their vocabulary follow the domain catalogue §1–§3
(监督责任、协助职责 for 纪委/纪检组 reports; 分析研判政治生态; 对照检查 with 原因剖析;
述责述廉 with 廉洁自律、个人有关事项); the weights were calibrated on the five seed
reports and the drafts in ``samples/genres``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from . import rx
from .document import Document
from .pack import REGEX_FLAGS, Pack
from .rx import is_literal, required_literals
from .safe_regex import timeout_error, timeout_for

#: Sentence ends used to cut the headline sentence out of its paragraph.
_SENTENCE = rx.compile(r"[^。！？；!?;\n]*[。！？；!?;]?")
_TITLE_PUNCT = rx.compile(r"[。；！？!?;]")
#: How many body paragraphs after the title are searched for the headline sentence.
HEADLINE_PARAGRAPHS = 3
#: Longest line (characters) that can be a title line.
TITLE_MAX_CHARS = 60
DEFAULT_CAP = 3
DEFAULT_MIN_SCORE = 6.0


@dataclass
class Evidence:
    """One deciding pattern: where it matched, what text, how often, the points it gave."""

    zone: str  # "title" | "words"
    text: str
    count: int
    points: float


@dataclass
class GenreScore:
    """How well ``doc`` fits one pack."""

    profile: str
    title: str
    score: float
    min_score: float
    is_report: bool
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        """The text looks like a report and reaches the pack's ``min_score``."""
        return self.is_report and self.score >= self.min_score


@dataclass
class Detection:
    """The outcome of :func:`detect_genre`.

    Attributes:
        profile: id of the chosen pack, or ``None`` when no genre fits.
        title: Chinese title of the chosen pack (``None`` when none).
        reason: Chinese, the words that decided (or why nothing fits).
        scores: every candidate, best first.
    """

    profile: str | None
    title: str | None
    reason: str
    scores: list[GenreScore]


def title_lines(doc: Document) -> list[str]:
    """The title lines at the top of ``doc`` (at most three).

    A title line is a short line (≤ 60 characters) without sentence punctuation
    that comes before the first body paragraph; a Markdown ``#`` line counts.
    Numbered headings (``一、``) end the title block.
    """
    out: list[str] = []
    for p in doc.paragraphs:
        text = p.text.strip()
        if not text:
            continue
        if p.heading and p.heading.style == "markdown":
            out.append(p.heading.title)
        elif p.heading or len(text) > TITLE_MAX_CHARS or _TITLE_PUNCT.search(text):
            break
        else:
            out.append(text)
        if len(out) == 3:
            break
    return out


_PATTERNS: dict[str, regex.Pattern] = {}


def _pattern(source: str) -> regex.Pattern:
    """``source`` compiled with :data:`REGEX_FLAGS`, once per process (detection patterns repeat across packs)."""
    found = _PATTERNS.get(source)
    if found is None:
        found = _PATTERNS[source] = rx.compile(source, REGEX_FLAGS)
    return found


class _Facts:
    """What detection reads from one document, computed once for all candidate packs."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.titles = title_lines(doc)
        self._headlines: dict[tuple[str, ...], str] = {}
        self._words: dict[str, list[str]] = {}
        self._top: int | None = None

    def headline(self, patterns, timeout: float | None = None) -> str:
        key = tuple(patterns)
        if key not in self._headlines:
            self._headlines[key] = headline(self.doc, list(key), self.titles, timeout)
        return self._headlines[key]

    def words(self, pattern: str, timeout: float | None = None) -> list[str]:
        if pattern not in self._words:
            text = self.doc.text
            need = required_literals(pattern)
            if is_literal(pattern):  # the same as the matches of the pattern, found faster
                found = [pattern] * text.count(pattern)
            elif need is not None and not any(lit in text for lit in need):
                found = []  # every match would contain one of these texts
            else:
                found = [m.group() for m in _pattern(pattern).finditer(self.doc.text, timeout=timeout)]
            self._words[pattern] = found
        return self._words[pattern]

    def top_headings(self) -> int:
        if self._top is None:
            self._top = _top_headings(self.doc)
        return self._top


def headline(
    doc: Document, patterns: list[str], titles: list[str] | None = None, timeout: float | None = None
) -> str:
    """The sentence that says what is being reported (``现将……报告如下``), or ``""``.

    Searched in the first :data:`HEADLINE_PARAGRAPHS` non-title paragraphs.
    ``titles``: :func:`title_lines` of ``doc`` when already known.
    """
    if not patterns:
        return ""
    compiled = [_pattern(p) for p in patterns]
    titles = set(title_lines(doc) if titles is None else titles)
    seen = 0
    for p in doc.paragraphs:
        text = p.text.strip()
        if not text or text in titles or (p.heading and p.heading.style == "markdown"):
            continue
        for m in _SENTENCE.finditer(text):
            sentence = m.group()
            if sentence and any(c.search(sentence, timeout=timeout) for c in compiled):
                return sentence
        seen += 1
        if seen >= HEADLINE_PARAGRAPHS:
            break
    return ""


def _top_headings(doc: Document) -> int:
    heads = [p.heading for p in doc.headings if p.heading.style != "markdown" or p.index > 0]
    if not heads:
        return 0
    top = min(h.level for h in heads)
    return sum(1 for h in heads if h.level == top)


def looks_like_report(
    doc: Document, detect: dict, facts: _Facts | None = None, timeout: float | None = None
) -> bool:
    """Whether ``doc`` shows a sign of being a report (``detect.report``); ``True`` when no signs are set."""
    report = detect.get("report") or {}
    if not report:
        return True
    facts = facts or _Facts(doc)
    if report.get("title") and any(_pattern(report["title"]).search(t, timeout=timeout) for t in facts.titles):
        return True
    if facts.headline(report.get("headline") or [], timeout):
        return True
    return facts.top_headings() >= report.get("min_headings", 2)


def score_pack(doc: Document, pack: Pack, facts: _Facts | None = None) -> GenreScore:
    """Score how well ``doc`` fits ``pack`` by the pack's ``detect:`` block.

    ``facts``: what :func:`detect_genre` already read from ``doc`` (internal; computed when ``None``).
    """
    facts = facts or _Facts(doc)
    detect = pack.detect
    cap = detect.get("cap", DEFAULT_CAP)
    timeout = timeout_for(pack.file)  # None for a bundled pack (see djcheck.safe_regex)
    zone = facts.titles + [facts.headline((detect.get("report") or {}).get("headline") or [], timeout)]
    zone_text = "\n".join(zone)
    evidence: list[Evidence] = []
    for pattern, points in (detect.get("title") or {}).items():
        need = required_literals(pattern)
        if not points or (need is not None and not any(lit in zone_text for lit in need)):
            continue  # no evidence: no points, or a match would need one of these texts in a title line
        compiled = _pattern(pattern)
        m = next((m for line in zone if (m := compiled.search(line, timeout=timeout))), None)
        if m and points:
            evidence.append(Evidence("title", m.group(), 1, float(points)))
    for pattern, spec in (detect.get("words") or {}).items():
        points, limit = (spec["points"], spec.get("cap", cap)) if isinstance(spec, dict) else (spec, cap)
        found = facts.words(pattern, timeout) if points else []
        if found and points:
            common = max(found, key=found.count)  # the earliest of the most frequent: stable across runs
            evidence.append(Evidence("words", common, len(found), float(points) * min(len(found), limit)))
    score = round(sum(e.points for e in evidence), 1)
    return GenreScore(
        profile=pack.id,
        title=pack.title,
        score=score,
        min_score=float(detect.get("min_score", DEFAULT_MIN_SCORE)),
        is_report=looks_like_report(doc, detect, facts, timeout),
        evidence=evidence,
    )


def is_genre_pack(pack: Pack) -> bool:
    """A pack takes part in detection when its ``detect`` gives positive points to some pattern."""
    d = pack.detect
    values = list((d.get("title") or {}).values()) + [
        v["points"] if isinstance(v, dict) else v for v in (d.get("words") or {}).values()
    ]
    return any(v > 0 for v in values)


_GENRE_PACKS: dict[int, tuple[Pack, bool]] = {}


def _is_genre_pack(pack: Pack) -> bool:
    """:func:`is_genre_pack`, remembered per pack object (a pack's ``detect`` does not change)."""
    known = _GENRE_PACKS.get(id(pack))
    if known is None or known[0] is not pack:
        if len(_GENRE_PACKS) > 1000:
            _GENRE_PACKS.clear()
        known = _GENRE_PACKS[id(pack)] = (pack, is_genre_pack(pack))
    return known[1]


def _clip(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(ev: list[Evidence]) -> str:
    titled = [e for e in ev if e.zone == "title"]
    counted = sorted((e for e in ev if e.zone == "words"), key=lambda e: -e.points)
    parts = []
    if titled:
        parts.append("标题含" + "、".join(f"“{_clip(e.text)}”" for e in titled))
    if counted:
        parts.append("正文" + "、".join(f"“{e.text}”{e.count}次" for e in counted[:4]))
    return "；".join(parts)


def detect_genre(doc: Document, packs: list[Pack]) -> Detection:
    """Choose the pack whose genre fits ``doc`` best.

    Args:
        doc: the draft.
        packs: candidate genre packs, in preference order (packs that are not
            genre packs, see :func:`is_genre_pack`, are ignored).

    Returns:
        A :class:`Detection`; ``profile`` is ``None`` when no genre fits, with
        the reason in Chinese.

    Raises:
        RuleError: a ``detect:`` pattern ran longer than the regex timeout (:mod:`djcheck.safe_regex`).
    """
    candidates = [p for p in packs if _is_genre_pack(p)]
    facts = _Facts(doc)
    scores = [_bounded(doc, p, facts) for p in candidates]
    order = sorted(
        range(len(scores)),
        key=lambda i: (-scores[i].score, -candidates[i].detect.get("priority", 0), i),
    )
    ranked = [scores[i] for i in order]
    fitting = [s for s in ranked if s.fits]
    if fitting:
        best = fitting[0]
        positive = [e for e in best.evidence if e.points > 0]
        reason = f"{_describe(positive)}（{best.score:g} 分）"
        if len(fitting) > 1:
            runner = fitting[1]
            reason += f"；其次是“{runner.title}”（{runner.score:g} 分）"
        return Detection(best.profile, best.title, reason, ranked)
    return Detection(None, None, _why_not(ranked, candidates), ranked)


def _bounded(doc: Document, pack: Pack, facts: _Facts) -> GenreScore:
    """:func:`score_pack`; a ``detect:`` pattern running out of time is a :class:`RuleError` naming the pack."""
    try:
        return score_pack(doc, pack, facts)
    except TimeoutError:
        raise timeout_error(pack.file, "detect", None) from None


def _why_not(ranked: list[GenreScore], candidates: list[Pack]) -> str:
    if not ranked:
        return "没有可用于识别报告类型的规则包"
    if not any(s.is_report for s in ranked):
        return "不像一份工作报告：没有报告标题、没有“现将……报告如下”之类的说明，也没有分部分的标题"
    against = {(e.zone, e.text): e for s in ranked for e in s.evidence if e.points < 0}
    best = ranked[0]
    notes = []
    if against:
        return (
            "含有讲话稿、新闻稿等非报告用语（" + _describe(list(against.values())) + "），不作为工作报告检查"
        )
    positive = [e for e in best.evidence if e.points > 0]
    if positive:
        notes.append(
            f"最接近“{best.title}”，但关键词不足（{_describe(positive)}，{best.score:g} 分，需 {best.min_score:g} 分）"
        )
    else:
        names = "、".join(f"“{s.title}”" for s in ranked)
        notes.append(f"没有找到{names}等报告类型的关键词")
    return "；".join(notes)
