"""The page plan: every page of the site, with its kind, its path and what it shows.

The plan is the one list of the site's pages. `build` renders it, `serve` answers from
it, `check` reports its problems (reserved names, two pages at one address), and `diff`
compares two plans. It is computed from the checked site alone, without building any
page: a listing's number of pages follows from how many entries it has.

The plan does not depend on the language: every language has the same pages, under its
own folder (`fr/targets/1.4/`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Optional, Union

from connect_site.content.fields import target_sort_key
from connect_site.content.graph import Site
from connect_site.errors import Reporter
from connect_site.site import routes

LISTING_PAGE_SIZE = 50  # entries per listing page: about 25 KB of HTML with the filters


class PageKind(StrEnum):
    """What a page is; each kind has one view (site/views) and one template."""

    HOME = "home"
    GOAL = "goal"
    TARGETS = "targets"
    TARGET = "target"
    INDICATOR = "indicator"
    GAPS = "gaps"
    COUNTRIES = "countries"
    COUNTRY = "country"
    COUNTRY_STATISTICS = "country-statistics"
    REGION = "region"
    COMPARE = "compare"
    COMPARE_VALUES = "compare-values"  # compare/<iso3>.json: not a page, a country's figures for the compare view
    LISTING = "listing"
    ENTRY = "entry"
    CONTRIBUTE = "contribute"
    SEARCH = "search"
    DOWNLOADS = "downloads"
    NOT_FOUND = "404"


@dataclass(frozen=True)
class Facet:
    """One filter of a listing: all entries of a kind (facet ""), or those of one target, country or kind."""

    kind: str  # "initiative" or "practice"
    facet: str = ""  # "", "by-target", "by-country", "by-kind"
    value: str = ""  # the target id, country code or kind


@dataclass(frozen=True)
class EntryKey:
    kind: str  # "initiative" or "practice"
    slug: str


Subject = Union[None, int, str, Facet, EntryKey]


@dataclass(frozen=True)
class Output:
    """One page: its kind, its path without the language folder, and what it is about.

    `subject` is the goal number, the target id, the country code, the listing's facet or
    the entry; `number` is the page of a listing (1 for its first page)."""

    kind: PageKind
    path: str
    subject: Subject = None
    number: int = 1
    pages: int = 1  # how many pages the listing has

    @property
    def sitemap(self) -> bool:
        return self.kind not in (PageKind.SEARCH, PageKind.NOT_FOUND, PageKind.COMPARE_VALUES)

    @property
    def rooted(self) -> bool:
        """Links from the site root: the 404 page is served at any depth."""
        return self.kind is PageKind.NOT_FOUND


@dataclass(frozen=True)
class Plan:
    outputs: tuple[Output, ...]
    country_pages: tuple[str, ...]  # the countries that have a page
    page_size: int
    regions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # those with a page: region -> subregions

    def region_of(self, subregion: str) -> str:
        """A subregion's region ("" for a region)."""
        return next((r for r, subs in self.regions.items() if subregion in subs), "")

    def __iter__(self) -> Iterator[Output]:
        return iter(self.outputs)

    def __len__(self) -> int:
        return len(self.outputs)

    def paths(self) -> list[str]:
        return [o.path for o in self.outputs]

    def by_path(self) -> dict[str, Output]:
        return {o.path: o for o in self.outputs}


def country_pages(site: Site, with_data: set[str]) -> tuple[str, ...]:
    """Countries with data, a country file, or an entry about them."""
    wanted = set(with_data)
    wanted |= {iso3 for iso3, view in site.countries.items() if view.entry is not None}
    wanted |= set(site.initiatives_by_country) | set(site.practices_by_country)
    return tuple(sorted(wanted & set(site.countries)))


