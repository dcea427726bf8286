"""The real pre-commit runs the djcheck hook of .pre-commit-hooks.yaml: a bad draft blocks the commit.

pre-commit builds the hook's own virtual environment with pip (``pip install .`` of a
copy of this project), so this test needs the package index that ``pip install '.[test]'``
used; it is marked ``integration`` (``pytest -m "not integration"`` leaves it out).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m")

BAD = """关于2026年上半年落实全面从严治党主体责任情况的报告
今年以来，局党委认真履行全面从严治党主体责任。现将有关情况报告如下：
一、工作开展情况
局党委召开党委会**次，专题研究主体责任落实。运用监督执纪“四种形态”处理8人次，其中第一种形态7人次，第二种形态1人次。
"""
FIX = """二、存在的问题
一是3个党支部上半年未按要求开展组织生活会，批评和自我批评流于形式。二是对2个下属单位的经费支出监督不到位，发现违规报销问题5起。三是年轻干部教育管理不够，上半年有2名入职不满三年的干部受到诫勉。
三、下一步工作打算
一是由机关党委牵头，9月底前督促3个党支部补开组织生活会。二是由纪检组负责，每季度对下属单位经费支出开展一次专项检查，压实主体责任。三是由组织人事科牵头，年底前完成年轻干部廉洁教育全覆盖。
"""


def test_hook_manifest_is_what_users_reference():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "djcheck")
    assert hook["language"] == "python" and hook["entry"] == "djcheck check"
    files = re.compile(hook["files"])
    exclude = re.compile(hook["exclude"])
    for name in ("报告.txt", "草稿/总结.md", "述责述廉.docx"):
        assert files.search(name) and not exclude.search(name)
    assert not files.search("报告.doc") and not files.search("a.py")
    assert exclude.search("README.md") and exclude.search("docs/CHANGELOG.md")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "在 pre-commit 中使用" in readme and "id: djcheck" in readme


def _run(cmd, cwd, env, timeout=900):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def project_repo(tmp_path):
    """A git repository holding this project's current files (pre-commit installs hooks from a commit)."""
    if shutil.which("git") is None:
        pytest.skip("未安装 git：跳过 pre-commit 集成测试")
    pytest.importorskip("pre_commit", reason="pre-commit 在测试依赖中（pip install '.[test]'）")
    repo = tmp_path / "djcheck-project"
    repo.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, repo / name)
    for folder in ("src", "rules"):
        shutil.copytree(ROOT / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return repo


def _env(tmp_path) -> dict:
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="djcheck test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="djcheck test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(tmp_path),
    )
    for var in ("NO_COLOR", "GITHUB_ACTIONS", "PRE_COMMIT_COLOR"):
        env.pop(var, None)
    return env


def test_real_pre_commit_blocks_a_bad_draft_and_passes_a_fixed_one(project_repo, tmp_path):
    env = _env(tmp_path)
    git = ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"]
    assert _run([*git, "init", "-q"], project_repo, env).returncode == 0
    assert _run([*git, "add", "-A"], project_repo, env).returncode == 0
    assert _run([*git, "commit", "-qm", "djcheck"], project_repo, env).returncode == 0
    rev = _run(["git", "rev-parse", "HEAD"], project_repo, env).stdout.strip()

    work = tmp_path / "reports"
    work.mkdir()
    assert _run([*git, "init", "-q"], work, env).returncode == 0
    draft = work / "主体责任报告.txt"
    draft.write_text(BAD, encoding="utf-8")
    (work / "README.md").write_text("# 报告仓库\n", encoding="utf-8")  # excluded by the hook
    pre_commit = [sys.executable, "-m", "pre_commit"]

    # 1. pre-commit try-repo, as a user trying the hook, in colour: the whole checklist is shown.
    proc = _run(
        [*pre_commit, "try-repo", str(project_repo), "djcheck", "--files", draft.name, "--color", "always"],
        work,
        env,
    )
    out = ANSI.sub("", proc.stdout + proc.stderr)
    assert proc.returncode == 1, out
    assert "Failed" in out and "hook id: djcheck" in out
    assert "✖ 存在的问题" in out and "✖ 下一步打算" in out and "✔ 落实主体责任" in out
    assert "未通过" in out and "模板占位符" in out

    # 2. Installed as a git hook: the commit is refused and nothing is committed.
    config = f"repos:\n-   repo: {project_repo}\n    rev: {rev}\n    hooks:\n    -   id: djcheck\n"
    (work / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    assert _run([*pre_commit, "install"], work, env).returncode == 0
    assert _run([*git, "add", "-A"], work, env).returncode == 0
    proc = _run([*git, "commit", "-m", "报告初稿"], work, env)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert f"{draft.name}:" in out and "error problems ✖ 存在的问题" in out and "未通过" in out
    assert "README" not in out.split("hook id: djcheck", 1)[-1]
    assert _run(["git", "rev-parse", "--verify", "HEAD"], work, env).returncode != 0  # no commit made

    # 3. The draft is fixed: the same commit goes through.
    draft.write_text(BAD.replace("**", "12") + FIX, encoding="utf-8")
    assert _run([*git, "add", "-A"], work, env).returncode == 0
    proc = _run([*git, "commit", "-m", "报告定稿"], work, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout + proc.stderr
    assert _run(["git", "rev-parse", "--verify", "HEAD"], work, env).returncode == 0
