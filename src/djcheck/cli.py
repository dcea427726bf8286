"""Command-line interface (typer): parse options, call the library, pick a reporter.

Exit codes: 0 every file passes; 1 some file fails (score below the pass mark,
or an error-level item missing); 2 usage error, bad rule pack, or a file that
could not be read (the other files are still checked and reported).

No ``from __future__ import annotations`` here: typer reads each command's annotations, and string
annotations would make it ``eval`` (compile) them on every run, about 16 M instructions of a cold
one-report run; evaluated when the module runs they come from its bytecode.
"""

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .cli_errors import SafeGroup
from .cli_help import HelpCommand, HelpGroup
from .report import FORMATS

app = typer.Typer(
    cls=SafeGroup,  # Chinese usage errors, Ctrl-C → exit 130, never a traceback
    name="djcheck",
    help="党建报告合规检查：检查报告草稿的必备要素、薄弱环节和文字规范。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help text is plain text (cli_help renders it)
)
rules_app = typer.Typer(cls=HelpGroup, help="查看、校验和测试规则。", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


class FailOn(str, Enum):
    error = "error"
    warning = "warning"


#: ``--format`` choices: ``auto`` and every output format of :data:`djcheck.report.FORMATS`.
Format = Enum("Format", {name: name for name in ("auto", *FORMATS)}, type=str)


def _fail(message: str) -> None:
    sys.stderr.write(f"djcheck：{message}\n")
    raise typer.Exit(EXIT_ERROR)


def _finite(value: float | None) -> float | None:
    """Refuse ``nan`` (every comparison with it is false, so the range check lets it through)."""
    if value is not None and value != value:
        raise typer.BadParameter("不是有效的数字（NaN），请写 0 到 100 之间的数，例如 80")
    return value


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
    """Resolve ``auto``: by the ``--output`` suffix (.html/.sarif/.json), else github under
    GitHub Actions, rich on a terminal, plain otherwise."""
    if fmt != Format.auto:
        return fmt.value
    if output is not None:
        suffix = output.suffix.lower()
        return next((name for name, f in FORMATS.items() if suffix in f.suffixes), "plain")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    if sys.stdout.isatty():
        return "rich"
    return "plain"


@app.command(cls=HelpCommand)
def check(
    paths: Annotated[
        list[str], typer.Argument(help="要检查的文件或文件夹（.txt、.md、.docx；装了 djcheck[pdf] 时也可以是 .pdf）。", show_default=False)
    ],
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="输出格式：auto、rich、plain、json、csv（汇总表）、sarif、github、html。"),
    ] = Format.auto,
    profile: Annotated[
        str | None,
        typer.Option("--profile", "-p", help="规则包（报告类型）：编号或中文名称，如 zhuti-zeren 或 监督责任。"),
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option("--min-score", min=0, max=100, callback=_finite, help="合格分数线（0–100），默认取规则包的设定。"),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", min=2000, max=2100, help="报告年份（影响时效性提法检查），默认从正文推定。")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="把结果写入文件而不是屏幕。")] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="不用颜色。")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", "--explain", help="显示每项判断的依据。")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出结果，不显示进度。")] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="使用这个配置文件（默认：从每个文件所在文件夹向上查找 .djcheck.yaml）。"),
    ] = None,
    fail_on: Annotated[
        FailOn | None, typer.Option("--fail-on", help="哪一级的问题算不通过：error（默认）或 warning。")
    ] = None,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="自动修改能安全修改的问题（重复字词、半角标点、错别字）并列出每处修改；.docx 不改原文件，另存“原名（已修改）.docx”，修改以修订标出。"),
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="只列出 --fix 会做的修改（位置、原词 → 新词），不改动文件。")
    ] = False,
    annotate: Annotated[
        Path | None,
        typer.Option("--annotate", help="另存一份带批注的 Word 文档（只用于一个 .docx 文件，原文件不变）。"),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="同时检查的进程数，默认等于 CPU 核数。")
    ] = None,
    allow_symlink: Annotated[
        bool, typer.Option("--allow-symlink", help="允许 --output / --annotate 写入符号链接指向的文件（默认拒绝）。")
    ] = False,
) -> None:
    """检查报告草稿，输出检查清单、问题位置、得分和结论；多份报告输出汇总表。

    不指定 --profile 时，按标题和内容自动识别报告类型（主体责任、监督责任、政治生态、对照检查、述责述廉）。
    """
    from .batch import check_files
    from .errors import DjcheckError
    from .report.progress import progress_bar
    from .runner import Session

    chosen = _pick_format(fmt, output)
    fix_failed = 0
    try:
        session = Session(
            profile=profile,
            config=config,
            min_score=min_score,
            year=year,
            fail_on=fail_on.value if fail_on else None,
        )
        session.preload()
        files, results = session.files_for(paths)
        if annotate is not None and not files and results:  # say why the draft is missing first
            _fail(results[0].error)
        _refuse_overwriting_inputs(files, output, annotate, allow_symlink)
        show_bar = chosen == "rich" and not quiet and sys.stderr.isatty() and (output or sys.stdout.isatty())
        with progress_bar(len(files), sys.stderr, enabled=bool(show_bar)) as bar:
            results += check_files(files, session=session, jobs=jobs, on_result=bar.advance)
    except DjcheckError as exc:
        _fail(str(exc))
    results.sort(key=lambda r: r.path)
    color = not no_color and "NO_COLOR" not in os.environ
    if fix or diff:
        results, changed, fix_failed = _fix(
            results, write=not diff, recheck=session.check, annotate=annotate, color=color
        )
        if diff:
            broken = fix_failed or any(r.error for r in results)
            raise typer.Exit(EXIT_ERROR if broken else EXIT_FAIL if changed else EXIT_OK)
        if annotate is not None:
            annotate = None  # the revised copy is the annotated copy
    try:
        packs = session.packs_of(results) if FORMATS[chosen].packs else {}
    except DjcheckError as exc:
        _fail(str(exc))
    documents = _documents(results) if FORMATS[chosen].documents else {}
    _emit(results, chosen, output, allow_symlink, packs=packs, documents=documents, color=color and output is None, verbose=verbose)
    if chosen == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _append_step_summary(results, os.environ["GITHUB_STEP_SUMMARY"])
    if annotate is not None:
        checked = next(r for r in results if r.path == files[0])
        if not checked.error:
            _annotate(files[0], annotate, checked, quiet, allow_symlink)
    for res in results:
        if res.error:
            sys.stderr.write(f"djcheck：{res.error}\n") if chosen != "plain" and chosen != "rich" else None
    if any(r.error for r in results) or fix_failed:
        raise typer.Exit(EXIT_ERROR)
    if any(r.passed is False for r in results):
        raise typer.Exit(EXIT_FAIL)
    raise typer.Exit(EXIT_OK)


