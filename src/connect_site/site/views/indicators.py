"""An indicator's page: its world and regional figures, its map, its distribution over time and every
country's latest value, with the footnotes and sources of each figure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup

from connect_site.content.fields import Unit
from connect_site.content.observations import Observation
from connect_site.content.schema import Indicator, Target
from connect_site.site import charts, i18n, maps, routes
from connect_site.site.aggregates import WORLD, Aggregate
from connect_site.site.context import View
from connect_site.site.headlines import Headline, Notes, headline
from connect_site.site.i18n import _
from connect_site.site.views.page import Context, Crumb, Page


@dataclass(frozen=True)
class IndicatorView:
    """An indicator's figures, its map and its chart (empty Markup where the page has none)."""

    indicator: Indicator
    latest: dict[str, Observation]
    headline: Headline
    map: Markup
    chart: Markup
    sources: list[str]


def indicator_view(view: View, ind: Indicator, k: int, *, drawn: bool = True) -> IndicatorView:
    """An indicator's figures, and with `drawn` its map and chart; `k` numbers its SVG ids on the page."""
    facts = view.facts
    latest = facts.latest(ind.id)
    target = view.site.targets[view.site.indicator_target[ind.id]]
    head = headline(facts, ind, target)
    sources = sorted({o.source for o in latest.values()}) or [ind.source]
    if not drawn:
        return IndicatorView(ind, latest, head, Markup(""), Markup(""), sources)
    prefix = f"m{k}"
    if ind.unit is Unit.YES_NO:
        map_svg = maps.yes_no_map(
            {k: bool(o.value) for k, o in latest.items()},
            id_prefix=prefix,
            title=_("{indicator}: latest answer per country").format(indicator=ind.title),
            desc=_("World map. {yes} of {reported} reporting countries answer yes. The table below lists them.").format(
                yes=head.yes, reported=head.reported
            ),
        )
        return IndicatorView(ind, latest, head, map_svg, Markup(""), sources)
    if ind.unit is Unit.CATEGORY:
        map_svg = maps.category_map(
            {k: str(o.value) for k, o in latest.items()},
            [(c.code, c.label) for c in ind.categories],
            id_prefix=prefix,
            title=_("{indicator}: latest value per country").format(indicator=ind.title),
            desc=_("World map of the latest category of {n} countries. The table below gives every value.").format(
                n=head.reported
            ),
        )
        return IndicatorView(ind, latest, head, map_svg, Markup(""), sources)
    map_svg = maps.choropleth(
        {k: float(o.value) for k, o in latest.items()},
        unit=ind.unit.value,
        id_prefix=prefix,
        title=_("{indicator}: latest value per country").format(indicator=ind.title),
        desc=_(
            "World map of the latest value for {n} countries, shaded by value. "
            "The table below gives every value with its year and source."
        ).format(n=head.reported),
        goal_value=ind.goal_value,
        direction=ind.direction.value if ind.direction else None,
    )
    by_year = facts.by_year(ind.id)
    chart = charts.distribution_chart(
        by_year,
        unit=ind.unit.value,
        id_prefix=f"d{k}",
        title=_("{indicator}: distribution across countries over time").format(indicator=ind.title),
        desc=_(
            "Median (line) and middle half of countries (band, 25th to 75th percentile) per year, "
            "for years with at least 3 countries; {n} years of data."
        ).format(n=len(by_year)),
        goal_value=ind.goal_value,
    )
    return IndicatorView(ind, latest, head, map_svg, chart, sources)


@dataclass(frozen=True)
class IndicatorContext(Context):
    target: Target
    v: IndicatorView
    rows: list[tuple[str, Observation, int]]  # (iso3, latest observation, footnote number)
    notes: list[str]
    regions: list[tuple[str, Aggregate]]  # the UN regions' figures, in the world figure's year
    main_source: str  # the source of most values; a value from another one names its own
    cited: list[str]
    world_defs: Markup


def indicator(view: View, indicator_id: str) -> Page:
    site = view.site
    ind = site.indicators[indicator_id]
    target = site.targets[site.indicator_target[indicator_id]]
    v = indicator_view(view, ind, 1)
    notes = Notes()
    order = sorted(v.latest, key=lambda iso3: (i18n.sort_key(view.names[iso3]), iso3))
    rows = [(iso3, v.latest[iso3], notes.mark(v.latest[iso3].quality)) for iso3 in order]
    world = v.headline.world
    regions: list[tuple[str, Aggregate]] = []
    if world is not None:
        for region in sorted({c.ref.region for c in site.countries.values() if c.ref.region}):
            found = view.facts.aggregates.at(indicator_id, region, world.year)
            if found is not None and found.area != WORLD:
                regions.append((i18n.region_name(region), found))
        regions.sort(key=lambda r: i18n.sort_key(r[0]))
    agency = [f.source for f in site.world_figures.get(indicator_id, [])]
    cited = sorted(set(v.sources) | set(agency))
    defs = view.map_defs(routes.indicator(target.id, indicator_id)) if v.latest else Markup("")
    counts = Counter(o.source for o in v.latest.values())
    main_source = min(counts, key=lambda s: (-counts[s], s)) if counts else ind.source
    context = IndicatorContext(target, v, rows, notes.texts, regions, main_source, cited, defs)
    return Page(
        routes.indicator(target.id, indicator_id),
        "indicator.html",
        # Translators: the title of an indicator's page (the browser tab); one indicator can serve two targets.
        _("{indicator} (target {id})").format(indicator=ind.title, id=target.id),
        ind.description or ind.title,
        (
            Crumb(_("Target {id}").format(id=target.id), routes.target(target.id)),
            Crumb(ind.title, ""),
        ),
        context,
    )


def first_drawn(views: list[IndicatorView]) -> Optional[int]:
    """The indicator whose map a target's page shows: the first that measures the target and has data,
    else the first with data."""
    with_data = [k for k, v in enumerate(views) if v.latest]
    measured = [k for k in with_data if not views[k].headline.proxy]
    chosen = measured or with_data
    return chosen[0] if chosen else None
