"""``--help`` in Chinese, complete at any terminal width.

Typer's own help puts each option's help in a table cell that cuts a run of Chinese text
(which has no spaces to wrap at) with "…" on an 80-column terminal, and reads help text as
rich markup (``djcheck[pdf]`` lost ``[pdf]``). The command classes here render the help
themselves as plain text (no markup), wrapped by terminal cells between any two Chinese
characters (:func:`wrap`): 用法, the description, 参数, 选项 and 命令, with Chinese wording for
the parts click adds (必填, 默认, the ``--help`` option itself).
"""

from __future__ import annotations

import re
import shutil

from typer.core import TyperCommand, TyperGroup

from .cache import lazy_pattern

HELP_TEXT = "显示本帮助并退出。"
_DEFAULT = lazy_pattern(r"\s*\[default: (?P<value>[^\]]*)\]", engine="re")
_REQUIRED = lazy_pattern(r"\s*\[required\]", engine="re")


def _cn(help_text: str) -> str:
    help_text = _REQUIRED.sub("（必填）", help_text)
    help_text = _DEFAULT.sub(lambda m: f"（默认：{m.group('value')}）", help_text)
    return help_text.replace("Show this message and exit.", HELP_TEXT)


#: A run that must not be broken (Latin words, numbers, options, paths), whitespace, or one other
#: character with the opening punctuation before it and the closing punctuation after it (no line
#: starts with ，。） or ends with （“).
_TOKEN = lazy_pattern(r"[A-Za-z0-9_.\-/\\\[\]<>|=+:@'\"*~^%$#&]+|\s+|[（「『“‘《]*.[，。、；：！？）」』”’》%…—]*", re.S, engine="re")
NAME_COLUMN = 26


def wrap(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` terminal cells (a Chinese character is two):
    between any two Chinese characters, at spaces between Latin words, never before closing
    punctuation; a token wider than ``width`` is cut."""
    from rich.cells import cell_len

    lines, line = [], ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            token = " "
        while cell_len(token) > width:  # a very long word or path
            room = width - cell_len(line)
            if room <= 0:
                lines.append(line.rstrip())
                line, room = "", width
            cut = 1
            while cut < len(token) and cell_len(token[: cut + 1]) <= room:
                cut += 1
            line += token[:cut]
            token = token[cut:]
        if cell_len(line) + cell_len(token.rstrip()) > width:
            lines.append(line.rstrip())
            line = "" if token == " " else token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _rows(rows: list[tuple[str, str]], width: int) -> list[str]:
    """Two columns: names (on their own line when wider than :data:`NAME_COLUMN`) and wrapped help."""
    from rich.cells import cell_len

    names_width = min(max(cell_len(n) for n, _ in rows), NAME_COLUMN)
    help_width = max(width - names_width - 6, 20)
    out = []
    for name, text in rows:
        lines = wrap(text, help_width) if text else [""]
        if cell_len(name) > names_width:
            out.append(f"  {name}")
            first = " " * names_width
        else:
            first = name + " " * (names_width - cell_len(name))
        out.append(f"  {first}  {lines[0]}".rstrip())
        out.extend(f"  {' ' * names_width}  {line}" for line in lines[1:])
    return out


def render_help(command, ctx) -> str:
    """The whole help of ``command`` (a click command or group) in context ``ctx``, as plain
    text for a terminal of the current width (at most 120 columns)."""
    width = min(shutil.get_terminal_size((80, 24)).columns, 120) - 1
    pieces = command.collect_usage_pieces(ctx)
    usage = " ".join([ctx.command_path, *pieces])
    usage = usage.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 ...")
    out = wrap(f"用法：{usage}", width)
    if command.help:
        for paragraph in command.help.split("\n\n"):
            out += ["", *wrap(paragraph, width)]
    arguments, options = [], []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, text = record
        if getattr(param, "param_type_name", "") == "argument":
            arguments.append(((param.name or names).upper(), _cn(text)))
        else:
            options.append((names, _cn(text)))
    sections = [("参数", arguments), ("选项", options)]
    if hasattr(command, "list_commands"):
        listed = []
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not getattr(sub, "hidden", False):
                listed.append((name, (sub.help or "").strip().split("\n\n")[0]))
        sections.append(("命令", listed))
    for title, rows in sections:
        if rows:
            out += ["", f"{title}：", *_rows(rows, width)]
    return "\n".join(out)


class _Help:
    """Mix-in: the Chinese help of :func:`render_help`."""

    def format_help(self, ctx, formatter) -> None:
        formatter.write(render_help(self, ctx) + "\n")

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


class HelpCommand(_Help, TyperCommand):
    """A typer command whose ``--help`` is :func:`render_help`."""


class HelpGroup(_Help, TyperGroup):
    """A typer group whose ``--help`` is :func:`render_help`."""
