"""How the command line ends when something goes wrong: one Chinese line, a known exit code, no traceback.

* A command-line usage error (unknown option, missing file name, a value out of
  range …) — which click, inside typer, reports in an English box — becomes one
  Chinese line on standard error and exit code 2.
* Ctrl-C (``KeyboardInterrupt``) anywhere in a command: ``djcheck：已中断……``
  and exit code 130 (128 + SIGINT, what shells expect). SIGTERM and SIGHUP (the console
  script turns them into :class:`~djcheck.atomic.Terminated`) end a run the same way, with
  ``djcheck：收到终止（SIGTERM）信号……`` and exit code 143 or 129.
* Anything unexpected (a bug): one Chinese line naming the error and exit code
  2; set ``DJCHECK_DEBUG=1`` to see the traceback instead.

:class:`SafeGroup` is the typer group class of the ``djcheck`` app, so both the
console script and typer's test runner behave this way. The click exception
classes are recognised by name, so this works whether typer uses click or its
own vendored copy.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import sys

import typer

from .cache import lazy_pattern
from .cli_help import HelpGroup

EXIT_ERROR, EXIT_INTERRUPTED = 2, 130

#: Set by the console entry point (``djcheck.cli.main``): a Ctrl-C that stopped a process
#: pool ends the process at once. Never set when the app runs inside another program (tests).
HARD_EXIT_AFTER_POOL = False

INTERRUPTED = "djcheck：已中断。没有写完的文件都保持原样，也没有留下临时文件。\n"
#: Said when the process was told to stop (SIGTERM, or SIGHUP when its terminal closed); the exit
#: code is then 128 + the signal number (143, 129), as shells report a process ended by it.
TERMINATED = "djcheck：收到{name}信号，已停止检查。没有写完的文件都保持原样，工作进程都已结束。\n"


_CHOICE = lazy_pattern(r"^'(?P<value>.*)' is not one of (?P<choices>.+?)\.?$", re.S, engine="re")
_RANGE = lazy_pattern(r"^(?P<value>.+?) is not in the range (?P<range>.+?)\.?$", re.S, engine="re")
_NOT_TYPE = lazy_pattern(r"^'?(?P<value>.*?)'? is not a valid (?P<type>[\w ]+?)\.?$", re.S, engine="re")
_NO_COMMAND = lazy_pattern(r"^No such command '(?P<name>.+?)'\.?(?:\s*Did you mean .*)?$", re.S, engine="re")
_EXTRA = lazy_pattern(r"^Got unexpected extra argument.*?\((?P<args>[^()]*)\)\.?$", engine="re")
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
    """Say that the run was stopped; the exit code: 130 for Ctrl-C, 128 + the signal for SIGTERM (143)
    and SIGHUP (129) (``exc.signum``, see :class:`~djcheck.atomic.Terminated`). After a batch whose
    workers were ended (``exc`` is :class:`~djcheck.errors.WorkersStopped`) the console entry point
    ends the process at once instead of returning."""
    import signal

    from .atomic import remove_temporary_files
    from .errors import WorkersStopped

    remove_temporary_files()  # every write rolls itself back; this is the last resort
    signum = getattr(exc, "signum", None)
    code = 128 + signum if signum else EXIT_INTERRUPTED
    if signum:
        name = {getattr(signal, "SIGHUP", -1): "挂断（SIGHUP）"}.get(signum, "终止（SIGTERM）")
        if signum != getattr(signal, "SIGTERM", 15) and signum != getattr(signal, "SIGHUP", -1):
            name = f"{signum} 号"
        message = TERMINATED.format(name=name)
    else:
        message = INTERRUPTED
    try:
        sys.stderr.write(message)
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
        os._exit(code)
    return code


#: errno values of a failed write to standard output, with what to tell the user.
_OUTPUT_ERRNOS = {
    errno.ENOSPC: "磁盘已满",
    getattr(errno, "EDQUOT", -1): "超出磁盘配额",
    errno.EFBIG: "文件太大",
    errno.EPIPE: "接收结果的程序已经退出",
    errno.EIO: "输入输出错误",
    errno.EBADF: "标准输出已关闭",
}


def output_failure(exc: BaseException) -> str | None:
    """One Chinese sentence when ``exc`` is a failure to write the results to standard output, else ``None``.

    Standard output may be closed when djcheck starts (``sys.stdout`` is then ``None``), a
    full device (``/dev/full``, a full disk), or a pipe whose reader has gone.
    """
    hint = "检查结果没有完整输出：请确认输出的去处可以写入，或用 -o 文件名 把结果写入文件。"
    if sys.stdout is None or (isinstance(exc, ValueError) and "closed file" in str(exc)):
        return "标准输出已关闭，" + hint
    if isinstance(exc, OSError) and exc.filename is None and exc.errno in _OUTPUT_ERRNOS:
        return f"无法写出检查结果（{_OUTPUT_ERRNOS[exc.errno]}），" + hint
    return None


def _silence_stdout() -> None:
    """Point standard output at the null device, so the interpreter's last flush cannot fail again."""
    stream = sys.stdout
    if stream is None or stream is not sys.__stdout__:
        return
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, stream.fileno())
        os.close(fd)
    except (OSError, ValueError):
        pass


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
    problem = output_failure(exc)
    if problem:
        _silence_stdout()
        try:
            sys.stderr.write(f"djcheck：{problem}\n")
        except (OSError, ValueError, AttributeError):
            pass
        return EXIT_ERROR
    if os.environ.get("DJCHECK_DEBUG"):
        raise exc
    sys.stderr.write(f"djcheck：{internal_error(exc)}\n")
    return EXIT_ERROR
