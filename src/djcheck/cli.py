"""Command-line interface (typer): parse options, call the library, pick a reporter.

Exit codes: 0 every file passes; 1 some file fails (score below the pass mark,
or an error-level item missing); 2 usage error, bad rule pack, or a file that
could not be read (the other files are still checked and reported).
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__

app = typer.Typer(
    name="djcheck",
    help="党建报告合规检查：检查报告草稿的必备要素、薄弱环节和文字规范。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="查看规则。", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


class Format(str, Enum):
    auto = "auto"
    rich = "rich"
    plain = "plain"
    json = "json"
    csv = "csv"


def _fail(message: str) -> None:
    sys.stderr.write(f"djcheck：{message}\n")
    raise typer.Exit(EXIT_ERROR)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"djcheck {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号。")
    ] = False,
) -> None:
    """党建报告合规检查（djcheck）。"""


def _pick_format(fmt: Format, output: Path | None) -> str:
    if fmt != Format.auto:
        return fmt.value
    if output is not None and output.suffix.lower() in (".csv", ".json"):
        return output.suffix.lower()[1:]  # -o 汇总.csv writes the CSV summary
    if output is None and sys.stdout.isatty():
        return "rich"
    return "plain"


@app.command()
def check(
    paths: Annotated[
        list[str], typer.Argument(help="要检查的文件或文件夹（.txt、.md）。", show_default=False)
    ],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="输出格式：auto、rich、plain、json、csv（汇总表）。")
    ] = Format.auto,
    profile: Annotated[
        str | None, typer.Option("--profile", "-p", help="规则包（报告类型），如 zhuti-zeren。")
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option("--min-score", min=0, max=100, help="合格分数线（0–100），默认取规则包的设定。"),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", min=2000, max=2100, help="报告年份（影响时效性提法检查）。")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="把结果写入文件而不是屏幕。")] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="不用颜色。")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", "--explain", help="显示每项判断的依据。")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出结果，不显示进度。")] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="同时检查的进程数，默认等于 CPU 核数。")
    ] = None,
) -> None:
    """检查报告草稿，输出检查清单、问题位置、得分和结论；多份报告输出汇总表。"""
    from .batch import check_files
    from .cache import load_pack
    from .engine import collect_files
    from .errors import DjcheckError
    from .report.progress import progress_bar

    try:
        pack = load_pack(profile or "zhuti-zeren")
    except DjcheckError as exc:
        _fail(str(exc))
    files, results = collect_files(paths)
    chosen = _pick_format(fmt, output)
    show_bar = chosen == "rich" and not quiet and sys.stderr.isatty() and (output or sys.stdout.isatty())
    with progress_bar(len(files), sys.stderr, enabled=bool(show_bar)) as bar:
        results += check_files(files, pack=pack, min_score=min_score, year=year, jobs=jobs, on_result=bar.advance)
    results.sort(key=lambda r: r.path)
    color = not no_color and "NO_COLOR" not in os.environ
    _emit(results, chosen, output, color=color and output is None, verbose=verbose)
    for res in results:
        if res.error:
            sys.stderr.write(f"djcheck：{res.error}\n") if chosen != "plain" and chosen != "rich" else None
    if any(r.error for r in results):
        raise typer.Exit(EXIT_ERROR)
    if any(r.passed is False for r in results):
        raise typer.Exit(EXIT_FAIL)
    raise typer.Exit(EXIT_OK)


def _emit(results, chosen: str, output: Path | None, **options) -> None:
    from .report import get_writer

    write = get_writer("summary" if chosen == "rich" else chosen)
    if output is None:
        write(results, sys.stdout, **options)
        sys.stdout.flush()
        return
    import io
    import tempfile

    buf = io.StringIO()
    write(results, buf, **options)
    target = output.resolve()
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(buf.getvalue())
        os.replace(tmp, target)
    except OSError as exc:
        _fail(f"{output}：无法写入输出文件：{exc.strerror or exc}。")


@rules_app.command("list")
def rules_list(
    profile: Annotated[str, typer.Option("--profile", "-p", help="规则包（报告类型）。")] = "zhuti-zeren",
) -> None:
    """列出规则包中的规则：编号、标题、级别、分值、来源规则包。"""
    from .errors import DjcheckError
    from .pack import load_pack

    try:
        pack = load_pack(profile)
    except DjcheckError as exc:
        _fail(str(exc))
    for r in pack.rules:
        state = "" if r.enabled else "（已关闭）"
        sys.stdout.write(f"{r.id:<24} {r.level:<8} {r.weight:>5g}  {r.pack:<14} {r.title}{state}\n")


def main() -> None:
    """Console-script entry point: run the app; turn stray errors into exit code 2."""
    from .errors import DjcheckError

    try:
        app()
    except DjcheckError as exc:
        sys.stderr.write(f"djcheck：{exc}\n")
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        sys.stderr.write("djcheck：已中断。\n")
        sys.exit(130)
