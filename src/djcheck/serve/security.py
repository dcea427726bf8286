"""The guard in front of every request of ``djcheck serve`` (an ASGI middleware).

In order, each HTTP request must:

1. name the server by its loopback address: the ``Host`` header is
   ``127.0.0.1:PORT`` or ``localhost:PORT`` (a page on another site that
   re-points its own name at 127.0.0.1 — DNS rebinding — sends its own name and
   is refused with 400);
2. carry the per-launch token, as the ``token`` query parameter or the
   ``X-Djcheck-Token`` header (403 otherwise; compared in constant time);
3. for anything but GET/HEAD, come from the page's own origin: an ``Origin``
   header, when present, must be ``http://127.0.0.1:PORT`` or
   ``http://localhost:PORT``, and ``Sec-Fetch-Site`` must not say
   ``cross-site`` / ``same-site`` (403 otherwise). Local tools that send no
   ``Origin`` (a WPS add-in, curl) are let through by the token alone.

Refusals are JSON ``{"error": "<Chinese sentence>"}``. No CORS header is ever
sent, so a browser never lets another origin read a response. Every response
gets a strict Content-Security-Policy (only the server's own scripts, styles and
fetches), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``,
``X-Frame-Options: DENY`` and ``Cache-Control: no-store``.
"""

from __future__ import annotations

import json
import secrets
from urllib.parse import parse_qs

TOKEN_HEADER = "x-djcheck-token"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]
SAFE_METHODS = ("GET", "HEAD")


def new_token() -> str:
    """A fresh random token for one launch (32 URL-safe characters, 192 bits)."""
    return secrets.token_urlsafe(24)


def allowed_hosts(port: int) -> set[str]:
    """The ``Host`` header values that name this server: ``127.0.0.1:PORT`` and ``localhost:PORT``."""
    return {f"127.0.0.1:{port}", f"localhost:{port}"}


def json_error(status: int, message: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """``(status, headers, body)`` of a JSON error response ``{"error": message}``."""
    body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
    return status, [(b"content-type", b"application/json; charset=utf-8")], body


class Guard:
    """ASGI middleware enforcing the checks of the module docstring.

    Args:
        app: the ASGI application behind the guard.
        token: the per-launch token.
        port: the port the server listens on (for the Host and Origin checks).
    """

    def __init__(self, app, *, token: str, port: int):
        self.app = app
        self.token = token.encode()
        self.port = port

    def refusal(self, scope) -> tuple[int, str] | None:
        """``(status, Chinese message)`` when the request must be refused, else ``None``."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        hosts = allowed_hosts(self.port)
        if headers.get("host", "").lower() not in hosts:
            return (
                400,
                "请求的地址不是本机的 djcheck 服务：请使用启动时显示的 http://127.0.0.1 地址打开页面。",
            )
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = headers.get(TOKEN_HEADER) or (query.get("token") or [""])[0]
        if not secrets.compare_digest(given.encode("latin-1", "replace"), self.token):
            return (
                403,
                "访问口令不对或缺失：请使用启动 djcheck serve 时显示的完整地址（含 token=…）打开页面。",
            )
        if scope.get("method", "GET") not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin.lower() not in {f"http://{h}" for h in hosts}:
                return 403, "拒绝来自其他网页的请求：请在 djcheck 自己的页面中操作。"
            if headers.get("sec-fetch-site") in ("cross-site", "same-site"):
                return 403, "拒绝来自其他网页的请求：请在 djcheck 自己的页面中操作。"
        return None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        refused = self.refusal(scope)
        if refused is not None:
            status, headers, body = json_error(*refused)
            await send_with_headers({"type": "http.response.start", "status": status, "headers": headers})
            await send_with_headers({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send_with_headers)
