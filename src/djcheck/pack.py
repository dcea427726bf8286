"""Rule packs: load YAML, validate it, resolve ``extends``, compile patterns.

A pack is a YAML file (see README "编写自己的规则")::

    id: zhuti-zeren
    title: 落实全面从严治党主体责任情况报告
    extends: [common]          # other packs: bundled names or relative paths
    min_score: 80
    detect: {title: {主体责任: 10}, words: {...}, min_score: 6}   # genre detection (djcheck.genre)
    parts: {problems: {title: 存在的问题, headings: [...], lead_ins: [...]}, ...}
    rules:
      - id: four-forms         # short kebab-case
        kind: four-forms       # which check runs it (djcheck.checks.KINDS)
        title: 运用监督执纪“四种形态”
        level: warning         # error | warning | info
        weight: 10             # points in the score
        options: {...}         # validated against the kind's OPTIONS_SCHEMA
        examples: {fail: [...], pass: [...]}

Everything is validated when loaded; every error names the file, the 1-based
line and the key (:class:`~djcheck.errors.RuleError`). YAML is read with the
safe loader only: Python object tags are refused (:mod:`djcheck.yamlio`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import field
from pathlib import Path
from typing import Any

import regex

from . import safe_regex as _safe_regex
from .errors import RuleError
from .parts import PartSpec
from .paths import bundled_dir, is_bundled
from .records import record
from .safe_regex import REGEX_FLAGS, REGEX_TIMEOUT, compile_user_pattern  # noqa: F401 - re-exported
from .yamlio import DATE, ID_SCHEMA, STRINGS, LineDict, LineList, load_yaml, validate

RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "additionalProperties": False,
    "properties": {
        "id": ID_SCHEMA,
        "title": {"type": "string", "minLength": 1},
        "short": {"type": "string", "minLength": 1, "maxLength": 12},
        "kind": {"type": "string"},
        "level": {"enum": ["error", "warning", "info"]},
        "weight": {"type": "number", "minimum": 0, "maximum": 100},
        "weak_credit": {"type": "number", "minimum": 0, "maximum": 1},
        "enabled": {"type": "boolean"},
        "message": {"type": "string"},
        "advice": {"type": "string"},
        "source": {"type": "string"},
        "valid_from": DATE,
        "valid_until": DATE,
        "options": {"type": "object"},
        "examples": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"fail": STRINGS, "pass": STRINGS},
        },
    },
}

_POINTS = {
    "oneOf": [
        {"type": "number"},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["points"],
            "properties": {"points": {"type": "number"}, "cap": {"type": "integer", "minimum": 1}},
        },
    ]
}

#: ``detect:`` — how :mod:`djcheck.genre` recognises the pack's report genre.
#: Keys of ``title`` / ``words`` are regexes; values are points (negative counts against).
DETECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "title": {"type": "object", "additionalProperties": {"type": "number"}},
        "words": {"type": "object", "additionalProperties": _POINTS},
        "cap": {"type": "integer", "minimum": 1},
        "min_score": {"type": "number", "minimum": 0},
        "priority": {"type": "integer"},
        "report": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "title": {"type": "string"},
                "headline": STRINGS,
                "min_headings": {"type": "integer", "minimum": 1},
            },
        },
    },
}

PACK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "title"],
    "additionalProperties": False,
    "properties": {
        "schema_version": {"enum": [1]},
        "id": ID_SCHEMA,
        "title": {"type": "string"},
        "short_title": {"type": "string", "minLength": 1, "maxLength": 12},
        "description": {"type": "string"},
        "extends": {"oneOf": [{"type": "string"}, STRINGS]},
        "min_score": {"type": "number", "minimum": 0, "maximum": 100},
        "detect": DETECT_SCHEMA,
        "parts": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title"],
                "properties": {"title": {"type": "string"}, "headings": STRINGS, "lead_ins": STRINGS},
            },
        },
        "rules": {"type": "array", "items": RULE_SCHEMA},
    },
}

# -- packs and rules -----------------------------------------------------------
@record
class Rule:
    """One rule of a pack.

    Attributes:
        id: kebab-case id, unique in the resolved pack.
        title: Chinese title shown in the checklist.
        short: a short Chinese name (at most 12 characters) for narrow places such as the
            batch summary table, e.g. ``四种形态``; ``""`` = the title without its parenthesis.
        kind: the check that runs it (a key of :data:`djcheck.checks.KINDS`; the rule knows
            nothing else of its kind).
        level: ``error`` | ``warning`` | ``info``.
        weight: points in the score (0 = not scored).
        weak_credit: share of ``weight`` earned when the item is weak (0–1).
        message / advice / source: Chinese texts; ``source`` names the regulation or reference.
        options: kind-specific settings, validated by the kind's schema.
        examples: ``{"fail": [...], "pass": [...]}`` texts for ``djcheck rules test``.
        valid_from / valid_until: ISO dates bounding the years the rule applies to.
        file / line: where the rule was defined (for messages).
        compiled: what the kind's ``prepare`` built (compiled patterns …), set by
            :func:`djcheck.checks.prepare_rules`; ``None`` until then.
    """

    id: str
    title: str
    kind: str
    level: str
    short: str = ""
    weight: float = 0.0
    weak_credit: float = 0.5
    enabled: bool = True
    message: str = ""
    advice: str = ""
    source: str = ""
    options: dict = field(default_factory=dict)
    examples: dict = field(default_factory=dict)
    valid_from: str | None = None
    valid_until: str | None = None
    pack: str = ""
    file: str = ""
    line: int | None = None
    # A factory, not ``= None``: the class then has no ``compiled`` attribute, so a rule read back
    # from a pickle can fill it on first use (``__getattr__``).
    compiled: Any = field(default_factory=lambda: None)

    # -- pickling: ``compiled`` travels as its own pickle, unpickled when first used ------------
    # Genre detection loads every bundled pack but checks with one; the others' compiled
    # patterns are then never unpickled (about 5 ms a pack).
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        if "compiled" in state:
            import pickle

            state["_compiled_pickle"] = pickle.dumps(state.pop("compiled"), protocol=pickle.HIGHEST_PROTOCOL)
        return state

    def __getattr__(self, name: str):
        blob = self.__dict__.get("_compiled_pickle") if name == "compiled" else None
        if blob is None:
            raise AttributeError(name)
        import pickle

        value = pickle.loads(blob)
        self.__dict__["compiled"] = value
        del self.__dict__["_compiled_pickle"]
        return value

    def error(self, message: str, line: int | None = None) -> RuleError:
        """A :class:`RuleError` located at this rule's definition."""
        return RuleError(self.file, f"规则“{self.id}”：{message}", line or self.line)

    def option_line(self, key: str) -> int | None:
        """1-based line of option ``key`` in the rule file, when known."""
        opts = self.options
        if isinstance(opts, LineDict) and key in opts.key_lines:
            return opts.key_lines[key]
        return self.line

    def data_file(self, name: str, key: str = "files") -> Path:
        """A data file (word list, events, themes …) named in option ``key``: an absolute path, else
        relative to the rule's pack or configuration file, else in the bundled ``rules/``.

        Raises:
            RuleError: no such file (at the option's line).
        """
        candidates = [Path(name)] if Path(name).is_absolute() else []
        if self.file:
            candidates.append(Path(self.file).parent / name)
        candidates.append(bundled_dir() / name)
        for c in candidates:
            if c.is_file():
                return c
        raise self.error(
            f"找不到数据文件“{name}”（相对于规则文件或配置文件所在文件夹，或内置规则文件夹）。", self.option_line(key)
        )

    def compile(self, pattern: str, key: str = "patterns") -> regex.Pattern:
        """Compile one of the rule's patterns; unless the rule comes from a bundled pack, every
        match on it is bounded in time (:class:`djcheck.safe_regex.GuardedPattern`, same methods).

        Raises:
            RuleError: invalid regex, or a ``\\b`` (which matches nothing useful in Chinese text).
        """
        line, owner = self.option_line(key), f"规则“{self.id}”"
        compiled = compile_user_pattern(pattern, file=self.file, line=line, owner=owner)
        return _safe_regex.guard(compiled, file=self.file, line=line, owner=owner)


