"""Pages: every HTML page of the site, rendered into memory (path -> bytes).

Templates get a read-only view of the checked site and a `link` that makes relative
URLs. Jinja runs with autoescape and StrictUndefined; contributor text only ever
arrives as data (escaped) or as Markdown rendered by `markup.render_markdown`
(sanitized). Nothing here touches the output folder.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Optional, TypeVar, Union

from markupsafe import Markup

from connect_site.content.graph import CountryView, Site
from connect_site.content.observations import Observation
from connect_site.content.schema import Indicator, Initiative, Practice, Target, Unit, target_sort_key
from connect_site.site import charts, geo, i18n, routes
from connect_site.site.facts import Facts, Series, meets_goal
from connect_site.site.i18n import N_, _
from connect_site.site.markdown import render_markdown
from connect_site.site.theme import Theme, label

LATEST_ENTRIES = 6
Item = TypeVar("Item", Initiative, Practice)
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
class Alternate:
    """The same page in another language: for the switcher (relative) and hreflang (absolute)."""

    code: str
    name: str
    href: str


def country_name(view: CountryView) -> str:
    """A country's name in the active language (CLDR), or as the site knows it in the default language."""
    if i18n.active() == "en" or not view.ref.iso2:
        return view.name
    return i18n.territory_name(view.ref.iso2) or view.name


