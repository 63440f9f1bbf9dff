"""The build: check, render every file into memory, then write the site atomically.

`render_site` is a pure function from a checked `Site` to `{path: bytes}`; only
`build` touches the output folder, through `write.write_site`.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional
from xml.sax.saxutils import escape, quoteattr

from . import routes
from .exports import CSV_COLUMNS, Download, downloads
from .graph import Site
from .pipeline import CheckResult, check
from .render import Page, Renderer
from .theme import Theme, load_theme
from .write import WriteStats, write_site

FEED_SIZE = 20


@dataclass
class BuildResult:
    check: CheckResult
    pages: int = 0
    files: int = 0
    written: Optional[WriteStats] = None

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
) -> BuildResult:
    """Check the content; when it has no errors, render and write the whole site."""
    result = check(content_dir, display_root=display_root, strict=strict)
    if not result.ok or result.site is None:
        return BuildResult(result)
    files, pages = render_site(result.site, base_url=base_url, theme=theme)
    written = write_site(out_dir, files, content_dir=content_dir)
    return BuildResult(result, pages, len(files), written)


def render_site(
    site: Site, *, base_url: Optional[str] = None, theme: Optional[Theme] = None
) -> tuple[dict[str, bytes], int]:
    """Every file of the site, and how many of them are HTML pages."""
    theme = theme or load_theme()
    base = base_url or site.config.base_url
    base = base if base.endswith("/") else base + "/"
    renderer = Renderer(site, theme, base, build_date())
    files: dict[str, bytes] = {theme.css.path: theme.css.data, theme.favicon.path: theme.favicon.data}
    data = downloads(site)
    extra: dict[str, Any] = {"downloads_by_group": _download_rows(data), "csv_columns": CSV_COLUMNS}
    pages = renderer.pages()
    for page in pages:
        files[routes.file_for(page.path)] = renderer.render(page, extra)
    for d in data:
        files[d.path] = d.data
    files["sitemap.xml"] = sitemap(base, pages)
    files["feed.xml"] = feed(base, renderer)
    files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n".encode()
    return dict(sorted(files.items())), len(pages)


def build_date() -> str:
    """The date for anything not taken from content: SOURCE_DATE_EPOCH, else a fixed date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else 0
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


@dataclass(frozen=True)
class DownloadRow:
    """One line of the downloads page: a thing (an indicator, a country) and its files."""

    label: str
    files: tuple[tuple[str, str, str], ...]  # (format, path, size)


def _download_rows(data: list[Download]) -> dict[str, list[DownloadRow]]:
    grouped: dict[tuple[str, str], list[Download]] = {}
    for d in data:
        grouped.setdefault((d.group, d.key or d.path.rsplit(".", 1)[0]), []).append(d)
    out: dict[str, list[DownloadRow]] = {}
    for (group, _key), items in grouped.items():
        label = items[0].title.rsplit(" (", 1)[0]
        files = tuple((d.path.rsplit(".", 1)[1].upper(), d.path, _size(len(d.data))) for d in items)
        out.setdefault(group, []).append(DownloadRow(label, files))
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


def sitemap(base: str, pages: list[Page]) -> bytes:
    urls = sorted(routes.absolute(base, p.path) for p in pages if p.sitemap)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(u)}</loc></url>" for u in urls]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _atom_date(partial: str) -> str:
    parts = (partial.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def feed(base: str, renderer: Renderer) -> bytes:
    """An Atom feed of the newest dated initiatives and practices."""
    entries = sorted((c for c in renderer.entries if c.when), key=lambda c: (c.when, c.kind, c.slug), reverse=True)
    entries = entries[:FEED_SIZE]
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
