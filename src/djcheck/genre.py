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
    """What detection reads from one document, computed once for all candidate packs.

    ``scan``: the :class:`djcheck.rx.LiteralScreen` of the texts the candidates' word patterns need
    (texts not in it are tested with ``in``).
    Results are kept per pattern, so packs sharing a pattern (the ``common`` pack's) reuse them;
    title matches and report titles also per regex timeout.
    """

    def __init__(self, doc: Document, scan: rx.LiteralScreen | None = None):
        self.doc = doc
        self.titles = title_lines(doc)
        self._scan = scan
        self._present: set[str] | None = None
        self._headlines: dict[tuple[str, ...], str] = {}
        self._zones: dict[tuple[str, ...], tuple[list[str], str]] = {}
        #: word pattern → (its most frequent match, number of matches)
        self.summaries: dict[str, tuple[str, int]] = {}
        #: (title pattern, headline patterns, timeout) → first match in the title zone, or None
        self.title_matches: dict[tuple, str | None] = {}
        self._titled: dict[tuple[str, float | None], bool] = {}
        self._top: int | None = None

    def contains(self, literal: str) -> bool:
        """Whether ``literal`` occurs in the document text."""
        scan = self._scan
        if scan is None or literal not in scan.known:
            return literal in self.doc.text
        if self._present is None:
            self._present = scan.present(self.doc.text)
        return literal in self._present

    def contains_any(self, literals: frozenset[str]) -> bool:
        """Whether one of ``literals`` occurs in the document text."""
        scan = self._scan
        if scan is None or not literals <= scan.known:
            return any(lit in self.doc.text for lit in literals)
        if self._present is None:
            self._present = scan.present(self.doc.text)
        return not literals.isdisjoint(self._present)

    def headline(self, patterns, timeout: float | None = None) -> str:
        key = tuple(patterns)
        if key not in self._headlines:
            self._headlines[key] = headline(self.doc, list(key), self.titles, timeout)
        return self._headlines[key]

    def summary(self, pattern: str, timeout: float | None = None) -> tuple[str, int]:
        """The most frequent match of the ``detect.words`` pattern ``pattern`` (the earliest of them:
        stable across runs) and the number of matches; ``("", 0)`` when there is none. Kept in
        :attr:`summaries`."""
        alternatives, need = _WORD_SPECS.get(pattern) or _word_spec(pattern)
        if need is not None and not self.contains_any(need):
            found = []  # every match would contain one of these texts
        elif alternatives is not None:  # plain texts: the same matches, found faster
            found = _plain_matches(self.doc.text, [a for a in alternatives if self.contains(a)])
        else:
            found = [m.group() for m in _pattern(pattern).finditer(self.doc.text, timeout=timeout)]
        summary = self.summaries[pattern] = (max(found, key=found.count), len(found)) if found else ("", 0)
        return summary

    def title_match(self, pattern: str, need, headline_patterns: tuple[str, ...], timeout: float | None):
        """The first match of ``pattern`` in a title line or the headline sentence, or ``None``.

        ``need``: :func:`~djcheck.rx.required_literals` of ``pattern``. Kept in :attr:`title_matches`.
        """
        zone = self._zones.get(headline_patterns)
        if zone is None:
            lines = self.titles + [self.headline(headline_patterns, timeout)]
            zone = self._zones[headline_patterns] = (lines, "\n".join(lines))
        lines, text = zone
        found = None
        if need is None or any(lit in text for lit in need):  # else a match would need one of these texts
            compiled = _pattern(pattern)
            m = next((m for line in lines if (m := compiled.search(line, timeout=timeout))), None)
            found = m.group() if m else None
        self.title_matches[pattern, headline_patterns, timeout] = found
        return found

    def report_title(self, pattern: str, timeout: float | None = None) -> bool:
        """Whether a title line matches the ``detect.report.title`` pattern."""
        key = (pattern, timeout)
        if key not in self._titled:
            compiled = _pattern(pattern)
            self._titled[key] = any(compiled.search(t, timeout=timeout) for t in self.titles)
        return self._titled[key]

    def top_headings(self) -> int:
        if self._top is None:
            self._top = _top_headings(self.doc)
        return self._top


_WORD_SPECS: dict[str, tuple[list[str] | None, frozenset[str] | None]] = {}


def _word_spec(pattern: str) -> tuple[list[str] | None, frozenset[str] | None]:
    """How to find the matches of a ``detect.words`` pattern: its alternatives when it is plain texts
    joined by ``|`` (else ``None``), and the texts one of which each match contains (or ``None``)."""
    spec = _WORD_SPECS.get(pattern)
    if spec is None:
        alternatives = pattern.split("|")
        plain = all(is_literal(a) for a in alternatives)  # an empty alternative is not plain
        need = required_literals(pattern)
        spec = _WORD_SPECS[pattern] = (
            alternatives if plain else None,
            None if need is None else frozenset(need),
        )
    return spec


