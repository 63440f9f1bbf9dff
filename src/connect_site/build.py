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

from . import routes
from .exports import CSV_COLUMNS, Download, downloads
from .graph import Site
from .pipeline import CheckResult, check, source_date_epoch
from .render import PageSpec, Renderer
from .theme import Theme, load_theme
from .write import WriteStats, write_site

FEED_SIZE = 20
PAGE_BUDGET = 100 * 1024  # bytes of HTML plus its CSS, uncompressed: readers on slow mobile connections


@dataclass
class BuildResult:
    check: CheckResult
    pages: int = 0
    files: int = 0
    written: Optional[WriteStats] = None
    oversized: list[tuple[str, int]] = field(default_factory=list)  # (page, bytes with its CSS) over PAGE_BUDGET

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
) -> BuildResult:
    """Check the content; when it has no errors, render and write the whole site."""
    result = check(content_dir, display_root=display_root, strict=strict)
    if not result.ok or result.site is None:
        return BuildResult(result)
    files, pages = render_site(result.site, base_url=base_url, theme=theme, jobs=jobs)
    written = write_site(out_dir, files, content_dir=content_dir)
    return BuildResult(result, pages, len(files), written, oversized(files))


def oversized(files: dict[str, bytes]) -> list[tuple[str, int]]:
    """HTML pages that, with the stylesheet, weigh more than the page budget."""
    css = sum(len(data) for path, data in files.items() if path.startswith("assets/") and path.endswith(".css"))
    sizes = ((path, len(data) + css) for path, data in files.items() if path.endswith(".html"))
    return sorted(((path, n) for path, n in sizes if n > PAGE_BUDGET), key=lambda p: (-p[1], p[0]))


def render_site(
    site: Site, *, base_url: Optional[str] = None, theme: Optional[Theme] = None, jobs: int = 0
) -> tuple[dict[str, bytes], int]:
    """Every file of the site, and how many of them are HTML pages.

    `jobs` is the number of processes that build and render pages (0: one per core, at
    most 2, and only for sites large enough to gain from it). The output is the same
    whatever the number.
    """
    theme = theme or load_theme()
    base = base_url or site.config.base_url
    base = base if base.endswith("/") else base + "/"
    renderer = Renderer(site, theme, base, build_date())
    files: dict[str, bytes] = {theme.css.path: theme.css.data, theme.favicon.path: theme.favicon.data}
    specs = renderer.specs()
    with _Pages(renderer, [s for s in specs if s[0] != "downloads"], _jobs(jobs, len(specs))) as pages:
        data = downloads(site)  # meanwhile, the workers render the pages
        extra = {"downloads_by_group": _download_rows(data), "csv_columns": CSV_COLUMNS}
        last = _render_specs(renderer, [s for s in specs if s[0] == "downloads"], extra)
        rendered = pages.result() + last
    for path, _in_sitemap, html in rendered:
        files[routes.file_for(path)] = html
    for d in data:
        files[d.path] = d.data
    files["sitemap.xml"] = sitemap(base, [path for path, in_sitemap, _ in rendered if in_sitemap])
    files["feed.xml"] = feed(base, renderer)
    files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n".encode()
    return dict(sorted(files.items())), len(rendered)


# -- pages in parallel -------------------------------------------------------------------
# Whole pages (build the page's data, its charts, then render the template) are shared
# between processes: pooling whole pages pays, pooling single cheap stages does not
# (see FINDINGS). Workers are forked, so they start with the renderer already in memory;
# each returns its pages' bytes, and the parent puts them back in the order of the specs.

Rendered = tuple[str, bool, bytes]  # (page path, in the sitemap, HTML)
PARALLEL_MIN_PAGES = 150
_WORK: Optional[tuple[Renderer, list[PageSpec], dict[str, Any]]] = None


def _jobs(requested: int, pages: int) -> int:
    if requested > 0:
        return requested
    if pages < PARALLEL_MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def _render_specs(renderer: Renderer, specs: list[PageSpec], extra: dict[str, Any]) -> list[Rendered]:
    return [(p.path, p.sitemap, renderer.render(p, extra)) for spec in specs for p in renderer.build(spec)]


def _render_share(bounds: tuple[int, int]) -> list[Rendered]:
    assert _WORK is not None, "a worker started without its work"
    renderer, specs, extra = _WORK
    return _render_specs(renderer, specs[bounds[0] : bounds[1]], extra)


class _Pages:
    """Pages rendered in worker processes while the caller goes on (in order, in one list)."""

    def __init__(self, renderer: Renderer, specs: list[PageSpec], jobs: int) -> None:
        self.renderer, self.specs, self.jobs = renderer, specs, jobs
        self.pool: Optional[Pool] = None
        self.pending: Optional[AsyncResult[list[list[Rendered]]]] = None

    def __enter__(self) -> _Pages:
        global _WORK
        if self.jobs > 1:
            _WORK = (self.renderer, self.specs, {})
            size = max(1, len(self.specs) // (self.jobs * 8))  # small shares: country pages cost more
            shares = [(i, min(i + size, len(self.specs))) for i in range(0, len(self.specs), size)]
            self.pool = multiprocessing.get_context("fork").Pool(self.jobs)
            self.pending = self.pool.map_async(_render_share, shares, chunksize=1)
        return self

    def result(self) -> list[Rendered]:
        if self.pending is None:
            return _render_specs(self.renderer, self.specs, {})
        return [r for share in self.pending.get() for r in share]

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
    files: tuple[tuple[str, str, str], ...]  # (format, path, size)


def _download_rows(data: list[Download]) -> dict[str, list[DownloadRow]]:
    grouped: dict[tuple[str, str], list[Download]] = {}
    for d in data:
        grouped.setdefault((d.group, d.key or d.label), []).append(d)
    out: dict[str, list[DownloadRow]] = {}
    for (group, _key), items in grouped.items():
        files = tuple((d.format, d.path, _size(len(d.data))) for d in items)
        out.setdefault(group, []).append(DownloadRow(items[0].label, files))
    for rows in out.values():
        rows.sort(key=lambda r: (r.label.casefold(), r.files))
    return out


def _size(n: int) -> str:
    if n < 1000 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / 1024 / 1024:.1f} MB"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Text for an XML element: escaped, without the characters XML 1.0 forbids."""
    return escape(_NOT_XML.sub("", value))


def sitemap(base: str, paths: list[str]) -> bytes:
    urls = sorted(routes.absolute(base, p) for p in paths)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(u)}</loc></url>" for u in urls]
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
