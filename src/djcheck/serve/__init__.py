"""``djcheck serve``: check drafts in a local web page (for people who never open a terminal).

The server listens on 127.0.0.1 only (there is no option to listen elsewhere),
requires a random per-launch token on every request, and keeps uploads in
memory or in a private temporary folder removed after each response
(:mod:`djcheck.serve.app`, :mod:`djcheck.serve.security`). Starlette, uvicorn
and python-multipart are imported only by this package, which the CLI imports
only for ``djcheck serve``, so ``djcheck check`` starts no slower.
"""

from __future__ import annotations

import errno
import socket
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
#: Port tried first; when it is taken (or 0 is asked for) the system picks a free one.
DEFAULT_PORT = 8765


def bind(port: int) -> socket.socket:
    """A listening TCP socket on 127.0.0.1: ``port`` if free, else a free port chosen by the system.

    Raises:
        OSError: no socket could be bound at all (message from the system).
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES) and getattr(exc, "winerror", None) not in (
            10013,
            10048,
        ):
            sock.close()
            raise
        sock.close()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((HOST, 0))
    sock.listen(64)
    sock.setblocking(False)
    return sock


def page_url(port: int, token: str) -> str:
    """The address of the page, with the token: ``http://127.0.0.1:PORT/?token=…``."""
    return f"http://{HOST}:{port}/?token={token}"


def open_page(url: str) -> bool:
    """Open ``url`` in the default browser; ``False`` when no browser could be started."""
    import webbrowser

    try:
        return webbrowser.open(url)
    except Exception:  # noqa: BLE001 - no browser is not an error: the address is printed
        return False


def run(
    *,
    port: int = DEFAULT_PORT,
    config: str | Path | None = None,
    on_ready=None,
) -> None:
    """Serve the page until Ctrl-C or the page's 退出 button.

    Args:
        port: the port to try first (0: any free port).
        config: a configuration file applied to every upload (``--config``).
        on_ready: called with the page address once the server accepts connections.

    Raises:
        KeyboardInterrupt: after a clean shutdown on Ctrl-C (uvicorn re-raises the signal).
        djcheck.errors.ConfigError: the configuration file is broken (before anything listens).
        OSError: no loopback port could be bound.
    """
    import uvicorn

    from .app import create_app
    from .security import new_token

    if config is not None:
        from djcheck.runner import Session

        Session(config=config)  # a broken configuration file is reported now, not per upload
    token = new_token()
    sock = bind(port)
    actual = sock.getsockname()[1]
    server: uvicorn.Server | None = None

    def stop() -> None:
        if server is not None:
            server.should_exit = True

    app = create_app(token=token, port=actual, config=config, on_shutdown=stop)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_config=None,
            log_level="warning",
            access_log=False,  # request lines carry the token; nothing about documents is logged anyway
            lifespan="off",
            server_header=False,
            date_header=False,
        )
    )

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started and on_ready is not None:
            on_ready(page_url(actual, token))

    threading.Thread(target=announce, name="djcheck-serve-ready", daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
