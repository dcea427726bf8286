"""Dataclasses whose methods are generated when they are first needed.

``@record`` and ``@record(frozen=True)`` mean what ``@dataclasses.dataclass`` means: the same fields,
``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, frozen instances, ``dataclasses.fields`` and
``replace``. The difference is when the work is done: ``dataclass`` writes each method as source text
and compiles it when the module is imported (about 2.6 M instructions a class; 141 M for the classes a
one-report run imports), while a record does it the first time the class is instantiated, compared,
shown, or asked for its fields. A cold run that reads its rule packs from the per-user store unpickles
``Rule``, ``Pack`` and each check's compiled options without calling ``__init__``, so those classes
never pay.

Until then the class holds small stand-ins: ``__init__``, ``__repr__`` and ``__eq__`` that generate
the real methods and call them, and a ``__dataclass_fields__`` that generates them when read (what
:func:`dataclasses.fields`, :func:`dataclasses.is_dataclass` and :func:`dataclasses.replace` read). Not
for ``slots=True`` (that makes a new class). Imports nothing from djcheck.

Generating still costs: ``dataclass`` compiles each method from source text (about 2.8 M
instructions a class; the 20 records a one-report run makes, 56 M, a twelfth of the run). Given a
store of compiled code (:func:`use_code_store`; :mod:`djcheck.cache` keeps one in the per-user
cache folder), the compiled code of each source text is reused from run to run: ``dataclass`` still
does all its work, except that its ``exec`` of a text compiled before runs the stored code object.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from types import CodeType

#: Methods a record stands in for until it is generated, with the ``dataclass`` option that turns each off.
_METHODS = {"__init__": "init", "__repr__": "repr", "__eq__": "eq"}


class _Pending:
    """``__dataclass_fields__`` of a record whose methods are not generated yet: reading it generates them."""

    def __init__(self, cls: type, options: dict, fields: dict):
        self.cls, self.options, self.fields = cls, options, fields

    def __get__(self, obj, owner=None):
        _generate(self.cls)
        return self.cls.__dict__["__dataclass_fields__"]


#: ``(look up, keep)`` of the store of compiled method sources (:func:`use_code_store`), or ``None``.
_code_store: tuple[Callable[[str], CodeType | None], Callable[[str, CodeType], None]] | None = None
_generating = threading.RLock()
_depth = 0  # nested _generate calls (one thread at a time: _generating)


def use_code_store(lookup: Callable[[str], CodeType | None], keep: Callable[[str, CodeType], None]) -> None:
    """Reuse compiled method code across runs: ``lookup(source)`` gives the code compiled from a
    source text by an earlier run (or ``None``), ``keep(source, code)`` stores new code. The store
    must be private to this interpreter's bytecode version (code is run as found)."""
    global _code_store
    _code_store = (lookup, keep)


def _exec(source, globals=None, locals=None):  # noqa: A002 - the signature of builtins.exec
    """``exec`` for :func:`dataclasses.dataclass` while a record is generated: a source text
    compiled by an earlier run (:func:`use_code_store`) runs from its stored code."""
    store = _code_store
    if store is None or not isinstance(source, str):
        return exec(source, globals, locals)
    code = store[0](source)
    if code is None:
        code = compile(source, "<string>", "exec")
        store[1](source, code)
    return exec(code, globals, locals)


def _generate(cls: type) -> None:
    """Turn ``cls`` (and any record it derives from) into the dataclass it stands for, once."""
    global _depth
    with _generating:
        # dataclasses calls ``exec`` by its global name: while records are generated that name is
        # :func:`_exec` in its namespace (where a version calls builtins.exec otherwise: no harm)
        if _depth == 0:
            dataclasses.exec = _exec
        _depth += 1
        try:
            for klass in reversed(cls.__mro__):
                pending = klass.__dict__.get("__dataclass_fields__")
                if not isinstance(pending, _Pending):
                    continue
                delattr(klass, "__dataclass_fields__")
                for name in _METHODS:
                    if getattr(klass.__dict__.get(name), "_record_stand_in", False):
                        delattr(klass, name)
                for name, value in pending.fields.items():
                    setattr(klass, name, value)
                dataclasses.dataclass(klass, **pending.options)
        finally:
            _depth -= 1
            if _depth == 0:
                del dataclasses.exec


def _stand_in(name: str):
    def method(self, *args, **kwargs):
        _generate(type(self))
        return getattr(type(self), name)(self, *args, **kwargs)

    method.__name__ = name
    method._record_stand_in = True
    return method


def record(cls: type | None = None, /, **options):
    """``@dataclasses.dataclass`` (same options, except ``slots``), with the methods generated on first use.

    Use as ``@record`` or ``@record(frozen=True)``; see the module docstring for what it buys.
    """
    if options.get("slots"):
        raise ValueError("record: slots=True makes a new class; use dataclasses.dataclass")

    def wrap(klass: type) -> type:
        for name, option in _METHODS.items():
            if options.get(option, True) and name not in klass.__dict__:
                setattr(klass, name, _stand_in(name))
        # ``x: list = field(...)`` leaves a Field object as the class attribute until the dataclass is
        # made (which then removes it or puts the default there): kept aside, so that an instance read
        # back from a pickle never finds a Field where dataclass would leave nothing.
        fields = {name: value for name, value in vars(klass).items() if isinstance(value, dataclasses.Field)}
        for name in fields:
            delattr(klass, name)
        klass.__dataclass_fields__ = _Pending(klass, options, fields)
        return klass

    return wrap if cls is None else wrap(cls)
