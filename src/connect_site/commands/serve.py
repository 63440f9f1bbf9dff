"""`connect-site serve`: check and build the site in memory, serve it on localhost, reload on change.

Only the files of the in-memory build are ever served: a URL path is a key into that
build, never a file system path. Every request must name this server in its Host header
(a DNS-rebinding page cannot), and the reload WebSocket must come from one of its pages.
HTML pages get the livereload client, with their Content-Security-Policy widened just
enough for it; the built bytes themselves are never changed.

The HTTP and WebSocket side lives in devserver.py, the only module that imports tornado
and livereload. This module decides what each request gets, watches the files, and
rebuilds once per burst of changes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Protocol
from urllib.parse import unquote

import click

from connect_site.commands.options import EXIT_OK, RELOAD_SCRIPT, content_option, debug_option, guarded, say
from connect_site.commands.report import Fold, arrange
from connect_site.commands.watch import POLL, Watcher, watched
from connect_site.errors import ConnectSiteError, Diagnostic

LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


# -- the served site ---------------------------------------------------------------------


class SiteFiles(Protocol):
    """A built site: file keys ("index.html", "countries/ken/index.html") to bytes.

    The first version holds the dict from `build.render_site`; a lazy renderer can
    render a page on its first `get` and keep it until the next rebuild.
    """

    def get(self, key: str) -> Optional[bytes]: ...

    def keys(self) -> Iterable[str]: ...


Render = Callable[[Path, str], "Built"]  # (content folder, base URL) -> what the rebuild gives


@dataclass
class Built:
    """One rebuild: the diagnostics, and the site when the content had no errors."""

    diagnostics: list[Diagnostic]
    report: str  # the diagnostics as printed by `connect-site check`
    site: Optional[SiteFiles]
    pages: int = 0


def render_in_memory(content_dir: Path, base_url: str) -> Built:
    """Check the content, then serve its `SiteFiles`: each page is rendered when first asked for.

    A rebuild is the check plus the home page (rendered at once, so a broken template is
    reported now, not on some later request). The theme and the translation catalogs are
    loaded again each time, so edited templates, styles and .po files are picked up.
    """
    from connect_site import pipeline
    from connect_site.commands import report as output
    from connect_site.site import i18n
    from connect_site.site.theme import load_theme

    i18n.translations.cache_clear()
    result, site = pipeline.in_memory(
        content_dir, display_root=content_dir.as_posix(), base_url=base_url, theme=load_theme()
    )
    if site is None:
        return Built(result.diagnostics, output.text(result), None)
    site.get("index.html")
    return Built(result.diagnostics, output.text(result), site, site.pages)


# -- what a request gets ----------------------------------------------------------------

TYPES = {
    "html": "text/html; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "svg": "image/svg+xml",
    "xml": "application/xml",
    "json": "application/json",
    "geojson": "application/geo+json",
    "csv": "text/csv; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "ico": "image/x-icon",
    "woff2": "font/woff2",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "gz": "application/gzip",
    "wasm": "application/wasm",
}


def content_type(key: str) -> str:
    ext = key.rsplit(".", 1)[-1].lower() if "." in key.rsplit("/", 1)[-1] else ""
    return TYPES.get(ext, "application/octet-stream")


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def plain(status: int, text: str) -> Response:
    return Response(status, text.encode("utf-8") + b"\n", {"Content-Type": "text/plain; charset=utf-8"})


_REFUSED = re.compile(r"[\x00-\x1f\x7f\\%]")


def key_for(raw_path: str) -> Optional[str]:
    """The file key a raw (still percent-encoded) URL path asks for; None when the path is refused.

    "/" -> "index.html", "/countries/ken/" -> "countries/ken/index.html". Refused: anything
    not starting with a single "/", empty, "." or ".." segments (encoded or not), backslashes,
    control characters (NUL included), "%" left after decoding (double encoding), and bytes
    that are not UTF-8. The key is only ever looked up in the in-memory build.
    """
    if not raw_path.startswith("/") or raw_path.startswith("//"):
        return None
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return None
    segments = path[1:].split("/")
    if _REFUSED.search(path) or any(s in ("", ".", "..") for s in segments[:-1]) or segments[-1] in (".", ".."):
        return None
    key = path[1:]
    return key + "index.html" if key == "" or key.endswith("/") else key


def _attr(value: str) -> str:
    """Text for a double-quoted HTML attribute (quotes in a policy stay readable)."""
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


_CSP = re.compile(rb'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(">)', re.IGNORECASE)


def widen_csp(policy: str, origin_host: str) -> str:
    """The page's policy plus what the reload client needs: its script, and its WebSocket."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    for name, source in (("script-src", "'self'"), ("connect-src", f"ws://{origin_host}")):
        sources = [s for s in directives.get(name, []) if s != "'none'"]
        if source not in sources:
            sources.append(source)
        directives[name] = sources
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def with_reload(page: bytes, origin_host: str) -> bytes:
    """An HTML page with the livereload client in its head and its policy widened for it.

    `origin_host` ("127.0.0.1:8000") is a Host header already checked against the allowed ones.
    """
    hostname, _, port = origin_host.rpartition(":")
    query = _attr(f"host={hostname}&port={port}")
    script = f'<script src="{RELOAD_SCRIPT}?{query}"></script>'.encode()

    def widen(m: re.Match[bytes]) -> bytes:
        policy = html.unescape(m.group(2).decode("utf-8", "replace"))
        return m.group(1) + _attr(widen_csp(policy, origin_host)).encode() + m.group(3)

    page = _CSP.sub(widen, page, count=1)
    head_end = page.find(b"</head>")
    if head_end < 0:
        return page + script
    return page[:head_end] + script + page[head_end:]


