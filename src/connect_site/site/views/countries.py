"""The countries list and a country's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from markupsafe import Markup

from connect_site.content.fields import Unit
from connect_site.content.graph import CountryView
from connect_site.content.observations import Observation
from connect_site.content.schema import CountryStatus, Indicator, Initiative, Practice, Target
from connect_site.content.world import WorldFigure
from connect_site.site import charts, i18n, routes
from connect_site.site.aggregates import WORLD, Aggregate
from connect_site.site.context import View
from connect_site.site.facts import Series, meets_goal
from connect_site.site.headlines import Notes
from connect_site.site.i18n import _
from connect_site.site.views.page import Context, Crumb, Page


@dataclass(frozen=True)
class Picker:
    """What the country picker (assets/picker.js) reads from a page besides each country link's text: its codes,
    its English name and its common name, and the words for a count of matches."""

    codes: dict[str, str]  # iso3 -> "KEN KE"
    english: dict[str, str]  # iso3 -> the English name, where the page names the country otherwise
    common: dict[str, str]  # iso3 -> CLDR's name in the page's language, where the UN's differs ("Kenia", "Bolivie")
    counts: dict[str, str]  # CLDR plural category -> "{n} countries", in the page's language


def picker(view: View) -> Picker:
    """The country links' data for the picker. The English name is the one the site gives the country, which
    its English pages show."""
    codes, english, common = {}, {}, {}
    for iso3 in view.plan.country_pages:
        country = view.country(iso3)
        codes[iso3] = f"{iso3} {country.ref.iso2}".strip()
        en = view.site.countries[iso3].name
        if en != country.name:
            english[iso3] = en
        cldr = view.lang.locale.territories.get(country.ref.iso2) if country.ref.iso2 else None
        if cldr and cldr.casefold() not in (country.name.casefold(), en.casefold()):
            common[iso3] = cldr
    return Picker(codes, english, common, _match_counts(view))


def _match_counts(view: View) -> dict[str, str]:
    """ "{n} countries" in each plural form of the language (by CLDR category, as Intl.PluralRules names them),
    from the catalog's form for the smallest number in that category."""
    rule = view.lang.locale.plural_form
    samples: dict[str, int] = {}
    for n in range(1, 1001):
        samples.setdefault(rule(n), n)
    return {
        # Translators: said and shown by the country picker: how many countries match what is typed.
        category: i18n.ngettext("%(num)s country", "%(num)s countries", n) % {"num": "{n}"}
        for category, n in samples.items()
    }


@dataclass(frozen=True)
class CountriesContext(Context):
    regions: dict[str, list[CountryView]]
    coverage: dict[str, int]
    indicator_total: int
    picker: Picker


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
        CountriesContext(regions, view.facts.coverage, len(view.site.indicators), picker(view)),
    )


EARLIER = 5  # earlier values shown per focus indicator: the editions of an index since 2014


@dataclass(frozen=True)
class FocusRow:
    """One indicator of a focus target, for one country: its latest figure, how it changed, and the
    figures of the country's region and of the world in the same year."""

    indicator: Indicator
    latest: Observation
    mark: int  # the footnote of the latest value's quality flag (0: none)
    earlier: list[Observation]  # the values before the latest, newest first (at most EARLIER)
    region: Optional[Aggregate]
    world: Optional[Aggregate]
    agency: Optional[WorldFigure]  # the agency's own world figure for that year, when it publishes one


@dataclass(frozen=True)
class FocusTarget:
    target: Target
    status: Optional[CountryStatus]
    rows: list[FocusRow]


def _focus_rows(
    view: View, country: CountryView, target: Target, series: dict[str, Series], notes: Notes
) -> list[FocusRow]:
    rows = []
    aggregates = view.facts.aggregates
    for ind in target.indicators:
        s = series.get(ind.id)
        if s is None:
            continue
        o = s.latest
        region = aggregates.at(ind.id, country.ref.region, o.year) if country.ref.region else None
        agency = next((f for f in view.site.world_figures.get(ind.id, []) if f.year == o.year), None)
        world = aggregates.at(ind.id, WORLD, o.year)
        earlier = list(reversed(s.points[:-1]))[:EARLIER]
        rows.append(FocusRow(ind, o, notes.mark(o.quality), earlier, region, world, agency))
    return rows


