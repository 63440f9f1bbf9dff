"""Quality gates run against a built site: a local server, real headless Chromium, axe-core,
the Nu HTML Checker, a link checker and an XSS detector.

A plain helper module (not a test file): the tests call these functions. Nothing here
touches the network: pages are served from 127.0.0.1, Chromium resolves no other host,
and external links are only checked for form. A missing tool is an error, never a skip:
`make test` installs the npm tools (`npm ci`) and `.ci/run` the system packages.
"""

from __future__ import annotations

import http.server
import os
import posixpath
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Optional
from urllib.parse import unquote, urljoin, urlsplit

from playwright.sync_api import Browser, Dialog, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path(os.environ.get("CONNECT_SITE_CHROMIUM", "/usr/bin/chromium"))

# Playwright itself adds --headless and a fresh temporary --user-data-dir for each launch
# (it refuses --user-data-dir in `args`). The resolver rule makes every host but the local
# server unreachable, so no test can reach the network even by accident.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
INSTALL_HINT = "run `make node_modules/.installed` (or `npm ci --ignore-scripts`) in the repository root"
PAGE_TIMEOUT_MS = 15_000


class GateError(RuntimeError):
    """A gate could not run (a missing tool, a page that would not load): never a pass."""


# --- serving ----------------------------------------------------------------------------


def _normal_base(base_path: str) -> str:
    base = "/" + base_path.strip("/")
    return base if base == "/" else base + "/"


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under `base_path`; the site's 404.html for missing files."""

    base_path = "/"
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
        ".json": "application/json",
        ".csv": "text/csv; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _inside(self) -> bool:
        path = urlsplit(self.path).path
        return path.startswith(self.base_path) or path + "/" == self.base_path

    def translate_path(self, path: str) -> str:
        parts = urlsplit(path)
        rest = parts.path[len(self.base_path) :] if parts.path.startswith(self.base_path) else ""
        return super().translate_path("/" + rest)

    def send_head(self) -> Any:
        if not self._inside():
            self.send_error(404, "outside the site's base path", site_page=False)
            return None
        return super().send_head()

    def send_error(
        self, code: int, message: Optional[str] = None, explain: Optional[str] = None, site_page: bool = True
    ) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not site_page or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(root: Path, base_path: str = "/") -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (a free port) under `base_path`; yields the base URL.

    `serve(site, "/connect2030/")` yields `http://127.0.0.1:PORT/connect2030/`; anything
    outside the base path is a bare 404, a missing file inside it gets the site's 404.html.
    """
    if not root.is_dir():
        raise GateError(f"cannot serve {root}: not a folder")
    base = _normal_base(base_path)
    handler = type("SiteHandler", (_SiteHandler,), {"base_path": base})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="gates-serve", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the browser ------------------------------------------------------------------------


@contextmanager
def browser() -> Iterator[Browser]:
    """Real headless Chromium (the Debian package), driven by Playwright. Start it once per session."""
    if not CHROMIUM.exists():
        raise GateError(f"Chromium is missing at {CHROMIUM}: `apt-get install chromium` (.ci/run does it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _goto(page: Page, url: str) -> str:
    """Load `url` and wait for its load event; returns the final URL (after redirects)."""
    response = page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
    if response is None or response.status >= 400:
        status = "no response" if response is None else f"HTTP {response.status}"
        raise GateError(f"{url}: {status}")
    return response.url


BASE_PATH = "/connect2030/"  # the real site is served under a sub-path, as on a project's GitHub Pages


def open_page(browser: Browser, url: str, *, blocked: Optional[str] = None) -> Page:
    """`url` in a browser context of its own; requests matching `blocked` (a glob: one of the site's
    scripts) fail, as for a reader whose browser runs no JavaScript. Close it with `page.context.close()`."""
    context = browser.new_context()
    if blocked:
        context.route(blocked, lambda route: route.abort())
    page = context.new_page()
    _goto(page, url)
    return page


# --- accessibility ----------------------------------------------------------------------

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }));
}"""


