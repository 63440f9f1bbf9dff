"""Long listings come in pages (plan.LISTING_PAGE_SIZE entries each), so that a listing of
thousands of entries stays within the page budget.

The real content has fewer entries than one page holds, so it is built here with pages of
5 entries, in its six languages: every page is checked by the Nu validator and the link
checker, and the further pages by axe in English and Arabic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

import gates
from conftest import REAL, TINY, Files, lines, run
from connect_site.pipeline import BuildResult, build
from connect_site.site import routes, search

SIZE = 5
_ENTRY_LINK = re.compile(r'<li><a href="[^"]*?([a-z0-9-]+)/"')


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, BuildResult]]:
    out = tmp_path_factory.mktemp("paged") / "_site"
    result = build(REAL, out, display_root="content", page_size=SIZE)
    assert result.ok
    yield out, result


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with gates.browser() as b:
        yield b


def listed(html: str) -> list[str]:
    """The entry slugs a listing page lists, in order."""
    results = html.split('<div class="results">', 1)[1]
    return _ENTRY_LINK.findall(results)


@pytest.mark.parametrize("lang", ["", "fr/", "ar/"])
@pytest.mark.parametrize(("kind", "folder"), [("initiative", "initiatives"), ("practice", "practices")])
def test_every_entry_is_on_exactly_one_page(paged: tuple[Path, BuildResult], lang: str, kind: str, folder: str) -> None:
    site = paged[0]
    entries = sorted(
        p.name for p in (REAL / folder).iterdir() if p.suffix in (".md", ".yaml") and p.stem.count(".") == 0
    )
    slugs = sorted(Path(e).stem for e in entries)
    assert len(slugs) > 2 * SIZE, "the real content should need three pages or more"
    seen: list[str] = []
    path, n = lang + routes.listing(kind), 1
    count = -(-len(slugs) // SIZE)
    while path:
        html = (site / routes.file_for(path)).read_text(encoding="utf-8")
        on_page = listed(html)
        assert 0 < len(on_page) <= SIZE, path
        seen += on_page
        title = re.search(r"<h1>(.*?)</h1>", html)
        assert title and (n == 1) == ("(" not in title.group(1)), title
        assert len(slugs) == int(re.sub(r"\D", "", html.split("<h1>", 1)[1].split("</p>", 1)[0].split("<p>", 1)[1]))
        following = re.search(r'<a href="([^"]+)" rel="next">', html)
        if n < count:
            assert following, f"{path} has no link to page {n + 1}"
            assert (site / routes.file_for(path) / ".." / following.group(1) / "index.html").resolve().is_file()
            path, n = lang + routes.listing(kind, page=n + 1), n + 1
        else:
            assert following is None
            path = ""
    assert n == count
    assert sorted(seen) == slugs  # each once, none left out


def test_facet_listings_are_paged_too(paged: tuple[Path, BuildResult]) -> None:
    site = paged[0]
    facet_pages = sorted(p for p in site.glob("initiatives/by-*/*/page/*/index.html"))
    for page in facet_pages:
        first = page.parent.parent.parent / "index.html"
        assert first.is_file() and 'rel="prev"' in page.read_text(encoding="utf-8")
        assert not search.indexed(page.relative_to(site).as_posix())
    assert not search.indexed("initiatives/page/2/index.html")
    assert search.indexed("initiatives/index.html")


def test_paged_listings_are_valid_html_with_working_links(paged: tuple[Path, BuildResult], real_site: Path) -> None:
    """The pages that paging adds or changes (the whole site is checked in test_gates.py)."""
    site = paged[0]
    assert list(site.glob("*/page/2/index.html")) and list(site.glob("ar/*/page/2/index.html"))
    changed = [
        page
        for page in sorted(site.rglob("*.html"))
        if not (real_site / page.relative_to(site)).is_file()
        or (real_site / page.relative_to(site)).read_bytes() != page.read_bytes()
    ]
    added = [p for p in changed if "/page/" in p.relative_to(site).as_posix()]
    assert len(added) > 12 and len(changed) > len(added), "paging adds pages and changes the first ones"
    assert gates.vnu_errors(site, pages=changed) == []
    assert gates.broken_links(site, "/connect2030/", pages=changed) == []


def test_paged_listings_are_accessible(paged: tuple[Path, BuildResult], chromium: Browser) -> None:
    site = paged[0]
    pages = [routes.listing("initiative", page=2), "ar/" + routes.listing("practice", page=2)]
    with gates.serve(site, "/connect2030/") as base:
        results = gates.axe_violations(chromium, [base + p for p in pages])
    assert len(results) == 2
    failing = {url: v for url, v in results.items() if v}
    assert not failing, gates.format_violations(failing)


def test_an_entry_may_not_be_called_page(make_site: Callable[[Files], Path]) -> None:
    content = make_site({"initiatives/page.md": (TINY / "initiatives" / "kenya-plan.md").read_text(encoding="utf-8")})
    result = run(content)
    assert any("reserved-slug" in line and "initiatives/page.md" in line for line in lines(result)), lines(result)
