"""The search index: Pagefind run over the built pages, offline, in memory.

`search_index(files)` gives the pages readers should find to the Pagefind binary (PyPI
`pagefind[extended]`, pinned: the binary ships in the wheel and needs no network), running as
a service, and returns the bundle it answers with as ``{"pagefind/...": bytes}``, plus
the search page's script (assets/search.js, as ``pagefind/search-page.js``). Nothing is
written to a disk: the build writes these files with the rest, atomically. Two runs,
on any machine, give the same bytes: pages are given in the order of their paths, and
the one thing Pagefind writes in a random order, the languages in pagefind-entry.json,
is sorted here. Large sites are indexed in shards (see `search_index`).

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

import base64
import importlib
import json
import os
import re
import select
import subprocess
import tempfile
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Optional

from connect_site.errors import EnvironmentProblem
from connect_site.site import routes
from connect_site.site.store import Store, digest
from connect_site.site.theme import THEME

BUNDLE = "pagefind/"
ENTRY = "pagefind-entry.json"  # the languages and their index files
SCRIPT = BUNDLE + "search-page.js"  # the search page's own script (assets/search.js)
SHARDS = BUNDLE + "shards.json"  # each language's bundles, the first imported, the others merged
SHARD_PAGES = 1500  # indexed pages per Pagefind run, at most: about 450 MB of memory (see search_index)
PAGEFIND_VERSION = "1.5.2"
INSTALL_HINT = f"install the search indexer: pip install 'pagefind[extended]=={PAGEFIND_VERSION}' (or pip install -e .)"
TIMEOUT_S = 600

ROOT_SELECTOR = "main"
EXCLUDE_SELECTORS = (
    "svg",  # charts and maps: their words are in the tables and headings around them
    "table.data",  # figures by year or by country
    "nav",  # in-page navigation: indicator contents, listing facets
    ".sources",  # source citations, repeated on many pages
    ".cm-disclaimer",  # the UN map disclaimer under every map
    '[aria-labelledby="focus-h"]',  # the focus targets, repeated on every country page
    '[aria-labelledby="stats-h"] > p',  # "11 of 25 indicators have data", "no values yet for: ..."
    '[aria-labelledby="stats-h"] > h3',  # "No data yet"
    "#contribute",  # "how to contribute", the same on every country page
    '[aria-labelledby="find-h"]',  # the home page's list of every country (the country picker's)
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
_HTML_LANG = re.compile(rb'<html[^>]*?\slang="([A-Za-z0-9-]{1,35})"')
# A language folder at the top of the site: "fr/search/" is the French search page.
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]+)?/")


def search_index(
    files: dict[str, bytes], *, cache: Optional[Store] = None, jobs: int = 1, shard_pages: Optional[int] = None
) -> dict[str, bytes]:
    """The search bundle for the built `files` (output path -> bytes): {"pagefind/...": bytes}.

    Empty when no page is to be indexed. Raises EnvironmentProblem when Pagefind is
    missing or fails.

    Pagefind holds a whole index in memory (about 0.3 MB a page) and indexes a page in
    about 2 ms, so the pages are indexed in shards, each a Pagefind bundle of its own,
    made side by side (`jobs` at a time): one language per shard (a reader's search
    loads only the shards of the page's language), and a language of more than
    `shard_pages` (default SHARD_PAGES) indexed pages in several. The search page
    imports its language's first shard and merges the others (`pagefind.mergeIndex`);
    `pagefind/shards.json` lists them by language. A page's shard depends on its path
    alone, so an edit changes one shard; with a `cache`, the others are taken from it. A
    shard's key hashes the pages as built: what Pagefind is given (`_prepared`) follows
    from them and from this module's source.
    """
    by_lang: dict[str, list[str]] = {}
    root: Optional[str] = None  # the default language: its pages have no language folder
    for path in sorted(files):
        if indexed(path):
            lang = _html_lang(files[path])
            by_lang.setdefault(lang, []).append(path)
            if root is None and not _LANGUAGE.match(path):
                root = lang
    if not by_lang:
        return {}
    script = _script()
    executable = pagefind_binary()
    # The default language comes first, in pagefind/ itself: a client that imports
    # pagefind/pagefind.js without reading shards.json gets it.
    groups: list[tuple[str, list[str]]] = []
    for lang, paths in sorted(by_lang.items(), key=lambda kv: (kv[0] != root, kv[0])):
        count = max(1, -(-len(paths) // max(1, shard_pages or SHARD_PAGES)))
        shares: list[list[str]] = [[] for _ in range(count)]
        for path in paths:
            shares[zlib.crc32(path.encode("utf-8")) % count].append(path)
        groups += [(lang, share) for share in shares if share]
    config = json.dumps(pagefind_config(), indent=2, sort_keys=True)
    salt = digest(PAGEFIND_VERSION, config, Path(__file__).read_bytes())
    keys = [digest(salt, *(part for path in g for part in (path, files[path]))) for _lang, g in groups]
    found = {key: hit for key in keys if cache is not None and (hit := cache.search_shard(key)) is not None}
    todo = [i for i, key in enumerate(keys) if key not in found]

    def run(i: int) -> dict[str, bytes]:
        return _pagefind(executable, {path: _prepared(files[path]) for path in groups[i][1]}, config)

    with ThreadPoolExecutor(max(1, min(jobs, len(todo) or 1))) as pool:  # Pagefind processes, side by side
        made = dict(zip(todo, pool.map(run, todo), strict=True))
    bundles = [found[key] if key in found else made[i] for i, key in enumerate(keys)]
    if cache is not None:
        cache.keep_search(dict(zip(keys, bundles, strict=True)))
    out: dict[str, bytes] = {}
    shards: dict[str, list[str]] = {}
    for i, bundle in enumerate(bundles):
        folder = f"shard-{i}/" if i else ""
        out.update({BUNDLE + folder + rel: data for rel, data in bundle.items()})
        shards.setdefault(groups[i][0], []).append(folder)
    out[SHARDS] = json.dumps(shards, sort_keys=True).encode("utf-8")
    out[SCRIPT] = script
    return dict(sorted(out.items()))


def _html_lang(page: bytes) -> str:
    """The page's <html lang> (Pagefind's own split), "" when it has none."""
    found = _HTML_LANG.search(page, 0, 2048)
    return found.group(1).decode("ascii", errors="replace").lower() if found else ""


def _prepared(page: bytes) -> bytes:
    """The page as Pagefind reads it: no inline SVG, and a space before each cell's end."""
    return _CELL_END.sub(rb" \g<0>", _SVG.sub(b"", page))