@record
class Pack:
    """A resolved rule pack (``extends`` applied).

    Attributes:
        id / title / description: identity; ``id`` is the profile name (``zhuti-zeren`` …).
        short_title: a short Chinese name of the report type for narrow places (the batch
            summary table), e.g. ``主体责任报告``; ``""`` = use ``title``.
        min_score: pass mark out of 100.
        rules: enabled and disabled rules, in order (checklist order once prepared).
        parts: part specifications in classification order.
        detect: genre-detection settings (see :mod:`djcheck.genre`).
        file: the pack's YAML file.
        files: every YAML file the pack was built from (for cache keys).
        listed: ids of the rules the pack's own file lists (new rules and changes to inherited ones,
            even a change of level alone).
    """

    id: str
    title: str
    short_title: str = ""
    description: str = ""
    min_score: float = 80.0
    rules: list[Rule] = field(default_factory=list)
    parts: list[PartSpec] = field(default_factory=list)
    detect: dict = field(default_factory=dict)
    file: str = ""
    files: list[str] = field(default_factory=list)
    listed: frozenset[str] = frozenset()
    #: What check kinds derive from the whole pack, built on first use by the kind that needs it and
    #: kept for the next document (the terms rules' joint screen); not part of the pack's identity,
    #: and a configured copy (``dataclasses.replace``) starts empty.
    derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def rule(self, rule_id: str) -> Rule | None:
        """The rule with ``rule_id``, or ``None``."""
        return next((r for r in self.rules if r.id == rule_id), None)

    @property
    def active_rules(self) -> list[Rule]:
        """Enabled rules, in order."""
        return [r for r in self.rules if r.enabled]


