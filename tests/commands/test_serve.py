"""`connect-site serve`: a real server process on a copy of the tiny site, spoken to over real HTTP.

Each test starts `connect-site serve --port 0` in a temporary folder, reads the URL it
prints, and stops it with Ctrl+C (SIGINT) at the end, checking that it stopped cleanly.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from conftest import ROOT, write_site
from connect_site.commands.serve import error_page, key_for, widen_csp, with_reload
from connect_site.errors import Diagnostic, Severity

TITLE = 'title: "Kenya digital plan"'
ENTRY = "/initiatives/kenya-plan/"


class Serve:
    """A `connect-site serve` subprocess, its output collected line by line."""

    def __init__(self, cwd: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "connect_site", "serve", "--content", "content", "--port", "0", *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, sink in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._drain, args=(stream, sink), daemon=True).start()
        line = self.wait_for(r"^serving (http://\S+) \(Ctrl\+C to stop\)$", timeout=20)
        match = re.search(r"http://([^/]+)/", line)
        assert match, line
        self.host = match.group(1)
        self.port = int(self.host.rsplit(":", 1)[1])
        self.url = f"http://{self.host}/"

    @staticmethod
    def _drain(stream: Optional[object], sink: list[str]) -> None:
        assert stream is not None
        for line in stream:  # type: ignore[attr-defined]
            sink.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 10, start: int = 0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.out[start:]:
                if re.search(pattern, line):
                    return line
            if self.proc.poll() is not None:
                time.sleep(0.1)  # let the readers finish
                break
            time.sleep(0.02)
        raise AssertionError(f"no line matching {pattern!r}; stdout={self.out} stderr={self.err}")

    def rebuilds(self) -> int:
        return sum(line.startswith("rebuilt in ") for line in self.out)

    def get(self, path: str, host: Optional[str] = None) -> tuple[int, dict[str, str], bytes]:
        """A raw GET: the path is sent exactly as given, and so is the Host header."""
        conn = http.client.HTTPConnection(self.host.rsplit(":", 1)[0], self.port, timeout=10)
        try:
            conn.request("GET", path, headers={"Host": self.host if host is None else host})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def poll(self, path: str, want: bytes, status: int = 200, timeout: float = 8) -> bytes:
        """GET path until it answers `status` with `want` in the body."""
        deadline = time.monotonic() + timeout
        last: tuple[int, bytes] = (0, b"")
        while time.monotonic() < deadline:
            code, _, body = self.get(path)
            if code == status and want in body:
                return body
            last = (code, body[:300])
            time.sleep(0.05)
        raise AssertionError(f"{path} never gave {status} with {want!r}; last {last}; stderr={self.err}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("serve did not stop on Ctrl+C") from None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Serve]:
    write_site(tmp_path, {})
    s = Serve(tmp_path)
    try:
        yield s
    finally:
        s.stop()
    time.sleep(0.1)
    assert s.proc.returncode == 0, (s.proc.returncode, s.err)
    assert not any("Traceback" in line for line in s.err), s.err
    assert s.out[-1] == "stopped", s.out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_serves_the_build_and_follows_an_edit(server: Serve, tmp_path: Path) -> None:
    status, headers, home = server.get("/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert b"Tiny test site" in home
    # the reload client, with the page's policy widened just for it
    assert b'<script src="/livereload.js?host=127.0.0.1&amp;port=' in home
    csp = re.search(rb'http-equiv="Content-Security-Policy" content="([^"]*)"', home)
    assert csp is not None
    assert b"default-src 'none'" in csp.group(1)
    directives = dict(d.split(" ", 1) for d in csp.group(1).decode().split("; "))
    assert directives["script-src"] == "'self'" and directives["connect-src"] == "ws://" + server.host

    status, _, page = server.get("/countries/ken/")
    assert status == 200 and b"Kenya" in page
    status, headers, _ = server.get("/countries/ken")
    assert status == 301 and headers["location"] == "/countries/ken/"

    css = re.search(rb'href="(assets/site\.[0-9a-f]+\.css)"', home)
    assert css is not None
    status, headers, _ = server.get("/" + css.group(1).decode())
    assert status == 200 and headers["content-type"] == "text/css; charset=utf-8"
    status, headers, body = server.get("/sitemap.xml")
    assert status == 200 and headers["content-type"] == "application/xml" and b"livereload" not in body
    status, headers, body = server.get("/livereload.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript") and b"LiveReload" in body

    status, headers, body = server.get("/no/such/page/")
    assert status == 404 and headers["content-type"].startswith("text/html") and b"Page not found" in body

    before, lines = server.rebuilds(), len(server.out)
    edit(tmp_path / "content/initiatives/kenya-plan.md", TITLE, 'title: "Kenya broadband compact"')
    server.poll(ENTRY, b"Kenya broadband compact")
    server.wait_for(r"^rebuilt in \d+\.\d\d s \(\d+ pages\)$", timeout=2, start=lines)
    assert server.rebuilds() == before + 1


def test_content_errors_show_in_the_browser_until_fixed(server: Serve, tmp_path: Path) -> None:
    _, _, home = server.get("/")
    css = re.search(rb'href="(assets/site\.[0-9a-f]+\.css)"', home)
    assert css is not None
    country = tmp_path / "content/countries/KEN.yaml"
    good = country.read_text(encoding="utf-8")
    country.write_text(good.replace('name: "Kenya"', 'name: "Kenya\n  bad: [unclosed'), encoding="utf-8")

    page = server.poll("/", b"The content has errors", status=500)
    assert re.search(rb"<code class=\"where\">content/countries/KEN\.yaml:\d+:\d+</code>", page), page
    assert b'<script src="/livereload.js?' in page  # so the page recovers by itself
    server.wait_for(r"^content/countries/KEN\.yaml:\d+:\d+: error\[", timeout=2)  # and the terminal says it too
    # every page shows the errors; other files are still the last good build
    assert server.get("/countries/ken/")[0] == 500
    status, _, _ = server.get("/" + css.group(1).decode())
    assert status == 200

    country.write_text(good, encoding="utf-8")
    server.poll("/", b"Tiny test site")
    assert server.proc.poll() is None


def test_refuses_everything_outside_the_build(server: Serve, tmp_path: Path) -> None:
    for path in (
        "/../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/assets/..%2f..%2fpyproject.toml",
        "//etc/passwd",
        "/..%5c..%5cpyproject.toml",
        "/a%5cb",
        "/index.html%00.txt",
        "/%252e%252e/pyproject.toml",
        "/%ff",
        "http://127.0.0.1/etc/passwd",
    ):
        status, _, body = server.get(path)
        assert status in (400, 404), (path, status)
        assert b"[project]" not in body and b"root:" not in body, path
    for path in ("/content/site.yaml", "/pyproject.toml", "/src/connect_site/cli.py", "/site.yaml", "/README.md"):
        status, _, body = server.get(path)
        assert status == 404, (path, status)
        assert b"base_url" not in body and b"[project]" not in body and b"import click" not in body, path

    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1:1", "", f"localhost.evil:{server.port}"):
        status, headers, body = server.get("/", host=host)
        assert status == 403 and headers["content-type"].startswith("text/plain"), host
        assert b"Tiny" not in body
        assert server.get("/livereload.js", host=host)[0] == 403
    assert server.get("/", host=f"localhost:{server.port}")[0] == 200

    # a symlink in the content pointing outside it: refused by the check, its target never served
    secret = tmp_path / "secret.md"
    secret.write_text('---\ntitle: "TOPSECRET-7731"\n---\nTOPSECRET-7731\n', encoding="utf-8")
    (tmp_path / "content/initiatives/leak.md").symlink_to(secret)
    page = server.poll("/", b"The content has errors", status=500)
    assert b"content/initiatives/leak.md:1:1" in page
    for path in ("/initiatives/leak/", "/initiatives/leak.md", "/content/initiatives/leak.md", "/secret.md"):
        assert b"TOPSECRET" not in server.get(path)[2], path


def handshake(port: int, host: str, origin: Optional[str]) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        "GET /livereload HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
    ]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return sock.recv(4096).split(b"\r\n", 1)[0]


def test_reload_socket_checks_host_and_origin(server: Serve) -> None:
    good = f"http://{server.host}"
    assert handshake(server.port, server.host, good).startswith(b"HTTP/1.1 101")
    assert handshake(server.port, server.host, "http://evil.example").startswith(b"HTTP/1.1 403")
    assert handshake(server.port, server.host, f"http://evil.example:{server.port}").startswith(b"HTTP/1.1 403")
    assert handshake(server.port, server.host, None).startswith(b"HTTP/1.1 403")
    assert handshake(server.port, "evil.example", good).startswith(b"HTTP/1.1 403")


def test_a_burst_of_saves_rebuilds_once(server: Serve, tmp_path: Path) -> None:
    entry = tmp_path / "content/initiatives/kenya-plan.md"
    text = entry.read_text(encoding="utf-8")
    before = server.rebuilds()
    for i in range(10):
        entry.write_text(text.replace(TITLE, f'title: "Kenya plan, draft {"x" * i}{i}"'), encoding="utf-8")
        (tmp_path / "content/initiatives/.kenya-plan.md.swp").write_bytes(os.urandom(64))  # editor noise
        time.sleep(0.015)
    server.poll(ENTRY, b"Kenya plan, draft xxxxxxxxx9")
    time.sleep(0.8)  # room for any extra rebuild to show up
    assert server.rebuilds() == before + 1, server.out
    # editor temp files alone do not rebuild
    (tmp_path / "content/initiatives/kenya-plan.md~").write_text("backup", encoding="utf-8")
    (tmp_path / "content/initiatives/.#kenya-plan.md").write_text("lock", encoding="utf-8")
    time.sleep(0.6)
    assert server.rebuilds() == before + 1, server.out


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    write_site(tmp_path, {})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "connect_site", "serve", "--content", "content", "--port", str(port)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert proc.returncode == 2, proc
    assert f"cannot listen on 127.0.0.1 port {port}" in proc.stderr
    assert "--port" in proc.stderr and "Traceback" not in proc.stderr


def test_another_host_is_allowed_with_a_warning(tmp_path: Path) -> None:
    write_site(tmp_path, {})
    s = Serve(tmp_path, "--host", "127.0.0.2")
    try:
        assert s.host.startswith("127.0.0.2:")
        assert any("warning: listening on 127.0.0.2 exposes this unreviewed preview" in line for line in s.err)
        assert s.get("/")[0] == 200
        assert s.get("/", host=f"127.0.0.1:{s.port}")[0] == 200  # a local name stays allowed
        assert s.get("/", host=f"evil.example:{s.port}")[0] == 403
    finally:
        s.stop()
    assert s.proc.returncode == 0, s.err


def test_the_browser_reloads_by_itself(server: Serve, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=args)
        try:
            page = browser.new_page()
            console: list[str] = []
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            with page.expect_websocket() as ws_info:
                page.goto(server.url + ENTRY.lstrip("/"))
            ws = ws_info.value
            ws.wait_for_event("framereceived", timeout=5000)  # livereload's hello: the client is connected
            assert "Kenya digital plan" in page.title()
            page.evaluate("window.__before_reload = 1")

            edit(tmp_path / "content/initiatives/kenya-plan.md", TITLE, 'title: "Kenya fibre backbone"')
            deadline = time.monotonic() + 10  # polled from here: the page's policy forbids eval
            while "Kenya fibre backbone" not in title(page) and time.monotonic() < deadline:
                page.wait_for_timeout(50)
            assert "Kenya fibre backbone" in title(page)
            assert page.evaluate("typeof window.__before_reload") == "undefined"  # a real reload
            violations = [m for m in console if "Content Security Policy" in m or "Refused" in m]
            assert not violations, console
            assert not [m for m in console if m.startswith(("error", "pageerror"))], console
        finally:
            browser.close()


def title(page: Page) -> str:
    try:
        return page.title()
    except PlaywrightError:  # in the middle of the reload
        return ""


# -- the pure parts -------------------------------------------------------------------------


def test_keys_for_paths() -> None:
    assert key_for("/") == "index.html"
    assert key_for("/countries/ken/") == "countries/ken/index.html"
    assert key_for("/countries/ken") == "countries/ken"
    assert key_for("/assets/site.0123456789.css") == "assets/site.0123456789.css"
    for refused in ("", "x", "//x", "/a/../b", "/%2e%2e/b", "/a//b", "/a/./b", "/a%5cb", "/a%00", "/%25", "/%c3"):
        assert key_for(refused) is None, refused


def test_policy_is_widened_only_for_the_reload_client() -> None:
    base = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"
    assert widen_csp(base, "127.0.0.1:8000") == base + "; script-src 'self'; connect-src ws://127.0.0.1:8000"
    assert widen_csp("default-src 'none'; script-src 'none'; connect-src 'self'", "localhost:9") == (
        "default-src 'none'; script-src 'self'; connect-src 'self' ws://localhost:9"
    )
    page = (
        b'<html><head><meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;">'
        b"</head><body>x</body></html>"
    )
    served = with_reload(page, "[::1]:8000")
    assert b"content=\"default-src 'none'; script-src 'self'; connect-src ws://[::1]:8000\"" in served
    assert b'<script src="/livereload.js?host=[::1]&amp;port=8000"></script></head>' in served


def test_error_page_escapes_contributor_text() -> None:
    d = Diagnostic("content/x<y>.yaml", 3, 7, Severity.ERROR, "yaml", '<img src=x onerror="alert(1)">', "<b>fix</b>")
    page = error_page([d], "checked 1 file")
    assert b"<img" not in page and b"<b>" not in page
    assert b"content/x&lt;y&gt;.yaml:3:7" in page and b"&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_build_output_has_no_reload_script(tiny_site: Path) -> None:
    for path in tiny_site.rglob("*"):
        if path.is_file():
            assert b"livereload" not in path.read_bytes(), path


def test_serve_imports_neither_tornado_nor_livereload() -> None:
    code = "import sys, connect_site.cli, connect_site.commands.serve; print(sorted(m for m in sys.modules if m.split('.')[0] in ('tornado', 'livereload')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
    source = (ROOT / "src/connect_site/commands/serve.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|from)\s+(tornado|livereload)", source, re.MULTILINE)


def test_watches_the_content_the_theme_and_the_translations() -> None:
    from connect_site.commands.watch import ignored, watched  # noqa: PLC0415
    from connect_site.site.i18n import LOCALE_DIR  # noqa: PLC0415
    from connect_site.site.theme import THEME  # noqa: PLC0415

    roots = watched(Path("content"))
    assert roots == [Path("content"), THEME / "templates", THEME / "assets", LOCALE_DIR]
    assert (LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po").is_file()
    assert (THEME / "templates" / "base.html").is_file()
    for name in (".kenya.md.swp", "kenya.md~", ".#kenya.md", "#kenya.md#", "_site", ".git"):
        assert ignored(name), name
    assert not ignored("kenya-plan.md") and not ignored("site.yaml")


def test_a_page_that_fails_to_render_shows_an_error_page_that_reloads_itself(tmp_path: Path) -> None:
    from connect_site.commands.serve import Built, Preview  # noqa: PLC0415

    class Broken:
        def get(self, key: str) -> bytes | None:
            if key == "countries/ken/index.html":
                raise RuntimeError("a template failed")
            return b"<!doctype html><title>x</title><p>fine</p>" if key.endswith(".html") else None

        def keys(self) -> list[str]:
            return ["index.html", "countries/ken/index.html"]

    preview = Preview(tmp_path, "https://example.org/", ["127.0.0.1:8000"], render=lambda c, b: Built([], "", Broken()))
    preview.rebuild(first=True)
    ok = preview.respond("/", "127.0.0.1:8000")
    assert ok.status == 200 and b"fine" in ok.body
    bad = preview.respond("/countries/ken/", "127.0.0.1:8000")
    assert bad.status == 500
    assert b"countries/ken/index.html: RuntimeError: a template failed" in bad.body
    assert b"livereload.js" in bad.body  # it reloads by itself once the template is fixed
