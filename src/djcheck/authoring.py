"""Rule authoring helpers behind ``djcheck rules list / validate / test`` and ``djcheck explain``.

Nothing here prints: each function returns data or Chinese text for the CLI.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .config import CONFIG_NAMES, PYPROJECT, Config, load_config
from .engine import load_pack
from .errors import DjcheckError, RuleError
from .pack import BASE_PACKS, Pack, Rule, is_word_list, match_names, rule_names
from .selftest import ExampleFailure, own_rules, run_examples

LEVEL_CN = {"error": "错误", "warning": "警告", "info": "提示"}


def is_config_file(path: Path) -> bool:
    """Whether ``path`` is a djcheck configuration file rather than a rule pack."""
    return path.name in CONFIG_NAMES or path.name == PYPROJECT


def pack_files(target: str | Path, *, lists: bool = False) -> list[Path]:
    """YAML files named by ``target``: the file itself, or every ``*.yaml`` / ``*.yml`` in a folder
    (word lists, ``entries:``, only with ``lists``).

    Raises:
        RuleError: ``target`` does not exist, or a folder holds no YAML file.
    """
    p = Path(target)
    if p.is_file():
        return [p]
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.suffix in (".yaml", ".yml") and f.is_file())
        files = [f for f in files if not f.name.startswith(".")] or files
        if lists is False:
            files = [f for f in files if not is_word_list(f)]
        if not files:
            raise RuleError(str(p), "文件夹里没有规则文件（.yaml）。")
        return files
    raise RuleError(str(p), "找不到这个文件或文件夹。")


def load_target(path: Path) -> Pack:
    """Load one pack file, looking up packs it extends by id in its own folder first."""
    return load_pack(path, search=[path.parent])


def config_packs(cfg: Config) -> list[Pack]:
    """The organisation's packs a configuration brings in (``extends`` and ``rules_paths``)."""
    files = [cfg.resolve_pack(n) for n in cfg.extends]
    from .runner import pack_files_in

    for folder in cfg.rules_paths:
        files += pack_files_in(folder)
    seen: set[str] = set()
    packs = []
    for f in files:
        key = str(f.resolve())
        if key not in seen:
            seen.add(key)
            packs.append(load_pack(f, search=cfg.rules_paths))
    return packs


@dataclass
class Validation:
    """The outcome of validating one file: ``what`` it is, or the ``error``."""

    path: str
    what: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def validate_target(target: str | Path) -> list[Validation]:
    """Validate rule packs (a file or a folder) or a configuration file.

    A configuration is also resolved: its packs must load and its rule
    settings must fit them.

    Raises:
        RuleError: ``target`` does not exist or holds no YAML file.
    """
    out = []
    for f in pack_files(target, lists=True):
        try:
            if is_word_list(f):
                from .yamlio import load_yaml

                n = len(load_yaml(f).get("entries") or [])
                out.append(Validation(str(f), f"词表，{n} 个条目（由规则的 files: 引用，不作为规则包加载）"))
            elif is_config_file(f):
                from .runner import Session

                cfg = load_config(f)
                session = Session(config=f)
                forced = cfg.profile and cfg.profile != "auto"
                names = [cfg.profile] if forced else [p.file for p in session.candidates(cfg)]
                ids = [session.pack_for(name, cfg).id for name in names]
                out.append(Validation(str(f), f"配置文件，适用规则包：{'、'.join(ids)}"))
            else:
                pack = load_target(f)
                out.append(
                    Validation(str(f), f"规则包“{pack.id}”（{pack.title}），{len(own_rules(pack))} 条规则")
                )
        except DjcheckError as exc:
            out.append(Validation(str(f), error=str(exc)))
    return out


@dataclass
class PackTest:
    """Self-test outcome of one pack: its own rules, example count, failures."""

    pack: Pack
    rules: list[Rule]
    examples: int
    failures: list[ExampleFailure] = field(default_factory=list)


def selftest_packs(packs: list[Pack]) -> list[PackTest]:
    """Run :func:`djcheck.selftest.run_examples` on each pack's own rules."""
    out = []
    for pack in packs:
        rules = own_rules(pack)
        n = sum(len((r.examples or {}).get(k) or []) for r in rules for k in ("fail", "pass"))
        out.append(PackTest(pack, rules, n, run_examples(pack, rules)))
    return out


def bundled_with_common() -> list[Pack]:
    """Every bundled pack, the genre packs first and ``common`` last."""
    from .runner import bundled_order

    return [load_pack(n) for n in bundled_order() + list(BASE_PACKS)]


def find_rule(rule_id: str, packs: list[Pack]) -> list[tuple[Pack, Rule]]:
    """Every ``(pack, rule)`` whose rule ``rule_id`` names in ``packs``: its id, or its Chinese
    title or short name (``四种形态``; :func:`djcheck.pack.match_names`). When the name fits
    rules of several ids, all of them are returned (the caller lists them)."""
    exact = [(p, r) for p in packs for r in p.rules if r.id == rule_id]
    if exact:
        return exact
    ids = match_names(rule_id, [rule_names(r) for p in packs for r in p.rules])
    return [(p, r) for i in ids for p in packs for r in p.rules if r.id == i]


def kind_description(kind: str) -> str:
    """What check kind ``kind`` does, in Chinese (its ``DESCRIPTION_CN``; the id itself when unknown)."""
    from .checks import KINDS

    found = KINDS.get(kind)
    return found.DESCRIPTION_CN if found is not None else kind


def explain(rule: Rule, pack: Pack, others: list[str]) -> str:
    """A Chinese description of ``rule``: what it checks, why, its source, options and examples."""
    lines = [f"{rule.id}  {rule.title}", ""]
    where = f"规则包：{pack.id}（{pack.title}）"
    if rule.pack and rule.pack != pack.id:
        where += f"，定义于 {rule.pack}"
    lines.append(where)
    if others:
        lines.append(f"也用于：{'、'.join(others)}")
    lines.append(f"定义位置：{rule.file}:{rule.line}" if rule.line else f"定义位置：{rule.file}")
    state = "" if rule.enabled else "（已关闭）"
    lines.append(
        f"级别：{LEVEL_CN.get(rule.level, rule.level)}（{rule.level}）；分值：{rule.weight:g}{state}"
    )
    lines.append(f"检查类型：{rule.kind} —— {kind_description(rule.kind)}")
    if rule.message:
        lines.append(f"不合格时提示：{rule.message}")
    if rule.advice:
        lines.append(f"怎样改：{rule.advice}")
    if rule.source:
        lines.append(f"依据：{rule.source}")
    if rule.valid_from or rule.valid_until:
        lines.append(f"适用时间：{rule.valid_from or '不限'} 至 {rule.valid_until or '今'}")
    if rule.options:
        lines.append("选项：")
        for k, v in rule.options.items():
            lines.append(f"  {k}: {json.dumps(v, ensure_ascii=False)}")
    for key, mark, label in (("fail", "✖", "不合格例子"), ("pass", "✔", "合格例子")):
        examples = (rule.examples or {}).get(key) or []
        if examples:
            lines.append(f"{label}：")
            for ex in examples:
                lines.append(f"  {mark} " + ex.replace("\n", "\n    "))
    return "\n".join(lines)
