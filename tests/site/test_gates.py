"""The quality gates, for real, on the built sites.

- Accessibility: axe-core (WCAG 2.1 A and AA) in headless Chromium, on one page of
  every kind of the real site: 0 violations.
- HTML: the Nu HTML Checker over every page of the real site and of the XSS site.
- Links: every internal link and anchor of both sites resolves.
- XSS: a corpus of attacks (tests/xss_corpus.py) goes through the real build and every
  page is loaded in Chromium: no script runs, nothing dangerous is in the DOM.

The real site is served under its sub-path (/connect2030/), as it would be published.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

import gates
import xss_corpus
from conftest import TINY
from connect_site.pipeline import CheckResult, build
from connect_site.site import routes
from connect_site.site.plan import PageKind
from gates import BASE_PATH


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with gates.browser() as b:
        yield b


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("xss")
    content = xss_corpus.corpus_site(base, TINY)
    result = build(content, base / "_site", display_root="content")
    assert result.ok, [d.format() for d in result.check.diagnostics]
    return base / "_site"


def pages_of_every_kind(real_result: CheckResult) -> list[str]:
    site = real_result.site
    assert site is not None
    first_initiative = next(iter(site.initiatives))
    first_practice = next(iter(site.practices))
    item = site.initiatives[first_initiative]
    return [
        routes.home(),
        routes.goal(1),
        routes.targets(),
        routes.target("1.2"),  # numbers: maps, distribution charts, the goal count
        routes.target("1.4"),  # yes/no with evidence
        routes.target("2.10"),  # nine indicators: the combined table
        routes.target("5.1"),  # a proxy only
        routes.target("3.5"),  # no dataset
        routes.indicator("1.7", "egdi"),  # an index: world and regional figures, the map, every country
        routes.indicator("1.7", "gtmi-group"),  # categories
        routes.indicator("3.1", "gci-score"),  # footnotes (single source), terms of use
        routes.indicator("3.1", "cybersecurity-strategy"),  # yes/no from a dataset and from documents
        routes.countries(),
        routes.country("KEN"),  # the focus table, statuses, initiatives
        routes.country_statistics("KEN"),  # trends by year
        routes.country("TUV"),  # little data
        routes.region("Africa"),  # a region: its subregions, six tables of its countries
        routes.region("Micronesia"),  # a subregion with little data
        routes.compare(),  # without its script here: the links to the region pages (test_compare.py runs it)
        routes.listing("initiative"),
        routes.listing("initiative", "by-target", item.targets[0]),
        routes.listing("initiative", "by-country", item.countries[0]),
        routes.listing("initiative", "by-kind", item.kind.value),
        routes.entry("initiative", first_initiative),
        routes.listing("practice"),
        routes.listing("practice", "by-kind", site.practices[first_practice].kind.value),
        routes.entry("practice", first_practice),
        routes.downloads(),
        routes.gaps("1.4"),
        routes.contribute(),
        routes.search(),
        "404.html",
    ]


def test_every_kind_of_page_is_among_them(real_result: CheckResult) -> None:
    assert real_result.plan is not None
    kinds = {o.path: o.kind for o in real_result.plan}
    # compare/<iso3>.json is not a page but the compare view's figures (tests/site/test_compare.py)
    assert {kinds[p] for p in pages_of_every_kind(real_result)} == set(PageKind) - {PageKind.COMPARE_VALUES}


@pytest.mark.parametrize("lang", ["", "ar/", "zh/"], ids=["en", "ar", "zh"])
def test_accessibility_axe_on_every_kind_of_page(
    real_site: Path, real_result: CheckResult, chromium: Browser, lang: str
) -> None:
    """One page of each kind, in English, in Arabic (right to left) and in Chinese."""
    pages = [lang + p for p in pages_of_every_kind(real_result)]
    for p in pages:
        assert (real_site / routes.file_for(p)).is_file(), p
    with gates.serve(real_site, BASE_PATH) as base:
        results = gates.axe_violations(chromium, [base + p for p in pages])
    assert len(results) == len(pages)
    failing = {url: v for url, v in results.items() if v}
    assert not failing, gates.format_violations(failing)


def test_accessibility_axe_on_every_goal_and_target_page(
    real_site: Path, real_result: CheckResult, chromium: Browser
) -> None:
    """Beyond one page of each kind: every goal and every target page (their maps, charts and tables differ)."""
    site = real_result.site
    assert site is not None
    pages = [routes.goal(n) for n in site.goals] + [routes.target(t) for t in site.targets]
    with gates.serve(real_site, BASE_PATH) as base:
        results = gates.axe_violations(chromium, [base + p for p in pages])
    assert len(results) == len(pages) == 29
    failing = {url: v for url, v in results.items() if v}
    assert not failing, gates.format_violations(failing)


def test_accessibility_axe_on_the_xss_site(xss_site: Path, chromium: Browser) -> None:
    """Hostile text must not break the page structure either."""
    with gates.serve(xss_site) as base:
        urls = [base + p for p in ("", "initiatives/", "countries/fra/", "practices/")]
        urls += [base + p.parent.relative_to(xss_site).as_posix() + "/" for p in _entry_pages(xss_site)[:4]]
        results = gates.axe_violations(chromium, urls)
    failing = {url: v for url, v in results.items() if v}
    assert not failing, gates.format_violations(failing)


def test_html_nu_checker_over_the_whole_real_site(real_site: Path) -> None:
    errors = gates.vnu_errors(real_site, also_check_svg=True)
    assert errors == [], "\n".join(errors[:40])


def test_html_nu_checker_over_the_xss_site(xss_site: Path) -> None:
    errors = gates.vnu_errors(xss_site)
    assert errors == [], "\n".join(errors[:40])


def test_no_broken_internal_links_or_anchors(real_site: Path, xss_site: Path) -> None:
    assert gates.broken_links(real_site, BASE_PATH) == []
    assert gates.broken_links(xss_site, "/tiny/") == []


def _entry_pages(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("initiatives/xss-*/index.html")) + sorted(
        root.glob("practices/xss-*/index.html")
    )


def test_xss_corpus_runs_no_script_in_chromium(xss_site: Path, chromium: Browser) -> None:
    assert len(xss_corpus.CASES) >= 50
    html_pages = sorted(p.relative_to(xss_site).as_posix() for p in xss_site.rglob("*.html"))
    entries = _entry_pages(xss_site)
    assert len(entries) >= len([c for c in xss_corpus.CASES if c[1] != "note"])
    with gates.serve(xss_site, "/tiny/") as base:
        urls = [base + (p[: -len("index.html")] if p.endswith("index.html") else p) for p in html_pages]
        findings = gates.scripts_that_ran(chromium, urls)
    assert len(findings) == len(urls)
    # the search page's own script (tests/site/test_search.py runs the corpus through search results)
    own = re.compile(r'<script> element: <script type="module" src="(\.\./)+pagefind/search-page\.js"></script>')
    for url in urls:
        if url.endswith("/search/"):
            assert sum(1 for f in findings[url] if own.fullmatch(f)) == 1, findings[url]
            findings[url] = [f for f in findings[url] if not own.fullmatch(f)]
    # the site's own scripts (assets/<name>.<hash>.js: a sortable table's, the country picker's), each from
    # its file in assets/
    ours = {p.name for p in (xss_site / "assets").glob("*.js")}
    theirs = re.compile(
        r'<script> element: <script src="(?:\.\./)*assets/([a-z]+\.[0-9a-f]{10}\.js)" defer=""></script>'
    )
    for url, found in findings.items():
        findings[url] = [f for f in found if not ((m := theirs.fullmatch(f)) and m.group(1) in ours)]
    assert ours and any("sort." in name for name in ours) and any("picker." in name for name in ours)
    bad = {url: f for url, f in findings.items() if f}
    assert not bad, gates.findings_text(bad)


def test_xss_corpus_text_stays_literal(xss_site: Path) -> None:
    """Template syntax and entities from contributors are shown as typed, never evaluated."""
    text = html.unescape("\n".join(p.read_text(encoding="utf-8") for p in xss_site.rglob("*.html")))
    for name, literal in xss_corpus.LITERAL_TEXT.items():
        assert literal in text, name
    page = (xss_site / "initiatives" / xss_corpus.slug("template-title") / "index.html").read_text(encoding="utf-8")
    assert page.split("<h1>", 1)[1].split("</h1>", 1)[0] == "Plan {{ 7*7 }} {% raw %}x{% endraw %}"


def test_payloads_in_goals_targets_indicators_sources_and_countries_reach_the_pages(xss_site: Path) -> None:
    """Those fields feed headings, captions, tables and SVG titles; each payload must be on a
    page as text (the Chromium gate above proves none of them runs)."""
    text = html.unescape("\n".join(p.read_text(encoding="utf-8") for p in xss_site.rglob("*.html")))
    for field in xss_corpus.STRUCTURAL_FIELDS:
        assert f"<script>__pwned('{field}')</script>" in text, field
