"""One checking run over many files: configuration, genre, suppression, verdict.

For every file a :class:`Session` finds its configuration
(:mod:`djcheck.config`), reads the draft, blanks the inline markers
(:mod:`djcheck.suppress`), picks the pack — ``--profile``, else the
configuration's ``profile``, else the detected genre (:mod:`djcheck.genre`) —
applies the configuration's add-on packs and rule settings, checks the draft
(:func:`djcheck.engine.check_document`) and applies ``fail_on``.

Precedence of settings: command line (the Session's arguments) over the
configuration file over the pack.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .batch import check_files
from .config import (
    Config,
    add_pack,
    apply_settings,
    discover_config,
    ignored_note,
    known_rule_ids,
    load_config,
    used_note,
)
from .document import LONG_TEXT_STRETCH, Document
from .engine import CACHED_PACKS, check_document, fail_reasons, load_pack_cached, load_packs, pack_key
from .errors import ConfigError, DjcheckError, InputError, RuleError, naming
from .genre import Detection, detect_genre, detector_for, is_genre_pack, reuse_detector
from .loaders import collect_files, load_document
from .model import FileResult, location_unit
from .pack import BASE_PACKS, Pack, bundled_packs, is_word_list, match_names, pack_names
from .safe_regex import file_budget
from .suppress import scan, unknown_rule_findings

#: The genre pack that wins a tie in genre detection (主体责任 reports are the most common).
DEFAULT_PROFILE = "zhuti-zeren"
FAIL_LEVELS = {"error": ("error",), "warning": ("error", "warning")}
#: Rules of the ``common`` pack that hold for any document, run also on a text of no supported genre
#: (no score): leftovers, doubled words, typos, terms, punctuation. Numbering and the author's name
#: are report conventions and stay out.
HYGIENE_RULES = frozenset(
    {"placeholder", "doubled-word", "typo-words", "typo-guess", "term-standard", "term-slogans", "outdated-term",
     "term-regulation-titles",
     "outdated-term-event", "punctuation"}
)


class Session:
    """Settings for one run and the caches that make many files cheap.

    Args:
        profile: pack id or path forced for every file (``--profile``).
        pack: an already loaded pack forced for every file, used as it is.
        config: a configuration file for every file (``--config``); by default
            each file's nearest ``.djcheck.yaml`` / ``pyproject.toml``.
        min_score / year / fail_on: command-line overrides of the configuration.

    Raises (from :meth:`check` / :meth:`check_paths`):
        ConfigError: an invalid configuration file.
        RuleError: a pack that cannot be loaded.
    """

    def __init__(
        self,
        *,
        profile: str | None = None,
        pack: Pack | None = None,
        config: str | Path | None = None,
        min_score: float | None = None,
        year: int | None = None,
        fail_on: str | None = None,
    ):
        self.profile = profile
        self.forced_pack = pack
        self.min_score = min_score
        self.year = year
        self.fail_on = fail_on
        self._override = load_config(config) if config is not None else None
        self._configs: dict[Path | None, Config] = {}
        self._invalid: dict[Path | None, ConfigError] = {}
        self._ignored: dict[Path, list[Path]] = {}
        self._by_folder: dict[Path, Config] = {}
        self._packs: dict[tuple, Pack] = {}
        self._known: dict[str | None, set[str]] = {}
        self._candidates: dict[str | None, list[Pack]] = {}
        self._bundled_packs: list[Pack] | None = None
        self._folders: dict[tuple[str, str], Path] = {}

    # -- configuration and packs -------------------------------------------------
    def config_for(self, path: str | Path) -> Config:
        """The configuration that applies to file ``path`` (``Config()`` when none is found).

        Raises:
            ConfigError: that configuration file is invalid (read once; raised again for each file under it).
        """
        if self._override is not None:
            return self._override
        folder = self._folder_of(str(path))
        if folder not in self._by_folder:
            found, ignored = discover_config(folder)
            if ignored:
                self._ignored[folder] = ignored
            if found in self._invalid:
                raise self._invalid[found]
            if found not in self._configs:
                try:
                    self._configs[found] = load_config(found) if found else Config()
                except ConfigError as exc:  # read once: every file under it gets this error
                    self._invalid[found] = exc
                    raise
            self._by_folder[folder] = self._configs[found]
        return self._by_folder[folder]

    def _folder_of(self, path: str) -> Path:
        """``Path(path).resolve().parent``, resolving each folder once (a symlinked file is resolved itself)."""
        if os.path.islink(path):
            return Path(path).resolve().parent
        key = (os.getcwd(), os.path.dirname(path))
        folder = self._folders.get(key)
        if folder is None:
            folder = self._folders[key] = Path(key[1] or ".").resolve()
        return folder

    def _raw(self, name: str, cfg: Config) -> Pack:
        """Pack ``name`` as loaded: a path relative to the configuration's folder, or an id
        looked up in its ``rules_paths`` and then among the bundled packs. The ``--profile``
        pack is resolved from the current folder instead."""
        key = ("raw", name, cfg.path)
        if key not in self._packs:
            path = cfg.resolve_pack(name) if cfg.path and name != self.profile else name
            same = ("loaded", *pack_key(path, cfg.rules_paths))  # by id or by file: one load
            if same not in self._packs:
                self._packs[same] = load_pack_cached(path, search=cfg.rules_paths)
            self._packs[key] = self._packs[same]
        return self._packs[key]

    def _bundled(self) -> list[Pack]:
        """The bundled genre packs in :func:`bundled_order` (:func:`load_bundled_packs`), each also kept
        as loaded, so that asking for one by id or file later does not load it again."""
        if self._bundled_packs is None:
            self._bundled_packs = load_bundled_packs()
            for pack in self._bundled_packs:
                self._packs[("loaded", *pack_key(pack.file))] = pack
        return self._bundled_packs

    def candidates(self, cfg: Config) -> list[Pack]:
        """Genre packs for detection: the configuration's own (``rules_paths``) first, then the bundled ones."""
        if cfg.path not in self._candidates:
            own: list[Pack] = []
            for folder in cfg.rules_paths:
                for f in pack_files_in(folder):
                    pack = self._raw(str(f), cfg)
                    if is_genre_pack(pack) and pack.id not in {p.id for p in own}:
                        own.append(pack)
            self._candidates[cfg.path] = own + [p for p in self._bundled() if is_genre_pack(p)]
        return self._candidates[cfg.path]

    def pack_for(self, name: str, cfg: Config) -> Pack:
        """Pack ``name`` (an id, a path, or a Chinese title or short name such as 监督责任:
        :meth:`pack_name`) with ``cfg``'s add-on packs and rule settings applied."""
        name = self.pack_name(name, cfg)
        key = ("custom", name, cfg.path)
        if key not in self._packs:
            pack = self._raw(name, cfg)
            addons = [self._raw(a, cfg) for a in cfg.extends]
            for addon in addons:
                pack = add_pack(pack, addon)
            if cfg.rules:
                pack = apply_settings(pack, cfg, self._known_ids(cfg, addons))
            self._packs[key] = pack
        return self._packs[key]

    def pack_name(self, name: str, cfg: Config) -> str:
        """``name`` as a pack id or path: a path, a file or an id is kept; a Chinese title or
        short name (``监督责任``, ``主体责任报告``) becomes the id of the one genre or base pack it
        names (:func:`djcheck.pack.match_names`).

        Raises:
            RuleError: the name fits several packs (they are listed).
        """
        if name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name or Path(name).is_file():
            return name
        if name in self._known_pack_ids(cfg):
            return name
        packs = self.candidates(cfg) + [self._raw(n, Config()) for n in BASE_PACKS]
        ids = match_names(name, [pack_names(p) for p in packs])
        if len(ids) > 1:
            titles = {p.id: p.title for p in packs}
            listed = "、".join(f"{i}（{titles[i]}）" for i in ids)
            raise RuleError(None, f"“{name}”对应多个规则包：{listed}，请写得更具体或写编号。")
        return ids[0] if ids else name

    def _known_pack_ids(self, cfg: Config) -> set[str]:
        ids = set(bundled_packs()) | set(BASE_PACKS)
        for folder in cfg.rules_paths:
            ids.update(f.stem for f in pack_files_in(folder))
        return ids

    def _known_ids(self, cfg: Config, addons: list[Pack]) -> set[str]:
        if cfg.path not in self._known:
            packs = self._bundled() + [self._raw(n, Config()) for n in BASE_PACKS]
            self._known[cfg.path] = known_rule_ids(packs + addons + self.candidates(cfg))
        return self._known[cfg.path]

    def preload(self) -> None:
        """Load the ``--profile`` pack now when it is a file, so that a broken pack is one
        error for the whole run instead of one per draft.

        Raises:
            RuleError: the pack file is malformed, or a Chinese name fits several packs.
        """
        if self.profile and self.forced_pack is None and Path(self.profile).is_file():
            self._raw(self.profile, Config())
        elif self.profile and self.forced_pack is None and self._override is None:
            self.pack_name(self.profile, Config())  # a name fitting several packs: one error

    # -- checking ------------------------------------------------------------------
    def check(self, path: str | Path) -> FileResult:
        """Check one file. A file that cannot be read gives a result with ``error`` set.

        Genre detection and every pack pattern that is not bundled share one time budget for the
        file (:func:`djcheck.safe_regex.file_budget`): a slow pattern of an office's pack or
        configuration ends that file's check with one error, within seconds.
        """
        with file_budget():
            return self._check(path)

    def _check(self, path: str | Path) -> FileResult:
        name = str(path)
        cfg = self.config_for(name)
        try:
            doc = load_document(name)
        except InputError as exc:
            return FileResult(path=name, error=str(exc))
        clean, sup = scan(doc)
        if self.forced_pack is not None:
            pack, reason = self.forced_pack, "由调用方指定规则包"
        elif self.profile:
            pack, reason = self.pack_for(self.profile, cfg), f"按命令行 --profile {self.profile} 指定"
        elif cfg.profile and cfg.profile != "auto":
            pack, reason = self.pack_for(cfg.profile, cfg), f"按配置文件 {cfg.path} 指定"
        else:
            found = not_chinese(clean) or detect_genre(clean, self.candidates(cfg))
            if found.profile is None:
                return self._name_config(self._hygiene_only(name, doc, clean, sup, cfg, found.reason), cfg)
            pack = self.pack_for(next(p.file for p in self.candidates(cfg) if p.id == found.profile), cfg)
            reason = found.reason
        year, year_reason = self.year, "按命令行 --year 指定" if self.year else None
        if year is None and cfg.year is not None:
            year, year_reason = cfg.year, f"按配置文件 {cfg.path} 指定"
        min_score = self.min_score if self.min_score is not None else cfg.min_score
        try:
            res = check_document(
                clean, pack, year=year, year_reason=year_reason, min_score=min_score, suppressions=sup
            )
        except DjcheckError as exc:  # e.g. a rule's pattern ran out of time on this draft
            return FileResult(path=name, error=naming(name, str(exc)))
        res.path = name
        res.profile_reason = reason
        extra = unknown_rule_findings(doc, sup, pack)
        if extra:
            res.findings = sorted(res.findings + extra, key=lambda f: (f.line, f.col, f.rule))
        return self._name_config(apply_fail_on(res, self.fail_on or cfg.fail_on or "error"), cfg)

    def _name_config(self, res: FileResult, cfg: Config) -> FileResult:
        """``res`` naming the configuration file applied (``res.config`` and a note), and any
        untrusted one passed over for it (a note each)."""
        res.config = cfg.path
        notes = [used_note(cfg.path)] if cfg.path else []
        if self._override is None:
            notes += [ignored_note(p) for p in self._ignored.get(self._folder_of(res.path), [])]
        if notes:
            res.notes = list(res.notes) + notes
        return res

    def pack_of(self, res: FileResult) -> Pack | None:
        """The pack, as configured for its file, that checked ``res`` (``None`` for an error
        or an unrecognised draft). Packs come from this session's caches (or the pack cache):
        nothing is detected again.

        Raises:
            ConfigError / RuleError: as :meth:`check` (not after a run that checked the file).
        """
        if res.error or not res.profile:
            return None
        if self.forced_pack is not None:
            return self.forced_pack
        cfg = self.config_for(res.path)
        if self.profile:
            return self.pack_for(self.profile, cfg)
        if cfg.profile and cfg.profile != "auto":
            return self.pack_for(cfg.profile, cfg)
        found = next((p.file for p in self.candidates(cfg) if p.id == res.profile), None)
        return self.pack_for(found, cfg) if found is not None else None

    def packs_of(self, results: list[FileResult]) -> dict[str, Pack]:
        """``{pack id: Pack}`` for ``results``, as configured for their files (the first file's
        configuration wins when files under different configurations share a pack id)."""
        packs: dict[str, Pack] = {}
        for res in results:
            if res.profile and res.profile not in packs:
                pack = self.pack_of(res)
                if pack is not None:
                    packs[res.profile] = pack
        return packs

    def _hygiene_only(self, name: str, doc, clean, sup, cfg: Config, reason: str) -> FileResult:
        """The result for a text that fits no supported genre (a 通知, a news item, an unknown draft).

        It is not scored (``score`` ``None``, ``recognised`` ``False``, the reason kept), but the
        text rules that hold for any document — :data:`HYGIENE_RULES` of the ``common`` pack, with the
        configuration's settings — still run, so a leftover placeholder or a doubled word is reported.
        Verdict: ``passed`` is ``False`` when one of their findings is at the ``fail_on`` level (by
        default ``error``: a leftover placeholder is a defect in any document), else ``None`` (not judged).
        The exit code follows from ``passed`` as for a report (docs/accuracy.md).
        """
        pack = self.hygiene_pack(cfg)
        year, year_reason = self.year, "按命令行 --year 指定" if self.year else None
        if year is None and cfg.year is not None:
            year, year_reason = cfg.year, f"按配置文件 {cfg.path} 指定"
        try:
            res = check_document(clean, pack, year=year, year_reason=year_reason, suppressions=sup)
        except DjcheckError as exc:
            return FileResult(path=name, error=naming(name, str(exc)))
        fail_on = self.fail_on or cfg.fail_on or "error"
        levels = FAIL_LEVELS[fail_on]
        failing = [i for i in res.checklist if i.level in levels and i.status != "ok"
                   and any(f.rule == i.id and f.level in levels for f in res.findings)]
        return FileResult(
            path=name,
            recognised=False,
            profile_reason=reason,
            findings=res.findings,
            passed=False if failing else None,
            fail_reasons=fail_reasons(failing, res.findings, "错误级" if fail_on == "error" else "警告级以上"),
            encoding=doc.encoding,
            year=res.year,
            year_reason=res.year_reason,
            location_unit=location_unit(doc.kind),
            suppressed=res.suppressed,
            suppressions=res.suppressions,
            notes=list(doc.metadata.get("notes", [])),
        )

    def hygiene_pack(self, cfg: Config) -> Pack:
        """The ``common`` pack as configured by ``cfg``, cut to :data:`HYGIENE_RULES`; made once per
        configuration (a new pack object would rebuild its scan tables for every unrecognised text,
        about 35 ms each)."""
        key = ("hygiene", "common", cfg.path)
        if key not in self._packs:
            pack = self.pack_for("common", cfg)
            self._packs[key] = replace(pack, rules=[r for r in pack.rules if r.id in HYGIENE_RULES])
        return self._packs[key]

    def files_for(self, paths: list[str]) -> tuple[list[str], list[FileResult]]:
        """The drafts to check for ``paths`` (folders walked, sorted), and error results for bad paths.

        Files found by walking a folder are skipped when their configuration's
        ``exclude`` matches them; files named directly are always checked.
        """
        files, errors = collect_files(paths)
        named = {p for p in paths if os.path.isfile(p)}
        named |= {str(Path(p)) for p in named}  # walked files are spelled as Path spells them
        kept = [f for f in files if f in named or not self._excluded(f)]
        return kept, errors

    def _excluded(self, file: str) -> bool:
        """Whether ``file``'s configuration excludes it; a file under an invalid configuration is
        kept, so that checking it reports the configuration's error on it."""
        try:
            return self.config_for(file).excludes(file)
        except ConfigError:
            return False

    def check_paths(self, paths: list[str], jobs: int | None = 1, on_result=None) -> list[FileResult]:
        """Check files and folders; results sorted by path.

        Args:
            jobs: worker processes (``None``: one per core; 1: this process), see :mod:`djcheck.batch`.
            on_result: called with each result as it arrives.
        """
        files, results = self.files_for(paths)
        results += check_files(files, session=self, jobs=jobs, on_result=on_result)
        results.sort(key=lambda r: r.path)
        return results