#: Bundled packs that other packs build on; they are not report genres.
BASE_PACKS = ("common", "quality")


def bundled_packs() -> list[str]:
    """Ids of the bundled packs that are genre profiles (not :data:`BASE_PACKS`)."""
    return sorted(p.stem for p in bundled_dir().glob("*.yaml") if p.stem not in BASE_PACKS)


def _plain_name(text: str) -> str:
    return "".join(c for c in text if c not in " \t\u3000“”\"'‘’「」《》").lower()


def match_names(query: str, named: Iterable[tuple[str, Iterable[str]]]) -> list[str]:
    """The ids that ``query`` names, for ``--profile 监督责任`` and ``explain 四种形态``: the one
    place where Chinese titles and short names of packs and rules are resolved.

    ``named`` is ``(id, names)`` for each candidate (a pack: its title and ``short_title``; a
    rule: its ``title``, ``short``, and the title before its parenthesised explanation). Spaces
    and quotation marks are ignored. An id or a name equal to ``query`` wins alone; otherwise
    every id with a name containing ``query`` (``监督责任`` → 落实监督责任情况报告). Returns the
    ids in the order of ``named``, without repeats; ``[]`` when nothing matches.
    """
    wanted = _plain_name(query)
    if not wanted:
        return []
    entries = [(ident, [_plain_name(n) for n in names if n]) for ident, names in named]
    exact = [ident for ident, names in entries if wanted == ident.lower() or wanted in names]
    if exact:
        return list(dict.fromkeys(exact))
    return list(dict.fromkeys(ident for ident, names in entries if any(wanted in n for n in names)))


def pack_names(pack: Pack) -> tuple[str, list[str]]:
    """``(id, Chinese names)`` of ``pack`` for :func:`match_names`."""
    return pack.id, [pack.title, pack.short_title]


def rule_names(rule: Rule) -> tuple[str, list[str]]:
    """``(id, Chinese names)`` of ``rule`` for :func:`match_names`."""
    return rule.id, [rule.title, rule.short, rule.title.split("（", 1)[0]]


def resolve_pack_path(name: str, relative_to: Path | None = None, search: list[Path] | None = None) -> Path:
    """Find a pack file by bundled id, by id in ``search`` folders, or by path.

    Raises:
        RuleError: nothing of that name exists.
    """
    candidates: list[Path] = []
    if name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name:
        p = Path(name)
        candidates.append(p if p.is_absolute() or relative_to is None else relative_to / p)
    else:
        for folder in search or []:
            candidates.append(Path(folder) / f"{name}.yaml")
        candidates.append(bundled_dir() / f"{name}.yaml")
    for c in candidates:
        if c.is_file():
            return c
    known = "、".join(bundled_packs())
    raise RuleError(str(relative_to or name), f"找不到规则包“{name}”（内置规则包：{known}）。")


#: Deepest chain of ``extends`` (a pack extending a pack extending …) that is read.
MAX_EXTENDS_DEPTH = 32


