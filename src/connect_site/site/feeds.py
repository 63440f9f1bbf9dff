"""The files for machines: the sitemap (with each page's languages), the Atom feed and robots.txt."""

from __future__ import annotations

import re
from typing import Optional
from xml.sax.saxutils import escape, quoteattr

from connect_site.site import routes
from connect_site.site.context import View

FEED_SIZE = 20


def robots(base: str) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n".encode()


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Text for an XML element: escaped, without the characters XML 1.0 forbids."""
    return escape(_NOT_XML.sub("", value))


def sitemap(base: str, paths: list[str], view: Optional[View] = None) -> bytes:
    """The sitemap; with several languages, each URL lists its alternates (hreflang)."""
    langs = [(lang.code, routes.lang_prefix(lang.code, view.default)) for lang in view.languages] if view else []
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


def feed(base: str, view: View) -> bytes:
    """An Atom feed of the newest dated initiatives and practices."""
    entries = view.newest_entries(FEED_SIZE)
    config = view.site.config
    updated = _atom_date(entries[0].when) if entries else view.build_date
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