_ERROR_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a}"
    "h1{color:#a40000;font-size:1.5rem}li{margin:0 0 1rem}code{font-size:.95em}"
    ".where{font-weight:600}.hint{color:#444}"
)
_ERROR_STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_ERROR_STYLE.encode()).digest()).decode()


def error_page(diagnostics: list[Diagnostic], summary: str, *, title: str = "The content has errors") -> bytes:
    """The page every HTML request gets while the content has errors (contributor text escaped),
    in the order `check` prints them: errors first, repeated warnings counted (`report.arrange`)."""
    items = []
    for d in arrange(diagnostics):
        if isinstance(d, Fold):
            items.append(f"<li>{html.escape(d.format())}</li>")
            continue
        hint = f'<br><span class="hint">hint: {html.escape(d.hint)}</span>' if d.hint else ""
        items.append(
            f'<li><code class="where">{html.escape(d.location())}</code>: '
            f"{html.escape(d.severity.value)}[{html.escape(d.code)}]: {html.escape(d.message)}{hint}</li>"
        )
    csp = f"default-src 'none'; style-src '{_ERROR_STYLE_HASH}'; base-uri 'none'; form-action 'none'"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_attr(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Content errors: connect-site preview</title>\n"
        f"<style>{_ERROR_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n"
        "<p>The preview shows the site again as soon as this is fixed. "
        "The same problems are printed in the terminal.</p>\n"
        + (f"<ol>\n{''.join(items)}\n</ol>\n" if items else "")
        + f"<p>{html.escape(summary)}</p>\n</body>\n</html>\n"
    ).encode()


# -- the preview: state, requests, rebuilds -----------------------------------------------


class Preview:
    """The served state: the last good site, and the errors of the latest rebuild if it failed."""

    def __init__(
        self,
        content_dir: Path,
        base_url: str,
        allowed_hosts: Iterable[str],
        *,
        render: Render = render_in_memory,
        debug: bool = False,
    ) -> None:
        self.content_dir = content_dir
        self.base_url = base_url
        self.allowed = frozenset(h.lower() for h in allowed_hosts)
        self.render = render
        self.debug = debug
        self.site: Optional[SiteFiles] = None
        self.errors: Optional[bytes] = None  # the error page, while the content has errors
        self.last_report = ""  # the diagnostics last printed

    # requests

    def host_allowed(self, host: Optional[str]) -> bool:
        return host is not None and host.lower() in self.allowed

    def origin_allowed(self, origin: Optional[str]) -> bool:
        return origin is not None and origin.lower() in {f"http://{h}" for h in self.allowed}

    def respond(self, raw_path: str, host: Optional[str]) -> Response:
        if not self.host_allowed(host):
            return plain(403, "Forbidden: this preview answers only to the address it printed (Host header refused).")
        assert host is not None
        key = key_for(raw_path)
        if key is None:
            return plain(400, "Bad request: this path is refused.")
        if self.site is None:
            return self._page(500, self.errors or b"", host)
        try:
            data = self.site.get(key)
        except Exception as exc:  # a page that fails to render: say so, keep serving the rest
            message = f"internal error while rendering {key}: {type(exc).__name__}: {exc}"
            say(f"connect-site: {message}", err=True)
            if not key.endswith(".html"):
                return plain(500, message)
            # an HTML page, with the reload script: it comes back by itself once the template is fixed
            return self._page(500, error_page([], message, title="This page could not be rendered"), host)
        is_page = data is None or key.endswith(".html")
        if self.errors is not None and is_page:
            return self._page(500, self.errors, host)
        if data is not None:
            if key.endswith(".html"):
                return self._page(200, data, host)
            return Response(200, data, {"Content-Type": content_type(key)})
        if not key.endswith("index.html") and self.site.get(key + "/index.html") is not None:
            return Response(301, b"", {"Location": raw_path + "/"})
        return self._page(404, self.site.get("404.html") or b"Not found\n", host)

    def _page(self, status: int, page: bytes, host: str) -> Response:
        return Response(status, with_reload(page, host), {"Content-Type": TYPES["html"]})

    # rebuilds

    def rebuild(self, *, first: bool = False) -> bool:
        """Check and render again; True when browsers should reload (the site or its errors changed).

        Content errors keep the last good site for everything but HTML pages, which show
        the errors. An internal error (a bug, a template mistake) keeps the last good site
        as it was; with none yet, pages show the error. On the `first` build, a usage
        error (ConnectSiteError) is raised for the command to report.
        """
        started = time.perf_counter()
        try:
            built = self.render(self.content_dir, self.base_url)
        except ConnectSiteError as exc:
            if first:
                raise
            return self._failed(exc.message, exc.hint)
        except Exception as exc:  # a bug or a theme mistake must not stop the preview
            if self.debug:
                traceback.print_exc()
            return self._failed(f"{type(exc).__name__}: {exc}", "")
        if built.diagnostics:
            if built.site is None or built.report != self.last_report:
                say(built.report, nl=False)
            else:  # the same warnings as last time: just the count
                say(built.report.rstrip("\n").rsplit("\n", 1)[-1] + " (as before)")
        self.last_report = built.report
        if built.site is None:
            summary = built.report.rstrip("\n").rsplit("\n", 1)[-1]
            self.errors = error_page(built.diagnostics, summary)
            kept = "the last good site is kept" if self.site is not None else "only the error page is served"
            say(f"content has errors: {kept} until they are fixed")
        else:
            self.site, self.errors = built.site, None
            say(f"{'built' if first else 'rebuilt'} in {time.perf_counter() - started:.2f} s ({built.pages} pages)")
        return True

    def _failed(self, message: str, hint: str) -> bool:
        say(f"connect-site: rebuild failed: {message}", err=True)
        if self.site is not None:
            say("    hint: the last good site is still served; fix the problem and save again.", err=True)
            return False
        self.errors = error_page([], message, title="The site could not be built")
        say(f"    hint: {hint or 'fix the problem and save again; the preview rebuilds by itself.'}", err=True)
        return True


