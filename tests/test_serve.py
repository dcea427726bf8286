"""djcheck serve: the HTTP API through Starlette's test client, the guard, the launcher and the CLI command.

Every refusal must be JSON with a Chinese ``error`` and a 4xx status, and no request may leave a file
behind in the temporary folder (each test gives the app its own ``temp_root``).
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import docx
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from conftest import ROOT
from djcheck.cli import app as cli_app
from djcheck.serve import bind, run
from djcheck.serve.app import create_app
from docxutil import text_to_docx
from servedraft import COMMA_CONTEXT, DRAFT

TOKEN = "test-token-0123456789"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
AUTH = {"x-djcheck-token": TOKEN}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def temp_root(tmp_path):
    root = tmp_path / "serve-tmp"
    root.mkdir()
    return root


@pytest.fixture
def client(temp_root):
    return TestClient(create_app(token=TOKEN, port=PORT, temp_root=temp_root), base_url=BASE)


def post(client, path, name, data, *, headers=AUTH, **fields):
    return client.post(path, headers=headers, files={"file": (name, data)}, data=fields)


def assert_refused(response, status, temp_root, *, contains=""):
    """A JSON error in Chinese with ``status``, no CORS header, and nothing left in the temporary folder."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    message = response.json()["error"]
    assert CHINESE.search(message), message
    assert contains in message
    assert str(temp_root) not in message and "djcheck-serve-" not in message
    assert "access-control-allow-origin" not in {k.lower() for k in response.headers}
    assert list(temp_root.iterdir()) == []
    return message


