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
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from .batch import check_files
from .cache import load_pack
from .config import Config, add_pack, apply_settings, find_config, known_rule_ids, load_config
from .engine import check_document
from .errors import DjcheckError, InputError, naming
from .genre import detect_genre, is_genre_pack
from .loaders import collect_files, load_document
from .model import FileResult
from .pack import BASE_PACKS, Pack, bundled_packs, is_word_list
from .suppress import scan, unknown_rule_findings

#: The genre pack that wins a tie in genre detection (主体责任 reports are the most common).
DEFAULT_PROFILE = "zhuti-zeren"
FAIL_LEVELS = {"error": ("error",), "warning": ("error", "warning")}


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
        self._by_folder: dict[Path, Config] = {}
        self._packs: dict[tuple, Pack] = {}
        self._known: dict[str | None, set[str]] = {}
        self._candidates: dict[str | None, list[Pack]] = {}
        self._folders: dict[tuple[str, str], Path] = {}

    # -- configuration and packs -------------------------------------------------
    def config_for(self, path: str | Path) -> Config:
        """The configuration that applies to file ``path`` (``Config()`` when none is found)."""
        if self._override is not None:
            return self._override
        folder = self._folder_of(str(path))
        if folder not in self._by_folder:
            found = find_config(folder)
            if found not in self._configs:
                self._configs[found] = load_config(found) if found else Config()
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
            self._packs[key] = load_pack(path, search=cfg.rules_paths)
        return self._packs[key]

    def candidates(self, cfg: Config) -> list[Pack]:
        """Genre packs for detection: the configuration's own (``rules_paths``) first, then the bundled ones."""
        if cfg.path not in self._candidates:
            own: list[Pack] = []
            for folder in cfg.rules_paths:
                for f in pack_files_in(folder):
                    pack = self._raw(str(f), cfg)
                    if is_genre_pack(pack) and pack.id not in {p.id for p in own}:
                        own.append(pack)
            bundled = [self._raw(name, Config()) for name in bundled_order()]
            self._candidates[cfg.path] = own + [p for p in bundled if is_genre_pack(p)]
        return self._candidates[cfg.path]

    def pack_for(self, name: str, cfg: Config) -> Pack:
        """Pack ``name`` with ``cfg``'s add-on packs and rule settings applied."""
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

    def _known_ids(self, cfg: Config, addons: list[Pack]) -> set[str]:
        if cfg.path not in self._known:
            packs = [self._raw(n, Config()) for n in bundled_order() + list(BASE_PACKS)]
            self._known[cfg.path] = known_rule_ids(packs + addons + self.candidates(cfg))
        return self._known[cfg.path]

    def preload(self) -> None:
        """Load the ``--profile`` pack now when it is a file, so that a broken pack is one
        error for the whole run instead of one per draft.

        Raises:
            RuleError: the pack file is malformed.
        """
        if self.profile and self.forced_pack is None and Path(self.profile).is_file():
            self._raw(self.profile, Config())

    # -- checking ------------------------------------------------------------------
    def check(self, path: str | Path) -> FileResult:
        """Check one file. A file that cannot be read gives a result with ``error`` set."""
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
            found = detect_genre(clean, self.candidates(cfg))
            if found.profile is None:
                return FileResult(
                    path=name,
                    recognised=False,
                    profile_reason=found.reason,
                    encoding=doc.encoding,
                    location_unit="paragraph" if doc.kind == "docx" else "line",
                )
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
        return apply_fail_on(res, self.fail_on or cfg.fail_on or "error")

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

    def files_for(self, paths: list[str]) -> tuple[list[str], list[FileResult]]:
        """The drafts to check for ``paths`` (folders walked, sorted), and error results for bad paths.

        Files found by walking a folder are skipped when their configuration's
        ``exclude`` matches them; files named directly are always checked.
        """
        files, errors = collect_files(paths)
        named = {p for p in paths if os.path.isfile(p)}
        named |= {str(Path(p)) for p in named}  # walked files are spelled as Path spells them
        kept = [f for f in files if f in named or not self.config_for(f).excludes(f)]
        return kept, errors

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


def apply_fail_on(res: FileResult, fail_on: str) -> FileResult:
    """Fail ``res`` also when an item or finding at ``fail_on`` level or above is not clean.

    ``error`` (the default) keeps the engine's verdict (an ``error``-level item
    missing fails); ``warning`` also fails a file with any ``warning``- or
    ``error``-level item that is weak or missing, or such a finding.
    """
    if fail_on == "error" or not res.passed:
        return res
    levels = FAIL_LEVELS[fail_on]
    dirty = any(i.status != "ok" and i.level in levels for i in res.checklist) or any(
        f.level in levels for f in res.findings
    )
    return replace(res, passed=False) if dirty else res


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
