"""The HTTP and WebSocket side of `connect-site serve`: the only module that imports tornado and livereload.

It knows nothing of the site. An `App` (serve.Server) answers every page request and
says which Host and Origin headers are allowed; this module adds the livereload client
script and its WebSocket, and calls `App.tick` on a timer, reloading the connected
browsers when it says so. Everything runs on one thread: a rebuild holds requests back
until the new site is ready, so no request ever sees half of one.

Replacing livereload (or tornado) means rewriting this module only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import traceback
import warnings
from importlib.resources import files
from typing import Any, Optional, Protocol

with warnings.catch_warnings():  # livereload 2.7 and tornado warn on Python 3.12 and later
    warnings.simplefilter("ignore", DeprecationWarning)
    from livereload.handlers import LiveReloadHandler  # type: ignore[import-untyped]
    from tornado import httpserver, ioloop, netutil, web

from connect_site.commands.options import RELOAD_SCRIPT as SCRIPT_PATH
from connect_site.commands.options import RELOAD_SOCKET as SOCKET_PATH
from connect_site.commands.options import say

RELOAD = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}  # "*": reload the whole page
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # a preview: always the latest build
}


class App(Protocol):
    def respond(self, raw_path: str, host: Optional[str]) -> tuple[int, bytes, dict[str, str]]: ...

    def host_allowed(self, host: Optional[str]) -> bool: ...

    def origin_allowed(self, origin: Optional[str]) -> bool: ...

    def tick(self) -> bool: ...


def bind(host: str, port: int) -> list[socket.socket]:
    """Listening sockets (port 0: a free port, the same on every address). Raises OSError."""
    return netutil.bind_sockets(port, address=host, reuse_port=False)


def client_script() -> bytes:
    """The livereload browser client, as the livereload package ships it."""
    return files("livereload").joinpath("vendors", "livereload.js").read_bytes()


class _Base(web.RequestHandler):
    app: App

    def initialize(self, app: App) -> None:
        self.app = app

    def set_default_headers(self) -> None:
        self.clear_header("Server")
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code} {self._reason}\n")

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, web.HTTPError):
            return
        say(f"connect-site: internal error while answering {self.request.path!r}: {typ.__name__}: {value}", err=True)
        logging.getLogger("connect_site.devserver").debug("", exc_info=(typ, value, tb))

    def refuse_host(self) -> bool:
        if self.app.host_allowed(self.request.headers.get("Host")):
            return False
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("Forbidden: this preview answers only to the address it printed (Host header refused).\n")
        return True


class PageHandler(_Base):
    """Every path but the two of livereload: a key into the in-memory build."""

    def get(self) -> None:
        status, body, headers = self.app.respond(self.request.path, self.request.headers.get("Host"))
        self.set_status(status)
        for name, value in headers.items():
            self.set_header(name, value)
        self.finish(body)

    head = get


class ScriptHandler(_Base):
    script = b""

    def get(self) -> None:
        if self.refuse_host():
            return
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.finish(self.script)

    head = get


class ReloadSocket(LiveReloadHandler):  # type: ignore[misc]  # livereload has no type hints
    """livereload's WebSocket protocol, for a browser on one of our pages only (Host and Origin checked)."""

    app: App

    def initialize(self, app: App) -> None:
        self.app = app

    def prepare(self) -> None:
        headers = self.request.headers
        if not self.app.host_allowed(headers.get("Host")) or not self.app.origin_allowed(headers.get("Origin")):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("Forbidden: the reload socket is only for pages of this preview (Host or Origin refused).\n")

    def check_origin(self, origin: str) -> bool:
        return self.app.origin_allowed(origin)

    def on_message(self, message: Any) -> None:
        try:
            super().on_message(message)
        except (ValueError, TypeError, AttributeError):  # not the livereload protocol
            self.close()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        say(f"connect-site: internal error on the reload socket: {typ.__name__}: {value}", err=True)


def reload_browsers() -> int:
    waiters = list(LiveReloadHandler.waiters)
    message = json.dumps(RELOAD)
    for waiter in waiters:
        try:
            waiter.write_message(message)
        except Exception:  # a browser that went away: forget it
            LiveReloadHandler.waiters.discard(waiter)
    return len(waiters)


def _tick(app: App, debug: bool) -> None:
    try:
        if app.tick():
            reload_browsers()
    except Exception as exc:  # never let one bad rebuild stop the timer
        if debug:
            traceback.print_exc()
        say(f"connect-site: internal error while watching: {type(exc).__name__}: {exc}", err=True)


async def _serve(sockets: list[socket.socket], app: App, poll: float, debug: bool) -> None:
    ScriptHandler.script = client_script()
    application = web.Application(
        [
            (SCRIPT_PATH, ScriptHandler, {"app": app}),
            (SOCKET_PATH, ReloadSocket, {"app": app}),
            (r".*", PageHandler, {"app": app}),
        ],
        log_function=lambda handler: None,
        compress_response=False,
        websocket_ping_interval=None,
    )
    server = httpserver.HTTPServer(application, xheaders=False)
    server.add_sockets(sockets)
    ticker = ioloop.PeriodicCallback(lambda: _tick(app, debug), poll * 1000)
    ticker.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    server_pid = os.getpid()

    def on_sigterm(signum: int, frame: object) -> None:
        # Not loop.add_signal_handler: its wakeup fd is inherited by the processes a
        # rebuild forks (build.render_site), and their SIGTERM at the end of a rebuild
        # would stop this server. A forked worker gets the default action instead.
        if os.getpid() != server_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        loop.call_soon_threadsafe(stop.set)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        await stop.wait()
    finally:
        ticker.stop()
        server.stop()
        for waiter in list(LiveReloadHandler.waiters):
            waiter.close()
        await server.close_all_connections()


def run(sockets: list[socket.socket], app: App, *, poll: float, debug: bool = False) -> None:
    """Serve until Ctrl+C or SIGTERM; returns normally in both cases."""
    if not debug:  # tornado's own logging would print tracebacks for a client's broken request
        for name in ("tornado", "livereload"):
            logging.getLogger(name).addHandler(logging.NullHandler())
            logging.getLogger(name).propagate = False
    try:
        asyncio.run(_serve(sockets, app, poll, debug))
    except KeyboardInterrupt:
        pass
