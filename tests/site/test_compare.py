"""The compare view (issue 15, item 2), driven in real headless Chromium on the real site: up to five
countries side by side per focus target and indicator, built by assets/compare.js from
compare/values.json; the selection is in the address; keyboard use; the same values as the
countries' own pages; without JavaScript the page links to the region pages; axe finds nothing with
the script on or off."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

import gates
from connect_site.pipeline import CheckResult
from connect_site.site import routes

SCRIPT = "**/assets/compare.*.js"


def open_page(chromium: Browser, url: str, *, script: bool = True) -> Page:
    """The page in a context of its own; without `script`, this page kind's script does not load."""
    return gates.open_page(chromium, url, blocked=None if script else SCRIPT)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def country_page_latest(site: Path, iso3: str) -> dict[str, str]:
    """indicator id -> "value (year)" of the country page's focus table (its "Latest" cell)."""
    html = (site / routes.file_for(routes.country(iso3))).read_text(encoding="utf-8")
    table = html.split('<table class="focus">', 1)[1].split("</table>", 1)[0]
    out = {}
    for ind, cell in re.findall(
        r'href="\.\./\.\./targets/[0-9.]+/([a-z0-9-]+)/">.*?<td><strong>(.*?)</td>', table, re.S
    ):
        cell = re.sub(r"<sup>.*?</sup>", "", cell)
        value, year = re.match(r"(.*?)</strong> \((\d{4})\)", cell).groups()  # type: ignore[union-attr]
        out[ind] = f"{text(value)} ({year})"
    return out


SHOWN = """() => Object.fromEntries(Array.from(document.querySelectorAll('#compare-result tr[data-indicator]'),
  row => [row.dataset.indicator, Array.from(row.querySelectorAll('td'), td => [td.dataset.country, td.textContent])]))"""


def test_kenya_rwanda_and_tanzania_show_the_values_of_their_own_pages(
    chromium: Browser, base: str, real_site: Path, real_result: CheckResult
) -> None:
    page = open_page(chromium, base + routes.compare() + "?c=KEN,RWA,TZA")
    try:
        page.wait_for_selector("#compare-result table")
        shown = page.evaluate(SHOWN)
        own = {c: country_page_latest(real_site, c) for c in ("KEN", "RWA", "TZA")}
        assert len(own["KEN"]) > 10
        expected_rows = {ind for c in own for ind in own[c]}
        assert set(shown) == expected_rows
        for ind, cells in shown.items():
            assert [c for c, _ in cells] == ["KEN", "RWA", "TZA"]
            for country, value in cells:
                assert value == own[country].get(ind, ""), (ind, country)
        assert page.locator("#compare-result figure svg").count() > 5  # a bar chart per numeric indicator
        # every table names the sources of its numbers, linked to them
        notes = page.evaluate(
            """() => Array.from(document.querySelectorAll('#compare-result section:has(table)'), s =>
              Array.from(s.querySelectorAll('p.note a'), a => a.getAttribute('href')))"""
        )
        assert notes and all(notes), notes
        assert real_result.site is not None
        assert {url for n in notes for url in n} <= {str(s.url) for s in real_result.site.sources.values()}
        assert page.get_by_role("status").inner_text() == "Comparing 3 countries."
    finally:
        page.context.close()


def test_choosing_and_removing_by_keyboard_keeps_the_choice_in_the_address(chromium: Browser, base: str) -> None:
    page = open_page(chromium, base + "fr/" + routes.compare())
    try:
        page.wait_for_selector("#compare-add")
        page.focus("#compare-add")
        page.keyboard.type("Kenya")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_selector("#compare-result table")
        assert page.url.endswith("?c=KEN")
        assert page.get_by_role("status").inner_text() == "1 pays comparé."
        page.focus("#compare-add")
        page.keyboard.type("Rwanda")
        page.keyboard.press("Tab")
        page.keyboard.press(" ")
        page.wait_for_function(
            "() => document.querySelector('#compare-result thead').querySelectorAll('th').length === 3"
        )
        assert page.url.endswith("?c=KEN%2CRWA") or page.url.endswith("?c=KEN,RWA")
        remove = page.get_by_role("button", name="Retirer Kenya")
        remove.focus()
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('#compare-result thead').querySelectorAll('th').length === 2"
        )
        assert re.search(r"\?c=RWA$", page.url)
        assert page.locator("#compare-chosen li").count() == 1
        shown = page.evaluate(SHOWN)
        assert all(c == "RWA" for cells in shown.values() for c, _ in cells)
    finally:
        page.context.close()


def test_at_most_five_countries(chromium: Browser, base: str) -> None:
    page = open_page(chromium, base + routes.compare() + "?c=KEN,RWA,TZA,UGA,BDI,ETH,KEN")
    try:
        page.wait_for_selector("#compare-result table")
        assert page.locator("#compare-chosen li").count() == 5
        assert page.url.endswith("?c=KEN%2CRWA%2CTZA%2CUGA%2CBDI")
        assert page.locator("#compare-add").is_disabled()
        assert page.locator("#compare-limit").is_visible()
    finally:
        page.context.close()


def test_without_javascript_the_region_pages_are_the_comparison(chromium: Browser, base: str) -> None:
    page = open_page(chromium, base + routes.compare() + "?c=KEN", script=False)
    try:
        assert page.locator("#compare-add").count() == 0
        links = page.locator("#compare-static a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        assert "../regions/africa/" in links and "../regions/sub-saharan-africa/" in links and len(links) == 22
    finally:
        page.context.close()


def test_country_and_region_pages_link_to_the_comparison(real_site: Path) -> None:
    kenya = (real_site / routes.file_for(routes.country("KEN"))).read_text(encoding="utf-8")
    assert '<a href="../../compare/?c=KEN">Compare Kenya with other countries</a>' in kenya
    region = (real_site / routes.file_for(routes.region("Africa"))).read_text(encoding="utf-8")
    assert 'href="../../compare/"' in region


@pytest.mark.parametrize("script", [True, False], ids=["script-on", "script-off"])
def test_axe_finds_nothing_on_the_compare_view(chromium: Browser, base: str, script: bool) -> None:
    pages = [base + lang + routes.compare() + "?c=KEN,RWA,TZA" for lang in ("", "ar/", "zh/")]
    if script:
        wait = "() => new Promise(r => { const t = () => document.querySelector('#compare-result table') ? r() : setTimeout(t, 20); t(); })"
        found = gates.axe_violations(chromium, pages, before=wait)
    else:
        found = gates.axe_violations(chromium, pages, blocked=SCRIPT)
    assert len(found) == 3 and not any(found.values()), gates.format_violations(found)
