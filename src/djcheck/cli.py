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
    sarif = "sarif"
    github = "github"
    html = "html"


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


#: ``--format auto`` with ``--output FILE``: the format the file name asks for.
_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".sarif": "sarif", ".json": "json"}


def _pick_format(fmt: Format, output: Path | None) -> str:
    """Resolve ``auto``: by the ``--output`` suffix (.html/.sarif/.json), else github under
    GitHub Actions, rich on a terminal, plain otherwise."""
    if fmt != Format.auto:
        return fmt.value
    if output is not None:
        return _SUFFIX_FORMATS.get(output.suffix.lower(), "plain")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    if sys.stdout.isatty():
        return "rich"
    return "plain"


@app.command()
def check(
    paths: Annotated[
        list[str], typer.Argument(help="要检查的文件或文件夹（.txt、.md、.docx；装了 djcheck[pdf] 时也可以是 .pdf）。", show_default=False)
    ],
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="输出格式：auto、rich、plain、json、sarif、github、html。"),
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
    annotate: Annotated[
        Path | None,
        typer.Option("--annotate", help="另存一份带批注的 Word 文档（只用于一个 .docx 文件，原文件不变）。"),
    ] = None,
) -> None:
    """检查报告草稿，输出检查清单、问题位置、得分和结论。"""
    from .engine import check_file, collect_files
    from .errors import DjcheckError
    from .pack import load_pack

    try:
        pack = load_pack(profile or "zhuti-zeren")
    except DjcheckError as exc:
        _fail(str(exc))
    files, results = collect_files(paths)
    _refuse_overwriting_inputs(files, output, annotate)
    for path in files:
        try:
            results.append(check_file(path, pack=pack, min_score=min_score, year=year))
        except DjcheckError as exc:
            from .model import FileResult

            results.append(FileResult(path=path, error=str(exc)))
    results.sort(key=lambda r: r.path)
    chosen = _pick_format(fmt, output)
    color = not no_color and "NO_COLOR" not in os.environ
    _emit(results, chosen, output, color=color and output is None, verbose=verbose, pack=pack)
    if chosen == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _append_step_summary(results, os.environ["GITHUB_STEP_SUMMARY"])
    if annotate is not None:
        checked = next(r for r in results if r.path == files[0])
        if not checked.error:
            _annotate(files[0], annotate, checked, quiet)
    for res in results:
        if res.error:
            sys.stderr.write(f"djcheck：{res.error}\n") if chosen != "plain" and chosen != "rich" else None
    if any(r.error for r in results):
        raise typer.Exit(EXIT_ERROR)
    if any(r.passed is False for r in results):
        raise typer.Exit(EXIT_FAIL)
    raise typer.Exit(EXIT_OK)


def _refuse_overwriting_inputs(files: list[str], output: Path | None, annotate: Path | None) -> None:
    """Exit 2 when ``--output`` / ``--annotate`` would overwrite a draft, or ``--annotate`` is misused."""
    for target, option in ((output, "--output"), (annotate, "--annotate")):
        if target is None:
            continue
        for f in files:
            same = Path(f).resolve() == target.resolve()
            if not same and target.exists():
                try:
                    same = os.path.samefile(f, target)
                except OSError:
                    same = False
            if same:
                _fail(f"{target}：{option} 指向被检查的文件本身，会覆盖原文件，请换一个文件名。")
    if annotate is not None:
        if len(files) != 1 or Path(files[0]).suffix.lower() != ".docx":
            _fail("--annotate 只能用于检查一个 .docx 文件，例如：djcheck check 报告.docx --annotate 报告-批注.docx")
        if annotate.suffix.lower() != ".docx":
            _fail(f"{annotate}：批注副本的文件名应以 .docx 结尾。")


def _annotate(source: str, target: Path, result, quiet: bool) -> None:
    from .annotate import annotate_docx
    from .errors import DjcheckError

    try:
        count = annotate_docx(source, target, result)
    except DjcheckError as exc:
        _fail(str(exc))
    if not quiet:
        sys.stderr.write(f"djcheck：已另存带批注的副本 {target}（{count} 条批注），原文件未改动。\n")


def _append_step_summary(results, summary_path: str) -> None:
    from .report.github import write_summary

    try:
        with open(summary_path, "a", encoding="utf-8") as fh:
            write_summary(results, fh)
    except OSError as exc:
        sys.stderr.write(f"djcheck：无法写入 GITHUB_STEP_SUMMARY（{summary_path}）：{exc.strerror or exc}\n")


def _emit(results, chosen: str, output: Path | None, **options) -> None:
    from .report import get_writer

    write = get_writer(chosen)
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
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp creates 0600; a report is an ordinary file
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
