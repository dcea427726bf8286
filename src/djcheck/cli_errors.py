"""How the command line ends when something goes wrong: one Chinese line, a known exit code, no traceback.

* A command-line usage error (unknown option, missing file name, a value out of
  range …) — which click, inside typer, reports in an English box — becomes one
  Chinese line on standard error and exit code 2.
* Ctrl-C (``KeyboardInterrupt``) anywhere in a command: ``djcheck：已中断……``
  and exit code 130 (128 + SIGINT, what shells expect).
* Anything unexpected (a bug): one Chinese line naming the error and exit code
  2; set ``DJCHECK_DEBUG=1`` to see the traceback instead.

:class:`SafeGroup` is the typer group class of the ``djcheck`` app, so both the
console script and typer's test runner behave this way. The click exception
classes are recognised by name, so this works whether typer uses click or its
own vendored copy.
"""

from __future__ import annotations

import difflib
import os
import re
import sys

import typer

from .cli_help import HelpGroup

EXIT_ERROR, EXIT_INTERRUPTED = 2, 130

#: Set by the console entry point (``djcheck.cli.main``): a Ctrl-C that stopped a process
#: pool ends the process at once. Never set when the app runs inside another program (tests).
HARD_EXIT_AFTER_POOL = False

INTERRUPTED = "djcheck：已中断。没有写完的文件都保持原样，也没有留下临时文件。\n"

_CHOICE = re.compile(r"^'(?P<value>.*)' is not one of (?P<choices>.+?)\.?$", re.S)
_RANGE = re.compile(r"^(?P<value>.+?) is not in the range (?P<range>.+?)\.?$", re.S)
_NOT_TYPE = re.compile(r"^'?(?P<value>.*?)'? is not a valid (?P<type>[\w ]+?)\.?$", re.S)
_NO_COMMAND = re.compile(r"^No such command '(?P<name>.+?)'\.?(?:\s*Did you mean .*)?$", re.S)
_EXTRA = re.compile(r"^Got unexpected extra argument.*?\((?P<args>[^()]*)\)\.?$")
_TYPES_CN = {"integer": "整数", "int": "整数", "int range": "整数", "float": "数字", "float range": "数字"}


def _names(exc_type: type) -> set[str]:
    return {c.__name__ for c in exc_type.__mro__}


def _param_hint(exc) -> str:
    param = getattr(exc, "param", None)
    if param is not None:
        opts = [o for o in getattr(param, "opts", []) if o.startswith("-")]
        if opts:
            return " / ".join(opts)
        return (getattr(param, "name", None) or "参数").upper()
    hint = getattr(exc, "param_hint", None)
    if isinstance(hint, (list, tuple)):
        return " / ".join(hint)
    return str(hint or "参数")


def _command_path(exc) -> str:
    """``djcheck check`` — the command the error is about, whatever the program was called."""
    names = []
    ctx = getattr(exc, "ctx", None)
    while ctx is not None and getattr(ctx, "parent", None) is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["djcheck", *reversed(names)])