def cli_json(path: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli_app, ["check", str(path), "-f", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["files"][0]


# -- the endpoints -----------------------------------------------------------------------------


def test_profiles_lists_every_report_type_with_its_chinese_title(client):
    response = client.get("/api/profiles", headers=AUTH)
    assert response.status_code == 200
    items = response.json()["profiles"]
    ids = [p["id"] for p in items]
    assert "zhuti-zeren" in ids and "duizhao-jiancha" in ids and "common" not in ids
    titles = {p["id"]: p["title"] for p in items}
    assert titles["zhuti-zeren"] == "落实全面从严治党主体责任情况报告"
    assert all(CHINESE.search(p["title"]) and CHINESE.search(p["short_title"]) for p in items)


def test_check_gives_the_same_object_as_one_file_of_the_json_format(client, temp_root, tmp_path):
    draft = tmp_path / "交通局报告.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    response = post(client, "/api/check", "交通局报告.txt", draft.read_bytes())
    assert response.status_code == 200
    got = response.json()
    expected = cli_json(draft)
    assert got["path"] == "交通局报告.txt"
    got.pop("path"), expected.pop("path")
    assert got == expected
    assert got["profile"] == "zhuti-zeren" and got["passed"] is True and got["year"] == 2025
    assert list(temp_root.iterdir()) == []


def test_profile_and_year_fields_change_the_check(client, temp_root, tmp_path):
    data = DRAFT.encode("utf-8")
    as_duizhao = post(client, "/api/check", "a.txt", data, profile="duizhao-jiancha").json()
    draft = tmp_path / "a.txt"
    draft.write_bytes(data)
    assert as_duizhao["profile"] == "duizhao-jiancha" and as_duizhao["passed"] is False
    assert as_duizhao["score"] == cli_json(draft, "-p", "duizhao-jiancha")["score"]
    auto = post(client, "/api/check", "a.txt", data, profile="auto", year="").json()
    assert auto["profile"] == "zhuti-zeren" and auto["passed"] is True
    assert (
        as_duizhao["profile_reason"] == "按所选的报告类型检查"
        and "命令行" not in as_duizhao["profile_reason"]
    )
    dated = post(client, "/api/check", "a.txt", data, year="2024").json()
    assert dated["year"] == 2024 and dated["year_reason"] == "按所填的报告年份"
    assert dated["score"] == cli_json(draft, "--year", "2024")["score"]
    assert list(temp_root.iterdir()) == []


def test_a_word_document_is_checked_by_paragraph(client, temp_root, tmp_path):
    path = text_to_docx(DRAFT, tmp_path / "报告.docx")
    got = post(client, "/api/check", "报告.docx", path.read_bytes()).json()
    assert got["location_unit"] == "paragraph" and got["profile"] == "zhuti-zeren"
    assert [f["match"] for f in got["findings"]] == [","]
    assert list(temp_root.iterdir()) == []


def test_a_text_that_is_no_report_is_a_result_not_an_error(client, temp_root):
    got = post(
        client, "/api/check", "便条.txt", "明天上午九点在三楼会议室开会，请准时参加。\n".encode()
    ).json()
    assert got["recognised"] is False and got["score"] is None and got["profile_reason"]


def test_view_marks_the_finding_where_it_stands(client, temp_root):
    out = post(client, "/api/view", "a.txt", DRAFT.encode("utf-8")).json()
    assert out["result"]["findings"][0]["rule"] == "punctuation"
    line = out["result"]["findings"][0]["line"]
    html = out["draft_html"]
    assert html.startswith('<div class="draft">')
    para = re.search(rf'<p class="line[^"]*" data-line="{line}">(.*?)</p>', html).group(1)
    assert re.search(r'<mark class="finding m-warning"[^>]*>,</mark>开展', para)
    assert html.count("<mark") == 1 and html.count('<p class="line') == len(DRAFT.split("\n"))
    assert out["fixable"] == 1


def test_view_escapes_the_draft(client):
    text = DRAFT.replace("现将有关情况报告如下", "<script>alert(1)</script>现将有关情况报告如下")
    html = post(client, "/api/view", "a.txt", text.encode("utf-8")).json()["draft_html"]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_annotate_returns_a_word_copy_with_comments(client, temp_root, tmp_path):
    path = text_to_docx(DRAFT, tmp_path / "报告.docx")
    response = post(client, "/api/annotate", "报告.docx", path.read_bytes())
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    assert (
        "%E6%8A%A5%E5%91%8A-%E6%89%B9%E6%B3%A8.docx" in response.headers["content-disposition"]
    )  # 报告-批注.docx
    copy = docx.Document(io.BytesIO(response.content))
    comments = [c.text for c in copy.comments]
    assert any(t.startswith("djcheck 检查结果：得分") and "通过" in t for t in comments)
    assert any("半角" in t or "标点" in t for t in comments)
    assert [p.text for p in copy.paragraphs] == DRAFT.split("\n")
    assert list(temp_root.iterdir()) == []


def test_annotate_refuses_a_text_file_and_fix_refuses_a_word_file(client, temp_root, tmp_path):
    assert_refused(post(client, "/api/annotate", "a.txt", DRAFT.encode()), 400, temp_root, contains=".docx")
    path = text_to_docx(DRAFT, tmp_path / "报告.docx")
    assert_refused(post(client, "/api/fix", "报告.docx", path.read_bytes()), 400, temp_root, contains="批注")


def test_fix_returns_the_fixed_text_in_its_own_encoding(client, temp_root):
    original = DRAFT.replace("\n", "\r\n").encode("gb18030")
    response = post(client, "/api/fix", "草稿.txt", original)
    assert response.status_code == 200
    assert "%E8%8D%89%E7%A8%BF-%E4%BF%AE%E6%94%B9%E7%A8%BF.txt" in response.headers["content-disposition"]
    fixed = response.content.decode("gb18030")
    assert fixed == DRAFT.replace("\n", "\r\n").replace(COMMA_CONTEXT, COMMA_CONTEXT.replace(",", "，"))
    assert list(temp_root.iterdir()) == []


def test_page_is_chinese_self_contained_and_carries_the_token(client):
    response = client.get(f"/?token={TOKEN}")
    assert response.status_code == 200
    page = response.text
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert '<html lang="zh-CN">' in page and "把报告文件拖到这里" in page
    assert f'content="{TOKEN}"' in page and "__TOKEN__" not in page
    assert re.findall(r"<script\b[^>]*>", page) == [f'<script src="/static/app.js?token={TOKEN}" defer>']
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        body = client.get(asset)
        assert body.status_code == 200, asset
        assert "http://" not in body.text and "https://" not in body.text, asset
    assert "http://" not in page and "https://" not in page
    assert "<style" not in page and " style=" not in page  # style-src 'self' forbids inline styles


def test_unknown_route_and_wrong_method_are_json(client, temp_root):
    assert_refused(client.get("/api/nothing", headers=AUTH), 404, temp_root)
    assert_refused(client.get("/static/secret.py", headers=AUTH), 404, temp_root)
    assert_refused(client.get("/api/check", headers=AUTH), 405, temp_root)


# -- bad input ----------------------------------------------------------------------------------


def _zip_bomb(tmp_path) -> bytes:
    from djcheck.loaders.docx import MAX_XML_PART_BYTES

    good = text_to_docx("一、工作情况\n正文。", tmp_path / "good.docx")
    with zipfile.ZipFile(good) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    padding = b"<!--" + b"A" * (MAX_XML_PART_BYTES + 1024) + b"-->"
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"<w:body>", b"<w:body>" + padding, 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    assert len(buf.getvalue()) < 200_000
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "contains"),
    [
        ("空.txt", lambda tmp: b"", "空"),
        ("图片.txt", lambda tmp: bytes(range(256)) * 40, "图片.txt"),
        ("旧版.doc", lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, ".docx"),
        ("坏.docx", lambda tmp: b"PK\x03\x04 not really a zip", "坏.docx"),
        ("炸弹.docx", _zip_bomb, "过大"),
        ("带DTD.docx", None, "DTD"),
    ],
)
def test_unreadable_uploads_are_refused_in_chinese(client, temp_root, tmp_path, name, make, contains):
    if make is None:  # a document.xml declaring a DTD (entity expansion) is refused
        good = text_to_docx("一、工作情况\n正文。", tmp_path / "good.docx")
        buf = io.BytesIO()
        with zipfile.ZipFile(good) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = zin.read(info)
                if info.filename == "word/document.xml":
                    data = data.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaa">]>', 1)
                zout.writestr(info.filename, data)
        data = buf.getvalue()
    else:
        data = make(tmp_path)
    for path in ("/api/check", "/api/view", "/api/annotate"):
        message = assert_refused(post(client, path, name, data), 400, temp_root, contains=contains)
        assert message.startswith(name + "：") or name in message