def _plain_matches(text: str, alternatives: list[str]) -> list[str]:
    """The matches of the pattern ``a|b|…`` of plain texts, as ``finditer`` finds them: left to right,
    without overlaps, at each position the first alternative that occurs there.

    ``alternatives``: in the pattern's order; those that do not occur in ``text`` may be left out.
    """
    if len(alternatives) == 1:
        return alternatives * text.count(alternatives[0])
    found = []
    nexts = [text.find(a) for a in alternatives]
    while True:
        best = -1
        for i, at in enumerate(nexts):
            if at >= 0 and (best < 0 or at < nexts[best]):  # on a tie the earlier alternative stays
                best = i
        if best < 0:
            return found
        word = alternatives[best]
        found.append(word)
        pos = nexts[best] + len(word)
        nexts = [
            text.find(a, pos) if 0 <= at < pos else at for a, at in zip(alternatives, nexts, strict=True)
        ]


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
    needs = [required_literals(p) for p in patterns]
    # a sentence can match only if it holds one of these texts, so a paragraph without them is skipped
    literals = None if None in needs else {lit for need in needs for lit in need}
    titles = set(title_lines(doc) if titles is None else titles)
    seen = 0
    for p in doc.paragraphs:
        text = p.text.strip()
        if not text or text in titles or (p.heading and p.heading.style == "markdown"):
            continue
        if literals is None or any(lit in text for lit in literals):
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
    if report.get("title") and facts.report_title(report["title"], timeout):
        return True
    if facts.headline(report.get("headline") or [], timeout):
        return True
    return facts.top_headings() >= report.get("min_headings", 2)


class _Plan:
    """A pack's ``detect:`` block read once: the patterns that can give points, with their points and caps."""

    def __init__(self, pack: Pack):
        detect = pack.detect
        cap = detect.get("cap", DEFAULT_CAP)
        self.pack = pack
        self.timeout = timeout_for(pack.file)  # None for a bundled pack (see djcheck.safe_regex)
        self.headline = tuple((detect.get("report") or {}).get("headline") or [])
        self.min_score = float(detect.get("min_score", DEFAULT_MIN_SCORE))
        self.priority = detect.get("priority", 0)
        #: (key in :attr:`_Facts.title_matches`, pattern, texts a match needs or None, points)
        #: of each ``title`` entry with points.
        self.title = [
            ((p, self.headline, self.timeout), p, required_literals(p), pts)
            for p, pts in (detect.get("title") or {}).items()
            if pts
        ]
        #: (pattern, points, cap) of each ``words`` entry with points.
        self.words = []
        for pattern, spec in (detect.get("words") or {}).items():
            points, limit = (spec["points"], spec.get("cap", cap)) if isinstance(spec, dict) else (spec, cap)
            if points:
                self.words.append((pattern, points, limit))
        self.is_genre = is_genre_pack(pack)

    def literals(self) -> set[str]:
        """The texts the ``words`` patterns need (:func:`djcheck.rx.required_literals`)."""
        return {lit for pattern, _, _ in self.words for lit in required_literals(pattern) or ()}


_PLANS: dict[int, _Plan] = {}


def _plan(pack: Pack) -> _Plan:
    """The :class:`_Plan` of ``pack``, remembered per pack object (a pack's ``detect`` does not change)."""
    plan = _PLANS.get(id(pack))
    if plan is None or plan.pack is not pack:
        if len(_PLANS) > 1000:
            _PLANS.clear()
        plan = _PLANS[id(pack)] = _Plan(pack)
    return plan


def score_pack(doc: Document, pack: Pack, facts: _Facts | None = None) -> GenreScore:
    """Score how well ``doc`` fits ``pack`` by the pack's ``detect:`` block.

    ``facts``: what :func:`detect_genre` already read from ``doc`` (internal; computed when ``None``).
    """
    facts = facts or _Facts(doc)
    plan = _plan(pack)
    timeout = plan.timeout
    evidence: list[Evidence] = []
    matches = facts.title_matches
    for key, pattern, need, points in plan.title:
        text = matches[key] if key in matches else facts.title_match(pattern, need, plan.headline, timeout)
        if text is not None:
            evidence.append(Evidence("title", text, 1, float(points)))
    summaries = facts.summaries
    for pattern, points, limit in plan.words:
        common, count = summaries.get(pattern) or facts.summary(pattern, timeout)
        if count:
            evidence.append(Evidence("words", common, count, float(points) * min(count, limit)))
    score = round(sum(e.points for e in evidence), 1)
    return GenreScore(
        profile=pack.id,
        title=pack.title,
        score=score,
        min_score=plan.min_score,
        is_report=looks_like_report(doc, pack.detect, facts, timeout),
        evidence=evidence,
    )


def is_genre_pack(pack: Pack) -> bool:
    """A pack takes part in detection when its ``detect`` gives positive points to some pattern."""
    d = pack.detect
    values = list((d.get("title") or {}).values()) + [
        v["points"] if isinstance(v, dict) else v for v in (d.get("words") or {}).values()
    ]
    return any(v > 0 for v in values)


_SCANS: dict[tuple[int, ...], tuple[list[Pack], rx.LiteralScreen]] = {}


def _scan_for(candidates: list[Pack]) -> rx.LiteralScreen:
    """The :class:`djcheck.rx.LiteralScreen` of the texts the ``candidates``' word patterns need, built once
    per candidate set (one scan of a document then tells which occur)."""
    key = tuple(id(p) for p in candidates)
    known = _SCANS.get(key)
    if known is None or any(a is not b for a, b in zip(known[0], candidates, strict=True)):
        if len(_SCANS) > 100:
            _SCANS.clear()
        literals = frozenset(lit for p in candidates for lit in _plan(p).literals())
        known = _SCANS[key] = (list(candidates), rx.LiteralScreen(literals))
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
    candidates = [p for p in packs if _plan(p).is_genre]
    facts = _Facts(doc, _scan_for(candidates))
    scores = [_bounded(doc, p, facts) for p in candidates]
    order = sorted(
        range(len(scores)),
        key=lambda i: (-scores[i].score, -_plan(candidates[i]).priority, i),
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
