"""One URL scheme for the whole site (the contract in the README), and links between pages.

Every page is addressed by its path relative to the site root, with a trailing slash
("targets/1.4/"); the file written is that path plus "index.html". Links inside pages
are relative ("../../countries/ken/"), so the site works under any sub-path and on
any host. Only what must be absolute (canonical URLs, the sitemap, the feed, and the
404 page, which a host serves at any depth) uses `base_url`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urlsplit

# Facet folders in the listings, and the folder of a listing's further pages. Entry slugs
# may not take these names (see graph.py).
FACETS = ("by-target", "by-country", "by-kind")
PAGES = "page"
RESERVED = (*FACETS, PAGES)


def home() -> str:
    return ""


def goal(n: int) -> str:
    return f"goals/{n}/"


def targets() -> str:
    return "targets/"


def target(target_id: str) -> str:
    return f"targets/{target_id.lower()}/"


def countries() -> str:
    return "countries/"


def country(iso3: str) -> str:
    return f"countries/{iso3.lower()}/"


def country_statistics(iso3: str) -> str:
    """A country's statistics beyond the focus targets: each indicator's values by year."""
    return f"countries/{iso3.lower()}/statistics/"


def region(name: str) -> str:
    """A UN region or subregion, by its M49 English name: "regions/sub-saharan-africa/"."""
    return f"regions/{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}/"


def compare() -> str:
    """Up to five countries side by side (the selection in the query: "compare/?c=KEN,RWA")."""
    return "compare/"


def compare_values(iso3: str) -> str:
    """A country's figures for the compare view, in the language of the page beside it."""
    return f"compare/{iso3.lower()}.json"


def listing(kind: str, facet: str = "", value: str = "", page: int = 1) -> str:
    """`initiatives/`, one facet of it: `initiatives/by-target/1.4/`, and their further
    pages: `initiatives/page/2/`, `initiatives/by-target/1.4/page/2/`."""
    folder = "initiatives" if kind == "initiative" else "practices"
    path = f"{folder}/{facet}/{value.lower()}/" if facet else f"{folder}/"
    return path if page <= 1 else f"{path}{PAGES}/{page}/"


def entry(kind: str, slug: str) -> str:
    return listing(kind) + f"{slug}/"


def downloads() -> str:
    return "data/"


def search() -> str:
    return "search/"


def contribute() -> str:
    return "contribute/"


def indicator(target_id: str, indicator_id: str) -> str:
    """An indicator's own page: its map, its distribution and every country's value."""
    return f"targets/{target_id.lower()}/{indicator_id}/"


def gaps(target_id: str) -> str:
    """The countries a focus target has nothing about yet."""
    return f"targets/{target_id.lower()}/gaps/"


def file_for(page: str) -> str:
    """The file that serves a page path."""
    return page + "index.html" if page == "" or page.endswith("/") else page


def base_path(base_url: str) -> str:
    """The path part of the base URL, always with a trailing slash: "/connect2030/"."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def absolute(base_url: str, page: str) -> str:
    return (base_url if base_url.endswith("/") else base_url + "/") + page


@dataclass(frozen=True)
class Linker:
    """Links from one page to any other: `link.to("targets/1.4/")`."""

    page: str
    root: str  # "../../" for a page two folders deep; the base path for pages served anywhere

    prefix: str = ""  # the page's language folder: "fr/", or "" for the default language

    @classmethod
    def relative(cls, page: str, prefix: str = "") -> Linker:
        return cls(page, "../" * (prefix + page).count("/"), prefix)

    @classmethod
    def rooted(cls, page: str, base_url: str, prefix: str = "") -> Linker:
        return cls(page, base_path(base_url), prefix)

    @classmethod
    def for_page(cls, page: str, prefix: str, base_url: Optional[str]) -> Linker:
        """Relative links, or links from the base path for a page served at any depth (base_url given)."""
        return cls.rooted(page, base_url, prefix) if base_url else cls.relative(page, prefix)

    def to(self, path: str) -> str:
        """A link to a page in the same language ("targets/1.4/"), or to a file every language shares ("feed.xml")."""
        if is_page(path) and not self.root.startswith("/"):  # within the language's folder: the shortest link
            return ("../" * self.page.count("/") + path) or "./"
        return self.lang(self.prefix if is_page(path) else "", path)

    def lang(self, prefix: str, path: str) -> str:
        """A link to a page in the language whose folder is `prefix`."""
        target = prefix + path
        if not self.root and not target:
            return "./"
        return self.root + target


def is_page(path: str) -> bool:
    """Pages end with a slash (or are the home page, "", or the 404 page); anything else is a shared file."""
    return path == "" or path.endswith("/") or path == "404.html"


def lang_prefix(code: str, default: str) -> str:
    """The folder of a language: "" for the default language, "fr/" for French."""
    return "" if code == default else f"{code}/"
