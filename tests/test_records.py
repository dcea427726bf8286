"""djcheck.records: dataclasses whose methods are generated on first use behave as dataclasses."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import field

import pytest

from djcheck.records import record


def _fresh():
    @record
    class Item:
        """An item."""

        text: str
        tags: list = field(default_factory=list)
        level: str = "warning"

    @record(frozen=True)
    class Mark:
        """A mark."""

        char: str

    return Item, Mark


def test_a_record_is_the_dataclass_it_stands_for():
    Item, Mark = _fresh()
    reference = dataclasses.make_dataclass(
        "Item", [("text", str), ("tags", list, field(default_factory=list)), ("level", str, "warning")]
    )
    a = Item("一是加强学习")
    assert repr(a).endswith("Item(text='一是加强学习', tags=[], level='warning')")
    assert [f.name for f in dataclasses.fields(Item)] == [f.name for f in dataclasses.fields(reference)]
    assert a == Item("一是加强学习") and a != Item("二是")
    assert Item.__hash__ is None  # eq without frozen: unhashable, as a dataclass
    assert dataclasses.replace(a, level="info").level == "info"
    assert dataclasses.asdict(a) == {"text": "一是加强学习", "tags": [], "level": "warning"}
    m = Mark("。")
    assert hash(m) == hash(Mark("。"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.char = "；"


def test_an_instance_read_back_before_the_class_is_used_compares_and_shows_like_a_dataclass():
    Item, _ = _fresh()
    read_back = object.__new__(Item)  # what unpickling does: no __init__
    read_back.__dict__.update(text="整改", tags=["问题"], level="info")
    assert not hasattr(Item, "tags")  # no Field object left where a dataclass leaves nothing
    assert read_back == Item("整改", ["问题"], "info")
    assert "tags=['问题']" in repr(read_back)
    assert dataclasses.is_dataclass(read_back)


def test_the_rules_of_a_pack_survive_a_pickle(tmp_path):
    from djcheck.pack import Rule

    fields = {f.name for f in dataclasses.fields(Rule)}
    assert {"id", "kind", "compiled"} <= fields
    rule = pickle.loads(pickle.dumps(next(iter(_bundled_rules()))))
    assert isinstance(rule, Rule) and rule.id


def _bundled_rules():
    from djcheck.engine import load_pack

    return load_pack("zhuti-zeren").rules


def test_generated_methods_come_from_the_code_store_the_second_time(monkeypatch):
    """With a store of compiled code, a record generated again (a new run) runs the stored code:
    nothing is compiled, and the record behaves as before (the same checks as above)."""
    import builtins

    from djcheck import records

    kept: dict = {}
    monkeypatch.setattr(records, "_code_store", None)
    records.use_code_store(kept.get, kept.__setitem__)
    Item, Mark = _fresh()
    first = Item("一是加强学习")
    hash(Mark("。"))
    assert kept and all(isinstance(code, type(compile("", "", "exec"))) for code in kept.values())
    assert not hasattr(dataclasses, "exec")  # the name is lent only while a record is generated

    compiled = []
    real_compile = builtins.compile

    def counting(*args, **kwargs):
        compiled.append(args[0])
        return real_compile(*args, **kwargs)

    monkeypatch.setattr(builtins, "compile", counting)
    Item2, Mark2 = _fresh()  # the same classes defined again: the same method sources
    second = Item2("一是加强学习", level="info")
    m = Mark2("。")
    monkeypatch.setattr(builtins, "compile", real_compile)
    assert compiled == []
    assert second.tags == [] and second.level == "info" and second != Item2("二是")
    assert repr(first).endswith("Item(text='一是加强学习', tags=[], level='warning')")
    assert hash(m) == hash(Mark2("。"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.char = "；"


def test_a_damaged_code_store_file_is_not_used(tmp_path, monkeypatch):
    """The per-user file of compiled record methods (djcheck.cache) read back damaged or foreign: ignored."""
    import marshal

    from djcheck import cache

    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(tmp_path))
    code_type = type(compile("", "", "exec"))
    store = cache.ExitStore(
        "records-test.marshal", accept=lambda v: isinstance(v, code_type), limit=10, dumps=marshal.dumps, loads=marshal.loads
    )
    folder = cache.trusted_cache_dir()
    assert folder is not None
    (folder / "records-test.marshal").write_bytes(b"\x00not marshal")
    assert store.entries() == {}
    (folder / "records-test.marshal").write_bytes(marshal.dumps({"x = 1": "not code"}))
    store._entries = None
    assert store.entries() == {}


def test_findings_keep_one_copy_of_equal_messages_and_matches():
    """Findings built from equal (not identical) strings, also in a pickled result, share them, and
    compare and serialise as before."""
    from djcheck.model import FileResult, Finding

    def made(i: int) -> Finding:
        message, match = "".join(["“中纪委”可能应为", "“中央纪委”"]), "".join(["中纪", "委"])
        return Finding("term-standard", "info", message, i, 3, i, 6, match, "中央纪委", 10 * i, 10 * i + 3)

    a, b = made(1), made(2)
    assert a.message is b.message and a.match is b.match
    assert a.to_dict()["message"] == "“中纪委”可能应为“中央纪委”" and a == made(1)
    back = pickle.loads(pickle.dumps(FileResult(path="x.txt", findings=[a, b])))
    assert back.findings == [a, b] and back.findings[0].message is a.message
