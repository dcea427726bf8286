"""The web application of ``djcheck serve`` (Starlette): the page and the small HTTP API.

Routes (all behind :class:`djcheck.serve.security.Guard`: loopback Host, the
per-launch token, same-origin POST):

``GET /``
    the page (Chinese, no external resources; token placed in its asset URLs).
``GET /static/app.js``, ``/static/app.css``, ``/static/report.css``
    the page's script and styles.
``GET /api/profiles``
    ``{"profiles": [{"id", "title", "short_title"}, …]}`` — the report types.
``POST /api/check``
    multipart ``file`` (required), ``profile`` (a report type id; empty or ``auto``:
    detect), ``year`` (2000–2100; empty: infer) → one element of ``--format json``'s ``files``.
``POST /api/view``
    as ``/api/check`` → ``{"result": <that object>, "draft_html": "…", "fixable": n}``
    (what the page shows: the draft with its findings marked).
``POST /api/annotate``
    as ``/api/check`` with a .docx → the annotated Word copy (批注稿).
``POST /api/fix``
    as ``/api/check`` with a .txt/.md → the text with the safe fixes applied (own encoding).
``POST /api/shutdown``
    stops the server (the page's 退出 button; a user without a terminal has no Ctrl-C).

Errors are JSON ``{"error": "<Chinese sentence naming the file>"}`` with a 4xx
status: 400 unreadable or wrong input, 403 refused by the guard, 404/405 unknown
route, 413 upload larger than the limit, 415 not a multipart upload. Uploads are
read into memory (the body is capped before it is parsed, and parts are kept in
memory up to the limit) and checked in a private temporary folder removed
before the response (:mod:`djcheck.serve.checking`). Nothing logs document text.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartParser
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import checking
from .security import Guard

log = logging.getLogger("djcheck.serve")

#: Largest upload accepted: the largest draft the CLI reads (a 100 MB .docx) plus room for the form.
MAX_UPLOAD_BYTES = 100 * 1024 * 1024 + 64 * 1024
_STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}


class BadRequest(Exception):
    """A request refused with ``status`` and a Chinese ``message``."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def create_app(
    *,
    token: str,
    port: int,
    config: str | Path | None = None,
    temp_root: str | Path | None = None,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    on_shutdown=None,
):
    """The ASGI application, guarded.

    Args:
        token: the per-launch token every request must carry.
        port: the port the server listens on (Host and Origin checks).
        config: the ``--config`` file applied to every upload; ``None``: bundled defaults.
        temp_root: folder for the per-upload private temporary folders (default: the system's).
        max_upload_bytes: largest request body accepted (413 above it).
        on_shutdown: called (no arguments) by ``POST /api/shutdown``.
    """
    # Keep file parts in memory up to the limit: the body is already capped and in memory.
    MultiPartParser.spool_max_size = max_upload_bytes

    async def read_upload(request: Request) -> tuple[str, bytes, str | None, int | None]:
        """``(file name, bytes, profile, year)`` of a multipart check request."""
        ctype = request.headers.get("content-type", "")
        if not ctype.startswith("multipart/form-data"):
            raise BadRequest(415, "请用 multipart/form-data 上传文件（字段名 file）。")
        declared = request.headers.get("content-length")
        too_big = f"文件太大：上传内容超过 {max_upload_bytes // 1024 // 1024} MB 的上限。"
        if declared is not None and declared.isdigit() and int(declared) > max_upload_bytes:
            raise BadRequest(413, too_big)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_upload_bytes:
                raise BadRequest(413, too_big)
        replay = [{"type": "http.request", "body": bytes(body), "more_body": False}]

        async def receive():
            return replay.pop() if replay else {"type": "http.disconnect"}

        try:
            async with Request(request.scope, receive).form(max_files=1, max_fields=10) as form:
                upload = form.get("file")
                profile = form.get("profile")
                year = form.get("year")
                if upload is None or isinstance(upload, str):
                    raise BadRequest(400, "没有收到文件：请在 file 字段中上传报告（.docx、.txt 或 .md）。")
                data = await upload.read()
                name = upload.filename
        except BadRequest:
            raise
        except Exception:  # noqa: BLE001 - python-multipart's parse errors: a malformed upload
            raise BadRequest(400, "上传的内容格式不对，无法读取文件：请重新选择文件上传。") from None
        return name or "", data, _profile(profile), _year(year)

    async def run_check(request: Request, **what) -> checking.Outcome:
        name, data, profile, year = await read_upload(request)
        try:
            return await run_in_threadpool(
                checking.check_upload,
                name,
                data,
                profile=profile,
                year=year,
                config=config,
                temp_root=temp_root,
                **what,
            )
        except checking.UploadError as exc:
            raise BadRequest(400, str(exc)) from None

    def guarded(handler):
        async def endpoint(request: Request):
            try:
                return await handler(request)
            except BadRequest as exc:
                return _error(exc.status, exc.message)
            except Exception as exc:  # noqa: BLE001 - never a traceback (it could quote a draft) in the log
                log.error("djcheck serve：处理 %s 时出错（%s）", request.url.path, type(exc).__name__)
                return _error(500, "djcheck 内部错误，这份文件没能检查完：请把情况告诉维护人员。")

        return endpoint

    async def page(request: Request) -> Response:
        html = resources.files(__package__).joinpath("static/index.html").read_text(encoding="utf-8")
        return Response(html.replace("__TOKEN__", token), media_type="text/html; charset=utf-8")

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name == "report.css":
            return Response(checking.report_css(), media_type="text/css; charset=utf-8")
        if name not in _STATIC:
            raise BadRequest(404, "没有这个文件。")
        body = resources.files(__package__).joinpath(f"static/{name}").read_bytes()
        return Response(body, media_type=_STATIC[name])

    async def api_profiles(request: Request) -> Response:
        items = [{"id": i, "title": t, "short_title": s} for i, t, s in checking.profiles()]
        return JSONResponse({"profiles": items})

    async def api_check(request: Request) -> Response:
        return JSONResponse((await run_check(request)).data)

    async def api_view(request: Request) -> Response:
        out = await run_check(request, view=True)
        return JSONResponse({"result": out.data, "draft_html": out.draft_html, "fixable": out.fixable})

    async def api_annotate(request: Request) -> Response:
        out = await run_check(request, annotate=True)
        return _download(
            out.annotated,
            f"{Path(out.name).stem}-批注.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )

    async def api_fix(request: Request) -> Response:
        out = await run_check(request, fix=True)
        p = Path(out.name)
        return _download(out.fixed, f"{p.stem}-修改稿{p.suffix}", "application/octet-stream")

    async def api_shutdown(request: Request) -> Response:
        if on_shutdown is not None:
            on_shutdown()
        return JSONResponse({"ok": True, "message": "djcheck 已退出，可以关闭这个页面。"})

    async def not_found(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 405:
            return _error(405, "这个地址不支持这种请求方式。")
        return _error(exc.status_code if 400 <= exc.status_code < 500 else 404, "没有这个地址。")

    routes = [
        Route("/", guarded(page), methods=["GET"]),
        Route("/static/{name}", guarded(static), methods=["GET"]),
        Route("/api/profiles", guarded(api_profiles), methods=["GET"]),
        Route("/api/check", guarded(api_check), methods=["POST"]),
        Route("/api/view", guarded(api_view), methods=["POST"]),
        Route("/api/annotate", guarded(api_annotate), methods=["POST"]),
        Route("/api/fix", guarded(api_fix), methods=["POST"]),
        Route("/api/shutdown", guarded(api_shutdown), methods=["POST"]),
    ]
    inner = Starlette(routes=routes, exception_handlers={HTTPException: not_found})
    return Guard(inner, token=token, port=port)


def _profile(value) -> str | None:
    if value is None or not isinstance(value, str) or value.strip() in ("", "auto"):
        return None
    ids = [i for i, _, _ in checking.profiles()]
    if value.strip() not in ids:
        raise BadRequest(
            400, f"没有这种报告类型“{value.strip()[:40]}”：可选的有 {'、'.join(ids)}（或 auto 自动识别）。"
        )
    return value.strip()


def _year(value) -> int | None:
    if value is None or not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise BadRequest(
            400, f"报告年份“{text[:20]}”不对：请填写 2000 到 2100 之间的四位年份，或留空自动推定。"
        )
    return int(text)


def _download(body: bytes | None, filename: str, media_type: str) -> Response:
    ascii_name = "djcheck" + Path(filename).suffix
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(body or b"", media_type=media_type, headers={"content-disposition": disposition})