def test_an_upload_over_the_limit_is_refused_before_it_is_read(temp_root):
    small = TestClient(
        create_app(token=TOKEN, port=PORT, temp_root=temp_root, max_upload_bytes=4096), base_url=BASE
    )
    assert_refused(post(small, "/api/check", "大.txt", DRAFT.encode() * 4), 413, temp_root, contains="太大")


def test_the_cli_size_limit_applies(client, temp_root, monkeypatch):
    import djcheck.loaders.text

    monkeypatch.setattr(djcheck.loaders.text, "MAX_TEXT_BYTES", 1024)
    assert_refused(post(client, "/api/check", "长.txt", DRAFT.encode()), 400, temp_root, contains="太大")


@pytest.mark.parametrize(
    ("fields", "contains"),
    [
        ({"profile": "../../etc/pack.yaml"}, "报告类型"),
        ({"profile": "common"}, "报告类型"),
        ({"year": "1999"}, "年份"),
        ({"year": "二〇二五"}, "年份"),
    ],
)
def test_bad_profile_or_year_is_refused(client, temp_root, fields, contains):
    assert_refused(
        post(client, "/api/check", "a.txt", DRAFT.encode(), **fields), 400, temp_root, contains=contains
    )


def test_a_request_without_a_file_is_refused(client, temp_root):
    assert_refused(client.post("/api/check", headers=AUTH, data={"profile": "zhuti-zeren"}), 415, temp_root)
    multipart_without_file = client.post("/api/check", headers=AUTH, files={"other": ("a.txt", b"x")})
    assert_refused(multipart_without_file, 400, temp_root, contains="file")
    assert_refused(client.post("/api/check", headers=AUTH, content=b"raw", params={}), 415, temp_root)
    garbled = client.post(
        "/api/check",
        headers={**AUTH, "content-type": "multipart/form-data; boundary=zz"},
        content=b"--zz\r\nbroken",
    )
    assert garbled.status_code == 400 and CHINESE.search(garbled.json()["error"])


def test_a_file_name_cannot_escape_the_private_folder(client, temp_root, tmp_path):
    got = post(client, "/api/check", "../../逃出去.txt", DRAFT.encode()).json()
    assert got["path"] == "逃出去.txt"
    assert not (tmp_path / "逃出去.txt").exists() and not (temp_root.parent.parent / "逃出去.txt").exists()
    hidden = post(
        client, "/api/check", "..\\..\\.djcheck.yaml", DRAFT.encode()
    )  # never the empty configuration
    assert assert_refused(hidden, 400, temp_root).startswith("djcheck.yaml：")


