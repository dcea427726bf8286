"""YAML with line numbers, and JSON-schema validation whose messages are plain Chinese.

Rule packs, configuration files and the bundled data files (terms, events) are
read with :func:`load_yaml`, which keeps the 1-based line of every mapping key
and sequence item (:class:`LineDict`, :class:`LineList`), and checked with
:func:`validate`, which turns a schema violation into one Chinese sentence at
the line of the offending key (:class:`~djcheck.errors.RuleError`). Only the
safe loader is used: Python object tags (``!!python/object``) are refused, and
dates stay text (``2022-12-26``) so that rules compare them as ISO strings.

The schema pieces several files share live here: :data:`DATE`,
:data:`STRINGS` and :data:`ID_SCHEMA`.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Any

from .cache import lazy_pattern
from .errors import RuleError

#: An ISO date or a prefix of one: ``2022``, ``2022-12`` or ``2022-12-26``.
DATE: dict[str, Any] = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
#: A list of strings.
STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
#: A short kebab-case id (``four-forms``, ``zhuti-zeren``).
ID_SCHEMA: dict[str, Any] = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}

_KEY_NAMES_CN = {
    "string": "文字",
    "number": "数字",
    "integer": "整数",
    "boolean": "true 或 false",
    "array": "列表",
    "object": "键值映射",
}


# -- YAML with line numbers ----------------------------------------------------
class LineDict(dict):
    """A mapping that remembers the 1-based line of itself and of each key."""

    line: int = 0
    key_lines: dict


class LineList(list):
    """A sequence that remembers the 1-based line of itself and of each item."""

    line: int = 0
    item_lines: list


@functools.cache
def _loader_class():
    """Safe YAML loader (C-accelerated when available) that records lines.

    Built on first use: YAML is only imported when a pack is read from its
    files (a cached pack, see :mod:`djcheck.cache`, needs no YAML).
    """
    import yaml

    class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    _Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
    # Dates stay text ("2022-12-26"): rules compare them as ISO strings.
    _Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    _Loader.add_constructor("tag:yaml.org,2002:int", _construct_bounded_int)
    return _Loader


def _construct_mapping(loader, node):
    import yaml

    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise yaml.constructor.ConstructorError(None, None, "键必须是文字", key_node.start_mark)
        if isinstance(key, bool):
            raise yaml.constructor.ConstructorError(None, None, _bool_key_message(key_node), key_node.start_mark)
        if key in out:
            raise yaml.constructor.ConstructorError(None, None, f"键“{key}”重复出现", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = line
    return out


def _construct_sequence(loader, node):
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


def load_yaml(path: str | Path, text: str | None = None) -> Any:
    """Parse a YAML file safely, keeping line numbers (:class:`LineDict` / :class:`LineList`).

    Raises:
        RuleError: unreadable file, syntax error, duplicate key or a non-safe tag
            (such as ``!!python/object``), with the line where it happened.
    """
    import yaml

    name = str(path)
    if text is None:
        text = _read_bounded(Path(path), name)
    else:
        _refuse_oversized(len(text.encode("utf-8", "surrogatepass")), name)
    try:
        _refuse_hostile(text, name)
        data = yaml.load(text, Loader=_loader_class())  # noqa: S506 - derives from the safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = str(exc.problem or exc.context or "")
        if "could not determine a constructor" in problem or "tag" in problem:
            raise RuleError(
                name, f"不允许的 YAML 标签（只支持普通数据，不能含 !!python 等对象标签）：{problem}", line
            ) from None
        if problem in ("键必须是文字",) or problem.startswith("键“"):
            raise RuleError(name, f"YAML 格式错误：{problem}", line) from None
        if "quoted scalar" in str(exc.context or "") and exc.context_mark is not None:
            line = exc.context_mark.line + 1  # where the unpaired quote opens
        typed = typing_mistake(text, line)
        if typed is not None:
            raise RuleError(name, f"YAML 格式错误：{typed[1]}", typed[0]) from None
        raise RuleError(name, f"YAML 格式错误：{_problem_cn(problem)}", line) from None
    except yaml.YAMLError as exc:
        raise RuleError(name, f"YAML 格式错误：{exc}") from None
    _check_keys(data, name)
    return data


# -- Chinese messages for YAML syntax errors ----------------------------------------
_PROBLEMS_CN = (
    ("could not find expected ':'", "找不到键后面的冒号：键和值之间要用半角冒号加空格，如 level: error。"),
    (
        "found character that cannot start any token",
        "这里有 YAML 不认识的字符（常见原因：用 Tab 键缩进；或值以 @、` 等符号开头，这样的值要加引号）。",
    ),
    ("did not find expected '-' indicator", "缩进没有对齐：同一列表的各项（- ）要从同一列开始，缩进只用半角空格。"),
    ("did not find expected key", "缩进没有对齐：同一层的键要从同一列开始，缩进只用半角空格。"),
    ("expected <block end>", "缩进没有对齐：同一层的键或列表项要从同一列开始，缩进只用半角空格。"),
    ("found unexpected end of stream", "文件在引号还没配对时就结束了：检查引号（\" 或 '）是否成对。"),
    ("did not find expected ',' or ']'", "方括号列表 [ … ] 没有正确结束：各项之间用半角逗号“,”分隔，最后要有“]”。"),
    ("did not find expected ',' or '}'", "花括号 { … } 没有正确结束：各项之间用半角逗号“,”分隔，最后要有“}”。"),
    (
        "mapping values are not allowed here",
        "这里不能出现“键: 值”：可能是缩进不对，或文字中含有半角冒号加空格（这样的文字请加引号）。",
    ),
    ("found unknown escape character", "双引号里的反斜杠“\\”要写成“\\\\”；正则表达式请改用单引号。"),
    ("found undefined alias", "以“*”开头的值在 YAML 中有特殊含义（如占位符 **）：请给这个值加引号。"),
    (
        "did not find expected alphabetic or numeric character",
        "以“*”或“&”开头的值在 YAML 中有特殊含义（如占位符 **）：请给这个值加引号。",
    ),
)

_TAB_INDENT = lazy_pattern(r"^[ \u3000]*\t", engine="re")
_WIDE_SPACE_INDENT = lazy_pattern(r"^[ \t]*\u3000", engine="re")
_WIDE_COLON_KEY = lazy_pattern(r"^[ \t\u3000]*(?:-[ \t]+)?([A-Za-z_][\w-]*|[\u4e00-\u9fff]+)[ \t]*：", engine="re")

#: What a Chinese input method typed into a YAML file, and what to do about it.
HINT_TAB = "这一行用 Tab 键缩进：YAML 只能用半角空格缩进，请把 Tab 换成空格（例如两个空格）。"
HINT_WIDE_SPACE = (
    "这一行行首有全角空格（中文输入法打出的空格“　”）：缩进只能用半角空格，请切换到英文输入法后重新输入空格。"
)
HINT_WIDE_COLON = (
    "“{key}”后面用了全角冒号“：”：键和值之间要用半角冒号加空格（: ），请切换到英文输入法后重新输入。"
)


def typing_mistake(text: str, before: int | None = None) -> tuple[int, str] | None:
    """The line a Chinese input method most likely broke, at or before line ``before``, with a hint.

    Looks for a Tab or a full-width space (U+3000) in a line's indentation and a key followed by a
    full-width colon (``title：``), the last such line at most two lines before ``before`` (where the
    parser stopped; anywhere when ``None``). Returns ``(1-based line, Chinese hint)`` or ``None``; the hint does not repeat the
    line (the error's location names it).
    """
    found = None
    for number, raw in enumerate(text.splitlines(), 1):
        if before is not None and number > before:
            break
        if before is not None and number < before - 2:
            continue  # a parser stops within a line or two of what broke it
        if raw.lstrip(" \t\u3000").startswith("#"):
            continue
        if _TAB_INDENT.match(raw):
            found = (number, HINT_TAB.format(line=number))
        elif _WIDE_SPACE_INDENT.match(raw):
            found = (number, HINT_WIDE_SPACE.format(line=number))
        elif m := _WIDE_COLON_KEY.match(raw):
            found = (number, HINT_WIDE_COLON.format(line=number, key=m.group(1)))
    return found


def _problem_cn(problem: str) -> str:
    for english, chinese in _PROBLEMS_CN:
        if problem.startswith(english) or english in problem:
            return chinese
    return problem or "无法解析"


def _check_keys(data: Any, name: str) -> None:
    """Refuse keys that parsed but were typed with a Chinese input method (``　　level``, ``title：x``)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, LineDict):
            for key, value in node.items():
                line = node.key_lines.get(key, node.line)
                if isinstance(key, str) and key[:1] == "\u3000":
                    raise RuleError(name, f"YAML 格式错误：{HINT_WIDE_SPACE.format(line=line)}", line)
                if isinstance(key, str) and "：" in key and _WIDE_COLON_KEY.match(key):
                    head = _WIDE_COLON_KEY.match(key).group(1)
                    raise RuleError(name, f"YAML 格式错误：{HINT_WIDE_COLON.format(line=line, key=head)}", line)
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


