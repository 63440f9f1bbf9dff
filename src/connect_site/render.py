"""Pages: every HTML page of the site, rendered into memory (path -> bytes).

Templates get a read-only view of the checked site and a `link` that makes relative
URLs. Jinja runs with autoescape and StrictUndefined; contributor text only ever
arrives as data (escaped) or as Markdown rendered by `markup.render_markdown`
(sanitized). Nothing here touches the output folder.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from markupsafe import Markup

from . import charts, geo, routes
from .facts import Facts, Series, meets_goal
from .graph import CountryView, Site
from .markup import render_markdown
from .schema import Indicator, Initiative, Practice, Target, Unit, target_sort_key
from .stats import Observation
from .theme import Theme, label

LATEST_ENTRIES = 6
PageSpec = tuple[str, Union[None, int, str, tuple[str, str]]]  # (builder, argument): see Renderer.specs


@dataclass(frozen=True)
class Crumb:
    title: str
    path: str


@dataclass(frozen=True)
class Page:
    path: str  # "targets/1.4/"
    template: str
    title: str
    description: str
    crumbs: tuple[Crumb, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    rooted: bool = False  # links from the site root (the 404 page is served at any depth)
    sitemap: bool = True


@dataclass(frozen=True)
class EntryCard:
    kind: str
    slug: str
    item: Union[Initiative, Practice]
    when: str  # sortable date text, "" when unknown


@dataclass(frozen=True)
class IndicatorView:
    indicator: Indicator
    latest: dict[str, Observation]
    met: int
    reported: int
    yes: int
    map: Markup
    chart: Markup
    sources: list[str]


class Renderer:
    """All pages of one site, rendered with one theme."""

    def __init__(self, site: Site, theme: Theme, base_url: str, build_date: str) -> None:
        self.site = site
        self.facts = Facts(site)
        self.theme = theme
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.build_date = build_date
        self.names = {iso3: view.name for iso3, view in site.countries.items()}
        self.entries = self._entries()
        self.cards = {(c.kind, c.slug): c for c in self.entries}
        self.country_pages = self._country_pages()
        self.has_page = frozenset(self.country_pages)
        publishers = Counter(src.publisher for src in site.sources.values())
        self.source_names = {
            k: src.publisher if publishers[src.publisher] == 1 else src.title for k, src in site.sources.items()
        }

    # -- collections ----------------------------------------------------------------

    def _entries(self) -> list[EntryCard]:
        cards = [EntryCard("initiative", s, i, i.start or "") for s, i in self.site.initiatives.items()]
        cards += [EntryCard("practice", s, p, p.date or "") for s, p in self.site.practices.items()]
        return cards

    def newest_entries(self, limit: int = LATEST_ENTRIES) -> list[EntryCard]:
        """Dated initiatives and practices, newest first (the home page and the feed)."""
        dated = [c for c in self.entries if c.when]
        return sorted(dated, key=lambda c: (c.when, c.kind, c.slug), reverse=True)[:limit]

    def _country_pages(self) -> list[str]:
        """Countries with data, a country file, or an entry about them."""
        wanted = set(self.facts.by_country)
        wanted |= {iso3 for iso3, view in self.site.countries.items() if view.entry is not None}
        wanted |= set(self.site.initiatives_by_country) | set(self.site.practices_by_country)
        return sorted(wanted & set(self.site.countries))

    def country(self, iso3: str) -> CountryView:
        return self.site.countries[iso3]

    # -- pages ----------------------------------------------------------------------

    def specs(self) -> list[PageSpec]:
        """What to build, in order: (builder, argument). `build` turns one into its pages.

        Builders are named, not bound, so that worker processes can build their share of
        the pages themselves (see build.py).
        """
        site = self.site
        out: list[PageSpec] = [("home", None)]
        out += [("goal", n) for n in site.goals]
        out.append(("targets", None))
        out += [("target", t) for t in site.targets]
        out.append(("countries", None))
        out += [("country", iso3) for iso3 in self.country_pages]
        for kind in ("initiative", "practice"):
            out.append(("listings", kind))
            out += [("entry", (c.kind, c.slug)) for c in self.entries if c.kind == kind]
        out += [("downloads", None), ("404", None)]
        return out

    def build(self, spec: PageSpec) -> list[Page]:
        name, arg = spec
        if name == "home":
            return [self._home()]
        if name == "goal":
            return [self._goal(int(str(arg)))]
        if name == "targets":
            return [
                Page(
                    routes.targets(),
                    "targets.html",
                    "Targets",
                    "Every Connect 2030 target, by goal.",
                    (Crumb("Targets", ""),),
                )
            ]
        if name == "target":
            return [self._target(self.site.targets[str(arg)])]
        if name == "countries":
            return [self._countries()]
        if name == "country":
            return [self._country(str(arg))]
        if name == "listings":
            return self._listings(str(arg))
        if name == "entry":
            assert isinstance(arg, tuple)
            kind, slug = arg
            return [self._entry(self.cards[(kind, slug)])]
        if name == "downloads":
            return [self._downloads_page()]
        if name == "404":
            return [
                Page("404.html", "404.html", "Page not found", "This page does not exist.", rooted=True, sitemap=False)
            ]
        raise ValueError(f"unknown page builder {name!r}")

    def pages(self) -> list[Page]:
        return [page for spec in self.specs() for page in self.build(spec)]

    def _home(self) -> Page:
        focus = [self._target_summary(self.site.targets[t]) for t in self.site.focus_targets]
        counts = {
            "countries with data": len(self.facts.by_country),
            "statistics": len(self.site.observations),
            "national initiatives": len(self.site.initiatives),
            "stakeholder practices": len(self.site.practices),
        }
        coverage_map = charts.count_map(
            self.facts.coverage,
            id_prefix="cov",
            title="Reporting coverage",
            desc=(
                f"World map: {len(self.facts.coverage)} countries have data for at least one indicator; "
                "darker countries report more indicators. The table below lists them by region."
            ),
        )
        by_region: dict[str, list[str]] = {}
        for iso3 in self.facts.coverage:
            by_region.setdefault(self.country(iso3).ref.region or "Other", []).append(iso3)
        regions = {r: len(v) for r, v in sorted(by_region.items())}
        return Page(
            routes.home(),
            "home.html",
            self.site.config.title,
            self.site.config.tagline or self.site.config.title,
            data={
                "focus": focus,
                "counts": counts,
                "latest": self.newest_entries(),
                "coverage_map": coverage_map,
                "regions": regions,
                "indicator_total": len(self.site.indicators),
                "world_defs": geo.world_defs(),
            },
        )

    def _target_summary(self, target: Target) -> dict[str, Any]:
        """Headline figures for a target: one line per indicator."""
        lines = []
        for ind in target.indicators:
            met, reported = self.facts.goal_count(ind.id)
            lines.append({"indicator": ind, "met": met, "reported": reported, "yes": self.facts.yes_count(ind.id)})
        statuses = Counter(s.status.value for _, s in self.site.statuses_by_target.get(target.id, []))
        return {"target": target, "lines": lines, "statuses": dict(sorted(statuses.items()))}

    def _goal(self, n: int) -> Page:
        goal = self.site.goals[n]
        targets = [self._target_summary(self.site.targets[t]) for t in self.site.targets_by_goal.get(n, [])]
        return Page(
            routes.goal(n),
            "goal.html",
            f"Goal {n}: {goal.title}",
            goal.statement,
            (Crumb(f"Goal {n}", ""),),
            {"goal": goal, "targets": targets, "body": self._markdown(goal.body)},
        )

    def _target(self, target: Target) -> Page:
        views = [self._indicator_view(ind) for ind in target.indicators]
        rows = sorted({iso3 for v in views for iso3 in v.latest}, key=lambda iso3: (self.names[iso3].casefold(), iso3))
        cited = sorted({s for v in views for s in v.sources} | {target.source})
        statuses = sorted(
            ((self.names[iso3], iso3, s) for iso3, s in self.site.statuses_by_target.get(target.id, [])),
            key=lambda t: (t[0].casefold(), t[1]),
        )
        goal = self.site.goals.get(target.goal)
        return Page(
            routes.target(target.id),
            "target.html",
            f"Target {target.id}: {target.title or target.text}",
            target.text,
            (Crumb(f"Goal {target.goal}", routes.goal(target.goal)) if goal else Crumb("Targets", routes.targets()),)
            + (Crumb(f"Target {target.id}", ""),),
            {
                "target": target,
                "goal": goal,
                "indicators": views,
                "rows": rows,
                **_split_titles([v.indicator.title for v in views]),
                "cited": cited,
                "statuses": statuses,
                "initiatives": [
                    (s, self.site.initiatives[s]) for s in self.site.initiatives_by_target.get(target.id, [])
                ],
                "practices": [(s, self.site.practices[s]) for s in self.site.practices_by_target.get(target.id, [])],
                "body": self._markdown(target.body),
                "world_defs": geo.world_defs() if views else Markup(""),
            },
        )

    def _indicator_view(self, ind: Indicator) -> IndicatorView:
        latest = self.facts.latest(ind.id)
        met, reported = self.facts.goal_count(ind.id)
        prefix = f"m-{ind.id}"
        if ind.unit is Unit.YES_NO:
            yes = self.facts.yes_count(ind.id)
            map_svg = charts.yes_no_map(
                {k: bool(o.value) for k, o in latest.items()},
                id_prefix=prefix,
                title=f"{ind.title}: latest answer per country",
                desc=f"World map. {yes} of {reported} reporting countries answer yes. The table below lists them.",
            )
            chart = Markup("")
        else:
            yes = 0
            values = {k: float(o.value) for k, o in latest.items()}
            map_svg = charts.choropleth(
                values,
                unit=ind.unit.value,
                id_prefix=prefix,
                title=f"{ind.title}: latest value per country",
                desc=(
                    f"World map of the latest value for {reported} countries, shaded by value. "
                    "The table below gives every value with its year and source."
                ),
                goal_value=ind.goal_value,
                direction=ind.direction.value if ind.direction else None,
            )
            by_year = self.facts.by_year(ind.id)
            chart = charts.distribution_chart(
                by_year,
                unit=ind.unit.value,
                id_prefix=f"d-{ind.id}",
                title=f"{ind.title}: distribution across countries over time",
                desc=(
                    "Median (line) and middle half of countries (band, 25th to 75th percentile) per year, "
                    f"for years with at least 3 countries; {len(by_year)} years of data."
                ),
                goal_value=ind.goal_value,
            )
        sources = sorted({o.source for o in latest.values()}) or [ind.source]
        return IndicatorView(ind, latest, met, reported, yes, map_svg, chart, sources)

    def _countries(self) -> Page:
        by_region: dict[str, list[CountryView]] = {}
        for iso3 in self.country_pages:
            view = self.country(iso3)
            by_region.setdefault(view.ref.region or "Other", []).append(view)
        regions = {r: sorted(v, key=lambda c: c.name.casefold()) for r, v in sorted(by_region.items())}
        return Page(
            routes.countries(),
            "countries.html",
            "Countries",
            "Every country with statistics, initiatives or practices on this site.",
            (Crumb("Countries", ""),),
            {"regions": regions, "coverage": self.facts.coverage, "indicator_total": len(self.site.indicators)},
        )

    def _country(self, iso3: str) -> Page:
        view = self.country(iso3)
        series = self.facts.by_country.get(iso3, {})
        sections = []
        for ind_id, s in series.items():
            ind = self.site.indicators[ind_id]
            sections.append(self._country_indicator(view, ind, s))
        missing = [(self.site.indicator_target[i], ind) for i, ind in self.site.indicators.items() if i not in series]
        statuses = {s.target: s for s in (view.entry.statuses if view.entry else [])}
        focus = []
        for t in self.site.focus_targets:
            target = self.site.targets[t]
            latest = [(ind, series[ind.id].latest) for ind in target.indicators if ind.id in series]
            focus.append({"target": target, "status": statuses.get(t), "latest": latest})
        cited = sorted({o.source for s in series.values() for o in s.points})
        return Page(
            routes.country(iso3),
            "country.html",
            view.name,
            f"{view.name}: Connect 2030 statistics, targets, initiatives and practices.",
            (Crumb("Countries", routes.countries()), Crumb(view.name, "")),
            {
                "country": view,
                "sections": sections,
                "missing": missing,
                "focus": focus,
                "other_statuses": [s for t, s in sorted(statuses.items()) if t not in self.site.focus_targets],
                "cited": cited,
                "initiatives": [(s, self.site.initiatives[s]) for s in self.site.initiatives_by_country.get(iso3, [])],
                "practices": [(s, self.site.practices[s]) for s in self.site.practices_by_country.get(iso3, [])],
                "body": self._markdown(view.entry.body if view.entry else None),
                "downloads": bool(series),
            },
        )

    def _country_indicator(self, view: CountryView, ind: Indicator, s: Series) -> dict[str, Any]:
        chart = Markup("")
        if ind.unit is not Unit.YES_NO and len(s.points) > 1:
            lines = {view.name: s.numeric()}
            region_median = self.facts.median_series(ind.id, view.ref.region) if view.ref.region else []
            if region_median and view.ref.region:
                lines[f"{view.ref.region} median"] = region_median
            lines["World median"] = self.facts.median_series(ind.id)
            chart = charts.trend_chart(
                lines,
                unit=ind.unit.value,
                id_prefix=f"t-{ind.id}",
                title=f"{ind.title}, {view.name}",
                desc=(
                    f"{view.name} ({len(s.points)} values, {s.points[0].year} to {s.latest.year}) compared with "
                    "the median of its region and of the world. The table gives every value."
                ),
                goal_value=ind.goal_value,
            )
        return {"indicator": ind, "series": s, "chart": chart, "meets": meets_goal(ind, s.latest.value)}

    def _listings(self, kind: str) -> list[Page]:
        items = [c for c in self.entries if c.kind == kind]
        plural = "Initiatives" if kind == "initiative" else "Practices"
        facets = self._facets(items)
        base = Crumb(plural, routes.listing(kind))
        pages = [
            Page(
                routes.listing(kind),
                "listing.html",
                plural,
                _LISTING_DESCRIPTIONS[kind],
                (Crumb(plural, ""),),
                {"kind": kind, "items": items, "facets": facets, "current": ("", "")},
            )
        ]
        for facet, values in facets.items():
            for value, (name, members) in values.items():
                pages.append(
                    Page(
                        routes.listing(kind, facet, value),
                        "listing.html",
                        f"{plural}: {name}",
                        f"{plural} for {name}.",
                        (base, Crumb(name, "")),
                        {"kind": kind, "items": members, "facets": facets, "current": (facet, value)},
                    )
                )
        return pages

    def _facets(self, items: list[EntryCard]) -> dict[str, dict[str, tuple[str, list[EntryCard]]]]:
        out: dict[str, dict[str, tuple[str, list[EntryCard]]]] = {f: {} for f in routes.FACETS}
        for card in items:
            for t in sorted(set(card.item.targets), key=target_sort_key):
                out["by-target"].setdefault(t, (f"Target {t}", []))[1].append(card)
            for c in sorted(set(card.item.countries)):
                out["by-country"].setdefault(c, (self.names[c], []))[1].append(card)
            k = card.item.kind.value
            out["by-kind"].setdefault(k, (label(k), []))[1].append(card)
        out["by-target"] = dict(sorted(out["by-target"].items(), key=lambda kv: target_sort_key(kv[0])))
        out["by-country"] = dict(sorted(out["by-country"].items(), key=lambda kv: (kv[1][0].casefold(), kv[0])))
        out["by-kind"] = dict(sorted(out["by-kind"].items()))
        return out

    def _entry(self, card: EntryCard) -> Page:
        plural = "Initiatives" if card.kind == "initiative" else "Practices"
        item = card.item
        return Page(
            routes.entry(card.kind, card.slug),
            "entry.html",
            item.title,
            item.summary or item.title,
            (Crumb(plural, routes.listing(card.kind)), Crumb(item.title, "")),
            {
                "card": card,
                "item": item,
                "targets": [self.site.targets[t] for t in sorted(set(item.targets), key=target_sort_key)],
                "countries": [self.country(c) for c in sorted(set(item.countries))],
                "body": self._markdown(item.body),
            },
        )

    def _downloads_page(self) -> Page:
        return Page(
            routes.downloads(),
            "data.html",
            "Data downloads",
            "Every statistic on this site as CSV and JSON, with a Frictionless data package.",
            (Crumb("Data", ""),),
            {},
        )

    def _markdown(self, body: Optional[str]) -> Markup:
        return render_markdown(body) if body and body.strip() else Markup("")

    # -- output ---------------------------------------------------------------------

    def render(self, page: Page, extra: dict[str, Any]) -> bytes:
        link = routes.Linker.rooted(page.path, self.base_url) if page.rooted else routes.Linker.relative(page.path)
        template = self.theme.env.get_template(page.template)
        html = template.render(
            page=page,
            site=self.site,
            config=self.site.config,
            link=link,
            routes=routes,
            names=self.names,
            css=self.theme.css.path,
            favicon=self.theme.favicon.path,
            canonical=routes.absolute(self.base_url, page.path),
            has_page=self.has_page,
            source_names=self.source_names,
            build_date=self.build_date,
            **page.data,
            **extra,
        )
        return html.encode("utf-8")


_LISTING_DESCRIPTIONS = {
    "initiative": "National initiatives towards the Connect 2030 targets: strategies, laws, programmes and projects.",
    "practice": (
        "What stakeholders share: challenges, lessons learned, guidelines, success stories, "
        "case studies, good practices, solutions, publications and policies."
    ),
}


def _split_titles(titles: list[str]) -> dict[str, Any]:
    """Column headers without the words every title shares ("Individuals with ICT skills: ...")."""
    common = ""
    if len(titles) > 1 and all(": " in t for t in titles):
        heads = {t.split(": ", 1)[0] for t in titles}
        if len(heads) == 1:
            common = heads.pop()
    short = [t.split(": ", 1)[1] if common else t for t in titles]
    return {"common": common, "short": [s[:1].upper() + s[1:] for s in short]}