def test_a_djcheck_yaml_in_the_shared_temporary_folder_is_ignored(client, temp_root, tmp_path):
    """Another user of the machine cannot change the rules by leaving a configuration in the temp folder."""
    planted = temp_root / ".djcheck.yaml"
    planted.write_text("profile: duizhao-jiancha\nmin_score: 100\n", encoding="utf-8")
    got = post(client, "/api/check", "a.txt", DRAFT.encode()).json()
    assert got["profile"] == "zhuti-zeren" and got["min_score"] != 100
    assert sorted(p.name for p in temp_root.iterdir()) == [".djcheck.yaml"]


def test_the_servers_config_file_applies(temp_root, tmp_path):
    config = tmp_path / "团队配置.yaml"
    config.write_text("min_score: 99.5\n", encoding="utf-8")
    with_config = TestClient(
        create_app(token=TOKEN, port=PORT, temp_root=temp_root, config=config), base_url=BASE
    )
    got = post(with_config, "/api/check", "a.txt", DRAFT.encode()).json()
    assert got["min_score"] == 99.5 and got["passed"] is False


# -- the guard ----------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"x-djcheck-token": "wrong"}, {"x-djcheck-token": TOKEN[:-1]}])
def test_every_request_needs_the_token(client, temp_root, headers):
    assert_refused(client.get("/", headers=headers), 403, temp_root, contains="口令")
    assert_refused(client.get("/static/app.js", headers=headers), 403, temp_root)
    assert_refused(client.get("/api/profiles", headers=headers), 403, temp_root)
    assert_refused(post(client, "/api/check", "a.txt", DRAFT.encode(), headers=headers), 403, temp_root)
    assert_refused(client.post("/api/shutdown", headers=headers), 403, temp_root)


def test_token_in_the_query_is_accepted(client):
    assert client.get(f"/api/profiles?token={TOKEN}").status_code == 200
    assert client.get("/api/profiles?token=nope").status_code == 403


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:8765",
        "127.0.0.1:9999",
        "localhost",
        "127.0.0.1",
        "0.0.0.0:8765",
        "[::1]:8765",
        "127.0.0.1:8765.evil.example",
    ],
)
def test_a_foreign_host_header_is_refused(temp_root, host):
    """DNS rebinding: a page of another site that resolves to 127.0.0.1 still sends its own Host."""
    client = TestClient(create_app(token=TOKEN, port=PORT, temp_root=temp_root), base_url=BASE)
    assert_refused(
        client.get("/api/profiles", headers={**AUTH, "host": host}), 400, temp_root, contains="127.0.0.1"
    )
    response = post(client, "/api/check", "a.txt", DRAFT.encode(), headers={**AUTH, "host": host})
    assert_refused(response, 400, temp_root)


def test_localhost_host_is_accepted(temp_root):
    client = TestClient(
        create_app(token=TOKEN, port=PORT, temp_root=temp_root), base_url=f"http://localhost:{PORT}"
    )
    assert client.get("/api/profiles", headers=AUTH).status_code == 200