def _fix(results, *, write: bool, recheck, annotate: Path | None = None, color: bool = False):
    """``--fix`` / ``--diff``: apply (or show) the safe replacements, listing each change with its place;
    re-check the text files that changed. A .docx is never changed: ``--fix`` saves a copy with the
    fixes as tracked changes and the findings as comments (``--annotate`` names it)."""
    from .errors import DjcheckError
    from .fix import describe_changes, fix_file, planned_fixes
    from .loaders import load_document
    from .safetext import shown

    out, changed, failed = [], 0, 0
    for res in results:
        if res.error:
            out.append(res)
            continue
        unit = "段" if res.location_unit == "paragraph" else "行"
        try:
            lines = load_document(res.path).text.split("\n")
            if Path(res.path).suffix.lower() == ".docx":
                planned = planned_fixes(res.findings)
                if not write or not planned:  # nothing to fix: no copy (--annotate gives the comments)
                    applied = planned
                else:
                    from .revise import revise_docx

                    done = revise_docx(res.path, annotate, res, replace=annotate is not None)
                    applied = done.applied
                    if done.refused:  # the fixes would change more than they should: comments only
                        reasons = "；".join(done.refused[:3])
                        sys.stderr.write(f"djcheck：{shown(res.path)} 没有加修订：{reasons}。请按批注手工修改。\n")
                    sys.stderr.write(
                        f"djcheck：已另存修改稿 {done.target}（{len(done.applied)} 处修订、{done.comments} 条批注），"
                        "原文件未改动；请在 Word 或 WPS 的“审阅”中逐处接受或拒绝修改。\n"
                    )
            else:
                fixed = fix_file(res.path, res.findings, write=write, profile=res.profile if res.recognised else None)
                if fixed.refused:  # the fix would change more than it should: nothing written (fix.verify_fix)
                    reasons = "；".join(fixed.refused[:3])
                    sys.stderr.write(f"djcheck：{shown(res.path)} 没有自动修改：{reasons}。请按检查结果手工修改。\n")
                    out.append(res)
                    continue
                applied = planned_fixes(fixed.applied) if fixed.diff else []
                if fixed.written:
                    sys.stderr.write(f"djcheck：已修改 {shown(res.path)}：{len(fixed.applied)} 处\n")
        except DjcheckError as exc:
            sys.stderr.write(f"djcheck：{exc}\n")
            out.append(res)
            failed += 1
            continue
        if applied:
            changed += 1
            stream = sys.stdout if not write else sys.stderr
            stream.write(f"{shown(res.path)}\n" if not write else "")
            for text in describe_changes(applied, lines, unit=unit, color=color and stream.isatty()):
                stream.write(f"  {text}\n")
        if write and applied and Path(res.path).suffix.lower() != ".docx":
            res = recheck(res.path)
        out.append(res)
    if not changed and not failed:
        sys.stderr.write("djcheck：没有可以自动修改的问题。\n")
    return out, changed, failed