def axe_violations(
    browser: Browser, urls: list[str], *, before: Optional[str] = None, blocked: Optional[str] = None
) -> dict[str, list[dict[str, Any]]]:
    """url -> axe-core violations for WCAG 2.1 A and AA (empty list: none). Every URL must load.

    `before` is a function run on each page before axe (to sort a table, say); requests that match
    the glob `blocked` fail, as for a reader whose browser does not run the site's scripts.
    Each violation is {id, impact, help, helpUrl, nodes: [{target, html, summary}]}.
    """
    if not AXE_JS.is_file():
        raise GateError(f"axe-core is missing ({AXE_JS}): {INSTALL_HINT}")
    results: dict[str, list[dict[str, Any]]] = {}
    # axe is an init script (a third faster than injecting it after load), and CSP is
    # bypassed: the site may forbid scripts, axe must still run.
    context = browser.new_context(bypass_csp=True, service_workers="block")
    context.add_init_script(path=AXE_JS)
    if blocked:
        context.route(blocked, lambda route: route.abort())
    try:
        page = context.new_page()
        for url in urls:
            _goto(page, url)
            if before:
                page.evaluate(before)
            results[url] = page.evaluate(_AXE_RUN, WCAG_TAGS)
    finally:
        context.close()
    return results


def sample_urls(urls: list[str], base: str, per_group: int = 2) -> list[str]:
    """Up to `per_group` URLs of each shape, in their order: a sample for slow gates (axe).

    The shape of a page below `base` is its path with the last segment as `*` when it is
    two or more segments deep (`countries/ken/` and `countries/nor/` are `countries/*/`);
    pages one segment deep (`countries/`, `404.html`) are each their own shape. axe costs
    0.1 to 1 s a page on two cores (country pages with charts are the slow ones). Pages
    of another template that share a shape (`initiatives/by-kind/` and `initiatives/x/`)
    are best added to the sample by name.
    """
    seen: dict[str, int] = {}
    out: list[str] = []
    for url in urls:
        rel = url[len(base) :] if url.startswith(base) else url
        parts = rel.rstrip("/").split("/")
        shape = rel if len(parts) < 2 else "/".join(parts[:-1]) + "/*" + ("/" if rel.endswith("/") else "")
        if seen.get(shape, 0) < per_group:
            seen[shape] = seen.get(shape, 0) + 1
            out.append(url)
    return out


def format_violations(results: dict[str, list[dict[str, Any]]]) -> str:
    """A readable report of `axe_violations` output, for assertion messages."""
    out: list[str] = []
    for url, violations in results.items():
        for v in violations:
            out.append(f"{url}: {v['id']} ({v['impact']}): {v['help']}")
            out.extend(f"    {', '.join(map(str, n['target']))}: {n['html'][:200]}" for n in v["nodes"][:5])
    return "\n".join(out)


# --- the Nu HTML Checker ----------------------------------------------------------------


def vnu_errors(
    root: Path, *, also_check_css: bool = False, also_check_svg: bool = False, pages: Optional[list[Path]] = None
) -> list[str]:
    """Errors from the Nu HTML Checker over every .html file under `root` (or only `pages`, files
    under it), in one JVM run.

    Lines are in its "gnu" format with paths relative to `root`:
    `"goals/1/index.html":12.3-12.40: error: ...`. Raises GateError if java or vnu.jar is
    missing, if there is no HTML to check, or if the checker itself fails.
    """
    java = shutil.which("java")
    if java is None:
        raise GateError("java is missing: `apt-get install default-jre-headless` (.ci/run does it)")
    if not VNU_JAR.is_file():
        raise GateError(f"the Nu HTML Checker is missing ({VNU_JAR}): {INSTALL_HINT}")
    if not (pages if pages is not None else any(root.rglob("*.html"))):
        raise GateError(f"no .html files under {root}: nothing to validate")
    cmd = [java, "-Xss2m", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "gnu", "--stdout"]
    cmd += ["--also-check-css"] * also_check_css + ["--also-check-svg"] * also_check_svg
    targets = [str(p.resolve()) for p in pages] if pages is not None else [str(root)]
    proc = subprocess.run([*cmd, *targets], capture_output=True, text=True, timeout=600, check=False)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not lines):
        raise GateError(f"the Nu HTML Checker failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}")
    prefix = re.compile(r'^"file:' + re.escape(root.resolve().as_posix().rstrip("/")) + "/")
    return [prefix.sub('"', line) for line in lines]