@dataclass(frozen=True)
class CountryContext(Context):
    country: CountryView
    other_names: list[tuple[str, str]]
    with_data: int  # indicators with data for the country
    others: int  # of them, beyond the focus targets (on its statistics page)
    indicators: int
    focus: list[FocusTarget]
    other_statuses: list[CountryStatus]
    cited: list[str]
    initiatives: list[tuple[str, Initiative]]
    practices: list[tuple[str, Practice]]
    body: Markup
    downloads: bool
    notes: list[str]  # the quality flags of the focus figures, numbered by Notes


def country(view: View, iso3: str) -> Page:
    site = view.site
    the_country = view.country(iso3)
    series = view.facts.by_country.get(iso3, {})
    statuses = {s.target: s for s in (the_country.entry.statuses if the_country.entry else [])}
    notes = Notes()
    focus = [
        FocusTarget(site.targets[t], statuses.get(t), _focus_rows(view, the_country, site.targets[t], series, notes))
        for t in site.focus_targets
    ]
    in_focus = {i.id for t in site.focus_targets for i in site.targets[t].indicators}
    context = CountryContext(
        country=the_country,
        other_names=other_names(view, the_country),
        with_data=len(series),
        others=sum(1 for i in series if i not in in_focus),
        indicators=len(site.indicators),
        focus=focus,
        other_statuses=[s for t, s in sorted(statuses.items()) if t not in site.focus_targets],
        cited=sorted(
            {r.latest.source for f in focus for r in f.rows}
            | {r.agency.source for f in focus for r in f.rows if r.agency}
        ),
        initiatives=[(s, view.initiatives[s]) for s in site.initiatives_by_country.get(iso3, [])],
        practices=[(s, view.practices[s]) for s in site.practices_by_country.get(iso3, [])],
        body=view.markdown(the_country.entry.body if the_country.entry else None),
        downloads=bool(series),
        notes=notes.texts,
    )
    return Page(
        routes.country(iso3),
        "country.html",
        the_country.name,
        _("{country}: Connect 2030 statistics, targets, initiatives and practices.").format(country=the_country.name),
        (Crumb(_("Countries"), routes.countries()), Crumb(the_country.name, "")),
        context,
    )


def _cited(focus: list[FocusTarget]) -> list[str]:
    """The sources of the focus table's figures."""
    rows = [r for f in focus for r in f.rows]
    return sorted({r.latest.source for r in rows} | {r.agency.source for r in rows if r.agency})


@dataclass(frozen=True)
class StatisticsContext(Context):
    country: CountryView
    sections: list[dict[str, Any]]
    missing: list[tuple[str, Indicator]]
    cited: list[str]


def statistics(view: View, iso3: str) -> Page:
    """A country's values for every indicator beyond the focus targets (those are on its page), by year."""
    site = view.site
    the_country = view.country(iso3)
    series = view.facts.by_country.get(iso3, {})
    in_focus = {i.id for t in site.focus_targets for i in site.targets[t].indicators}
    shown = {ind_id: s for ind_id, s in series.items() if ind_id not in in_focus}
    sections = [
        _country_indicator(view, the_country, site.indicators[ind_id], s, k)
        for k, (ind_id, s) in enumerate(shown.items(), 1)
    ]
    missing = [
        (site.indicator_target[i], ind) for i, ind in site.indicators.items() if i not in series and i not in in_focus
    ]
    cited = sorted({o.source for s in shown.values() for o in s.points})
    return Page(
        routes.country_statistics(iso3),
        "statistics.html",
        _("{country}: statistics").format(country=the_country.name),
        _("{country}: every statistic on this site beyond the focus targets, by year.").format(
            country=the_country.name
        ),
        (
            Crumb(_("Countries"), routes.countries()),
            Crumb(the_country.name, routes.country(iso3)),
            Crumb(_("Statistics"), ""),
        ),
        StatisticsContext(the_country, sections, missing, cited),
    )


def other_names(view: View, country: CountryView) -> list[tuple[str, str]]:
    """The country's name in the site's other languages (CLDR), for readers and for search."""
    if not country.ref.iso2:
        return []
    out = []
    for lang in view.languages:
        if lang.code != view.lang.code:
            name = (
                country.name
                if lang.code == view.default
                else i18n.country_name(country.ref.iso3, country.ref.iso2, lang.code)
            )
            out.append((lang.code, name or country.name))
    return out


def _country_indicator(view: View, country: CountryView, ind: Indicator, s: Series, k: int) -> dict[str, Any]:
    chart = Markup("")
    if ind.unit not in (Unit.YES_NO, Unit.CATEGORY) and len(s.points) > 1:
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