def _refuse_overwriting_inputs(files: list[str], output: Path | None, annotate: Path | None, links: bool) -> None:
    """Exit 2 when ``--output`` / ``--annotate`` would overwrite a draft, may not be written
    (:func:`djcheck.atomic.check_write_target`), or ``--annotate`` is misused."""
    from .atomic import WriteRefused, check_write_target
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
        try:
            check_write_target(target, follow_symlinks=links)
        except WriteRefused as exc:
            _fail(f"{target}：{option} 不能写入：{exc.strerror}。")
    if annotate is not None:
        if len(files) != 1 or Path(files[0]).suffix.lower() != ".docx":
            _fail("--annotate 只能用于检查一个 .docx 文件，例如：djcheck check 报告.docx --annotate 报告-批注.docx")
        if annotate.suffix.lower() != ".docx":
            _fail(f"{annotate}：批注副本的文件名应以 .docx 结尾。")


def _annotate(source: str, target: Path, result, quiet: bool, links: bool) -> None:
    from .annotate import annotate_docx
    from .errors import DjcheckError

    try:
        count = annotate_docx(source, target, result, follow_symlinks=links)
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


def _documents(results):
    """``{path: Document}`` of the checked drafts for a writer that shows their text, each read
    when the writer comes to it (a draft that can no longer be read is absent)."""
    from .loaders import DocumentsOnDisk

    return DocumentsOnDisk(r.path for r in results if r.error is None)


def _emit(results, chosen: str, output: Path | None, links: bool = False, **options) -> None:
    import io

    from .report import get_writer

    write = get_writer(chosen)
    if output is None and chosen == "rich":  # Rich measures the terminal it writes to
        write(results, sys.stdout, **options)
        sys.stdout.flush()
        return
    buf = io.StringIO()  # one write instead of one per line (a batch has thousands of lines)
    write(results, buf, **options)
    # a file name with bytes that are not UTF-8 holds lone surrogates: written as \udcff (a JSON escape too)
    data = buf.getvalue().encode("utf-8", "backslashreplace")
    if output is None:
        _write_stdout(data.decode("utf-8"), chosen)
        return
    from .atomic import write_bytes

    try:
        write_bytes(output, data, fsync=False, follow_symlinks=links)
    except OSError as exc:
        _fail(f"{output}：无法写入输出文件：{exc.strerror or exc}。")


def _write_stdout(text: str, fmt: str) -> None:
    """Write the output of format ``fmt`` to standard output in a form its encoding carries
    (:func:`djcheck.report.console.fit`: √ △ × on a GBK console, UTF-8 for HTML and CSV)."""
    from .report.console import fit

    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream: its own error handler applies
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    buffer.write(fit(text, fmt, getattr(sys.stdout, "encoding", None)))
    buffer.flush()


def _cwd_config():
    from .config import Config, find_config, load_config

    found = find_config(Path.cwd())
    return load_config(found) if found else Config()


@rules_app.command("list", cls=HelpCommand)
def rules_list(
    profile: Annotated[
        str | None, typer.Option("--profile", "-p", help="只列这个规则包（报告类型）；默认列出全部。")
    ] = None,
) -> None:
    """列出规则：编号、级别、分值、来源规则包、标题（已按当前文件夹的配置文件调整）。"""
    from .errors import DjcheckError
    from .runner import Session

    try:
        cfg = _cwd_config()
        session = Session(config=cfg.path) if cfg.path else Session()
        names = [profile] if profile else [p.file for p in session.candidates(cfg)]
        packs = [session.pack_for(n, cfg) for n in names]
    except DjcheckError as exc:
        _fail(str(exc))
    from .authoring import kind_description

    for n, pack in enumerate(packs):
        if len(packs) > 1:
            sys.stdout.write(("\n" if n else "") + f"【{pack.id}】{pack.title}\n")
        for r in pack.rules:
            state = "" if r.enabled else "（已关闭）"
            sys.stdout.write(f"{r.id:<24} {r.level:<8} {r.weight:>5g}  {r.pack:<18} {r.title}{state}\n")
    kinds = dict.fromkeys(r.kind for pack in packs for r in pack.rules)
    sys.stdout.write("\n检查类型（规则的 kind）：\n")
    for kind in kinds:
        sys.stdout.write(f"  {kind:<22} {kind_description(kind)}\n")