def read_pack(
    name_or_path: str | Path,
    search: list[Path] | None = None,
    *,
    prepare: Callable[[list[Rule]], list[Rule]] | None = None,
    parents: dict[tuple, Pack] | None = None,
) -> Pack:
    """Read and resolve a pack by bundled id (``zhuti-zeren``) or YAML path: YAML and schema
    validated, ``extends`` merged, ``detect`` and ``parts`` patterns compiled.

    ``prepare(rules) -> rules`` is applied to the merged rules at each level of ``extends``,
    parents first: :func:`djcheck.engine.load_pack` passes
    :func:`djcheck.checks.prepare_rules` (checklist order; options checked and compiled), so a
    rule that inherits its options unchanged shares its parent's prepared patterns, and errors
    come in the order the files are read. Without it the rules are left unprepared
    (``compiled`` is ``None``) in definition order, parents' rules first.

    ``parents``: packs extended by packs read before with the same dict (by file and ``search``),
    filled as packs are read: when several packs are read with one dict, a pack they all extend
    (``common``) is read once, and its rules are the same objects in each of them.

    Raises:
        RuleError: malformed YAML or schema, bad regex, extends cycle.
    """
    path = resolve_pack_path(str(name_or_path), None, search)
    return _load(path, tuple(str(s) for s in (search or [])), (), prepare or list, parents)


def _load(
    path: Path, search: tuple[str, ...], chain: tuple[str, ...], prepare: Callable[[list], list], parents: dict | None
) -> Pack:
    key = str(path.resolve())
    if key in chain:
        raise RuleError(str(path), "extends 形成了循环引用。")
    data = load_yaml(path)
    if len(chain) >= MAX_EXTENDS_DEPTH and isinstance(data, dict) and data.get("extends"):
        raise RuleError(
            str(path),
            f"extends 层层引用超过 {MAX_EXTENDS_DEPTH} 层，不予读取：请直接引用需要的规则包，减少中间层。",
            getattr(data, "key_lines", {}).get("extends"),
        )
    if not isinstance(data, dict):
        raise RuleError(str(path), "规则文件应是一个键值映射（以 id:、title:、rules: 等键开头）。", 1)
    if is_word_list_data(data):
        raise RuleError(str(path), WORD_LIST_NOT_PACK, data.key_lines.get("entries", 1))
    validate(data, PACK_SCHEMA, str(path))
    extends = data.get("extends") or []
    if isinstance(extends, str):
        extends = [extends]
    merged_rules: dict[str, Rule] = {}
    parts: dict[str, PartSpec] = {}
    files: list[str] = []
    min_score = 80.0
    detect: dict = {}
    for parent_name in extends:
        parent_path = resolve_pack_path(parent_name, path.parent, [Path(s) for s in search])
        parent_key = (str(parent_path.resolve()), search)
        parent = None if parents is None else parents.get(parent_key)
        if parent is None:
            parent = _load(parent_path, search, chain + (key,), prepare, parents)
            if parents is not None:
                parents[parent_key] = parent
        files.extend(parent.files)
        for r in parent.rules:
            merged_rules[r.id] = r
        for spec in parent.parts:
            parts[spec.kind] = spec
        min_score = parent.min_score
        detect = _merge_detect(detect, parent.detect)
    files.append(str(path))
    if data.get("detect"):
        _check_detect_patterns(data["detect"], path)
        detect = _merge_detect(detect, data["detect"])
    for i, raw in enumerate(data.get("rules") or []):
        line = data["rules"].item_lines[i]
        rid = raw["id"]
        if rid in merged_rules and merged_rules[rid].file == str(path):
            raise RuleError(str(path), f"规则编号“{rid}”重复。", line)
        base = merged_rules.get(rid)
        merged_rules[rid] = _make_rule(raw, base, path, line, data["id"])
    for kind, spec in (data.get("parts") or {}).items():
        parts[kind] = _part_spec(kind, spec, path)
    if "parts" in data:  # a pack that lists parts decides their order
        order = list(data["parts"].keys())
        parts = {k: parts[k] for k in order + [k for k in parts if k not in order]}
    rules = prepare(list(merged_rules.values()))
    return Pack(
        id=data["id"],
        title=data["title"],
        short_title=data.get("short_title", ""),
        description=data.get("description", ""),
        min_score=float(data.get("min_score", min_score)),
        rules=rules,
        parts=list(parts.values()),
        detect=detect,
        file=str(path),
        files=files,
        listed=frozenset(raw["id"] for raw in data.get("rules") or []),
    )


