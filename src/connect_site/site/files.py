"""The build: check, render every file into memory, then write the site atomically.

`render_site` is a pure function from a checked `Site` to `{path: bytes}`; only
`build` touches the output folder, through `write.write_site`.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import time
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any, Optional
from xml.sax.saxutils import escape, quoteattr

from connect_site.content.graph import Site
from connect_site.output.cache import Cache
from connect_site.output.write import WriteStats, write_site
from connect_site.pipeline import CheckResult, check, source_date_epoch
from connect_site.site import i18n, routes
from connect_site.site import markdown as markup
from connect_site.site.exports import CSV_COLUMNS, Download, downloads
from connect_site.site.render import Page, PageSpec, Renderer
from connect_site.site.search import BUNDLE as SEARCH_BUNDLE
from connect_site.site.search import search_index
from connect_site.site.theme import Theme, load_theme

FEED_SIZE = 20
PAGE_BUDGET = 100 * 1024  # bytes of HTML plus its CSS, uncompressed: readers on slow mobile connections


@dataclass
class BuildResult:
    check: CheckResult
    pages: int = 0
    files: int = 0
    written: Optional[WriteStats] = None
    oversized: list[tuple[str, int]] = field(default_factory=list)  # (page, bytes with its CSS) over PAGE_BUDGET
    untranslated: list[tuple[str, str]] = field(default_factory=list)  # (language, UI message) shown in English
    cache_problem: str = ""  # why the build cache was not used, when it was asked for

    @property
    def ok(self) -> bool:
        return self.check.ok and self.written is not None


def build(
    content_dir: Path,
    out_dir: Path,
    *,
    base_url: Optional[str] = None,
    strict: bool = False,
    display_root: Optional[str] = None,
    theme: Optional[Theme] = None,
    jobs: int = 0,
    cache_dir: Optional[Path] = None,
) -> BuildResult:
    """Check the content; when it has no errors, render and write the whole site.

    With `cache_dir`, rendered Markdown and search shards are kept there between builds
    (cache.py); the output is byte for byte the same with or without it.
    """
    result = check(content_dir, display_root=display_root, strict=strict)
    if not result.ok or result.site is None:
        return BuildResult(result)
    before = i18n.misses()
    cache = Cache(cache_dir)
    try:
        markup.begin()
        known = cache.markdown()
        markup.preload(known)
        files, pages = render_site(result.site, base_url=base_url, theme=theme, jobs=jobs, cache=cache)
        used = markup.used()
        cache.keep_markdown(used, markup.rows(used - known.keys()))
        written = write_site(out_dir, files, content_dir=content_dir)
    finally:
        cache.close()
    untranslated = sorted(i18n.misses() - before)
    return BuildResult(result, pages, len(files), written, oversized(files), untranslated, cache.problem)


def oversized(files: dict[str, bytes]) -> list[tuple[str, int]]:
    """HTML pages that, with the stylesheet, weigh more than the page budget."""
    css = sum(len(data) for path, data in files.items() if path.startswith("assets/") and path.endswith(".css"))
    sizes = ((path, len(data) + css) for path, data in files.items() if path.endswith(".html"))
    return sorted(((path, n) for path, n in sizes if n > PAGE_BUDGET), key=lambda p: (-p[1], p[0]))


def render_site(
    site: Site,
    *,
    base_url: Optional[str] = None,
    theme: Optional[Theme] = None,
    jobs: int = 0,
    cache: Optional[Cache] = None,
) -> tuple[dict[str, bytes], int]:
    """Every file of the site, and how many of them are HTML pages.

    `jobs` is the number of processes that build and render pages (0: one per core, at
    most 2, and only for sites large enough to gain from it). The output is the same
    whatever the number.
    """
    theme = theme or load_theme()
    base = base_url or site.config.base_url
    base = base if base.endswith("/") else base + "/"
    renderers = renderers_for(site, theme, base)
    main = renderers[site.config.default_language]
    files = theme_files(theme)
    specs = [(lang, spec) for spec in main.specs() for lang in renderers]  # an entry's languages side by side
    later = [s for s in specs if s[1][0] == "downloads"]
    with _Pages(renderers, [s for s in specs if s[1][0] != "downloads"], _jobs(jobs, len(specs))) as pages:
        data = downloads(site)  # meanwhile, the workers render the pages
        extra = downloads_page_data(data)
        last = _render_specs(renderers, later, extra)
        rendered = pages.result() + last
    for path, _in_sitemap, html in rendered:
        files[routes.file_for(path)] = html
    for d in data:
        files[d.path] = d.data
    files["sitemap.xml"] = sitemap(base, [path for path, in_sitemap, _ in rendered if in_sitemap], main)
    files["feed.xml"] = feed(base, main)
    files.update(search_index(files, cache=cache, jobs=_jobs(jobs, len(specs))))
    files["robots.txt"] = robots(base)
    return dict(sorted(files.items())), len(rendered)


# -- on request (serve) ----------------------------------------------------------------


class LazySite:
    """The files of the site, each rendered the first time it is asked for, then kept.

    `connect-site serve` uses it: after an edit only the check runs, and then the pages a
    browser asks for, so a rebuild costs the check plus one page. What it serves is
    byte for byte what `render_site` writes (a test compares them); the search index,
    which needs every page, is made on the first request for it.
    """

    def __init__(self, site: Site, *, base_url: Optional[str] = None, theme: Optional[Theme] = None) -> None:
        self.site = site
        self.theme = theme or load_theme()
        base = base_url or site.config.base_url
        self.base = base if base.endswith("/") else base + "/"
        self.renderers = renderers_for(site, self.theme, self.base)
        self.main = self.renderers[site.config.default_language]
        self._files = theme_files(self.theme)
        self._specs: dict[str, LangSpec] = {}  # file -> what renders it
        self._built: dict[str, tuple[Renderer, Page]] = {}  # file -> a page built already (listings)
        self._sitemap: list[str] = []
        for spec in self.main.specs():
            for lang, r in self.renderers.items():
                path = r.path_of(spec)
                if path is None:
                    pages = r.build(spec)
                    for page in pages:
                        self._built[routes.file_for(r.prefix + page.path)] = (r, page)
                    self._sitemap += [r.prefix + p.path for p in pages if p.sitemap]
                    continue
                self._specs[routes.file_for(r.prefix + path)] = (lang, spec)
                if spec[0] not in ("search", "404"):
                    self._sitemap.append(r.prefix + path)
        self._data: Optional[list[Download]] = None

    @property
    def pages(self) -> int:
        return len(self._specs) + len(self._built)

    def keys(self) -> list[str]:
        known = set(self._files) | set(self._specs) | set(self._built) | {"sitemap.xml", "feed.xml", "robots.txt"}
        return sorted(known | {d.path for d in self._downloads()})

    def get(self, key: str) -> Optional[bytes]:
        if key not in self._files:
            made = self._make(key)
            if made is None:
                return None
            self._files[key] = made
        return self._files[key]

    def _make(self, key: str) -> Optional[bytes]:
        if key in self._built:
            r, page = self._built[key]
            return r.render(page, {})
        if key in self._specs:
            lang, spec = self._specs[key]
            extra = self._downloads_extra() if spec[0] == "downloads" else {}
            return _render_specs(self.renderers, [(lang, spec)], extra)[0][2]
        if key == "sitemap.xml":
            return sitemap(self.base, self._sitemap, self.main)
        if key == "feed.xml":
            return feed(self.base, self.main)
        if key == "robots.txt":
            return robots(self.base)
        if key.startswith("data/"):
            return next((d.data for d in self._downloads() if d.path == key), None)
        if key.startswith(SEARCH_BUNDLE):
            everything = {k: v for k in self.keys() if (v := self.get(k)) is not None}
            self._files.update(search_index(everything))
            return self._files.get(key)
        return None

    def _downloads(self) -> list[Download]:
        if self._data is None:
            self._data = downloads(self.site)
        return self._data

    def _downloads_extra(self) -> dict[str, Any]:
        return downloads_page_data(self._downloads())


def theme_files(theme: Theme) -> dict[str, bytes]:
    """The files the theme adds to every site: the fingerprinted stylesheet and icon."""
    return {theme.css.path: theme.css.data, theme.favicon.path: theme.favicon.data}


def downloads_page_data(data: list[Download]) -> dict[str, Any]:
    """What the downloads page shows besides its page data: every file, grouped, and the CSV columns."""
    return {"downloads_by_group": _download_rows(data), "csv_columns": CSV_COLUMNS}


def robots(base: str) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n".encode()


# -- pages in parallel -------------------------------------------------------------------
# Whole pages (build the page's data, its charts, then render the template) are shared
# between processes: pooling whole pages pays, pooling single cheap stages does not
# (see FINDINGS). Workers are forked, so they start with the renderer already in memory;
# each returns its pages' bytes, and the parent puts them back in the order of the specs.

Rendered = tuple[str, bool, bytes]  # (page path with its language folder, in the sitemap, HTML)
LangSpec = tuple[str, PageSpec]  # (language, what to build)
PARALLEL_MIN_PAGES = 150
_WORK: Optional[tuple[dict[str, Renderer], list[LangSpec], dict[str, Any]]] = None


def renderers_for(site: Site, theme: Theme, base: str) -> dict[str, Renderer]:
    """One renderer per language, the default first; they share the facts and the Markdown."""
    first = Renderer(site, theme, base, build_date())
    out = {first.lang.code: first}
    for lang in first.languages[1:]:
        out[lang.code] = Renderer(site, theme, base, first.build_date, lang.code, facts=first.facts)
    return out


def _jobs(requested: int, pages: int) -> int:
    if requested > 0:
        return requested
    if pages < PARALLEL_MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def _render_specs(renderers: dict[str, Renderer], specs: list[LangSpec], extra: dict[str, Any]) -> list[Rendered]:
    out: list[Rendered] = []
    for lang, spec in specs:
        r = renderers[lang]
        out += [(r.prefix + p.path, p.sitemap, r.render(p, extra)) for p in r.build(spec)]
    return out


Share = tuple[list[Rendered], set[tuple[str, str]], dict[str, str], set[str]]


def _render_share(bounds: tuple[int, int]) -> Share:
    """A worker's share of the pages, the UI strings it found no translation for, and the
    Markdown it rendered and used (for the parent's cache)."""
    assert _WORK is not None, "a worker started without its work"
    renderers, specs, extra = _WORK
    pages = _render_specs(renderers, specs[bounds[0] : bounds[1]], extra)
    return pages, i18n.misses(), markup.take_new(), markup.used()


class _Pages:
    """Pages rendered in worker processes while the caller goes on (in order, in one list)."""

    def __init__(self, renderers: dict[str, Renderer], specs: list[LangSpec], jobs: int) -> None:
        self.renderers, self.specs, self.jobs = renderers, specs, jobs
        self.pool: Optional[Pool] = None
        self.pending: Optional[AsyncResult[list[Share]]] = None

    def __enter__(self) -> _Pages:
        global _WORK
        if self.jobs > 1:
            _WORK = (self.renderers, self.specs, {})
            size = max(1, len(self.specs) // (self.jobs * 8))  # small shares: country pages cost more
            shares = [(i, min(i + size, len(self.specs))) for i in range(0, len(self.specs), size)]
            self.pool = multiprocessing.get_context("fork").Pool(self.jobs)
            self.pending = self.pool.map_async(_render_share, shares, chunksize=1)
        return self

    def result(self) -> list[Rendered]:
        if self.pending is None:
            return _render_specs(self.renderers, self.specs, {})
        shares = self.pending.get()
        for _pages, misses, new, used in shares:
            i18n.record(misses)
            markup.adopt(new, used)
        return [r for share in shares for r in share[0]]

    def __exit__(self, *exc: object) -> None:
        global _WORK
        _WORK = None
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()


def build_date() -> str:
    """The date for anything not taken from content: SOURCE_DATE_EPOCH, else a fixed date."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(source_date_epoch() or 0))


@dataclass(frozen=True)
class DownloadRow:
    """One line of the downloads page: a thing (an indicator, a country) and its files."""

    label: str
    key: str  # the indicator id or the country code; "" for the whole set
    files: tuple[tuple[str, str, int], ...]  # (format, path, bytes)


def _download_rows(data: list[Download]) -> dict[str, list[DownloadRow]]:
    grouped: dict[tuple[str, str], list[Download]] = {}
    for d in data:
        grouped.setdefault((d.group, d.key or d.label), []).append(d)
    out: dict[str, list[DownloadRow]] = {}
    for (group, _key), items in grouped.items():
        files = tuple((d.format, d.path, len(d.data)) for d in items)
        out.setdefault(group, []).append(DownloadRow(items[0].label, items[0].key, files))
    for rows in out.values():
        rows.sort(key=lambda r: (r.label.casefold(), r.files))
    return out


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Text for an XML element: escaped, without the characters XML 1.0 forbids."""
    return escape(_NOT_XML.sub("", value))


def sitemap(base: str, paths: list[str], renderer: Optional[Renderer] = None) -> bytes:
    """The sitemap; with several languages, each URL lists its alternates (hreflang)."""
    langs = (
        [(lang.code, routes.lang_prefix(lang.code, renderer.default)) for lang in renderer.languages]
        if renderer
        else []
    )
    multi = len(langs) > 1
    folders = tuple(prefix for _code, prefix in langs if prefix)
    present = set(paths)
    xhtml = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if multi else ""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{xhtml}>',
    ]
    for path in sorted(paths, key=lambda p: routes.absolute(base, p)):
        alternates = ""
        if multi:
            page = next((path[len(f) :] for f in folders if path.startswith(f)), path)
            alternates = "".join(
                f'<xhtml:link rel="alternate" hreflang="{code}" href="{escape(routes.absolute(base, prefix + page))}"/>'
                for code, prefix in langs
                if prefix + page in present
            )
        lines.append(f"<url><loc>{escape(routes.absolute(base, path))}</loc>{alternates}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _atom_date(partial: str) -> str:
    parts = (partial.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def feed(base: str, renderer: Renderer) -> bytes:
    """An Atom feed of the newest dated initiatives and practices."""
    entries = renderer.newest_entries(FEED_SIZE)
    config = renderer.site.config
    updated = _atom_date(entries[0].when) if entries else renderer.build_date
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
        f"<title>{_text(config.title)}: newest entries</title>",
        f"<id>{escape(base)}</id>",
        f'<link rel="alternate" type="text/html" href={quoteattr(base)}/>',
        f'<link rel="self" type="application/atom+xml" href={quoteattr(base + "feed.xml")}/>',
        f"<updated>{updated}</updated>",
        f"<author><name>{_text(config.title)}</name></author>",
    ]
    for c in entries:
        url = routes.absolute(base, routes.entry(c.kind, c.slug))
        out += [
            "<entry>",
            f"<title>{_text(c.item.title)}</title>",
            f"<id>{escape(url)}</id>",
            f'<link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"<updated>{_atom_date(c.when)}</updated>",
            f"<category term={quoteattr(c.kind)}/>",
            f"<summary>{_text(c.item.summary or c.item.title)}</summary>",
            "</entry>",
        ]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")