# --- links ------------------------------------------------------------------------------

_LINK_ATTRS = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
}
_EXTERNAL_SCHEMES = {"http", "https"}
_OTHER_SCHEMES = {"mailto", "tel"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]*)\3""")
_C0_SPACE = "".join(map(chr, range(0x21)))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_BAD_URL_CHARS = re.compile(r"[\x00-\x20\x7f<>\"\\^`{|}]")


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        names = _LINK_ATTRS.get(tag, ())
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in names:
                self.refs.append((tag, name, value))

    handle_startendtag = handle_starttag


def _srcset_urls(value: str) -> list[str]:
    return [item.split()[0] for item in value.split(",") if item.strip()]


def _external_problem(url: str) -> Optional[str]:
    if _BAD_URL_CHARS.search(url):
        return "malformed URL: spaces or characters that must be escaped"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port
    except ValueError as exc:
        return f"malformed URL: {exc}"
    if not host or "." not in host and host != "localhost":
        return "malformed URL: no host name"
    return None


def _parse_file(path: str) -> tuple[set[str], list[tuple[str, str, str]]]:
    parser = _PageParser()
    with open(path, encoding="utf-8", errors="replace") as fh:
        parser.feed(fh.read())
    parser.close()
    return parser.ids, parser.refs


def _parse_all(paths: list[str]) -> list[tuple[set[str], list[tuple[str, str, str]]]]:
    """Every page's ids and links, parsed in two forked processes when there are many pages."""
    if len(paths) < 200:
        return [_parse_file(p) for p in paths]
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(2) as pool:
        return pool.map(_parse_file, paths, chunksize=64)


