"""The per-user pack cache: reused while nothing changed, rebuilt when rules or code change, never trusted blindly."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap

import pytest

import djcheck.engine
from djcheck import cache
from djcheck.document import Document
from djcheck.engine import check_document

PARENT = """\
schema_version: 1
id: base
title: 单位基础规则
min_score: 60
rules:
  - id: banned-words
    kind: pattern
    title: 禁用提法
    level: warning
    weight: 5
    options:
      patterns: ['狠抓落实不放松']
"""

CHILD = """\
schema_version: 1
id: unit
title: 本单位规则包
extends: [common, base.yaml]
rules:
  - id: old-terms
    kind: pattern
    title: 过时提法
    level: warning
    weight: 5
    options:
      patterns: ['党风廉政建设责任制']
"""

TEXT = "局党组狠抓落实不放松，严格执行党风廉政建设责任制。"


@pytest.fixture
def packs(tmp_path, monkeypatch):
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(tmp_path / "cache"))
    d = tmp_path / "rules"
    d.mkdir()
    (d / "base.yaml").write_text(PARENT, encoding="utf-8")
    (d / "unit.yaml").write_text(CHILD, encoding="utf-8")
    return d


def found(pack) -> set[str]:
    result = check_document(Document.from_text(TEXT), pack)
    return {f.match for f in result.findings}


def cache_files(tmp_path):
    return sorted((tmp_path / "cache" / "packs").glob("*.pickle"))


@pytest.fixture
def no_yaml(monkeypatch):
    """Loading from YAML fails: whatever load_pack returns then came from the cache."""

    def refuse(*_a, **_k):
        raise AssertionError("pack loaded from YAML")

    monkeypatch.setattr(djcheck.engine, "load_pack", refuse)


def test_unchanged_pack_is_served_from_cache(packs, tmp_path, monkeypatch):
    first = djcheck.engine.load_pack_cached(packs / "unit.yaml")
    assert found(first) == {"狠抓落实不放松", "党风廉政建设责任制"}
    assert len(cache_files(tmp_path)) == 1
    assert oct(os.stat(cache_files(tmp_path)[0]).st_mode & 0o777) == "0o600"
    with monkeypatch.context() as m:
        m.setattr(djcheck.engine, "load_pack", lambda *a, **k: pytest.fail("pack loaded from YAML"))
        again = djcheck.engine.load_pack_cached(packs / "unit.yaml")
    assert [r.id for r in again.rules] == [r.id for r in first.rules]
    assert found(again) == found(first) and again.min_score == 60


def test_editing_a_rule_file_invalidates_the_cache(packs, tmp_path):
    assert "党风廉政建设责任制" in found(djcheck.engine.load_pack_cached(packs / "unit.yaml"))
    # same size, same second: only the content differs
    (packs / "unit.yaml").write_text(CHILD.replace("党风廉政建设责任制", "党风廉政建设主体制"), encoding="utf-8")
    assert "党风廉政建设责任制" not in found(djcheck.engine.load_pack_cached(packs / "unit.yaml"))


def test_editing_an_extended_pack_invalidates_the_cache(packs):
    assert "狠抓落实不放松" in found(djcheck.engine.load_pack_cached(packs / "unit.yaml"))
    (packs / "base.yaml").write_text(PARENT.replace("min_score: 60", "min_score: 70"), encoding="utf-8")
    assert djcheck.engine.load_pack_cached(packs / "unit.yaml").min_score == 70


def test_new_library_version_invalidates_the_cache(packs, monkeypatch):
    djcheck.engine.load_pack_cached(packs / "unit.yaml")
    calls = []
    real = djcheck.engine.load_pack
    monkeypatch.setattr(djcheck.engine, "load_pack", lambda *a, **k: calls.append(a) or real(*a, **k))
    djcheck.engine.load_pack_cached(packs / "unit.yaml")
    assert calls == []
    monkeypatch.setattr(cache, "library_stamp", lambda: "another djcheck")
    djcheck.engine.load_pack_cached(packs / "unit.yaml")
    assert len(calls) == 1


@pytest.mark.parametrize("damage", [b"", b"not a pickle at all", b"\x80\x05\x95garbage"])
def test_corrupt_cache_falls_back_and_is_repaired(packs, tmp_path, monkeypatch, damage):
    djcheck.engine.load_pack_cached(packs / "unit.yaml")
    (entry,) = cache_files(tmp_path)
    entry.write_bytes(damage)
    pack = djcheck.engine.load_pack_cached(packs / "unit.yaml")
    assert found(pack) == {"狠抓落实不放松", "党风廉政建设责任制"}
    assert entry.stat().st_size > 100  # rewritten
    monkeypatch.setattr(djcheck.engine, "load_pack", lambda *a, **k: pytest.fail("pack loaded from YAML"))
    assert found(djcheck.engine.load_pack_cached(packs / "unit.yaml")) == found(pack)


def test_truncated_cache_falls_back(packs, tmp_path):
    djcheck.engine.load_pack_cached(packs / "unit.yaml")
    (entry,) = cache_files(tmp_path)
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])
    assert found(djcheck.engine.load_pack_cached(packs / "unit.yaml")) == {"狠抓落实不放松", "党风廉政建设责任制"}


def test_unusable_cache_folder_still_loads(packs, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(blocker))
    assert cache.trusted_cache_dir() is None
    assert found(djcheck.engine.load_pack_cached(packs / "unit.yaml")) == {"狠抓落实不放松", "党风廉政建设责任制"}


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_world_writable_cache_folder_is_not_used(packs, tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(shared))
    assert cache.trusted_cache_dir() is None
    djcheck.engine.load_pack_cached(packs / "unit.yaml")
    assert list(shared.rglob("*.pickle")) == []


def test_rule_errors_are_not_cached(packs, tmp_path):
    from djcheck.errors import RuleError

    (packs / "unit.yaml").write_text(CHILD.replace("kind: pattern", "kind: nonesuch"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleError, match="nonesuch"):
            djcheck.engine.load_pack_cached(packs / "unit.yaml")
    assert cache_files(tmp_path) == []


def test_bundled_profile_through_cache_equals_fresh_load(tmp_path, monkeypatch):
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(tmp_path / "cache"))
    fresh = djcheck.engine.load_pack("zhuti-zeren")
    djcheck.engine.load_pack_cached("zhuti-zeren")
    cached = djcheck.engine.load_pack_cached("zhuti-zeren")
    assert [(r.id, r.weight, r.level, r.title) for r in cached.rules] == [
        (r.id, r.weight, r.level, r.title) for r in fresh.rules
    ]
    doc = Document.from_text("一、工作情况\n召开党委会**次。\n二、存在的问题\n学习不深。")
    assert check_document(doc, cached).to_dict() == check_document(doc, fresh).to_dict()


def test_imports_stay_lazy(tmp_path):
    """``import djcheck`` loads no heavy library; a plain-text check loads neither rich nor pydantic."""
    draft = tmp_path / "d.txt"
    draft.write_text(TEXT, encoding="utf-8")
    probe = textwrap.dedent(
        """
        import atexit, sys
        HEAVY = ("jieba", "rich", "pydantic", "yaml", "fastjsonschema", "typer")
        def show():
            print("LOADED", sorted(m for m in HEAVY if m in sys.modules))
        if sys.argv[1] == "import":
            import djcheck
            show()
        else:
            atexit.register(show)
            from djcheck.cli import main
            sys.argv = ["djcheck", "check", "-f", "plain", sys.argv[2]]
            main()
        """
    )
    env = {**os.environ, "DJCHECK_CACHE_DIR": str(tmp_path / "cache")}

    def loaded(*args):
        out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env)
        line = next(x for x in out.stdout.splitlines() if x.startswith("LOADED"))
        return line

    assert loaded("import") == "LOADED []"
    loaded("check", str(draft))  # first run fills the cache
    heavy = set(ast.literal_eval(loaded("check", str(draft)).split(" ", 1)[1]))
    # jieba may be needed by a segmenting rule; the others never are for plain output from a warm cache
    assert "typer" in heavy and not heavy & {"rich", "pydantic", "yaml", "fastjsonschema"}


def test_old_entries_are_pruned(packs, tmp_path, monkeypatch):
    monkeypatch.setattr(djcheck.engine, "CACHED_PACKS", 3)
    for n in range(5):  # five versions of the code, each with its own entry
        before = set(cache_files(tmp_path))
        monkeypatch.setattr(cache, "library_stamp", lambda n=n: f"version {n}")
        djcheck.engine.load_pack_cached(packs / "unit.yaml")
        (new,) = set(cache_files(tmp_path)) - before
        os.utime(new, (1_000_000 + n, 1_000_000 + n))  # written in this order
    assert len(cache_files(tmp_path)) == 3
    monkeypatch.setattr(djcheck.engine, "load_pack", lambda *a, **k: pytest.fail("pack loaded from YAML"))
    djcheck.engine.load_pack_cached(packs / "unit.yaml")  # the newest entry (version 4) survived


@pytest.mark.skipif(os.name != "posix", reason="XDG folders")
@pytest.mark.parametrize("xdg", ["", "relative-cache", "./x"])
def test_an_empty_or_relative_xdg_cache_home_is_ignored(tmp_path, monkeypatch, xdg):
    """XDG Base Directory spec: a relative path in XDG_CACHE_HOME is invalid and must be ignored; empty means unset."""
    from djcheck.paths import cache_dir

    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.delenv("DJCHECK_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    monkeypatch.chdir(work)
    assert cache_dir() == home / ".cache" / "djcheck"
    assert list(work.iterdir()) == []  # nothing created in the current folder


@pytest.mark.skipif(os.name != "posix", reason="XDG folders")
def test_an_absolute_xdg_cache_home_is_used(tmp_path, monkeypatch):
    from djcheck.paths import cache_dir

    monkeypatch.delenv("DJCHECK_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "djcheck" and cache_dir().is_dir()


def test_compiled_patterns_are_stored_once_and_read_back(tmp_path, monkeypatch):
    """The compiled-regex store: written when a pattern is new, read back by the next process."""
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(tmp_path / "cache"))
    probe = (
        "import regex, sys\n"
        "from djcheck import cache\n"
        "p = cache.compile_regex('测试(?:存储)+', regex.VERSION1)\n"
        "print(len(cache._REGEXES.entries()), ('测试(?:存储)+', regex.VERSION1) in cache._REGEXES.entries())\n"
        "assert p.search('测试存储存储').group() == '测试存储存储'\n"
    )
    env = {**os.environ, "DJCHECK_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert first.stdout.split()[1] == "True"
    (stored,) = (tmp_path / "cache").glob("regex-*.pickle")
    again = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert again.stdout.split() == first.stdout.split()
    stored.write_bytes(b"not a pickle")  # a damaged store is not used, and the pattern still compiles
    damaged = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert damaged.stdout.split() == ["1", "True"]


def test_a_lazy_pattern_compiles_on_first_use_and_matches_like_the_compiled_one():
    import pickle
    import re

    import regex

    from djcheck.cache import lazy_pattern

    text = "一是加强学习；二是 strengthen 整改。"
    for engine, module, flags in (("re", re, re.S), ("regex", regex, regex.VERSION1)):
        lazy = lazy_pattern(r"[一二三]是(\S+?)[；。]", flags, engine=engine)
        assert "_compiled" not in vars(lazy)  # nothing compiled when the module is imported
        real = module.compile(r"[一二三]是(\S+?)[；。]", flags)
        assert [m.group(1) for m in lazy.finditer(text)] == [m.group(1) for m in real.finditer(text)] == ["加强学习"]
        assert lazy.sub("", text) == real.sub("", text)
        assert lazy.pattern == real.pattern and lazy.groups == 1
        assert isinstance(lazy.compiled, type(real))
        assert pickle.loads(pickle.dumps(lazy)).findall(text) == ["加强学习"]
