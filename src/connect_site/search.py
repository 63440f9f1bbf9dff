"""The search index: Pagefind run over the built pages, offline, into memory.

`search_index(files)` writes the pages readers should find into a private temporary
folder, runs the Pagefind binary there (PyPI `pagefind[bin]`, pinned: the binary ships
in the wheel and needs no network), and returns what it wrote as ``{"pagefind/...":
bytes}``, plus the search page's script (assets/search.js, as
``pagefind/search-page.js``). Nothing is written into the output folder: the build
writes these files with the rest, atomically. The temporary folder is always removed.
Two runs give the same bytes: the one thing Pagefind writes in a random order, the
languages in pagefind-entry.json, is sorted here.

What is indexed (the rest of a page stays out, so results point at what the page is
about):

- every HTML page except the 404 page, the search page itself, and the pages that only
  list other things: the listing facets (``initiatives/by-country/ken/`` and the like
  repeat the entries' own pages) and the gaps of a target (``targets/3.5/gaps/``, a list of
  country names that would match every search for a country);
- only the page's ``<main>``: not the header, navigation, breadcrumbs or footer;
- not the charts and maps (SVG), the tables of figures (``table.data``), navigation
  inside the page (indicator contents, facet lists), source lists, and the text that
  every country page repeats (the focus-target table, "no values yet for ...", "how to
  contribute").

Pagefind splits the index by ``<html lang>``: one index per language, and the search
page loads the one of its own language. Target ids such as "3.5" need no setting:
Pagefind keeps the number whole, and the target's page, which has it in its heading,
comes first.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

from . import routes
from .errors import ConnectSiteError
from .theme import THEME

BUNDLE = "pagefind/"
ENTRY = "pagefind-entry.json"  # the languages and their index files
SCRIPT = BUNDLE + "search-page.js"  # the search page's own script (assets/search.js)
PAGEFIND_VERSION = "1.5.2"
INSTALL_HINT = f"install the search indexer: pip install 'pagefind[bin]=={PAGEFIND_VERSION}' (or pip install -e .)"
TIMEOUT_S = 600

ROOT_SELECTOR = "main"
EXCLUDE_SELECTORS = (
    "svg",  # charts and maps: their words are in the tables and headings around them
    "table.data",  # figures by year or by country
    "nav",  # in-page navigation: indicator contents, listing facets
    ".sources",  # source citations, repeated on many pages
    '[aria-labelledby="focus-h"]',  # the focus targets, repeated on every country page
    '[aria-labelledby="stats-h"] > p',  # "11 of 25 indicators have data", "no values yet for: ..."
    '[aria-labelledby="stats-h"] > h3',  # "No data yet"
    "#contribute",  # "how to contribute", the same on every country page
)

# Pagefind writes its own search interfaces too; the search page uses its JS API instead.
_UNUSED = re.compile(r"pagefind-(component-ui|modular-ui|ui)\.(css|js)|pagefind-highlight\.js")
# Inline SVG (charts, maps) is half of the bytes of the pages and none of the index: it is
# cut from the copies Pagefind reads (a third less indexing time). The pages are ours:
# an SVG never holds another, and a "<svg" in text or an attribute is escaped.
_SVG = re.compile(rb"<svg\b.*?</svg>", re.DOTALL)
# Pagefind joins the text of adjacent <dt>, <dd>, <th> and <td> ("RegionAfrica"): a space
# before their end keeps the words apart, in the index and in the excerpts.
_CELL_END = re.compile(rb"</(dt|dd|th|td)>")
# A language folder at the top of the site: "fr/search/" is the French search page.
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]+)?/")


def search_index(files: dict[str, bytes]) -> dict[str, bytes]:
    """The search bundle for the built `files` (output path -> bytes): {"pagefind/...": bytes}.

    Empty when no page is to be indexed. Raises ConnectSiteError when Pagefind is
    missing or fails.
    """
    pages = {path: data for path, data in files.items() if indexed(path)}
    if not pages:
        return {}
    script = _script()
    executable = pagefind_binary()
    with tempfile.TemporaryDirectory(prefix="connect-site-search-") as tmp:
        work = Path(tmp)
        site = work / "site"
        for path, data in pages.items():
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_CELL_END.sub(rb" \g<0>", _SVG.sub(b"", data)))
        (work / "pagefind.json").write_text(json.dumps(pagefind_config(), indent=2, sort_keys=True), encoding="utf-8")
        _run(executable, work)
        bundle = _read_bundle(work / "bundle")
    bundle[SCRIPT] = script
    return dict(sorted(bundle.items()))


def indexed(path: str) -> bool:
    """Whether the output file `path` goes into the search index."""
    if not path.endswith(".html"):
        return False
    rest = path[len(m.group(0)) :] if (m := _LANGUAGE.match(path)) else path
    if rest in ("404.html", routes.file_for(routes.search())):
        return False
    if rest.startswith(routes.targets()) and rest.endswith("/gaps/index.html"):  # routes.gaps(): lists of countries
        return False
    return not any(part in routes.FACETS for part in path.split("/"))


def pagefind_config() -> dict[str, object]:
    """Pagefind's configuration (its pagefind.json): what part of each page is indexed."""
    return {
        "site": "site",
        "output_path": "bundle",
        "root_selector": ROOT_SELECTOR,
        "exclude_selectors": list(EXCLUDE_SELECTORS),
    }


def pagefind_binary() -> Path:
    """The Pagefind executable that the `pagefind_bin` package ships."""
    try:
        package = importlib.import_module("pagefind_bin")
        found = Path(package.get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise ConnectSiteError(f"the search indexer Pagefind is not installed ({exc})", INSTALL_HINT) from None
    if not os.access(found, os.X_OK):
        raise ConnectSiteError(f"the search indexer {found} cannot be run (not executable)", INSTALL_HINT)
    return found


def _script() -> bytes:
    path = THEME / "assets" / "search.js"
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConnectSiteError(
            f"cannot read the search page's script {path}: {exc.strerror}",
            "reinstall connect-site: its assets/ folder is incomplete",
        ) from None


def _run(executable: Path, work: Path) -> None:
    """Run Pagefind in `work` (it reads pagefind.json there), quietly; raise on failure."""
    # Only our settings count: PAGEFIND_* variables would override pagefind.json.
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}
    try:
        proc = subprocess.run(
            [str(executable), "--silent"],
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ConnectSiteError(f"the search indexer Pagefind took longer than {TIMEOUT_S} s", INSTALL_HINT) from None
    except OSError as exc:
        raise ConnectSiteError(f"cannot run the search indexer {executable}: {exc.strerror}", INSTALL_HINT) from None
    if proc.returncode != 0 or not (work / "bundle" / ENTRY).is_file():
        output = (proc.stdout + proc.stderr).decode("utf-8", errors="replace").strip()
        tail = "\n".join(output.splitlines()[-20:]) or "no output"
        raise ConnectSiteError(
            f"the search indexer Pagefind failed (exit status {proc.returncode}):\n{tail}",
            "this is a bug in connect-site or Pagefind, not in your content: please report it with the output above",
        )


def _read_bundle(out: Path) -> dict[str, bytes]:
    bundle = {
        BUNDLE + path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not _UNUSED.fullmatch(path.name)
    }
    entry = BUNDLE + ENTRY
    bundle[entry] = _sorted_json(bundle[entry])
    return bundle


def _sorted_json(data: bytes) -> bytes:
    """pagefind-entry.json with its keys sorted: Pagefind lists the languages in a random
    order (a Rust hash map), the only part of its output that differs between two runs."""
    return json.dumps(json.loads(data), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