# -- watching ------------------------------------------------------------------------------


class Server:
    """What devserver.py drives: answer requests, and every POLL seconds, `tick`."""

    def __init__(self, preview: Preview, watcher: Watcher) -> None:
        self.preview, self.watcher = preview, watcher

    def respond(self, raw_path: str, host: Optional[str]) -> tuple[int, bytes, dict[str, str]]:
        r = self.preview.respond(raw_path, host)
        return r.status, r.body, r.headers

    def host_allowed(self, host: Optional[str]) -> bool:
        return self.preview.host_allowed(host)

    def origin_allowed(self, origin: Optional[str]) -> bool:
        return self.preview.origin_allowed(origin)

    def tick(self) -> bool:
        """True when a rebuild happened and browsers should reload."""
        return self.watcher.poll() and self.preview.rebuild()


# -- the command ---------------------------------------------------------------------------


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def allowed_hosts(host: str, port: int) -> list[str]:
    names = [*LOCAL_HOSTS, url_host(host)]
    out = [f"{name}:{port}" for name in names]
    if port == 80:  # browsers leave out the default port
        out += names
    return sorted(set(out))


@click.command(name="serve")
@content_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on; 0 picks a free one.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on. Anything but this computer exposes an unreviewed preview.",
)
@debug_option
@guarded
def command(content_dir: Path, port: int, host: str, debug: bool) -> int:
    """Preview the site: build it in memory, serve it on this computer, reload pages on every change.

    Watches the content folder and the theme (templates/, assets/); rebuilds once per
    burst of saves. With content errors, pages show the errors until they are fixed.
    Stop with Ctrl+C.
    """
    from connect_site.commands import devserver

    if not content_dir.is_dir():
        raise ConnectSiteError(
            f"the content folder '{content_dir.as_posix()}' does not exist",
            "Run this from the repository root, or give the folder with --content.",
        )
    if host not in ("127.0.0.1", "localhost", "::1"):
        say(
            f"connect-site: warning: listening on {host} exposes this unreviewed preview to other computers.",
            err=True,
        )
    try:
        sockets = devserver.bind(host, port)
    except OSError as exc:
        raise ConnectSiteError(
            f"cannot listen on {host} port {port}: {exc.strerror or exc}",
            "Another program may be using it: pick another port with --port (--port 0 picks a free one).",
        ) from None
    port = sockets[0].getsockname()[1]
    base = f"http://{url_host(host)}:{port}/"
    preview = Preview(content_dir, base, allowed_hosts(host, port), debug=debug)
    watcher = Watcher(watched(content_dir))
    try:
        preview.rebuild(first=True)
    except ConnectSiteError:
        for s in sockets:
            s.close()
        raise
    say(f"serving {base} (Ctrl+C to stop)")
    devserver.run(sockets, Server(preview, watcher), poll=POLL, debug=debug)
    say("stopped")
    return EXIT_OK