def broken_links(
    root: Path, base_path: str = "/", site_url: Optional[str] = None, pages: Optional[list[Path]] = None
) -> list[str]:
    """Every broken link in the site under `root`, as `file: href (reason)`; empty means none.

    Checked: href/src/srcset of a, area, link, img, source, script, use/image (SVG), iframe,
    embed, object, video, audio, track in every .html file (or only in `pages`, with the CSS
    files left out), and url()/@import in .css files. Internal links (relative, absolute paths
    under `base_path`, or absolute URLs under `site_url` when given) must name an existing file
    (a path ending in `/` means its index.html; a folder without the `/` is reported) inside
    the site, and a `#fragment` must be an id (or <a name>) in the target page or SVG. External
    http(s) links are not fetched, only checked for form; other schemes than mailto: and tel:
    are reported. The site has no symbolic links (the build refuses them), so paths are
    resolved as text against the list of the site's files.
    """
    base = _normal_base(base_path)
    site = urlsplit(site_url) if site_url else None
    if site is not None and base_path == "/":
        base = _normal_base(site.path or "/")
    root = root.resolve()
    files: set[str] = set()
    folders: set[str] = {"."}
    for folder, subfolders, names in os.walk(root):
        rel_folder = Path(folder).relative_to(root).as_posix()
        prefix = "" if rel_folder == "." else rel_folder + "/"
        folders.update(prefix + d for d in subfolders)
        files.update(prefix + n for n in names)
    sources = sorted(root.rglob("*.html")) if pages is None else sorted(p.resolve() for p in pages)
    source_rels = [p.relative_to(root).as_posix() for p in sources]
    parsed: dict[str, tuple[set[str], list[tuple[str, str, str]]]] = dict(
        zip(source_rels, _parse_all([str(p) for p in sources]), strict=True)
    )

    def ids_of(rel: str) -> set[str]:
        if rel not in parsed:
            parsed[rel] = _parse_file(str(root / rel))
        return parsed[rel][0]

    problems: list[str] = []

    def check(rel: str, ref: str, tag: str) -> Optional[str]:
        page_url = "http://internal.invalid" + base + rel
        # As browsers read a URL: surrounding spaces and controls dropped, tabs and newlines removed.
        value = _TAB_NEWLINE.sub("", ref.strip(_C0_SPACE))
        if not value:
            return "empty link" if tag in ("img", "script", "source", "use") else None
        scheme_match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", value)
        if scheme_match:
            scheme = scheme_match.group(1).lower()
            if site is not None and value.startswith(f"{site.scheme}://{site.netloc}{base}"):
                value = value[len(f"{site.scheme}://{site.netloc}") :]
            elif scheme in _EXTERNAL_SCHEMES:
                return _external_problem(value)
            elif scheme in _OTHER_SCHEMES:
                return None if value[len(scheme) + 1 :].strip() else f"empty {scheme}: link"
            elif scheme == "data" and tag == "link":
                return None  # e.g. <link rel="icon" href="data:,">
            else:
                return f"scheme '{scheme}:' is not allowed"
        elif value.startswith("//"):
            return _external_problem("https:" + value)
        if _BAD_URL_CHARS.search(value.split("#", 1)[0]):
            return "malformed link: spaces or characters that must be escaped"
        target_url = urlsplit(urljoin(page_url, value))
        if target_url.netloc != "internal.invalid":
            return "malformed link"
        path = unquote(target_url.path)
        if not (path + "/").startswith(base):
            return f"outside the site's base path {base}"
        target = posixpath.normpath(path[len(base) :] or ".")
        if target == ".." or target.startswith(("../", "/")):
            return "outside the site"
        if path.endswith("/") or path + "/" == base:
            target = "index.html" if target == "." else target + "/index.html"
        elif target in folders:
            return "a folder: end the link with '/'"
        if target not in files:
            return f"no such file: {target}"
        fragment = unquote(target_url.fragment)
        if fragment and fragment != "top" and target.endswith((".html", ".svg")) and fragment not in ids_of(target):
            return f"no id '{fragment}' in {target}"
        return None

    for rel in source_rels:
        for tag, attr, value in parsed[rel][1]:
            urls = _srcset_urls(value) if attr == "srcset" else [value]
            for url in urls:
                reason = check(rel, url, tag)
                if reason:
                    problems.append(f"{rel}: {url} ({reason})")
    for sheet in sorted(root.rglob("*.css")) if pages is None else []:
        rel = sheet.relative_to(root).as_posix()
        for m in _CSS_URL.finditer(sheet.read_text(encoding="utf-8", errors="replace")):
            url = m.group(2) if m.group(2) is not None else m.group(4)
            if url.startswith(("#", "data:")):
                continue
            reason = check(rel, url, "css")
            if reason:
                problems.append(f"{rel}: {url} ({reason})")
    return problems


# --- phones -----------------------------------------------------------------------------

PHONE_WIDTHS = (320, 390)  # CSS pixels: the narrowest phones in use, and a common one

# How far the page reaches past the screen, and the outermost elements that stick out
# (an element whose parent does not stick out itself), so a failure names what to fix.
_WIDER = r"""() => {
  const root = document.documentElement, width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  const out = [];
  const sticks = r => r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticks(el.getBoundingClientRect()) || (el.parentElement && el.parentElement !== document.body &&
        sticks(el.parentElement.getBoundingClientRect()))) continue;
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
    out.push(`<${el.localName}${el.className ? ' class="' + el.className + '"' : ''}> ` +
             `${Math.round(el.getBoundingClientRect().width)} px: ${text}`);
    if (out.length === 3) break;
  }
  return {scroll: root.scrollWidth, width, out};
}"""


