"""Region pages (issue 15, item 1): every UN region and subregion with a country page has one, listing
the focus targets' latest values of each of its countries side by side, the same values as the
countries' own pages, with the region's and the world's population-weighted figures (checked against
an independent computation from the CSV files and the population table), linked from the country
pages, the countries list and the indicators' tables of regions; its tables sort with the region's
and the world's rows kept above the countries."""

from __future__ import annotations

import csv
import re
from html import unescape
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from test_gates import BASE_PATH

import gates
from conftest import REAL
from connect_site.content import refdata
from connect_site.pipeline import CheckResult
from connect_site.site import routes
from connect_site.site.plan import PageKind


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def page(site: Path, path: str) -> str:
    return (site / routes.file_for(path)).read_text(encoding="utf-8")


def table_of(html: str, target: str) -> str:
    """The region page's table of one focus target."""
    section = html.split(f'<h2 id="t-{target.replace(".", "-")}">', 1)[1].split("</section>", 1)[0]
    return section.split("<table", 1)[1].split("</table>", 1)[0]


def cells(row: str) -> list[str]:
    return [text(c) for c in re.split(r"<t[dh][^>]*>", row)[1:]]


def region_rows(table: str) -> dict[str, list[str]]:
    """The countries' rows of a region table, by the country code of their link."""
    body = table.split('<tbody class="areas">', 1)[1].split("</tbody>", 2)[1]
    out = {}
    for row in body.split("<tr>")[1:]:
        found = re.search(r'href="[./]*countries/([a-z]{3})/"', row)
        assert found, row
        out[found.group(1).upper()] = cells(row)[1:]
    return out


def headings(table: str) -> list[str]:
    return [text(h) for h in re.findall(r'<th scope="col">(.*?)</th>', table.split("</thead>", 1)[0])][1:]


def test_every_region_and_subregion_with_a_country_page_has_a_page(real_result: CheckResult) -> None:
    assert real_result.plan is not None
    with_pages = real_result.plan.country_pages
    expected = {c.region for iso3, c in refdata.countries().items() if iso3 in with_pages and c.region}
    expected |= {c.subregion for iso3, c in refdata.countries().items() if iso3 in with_pages and c.subregion}
    regions = {o.subject for o in real_result.plan if o.kind is PageKind.REGION}
    assert regions == expected
    assert len(regions) == 22  # 5 regions, 17 subregions
    assert routes.region("Sub-Saharan Africa") == "regions/sub-saharan-africa/"


def test_a_region_lists_each_of_its_countries_with_the_values_of_their_own_pages(
    real_site: Path, real_result: CheckResult
) -> None:
    assert real_result.plan is not None
    html = page(real_site, routes.region("Sub-Saharan Africa"))
    members = {
        iso3
        for iso3, c in refdata.countries().items()
        if c.subregion == "Sub-Saharan Africa" and iso3 in real_result.plan.country_pages
    }
    table = table_of(html, "1.7")
    rows = region_rows(table)
    assert set(rows) == members and len(members) > 40
    egdi = headings(table).index("E-Government Development Index (EGDI)")
    for iso3 in ("KEN", "RWA", "TZA", "NGA"):
        own = page(real_site, routes.country(iso3)).split('href="../../targets/1.7/egdi/"', 1)[1].split("</tr>", 1)[0]
        latest = cells(own)[0]  # the country page's "Latest" cell: "0.631 (2024)"
        assert rows[iso3][egdi] == latest, iso3
    assert "Part of Africa ." in text(html) and 'href="../../regions/africa/"' in html


def weighted(indicator: str, year: int, area: str) -> float:
    """The population-weighted mean of an area, computed here from the CSV and the population table alone."""
    pop = {}
    with (REAL.parent / "src" / "connect_site" / "data" / "population.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            pop[(row["iso3"], int(row["year"]))] = int(row["value"])
    inside = {iso3 for iso3, c in refdata.countries().items() if area in (c.region, c.subregion)}
    total = weight = 0.0
    with (REAL / "data" / f"{indicator}.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if int(row["year"]) == year and row["country"] in inside:
                w = pop.get((row["country"], min(year, 2024)), 0)
                total += float(row["value"]) * w
                weight += w
    return total / weight


@pytest.mark.parametrize("area", ["Africa", "Sub-Saharan Africa", "Western Europe"])
def test_the_region_figure_is_population_weighted(real_site: Path, area: str) -> None:
    table = table_of(page(real_site, routes.region(area)), "1.7")
    column = headings(table).index("E-Government Development Index (EGDI)")
    areas = table.split('<tbody class="areas">', 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    region, world = (cells(r) for r in areas)
    assert region[0] == area and world[0] == "World"
    value = re.fullmatch(r"([0-9.]+) \((\d{4})\)", region[1 + column])
    assert value, region
    assert float(value.group(1)) == pytest.approx(weighted("egdi", int(value.group(2)), area), abs=0.0006)


def test_country_pages_the_countries_list_and_indicator_pages_link_to_regions(real_site: Path) -> None:
    kenya = page(real_site, routes.country("KEN")).split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    assert '<a href="../../regions/africa/">Africa</a>, <a href="../../regions/sub-saharan-africa/">' in kenya
    listing = page(real_site, routes.countries())
    assert '<h2><a href="../regions/africa/">Africa</a></h2>' in listing
    egdi = page(real_site, routes.indicator("1.7", "egdi"))
    assert '<a href="../../../regions/oceania/">Oceania</a>' in egdi
    region = page(real_site, routes.region("Africa"))
    assert 'href="../../regions/sub-saharan-africa/"' in region and 'href="../../regions/northern-africa/"' in region


def test_region_pages_in_other_languages_name_the_region_in_that_language(real_site: Path) -> None:
    assert "<h1>أفريقيا</h1>" in page(real_site, "ar/" + routes.region("Africa"))
    assert "<h1>Afrique subsaharienne</h1>" in page(real_site, "fr/" + routes.region("Sub-Saharan Africa"))


def test_sorting_a_region_table_keeps_the_region_and_world_above(real_site: Path, chromium: Browser) -> None:
    with gates.serve(real_site, BASE_PATH) as base:
        context = chromium.new_context()
        tab = context.new_page()
        gates._goto(tab, base + routes.region("Western Europe"))
        table = tab.locator("table[data-sortable]").nth(1)  # target 1.7
        first = "(t) => Array.from(t.tBodies[1].rows, r => r.cells[0].textContent.trim())"
        published = table.evaluate(first)
        table.get_by_role("button", name="E-Government Development Index (EGDI)").click()
        values = table.evaluate("(t) => Array.from(t.tBodies[1].rows, r => Number(r.cells[1].dataset.v))")
        assert values == sorted(values) and len(values) == len(published) > 5
        areas = table.evaluate("(t) => Array.from(t.tBodies[0].rows, r => r.cells[0].textContent.trim())")
        assert areas == ["Western Europe", "World"]
        context.close()
