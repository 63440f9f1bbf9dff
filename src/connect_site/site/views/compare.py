"""The compare view: up to five countries side by side, per focus target and indicator.

Without JavaScript the page points to the region pages, each of which compares its countries. With
it, assets/compare.js builds any selection from `compare/<iso3>.json`, a small file per country and
language made here from the same series as the country pages, with each figure already written as
the country page writes it ("0,631 (2024)" in French), so that the two cannot disagree. A reader
downloads the figures of the countries chosen only (under 1 KB each), not those of every country.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional, Union

from markupsafe import Markup

from connect_site.content.fields import Unit
from connect_site.content.schema import Indicator
from connect_site.site import i18n, routes
from connect_site.site.context import View
from connect_site.site.i18n import _
from connect_site.site.theme import shown
from connect_site.site.views.page import Context, Crumb, Page

MAX_COUNTRIES = 5

Region = tuple[str, str, list[tuple[str, str]]]  # (name, path, its subregions' (name, path))


@dataclass(frozen=True)
class CompareContext(Context):
    regions: list[Region]
    countries: list[tuple[str, str]]  # (iso3, name), by name in the page's language
    targets: list[tuple[str, str, list[tuple[Indicator, Optional[float]]]]]  # (id, title, (indicator, top))
    most: int


def _regions(view: View) -> list[Region]:
    named = [
        (
            i18n.region_name(r),
            routes.region(r),
            sorted(((i18n.region_name(s), routes.region(s)) for s in subs), key=lambda t: i18n.sort_key(t[0])),
        )
        for r, subs in view.plan.regions.items()
    ]
    return sorted(named, key=lambda t: i18n.sort_key(t[0]))


def _top(ind: Indicator) -> Optional[float]:
    """The end of a bar chart's scale, where the unit has one (none: no chart)."""
    if ind.unit in (Unit.YES_NO, Unit.CATEGORY):
        return None
    if ind.maximum is not None:
        return ind.maximum
    return {Unit.PERCENT: 100.0, Unit.INDEX: 1.0, Unit.SCORE: 100.0}.get(ind.unit)


def compare(view: View) -> Page:
    site = view.site
    countries = sorted(
        ((iso3, view.names[iso3]) for iso3 in view.plan.country_pages), key=lambda c: (i18n.sort_key(c[1]), c[0])
    )
    targets = [
        (
            t,
            _("Target {id}").format(id=t) + " " + (site.targets[t].title or ""),
            [(ind, _top(ind)) for ind in site.targets[t].indicators],
        )
        for t in site.focus_targets
    ]
    return Page(
        routes.compare(),
        "compare.html",
        _("Compare countries"),
        _("Up to five countries side by side, for each focus target of the Call to Action and its indicators."),
        (Crumb(_("Countries"), routes.countries()), Crumb(_("Compare countries"), "")),
        CompareContext(_regions(view), countries, targets, MAX_COUNTRIES),
    )


@dataclass(frozen=True)
class ValuesContext(Context):
    values: Markup  # the JSON text


def _number(value: Union[float, bool, str]) -> Optional[float]:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    return None if isinstance(value, str) else float(value)


Cell = list[Union[str, Optional[float]]]  # [as the country page writes it, the number, the source id]


def values_of(view: View, iso3: str) -> dict[str, dict[str, Any]]:
    """A country's latest value of each focus indicator (as its page writes it, as a number, and its
    source), and each source cited: its name in the view's language and its address."""
    site = view.site
    series = view.facts.by_country.get(iso3, {})
    values: dict[str, Cell] = {}
    for t in site.focus_targets:
        for ind in site.targets[t].indicators:
            s = series.get(ind.id)
            if s is not None:
                o = s.latest
                values[ind.id] = [f"{shown(o.value, ind)} ({o.year})", _number(o.value), o.source]
    cited = sorted({str(cell[2]) for cell in values.values()})
    sources = {sid: [str(view.source_names[sid]), str(site.sources[sid].url)] for sid in cited}
    return {"sources": sources, "values": values}


def values(view: View, iso3: str) -> Page:
    text = json.dumps(values_of(view, iso3), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Page(routes.compare_values(iso3), "compare.json", "", "", (), ValuesContext(Markup(text)), sitemap=False)
