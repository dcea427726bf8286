"""Configuration files: ``.djcheck.yaml`` or ``[tool.djcheck]`` in ``pyproject.toml``.

For each checked file djcheck walks up from the file's folder and uses the
first ``.djcheck.yaml`` (or ``.djcheck.yml``, or a ``pyproject.toml`` with a
``[tool.djcheck]`` table) it finds; the nearest one wins and configurations
are not merged. The walk stops at a repository root (a folder with ``.git``)
or the home folder, and a file owned by another user (not root) is passed
over with a note (:func:`discover_config`). ``--config`` names one file for
every checked file instead.

Keys (all optional; see README “配置文件”)::

    profile: zhuti-zeren        # always use this pack (id or path); ``auto`` = detect the genre
    extends: [our-rules]        # packs whose rules are added to every genre pack (id or path)
    rules_paths: [规则]          # folders searched for packs by id; genre packs there join detection
    rules:                      # per-rule changes
      four-forms: error         # off | error | warning | info
      placeholder: off
      problems: {min_chars: 120, weight: 25}   # level / weight / weak_credit / enabled, or the kind's options
    min_score: 85
    fail_on: warning            # error (default) | warning
    year: 2026
    exclude: ["旧稿/*", "*-模板.txt"]

Relative paths are relative to the configuration file's folder. Every error
is a :class:`~djcheck.errors.ConfigError` naming the file and, where known,
the 1-based line.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import re
import sys
from dataclasses import field
from pathlib import Path
from typing import Any

from .checks import checklist_order, prepare_rule
from .errors import ConfigError, RuleError
from .pack import Pack, resolve_pack_path
from .records import record
from .yamlio import MAX_YAML_BYTES, LineDict, load_yaml, validate

CONFIG_NAMES = (".djcheck.yaml", ".djcheck.yml")
PYPROJECT = "pyproject.toml"
LEVELS = ("error", "warning", "info")

_STR_OR_LIST = {"oneOf": [{"type": "string", "minLength": 1}, {"type": "array", "items": {"type": "string"}}]}

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "profile": {"type": "string", "minLength": 1},
        "extends": _STR_OR_LIST,
        "rules_paths": _STR_OR_LIST,
        "rules": {"type": "object"},
        "min_score": {"type": "number", "minimum": 0, "maximum": 100},
        "fail_on": {"enum": ["error", "warning"]},
        "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
        "exclude": _STR_OR_LIST,
    },
}

#: Keys of a rule setting that change the rule itself; any other key is one of the kind's options.
RULE_KEYS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "level": {"enum": list(LEVELS)},
        "weight": {"type": "number", "minimum": 0, "maximum": 100},
        "weak_credit": {"type": "number", "minimum": 0, "maximum": 1},
        "enabled": {"type": "boolean"},
        "options": {"type": "object"},
    },
}


@record
class RuleSetting:
    """One entry of ``rules:``: what to change in rule ``id``.

    ``options`` holds kind options to merge into the rule's; ``line`` is the
    entry's 1-based line in the configuration file.
    """

    id: str
    line: int | None = None
    enabled: bool | None = None
    level: str | None = None
    weight: float | None = None
    weak_credit: float | None = None
    options: dict = field(default_factory=dict)


@record
class Config:
    """A loaded configuration (or the empty default when ``path`` is ``None``).

    Attributes:
        path: the file it came from, as a string, or ``None``.
        folder: the folder relative paths are resolved from.
        profile: forced pack (id or path), or ``None`` to detect the genre.
        extends: add-on packs (ids or paths) applied to every genre pack.
        rules_paths: folders with the organisation's own packs.
        rules: per-rule settings by rule id.
        min_score / fail_on / year: overrides (``None`` = not set).
        exclude: glob patterns of files to skip when walking folders.
        lines: 1-based line of each top-level key (for messages).
    """

    path: str | None = None
    folder: Path = field(default_factory=Path.cwd)
    profile: str | None = None
    extends: list[str] = field(default_factory=list)
    rules_paths: list[Path] = field(default_factory=list)
    rules: dict[str, RuleSetting] = field(default_factory=dict)
    min_score: float | None = None
    fail_on: str | None = None
    year: int | None = None
    exclude: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def error(self, message: str, key: str | None = None, line: int | None = None) -> ConfigError:
        """A :class:`ConfigError` at this file, at ``line`` or the line of top-level ``key``."""
        return ConfigError(self.path, message, line or (self.lines.get(key) if key else None))

    def excludes(self, file: str | Path) -> bool:
        """Whether ``file`` matches an ``exclude`` pattern.

        Patterns are globs relative to :attr:`folder` (``*`` also crosses ``/``);
        a pattern without ``/`` also matches any single file or folder name.
        """
        if not self.exclude:
            return False
        try:
            rel = Path(file).resolve().relative_to(self.folder.resolve())
        except ValueError:
            return False
        posix = rel.as_posix()
        for pat in self.exclude:
            pat = pat.replace("\\", "/").strip("/")
            if fnmatch.fnmatch(posix, pat) or fnmatch.fnmatch(posix, pat + "/*"):
                return True
            if "/" not in pat and any(fnmatch.fnmatch(part, pat) for part in rel.parts):
                return True
        return False

    def resolve_pack(self, name: str, key: str | None = None) -> Path:
        """The file of pack ``name`` (path relative to :attr:`folder`, or id in ``rules_paths`` / bundled).

        Raises:
            ConfigError: no such pack.
        """
        try:
            return resolve_pack_path(name, self.folder, self.rules_paths)
        except RuleError:
            where = "、".join(str(p) for p in self.rules_paths) or "（未设置 rules_paths）"
            raise self.error(f"找不到规则包“{name}”（在 {where} 和内置规则包中都没有）。", key) from None


# -- finding -------------------------------------------------------------------
def _has_tool_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    return bool(re.search(r"^\s*\[\s*tool\.djcheck\s*[\].]", text, re.MULTILINE))


def _owner(path: Path) -> int | None:
    """The user id owning ``path`` (``None`` when it cannot be read, or on Windows)."""
    try:
        return path.stat().st_uid if hasattr(os, "getuid") else None
    except OSError:
        return None


def is_trusted(path: Path) -> bool:
    """Whether a discovered configuration file may be applied: owned by the current user or by
    root (POSIX). A file planted by another user in a shared folder is not. On Windows there is
    no owner test (always ``True``)."""
    if not hasattr(os, "getuid"):
        return True
    return _owner(path) in (os.getuid(), 0)


def _stops_discovery(folder: Path, home: Path | None) -> bool:
    """Discovery does not go above a repository root (a folder containing ``.git``) or the home folder."""
    return folder == home or (folder / ".git").exists()


def discover_config(start: str | Path) -> tuple[Path | None, list[Path]]:
    """The configuration for files in folder ``start``, and the untrusted ones passed over.

    Walks up from ``start``: in each folder ``.djcheck.yaml``, ``.djcheck.yml``, then a
    ``pyproject.toml`` with ``[tool.djcheck]``; the first one :func:`is_trusted` wins. The walk
    stops after a repository root (a folder containing ``.git``) or the user's home folder.

    Returns:
        ``(path or None, ignored)``: ``ignored`` lists configuration files found on the way that
        belong to another user (not root) and were therefore not applied.
    """
    folder = Path(start).resolve()
    try:
        home: Path | None = Path.home().resolve()
    except (RuntimeError, KeyError, OSError):
        home = None
    ignored: list[Path] = []
    for d in (folder, *folder.parents):
        candidates = [d / name for name in CONFIG_NAMES]
        candidates.append(d / PYPROJECT)
        for c in candidates:
            if not c.is_file() or (c.name == PYPROJECT and not _has_tool_table(c)):
                continue
            if is_trusted(c):
                return c, ignored
            ignored.append(c)
        if _stops_discovery(d, home):
            break
    return None, ignored


def find_config(start: str | Path) -> Path | None:
    """The configuration for files in folder ``start`` (see :func:`discover_config`), or ``None``."""
    return discover_config(start)[0]


def ignored_note(path: Path) -> str:
    """The Chinese note for an untrusted configuration file that was not applied."""
    return (
        f"没有使用配置文件 {path}：它属于其他用户，可能是别人放在共用文件夹里的；"
        "如确实要用，请用 --config 指定它，或把它复制成自己的文件。"
    )


def used_note(path: str) -> str:
    """The Chinese note naming the configuration file applied to a draft."""
    return f"使用的配置文件：{path}"


# -- loading -------------------------------------------------------------------
def load_config(path: str | Path) -> Config:
    """Load and validate a configuration file (YAML, or ``pyproject.toml``'s ``[tool.djcheck]``).

    Raises:
        ConfigError: unreadable file, syntax error, unknown key, wrong type or
            value, missing rule folder — with the file and line.
    """
    p = Path(path)
    name = str(path)
    if not p.is_file():
        raise ConfigError(name, "找不到配置文件。")
    if p.name == PYPROJECT or p.suffix == ".toml":
        try:
            data = _load_toml(p)
            validate(data, CONFIG_SCHEMA, name)
        except RecursionError:  # YAML is bounded before it is built (yamlio); TOML here
            raise ConfigError(name, "配置文件里的列表或表格嵌套太深，不予读取。") from None
        except RuleError as exc:
            raise ConfigError(exc.path, exc.message, exc.line) from None
    else:
        try:
            data = load_yaml(p)
        except RuleError as exc:
            raise ConfigError(exc.path, exc.message.replace("规则文件", "配置文件"), exc.line) from None
    if data is None:
        data = LineDict()
    if not isinstance(data, dict):
        raise ConfigError(name, "配置文件应是键值映射（如 profile: zhuti-zeren），现在不是。", 1)
    try:
        validate(data, CONFIG_SCHEMA, name)
    except RuleError as exc:
        raise ConfigError(exc.path, exc.message, exc.line) from None
    key_lines = getattr(data, "key_lines", {})
    cfg = Config(path=name, folder=p.resolve().parent, lines=dict(key_lines))

    def as_list(key: str) -> list[str]:
        value = data.get(key) or []
        return [value] if isinstance(value, str) else list(value)

    cfg.profile = data.get("profile")
    cfg.extends = as_list("extends")
    cfg.exclude = as_list("exclude")
    cfg.min_score = data.get("min_score")
    cfg.fail_on = data.get("fail_on")
    cfg.year = data.get("year")
    for raw in as_list("rules_paths"):
        folder = Path(raw) if Path(raw).is_absolute() else cfg.folder / raw
        if not folder.is_dir():
            raise cfg.error(f"rules_paths 中的文件夹“{raw}”不存在。", "rules_paths")
        cfg.rules_paths.append(folder)
    rules = data.get("rules") or {}
    rule_lines = getattr(rules, "key_lines", {})
    for rid, value in rules.items():
        cfg.rules[str(rid)] = _rule_setting(cfg, str(rid), value, rule_lines.get(rid, cfg.lines.get("rules")))
    if cfg.profile and cfg.profile != "auto":
        cfg.resolve_pack(cfg.profile, "profile")
    for name_ in cfg.extends:
        cfg.resolve_pack(name_, "extends")
    return cfg


def _rule_setting(cfg: Config, rid: str, value: Any, line: int | None) -> RuleSetting:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rid):
        raise cfg.error(f"rules 中的规则编号“{rid}”不合规范：编号只能用小写字母、数字和连字符。", line=line)
    setting = RuleSetting(rid, line)
    if value is False or value == "off":
        setting.enabled = False
    elif value is True or value == "on":
        setting.enabled = True
    elif value in LEVELS:
        setting.level = value
    elif isinstance(value, dict):
        known = LineDict((k, v) for k, v in value.items() if k in RULE_KEYS_SCHEMA["properties"])
        known.line = getattr(value, "line", None) or line or 0
        known.key_lines = {k: getattr(value, "key_lines", {}).get(k, known.line) for k in known}
        try:
            validate(known, RULE_KEYS_SCHEMA, cfg.path or "", line)
        except RuleError as exc:
            raise ConfigError(cfg.path, f"规则“{rid}”：{exc.message}", exc.line) from None
        setting.enabled = known.get("enabled")
        setting.level = known.get("level")
        setting.weight = known.get("weight")
        setting.weak_credit = known.get("weak_credit")
        options = LineDict()
        options.line = getattr(value, "line", line) or 0
        options.key_lines = {}
        for k, v in list((known.get("options") or {}).items()) + [
            (k, v) for k, v in value.items() if k not in RULE_KEYS_SCHEMA["properties"]
        ]:
            options[k] = v
            options.key_lines[k] = getattr(value, "key_lines", {}).get(k, line) or line
        setting.options = options
    else:
        raise cfg.error(
            f"规则“{rid}”的设置 {value!r} 无效：应为 off、error、warning、info，或者选项映射（如 {{min_chars: 120}}）。",
            line=line,
        )
    return setting


def _load_toml(p: Path) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    name = str(p)
    try:
        with open(p, "rb") as fh:
            raw = fh.read(MAX_YAML_BYTES + 1)
        if len(raw) > MAX_YAML_BYTES:
            raise ConfigError(name, f"配置文件太大（超过 {MAX_YAML_BYTES // (1 << 20)} MB），不予读取。")
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(name, f"无法读取配置文件：{exc}。") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ConfigError(name, f"TOML 格式错误：{exc}", int(m.group(1)) if m else None) from None
    except ValueError:  # an integer beyond Python's limit of digits
        long = re.search(r"\d{1000,}", text)
        line = text.count("\n", 0, long.start()) + 1 if long else None
        raise ConfigError(name, "TOML 中有位数太多的数字，不是有效的设置值。", line) from None
    table = data.get("tool", {}).get("djcheck")
    if table is None:
        raise ConfigError(name, "pyproject.toml 中没有 [tool.djcheck] 部分。")
    return _with_lines(table, _toml_key_lines(text), ("tool", "djcheck"))


def _toml_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """1-based line of each key path (``("tool", "djcheck", "rules", "four-forms")``) in a TOML text."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for n, raw in enumerate(text.splitlines(), 1):
        head = re.match(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$", raw)
        if head:
            table = tuple(k.strip().strip("\"'") for k in head.group(1).split("."))
            for i in range(1, len(table) + 1):
                lines.setdefault(table[:i], n)
            continue
        kv = re.match(r"^\s*([A-Za-z0-9_\-\"'. ]+?)\s*=", raw)
        if kv:
            key = tuple(k.strip().strip("\"'") for k in kv.group(1).split("."))
            lines.setdefault(table + key, n)
    return lines


def _with_lines(value: Any, lines: dict[tuple[str, ...], int], prefix: tuple[str, ...]) -> Any:
    if isinstance(value, dict):
        out = LineDict()
        out.line = lines.get(prefix, 0)
        out.key_lines = {}
        for k, v in value.items():
            out[k] = _with_lines(v, lines, prefix + (k,))
            out.key_lines[k] = lines.get(prefix + (k,), out.line)
        return out
    return value


# -- applying to packs ---------------------------------------------------------
def known_rule_ids(packs: list[Pack]) -> set[str]:
    """Every rule id defined in ``packs``."""
    return {r.id for p in packs for r in p.rules}


def add_pack(base: Pack, addon: Pack) -> Pack:
    """``base`` with the rules (and part kinds) of add-on pack ``addon`` added.

    A rule the add-on lists in its own file (a new rule, or a change to an inherited one, even of
    its level alone) replaces the base's rule of the same id; rules it only inherits are added when
    the base lacks them (so an add-on that ``extends: [common]`` does not undo the base's changes).
    """
    rules = {r.id: r for r in base.rules}
    for r in addon.rules:
        if r.id not in rules or r.file == addon.file or r.id in addon.listed:
            rules[r.id] = r
    ordered = checklist_order(rules.values())
    kinds = {s.kind for s in base.parts}
    parts = list(base.parts) + [s for s in addon.parts if s.kind not in kinds]
    return dataclasses.replace(base, rules=ordered, parts=parts, files=base.files + addon.files)


def apply_settings(pack: Pack, cfg: Config, known: set[str]) -> Pack:
    """``pack`` with ``cfg.rules`` applied (levels, weights, on/off, options).

    Args:
        known: rule ids that exist in some pack; a setting for one of them that
            this pack lacks is skipped (it is meant for another genre).

    Raises:
        ConfigError: a setting names a rule that exists nowhere, or gives
            options the rule's kind does not accept.
    """
    rules = list(pack.rules)
    for rid, s in cfg.rules.items():
        idx = next((i for i, r in enumerate(rules) if r.id == rid), None)
        if idx is None:
            if rid in known:
                continue
            raise cfg.error(
                f"没有编号为“{rid}”的规则（用 djcheck rules list 查看所有规则编号）。", line=s.line
            )
        rule = rules[idx]
        changes: dict[str, Any] = {
            k: v
            for k, v in (
                ("enabled", s.enabled),
                ("level", s.level),
                ("weight", s.weight),
                ("weak_credit", s.weak_credit),
            )
            if v is not None
        }
        if s.options:
            options = LineDict({**rule.options, **s.options})
            options.line = s.line or 0
            options.key_lines = dict(getattr(s.options, "key_lines", {}))
            changes.update(options=options, file=cfg.path or rule.file, line=s.line)
        new = dataclasses.replace(rule, **changes)
        if s.options:
            try:
                prepare_rule(new)  # new.line is the setting's line: schema errors point there
            except RuleError as exc:
                raise ConfigError(cfg.path, f"规则“{rid}”：{exc.message}", exc.line) from None
        rules[idx] = new
    return dataclasses.replace(pack, rules=rules)


# -- starter file ----------------------------------------------------------------
STARTER = """\
# djcheck 配置文件（党建报告合规检查）
# 放在草稿所在的文件夹（或它的上级文件夹）中，对这个文件夹下的所有草稿生效；
# 离草稿最近的配置文件起作用。去掉行首的“# ”即可启用某一项。说明见 README“配置文件”。

# 报告类型（规则包）。不写时按标题和内容自动识别：
#   zhuti-zeren 主体责任报告   jiandu-zeren 监督责任报告   zhengzhi-shengtai 政治生态研判报告
#   duizhao-jiancha 对照检查材料   shuze-shulian 述责述廉报告
# profile: zhuti-zeren

# 本单位自己的规则：rules_paths 是存放规则文件（.yaml）的文件夹，
# extends 列出要加到每一类报告上的规则包（编号或文件路径）。见 README“编写自己的规则”。
# rules_paths: [规则]
# extends: [ben-danwei]

# 调整单条规则：off 关闭；error / warning / info 改级别；也可以改分值和选项。
# 规则编号用 djcheck rules list 查看，规则说明用 djcheck explain 编号 查看。
# rules:
#   four-forms: error
#   placeholder: warning
#   problems: {min_chars: 120, weight: 25}

# 合格分数线（0–100），默认取规则包的设定（80）。
# min_score: 85

# 哪一级的问题算不通过：error（默认，缺少“错误”级别的必备要素才不通过）或 warning（有警告也不通过）。
# fail_on: error

# 报告年份（影响时效性提法的检查），一般不用写。
# year: 2026

# 检查文件夹时跳过的文件（相对于本配置文件所在文件夹的通配符）。
# exclude: ["旧稿/*", "*模板*.txt"]
"""


def write_starter(folder: str | Path) -> Path:
    """Write the commented starter ``.djcheck.yaml`` into ``folder``.

    Raises:
        ConfigError: the file already exists (it is never overwritten) or cannot be written.
    """
    target = Path(folder) / CONFIG_NAMES[0]
    if target.exists():
        raise ConfigError(str(target), "配置文件已经存在，没有覆盖。要重新生成，请先删除或改名。")
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(STARTER)
    except FileExistsError:
        raise ConfigError(str(target), "配置文件已经存在，没有覆盖。") from None
    except OSError as exc:
        raise ConfigError(str(target), f"无法写入配置文件：{exc.strerror or exc}。") from None
    return target
