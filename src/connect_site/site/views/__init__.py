"""One view per page kind: a function from a language's `View` and the plan's `Output` to a `Page`.

`page(view, output)` builds any page of the plan; nothing here renders a template.
"""

from __future__ import annotations

from collections.abc import Callable

from connect_site.site.context import View
from connect_site.site.plan import EntryKey, Output, PageKind
from connect_site.site.views import compare, countries, entries, indicators, overview, regions, targets
from connect_site.site.views.page import Page


def _subject_str(fn: Callable[[View, str], Page]) -> Callable[[View, Output], Page]:
    return lambda view, o: fn(view, str(o.subject))


def _entry(view: View, o: Output) -> Page:
    assert isinstance(o.subject, EntryKey)
    return entries.entry(view, o.subject)


VIEWS: dict[PageKind, Callable[[View, Output], Page]] = {
    PageKind.HOME: lambda view, o: overview.home(view),
    PageKind.GOAL: lambda view, o: overview.goal(view, int(str(o.subject))),
    PageKind.TARGETS: lambda view, o: overview.targets(view),
    PageKind.TARGET: _subject_str(targets.target),
    PageKind.INDICATOR: _subject_str(indicators.indicator),
    PageKind.GAPS: _subject_str(targets.gaps),
    PageKind.COUNTRIES: lambda view, o: countries.countries(view),
    PageKind.COUNTRY: _subject_str(countries.country),
    PageKind.COUNTRY_STATISTICS: _subject_str(countries.statistics),
    PageKind.REGION: _subject_str(regions.region),
    PageKind.COMPARE: lambda view, o: compare.compare(view),
    PageKind.COMPARE_VALUES: _subject_str(compare.values),
    PageKind.LISTING: entries.listing,
    PageKind.ENTRY: _entry,
    PageKind.CONTRIBUTE: lambda view, o: overview.contribute(view),
    PageKind.SEARCH: lambda view, o: overview.search(view),
    PageKind.DOWNLOADS: lambda view, o: overview.downloads(view),
    PageKind.NOT_FOUND: lambda view, o: overview.not_found(view),
}


def page(view: View, output: Output) -> Page:
    """The page of one output of the plan, in the view's language."""
    with view.use():
        return VIEWS[output.kind](view, output)
