"""A UN region's or subregion's page: the focus targets' figures for every country of the region side
by side, with the region's and the world's population-weighted figures.

Without JavaScript this page is the comparison of countries (issue 15): every country of the region
in one table per focus target, the same latest values as each country's own page (they come from
the same series), sortable by any column where the script runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from connect_site.content.observations import Observation
from connect_site.content.schema import Indicator, Target
from connect_site.site import i18n, routes
from connect_site.site.aggregates import WORLD, Aggregate
from connect_site.site.context import View
from connect_site.site.i18n import _
from connect_site.site.views.page import Context, Crumb, Page
from connect_site.site.views.targets import split_titles


@dataclass(frozen=True)
class Column:
    indicator: Indicator
    short: str  # the column heading: the title without the words every column shares
    region: Optional[Aggregate]  # the region's latest figure covering at least half its people
    world: Optional[Aggregate]  # the world's, the same way


@dataclass(frozen=True)
class RegionTable:
    """One focus target: a row per country of the region, a column per indicator with a value there."""

    target: Target
    common: str  # the words the column headings share, for the caption
    columns: list[Column]
    rows: list[tuple[str, list[Optional[Observation]]]]  # (iso3, each column's latest value)


@dataclass(frozen=True)
class RegionContext(Context):
    area: str  # the M49 English name
    name: str  # in the page's language
    parent: Optional[tuple[str, str]]  # a subregion's region: (name, path)
    subregions: list[tuple[str, str, int]]  # a region's subregions: (name, path, countries with a page)
    countries: list[str]  # the region's countries with a page, by name in the page's language
    tables: list[RegionTable]
    cited: list[str]


def members(view: View, area: str) -> list[str]:
    """The countries of a region or subregion that have a page, by name in the view's language."""
    found = [iso3 for iso3 in view.plan.country_pages if area in _areas(view, iso3)]
    return sorted(found, key=lambda iso3: (i18n.sort_key(view.names[iso3]), iso3))


def _areas(view: View, iso3: str) -> tuple[str, str]:
    ref = view.site.countries[iso3].ref
    return ref.region, ref.subregion


def _table(view: View, area: str, target: Target, countries: list[str]) -> RegionTable:
    by_country = view.facts.by_country
    aggregates = view.facts.aggregates
    shown = [i for i in target.indicators if any(i.id in by_country.get(c, {}) for c in countries)]
    common, short = split_titles([i.title for i in shown])
    columns = [
        Column(ind, short[k], aggregates.headline(ind.id, area), aggregates.headline(ind.id, WORLD))
        for k, ind in enumerate(shown)
    ]
    rows = []
    for iso3 in countries:
        series = by_country.get(iso3, {})
        cells = [series[i.id].latest if i.id in series else None for i in shown]
        rows.append((iso3, cells))
    return RegionTable(target, common, columns, rows)


def region(view: View, area: str) -> Page:
    site = view.site
    name = i18n.region_name(area)
    countries = members(view, area)
    parent_name = view.plan.region_of(area)
    subregions = view.plan.regions.get(area, ())
    tables = [_table(view, area, site.targets[t], countries) for t in site.focus_targets]
    cited = sorted({o.source for t in tables for _, cells in t.rows for o in cells if o is not None})
    context = RegionContext(
        area=area,
        name=name,
        parent=(i18n.region_name(parent_name), routes.region(parent_name)) if parent_name else None,
        subregions=sorted(
            ((i18n.region_name(s), routes.region(s), len(members(view, s))) for s in subregions),
            key=lambda t: i18n.sort_key(t[0]),
        ),
        countries=countries,
        tables=tables,
        cited=cited,
    )
    crumbs = [Crumb(_("Countries"), routes.countries())]
    if context.parent:
        crumbs.append(Crumb(*context.parent))
    return Page(
        routes.region(area),
        "region.html",
        name,
        _("{region}: the focus targets of the Call to Action for every country of the region, side by side.").format(
            region=name
        ),
        (*crumbs, Crumb(name, "")),
        context,
    )