@pytest.mark.parametrize(
    "extra",
    [
        {"origin": "https://evil.example"},
        {"origin": "http://127.0.0.1:9999"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site"},
        {"origin": f"http://127.0.0.1:{PORT}", "sec-fetch-site": "same-site"},
    ],
)
def test_a_cross_origin_post_is_refused(client, temp_root, extra):
    response = post(client, "/api/check", "a.txt", DRAFT.encode(), headers={**AUTH, **extra})
    assert_refused(response, 403, temp_root, contains="其他网页")
    assert_refused(client.post("/api/shutdown", headers={**AUTH, **extra}), 403, temp_root)


def test_same_origin_and_originless_posts_are_accepted(client, temp_root):
    for extra in (
        {"origin": f"http://127.0.0.1:{PORT}", "sec-fetch-site": "same-origin"},
        {"origin": f"http://localhost:{PORT}"},
        {},
    ):
        assert (
            post(client, "/api/check", "a.txt", DRAFT.encode(), headers={**AUTH, **extra}).status_code == 200
        )


def test_no_cors_headers_even_when_asked(client):
    response = client.options(
        "/api/check",
        headers={**AUTH, "origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert response.status_code >= 400
    ok = client.get("/api/profiles", headers={**AUTH, "origin": "https://evil.example"})
    for r in (response, ok):
        assert not [k for k in r.headers if k.lower().startswith("access-control-")]


def test_logs_never_contain_document_text(client, temp_root, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    post(client, "/api/view", "a.txt", DRAFT.encode())
    post(client, "/api/check", "图片.txt", bytes(range(256)) * 40)
    from djcheck.serve import checking

    def broken(*args, **kwargs):
        raise ValueError("出错的段落：" + DRAFT[:40])

    monkeypatch.setattr(checking, "check_upload", broken)
    response = post(client, "/api/check", "a.txt", DRAFT.encode())
    assert response.status_code == 500 and "内部错误" in response.json()["error"]
    assert "ValueError" in caplog.text  # the failure is logged …
    assert "县交通运输局" not in caplog.text and "出错的段落" not in caplog.text  # … without the draft
    assert "县交通运输局" not in response.text


# -- the launcher -------------------------------------------------------------------------------


def test_bind_uses_loopback_and_a_free_port_when_busy():
    busy = bind(0)
    try:
        host, port = busy.getsockname()
        assert host == "127.0.0.1" and port > 0
        other = bind(port)  # taken: the system picks another
        try:
            assert other.getsockname()[0] == "127.0.0.1" and other.getsockname()[1] not in (0, port)
        finally:
            other.close()
    finally:
        busy.close()


def test_the_running_server_answers_on_loopback_only_and_stops_from_the_page(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    ready = threading.Event()
    urls: list[str] = []

    def on_ready(url):
        urls.append(url)
        ready.set()

    server = threading.Thread(target=run, kwargs={"port": 0, "on_ready": on_ready}, daemon=True)
    server.start()
    assert ready.wait(60), "the server did not start"
    url = urls[0]
    m = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]{32})", url)
    assert m, url
    port, token = int(m.group(1)), m.group(2)
    with urllib.request.urlopen(url, timeout=30) as page:
        assert page.status == 200 and "djcheck" in page.read().decode("utf-8")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30)
    assert refused.value.code == 403
    # Bound to 127.0.0.1 itself, not to every address: another loopback address gets no answer.
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.2", port), timeout=5).close()
    stop = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/shutdown", method="POST", headers={"X-Djcheck-Token": token}
    )
    with urllib.request.urlopen(stop, timeout=30) as answer:
        assert json.loads(answer.read())["ok"] is True
    server.join(30)
    assert not server.is_alive()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_stops_the_server_with_exit_130_and_leaves_nothing(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "djcheck", "serve", "--no-browser", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
    )
    try:
        lines = [proc.stdout.readline(), proc.stdout.readline()]
        assert "已启动" in lines[0], lines + [proc.stderr.read()] if proc.poll() is not None else lines
        url = lines[1].strip()
        assert url.startswith("http://127.0.0.1:")
        data = (
            '--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
            + DRAFT
            + "\r\n--b--\r\n"
        ).encode("utf-8")
        token = url.split("token=")[1]
        check = urllib.request.Request(
            url.split("/?")[0] + "/api/check",
            data=data,
            method="POST",
            headers={"X-Djcheck-Token": token, "Content-Type": "multipart/form-data; boundary=b"},
        )
        with urllib.request.urlopen(check, timeout=60) as answer:
            assert json.loads(answer.read())["profile"] == "zhuti-zeren"
        proc.send_signal(signal.SIGINT)
        code = proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = proc.stderr.read()
    assert code == 130, err
    assert "Traceback" not in err and "中断" in err
    assert list(tmp_path.iterdir()) == []


# -- the CLI ------------------------------------------------------------------------------------


def test_serve_is_listed_and_refuses_a_broken_config(tmp_path):
    runner = CliRunner()
    assert "serve" in runner.invoke(cli_app, ["--help"]).output
    bad = tmp_path / "坏配置.yaml"
    bad.write_text("no_such_key: 1\n", encoding="utf-8")
    result = runner.invoke(cli_app, ["serve", "--no-browser", "--config", str(bad)])
    assert result.exit_code == 2 and "坏配置.yaml" in result.output and "Traceback" not in result.output


def test_importing_the_cli_does_not_import_the_web_framework():
    """``djcheck check`` starts no slower: the server's libraries load only for ``djcheck serve``."""
    code = (
        "import sys, djcheck.cli\n"
        "heavy = ('starlette', 'uvicorn', 'multipart', 'python_multipart', 'djcheck.serve', 'anyio', 'h11')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith('djcheck.serve')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, djcheck.serve.app; print('starlette' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert probe.stdout.strip() == "True"  # the probe above would see the import