def regions(site: Site, countries: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The UN regions (M49 English names) of the countries that have a page, each with its
    subregions, alphabetically."""
    tree: dict[str, set[str]] = {}
    for iso3 in countries:
        ref = site.countries[iso3].ref
        if ref.region:
            tree.setdefault(ref.region, set()).update({ref.subregion} if ref.subregion else set())
    return {region: tuple(sorted(tree[region])) for region in sorted(tree)}


def facets(site: Site, kind: str) -> dict[Facet, list[str]]:
    """Every listing of a kind of entry, with the slugs it lists (in slug order): the whole list first."""
    items = site.initiatives if kind == "initiative" else site.practices
    out: dict[Facet, list[str]] = {Facet(kind): list(items)}
    by_target: dict[str, list[str]] = {}
    by_country: dict[str, list[str]] = {}
    by_kind: dict[str, list[str]] = {}
    for slug, item in items.items():
        for t in sorted(set(item.targets), key=target_sort_key):
            by_target.setdefault(t, []).append(slug)
        for c in sorted(set(item.countries)):
            by_country.setdefault(c, []).append(slug)
        by_kind.setdefault(item.kind.value, []).append(slug)
    for facet, values in (("by-target", by_target), ("by-country", by_country), ("by-kind", by_kind)):
        ordered = sorted(values.items(), key=lambda kv: target_sort_key(kv[0]) if facet == "by-target" else kv[0])
        out.update({Facet(kind, facet, value): slugs for value, slugs in ordered})
    return out


def plan(site: Site, with_data: set[str], page_size: int = LISTING_PAGE_SIZE) -> Plan:
    """Every page of the site, in the order they are built."""
    countries = country_pages(site, with_data)
    out = [Output(PageKind.HOME, routes.home())]
    out += [Output(PageKind.GOAL, routes.goal(n), n) for n in site.goals]
    out.append(Output(PageKind.TARGETS, routes.targets()))
    out += [Output(PageKind.TARGET, routes.target(t), t) for t in site.targets]
    out += [
        Output(PageKind.INDICATOR, routes.indicator(t.id, i.id), i.id)
        for t in site.targets.values()
        for i in t.indicators
    ]
    out += [Output(PageKind.GAPS, routes.gaps(t), t) for t in site.focus_targets]
    out.append(Output(PageKind.COUNTRIES, routes.countries()))
    for iso3 in countries:
        out.append(Output(PageKind.COUNTRY, routes.country(iso3), iso3))
        if iso3 in with_data:
            out.append(Output(PageKind.COUNTRY_STATISTICS, routes.country_statistics(iso3), iso3))
    tree = regions(site, countries)
    out += [Output(PageKind.REGION, routes.region(n), n) for region, subs in tree.items() for n in (region, *subs)]
    out.append(Output(PageKind.COMPARE, routes.compare()))
    out += [Output(PageKind.COMPARE_VALUES, routes.compare_values(iso3), iso3) for iso3 in countries]
    for kind in ("initiative", "practice"):
        for facet, slugs in facets(site, kind).items():
            count = max(1, -(-len(slugs) // page_size))
            path = [routes.listing(kind, facet.facet, facet.value, page=n) for n in range(1, count + 1)]
            out += [Output(PageKind.LISTING, path[n - 1], facet, n, count) for n in range(1, count + 1)]
        items = site.initiatives if kind == "initiative" else site.practices
        out += [Output(PageKind.ENTRY, routes.entry(kind, slug), EntryKey(kind, slug)) for slug in items]
    out.append(Output(PageKind.CONTRIBUTE, routes.contribute()))
    out.append(Output(PageKind.SEARCH, routes.search()))
    out.append(Output(PageKind.DOWNLOADS, routes.downloads()))
    out.append(Output(PageKind.NOT_FOUND, "404.html"))
    return Plan(tuple(out), countries, page_size, tree)


def problems(site: Site, the_plan: Plan, report: Reporter) -> None:
    """Entry names the listings need, and two pages at one address, reported at the entries' files."""
    for kind, items in (("initiative", site.initiatives), ("practice", site.practices)):
        for slug in items:
            if slug in routes.RESERVED:
                report.add(
                    _file_of(site, kind, slug),
                    1,
                    1,
                    "reserved-slug",
                    f"the file name '{slug}' is reserved for the listing pages",
                    f"Rename the file; {', '.join(routes.RESERVED)} are taken by the listings.",
                )
    seen: dict[str, Output] = {}
    for o in the_plan:
        first = seen.setdefault(routes.file_for(o.path), o)
        if first is not o:
            where = _owner(site, o) or _owner(site, first) or "site.yaml"
            report.add(
                where,
                1,
                1,
                "url-collision",
                f"two pages would be published at /{o.path}: {_what(first)} and {_what(o)}",
                "Rename one of the two files, so that each page has an address of its own.",
            )


def _file_of(site: Site, kind: str, key: str) -> str:
    return site.paths.get((kind, key), f"{kind}s/{key}")


def _owner(site: Site, o: Output) -> Optional[str]:
    if isinstance(o.subject, EntryKey):
        return _file_of(site, o.subject.kind, o.subject.slug)
    if o.kind is PageKind.TARGET and isinstance(o.subject, str):
        return site.paths.get(("target", o.subject))
    if o.kind is PageKind.INDICATOR and isinstance(o.subject, str):
        return site.paths.get(("target", site.indicator_target.get(o.subject, "")))
    return None


def _what(o: Output) -> str:
    if isinstance(o.subject, EntryKey):
        return f"the {o.subject.kind} '{o.subject.slug}'"
    if isinstance(o.subject, Facet):
        which = f" {o.subject.facet} {o.subject.value}" if o.subject.facet else ""
        return f"the listing of {o.subject.kind}s{which}"
    return f"the {o.kind.value} page" + (f" of {o.subject}" if o.subject is not None else "")


def shows(site: Site, output: Output) -> set[str]:
    """The entities a page shows, by name ("initiative kenya-plan", "statistics of internet-users"):
    `diff` explains a changed page by those of them that changed."""
    kind, subject = output.kind, output.subject
    out: set[str] = set()
    if isinstance(subject, EntryKey):
        item = (site.initiatives if subject.kind == "initiative" else site.practices)[subject.slug]
        out |= {f"{subject.kind} {subject.slug}", *(f"target {t}" for t in item.targets)}
        out |= {f"country {c}" for c in item.countries}
    elif isinstance(subject, Facet):
        members = facets(site, subject.kind).get(subject, [])
        out |= {f"{subject.kind} {slug}" for slug in members}
    elif kind in (PageKind.TARGET, PageKind.GAPS) and isinstance(subject, str):
        out |= {f"target {subject}", *_listed(site, subject, "targets")}
        if kind is PageKind.TARGET:
            target = site.targets[subject]
            out |= {f"indicator {i.id}" for i in target.indicators} | {f"source {target.source}"}
            out |= {f"statistics of {i.id}" for i in target.indicators}
            out |= {f"source {i.source}" for i in target.indicators}
            out |= {f"country {iso3}" for iso3, _ in site.statuses_by_target.get(subject, [])}
            out |= {f"source {o.source}" for o in site.observations if o.indicator in {i.id for i in target.indicators}}
    elif kind is PageKind.INDICATOR and isinstance(subject, str):
        ind = site.indicators[subject]
        out |= {f"indicator {subject}", f"statistics of {subject}", f"target {site.indicator_target[subject]}"}
        out |= {f"source {ind.source}"} | {f"source {o.source}" for o in site.observations if o.indicator == subject}
    elif kind in (PageKind.COUNTRY, PageKind.COUNTRY_STATISTICS) and isinstance(subject, str):
        out |= {f"country {subject}", *_listed(site, subject, "countries")}
        observed = {o.indicator for o in site.observations if o.country == subject}
        out |= {f"statistics of {i}" for i in observed} | {f"indicator {i}" for i in observed}
        out |= {f"source {o.source}" for o in site.observations if o.country == subject}
    elif kind is PageKind.REGION and isinstance(subject, str):
        members = [c for c, v in site.countries.items() if subject in (v.ref.region, v.ref.subregion)]
        focus = {i.id for t in site.focus_targets for i in site.targets[t].indicators}
        out |= {f"country {c}" for c in members} | {f"statistics of {i}" for i in focus}
        out |= {f"indicator {i}" for i in focus} | {f"target {t}" for t in site.focus_targets}
    elif kind is PageKind.GOAL and isinstance(subject, int):
        out |= {f"goal {subject}", *(f"target {t}" for t in site.targets_by_goal.get(subject, []))}
        out.add(f"source {site.goals[subject].source}")
    elif kind in (PageKind.HOME, PageKind.TARGETS):
        out |= {f"goal {n}" for n in site.goals} | {f"target {t}" for t in site.targets}
    return out


def _listed(site: Site, key: str, field: str) -> set[str]:
    """The initiatives and practices that list a target or a country."""
    out = set()
    for kind, items in (("initiative", site.initiatives), ("practice", site.practices)):
        for slug, item in items.items():
            if key in getattr(item, field):
                out.add(f"{kind} {slug}")
    return out
