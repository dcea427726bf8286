"""djcheck serve end to end in a real headless browser: Playwright for Python driving Debian's chromium.

Opens the page, uploads a Word draft written here, reads the checklist, changes the report type and sees
the verdict change, downloads the annotated copy and opens it with python-docx, then adds a text draft and
sees the worst-first summary. Screenshots at 1280 and 800 px go to ``$DJCHECK_TEST_ARTIFACTS`` (default:
the test's temporary folder). Skipped, saying why, where chromium or the playwright package is missing
(``.ci/run`` installs chromium; ``playwright install`` is never needed: the system browser is used).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import docx
import pytest

from djcheck.serve import run
from docxutil import text_to_docx
from servedraft import DRAFT

pytestmark = pytest.mark.integration
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A real ``djcheck serve`` on a free loopback port; yields the page address, stops it afterwards."""
    temp = tmp_path / "server-tmp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    urls: list[str] = []
    ready = threading.Event()
    thread = threading.Thread(
        target=run, kwargs={"port": 0, "on_ready": lambda u: (urls.append(u), ready.set())}, daemon=True
    )
    thread.start()
    assert ready.wait(60), "djcheck serve did not start"
    yield urls[0]
    import urllib.request

    base, token = urls[0].split("/?token=")
    stop = urllib.request.Request(f"{base}/api/shutdown", method="POST", headers={"X-Djcheck-Token": token})
    urllib.request.urlopen(stop, timeout=30).close()
    thread.join(30)
    assert list(temp.iterdir()) == [], "an upload was left on disk"


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("未安装 Chromium（Debian 软件包 chromium，/usr/bin/chromium）：跳过浏览器中的端到端测试")
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="未安装 playwright（pip install -e '.[test]'）：跳过浏览器中的端到端测试",
    )
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _artifacts(tmp_path) -> Path:
    folder = Path(os.environ.get("DJCHECK_TEST_ARTIFACTS") or tmp_path / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_check_a_draft_in_the_page(server, browser, tmp_path):
    draft = text_to_docx(DRAFT, tmp_path / "交通局主体责任报告.docx")
    note = tmp_path / "未完成的草稿.txt"
    note.write_text(DRAFT.split("二、存在的问题")[0].replace("2025年", "20XX年", 1), encoding="utf-8")
    shots = _artifacts(tmp_path)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith(("http://127.0.0.1:", "blob:", "data:")) else foreign.append(r.url)
        ),
    )

    page.goto(server)
    page.wait_for_selector("body[data-ready]")
    assert page.get_by_text("把报告文件拖到这里").is_visible()
    assert page.locator("select[data-role=profile]").count() == 0  # nothing checked yet

    # Upload: the checklist appears with a verdict.
    page.set_input_files("#files", str(draft))
    card = page.locator("section.card").first
    card.locator("tr.item").first.wait_for(timeout=60_000)
    assert card.get_attribute("data-verdict") == "pass"
    score_line = card.locator("p.score").inner_text()
    assert "通过" in score_line and "未通过" not in score_line and "主体责任" in score_line
    assert "［落实全面从严治党主体责任情况报告］" in card.locator("p.score").inner_text()
    statuses = card.locator("tr.item td.st").all_inner_texts()
    assert len(statuses) >= 5 and all(re.match(r"[✔⚠✖] ", s) for s in statuses)
    assert any(s.startswith("⚠") for s in statuses)  # the half-width comma: 标点符号 weak
    assert (
        "判断依据" in card.locator(".controls").inner_text()
        and "2025" in card.locator(".controls").inner_text()
    )
    mark = card.locator("mark.finding")
    assert mark.count() == 1 and mark.inner_text() == ","
    assert page.get_by_text("检查完毕：1 个文件。").is_visible()
    page.screenshot(path=str(shots / "serve-1280.png"), full_page=False)
    card.locator(".draft-holder").screenshot(path=str(shots / "serve-1280-draft.png"))

    # Change the report type: re-checked at once, the verdict changes.
    card.locator("select[data-role=profile]").select_option("duizhao-jiancha")
    page.wait_for_function(
        "() => document.querySelector('section.card').dataset.verdict === 'fail'", timeout=60_000
    )
    assert "未通过" in card.locator("p.score").inner_text()
    assert "对照检查材料" in card.locator("p.score").inner_text()
    assert "未通过的原因" in card.locator("p.reason").inner_text()
    assert "按所选的报告类型检查" in card.locator(".controls").inner_text()
    assert card.locator("select[data-role=profile]").input_value() == "duizhao-jiancha"
    assert card.locator("tr.item[data-status=missing]").count() >= 1

    # Download the annotated Word copy and open it.
    with page.expect_download() as info:
        card.locator("button[data-role=annotate]").click()
    download = info.value
    assert download.suggested_filename == "交通局主体责任报告-批注.docx"
    saved = tmp_path / "downloaded.docx"
    download.save_as(saved)
    comments = [c.text for c in docx.Document(str(saved)).comments]
    assert any("未通过" in t and "对照检查材料" in t for t in comments)  # checked as the chosen type
    assert any("（规则 punctuation）" in t for t in comments)

    # The year field: re-checked at once when it changes.
    year = card.locator("input[data-role=year]")
    year.fill("2024")
    year.press("Tab")
    page.wait_for_function(
        "() => document.querySelector('section.card .controls').innerText.includes('按所填的报告年份')",
        timeout=60_000,
    )
    assert "年份 2024" in card.locator(".controls").inner_text()

    # A second file, dropped on the drop zone: the worst-first summary appears.
    dropped = page.evaluate_handle(
        "([name, text]) => { const dt = new DataTransfer();"
        " dt.items.add(new File([text], name, {type: 'text/plain'})); return dt; }",
        [note.name, note.read_text(encoding="utf-8")],
    )
    page.dispatch_event("#drop", "drop", {"dataTransfer": dropped})
    page.get_by_text("检查完毕：1 个文件。").wait_for()
    page.locator("section.card").nth(1).locator("h2").wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('section.card[data-verdict]').length === 2", timeout=60_000
    )
    summary = page.locator("#summary")
    assert summary.is_visible()
    rows = summary.locator("tbody tr").all_inner_texts()
    assert len(rows) == 2
    with page.expect_download() as info:
        summary.locator("#csv").click()
    csv_text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("文件,报告类型,得分")
    assert len(csv_text.strip().splitlines()) == 3

    page.set_viewport_size({"width": 800, "height": 1000})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / "serve-800.png"), full_page=False)
    page.screenshot(path=str(shots / "serve-800-full.png"), full_page=True)
    context.close()

    assert problems == [], problems  # no script error, no CSP violation
    assert foreign == [], foreign  # nothing but the local server
    copies = os.environ.get("DJCHECK_SCREENSHOT_COPIES")
    if copies:
        Path(copies).mkdir(parents=True, exist_ok=True)
        for png in shots.glob("serve-*.png"):
            shutil.copy(png, Path(copies) / png.name)
