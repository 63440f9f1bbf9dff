"""The listings of initiatives and practices (with their filters and pages) and an entry's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from markupsafe import Markup

from connect_site.content.fields import target_sort_key
from connect_site.content.graph import CountryView
from connect_site.content.schema import Initiative, Practice, Target
from connect_site.site import i18n, listings, routes
from connect_site.site.context import EntryCard, View
from connect_site.site.i18n import N_, _
from connect_site.site.plan import EntryKey, Facet, Output
from connect_site.site.plan import facets as plan_facets
from connect_site.site.theme import label
from connect_site.site.views.page import Context, Crumb, Page

FacetMenu = dict[str, dict[str, tuple[str, list[EntryCard]]]]  # facet -> value -> (label, entries)

_DESCRIPTIONS = {
    "initiative": N_(
        "National initiatives towards the Connect 2030 targets: strategies, laws, programmes and projects."
    ),
    "practice": N_(
        "What stakeholders share: challenges, lessons learned, guidelines, success stories, "
        "case studies, good practices, solutions, publications and policies."
    ),
}


def _plural(kind: str) -> str:
    return _("Initiatives") if kind == "initiative" else _("Practices")


def facet_menu(view: View, kind: str) -> FacetMenu:
    """Every filter of a kind's listings, labelled and ordered in the view's language (the menu of
    every listing page of that kind)."""
    key = f"facets:{kind}"
    cached: FacetMenu | None = view.memo.get(key)
    if cached is not None:
        return cached
    out: FacetMenu = {f: {} for f in routes.FACETS}
    for facet, slugs in plan_facets(view.site, kind).items():
        if not facet.facet:
            continue
        if facet.facet == "by-target":
            name = _("Target {id}").format(id=facet.value)
        elif facet.facet == "by-country":
            name = view.names[facet.value]
        else:
            name = label(facet.value)
        out[facet.facet][facet.value] = (name, [view.cards[(kind, s)] for s in slugs])
    out["by-target"] = dict(sorted(out["by-target"].items(), key=lambda kv: target_sort_key(kv[0])))
    out["by-country"] = dict(sorted(out["by-country"].items(), key=lambda kv: (i18n.sort_key(kv[1][0]), kv[0])))
    out["by-kind"] = dict(sorted(out["by-kind"].items()))
    view.memo[key] = out
    return out


@dataclass(frozen=True)
class ListingContext(Context):
    kind: str
    facets: FacetMenu
    items: list[EntryCard]
    current: tuple[str, str]
    pager: dict[str, Any]
    lines: dict[str, str]  # slug -> the line of countries, targets and date under its title
    filters: dict[str, Any]  # for assets/filter.js on a listing's first page; {} elsewhere


def listing(view: View, output: Output) -> Page:
    facet = output.subject
    assert isinstance(facet, Facet)
    kind = facet.kind
    plural = _plural(kind)
    menu = facet_menu(view, kind)
    if facet.facet:
        name, items = menu[facet.facet][facet.value]
        title = _("{kind}: {name}").format(kind=plural, name=name)
        about = _("{kind} for {name}.").format(kind=plural, name=name)
        crumbs: tuple[Crumb, ...] = (Crumb(plural, routes.listing(kind)), Crumb(name, ""))
    else:
        items = [c for c in view.entries if c.kind == kind]
        title, about, crumbs = plural, _(_DESCRIPTIONS[kind]), (Crumb(plural, ""),)
    n, count, size = output.number, output.pages, view.plan.page_size
    where = (facet.facet, facet.value)
    pager = {
        "n": n,
        "count": count,
        "total": len(items),
        "prev": routes.listing(kind, *where, page=n - 1) if n > 1 else "",
        "next": routes.listing(kind, *where, page=n + 1) if n < count else "",
    }
    if n > 1:
        title = _("{title} (page {n} of {count})").format(title=title, n=n, count=count)
    shown = items[(n - 1) * size : n * size]
    lines = {c.slug: listings.facts_line(view, c) for c in shown}
    context = ListingContext(kind, menu, shown, where, pager, lines, _filters(view, kind, output))
    return Page(output.path, "listing.html", title, about, crumbs, context)


def _filters(view: View, kind: str, output: Output) -> dict[str, Any]:
    """What the combined filters of a listing's first page need (assets/filter.js): the years to
    choose from, the count sentences and the data file. The facet pages and further pages keep their
    one facet and run no script: their heading names that facet, and the first page combines them all."""
    facet = output.subject
    assert isinstance(facet, Facet)
    if facet.facet or output.number > 1 or not any(c.kind == kind for c in view.entries):
        return {}
    return {
        "years": listings.years(view, kind),
        "counts": listings.count_forms(view, kind),
        "data": listings.DATA_FILE,
        "size": view.plan.page_size,
    }


@dataclass(frozen=True)
class EntryContext(Context):
    card: EntryCard
    item: Union[Initiative, Practice]
    targets: list[Target]
    countries: list[CountryView]
    body: Markup
    langs: dict[str, str]  # the language of each text shown untranslated ("" when it is in the page's language)


def entry(view: View, key: EntryKey) -> Page:
    card = view.cards[(key.kind, key.slug)]
    item = card.item
    plural = _plural(card.kind)
    context = EntryContext(
        card=card,
        item=item,
        targets=[view.site.targets[t] for t in sorted(set(item.targets), key=target_sort_key)],
        countries=[view.country(c) for c in sorted(set(item.countries))],
        body=view.markdown(item.body),
        langs={f: view.field_lang(card.kind, card.slug, f) for f in ("title", "summary", "body")},
    )
    return Page(
        routes.entry(card.kind, card.slug),
        "entry.html",
        item.title,
        item.summary or item.title,
        (Crumb(plural, routes.listing(card.kind)), Crumb(item.title, "")),
        context,
    )