@rules_app.command("validate", cls=HelpCommand)
def rules_validate(
    path: Annotated[str, typer.Argument(help="规则文件、存放规则文件的文件夹，或配置文件 .djcheck.yaml。")],
) -> None:
    """校验规则文件：不认识的键、类型错误、写错的正则都报告文件名和行号（有错时退出码为 2）。"""
    from .authoring import validate_target
    from .errors import DjcheckError

    try:
        checked = validate_target(path)
    except DjcheckError as exc:
        _fail(str(exc))
    for v in checked:
        if v.ok:
            sys.stdout.write(f"✔ {v.path}：{v.what}\n")
        else:
            sys.stdout.write(f"✖ {v.error}\n")
    if not all(v.ok for v in checked):
        raise typer.Exit(EXIT_ERROR)


@rules_app.command("test", cls=HelpCommand)
def rules_test(
    path: Annotated[
        str | None,
        typer.Argument(help="规则文件或文件夹；默认测试内置规则包和当前文件夹配置文件引入的规则包。"),
    ] = None,
) -> None:
    """用每条规则自带的例子测试规则：不合格例子必须被发现，合格例子不能被误报（有不通过时退出码为 1）。"""
    from .authoring import bundled_with_common, config_packs, load_target, pack_files, selftest_packs
    from .errors import DjcheckError

    try:
        if path:
            packs = [load_target(f) for f in pack_files(path)]
        else:
            packs = bundled_with_common()
            cfg = _cwd_config()
            if cfg.path:
                packs += config_packs(cfg)
        outcomes = selftest_packs(packs)
    except DjcheckError as exc:
        _fail(str(exc))
    bad = 0
    for t in outcomes:
        if not t.failures:
            sys.stdout.write(
                f"✔ {t.pack.id}（{t.pack.file}）：{len(t.rules)} 条规则、{t.examples} 个例子全部通过\n"
            )
        for f in t.failures:
            bad += 1
            where = f"{f.file}:{f.line}" if f.line else f.file
            sys.stdout.write(f"✖ {where}：{f.message()}\n")
    rules = sum(len(t.rules) for t in outcomes)
    examples = sum(t.examples for t in outcomes)
    tail = f"，{bad} 处不通过" if bad else "，全部通过"
    sys.stdout.write(f"共测试 {len(outcomes)} 个规则包、{rules} 条规则、{examples} 个例子{tail}。\n")
    raise typer.Exit(EXIT_FAIL if bad else EXIT_OK)


@app.command(cls=HelpCommand)
def explain(
    rule_id: Annotated[
        str, typer.Argument(help="规则编号或中文名称，如 four-forms 或 四种形态。", show_default=False)
    ],
    profile: Annotated[
        str | None, typer.Option("--profile", "-p", help="看这个规则包中的规则（默认：第一个含有它的规则包）。")
    ] = None,
) -> None:
    """说明一条规则：检查什么、为什么、依据、选项和例子。"""
    from .authoring import explain as describe
    from .authoring import find_rule
    from .errors import DjcheckError
    from .pack import BASE_PACKS
    from .runner import Session

    try:
        cfg = _cwd_config()
        session = Session(config=cfg.path) if cfg.path else Session()
        names = [profile] if profile else [p.file for p in session.candidates(cfg)] + list(BASE_PACKS)
        packs = [session.pack_for(n, cfg) for n in names]
    except DjcheckError as exc:
        _fail(str(exc))
    found = find_rule(rule_id, packs)
    if not found:
        _fail(f"没有编号或名称为“{rule_id}”的规则（用 djcheck rules list 查看所有规则）。")
    ids = dict.fromkeys(r.id for _, r in found)
    if len(ids) > 1:
        titles = {r.id: r.title for _, r in found}
        listed = "、".join(f"{i}（{titles[i]}）" for i in ids)
        _fail(f"“{rule_id}”对应多条规则：{listed}。请写编号，例如 djcheck explain {next(iter(ids))}")
    pack, rule = found[0]
    sys.stdout.write(describe(rule, pack, [p.id for p, _ in found[1:]]) + "\n")


