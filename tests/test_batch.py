"""Batch checking: summary table worst first, CSV for Excel, stable order with --jobs, broken files."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from djcheck import check_paths
from djcheck.batch import check_files
from djcheck.cli import app
from djcheck.report import csv_report, rich_summary
from djcheck.report.summary import COLUMNS, rows, worst_first
from djcheck.runner import Session

runner = CliRunner()

GOOD = """关于2025年度落实全面从严治党主体责任情况的报告
2025年，区水务局党组坚决扛起全面从严治党主体责任，党组书记履行第一责任人职责，班子成员落实“一岗双责”。现将有关情况报告如下：
一、主要工作
局党组全年召开党组会议18次，专题研究党风廉政建设6次，与下属5个单位签订责任书。运用监督执纪“四种形态”批评教育帮助和处理干部14人次，其中第一种形态11人次，第二种形态2人次，第三种形态1人次。
二、存在的问题
一是2个基层党支部“三会一课”记录不完整，7月抽查发现有4次支部委员会未形成会议纪要。二是对工程项目招投标环节监督不够，全年有3个项目出现评标专家抽取程序不规范问题。三是部分干部廉洁意识不强，1名科级干部违规收受礼品受到党内警告处分。
三、下一步工作打算
一是由机关党委牵头，2026年3月底前完成各支部“三会一课”台账规范化整改。二是由驻局纪检组负责，每季度对工程招投标开展一次专项监督检查，压实主体责任。三是由人事科牵头，上半年组织全体干部参加警示教育。
"""

#: Only the achievements: 存在的问题 and 下一步打算 are missing.
NO_PROBLEMS = GOOD.split("二、存在的问题")[0]
#: Template placeholders left in (an error-level rule).
PLACEHOLDERS = GOOD.replace("召开党组会议18次", "召开党组会议**次").replace("签订责任书", "签订XX责任书")
#: 四种形态 named without figures: a weak item, still passing.
WEAK_FOUR_FORMS = GOOD.replace(
    "运用监督执纪“四种形态”批评教育帮助和处理干部14人次，其中第一种形态11人次，第二种形态2人次，第三种形态1人次。",
    "深化运用监督执纪“四种形态”，坚持抓早抓小。",
)


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path):
    """A folder of drafts from several units, one of them unreadable."""
    d = tmp_path / "reports"
    write(d, "a-good.txt", GOOD)
    write(d, "b-no-problems.txt", NO_PROBLEMS)
    write(d, "c-placeholders.txt", PLACEHOLDERS)
    write(d, "sub/d-weak.md", WEAK_FOUR_FORMS)
    (d / "e-broken.txt").write_bytes(b"\x00\x01\x02PK\x03\x04 not text \x00" * 20)
    return d


def by_name(results):
    return {r.path.replace("\\", "/").rsplit("/", 1)[-1]: r for r in results}


def test_batch_checks_every_file_and_reports_the_broken_one(folder):
    results = check_paths([folder], jobs=2)
    assert [r.path for r in results] == sorted(r.path for r in results)
    got = by_name(results)
    assert set(got) == {"a-good.txt", "b-no-problems.txt", "c-placeholders.txt", "d-weak.md", "e-broken.txt"}
    broken = got["e-broken.txt"]
    assert broken.error and "e-broken.txt" in broken.error and broken.score is None
    assert got["a-good.txt"].passed is True
    assert got["b-no-problems.txt"].passed is False and got["c-placeholders.txt"].passed is False
    assert all(r.score is not None for n, r in got.items() if n != "e-broken.txt")


def test_summary_rows_worst_first_with_missing_and_weak_items(folder):
    results = check_paths([folder], jobs=1)
    table = rows(results)
    names = [r.path.replace("\\", "/").rsplit("/", 1)[-1] for r in table]
    # unreadable first, then failed reports by rising score, passed reports last
    assert names[0] == "e-broken.txt" and table[0].verdict == "无法读取" and "二进制" in table[0].note
    failed = [r for r in table if r.verdict == "未通过"]
    passed = [r for r in table if r.verdict == "通过"]
    assert {n for n, r in zip(names, table, strict=True) if r.verdict == "未通过"} == {"b-no-problems.txt", "c-placeholders.txt"}
    assert table[1 : 1 + len(failed)] == failed and table[-len(passed) :] == passed
    assert [r.score for r in failed] == sorted(r.score for r in failed)
    assert [r.score for r in passed] == sorted(r.score for r in passed)
    row = {n: r for n, r in zip(names, table, strict=True)}
    assert "存在的问题" in row["b-no-problems.txt"].missing
    assert "模板占位符已填写" in row["c-placeholders.txt"].missing
    assert "运用监督执纪“四种形态”" in row["d-weak.md"].weak
    assert "存在的问题" not in row["a-good.txt"].missing + row["a-good.txt"].weak
    good = by_name(results)["a-good.txt"]
    assert row["a-good.txt"].genre == good.profile_title and row["a-good.txt"].score == good.score
    # each row lists exactly the checklist items that are missing / weak
    for res in results:
        if res.error:
            continue
        r = next(x for x in table if x.path == res.path)
        assert r.missing == [i.title for i in res.checklist if i.status == "missing"]
        assert r.weak == [i.title for i in res.checklist if i.status == "weak"]


def test_rich_summary_table_for_several_files(folder):
    results = check_paths([folder], jobs=1)
    buf = io.StringIO()
    rich_summary.write(results, buf, color=False)
    out = buf.getvalue()
    assert "检查汇总" in out and "共 5 份：通过 2 份，未通过 2 份，无法读取 1 份" in out
    order = [out.index(n) for n in ("e-broken.txt", "b-no-problems.txt", "a-good.txt")]
    assert order == sorted(order)  # worst first
    # items by their short names (rule ``short``, else the title without its parenthesis), whole
    assert "占位符" in out and "模板占位符已填写" not in out and "三段式结构" in out
    assert "四种形态" in out and "运用监督执纪" not in out
    assert "✔" not in out  # no per-file checklists without -v


def test_summary_rows_carry_short_names_and_csv_keeps_full_titles(folder):
    results = check_paths([folder], jobs=1)
    row = {Path(r.path).name: r for r in rows(results)}
    weak = row["d-weak.md"]
    assert "运用监督执纪“四种形态”" in weak.weak and "四种形态" in weak.weak_short
    assert len(weak.weak) == len(weak.weak_short)
    assert row["c-placeholders.txt"].missing_short[row["c-placeholders.txt"].missing.index("模板占位符已填写")] == "占位符"
    assert row["a-good.txt"].genre_short == "主体责任报告"
    assert all(len(name) <= 12 for r in row.values() for name in r.missing_short + r.weak_short)


def test_rich_summary_fits_80_columns(folder):
    results = check_paths([folder], jobs=1)
    buf = io.StringIO()
    rich_summary.write_table(results, buf, color=False)
    from rich.cells import cell_len

    assert max(cell_len(line) for line in buf.getvalue().splitlines()) <= 80


def test_rich_single_file_keeps_the_checklist(folder):
    results = check_paths([folder / "a-good.txt"], jobs=1)
    buf = io.StringIO()
    rich_summary.write(results, buf, color=False)
    assert "✔" in buf.getvalue() and "检查汇总" not in buf.getvalue()


def test_csv_has_bom_and_columns_and_matches_json(folder, tmp_path):
    out = tmp_path / "汇总.csv"
    result = runner.invoke(app, ["check", str(folder), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 2  # the broken file
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == COLUMNS
        table = list(reader)
    assert list(COLUMNS[:6]) == ["文件", "报告类型", "规则包", "得分", "合格线", "结论"]
    assert len(table) == 5 and table[0]["结论"] == "无法读取"
    data = json.loads(runner.invoke(app, ["check", str(folder), "--format", "json"]).stdout)
    scores = {f["path"]: f["score"] for f in data["files"]}
    for line in table:
        expected = scores[line["文件"]]
        assert (line["得分"] == "") if expected is None else float(line["得分"]) == expected
    nop = next(line for line in table if line["文件"].endswith("b-no-problems.txt"))
    assert "存在的问题" in nop["缺失项"].split("；") and nop["规则包"] == "zhuti-zeren"
    assert nop["结论"] == "未通过" and nop["合格线"] == "80"


def test_csv_to_stdout_starts_with_bom(folder):
    result = runner.invoke(app, ["check", str(folder / "a-good.txt"), "-f", "csv"])
    assert result.exit_code == 0
    assert result.stdout.startswith("\ufeff文件,")
    assert list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))[1][5] == "通过"


def test_csv_writer_escapes_commas_and_quotes(folder):
    results = check_paths([folder / "b-no-problems.txt"], jobs=1)
    results[0].checklist[0].title = '结构, "三段式"'
    results[0].checklist[0].status = "missing"
    parsed = list(csv.reader(io.StringIO(csv_report.to_text(results).lstrip("\ufeff"))))
    assert '结构, "三段式"' in parsed[1][6].split("；")


def test_output_is_the_same_whatever_the_number_of_jobs(folder, tmp_path):
    for i in range(12):  # enough files for several chunks per worker
        write(folder, f"more/unit-{i:02d}.txt", (GOOD, NO_PROBLEMS, PLACEHOLDERS)[i % 3])
    outputs = {}
    for jobs in ("1", "2"):
        result = runner.invoke(app, ["check", str(folder), "-f", "json", "--jobs", jobs])
        assert result.exit_code == 2
        outputs[jobs] = result.stdout
    assert outputs["1"] == outputs["2"]
    paths = [f["path"] for f in json.loads(outputs["1"])["files"]]
    assert paths == sorted(paths) and len(paths) == 17
    csvs = {j: runner.invoke(app, ["check", str(folder), "-f", "csv", "-j", j]).stdout for j in ("1", "2")}
    assert csvs["1"] == csvs["2"]


def test_library_results_equal_across_jobs(folder):
    one = [r.to_dict() for r in check_files(sorted(map(str, folder.rglob("*.*"))), session=Session(), jobs=1)]
    two = [r.to_dict() for r in check_files(sorted(map(str, folder.rglob("*.*")))[::-1], session=Session(), jobs=2)]
    assert one == two


def test_progress_callback_sees_every_file(folder):
    seen = []
    results = check_paths([folder], jobs=2, on_result=seen.append)
    assert sorted(r.path for r in seen) == [r.path for r in results]


def test_missing_path_among_good_files(folder, tmp_path):
    result = runner.invoke(app, ["check", str(folder / "a-good.txt"), str(tmp_path / "nope.txt"), "-f", "json"])
    assert result.exit_code == 2
    files = json.loads(result.stdout)["files"]
    assert [f["error"] is None for f in files] == [True, False] or [f["error"] is None for f in files] == [
        False,
        True,
    ]
    assert any(f["passed"] for f in files)


def test_seeds_in_a_batch(seed, tmp_path):
    d = tmp_path / "seeds"
    d.mkdir()
    for prefix in ("000", "001", "002", "003", "004"):
        shutil.copy(seed(prefix), d)
    res = check_paths([d], jobs=2)
    assert len(res) == 5 and all(r.score is not None for r in res)
    table = rows(res)
    assert [r.score for r in table if r.verdict == "未通过"] == sorted(
        r.score for r in table if r.verdict == "未通过"
    )
    assert worst_first(res)[-1].passed is True or not any(r.passed for r in res)


def test_spawned_workers_give_the_same_results(folder, monkeypatch):
    """Windows and macOS start workers with spawn (a fresh interpreter that receives the pickled pack)."""
    import multiprocessing

    import djcheck.batch

    monkeypatch.setattr(djcheck.batch, "_mp_context", lambda: multiprocessing.get_context("spawn"))
    files = sorted(map(str, folder.rglob("*.*")))
    spawned = [r.to_dict() for r in check_files(files, session=Session(), jobs=2)]
    assert spawned == [r.to_dict() for r in check_files(files, session=Session(), jobs=1)]


def test_output_file_suffix_picks_the_format(folder, tmp_path):
    out = tmp_path / "汇总.csv"
    runner.invoke(app, ["check", str(folder / "a-good.txt"), str(folder / "b-no-problems.txt"), "-o", str(out)])
    assert out.read_bytes().startswith("\ufeff文件,".encode())
    js = tmp_path / "结果.json"
    runner.invoke(app, ["check", str(folder / "a-good.txt"), "-o", str(js)])
    assert json.loads(js.read_text(encoding="utf-8"))["files"][0]["passed"] is True


def test_folder_walk_keeps_drafts_only_and_spells_paths_like_pathlib(tmp_path, monkeypatch):
    from djcheck.loaders import collect_files

    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "outside").mkdir()
    for name in ("a.txt", "B.MD", "sub/c.docx", "sub/deeper/d.txt", "old.doc", ".hidden.txt", "~$锁.docx",
                 "README.md", "changelog.txt", "notes.pdf", "image.png", ".git/e.txt", "outside/f.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    expected = ["B.MD", "a.txt", "old.doc", "sub/c.docx", "sub/deeper/d.txt"]
    files, errors = collect_files([str(tmp_path)])
    assert not errors and files == sorted(str(tmp_path / "x").replace("x", e) for e in expected + ["outside/f.txt"])
    monkeypatch.chdir(tmp_path)
    for top, prefix in ((".", ""), ("./", ""), ("sub/", "sub/"), ("sub//deeper", "sub/deeper/")):
        files, _ = collect_files([top])
        want = [e for e in expected + ["outside/f.txt"] if e.startswith(prefix)]
        assert files == sorted(want), top


def test_ctrl_c_during_a_parallel_batch_ends_the_workers_and_says_so(folder):
    """The CLI learns that worker processes were ended from the exception batch raises (no module flag)."""
    from djcheck.errors import WorkersStopped

    def interrupt(res):
        raise KeyboardInterrupt

    files = sorted(map(str, folder.rglob("*.*")))
    with pytest.raises(WorkersStopped) as caught:
        check_files(files, session=Session(), jobs=2, on_result=interrupt)
    assert isinstance(caught.value, KeyboardInterrupt)
    # in one process nothing was started, so a Ctrl-C stays a plain KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt) as plain:
        check_files(files[:2], session=Session(), jobs=1, on_result=interrupt)
    assert not isinstance(plain.value, WorkersStopped)


# -- issue 16 item 13: a worker that dies (as under the OOM killer) loses no other file -------------
class _KillingSession(Session):
    """Ends its worker process outright on any file whose name contains ``killer`` (as the OOM
    killer would), and on files named ``once-*`` the first time only (a marker file remembers)."""

    def check(self, path):
        import os
        import signal

        name = Path(path).name
        if "killer" in name:
            os.kill(os.getpid(), signal.SIGKILL)
        if name.startswith("once-"):
            marker = Path(path).with_suffix(".died")
            if not marker.exists():
                marker.write_text("x", encoding="utf-8")
                os._exit(3)
        return super().check(path)


@pytest.mark.parametrize("jobs", [2, 3])
def test_a_worker_killed_by_one_file_loses_no_other_file(tmp_path, jobs):
    from djcheck.batch import WORKER_DIED

    names = [f"r{i:02d}.txt" for i in range(40)]
    names[7] = "r07-killer.txt"
    names[23] = "once-r23.txt"
    for name in names:
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    results = check_files(sorted(tmp_path.glob("*.txt")), session=_KillingSession(), jobs=jobs)
    assert [Path(r.path).name for r in results] == sorted(names)
    by_name = {Path(r.path).name: r for r in results}
    killer = by_name.pop("r07-killer.txt")
    assert killer.error and WORKER_DIED in killer.error and killer.score is None
    assert killer.error.startswith(f"{tmp_path / 'r07-killer.txt'}：")
    assert all(r.error is None and r.score is not None and r.passed for r in by_name.values()), [
        r.error for r in by_name.values() if r.error
    ]
    assert (tmp_path / "once-r23.died").exists()  # it did end a worker once, and was checked on retry


def test_a_file_that_kills_its_worker_through_the_command_line(tmp_path, monkeypatch):
    import os
    import signal

    from djcheck import runner as runner_module

    for i in range(6):
        (tmp_path / f"r{i}.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "killer.txt").write_text(GOOD, encoding="utf-8")
    real = runner_module.load_document

    def load(path):
        if Path(path).name == "killer.txt":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path)

    monkeypatch.setattr(runner_module, "load_document", load)  # inherited by forked workers
    table = tmp_path / "汇总.csv"
    out = runner.invoke(app, ["check", str(tmp_path), "-j", "2", "-f", "csv", "-o", str(table)])
    assert out.exit_code == 2, out.output
    assert "工作进程意外退出" in out.stderr and "killer.txt" in out.stderr
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 8 and sum(r[5] == "通过" for r in rows[1:]) == 6, rows


def test_a_result_crosses_to_the_parent_unchanged(seed):
    """A worker sends each FileResult to the parent pickled as plain tuples (model.FileResult.__reduce_ex__):
    every field, checklist row and finding comes back equal, in every pickle protocol; a result with
    an attribute that is not a field is pickled the usual way and keeps it."""
    import copy
    import pickle

    res = Session().check(str(seed("000")))
    assert res.checklist and res.findings
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(res, protocol))
        assert back == res and back.to_dict() == res.to_dict()
        assert [vars(f) for f in back.findings] == [vars(f) for f in res.findings]
    assert pickle.loads(pickle.dumps(res.findings[0])) == res.findings[0]
    assert copy.deepcopy(res) == res
    res.extra = "kept"
    assert pickle.loads(pickle.dumps(res)).extra == "kept"


def test_start_method_chosen_by_environment(monkeypatch):
    """DJCHECK_START_METHOD names the workers' start method (benchmarks measure spawn on Linux); an
    unknown name keeps the platform's default (fork on Linux)."""
    import multiprocessing
    import sys

    from djcheck.batch import START_METHOD_ENV, _mp_context

    monkeypatch.delenv(START_METHOD_ENV, raising=False)
    default = _mp_context().get_start_method()
    if sys.platform.startswith("linux"):
        assert default == "fork"
    monkeypatch.setenv(START_METHOD_ENV, "spawn")
    assert _mp_context().get_start_method() == "spawn"
    monkeypatch.setenv(START_METHOD_ENV, "no-such-method")
    assert _mp_context().get_start_method() == default
    assert "spawn" in multiprocessing.get_all_start_methods()