def wider_than_the_screen(browser: Browser, urls: list[str], width: int) -> dict[str, str]:
    """url -> what sticks out, for each page that scrolls sideways on a screen `width` CSS pixels
    wide (as a phone shows it: device scale 2, touch, the mobile viewport meta honoured). A page
    that fits is left out: an empty result means every page fits. One page serves every URL."""
    context = browser.new_context(
        viewport={"width": width, "height": 800}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    found: dict[str, str] = {}
    try:
        page = context.new_page()
        for url in urls:
            _goto(page, url)
            wide = page.evaluate(_WIDER)
            if wide:
                parts = "; ".join(wide["out"]) or "no element found"
                found[url] = f"{wide['scroll']} px wide on a {wide['width']} px screen: {parts}"
    finally:
        context.close()
    return found


# --- XSS --------------------------------------------------------------------------------

PWNED = "__pwned"
_BINDING = "__connectSiteGateReport"

# Installed before any page script in every frame: records the calls an XSS payload makes.
_DETECTOR = """(() => {
  const report = (what, args) => {
    const text = what + '(' + Array.from(args, a => String(a)).join(', ') + ')';
    try { window.__BINDING__(text); } catch (e) {}
    try { (window.top.__gateLog || (window.top.__gateLog = [])).push(text); } catch (e) {}
  };
  Object.defineProperty(window, '__PWNED__', {value: function () { report('__PWNED__', arguments); }});
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
    window[name] = function () { report(name, arguments); return null; };
  }
})();""".replace("__BINDING__", _BINDING).replace("__PWNED__", PWNED)

# The live DOM after load: anything that could run script or load a document.
_INSPECT = r"""() => {
  const out = [];
  const snippet = el => el.outerHTML.slice(0, 160);
  const BAD_TAGS = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form',
                            'base', 'portal', 'fencedframe', 'isindex']);
  const URL_ATTRS = new Set(['href', 'xlink:href', 'src', 'action', 'formaction', 'data', 'poster', 'background',
                             'codebase', 'dynsrc', 'lowsrc', 'ping', 'cite', 'to', 'from', 'by', 'values',
                             'srcset', 'imagesrcset']);
  const squash = v => v.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
  const badScheme = v => /^(javascript|vbscript|data|livescript|mocha):/.test(squash(v)) ||
                         /(^|[,;])(javascript|vbscript):/.test(squash(v));
  const badCss = v => /expression\s*\(|url\s*\(\s*['"]?\s*(javascript|vbscript)|behavior\s*:|-moz-binding|@import/i
                         .test(v.replace(/\\/g, '').replace(/\/\*.*?\*\//gs, ''));
  const all = [document.documentElement, ...document.querySelectorAll('*')];
  for (const el of new Set(all)) {
    const tag = el.localName.toLowerCase();
    if (BAD_TAGS.has(tag)) out.push(`<${tag}> element: ${snippet(el)}`);
    if (tag === 'meta' && (el.getAttribute('http-equiv') || '').toLowerCase() === 'refresh')
      out.push(`<meta http-equiv=refresh>: ${snippet(el)}`);
    if ((tag === 'animate' || tag === 'set' || tag === 'animatetransform' || tag === 'animatemotion') &&
        /href|^on/i.test(el.getAttribute('attributeName') || ''))
      out.push(`SVG <${tag}> of ${el.getAttribute('attributeName')}: ${snippet(el)}`);
    if (tag === 'style' && badCss(el.textContent)) out.push(`dangerous <style>: ${snippet(el)}`);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) out.push(`event handler ${name}: ${snippet(el)}`);
      else if (name === 'srcdoc') out.push(`srcdoc attribute: ${snippet(el)}`);
      else if ((URL_ATTRS.has(name) || name.endsWith(':href')) && badScheme(attr.value) &&
               !(tag === 'link' && /(^|\s)icon(\s|$)/i.test(el.getAttribute('rel') || '') && squash(attr.value).startsWith('data:')))
        out.push(`${name}=${attr.value.slice(0, 80)}: ${snippet(el)}`);
      else if (name === 'style' && badCss(attr.value)) out.push(`dangerous style attribute: ${snippet(el)}`);
    }
    if ((tag === 'a' || tag === 'area') && /^(javascript|vbscript|data):/i.test(el.protocol || '') &&
        !out.some(f => f.endsWith(snippet(el))))
      out.push(`<${tag}> to a ${el.protocol} URL: ${snippet(el)}`);
  }
  return out;
}"""

# One more task after load: handlers queued during parsing (ontoggle, SVG onbegin) run first.
_SETTLE = "() => new Promise(r => setTimeout(r, 0))"


def scripts_that_ran(browser: Browser, urls: list[str]) -> dict[str, list[str]]:
    """url -> XSS findings: script that ran, dialogs, navigations, and dangerous live DOM.

    Before any page script a detector defines `window.__pwned(tag)` and replaces alert,
    confirm, prompt, print and open; every call is a finding (`__pwned(case-name)`), as is
    any dialog, any popup, and a page that navigated away by itself. After load the live
    DOM is inspected for <script>, event-handler attributes, javascript:/vbscript:/data:
    URLs (after removing whitespace and control characters), iframe/frame/object/embed/
    form/base, <meta http-equiv=refresh>, SVG animate/set of href or on*, and CSS
    expression()/url(javascript:)/@import. The site has no script at all, so any of these
    is a finding. CSP is bypassed so that the markup, not the policy, is what is tested.
    An empty list for a URL means it is safe. One context and one page serve every URL.
    """
    results: dict[str, list[str]] = {url: [] for url in urls}
    current: list[str] = []

    def record(text: str) -> None:
        if text not in current:
            current.append(text)

    def on_dialog(dialog: Dialog) -> None:
        record(f"dialog {dialog.type}: {dialog.message[:120]}")
        try:
            dialog.dismiss()
        except PlaywrightError:
            pass

    def on_popup(page: Page) -> None:
        record(f"popup opened: {page.url[:120]}")
        page.close()

    context = browser.new_context(bypass_csp=True, service_workers="block", accept_downloads=False)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    context.expose_binding(_BINDING, lambda source, text: record(str(text)))
    context.add_init_script(_DETECTOR)
    try:
        page: Optional[Page] = None
        for url in urls:
            current = results[url]
            if page is None or page.is_closed():
                page = context.new_page()
                page.on("dialog", on_dialog)
                page.on("popup", on_popup)
            try:
                loaded = _goto(page, url)
                page.evaluate(_SETTLE)
                for text in page.evaluate("() => window.top.__gateLog || []"):
                    record(str(text))
                if page.url.split("#")[0] != loaded.split("#")[0]:
                    record(f"navigated away to {page.url[:120]}")
                for finding in page.evaluate(_INSPECT):
                    record(str(finding))
            except GateError:
                raise
            except PlaywrightError as exc:
                record(f"page failed while checked ({str(exc).splitlines()[0][:160]}): navigation or a hang?")
                page.close()
                page = None
    finally:
        context.close()
    return results


def findings_text(results: dict[str, list[str]]) -> str:
    """A readable report of non-empty `scripts_that_ran` results, for assertion messages."""
    return "\n".join(f"{url}: {f}" for url, found in results.items() for f in found)


__all__ = [
    "AXE_JS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "GateError",
    "PHONE_WIDTHS",
    "PWNED",
    "VNU_JAR",
    "sample_urls",
    "axe_violations",
    "broken_links",
    "browser",
    "findings_text",
    "format_violations",
    "scripts_that_ran",
    "serve",
    "vnu_errors",
    "wider_than_the_screen",
]