def _make_rule(raw: dict, base: Rule | None, path: Path, line: int, pack_id: str) -> Rule:
    fields = {}
    if base is not None:
        fields = {k: getattr(base, k) for k in Rule.__dataclass_fields__ if k != "compiled"}
    fields.update({k: v for k, v in raw.items()})
    for key in ("title", "kind", "level"):
        if key not in fields:
            homes = bundled_rule_homes().get(raw["id"], []) if base is None else []
            if homes and not is_bundled(str(path)):
                listed = "、".join(f"“{h}”" for h in homes)
                which = "" if len(homes) == 1 else "（或其中另一个适用的规则包）"
                raise RuleError(
                    str(path),
                    f"规则“{raw['id']}”是自带规则包{listed}中的规则：要修改它，请在这个规则包的开头写"
                    f" extends: [{homes[0]}]{which}，然后只写要改的键。",
                    line,
                )
            raise RuleError(str(path), f"规则“{raw['id']}”缺少必填的键“{key}”", line)
    if base is None or raw.keys() - {"id", "enabled", "level", "weight"}:
        fields.update(pack=pack_id, file=str(path), line=line)
    fields["weight"] = float(fields.get("weight", 0))
    fields.setdefault("options", {})
    fields["options"] = fields["options"] if fields["options"] is not None else {}
    rule = Rule(**fields)
    if base is not None and "options" not in raw and "kind" not in raw:
        rule.compiled = base.compiled  # prepared as the parent's rule (its file, lines, bundled or not)
    return rule


def _merge_detect(base: dict, own: dict) -> dict:
    """``detect`` of a pack over its parents': ``title`` / ``words`` merged entry by entry, other keys replaced."""
    out = dict(base)
    for key, value in own.items():
        if key in ("title", "words") and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _check_detect_patterns(detect: dict, path: Path) -> None:
    """Compile every regex of a ``detect:`` block; a bad one is a :class:`RuleError` at its line."""
    report = detect.get("report") or {}
    where: list[tuple[str, Any, int | None]] = []
    for key in ("title", "words"):
        block = detect.get(key) or {}
        where += [(f"detect.{key}", pat, getattr(block, "key_lines", {}).get(pat)) for pat in block]
    if "title" in report:
        where.append(("detect.report.title", report["title"], getattr(report, "key_lines", {}).get("title")))
    heads = report.get("headline") or []
    where += [("detect.report.headline", pat, (getattr(heads, "item_lines", None) or [None] * len(heads))[i])
              for i, pat in enumerate(heads)]
    for key, pat, line in where:
        if not isinstance(pat, str):  # a bare number as a key (YAML reads 123 as an integer)
            raise RuleError(str(path), f"{key}：“{pat}”不是文字，请给它加上引号（如 \"{pat}\"）。", line)
        compile_user_pattern(pat, file=str(path), line=line, owner=key)


def _part_spec(kind: str, spec: dict, path: Path) -> PartSpec:
    def comp(key: str) -> list[regex.Pattern]:
        out = []
        for i, pat in enumerate(spec.get(key) or []):
            line = spec[key].item_lines[i] if isinstance(spec[key], LineList) else None
            owner = f"parts.{kind}.{key}"
            compiled = compile_user_pattern(pat, file=str(path), line=line, owner=owner)
            out.append(_safe_regex.guard(compiled, file=str(path), line=line, owner=owner))
        return out

    return PartSpec(kind, spec["title"], comp("headings"), comp("lead_ins"))


#: Why a word list is not loaded as a pack (shown with the file and the line of ``entries:``).
WORD_LIST_NOT_PACK = (
    "这是词表（有 entries:），不是规则包：词表由规则包中的规则引用，"
    "如 options: {files: [terms/typos.yaml, 词表/易错词.yaml]}（见 README“本单位的易错词表”）。"
)


def is_word_list_data(data) -> bool:
    """A parsed YAML mapping is a word list (``entries:`` and no pack keys ``id`` / ``rules``)."""
    return isinstance(data, dict) and "entries" in data and "id" not in data and "rules" not in data


def is_word_list(path: str | Path) -> bool:
    """The YAML file at ``path`` is a word list (``entries:``), not a pack; ``False`` when unreadable
    or not YAML (reading it as a pack then reports why)."""
    try:
        return is_word_list_data(load_yaml(path))
    except RuleError:
        return False


@functools.cache
def bundled_rule_homes() -> dict[str, list[str]]:
    """``{rule id: [bundled packs that define it]}`` (a definition has a ``kind``), for telling an
    organisation's pack which pack to extend when it changes a built-in rule."""
    homes: dict[str, list[str]] = {}
    for f in sorted(bundled_dir().glob("*.yaml")):
        try:
            data = load_yaml(f)
        except RuleError:
            continue
        for raw in (data.get("rules") or []) if isinstance(data, dict) else []:
            if isinstance(raw, dict) and "kind" in raw and isinstance(raw.get("id"), str):
                homes.setdefault(raw["id"], []).append(f.stem)
    return homes