def pack_files_in(folder: Path) -> list[Path]:
    """Rule-pack files in ``folder``: ``*.yaml`` / ``*.yml``, sorted; hidden files (``.djcheck.yaml``)
    and word lists (``entries:``, read by a rule's ``files:``) excluded."""
    return sorted(
        f
        for f in folder.iterdir()
        if f.suffix in (".yaml", ".yml") and f.is_file() and not f.name.startswith(".") and not is_word_list(f)
    )


def bundled_order() -> list[str]:
    """Bundled genre pack ids, the default genre (主体责任) first: it wins a tie in detection."""
    return sorted(bundled_packs(), key=lambda n: (n != DEFAULT_PROFILE, n))


def load_bundled_packs() -> list[Pack]:
    """The bundled genre packs, in :func:`bundled_order`, ready to run and to detect with.

    They are read together (:func:`djcheck.engine.load_packs`: the ``common`` pack's rules are the same
    objects in each) and kept, with the genre detector of the genre packs among them
    (:func:`djcheck.genre.detector_for`), in ONE entry of the per-user store
    (:func:`djcheck.cache.load_cached`), reused while every file they were read from is unchanged: a
    cold run reads one object graph, and the detector comes with it (:func:`djcheck.genre.reuse_detector`).

    Raises:
        RuleError: a bundled pack cannot be loaded.
    """
    from . import cache

    names = bundled_order()

    def build() -> tuple[list[Pack], object]:
        packs = load_packs(names)
        return packs, detector_for([p for p in packs if is_genre_pack(p)])

    packs, detector = cache.load_cached(
        "packs",
        ["bundled genre packs", *(pack_key(n)[0] for n in names)],
        build,
        sources=lambda value: list(dict.fromkeys(f for p in value[0] for f in p.files)),
        keep=CACHED_PACKS,
        valid=lambda obj: isinstance(obj, tuple) and len(obj) == 2 and all(isinstance(p, Pack) for p in obj[0]),
    )
    reuse_detector(detector)
    return packs