# -- bounded loading (hostile YAML: size, aliases, huge integers, bool keys) -----------------
#: Largest YAML file read (packs, configuration files, word lists), in bytes: 1 MiB. The bundled
#: packs are under 20 KB; a larger file is refused before it is parsed.
MAX_YAML_BYTES = 1 << 20
#: Most values that the aliases (``*name``) of one YAML file may stand for, counted as the items
#: and values they repeat, nested aliases included. Counted in the event stream before anything is
#: built: a "billion laughs" file of a few hundred bytes (aliases of aliases) is refused at once
#: instead of expanding to gigabytes; sharing a few small blocks with ``&name`` / ``*name`` is fine.
MAX_ALIAS_EXPANSION = 10_000
#: Deepest nesting of lists and mappings (the bundled packs use 6 levels); deeper nesting would
#: exhaust Python's recursion when the data is built and validated.
MAX_YAML_DEPTH = 50
#: Most digits of an integer in YAML (a weight, a score, a year need a handful).
MAX_INT_DIGITS = 30


def _read_bounded(path: Path, name: str) -> str:
    """The text of YAML file ``path``, refused (RuleError) above :data:`MAX_YAML_BYTES`."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_YAML_BYTES + 1)
    except FileNotFoundError:
        raise RuleError(name, "找不到规则文件。") from None
    except OSError as exc:
        raise RuleError(name, f"无法读取规则文件：{exc.strerror or exc}。") from None
    _refuse_oversized(len(raw), name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleError(name, "规则文件不是 UTF-8 编码，请另存为 UTF-8。") from None


def _refuse_oversized(size: int, name: str) -> None:
    if size > MAX_YAML_BYTES:
        raise RuleError(
            name,
            f"规则文件太大（超过 {MAX_YAML_BYTES // (1 << 20)} MB），不予读取：请检查是不是选错了文件，或把它拆成几个小文件。",
        )


def _refuse_hostile(text: str, name: str) -> None:
    """Refuse a text whose aliases stand for more than :data:`MAX_ALIAS_EXPANSION` values, or whose
    lists and mappings nest deeper than :data:`MAX_YAML_DEPTH`, reading only the event stream
    (nothing is built). Syntax errors are left to the real load."""
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    sizes: dict[str, int] = {}  # anchor → values its node holds, aliases inside expanded
    open_nodes: list[list] = [[None, 0]]  # [anchor, size] of each collection being read
    repeated = 0
    try:
        for event in yaml.parse(text, Loader=loader_class):
            if isinstance(event, yaml.CollectionStartEvent):
                open_nodes.append([event.anchor, 1])
                if len(open_nodes) - 1 > MAX_YAML_DEPTH:
                    raise RuleError(
                        name,
                        f"YAML 的列表或映射嵌套太深（超过 {MAX_YAML_DEPTH} 层），不予读取：规则和配置用不到这么多层。",
                        event.start_mark.line + 1 if event.start_mark else None,
                    )
            elif isinstance(event, yaml.CollectionEndEvent) and len(open_nodes) > 1:
                anchor, size = open_nodes.pop()
                if anchor:
                    sizes[anchor] = size
                open_nodes[-1][1] += size
            elif isinstance(event, yaml.ScalarEvent):
                open_nodes[-1][1] += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                size = sizes.get(event.anchor, 1)
                open_nodes[-1][1] += size
                repeated += size
                if repeated > MAX_ALIAS_EXPANSION:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    raise RuleError(
                        name,
                        f"YAML 别名（*名称）重复引用的内容太多（展开后超过 {MAX_ALIAS_EXPANSION} 项），"
                        "可能是恶意构造的文件，不予展开：请把需要的内容直接写出来。",
                        line,
                    )
    except yaml.YAMLError:
        return


def _construct_bounded_int(loader, node):
    import yaml

    digits = sum(ch.isdigit() for ch in str(node.value))
    if digits > MAX_INT_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"数字太长（{digits} 位），不是有效的设置值", node.start_mark
        )
    return loader.construct_yaml_int(node)


def _bool_key_message(node) -> str:
    return (
        f"键“{node.value}”会被 YAML 读成 true/false 而不是文字，请给它加上引号（如 \"{node.value}\": …）"
    )


# -- schema validation -----------------------------------------------------------------------
def _node_at(data: Any, path: list[str]) -> Any:
    node = data
    for step in path[1:]:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return None
    return node


def _unknown_keys(exc) -> list[str]:
    value, definition = exc.value, exc.definition or {}
    if not isinstance(value, dict) or definition.get("additionalProperties") is not False:
        return []
    allowed = definition.get("properties", {})
    return [k for k in value if k not in allowed]


def _line_at(data: Any, path: list[str]) -> int | None:
    """The line of the deepest key or item named by a fastjsonschema path."""
    line = getattr(data, "line", None)
    node = data
    for step in path[1:]:
        if isinstance(node, LineDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and step.isdigit() and int(step) < len(node):
            line = node.item_lines[int(step)]
            node = node[int(step)]
        else:
            break
    return line


def _schema_message(exc) -> str:
    key = exc.path[-1] if len(exc.path) > 1 else "（顶层）"
    definition = exc.definition or {}
    value = exc.value
    extra = _unknown_keys(exc)
    allowed = list(definition.get("properties", {}))
    hint = f"（可用的键：{'、'.join(allowed)}）" if allowed else ""
    if exc.rule == "additionalProperties" and isinstance(value, dict):
        return f"不认识的键“{extra[0] if extra else '?'}”{hint}"
    if exc.rule == "required" and isinstance(value, dict):
        missing = [k for k in definition.get("required", []) if k not in value]
        also = f"；不认识的键“{extra[0]}”{hint}" if extra else ""
        return f"缺少必填的键“{missing[0] if missing else '?'}”{also}"
    if exc.rule == "type":
        want = definition.get("type")
        want_cn = "或".join(_KEY_NAMES_CN.get(t, t) for t in (want if isinstance(want, list) else [want]))
        return f"“{key}”的类型不对：应为{want_cn}，实际是 {value!r}"
    if exc.rule == "enum":
        return f"“{key}”的值 {value!r} 无效，可选：{' / '.join(map(str, definition.get('enum', [])))}"
    if exc.rule in ("minimum", "maximum"):
        lo, hi = definition.get("minimum"), definition.get("maximum")
        return f"“{key}”的值 {value!r} 超出范围（{lo} 到 {hi}）"
    if exc.rule == "pattern":
        if definition.get("pattern") == ID_SCHEMA["pattern"]:
            return f"“{key}”的值 {value!r} 不合规范：编号只能用小写字母、数字和连字符，如 four-forms"
        return f"“{key}”的值 {value!r} 格式不对（应符合 {definition.get('pattern')}）"
    if exc.rule == "minLength":
        return f"“{key}”不能为空"
    if exc.rule == "oneOf":
        return f"“{key}”的值 {value!r} 形式不对"
    return f"“{key}”的值不符合要求：{exc.message}"


@functools.cache
def _validator(schema_key: str):
    import json

    import fastjsonschema

    return fastjsonschema.compile(json.loads(schema_key))


def _non_finite(node: Any, where: list[str]) -> list[str] | None:
    """The path (fastjsonschema style) of the first NaN or infinite number in ``node``, else ``None``.

    ``.nan`` / ``.inf`` are valid YAML (and TOML) floats, and every comparison with NaN is
    false, so a schema's ``minimum``/``maximum`` would let them through.
    """
    stack = [(node, where)]  # iterative: a deeply nested file must not exhaust the recursion limit
    while stack:
        value, at = stack.pop()
        if isinstance(value, float):
            if not math.isfinite(value):
                return at
        elif isinstance(value, dict):
            stack.extend((v, [*at, str(k)]) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((v, [*at, str(i)]) for i, v in reversed(list(enumerate(value))))
    return None


def validate(data: Any, schema: dict, path: str, base_line: int | None = None) -> None:
    """Validate ``data`` against a JSON schema; a NaN or infinite number is refused anywhere in it.

    Raises:
        RuleError: naming ``path``, the line of the offending key and the problem in Chinese.
    """
    import json

    import fastjsonschema

    bad = _non_finite(data, ["data"])
    if bad is not None:
        key = bad[-1] if len(bad) > 1 else "（顶层）"
        raise RuleError(
            path,
            f"“{key}”的值不是有效的数字（NaN 或无穷大），请写一个普通的数，例如 80",
            _line_at(data, bad) or base_line,
        )
    try:
        _validator(json.dumps(schema, sort_keys=True))(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        line = _line_at(data, exc.path)
        node = _node_at(data, exc.path)
        extra = _unknown_keys(exc)
        if extra and isinstance(node, LineDict):
            line = node.key_lines.get(extra[0], line)
        raise RuleError(path, _schema_message(exc), line or base_line) from None
