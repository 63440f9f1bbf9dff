"""A target's page (its indicators' maps, charts and figures) and its gaps page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup

from connect_site.content.schema import CountryStatus, Goal, Initiative, Practice, Target
from connect_site.site import i18n, routes
from connect_site.site.context import View
from connect_site.site.i18n import _
from connect_site.site.views.indicators import IndicatorView, first_drawn, indicator_view
from connect_site.site.views.page import Context, Crumb, Page

MAX_TABLE_COLUMNS = 4


@dataclass(frozen=True)
class TargetContext(Context):
    target: Target
    goal: Optional[Goal]
    indicators: list[IndicatorView]
    drawn: Optional[int]  # the indicator whose map and chart the page shows (the others: on their own pages)
    tabled: list[IndicatorView]  # the indicators of the table of latest values by country (none: one each page)
    rows: list[str]
    common: str
    short: list[str]
    cited: list[str]
    statuses: list[tuple[str, str, CountryStatus]]
    initiatives: list[tuple[str, Initiative]]
    practices: list[tuple[str, Practice]]
    body: Markup
    world_defs: Markup


def target(view: View, target_id: str) -> Page:
    site = view.site
    the_target = site.targets[target_id]
    figures = [indicator_view(view, ind, k, drawn=False) for k, ind in enumerate(the_target.indicators, 1)]
    drawn = first_drawn(figures)
    views = [
        indicator_view(view, ind, k + 1) if k == drawn else figures[k] for k, ind in enumerate(the_target.indicators)
    ]
    tabled = views if 1 < len(views) <= MAX_TABLE_COLUMNS else []  # more: each indicator's page has its table
    rows = sorted({iso3 for v in tabled for iso3 in v.latest}, key=lambda iso3: (i18n.sort_key(view.names[iso3]), iso3))
    cited = sorted({s for v in views for s in v.sources} | {the_target.source})
    statuses = sorted(
        ((view.names[iso3], iso3, s) for iso3, s in site.statuses_by_target.get(target_id, [])),
        key=lambda t: (i18n.sort_key(t[0]), t[1]),
    )
    the_goal = site.goals.get(the_target.goal)
    up = (
        Crumb(_("Goal {n}").format(n=the_target.goal), routes.goal(the_target.goal))
        if the_goal
        else Crumb(_("Targets"), routes.targets())
    )
    common, short = split_titles([v.indicator.title for v in tabled])
    context = TargetContext(
        target=the_target,
        goal=the_goal,
        indicators=views,
        drawn=drawn,
        tabled=tabled,
        rows=rows,
        common=common,
        short=short,
        cited=cited,
        statuses=statuses,
        initiatives=[(s, view.initiatives[s]) for s in site.initiatives_by_target.get(target_id, [])],
        practices=[(s, view.practices[s]) for s in site.practices_by_target.get(target_id, [])],
        body=view.markdown(the_target.body),
        world_defs=view.map_defs(routes.target(target_id)) if drawn is not None else Markup(""),
    )
    return Page(
        routes.target(target_id),
        "target.html",
        _("Target {id}: {title}").format(id=target_id, title=the_target.title or the_target.text),
        the_target.text,
        (up, Crumb(_("Target {id}").format(id=target_id), "")),
        context,
    )


def gaps_of(view: View, the_target: Target) -> list[str]:
    """Independent countries with no value, no entry and no reported status for a target."""
    site = view.site
    indicators = {ind.id for ind in the_target.indicators}
    covered = {iso3 for iso3, series in view.facts.by_country.items() if indicators & set(series)}
    covered |= {c for s in site.initiatives_by_target.get(the_target.id, []) for c in site.initiatives[s].countries}
    covered |= {c for s in site.practices_by_target.get(the_target.id, []) for c in site.practices[s].countries}
    covered |= {iso3 for iso3, _status in site.statuses_by_target.get(the_target.id, [])}
    return [iso3 for iso3, v in view.views.items() if v.ref.independent and iso3 not in covered]


@dataclass(frozen=True)
class GapsContext(Context):
    target: Target
    regions: dict[str, list[str]]
    missing: int
    total: int


def gaps(view: View, target_id: str) -> Page:
    the_target = view.site.targets[target_id]
    missing = gaps_of(view, the_target)
    by_region: dict[str, list[str]] = {}
    for iso3 in missing:
        by_region.setdefault(i18n.region_name(view.views[iso3].ref.region), []).append(iso3)
    regions = {
        r: sorted(v, key=lambda c: (i18n.sort_key(view.names[c]), c))
        for r, v in sorted(by_region.items(), key=lambda kv: i18n.sort_key(kv[0]))
    }
    total = sum(1 for v in view.views.values() if v.ref.independent)
    return Page(
        routes.gaps(target_id),
        "gaps.html",
        _("Target {id}: where data and initiatives are missing").format(id=target_id),
        _(
            "Countries with no statistic, no initiative and no practice yet for target {id}, and how to add them."
        ).format(id=target_id),
        (Crumb(_("Target {id}").format(id=target_id), routes.target(target_id)), Crumb(_("Gaps"), "")),
        GapsContext(the_target, regions, len(missing), total),
    )


def split_titles(titles: list[str]) -> tuple[str, list[str]]:
    """Column headers without the words every title shares ("Individuals with ICT skills: ...")."""
    common = ""
    if len(titles) > 1 and all(": " in t for t in titles):
        heads = {t.split(": ", 1)[0] for t in titles}
        if len(heads) == 1:
            common = heads.pop()
    short = [t.split(": ", 1)[1] if common else t for t in titles]
    return common, [s[:1].upper() + s[1:] for s in short]