#: Least share of Chinese characters among the letters of a text (汉字 and Latin letters) for it to
#: be taken as a report by genre detection: a Chinese work report is written in Chinese, while
#: notes in English that mention a few Chinese terms (四种形态, 政治生态) are not a report.
MIN_CHINESE_SHARE = 0.5


@lru_cache(maxsize=1)
def _letter_runs() -> tuple[re.Pattern, re.Pattern]:
    """Patterns for runs of 汉字 (CJK Unified Ideographs and Extension A) and of ASCII letters, counted
    by :func:`not_chinese`: removing the runs and comparing lengths is about 3 times faster than a Python
    loop over the characters. Compiled on first use (``re`` takes milliseconds over the wide 汉字 range)."""
    return re.compile("[\u4e00-\u9fff\u3400-\u4dbf]+"), re.compile("[A-Za-z]+")


def _fewest_han(text: str) -> int:
    """A lower bound of the 汉字 in ``text`` that needs no pattern: the characters U+5000–U+9FFF, counted as
    the bytes E5–E9 of its UTF-8 form (each starts one such character, and nothing else).

    What it buys: for a report it is at least its Latin letters, so :func:`not_chinese` need not
    count 汉字 exactly, and the 汉字 pattern is neither compiled (``re`` iterates over its 27,000
    characters) nor run: a cold one-report run 681 M → 676 M instructions (callgrind).
    A long text is encoded a stretch of :data:`LONG_TEXT_STRETCH` characters at a time: its UTF-8
    form is 3 bytes a character (34 MiB at once for a report of 12 M characters otherwise).
    """
    step = LONG_TEXT_STRETCH
    fewest = 0
    for first in range(0, len(text), step):  # a text no longer than a stretch is encoded as it is
        data = text[first : first + step].encode("utf-8", "surrogatepass")
        fewest += sum(data.count(lead) for lead in (b"\xe5", b"\xe6", b"\xe7", b"\xe8", b"\xe9"))
    return fewest


