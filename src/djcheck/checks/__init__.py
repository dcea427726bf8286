"""Check kinds: each YAML ``kind:`` is one module here, listed once in :data:`KINDS`.

A kind module provides what :class:`Kind` describes:

- ``KIND``: its id, the YAML ``kind:`` (``four-forms``);
- ``DESCRIPTION_CN``: one Chinese sentence saying what it checks (shown by
  ``djcheck explain`` and ``djcheck rules list``);
- ``OPTIONS_SCHEMA``: JSON schema of the rule's ``options`` (validated at load,
  messages in Chinese with file and line);
- ``prepare(rule) -> object``: compile patterns once (stored as ``rule.compiled``),
  raising ``RuleError`` with the rule's file and line on a bad option;
- ``run(rule, ctx) -> Outcome``: the verdict for one document;

and may provide (:class:`KindExtras`):

- ``CHECKLIST_GROUP``: 0 structure, 1 required elements, 2 weak-item analysis,
  3 located findings (the default): the order of the checklist;
- ``entry_examples(rule)``: examples carried by the rule's data entries (term
  lists), run by ``djcheck rules test`` beside the rule's own;
- ``data_files(rule)``: paths of the files (word lists) the rule reads besides its
  pack, so that the per-user pack cache is rebuilt when an office edits its own list.

A kind either judges an element (``Outcome.status`` set: ok / weak / missing)
or reports located findings (``status`` left ``None``; the engine derives the
checklist status from the findings).

Adding a kind: write one module with the members above, import it below and
add it to the tuple in :data:`KINDS` (one line each), as yamllint does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..yamlio import validate
from . import (
    achievements_data,
    author_name,
    doubled_word,
    elements,
    events,
    first_person,
    four_forms,
    four_forms_sum,
    measure_match,
    measures_concrete,
    mention,
    numbering,
    part,
    pattern,
    problems_specific,
    problems_weight,
    punctuation,
    regulations,
    slogans,
    structure,
    terms,
    typo_guess,
    yearly_theme,
)
from .outcome import NOT_APPLICABLE, UNCHECKED, Outcome, shorten

if TYPE_CHECKING:
    from ..context import Context
    from ..pack import Rule

__all__ = [
    "KINDS",
    "NOT_APPLICABLE",
    "UNCHECKED",
    "Kind",
    "KindExtras",
    "Outcome",
    "checklist_group",
    "checklist_order",
    "entry_examples",
    "prepare_rule",
    "prepare_rules",
    "shorten",
]


@runtime_checkable
class Kind(Protocol):
    """What every check kind module provides (see the module docstring)."""

    KIND: str
    DESCRIPTION_CN: str
    OPTIONS_SCHEMA: dict

    def prepare(self, rule: Rule) -> Any: ...

    def run(self, rule: Rule, ctx: Context) -> Outcome: ...


class KindExtras(Protocol):
    """Optional members of a kind; read only through :func:`checklist_group`, :func:`entry_examples`
    and :func:`data_files`."""

    CHECKLIST_GROUP: int
    entry_examples: Callable[[Rule], list[tuple[str, str, int | None, list[str], list[str]]]]
    data_files: Callable[[Rule], list[str]]


#: Kind id (the YAML ``kind:``) → the module that runs it.
KINDS: dict[str, Kind] = {
    m.KIND: m  # type: ignore[misc]
    for m in (
        structure,
        part,
        mention,
        four_forms,
        four_forms_sum,
        pattern,
        problems_specific,
        measure_match,
        measures_concrete,
        achievements_data,
        problems_weight,
        first_person,
        doubled_word,
        terms,
        slogans,
        events,
        punctuation,
        numbering,
        author_name,
        regulations,
        yearly_theme,
        elements,
        typo_guess,
    )
}

#: Checklist group of a kind that declares none: located findings, last.
DEFAULT_GROUP = 3


def checklist_group(kind: str) -> int:
    """The checklist group of kind ``kind`` (:data:`DEFAULT_GROUP` when it declares none or is unknown)."""
    return getattr(KINDS.get(kind), "CHECKLIST_GROUP", DEFAULT_GROUP)


def entry_examples(rule: Rule) -> list[tuple[str, str, int | None, list[str], list[str]]]:
    """``(entry, file, line, fails, passes)`` for the examples of ``rule``'s data entries
    (``[]`` when its kind has none)."""
    hook = getattr(KINDS.get(rule.kind), "entry_examples", None)
    return list(hook(rule)) if hook is not None else []


def data_files(rule: Rule) -> list[str]:
    """Paths of the files ``rule`` reads besides its pack (``[]`` when its kind reads none).

    Raises:
        RuleError: a file the rule names does not exist.
    """
    hook = getattr(KINDS.get(rule.kind), "data_files", None)
    return list(hook(rule)) if hook is not None else []


def checklist_order(rules) -> list[Rule]:
    """Rules in checklist order: structure, required elements, weak-item analysis, located findings.

    The group is the kind's ``CHECKLIST_GROUP`` (:func:`checklist_group`); within a
    group the given order is kept (parents' rules before the pack's own).
    """
    return sorted(rules, key=lambda r: checklist_group(r.kind))


def prepare_rule(rule: Rule) -> None:
    """Check ``rule``'s options against its kind's ``OPTIONS_SCHEMA`` and set ``rule.compiled``
    to what the kind's ``prepare`` builds.

    Raises:
        RuleError: unknown kind, options the kind does not accept, or a bad pattern
            (at the rule's file and line).
    """
    kind = KINDS.get(rule.kind)
    if kind is None:
        raise rule.error(f"未知的检查类型 kind: {rule.kind}（可用：{'、'.join(sorted(KINDS))}）")
    validate(rule.options, kind.OPTIONS_SCHEMA, rule.file, rule.line)
    rule.compiled = kind.prepare(rule)


def prepare_rules(rules) -> list[Rule]:
    """``rules`` in :func:`checklist_order`, each one not yet prepared checked and prepared
    (:func:`prepare_rule`): what makes rules ready to run. :func:`djcheck.engine.load_pack`
    has :func:`djcheck.pack.read_pack` apply it at each level of ``extends``.

    Raises:
        RuleError: as :func:`prepare_rule`, for the first bad rule in checklist order.
    """
    ordered = checklist_order(rules)
    for rule in ordered:
        if rule.compiled is None:
            prepare_rule(rule)
    return ordered