def _pagefind(executable: Path, pages: dict[str, bytes], config: str) -> dict[str, bytes]:
    """One Pagefind bundle ({path inside the bundle: bytes}) for these pages.

    Pagefind runs as a service (`pagefind --service`: base64 JSON messages, each ended by
    a comma, on its stdin and stdout), given the pages one by one in the order of their
    paths, and returns the bundle in its answer: nothing touches a disk. The order is
    what makes the bundle the same on every machine: Pagefind numbers pages in the order
    it meets them, and its command line meets files in the order the file system lists
    them (on ext4, an order of name hashes seeded per file system).
    """
    with tempfile.TemporaryDirectory(prefix="connect-site-search-") as cwd:  # no pagefind.yml of anyone else's
        with _Service(executable, Path(cwd)) as service:
            index = service.send({"type": "NewIndex", "config": json.loads(config)})["index_id"]
            for path in sorted(pages):
                add = {"type": "AddFile", "index_id": index, "file_path": path, "url": None}
                service.send({**add, "file_contents": pages[path].decode("utf-8", errors="replace")})
            files = service.send({"type": "GetFiles", "index_id": index})["files"]
    bundle = {f["path"]: base64.b64decode(f["content"]) for f in sorted(files, key=lambda f: str(f["path"]))}
    bundle = {path: data for path, data in bundle.items() if not _UNUSED.fullmatch(path.rsplit("/", 1)[-1])}
    if ENTRY not in bundle:
        raise _failed(f"its answer has no {ENTRY}")
    bundle[ENTRY] = _sorted_json(bundle[ENTRY])
    return bundle