def usage_message(exc) -> str:
    """One Chinese sentence for a click/typer usage error ``exc`` (without the ``djcheck：`` prefix)."""
    names = _names(type(exc))
    help_hint = f"（用 {_command_path(exc)} --help 查看用法）"
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    raw = getattr(exc, "message", message) or message
    if "NoSuchOption" in names:
        option = getattr(exc, "option_name", "") or ""
        maybe = getattr(exc, "possibilities", None) or []
        guess = f"，是不是要用 {'、'.join(sorted(maybe))}？" if maybe else ""
        return f"没有 {option} 这个选项{guess}{help_hint}"
    if "MissingParameter" in names:
        param = getattr(exc, "param", None)
        what = "参数" if getattr(param, "param_type_name", "") == "argument" else "选项"
        helptext = getattr(param, "help", None)
        detail = f"：{helptext}" if helptext else ""
        return f"缺少{what} {_param_hint(exc)}{detail}{help_hint}"
    if "BadOptionUsage" in names and "requires an argument" in raw:
        return f"选项 {getattr(exc, 'option_name', '')} 后面要写一个值{help_hint}"
    if "BadParameter" in names:
        hint = _param_hint(exc)
        m = _CHOICE.match(raw)
        if m:
            choices = "、".join(c.strip().strip("'") for c in m.group("choices").split(","))
            return f"{hint} 的值“{m.group('value')}”无效，可选：{choices}"
        m = _RANGE.match(raw)
        if m:
            bounds = m.group("range").replace("x", "值")
            return f"{hint} 的值 {m.group('value')} 超出范围（应满足 {bounds}）"
        m = _NOT_TYPE.match(raw)
        if m and m.group("type") in _TYPES_CN:
            return f"{hint} 的值“{m.group('value')}”不是{_TYPES_CN[m.group('type')]}"
        return f"{hint} 的值无效：{raw}{help_hint}"
    m = _NO_COMMAND.match(raw)
    if m:
        ctx = getattr(exc, "ctx", None)
        command = getattr(ctx, "command", None)
        known, guess = "", ""
        if command is not None and hasattr(command, "list_commands"):
            names = command.list_commands(ctx)
            known = "（可用的命令：" + "、".join(names) + "）"
            close = difflib.get_close_matches(m.group("name"), names, n=1, cutoff=0.5)
            if close:
                guess = f"，是不是要用 {close[0]}？"
        return f"没有“{m.group('name')}”这个命令{guess}{known or help_hint}"
    m = _EXTRA.match(raw)
    if m:
        return f"多余的参数：{m.group('args')}{help_hint}"
    return f"命令行用法有误：{raw}{help_hint}"


class SafeGroup(HelpGroup):
    """The ``djcheck`` command group: Chinese usage errors, Ctrl-C → exit 130, no traceback (see module
    docstring); its help and its commands' help are Chinese and complete (:mod:`djcheck.cli_help`)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from .report.console import install

        install(sys.stdout)  # any console: what its encoding lacks is written as √ △ × or ?
        install(sys.stderr)
        try:
            code = super().main(
                args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra
            )
        except typer.Abort as exc:  # click turns EOF / Ctrl-C at a prompt into Abort
            code = interrupted(exc.__cause__)
        except Exception as exc:  # noqa: BLE001 - translate usage errors, contain the rest
            code = _handle(exc)
        if not isinstance(code, int):  # a command that returns normally
            code = 0
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            # typer would turn this into a silent exit code 130; say what happened.
            return interrupted(exc)


def interrupted(exc: BaseException | None = None) -> int:
    """Say that the run was interrupted; the exit code 130. After a batch whose workers were
    ended (``exc`` is :class:`~djcheck.errors.WorkersStopped`) the console entry point ends
    the process at once instead of returning."""
    from .errors import WorkersStopped

    try:
        sys.stderr.write(INTERRUPTED)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    if HARD_EXIT_AFTER_POOL and isinstance(exc, WorkersStopped):
        # The workers are already ended and every file write has been rolled back; skip the
        # interpreter's exit hooks, which can hang on the interrupted pool (Python 3.11).
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            pass
        os._exit(EXIT_INTERRUPTED)
    return EXIT_INTERRUPTED


def _handle(exc: Exception) -> int:
    from .errors import DjcheckError, internal_error

    names = _names(type(exc))
    if "NoArgsIsHelpError" in names:
        # building the exception rendered the help: typer's rich help is already on the screen,
        # click's plain help is the message (print it once, not again)
        text = exc.format_message() if hasattr(exc, "format_message") else ""
        if text.strip():
            sys.stdout.write(text + "\n")
        return EXIT_ERROR
    if "ClickException" in names:
        sys.stderr.write(f"djcheck：{usage_message(exc)}\n")
        return getattr(exc, "exit_code", EXIT_ERROR) or EXIT_ERROR
    if isinstance(exc, DjcheckError):
        sys.stderr.write(f"djcheck：{exc}\n")
        return EXIT_ERROR
    if os.environ.get("DJCHECK_DEBUG"):
        raise exc
    sys.stderr.write(f"djcheck：{internal_error(exc)}\n")
    return EXIT_ERROR
