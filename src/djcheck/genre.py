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

from collections import Counter
from dataclasses import dataclass, field
from functools import partial

import regex

from . import safe_regex
from .cache import compile_regex
from .document import Document, sentence_spans, title_lines, title_zone
from .pack import REGEX_FLAGS, Pack
from .prefilter import LiteralScreen, is_literal, required_literals
from .safe_regex import timeout_error, timeout_for

#: How many body paragraphs after the title are searched for the headline sentence.
HEADLINE_PARAGRAPHS = 3
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


_PATTERNS: dict[str, regex.Pattern] = {}


def _pattern(source: str) -> regex.Pattern:
    """``source`` compiled with :data:`REGEX_FLAGS`, once per process (detection patterns repeat across packs)."""
    found = _PATTERNS.get(source)
    if found is None:
        found = _PATTERNS[source] = compile_regex(source, REGEX_FLAGS)
    return found


def _summary(found: list[str]) -> tuple[str, int]:
    """``(the most frequent text of found, len(found))``, ties going to the text that occurs first;
    ``("", 0)`` when ``found`` is empty.

    Counted in one pass: ``max(found, key=found.count)`` gave the same answer but was quadratic
    (1.6 s for one word pattern on a report of 12 M characters). A Counter keeps insertion order, so
    ``max`` over it meets the texts in order of first occurrence and keeps the earliest of
    the most frequent, as before.
    """
    if not found:
        return "", 0
    counts = Counter(found)
    return max(counts, key=counts.__getitem__), len(found)


def _bound(method, timeout: float | None):
    """A regex ``search`` / ``finditer`` method run under ``timeout`` and the file's budget
    (:func:`djcheck.safe_regex.run` / :func:`~djcheck.safe_regex.iterate`), or the method itself when there
    is none (a bundled pack): an explicit ``timeout=None`` costs the regex module more than a short search."""
    if timeout is None:
        return method
    bounded = safe_regex.iterate if method.__name__ == "finditer" else safe_regex.run
    return partial(bounded, method, timeout=timeout)


class _Facts:
    """What detection reads from one document, computed once for all candidate packs.

    ``words``: the :class:`~djcheck.prefilter.LiteralScreen` of the candidates' word patterns; every word pattern of plain
    texts it knows is summarised from its one scan, the others are searched (skipped when a text
    they need, known to the scan, is absent).
    Results are kept per pattern, so packs sharing a pattern (the ``common`` pack's) reuse them;
    title matches and report titles also per regex timeout.
    """

    def __init__(self, doc: Document, words: LiteralScreen | None = None):
        self.doc = doc
        self.titles = title_lines(doc)
        self._words = words or _NO_WORDS
        self._present: set[str] | None = None
        self._headlines: dict[tuple[str, ...], str] = {}
        self._zones: dict[tuple[str, ...], tuple[list[str], str]] = {}
        #: word pattern → (its most frequent match, number of matches); every plain pattern of
        #: ``words`` once :meth:`word_summaries` has run
        self.summaries: dict[str, tuple[str, int]] = {}
        #: (title pattern, headline patterns, timeout) → first match in the title zone, or None
        self.title_matches: dict[tuple, str | None] = {}
        self._titled: dict[tuple[str, float | None], bool] = {}
        self._reports: dict[tuple, bool] = {}
        self._top: int | None = None

    def word_summaries(self) -> dict[str, tuple[str, int]]:
        """:attr:`summaries`, with every plain word pattern of the scan summarised (one scan, on first call)."""
        if self._present is None:
            self._present, matches = self._words.matches_by_pattern(self.doc.text)
            summaries = self.summaries
            for source in self._words.plain:
                found = matches.get(source)
                summaries[source] = _summary(found)
        return self.summaries

    def summary(self, pattern: str, timeout: float | None = None) -> tuple[str, int]:
        """The most frequent match of the ``detect.words`` pattern ``pattern`` (the earliest of them:
        stable across runs) and the number of matches; ``("", 0)`` when there is none. Kept in
        :attr:`summaries`."""
        summaries = self.word_summaries()
        if pattern in summaries:
            return summaries[pattern]
        need = _word_need(pattern)
        if need is not None and need <= self._words.known and need.isdisjoint(self._present):
            found = []  # every match would contain one of these texts
        else:
            found = [m.group() for m in _bound(_pattern(pattern).finditer, timeout)(self.doc.text)]
        summary = summaries[pattern] = _summary(found)
        return summary

    def headline(self, patterns, timeout: float | None = None) -> str:
        key = tuple(patterns)
        if key not in self._headlines:
            self._headlines[key] = headline(self.doc, list(key), self.titles, timeout)
        return self._headlines[key]

    def title_match(self, pattern: str, need, headline_patterns: tuple[str, ...], timeout: float | None):
        """The first match of ``pattern`` in a title line or the headline sentence, or ``None``.

        ``need``: :func:`~djcheck.prefilter.required_literals` of ``pattern``. Kept in :attr:`title_matches`.
        """
        zone = self._zones.get(headline_patterns)
        if zone is None:
            lines = title_zone(self.titles) + [self.headline(headline_patterns, timeout)]
            zone = self._zones[headline_patterns] = (lines, "\n".join(lines))
        lines, text = zone
        found = None
        if need is None or any(lit in text for lit in need):  # else a match would need one of these texts
            search = _bound(_pattern(pattern).search, timeout)
            m = next((m for line in lines if (m := search(line))), None)
            found = m.group() if m else None
        self.title_matches[pattern, headline_patterns, timeout] = found
        return found

    def report_title(self, pattern: str, timeout: float | None = None) -> bool:
        """Whether a title line matches the ``detect.report.title`` pattern."""
        key = (pattern, timeout)
        if key not in self._titled:
            search = _bound(_pattern(pattern).search, timeout)
            self._titled[key] = any(search(t) for t in title_zone(self.titles))
        return self._titled[key]

    def top_headings(self) -> int:
        if self._top is None:
            self._top = _top_headings(self.doc)
        return self._top

    def is_report(
        self, report: tuple[str | None, tuple[str, ...], int], timeout: float | None = None
    ) -> bool:
        """Whether the document shows a sign of being a report: ``report`` is a ``detect.report`` block read
        by :func:`_report_spec` (title pattern, headline patterns, fewest top-level headings). Kept per
        block and timeout."""
        key = (report, timeout)
        found = self._reports.get(key)
        if found is None:
            title, headlines, min_headings = report
            found = self._reports[key] = bool(
                (title and self.report_title(title, timeout))
                or self.headline(headlines, timeout)
                or self.top_headings() >= min_headings
            )
        return found