def _chars_in_runs(runs: re.Pattern, text: str) -> int:
    """How many characters of ``text`` lie in matches of ``runs`` (a pattern of runs of one class of
    characters, so that matches in parts of the text add up to those in the whole), counted by
    removing them; a long text a stretch of :data:`LONG_TEXT_STRETCH` characters at a time (the
    text without them is nearly as large as the text: 23 MiB for a report of 12 M characters)."""
    step = LONG_TEXT_STRETCH
    found = 0
    for first in range(0, len(text), step):  # a text no longer than a stretch is read as it is
        part = text[first : first + step]
        found += len(part) - len(runs.sub("", part))
    return found


def not_chinese(doc: Document) -> Detection | None:
    """A "not recognised" :class:`~djcheck.genre.Detection` when ``doc`` is hardly written in
    Chinese (汉字 fewer than :data:`MIN_CHINESE_SHARE` of its letters, counted in characters),
    else ``None`` (genre detection decides). Used only when no pack is given (``--profile``,
    configuration), so an office can still check such a text on purpose.

    (Kept here, outside :mod:`djcheck.genre`, while that module was being changed; it belongs
    with the other signs that a text is a report.)
    """
    text = doc.text
    han_runs, latin_runs = _letter_runs()
    latin = _chars_in_runs(latin_runs, text)
    if _fewest_han(text) >= latin:  # then 汉字 are at least half the letters
        return None
    han = _chars_in_runs(han_runs, text)
    letters = han + latin
    if letters == 0 or han >= MIN_CHINESE_SHARE * letters:
        return None
    share = round(100 * han / letters)
    return Detection(
        profile=None,
        title=None,
        reason=f"不像一份中文工作报告：正文中汉字只占文字的 {share}%，{han} 个汉字、{latin} 个英文字母",
        scores=[],
    )