@app.command(cls=HelpCommand)
def init(
    folder: Annotated[Path, typer.Argument(help="放配置文件的文件夹（默认：当前文件夹）。")] = Path("."),
) -> None:
    """在文件夹中生成带注释的配置文件 .djcheck.yaml（已有时不覆盖）。"""
    from .config import write_starter
    from .errors import DjcheckError

    try:
        target = write_starter(folder)
    except DjcheckError as exc:
        _fail(str(exc))
    sys.stdout.write(f"已生成配置文件 {target}，按其中的注释修改即可。\n")


@app.command(cls=HelpCommand)
def serve(
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="端口（默认 8765；被占用或为 0 时自动换一个空闲端口）。")
    ] = 8765,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器。")] = False,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="检查时使用这个配置文件（默认：只用内置规则）。")
    ] = None,
) -> None:
    """在本机浏览器中检查报告：启动只对本机开放的页面，把文件拖进去即可（按 Ctrl-C 停止）。"""
    from .errors import DjcheckError
    from .serve import open_page, run

    def ready(url: str) -> None:
        if sys.stdout is not None:  # pythonw has no console
            sys.stdout.write(f"djcheck 已启动，请在浏览器中打开：\n  {url}\n只有本机能访问；按 Ctrl-C 停止。\n")
            sys.stdout.flush()
        if not no_browser:
            open_page(url)

    try:
        run(port=port, config=config, on_ready=ready)
    except DjcheckError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"无法在本机启动网页服务：{exc.strerror or exc}。")


def main() -> None:
    """Console-script entry point: run the app; turn stray errors into exit code 2, Ctrl-C into 130,
    SIGTERM into 143 and SIGHUP into 129 (worker processes ended first)."""
    from . import cli_errors
    from .cli_errors import interrupted
    from .errors import DjcheckError, internal_error

    cli_errors.HARD_EXIT_AFTER_POOL = True
    # A run builds its modules, rule packs and tables once and keeps them: collecting the young
    # generation every 700 new objects (the default) finds almost nothing to free. Every 50,000
    # saves about 30 M instructions of a cold one-report run; the batch workers inherit it.
    import gc

    gc.set_threshold(50_000, 20, 20)
    from .atomic import cleanup_on_signals

    cleanup_on_signals()  # SIGTERM / SIGHUP roll back writes in progress like Ctrl-C

    try:
        try:
            _app_for(sys.argv[1:])()
        except DjcheckError as exc:
            sys.stderr.write(f"djcheck：{exc}\n")
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt as exc:
            sys.exit(interrupted(exc))
        except Exception as exc:  # noqa: BLE001 - a bug outside a command; DJCHECK_DEBUG=1 shows it
            if os.environ.get("DJCHECK_DEBUG"):
                raise
            sys.stderr.write(f"djcheck：{internal_error(exc)}\n")
            sys.exit(EXIT_ERROR)
    except SystemExit as exc:
        _end_process(exc)
        raise


def _app_for(args: list[str]) -> typer.Typer:
    """:data:`app` with only the command (or group) that ``args`` name first, else the whole app.

    What it buys: when the app is called typer builds each of its commands from the function's
    signature (annotations evaluated, every option made); building only ``check`` instead of the eight
    commands saves about 30 M instructions of a cold run. Nothing else changes: ``--help``, ``--version``,
    an unknown or misspelt command and anything before the command name get the whole app."""
    name = args[0] if args else None

    def named(info) -> str | None:
        return info.name or getattr(info.callback, "__name__", "").lower().replace("_", "-")

    commands = [c for c in app.registered_commands if named(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    import copy

    lean = copy.copy(app)
    lean.registered_commands, lean.registered_groups = commands, groups
    return lean


def _end_process(exc: SystemExit) -> None:
    """End the process with ``exc``'s exit code without the interpreter's teardown, when that is safe.

    What it buys: after a run the interpreter frees every module and object one by one (the rule packs,
    the segmenter's and the typo check's tables) and collects garbage, about 90 M instructions (a fifth
    of a cold one-report run) that change nothing outside the process. What a normal exit does that
    matters is done here first, in the same order: other threads are waited for (when any is still
    running, the normal exit is used instead), the ``atexit`` hooks run (the cache stores are written,
    a process pool is shut down) and standard output and error are flushed. When a flush fails (a closed
    pipe, a full disk) this returns, and the normal exit reports it as before. Called by the console
    script only (:func:`main`), never when the app runs inside another program.
    """
    code = exc.code
    if code is None:
        code = 0
    if not isinstance(code, int):
        return  # a message to print: the interpreter does that
    import threading

    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        return
    import atexit

    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return
    os._exit(code & 0xFF)  # what the operating system keeps of any exit code
