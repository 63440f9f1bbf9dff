"""The links between entries: every id a file names must exist, with a "did you mean" when it does not.

Links are written on one side (an initiative lists its countries and targets); this
module checks them and collects the indicators the targets declare. The reverse links
are computed once, when the site is assembled (`graph.py`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Optional

from pydantic_core import PydanticCustomError

from connect_site.content import refdata
from connect_site.content.broken import Broken
from connect_site.content.entries import Entries
from connect_site.content.fields import canonical_target_id
from connect_site.content.read import Entry
from connect_site.content.refdata import suggest_country
from connect_site.content.schema import BODY_PLACEHOLDER, Indicator, Initiative, Practice, SiteConfig
from connect_site.content.yamlload import Path as DocPath
from connect_site.errors import Reporter, did_you_mean, join_hint

_ADVICE = {
    "source": "Declare it in sources.yaml, or use an existing id.",
    "target": "Targets are listed under /targets/ on the site.",
    "country": "Use the ISO 3166-1 alpha-3 code, e.g. KEN for Kenya.",
}


class Links:
    """Reports a reference whose target does not exist, at the place it was written."""

    def __init__(self, report: Reporter, sources: Collection[str], targets: Collection[str], broken: Broken) -> None:
        self.report = report
        self.pools: dict[str, Collection[str]] = {"source": sources, "target": targets, "country": refdata.countries()}
        self.broken = broken

    def need(self, kind: str, entry: Entry, path: DocPath, key: str) -> None:
        """Report `key` at `path` unless a {kind} with that id exists, or a file left out may declare it."""
        pool = self.pools[kind]
        if key in pool or self.broken.covers(kind, key):
            return
        suggestion = suggest_country(key) if kind == "country" else did_you_mean(key, pool)
        what = "country code" if kind == "country" else kind
        self.report.add(
            entry.path,
            *entry.doc.where(path),
            f"unknown-{kind}",
            f"unknown {what} '{key}'",
            join_hint(suggestion, _ADVICE[kind]),
        )

    def need_all(self, entry: Entry, name: str, kind: str, values: list[str]) -> None:
        """References in a list field, and a warning for an item listed twice."""
        seen: set[str] = set()
        for i, value in enumerate(values):
            if value in seen:
                self.report.warn(
                    entry.path,
                    *entry.doc.where((name, i)),
                    "duplicate-item",
                    f"'{value}' is listed twice in {name}",
                    "Remove the second one.",
                )
            seen.add(value)
            self.need(kind, entry, (name, i), value)


def check_links(
    entries: Entries,
    sources: Collection[str],
    config: Optional[SiteConfig],
    site: Optional[Entry],
    broken: Broken,
    report: Reporter,
) -> tuple[dict[str, Indicator], dict[str, str]]:
    """Check every reference; return the indicators (by id) and the target each belongs to."""
    links = Links(report, sources, entries.targets, broken)
    for entry, goal in entries.goals.values():
        links.need("source", entry, ("source",), goal.source)
    indicators, indicator_target = _indicators(entries, links, report)
    if config and config.focus_targets and site:
        for i, t in enumerate(config.focus_targets):
            links.need("target", site, ("focus_targets", i), t)
    for kind, items in (("initiative", entries.initiatives), ("practice", entries.practices)):
        for entry, item in items.values():
            links.need_all(entry, "countries", "country", item.countries)
            links.need_all(entry, "targets", "target", item.targets)
            _entry_warnings(kind, entry, item, report)
    for entry in entries.invalid:
        _raw_links(entry, links)
    for entry, country in entries.countries.values():
        if country.source:
            links.need("source", entry, ("source",), country.source)
        for i, status in enumerate(country.statuses):
            links.need("target", entry, ("statuses", i, "target"), status.target)
    return indicators, indicator_target


def _indicators(entries: Entries, links: Links, report: Reporter) -> tuple[dict[str, Indicator], dict[str, str]]:
    indicators: dict[str, Indicator] = {}
    indicator_target: dict[str, str] = {}
    for entry, target in entries.targets.values():
        links.need("source", entry, ("source",), target.source)
        known = target.goal in entries.goals or links.broken.covers("goal", target.goal)
        if not known and (entries.goals or links.broken.any("goal")):
            report.add(
                entry.path,
                *entry.doc.where(("goal",)),
                "unknown-goal",
                f"there is no goal {target.goal}",
                "Goals are numbered 1 to 5; each has a file in goals/.",
            )
        for i, ind in enumerate(target.indicators):
            if ind.id in indicators:
                report.add(
                    entry.path,
                    *entry.doc.where(("indicators", i, "id")),
                    "duplicate-id",
                    f"the indicator '{ind.id}' is already defined under target {indicator_target[ind.id]}",
                    "Indicator ids are unique across all targets.",
                )
                continue
            indicators[ind.id] = ind
            indicator_target[ind.id] = target.id
            links.need("source", entry, ("indicators", i, "source"), ind.source)
    return indicators, indicator_target


def _entry_warnings(kind: str, entry: Entry, item: Initiative | Practice, report: Reporter) -> None:
    if item.url is None:
        report.warn(
            entry.path,
            1,
            1,
            "missing-url",
            f"this {kind} has no url",
            "Add url: with a public page about it, so readers can check it.",
        )
    placeholder = BODY_PLACEHOLDER[kind].splitlines()[0]
    if item.body and placeholder in item.body:
        report.add(  # an error, so that the example text cannot be published
            entry.path,
            entry.body_line or 1,
            1,
            "placeholder-text",
            f"the description of this {kind} is still the example text that 'connect-site new' wrote",
            "Write your own description in place of the example text below the closing '---', and say where "
            "the facts come from: the example text cannot be published.",
        )
    if isinstance(item, Initiative) and item.start and item.end and item.end < item.start:
        report.add(
            entry.path,
            *entry.doc.where(("end",)),
            "invalid-value",
            f"end ({item.end}) is before start ({item.start})",
            "Check both dates; use YYYY-MM-DD.",
        )


def _raw_links(entry: Entry, links: Links) -> None:
    """Reference checks on an entry that failed validation, so every problem shows in one run.

    Only well-formed ids are looked up; a malformed one is already reported by validation.
    """
    data = entry.doc.data
    if not isinstance(data, dict):
        return
    for name in ("countries", "targets"):
        items = data.get(name)
        for i, value in enumerate(items if isinstance(items, list) else []):
            if name == "countries" and isinstance(value, str) and len(value.strip()) == 3 and value.isalpha():
                links.need("country", entry, (name, i), value.strip().upper())
            elif name == "targets":
                try:
                    key = canonical_target_id(value)
                except PydanticCustomError:
                    continue
                if isinstance(key, str):
                    links.need("target", entry, (name, i), key)