_NO_WORDS = LiteralScreen()
_NEEDS: dict[str, frozenset[str] | None] = {}


def _word_need(pattern: str) -> frozenset[str] | None:
    """:func:`~djcheck.prefilter.required_literals` of a ``detect.words`` pattern, as a set (remembered per pattern)."""
    if pattern not in _NEEDS:
        need = required_literals(pattern)
        _NEEDS[pattern] = None if need is None else frozenset(need)
    return _NEEDS[pattern]


def _plain_alternatives(pattern: str) -> list[str] | None:
    """The alternatives of a ``detect.words`` pattern that is plain texts joined by ``|``, else ``None``."""
    alternatives = pattern.split("|")
    return alternatives if all(is_literal(a) for a in alternatives) else None  # an empty one is not plain


def headline(
    doc: Document, patterns: list[str], titles: list[str] | None = None, timeout: float | None = None
) -> str:
    """The sentence that says what is being reported (``现将……报告如下``), or ``""``.

    Searched in the first :data:`HEADLINE_PARAGRAPHS` non-title paragraphs.
    ``titles``: :func:`title_lines` of ``doc`` when already known.
    """
    if not patterns:
        return ""
    compiled, literals = _HEADLINES.get(tuple(patterns)) or _headline_spec(tuple(patterns))
    searches = [_bound(c.search, timeout) for c in compiled]
    titles = set(title_lines(doc) if titles is None else titles)
    seen = 0
    for p in doc.paragraphs:
        text = p.text.strip()
        if not text or text in titles or (p.heading and p.heading.style == "markdown"):
            continue
        if literals is None or any(lit in text for lit in literals):
            for start, end in sentence_spans(text):
                sentence = text[start:end]
                if (
                    (literals is None or any(lit in sentence for lit in literals))
                    and any(search(sentence) for search in searches)
                ):
                    return sentence
        seen += 1
        if seen >= HEADLINE_PARAGRAPHS:
            break
    return ""


_HEADLINES: dict[tuple[str, ...], tuple[list[regex.Pattern], frozenset[str] | None]] = {}


