"""The pages that give the overview: home, goals, the targets list, and the fixed pages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup

from connect_site.content.graph import CountryView
from connect_site.content.schema import Goal, Target
from connect_site.site import i18n, maps, routes
from connect_site.site.context import EntryCard, View
from connect_site.site.headlines import Headline, headline
from connect_site.site.i18n import _
from connect_site.site.views.countries import Picker, picker
from connect_site.site.views.page import Context, Crumb, Page


@dataclass(frozen=True)
class TargetSummary:
    """Headline figures for a target: one line per indicator, and the countries' reported statuses."""

    target: Target
    lines: list[Headline]
    statuses: dict[str, int]

    @property
    def lead(self) -> Optional[Headline]:
        """The indicator a card leads with: the first that measures the target and has data, else the first
        with data."""
        with_data = [h for h in self.lines if h.reported]
        return next((h for h in with_data if not h.proxy), with_data[0] if with_data else None)


def target_summary(view: View, target: Target) -> TargetSummary:
    lines = [headline(view.facts, ind, target) for ind in target.indicators]
    statuses = Counter(s.status.value for _, s in view.site.statuses_by_target.get(target.id, []))
    return TargetSummary(target, lines, dict(sorted(statuses.items())))


@dataclass(frozen=True)
class HomeContext(Context):
    focus: list[TargetSummary]
    counts: dict[str, int]
    sources_cited: int  # the sources the statistics come from
    latest: list[EntryCard]
    coverage_map: Markup
    regions: dict[str, int]
    indicator_total: int
    world_defs: Markup
    countries: list[CountryView]  # every country page, by name: the country picker's list
    picker: Picker


def home(view: View) -> Page:
    site, facts = view.site, view.facts
    counts = {
        "countries with data": len(facts.by_country),
        "statistics": len(site.observations),
        "national initiatives": len(site.initiatives),
        "stakeholder practices": len(site.practices),
    }
    coverage_map = maps.count_map(
        facts.coverage,
        id_prefix="cov",
        title=_("Reporting coverage"),
        desc=_(
            "World map: {n} countries have data for at least one indicator; "
            "darker countries report more indicators. The table below lists them by region."
        ).format(n=len(facts.coverage)),
    )
    by_region: dict[str, list[str]] = {}
    for iso3 in facts.coverage:
        by_region.setdefault(i18n.region_name(view.country(iso3).ref.region), []).append(iso3)
    regions = {r: len(v) for r, v in sorted(by_region.items(), key=lambda kv: i18n.sort_key(kv[0]))}
    context = HomeContext(
        focus=[target_summary(view, site.targets[t]) for t in site.focus_targets],
        counts=counts,
        sources_cited=len({o.source for o in site.observations}),
        latest=view.newest_entries(),
        coverage_map=coverage_map,
        regions=regions,
        indicator_total=len(site.indicators),
        world_defs=view.map_defs(routes.home()),
        countries=sorted((view.country(iso3) for iso3 in view.plan.country_pages), key=lambda c: i18n.sort_key(c.name)),
        picker=picker(view),
    )
    config = site.config
    return Page(routes.home(), "home.html", config.title, config.tagline or config.title, data=context)


@dataclass(frozen=True)
class GoalContext(Context):
    goal: Goal
    targets: list[TargetSummary]
    body: Markup


def goal(view: View, n: int) -> Page:
    the_goal = view.site.goals[n]
    targets = [target_summary(view, view.site.targets[t]) for t in view.site.targets_by_goal.get(n, [])]
    return Page(
        routes.goal(n),
        "goal.html",
        _("Goal {n}: {title}").format(n=n, title=the_goal.title),
        the_goal.statement,
        (Crumb(_("Goal {n}").format(n=n), ""),),
        GoalContext(the_goal, targets, view.markdown(the_goal.body)),
    )


def targets(view: View) -> Page:
    return Page(
        routes.targets(),
        "targets.html",
        _("Targets"),
        _("Every Connect 2030 target, by goal."),
        (Crumb(_("Targets"), ""),),
    )


def contribute(view: View) -> Page:
    return Page(
        routes.contribute(),
        "contribute.html",
        _("How to contribute"),
        _("Add statistics, national initiatives and good practices to the Connect 2030 Agenda microsite."),
        (Crumb(_("How to contribute"), ""),),
    )


def search(view: View) -> Page:
    return Page(
        routes.search(),
        "search.html",
        _("Search"),
        _("Search the targets, countries, initiatives and practices."),
        crumbs=(Crumb(_("Search"), ""),),
        sitemap=False,
    )


def downloads(view: View) -> Page:
    return Page(
        routes.downloads(),
        "data.html",
        _("Data downloads"),
        _("Every statistic on this site as CSV and JSON, with a Frictionless data package."),
        (Crumb(_("Data"), ""),),
    )


def not_found(view: View) -> Page:
    return Page(
        "404.html",
        "404.html",
        _("Page not found"),
        _("This page does not exist."),
        rooted=True,
        sitemap=False,
    )