class _Service:
    """`pagefind --service`, one request at a time, with a deadline for the whole conversation."""

    def __init__(self, executable: Path, cwd: Path) -> None:
        # Only our settings count: PAGEFIND_* variables would override them.
        env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}
        self.log = cwd / "pagefind.log"  # its messages, for an error report (a pipe could fill up and block it)
        try:
            with self.log.open("wb") as log:
                self.proc = subprocess.Popen(
                    [str(executable), "--service"],
                    cwd=cwd,
                    env=env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                )
        except OSError as exc:
            raise EnvironmentProblem(
                f"cannot run the search indexer {executable}: {exc.strerror}", INSTALL_HINT
            ) from None
        self.deadline = time.monotonic() + TIMEOUT_S
        self.messages = 0
        self.pending = b""

    def __enter__(self) -> _Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:  # what was still buffered for a process that has ended
                    pass

    def send(self, payload: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.messages += 1
        message = json.dumps({"message_id": self.messages, "payload": payload}).encode("utf-8")
        try:
            self.proc.stdin.write(base64.b64encode(message) + b",")
            self.proc.stdin.flush()
        except OSError:
            raise _failed(self._stopped()) from None
        answer: dict[str, Any] = json.loads(base64.b64decode(self._read()))
        body = answer.get("payload") or {}
        if answer.get("message_id") != self.messages or body.get("type") == "Error":
            raise _failed(str(body.get("message") or answer)[:2000])
        return dict(body)

    def _read(self) -> bytes:
        """The next answer, without its comma."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"," not in self.pending:
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise EnvironmentProblem(f"the search indexer Pagefind took longer than {TIMEOUT_S} s", INSTALL_HINT)
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise _failed(self._stopped())
            self.pending += chunk
        answer, _, self.pending = self.pending.partition(b",")
        return answer

    def _stopped(self) -> str:
        """Why Pagefind stopped answering: it closed its end, so it has ended or is ending."""
        try:
            status = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = self.proc.wait()
        output = self.log.read_bytes().decode("utf-8", errors="replace").strip() if self.log.is_file() else ""
        tail = "\n".join(output.splitlines()[-20:]) or "no output"
        return f"exit status {status}:\n{tail}"


def _failed(detail: str) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"the search indexer Pagefind failed ({detail})",
        "this is a bug in connect-site or Pagefind, not in your content: please report it with the output above",
    )


def indexed(path: str) -> bool:
    """Whether the output file `path` goes into the search index."""
    if not path.endswith(".html"):
        return False
    rest = path[len(m.group(0)) :] if (m := _LANGUAGE.match(path)) else path
    if rest in ("404.html", routes.file_for(routes.search())):
        return False
    if rest.startswith(routes.targets()) and rest.endswith("/gaps/index.html"):  # routes.gaps(): lists of countries
        return False
    return not any(part in routes.RESERVED for part in path.split("/"))  # facets, further pages


def pagefind_config() -> dict[str, object]:
    """Pagefind's configuration (its pagefind.json): what part of each page is indexed."""
    return {
        "site": "site",
        "output_path": "bundle",
        "root_selector": ROOT_SELECTOR,
        "exclude_selectors": list(EXCLUDE_SELECTORS),
    }


def pagefind_binary() -> Path:
    """The Pagefind executable that the `pagefind_bin_extended` package ships.

    The extended build segments Chinese and Japanese text into words, so a
    reader who searches 网络安全 finds it inside a sentence.
    """
    try:
        package = importlib.import_module("pagefind_bin_extended")
        found = Path(package.get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise EnvironmentProblem(f"the search indexer Pagefind is not installed ({exc})", INSTALL_HINT) from None
    if not os.access(found, os.X_OK):
        raise EnvironmentProblem(f"the search indexer {found} cannot be run (not executable)", INSTALL_HINT)
    return found


def _script() -> bytes:
    path = THEME / "assets" / "search.js"
    try:
        return path.read_bytes()
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot read the search page's script {path}: {exc.strerror}",
            "reinstall connect-site: its assets/ folder is incomplete",
        ) from None


def _sorted_json(data: bytes) -> bytes:
    """pagefind-entry.json with its keys sorted: Pagefind lists the languages in a random
    order (a Rust hash map), the only part of its output that differs between two runs."""
    return json.dumps(json.loads(data), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
