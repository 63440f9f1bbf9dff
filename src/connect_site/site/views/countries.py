"""The countries list and a country's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from connect_site.content.fields import Unit
from connect_site.content.graph import CountryView
from connect_site.content.schema import CountryStatus, Indicator, Initiative, Practice, Target
from connect_site.site import charts, i18n, routes
from connect_site.site.context import View
from connect_site.site.facts import Series, meets_goal
from connect_site.site.i18n import _
from connect_site.site.views.page import Context, Crumb, Page


@dataclass(frozen=True)
class CountriesContext(Context):
    regions: dict[str, list[CountryView]]
    coverage: dict[str, int]
    indicator_total: int


def countries(view: View) -> Page:
    by_region: dict[str, list[CountryView]] = {}
    for iso3 in view.plan.country_pages:
        country = view.country(iso3)
        by_region.setdefault(i18n.region_name(country.ref.region), []).append(country)
    regions = {
        r: sorted(v, key=lambda c: i18n.sort_key(c.name))
        for r, v in sorted(by_region.items(), key=lambda kv: i18n.sort_key(kv[0]))
    }
    return Page(
        routes.countries(),
        "countries.html",
        _("Countries"),
        _("Every country with statistics, initiatives or practices on this site."),
        (Crumb(_("Countries"), ""),),
        CountriesContext(regions, view.facts.coverage, len(view.site.indicators)),
    )


@dataclass(frozen=True)
class CountryContext(Context):
    country: CountryView
    other_names: list[tuple[str, str]]
    sections: list[dict[str, Any]]
    missing: list[tuple[str, Indicator]]
    focus: list[dict[str, Any]]
    other_statuses: list[CountryStatus]
    cited: list[str]
    initiatives: list[tuple[str, Initiative]]
    practices: list[tuple[str, Practice]]
    body: Markup
    downloads: bool


def country(view: View, iso3: str) -> Page:
    site = view.site
    the_country = view.country(iso3)
    series = view.facts.by_country.get(iso3, {})
    sections = [
        _country_indicator(view, the_country, site.indicators[ind_id], s, k)
        for k, (ind_id, s) in enumerate(series.items(), 1)
    ]
    missing = [(site.indicator_target[i], ind) for i, ind in site.indicators.items() if i not in series]
    statuses = {s.target: s for s in (the_country.entry.statuses if the_country.entry else [])}
    focus = []
    for t in site.focus_targets:
        the_target: Target = site.targets[t]
        latest = [(ind, series[ind.id].latest) for ind in the_target.indicators if ind.id in series]
        focus.append({"target": the_target, "status": statuses.get(t), "latest": latest})
    context = CountryContext(
        country=the_country,
        other_names=other_names(view, the_country),
        sections=sections,
        missing=missing,
        focus=focus,
        other_statuses=[s for t, s in sorted(statuses.items()) if t not in site.focus_targets],
        cited=sorted({o.source for s in series.values() for o in s.points}),
        initiatives=[(s, view.initiatives[s]) for s in site.initiatives_by_country.get(iso3, [])],
        practices=[(s, view.practices[s]) for s in site.practices_by_country.get(iso3, [])],
        body=view.markdown(the_country.entry.body if the_country.entry else None),
        downloads=bool(series),
    )
    return Page(
        routes.country(iso3),
        "country.html",
        the_country.name,
        _("{country}: Connect 2030 statistics, targets, initiatives and practices.").format(country=the_country.name),
        (Crumb(_("Countries"), routes.countries()), Crumb(the_country.name, "")),
        context,
    )


def other_names(view: View, country: CountryView) -> list[tuple[str, str]]:
    """The country's name in the site's other languages (CLDR), for readers and for search."""
    if not country.ref.iso2:
        return []
    out = []
    for lang in view.languages:
        if lang.code != view.lang.code:
            name = country.name if lang.code == view.default else i18n.territory_name(country.ref.iso2, lang.code)
            out.append((lang.code, name or country.name))
    return out


def _country_indicator(view: View, country: CountryView, ind: Indicator, s: Series, k: int) -> dict[str, Any]:
    chart = Markup("")
    if ind.unit is not Unit.YES_NO and len(s.points) > 1:
        facts = view.facts
        lines = {country.name: s.numeric()}
        region_median = facts.median_series(ind.id, country.ref.region) if country.ref.region else []
        if region_median and country.ref.region:
            lines[_("{region} median").format(region=i18n.region_name(country.ref.region))] = region_median
        lines[_("World median")] = facts.median_series(ind.id)
        chart = charts.trend_chart(
            lines,
            unit=ind.unit.value,
            id_prefix=f"t{k}",
            title=_("{indicator}, {country}").format(indicator=ind.title, country=country.name),
            desc=_(
                "{country} ({n} values, {first} to {last}) compared with "
                "the median of its region and of the world. The table gives every value."
            ).format(country=country.name, n=len(s.points), first=s.points[0].year, last=s.latest.year),
            goal_value=ind.goal_value,
        )
    return {"indicator": ind, "series": s, "chart": chart, "meets": meets_goal(ind, s.latest.value)}