def site_languages(site: Site) -> list[str]:
    """The site's languages, the default first, each once."""
    codes = [site.config.default_language] + list(site.config.languages)
    return list(dict.fromkeys(codes))


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

    def __init__(
        self, site: Site, theme: Theme, base_url: str, build_date: str, lang: str = "", facts: Optional[Facts] = None
    ) -> None:
        self.site = site
        self.lang = i18n.language(lang or site.config.default_language)
        self.languages = [i18n.language(code) for code in site_languages(site)]
        self.default = site.config.default_language
        self.prefix = routes.lang_prefix(self.lang.code, self.default)
        self.facts = facts or Facts(site)
        self.theme = theme
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.build_date = build_date
        with i18n.use(self.lang.code):
            self.names = {iso3: country_name(view) for iso3, view in site.countries.items()}
        self.views = {iso3: replace(view, name=self.names[iso3]) for iso3, view in site.countries.items()}
        self.initiatives = {s: self._translated("initiative", s, i) for s, i in site.initiatives.items()}
        self.practices = {s: self._translated("practice", s, p) for s, p in site.practices.items()}
        self.entries = self._entries()
        self.cards = {(c.kind, c.slug): c for c in self.entries}
        self.country_pages = self._country_pages()
        self.has_page = frozenset(self.country_pages)
        publishers = Counter(src.publisher for src in site.sources.values())
        self.source_names = {
            k: src.publisher if publishers[src.publisher] == 1 else src.title for k, src in site.sources.items()
        }

    # -- collections ----------------------------------------------------------------

    def _translated(self, kind: str, slug: str, item: Item) -> Item:
        """The entry with its title, summary and body in this language, where a translation has them."""
        t = self.site.translations.get((kind, slug), {}).get(self.lang.code)
        if t is None:
            return item
        update = {"title": t.title, "summary": t.summary or item.summary, "body": t.body or item.body}
        return item.model_copy(update=update)

    def field_lang(self, kind: str, slug: str, name: str) -> str:
        """The language of one translatable field as shown on this language's pages ("" for this one)."""
        if self.lang.code == self.default:
            return ""
        t = self.site.translations.get((kind, slug), {}).get(self.lang.code)
        return "" if t is not None and getattr(t, name) else self.default

    def original_lang(self, kind: str, slug: str) -> str:
        """The language an entry's title is shown in, when it is not this one ("" when it is)."""
        return self.field_lang(kind, slug, "title")

    def _entries(self) -> list[EntryCard]:
        cards = [EntryCard("initiative", s, i, i.start or "") for s, i in self.initiatives.items()]
        cards += [EntryCard("practice", s, p, p.date or "") for s, p in self.practices.items()]
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
        """The country, named in this renderer's language."""
        return self.views[iso3]

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
        out += [("gaps", t) for t in site.focus_targets]
        out.append(("countries", None))
        out += [("country", iso3) for iso3 in self.country_pages]
        for kind in ("initiative", "practice"):
            out.append(("listings", kind))
            out += [("entry", (c.kind, c.slug)) for c in self.entries if c.kind == kind]
        out += [("contribute", None), ("search", None), ("downloads", None), ("404", None)]
        return out

    def path_of(self, spec: PageSpec) -> Optional[str]:
        """The path of a spec's one page, without building it; None for specs of several pages (listings)."""
        name, arg = spec
        one = {
            "home": routes.home,
            "targets": routes.targets,
            "countries": routes.countries,
            "contribute": routes.contribute,
            "search": routes.search,
            "downloads": routes.downloads,
        }
        if name in one:
            return one[name]()
        if name == "goal":
            return routes.goal(int(str(arg)))
        if name in ("target", "gaps", "country"):
            return {"target": routes.target, "gaps": routes.gaps, "country": routes.country}[name](str(arg))
        if name == "entry" and isinstance(arg, tuple):
            return routes.entry(*arg)
        if name == "404":
            return "404.html"
        return None

    def paths(self) -> list[str]:
        """The path of every page, without rendering any (listings build their page data)."""
        out: list[str] = []
        for spec in self.specs():
            one = self.path_of(spec)
            out += [one] if one is not None else [page.path for page in self.build(spec)]
        return out

    def build(self, spec: PageSpec) -> list[Page]:
        """The page(s) of one spec, in this renderer's language."""
        with i18n.use(self.lang.code):
            return self._build(spec)

    def _build(self, spec: PageSpec) -> list[Page]:
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
                    _("Targets"),
                    _("Every Connect 2030 target, by goal."),
                    (Crumb(_("Targets"), ""),),
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
        if name == "gaps":
            return [self._gaps(self.site.targets[str(arg)])]
        if name == "contribute":
            return [
                Page(
                    routes.contribute(),
                    "contribute.html",
                    _("How to contribute"),
                    _("Add statistics, national initiatives and good practices to the Connect 2030 Agenda microsite."),
                    (Crumb(_("How to contribute"), ""),),
                )
            ]
        if name == "search":
            return [
                Page(
                    routes.search(),
                    "search.html",
                    _("Search"),
                    _("Search the targets, countries, initiatives and practices."),
                    crumbs=(Crumb(_("Search"), ""),),
                    sitemap=False,
                )
            ]
        if name == "404":
            return [
                Page(
                    "404.html",
                    "404.html",
                    _("Page not found"),
                    _("This page does not exist."),
                    rooted=True,
                    sitemap=False,
                )
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
            title=_("Reporting coverage"),
            desc=_(
                "World map: {n} countries have data for at least one indicator; "
                "darker countries report more indicators. The table below lists them by region."
            ).format(n=len(self.facts.coverage)),
        )
        by_region: dict[str, list[str]] = {}
        for iso3 in self.facts.coverage:
            by_region.setdefault(i18n.region_name(self.country(iso3).ref.region), []).append(iso3)
        regions = {r: len(v) for r, v in sorted(by_region.items(), key=lambda kv: i18n.sort_key(kv[0]))}
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
            _("Goal {n}: {title}").format(n=n, title=goal.title),
            goal.statement,
            (Crumb(_("Goal {n}").format(n=n), ""),),
            {"goal": goal, "targets": targets, "body": self._markdown(goal.body)},
        )

    def _target(self, target: Target) -> Page:
        views = [self._indicator_view(ind, k) for k, ind in enumerate(target.indicators, 1)]
        rows = sorted(
            {iso3 for v in views for iso3 in v.latest}, key=lambda iso3: (i18n.sort_key(self.names[iso3]), iso3)
        )
        cited = sorted({s for v in views for s in v.sources} | {target.source})
        statuses = sorted(
            ((self.names[iso3], iso3, s) for iso3, s in self.site.statuses_by_target.get(target.id, [])),
            key=lambda t: (i18n.sort_key(t[0]), t[1]),
        )
        goal = self.site.goals.get(target.goal)
        return Page(
            routes.target(target.id),
            "target.html",
            _("Target {id}: {title}").format(id=target.id, title=target.title or target.text),
            target.text,
            (
                Crumb(_("Goal {n}").format(n=target.goal), routes.goal(target.goal))
                if goal
                else Crumb(_("Targets"), routes.targets()),
            )
            + (Crumb(_("Target {id}").format(id=target.id), ""),),
            {
                "target": target,
                "goal": goal,
                "indicators": views,
                "rows": rows,
                **_split_titles([v.indicator.title for v in views]),
                "cited": cited,
                "statuses": statuses,
                "initiatives": [(s, self.initiatives[s]) for s in self.site.initiatives_by_target.get(target.id, [])],
                "practices": [(s, self.practices[s]) for s in self.site.practices_by_target.get(target.id, [])],
                "body": self._markdown(target.body),
                "world_defs": geo.world_defs() if views else Markup(""),
            },
        )

    def gaps(self, target: Target) -> list[str]:
        """Independent countries with no value, no entry and no reported status for a target."""
        indicators = {ind.id for ind in target.indicators}
        covered = {iso3 for iso3, series in self.facts.by_country.items() if indicators & set(series)}
        covered |= {
            c for s in self.site.initiatives_by_target.get(target.id, []) for c in self.site.initiatives[s].countries
        }
        covered |= {
            c for s in self.site.practices_by_target.get(target.id, []) for c in self.site.practices[s].countries
        }
        covered |= {iso3 for iso3, _status in self.site.statuses_by_target.get(target.id, [])}
        return [iso3 for iso3, view in self.views.items() if view.ref.status == "Yes" and iso3 not in covered]

    def _gaps(self, target: Target) -> Page:
        missing = self.gaps(target)
        by_region: dict[str, list[str]] = {}
        for iso3 in missing:
            by_region.setdefault(i18n.region_name(self.views[iso3].ref.region), []).append(iso3)
        regions = {
            r: sorted(v, key=lambda c: (i18n.sort_key(self.names[c]), c))
            for r, v in sorted(by_region.items(), key=lambda kv: i18n.sort_key(kv[0]))
        }
        total = sum(1 for view in self.views.values() if view.ref.status == "Yes")
        return Page(
            routes.gaps(target.id),
            "gaps.html",
            _("Target {id}: where data and initiatives are missing").format(id=target.id),
            _(
                "Countries with no statistic, no initiative and no practice yet for target {id}, and how to add them."
            ).format(id=target.id),
            (
                Crumb(_("Target {id}").format(id=target.id), routes.target(target.id)),
                Crumb(_("Gaps"), ""),
            ),
            {"target": target, "regions": regions, "missing": len(missing), "total": total},
        )

    def _indicator_view(self, ind: Indicator, k: int) -> IndicatorView:
        """An indicator's map, chart and figures; `k` numbers its SVG ids on the page (short ids: small pages)."""
        latest = self.facts.latest(ind.id)
        met, reported = self.facts.goal_count(ind.id)
        prefix = f"m{k}"
        if ind.unit is Unit.YES_NO:
            yes = self.facts.yes_count(ind.id)
            map_svg = charts.yes_no_map(
                {k: bool(o.value) for k, o in latest.items()},
                id_prefix=prefix,
                title=_("{indicator}: latest answer per country").format(indicator=ind.title),
                desc=_(
                    "World map. {yes} of {reported} reporting countries answer yes. The table below lists them."
                ).format(yes=yes, reported=reported),
            )
            chart = Markup("")
        else:
            yes = 0
            values = {k: float(o.value) for k, o in latest.items()}
            map_svg = charts.choropleth(
                values,
                unit=ind.unit.value,
                id_prefix=prefix,
                title=_("{indicator}: latest value per country").format(indicator=ind.title),
                desc=_(
                    "World map of the latest value for {n} countries, shaded by value. "
                    "The table below gives every value with its year and source."
                ).format(n=reported),
                goal_value=ind.goal_value,
                direction=ind.direction.value if ind.direction else None,
            )
            by_year = self.facts.by_year(ind.id)
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
        sources = sorted({o.source for o in latest.values()}) or [ind.source]
        return IndicatorView(ind, latest, met, reported, yes, map_svg, chart, sources)

    def _countries(self) -> Page:
        by_region: dict[str, list[CountryView]] = {}
        for iso3 in self.country_pages:
            view = self.country(iso3)
            by_region.setdefault(i18n.region_name(view.ref.region), []).append(view)
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
            {"regions": regions, "coverage": self.facts.coverage, "indicator_total": len(self.site.indicators)},
        )

    def _country(self, iso3: str) -> Page:
        view = self.country(iso3)
        series = self.facts.by_country.get(iso3, {})
        sections = []
        for k, (ind_id, s) in enumerate(series.items(), 1):
            sections.append(self._country_indicator(view, self.site.indicators[ind_id], s, k))
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
            _("{country}: Connect 2030 statistics, targets, initiatives and practices.").format(country=view.name),
            (Crumb(_("Countries"), routes.countries()), Crumb(view.name, "")),
            {
                "country": view,
                "other_names": self._other_names(view),
                "sections": sections,
                "missing": missing,
                "focus": focus,
                "other_statuses": [s for t, s in sorted(statuses.items()) if t not in self.site.focus_targets],
                "cited": cited,
                "initiatives": [(s, self.initiatives[s]) for s in self.site.initiatives_by_country.get(iso3, [])],
                "practices": [(s, self.practices[s]) for s in self.site.practices_by_country.get(iso3, [])],
                "body": self._markdown(view.entry.body if view.entry else None),
                "downloads": bool(series),
            },
        )

    def _other_names(self, view: CountryView) -> list[tuple[str, str]]:
        """The country's name in the site's other languages (CLDR), for readers and for search."""
        if not view.ref.iso2:
            return []
        out = []
        for lang in self.languages:
            if lang.code != self.lang.code:
                name = view.name if lang.code == self.default else i18n.territory_name(view.ref.iso2, lang.code)
                out.append((lang.code, name or view.name))
        return out

    def _country_indicator(self, view: CountryView, ind: Indicator, s: Series, k: int) -> dict[str, Any]:
        chart = Markup("")
        if ind.unit is not Unit.YES_NO and len(s.points) > 1:
            lines = {view.name: s.numeric()}
            region_median = self.facts.median_series(ind.id, view.ref.region) if view.ref.region else []
            if region_median and view.ref.region:
                lines[_("{region} median").format(region=i18n.region_name(view.ref.region))] = region_median
            lines[_("World median")] = self.facts.median_series(ind.id)
            chart = charts.trend_chart(
                lines,
                unit=ind.unit.value,
                id_prefix=f"t{k}",
                title=_("{indicator}, {country}").format(indicator=ind.title, country=view.name),
                desc=_(
                    "{country} ({n} values, {first} to {last}) compared with "
                    "the median of its region and of the world. The table gives every value."
                ).format(country=view.name, n=len(s.points), first=s.points[0].year, last=s.latest.year),
                goal_value=ind.goal_value,
            )
        return {"indicator": ind, "series": s, "chart": chart, "meets": meets_goal(ind, s.latest.value)}

    def _listings(self, kind: str) -> list[Page]:
        items = [c for c in self.entries if c.kind == kind]
        plural = _("Initiatives") if kind == "initiative" else _("Practices")
        facets = self._facets(items)
        base = Crumb(plural, routes.listing(kind))
        data = {"kind": kind, "facets": facets}
        pages = self._paged(kind, ("", ""), items, plural, _(_LISTING_DESCRIPTIONS[kind]), (Crumb(plural, ""),), data)
        for facet, values in facets.items():
            for value, (name, members) in values.items():
                title = _("{kind}: {name}").format(kind=plural, name=name)
                about = _("{kind} for {name}.").format(kind=plural, name=name)
                pages += self._paged(kind, (facet, value), members, title, about, (base, Crumb(name, "")), data)
        return pages

    def _paged(
        self,
        kind: str,
        current: tuple[str, str],
        items: list[EntryCard],
        title: str,
        about: str,
        crumbs: tuple[Crumb, ...],
        data: dict[str, Any],
    ) -> list[Page]:
        """One listing in pages of LISTING_PAGE_SIZE entries: the first at the listing's own
        path, the others under page/N/ (the page budget holds however many entries there are)."""
        size = LISTING_PAGE_SIZE
        count = max(1, -(-len(items) // size))
        out = []
        for n in range(1, count + 1):
            pager = {
                "n": n,
                "count": count,
                "total": len(items),
                "prev": routes.listing(kind, *current, page=n - 1) if n > 1 else "",
                "next": routes.listing(kind, *current, page=n + 1) if n < count else "",
            }
            out.append(
                Page(
                    routes.listing(kind, *current, page=n),
                    "listing.html",
                    title if n == 1 else _("{title} (page {n} of {count})").format(title=title, n=n, count=count),
                    about,
                    crumbs,
                    {**data, "items": items[(n - 1) * size : n * size], "current": current, "pager": pager},
                )
            )
        return out

    def _facets(self, items: list[EntryCard]) -> dict[str, dict[str, tuple[str, list[EntryCard]]]]:
        out: dict[str, dict[str, tuple[str, list[EntryCard]]]] = {f: {} for f in routes.FACETS}
        for card in items:
            for t in sorted(set(card.item.targets), key=target_sort_key):
                out["by-target"].setdefault(t, (_("Target {id}").format(id=t), []))[1].append(card)
            for c in sorted(set(card.item.countries)):
                out["by-country"].setdefault(c, (self.names[c], []))[1].append(card)
            k = card.item.kind.value
            out["by-kind"].setdefault(k, (label(k), []))[1].append(card)
        out["by-target"] = dict(sorted(out["by-target"].items(), key=lambda kv: target_sort_key(kv[0])))
        out["by-country"] = dict(sorted(out["by-country"].items(), key=lambda kv: (i18n.sort_key(kv[1][0]), kv[0])))
        out["by-kind"] = dict(sorted(out["by-kind"].items()))
        return out

    def _entry(self, card: EntryCard) -> Page:
        plural = _("Initiatives") if card.kind == "initiative" else _("Practices")
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
                # the language of each text shown untranslated ("" when it is in the page's language)
                "langs": {f: self.field_lang(card.kind, card.slug, f) for f in ("title", "summary", "body")},
            },
        )

    def _downloads_page(self) -> Page:
        return Page(
            routes.downloads(),
            "data.html",
            _("Data downloads"),
            _("Every statistic on this site as CSV and JSON, with a Frictionless data package."),
            (Crumb(_("Data"), ""),),
            {},
        )

    def _markdown(self, body: Optional[str]) -> Markup:
        return render_markdown(body) if body and body.strip() else Markup("")

    # -- output ---------------------------------------------------------------------

    def render(self, page: Page, extra: dict[str, Any]) -> bytes:
        with i18n.use(self.lang.code):
            return self._render(page, extra)

    def _render(self, page: Page, extra: dict[str, Any]) -> bytes:
        link = routes.Linker.for_page(page.path, self.prefix, self.base_url if page.rooted else None)
        template = self.theme.env.get_template(page.template)
        others = [(lang, routes.lang_prefix(lang.code, self.default)) for lang in self.languages]
        switch = [Alternate(lang.code, lang.name, link.lang(prefix, page.path)) for lang, prefix in others]
        alternates = [
            Alternate(lang.code, lang.name, routes.absolute(self.base_url, prefix + page.path))
            for lang, prefix in others
        ]
        if len(alternates) > 1:
            alternates.append(Alternate("x-default", "", routes.absolute(self.base_url, page.path)))
        html = template.render(
            lang=self.lang,
            switch=switch,
            alternates=alternates if page.sitemap else [],
            page=page,
            site=self.site,
            config=self.site.config,
            link=link,
            routes=routes,
            names=self.names,
            css=self.theme.css.path,
            favicon=self.theme.favicon.path,
            canonical=routes.absolute(self.base_url, self.prefix + page.path),
            has_page=self.has_page,
            original_lang=self.original_lang,
            content_lang=self.default,  # contributors write in the default language
            source_names=self.source_names,
            build_date=self.build_date,
            **page.data,
            **extra,
        )
        return html.encode("utf-8")


LISTING_PAGE_SIZE = 50  # entries per listing page: about 25 KB of HTML with the filters

_LISTING_DESCRIPTIONS = {
    "initiative": N_(
        "National initiatives towards the Connect 2030 targets: strategies, laws, programmes and projects."
    ),
    "practice": N_(
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