def apply_fail_on(res: FileResult, fail_on: str) -> FileResult:
    """Fail ``res`` also when an item or finding at ``fail_on`` level or above is not clean.

    ``error`` (the default) keeps the engine's verdict (an ``error``-level item
    missing fails); ``warning`` also fails a file with any ``warning``- or
    ``error``-level item that is weak or missing, or such a finding.
    """
    if fail_on == "error" or not res.passed:
        return res
    levels = FAIL_LEVELS[fail_on]
    items = [i for i in res.checklist if i.status != "ok" and i.level in levels]
    loose = [f for f in res.findings if f.level in levels and not any(f.rule == i.id for i in items)]
    if not items and not loose:
        return res
    reasons = fail_reasons(items, res.findings, "警告级以上")
    if loose:
        rules = "、".join(dict.fromkeys(f.rule for f in loose))
        reasons.append(f"有警告级以上问题未解决（{rules} 共 {len(loose)} 处）")
    return replace(res, passed=False, fail_reasons=reasons)


def check_file(path: str | Path, **settings) -> FileResult:
    """Read and check one draft; never raises for a bad file.

    The pack is ``pack``, else ``profile``, else the configuration's
    ``profile``, else the genre detected from the text (:mod:`djcheck.genre`);
    the configuration (``config``, or the nearest ``.djcheck.yaml`` above the
    file) and the draft's inline markers apply.

    Args:
        path: a .txt / .md / .docx draft (or .pdf with the ``pdf`` extra).
        settings: as for :class:`Session`: ``profile`` (pack id or path, overriding detection
            and configuration), ``pack`` (an already loaded pack, used as it is), ``min_score``
            (overrides the pack's pass mark), ``year`` (the report's year for date-aware rules),
            ``config`` (a configuration file to use instead of the discovered one), ``fail_on``.

    Returns:
        A :class:`FileResult`; when the file cannot be read, ``error`` holds the
        Chinese message and ``score`` is ``None``; when it fits no supported
        genre, ``recognised`` is ``False`` and ``score`` is ``None``.

    Raises:
        RuleError: the pack cannot be loaded.
        ConfigError: the configuration file is invalid.
    """
    return Session(**settings).check(path)


def check_paths(
    paths: Sequence[str | Path],
    *,
    jobs: int | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    **settings,
) -> list[FileResult]:
    """Expand folders (as :func:`djcheck.loaders.collect_files`, honouring configured ``exclude``)
    and check every draft, in parallel worker processes (:mod:`djcheck.batch`).

    Args:
        paths: files and folders.
        jobs: worker processes; ``None`` (the default) = one per CPU core; 1 = check in this process.
        on_result: called in this process with each result as it arrives (e.g. a progress bar).
        settings: as for :class:`Session` (``profile``, ``pack``, ``config``, ``min_score``,
            ``year``, ``fail_on``).

    Returns:
        All results, sorted by path. Missing paths, folders without drafts and
        unreadable files are results with ``error`` set.

    Raises:
        ConfigError: a ``config`` file given in ``settings`` is invalid.
        WorkersStopped: Ctrl-C while worker processes ran.
    """
    return Session(**settings).check_paths([str(p) for p in paths], jobs=jobs, on_result=on_result)
