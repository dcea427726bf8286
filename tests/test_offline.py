"""Offline: nothing djcheck does opens a network connection, and no module of the package imports a network client."""

from __future__ import annotations

import ast
import shutil
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, SAMPLES
from djcheck.cli import app
from docxutil import text_to_docx

runner = CliRunner()
PACKAGE = ROOT / "src" / "djcheck"

#: Modules that talk to the network (or start a server / a browser). Prefix match on dotted names.
NETWORK_MODULES = (
    "socket", "ssl", "socketserver", "http", "urllib.request", "urllib3", "requests", "httpx", "aiohttp",
    "ftplib", "smtplib", "poplib", "imaplib", "nntplib", "telnetlib", "xmlrpc", "webbrowser", "asyncio",
    "websocket", "websockets", "grpc", "paramiko", "pycurl", "tornado", "twisted", "uvicorn", "starlette",
)
#: ``djcheck serve`` is the one part that listens (on 127.0.0.1 only, see tests/test_serve.py) and opens a
#: browser; no other module may import it or a network module.
SERVER_PACKAGE = PACKAGE / "serve"


class NetworkAttempt(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Block every way of reaching the network; returns the list of attempts (each one also raises)."""
    attempts: list[str] = []

    def refuse(what):
        def blocked(*args, **kwargs):
            attempts.append(f"{what}{args!r}")
            raise NetworkAttempt(f"djcheck tried the network: {what}{args!r}")

        return blocked

    class GuardedSocket(socket.socket):
        connect = refuse("socket.connect")
        connect_ex = refuse("socket.connect_ex")
        sendto = refuse("socket.sendto")
        bind = refuse("socket.bind")

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_server"):
        monkeypatch.setattr(socket, name, refuse(f"socket.{name}"))
    return attempts


def test_full_run_with_sockets_blocked(tmp_path, no_network, unchanged):
    drafts = tmp_path / "drafts"
    shutil.copytree(SAMPLES, drafts)
    docx_draft = text_to_docx((SAMPLES / "good-report.txt").read_text(encoding="utf-8"), drafts / "good.docx")
    txt = drafts / "template-leftovers.txt"
    unchanged(*[p for p in drafts.rglob("*") if p.is_file() and p != txt])

    def ok(*args, codes=(0, 1)):
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code in codes, (args, result.output, result.exception)
        assert not isinstance(result.exception, NetworkAttempt), result.exception
        return result

    for fmt in ("plain", "json", "sarif", "github", "html", "csv", "rich"):
        ok("check", drafts, "-f", fmt, "--jobs", "1")
    ok("check", drafts, "-f", "json", "--jobs", "2")  # forked workers inherit the blocked sockets
    ok("check", docx_draft, "-f", "html", "-o", tmp_path / "report.html")
    ok("check", drafts, "-f", "sarif", "-o", tmp_path / "report.sarif")
    ok("check", docx_draft, "--annotate", tmp_path / "批注.docx", "-f", "plain")
    ok("check", txt, "--diff")
    ok("check", txt, "--fix", "-f", "plain")
    ok("rules", "list")
    ok("rules", "test")
    ok("rules", "validate", ROOT / "rules")
    ok("explain", "four-forms")
    assert (tmp_path / "批注.docx").stat().st_size > 0 and (tmp_path / "report.html").stat().st_size > 0
    assert "http://" not in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "https://" not in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert no_network == []


def test_the_guard_does_catch_a_connection(no_network):
    """The fixture is not a no-op: a real connection attempt is recorded and refused."""
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("127.0.0.1", 9))
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(NetworkAttempt):
            s.connect(("127.0.0.1", 9))
    finally:
        s.close()
    assert len(no_network) == 2


def _imported_modules(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno))
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
        elif isinstance(node, ast.Call):
            # importlib.import_module("x") / __import__("x") with a literal name
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
                found.append((str(node.args[0].value), node.lineno))
    return found


def _is_network(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in NETWORK_MODULES)


def test_no_module_of_the_package_imports_a_network_client():
    sources = sorted(p for p in PACKAGE.rglob("*.py") if SERVER_PACKAGE not in p.parents)
    assert len(sources) > 30
    offending = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sources
        for module, line in _imported_modules(path)
        if _is_network(module) or module.startswith("djcheck.serve")
    ]
    assert offending == []


def test_only_the_cli_command_reaches_the_server_package():
    """``from .serve import …`` (relative) appears only inside ``cli.serve``; nothing else refers to it."""
    users = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if SERVER_PACKAGE in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "serve" and node.level == 1:
                users.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert users == ["src/djcheck/cli.py:" + str(_serve_import_line())]


def _serve_import_line() -> int:
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    func = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "serve")
    return next(n.lineno for n in ast.walk(func) if isinstance(n, ast.ImportFrom) and n.module == "serve")


def test_the_import_scan_would_see_a_network_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import os\nfrom urllib import request\nimport http.client as hc\n"
        "def f():\n    import importlib\n    return importlib.import_module('requests')\n",
        encoding="utf-8",
    )
    names = [m for m, _ in _imported_modules(probe) if _is_network(m)]
    assert names == ["urllib.request", "http.client", "requests"]