def _headline_spec(patterns: tuple[str, ...]) -> tuple[list[regex.Pattern], frozenset[str] | None]:
    """The headline ``patterns`` compiled, and the texts one of which a matching sentence holds
    (``None`` when that is not known); remembered per pattern list."""
    needs = [required_literals(p) for p in patterns]
    literals = None if None in needs else frozenset(lit for need in needs for lit in need)
    spec = _HEADLINES[patterns] = ([_pattern(p) for p in patterns], literals)
    return spec


def _top_headings(doc: Document) -> int:
    heads = [p.heading for p in doc.headings if p.heading.style != "markdown" or p.index > 0]
    if not heads:
        return 0
    top = min(h.level for h in heads)
    return sum(1 for h in heads if h.level == top)


def _report_spec(detect: dict) -> tuple[str | None, tuple[str, ...], int] | None:
    """A ``detect.report`` block as ``(title pattern or None, headline patterns, min_headings)``;
    ``None`` when it sets no signs."""
    report = detect.get("report") or {}
    if not report:
        return None
    return report.get("title") or None, tuple(report.get("headline") or ()), report.get("min_headings", 2)


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
        self.report = _report_spec(detect)
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
    facts = facts or _Facts(doc, _detector_for([pack]).words)
    plan = _plan(pack)
    timeout = plan.timeout
    evidence: list[Evidence] = []
    matches = facts.title_matches
    for key, pattern, need, points in plan.title:
        text = matches[key] if key in matches else facts.title_match(pattern, need, plan.headline, timeout)
        if text is not None:
            evidence.append(Evidence("title", text, 1, float(points)))
    summaries = facts.word_summaries()
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
        is_report=plan.report is None or facts.is_report(plan.report, timeout),
        evidence=evidence,
    )


def is_genre_pack(pack: Pack) -> bool:
    """A pack takes part in detection when its ``detect`` gives positive points to some pattern."""
    d = pack.detect
    values = list((d.get("title") or {}).values()) + [
        v["points"] if isinstance(v, dict) else v for v in (d.get("words") or {}).values()
    ]
    return any(v > 0 for v in values)


class _Detector:
    """A list of candidate packs read once: the genre packs among them, their plans, their word scan."""

    def __init__(self, packs: list[Pack]):
        self.packs = list(packs)
        self.candidates = [p for p in packs if _plan(p).is_genre]
        self.plans = [_plan(p) for p in self.candidates]
        plain: dict[str, list[str]] = {}
        needed: set[str] = set()
        for plan in self.plans:
            for pattern, _, _ in plan.words:
                alternatives = _plain_alternatives(pattern)
                if alternatives is not None:
                    plain[pattern] = alternatives
                else:
                    needed |= _word_need(pattern) or set()
        #: summarises the patterns of plain texts, knows the texts the others need
        self.words = LiteralScreen(needed, plain)


_DETECTORS: dict[tuple[int, ...], _Detector] = {}


def _detector_for(packs: list[Pack]) -> _Detector:
    """The :class:`_Detector` of ``packs``, built once per list of pack objects."""
    key = tuple(id(p) for p in packs)
    known = _DETECTORS.get(key)
    if known is None or any(a is not b for a, b in zip(known.packs, packs, strict=True)):
        if len(_DETECTORS) > 100:
            _DETECTORS.clear()
        known = _DETECTORS[key] = _Detector(packs)
    return known


def detector_for(packs: list[Pack]) -> _Detector:
    """What :func:`detect_genre` reads from the candidate list ``packs`` before any document: the genre
    packs among them, their ``detect:`` blocks read, the scan of their plain words. Built once per list
    of pack objects; it can be pickled together with ``packs`` and handed back to :func:`reuse_detector`
    after they are read back."""
    return _detector_for(packs)


def reuse_detector(detector: _Detector) -> None:
    """Let :func:`detect_genre` use ``detector`` (from :func:`detector_for`, pickled together with its packs
    and read back) for the same list of pack objects, instead of building it again."""
    for plan in detector.plans:
        _PLANS[id(plan.pack)] = plan
    if len(_DETECTORS) > 100:
        _DETECTORS.clear()
    _DETECTORS[tuple(id(p) for p in detector.packs)] = detector


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
    detector = _detector_for(packs)
    candidates, plans = detector.candidates, detector.plans
    facts = _Facts(doc, detector.words)
    scores = [_bounded(doc, p, facts) for p in candidates]
    order = sorted(range(len(scores)), key=lambda i: (-scores[i].score, -plans[i].priority, i))
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
            "含有讲话稿、新闻稿、通知或规章条文等非报告的特征（"
            + _describe(list(against.values()))
            + "），不作为工作报告检查"
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
