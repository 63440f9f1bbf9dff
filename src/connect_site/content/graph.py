"""The whole-site stage: the checked entries, linked both ways, as one read-only `Site`.

    Content --entries--> each file valid --links--> every id exists --observations--> statistics
            --translations--> --assemble--> Site

Links are written on one side (an initiative lists its countries); the reverse edges are
computed here, once, and nowhere else. A `Site` is frozen: its parts are computed first
and it is made in one piece.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Optional

from connect_site.content import refdata
from connect_site.content.broken import Broken
from connect_site.content.entries import Entries, read_entries, translated
from connect_site.content.fields import target_sort_key
from connect_site.content.links import check_links
from connect_site.content.observations import (
    Observation,
    RawObservation,
    check_observations,
    from_country,
    from_table,
    stale_warnings,
)
from connect_site.content.read import Content
from connect_site.content.schema import (
    Country,
    CountryStatus,
    Goal,
    Indicator,
    Initiative,
    Practice,
    SiteConfig,
    Source,
    Target,
    Translation,
)
from connect_site.content.translations import Texts, check_translations
from connect_site.content.validate import validate_model, validate_sources
from connect_site.content.world import WorldFigure, is_world_table, world_figures
from connect_site.errors import Reporter


@dataclass(frozen=True)
class CountryView:
    ref: refdata.CountryRef
    name: str
    entry: Optional[Country] = None
    path: Optional[str] = None


@dataclass(frozen=True)
class Site:
    """The checked content. Read-only: views and exports never change it."""

    config: SiteConfig
    sources: dict[str, Source]
    goals: dict[int, Goal]
    targets: dict[str, Target]
    indicators: dict[str, Indicator]
    indicator_target: dict[str, str]
    countries: dict[str, CountryView]
    observations: list[Observation]
    initiatives: dict[str, Initiative]
    practices: dict[str, Practice]
    paths: dict[tuple[str, str], str]  # (kind, id) -> the file that defines it
    focus_targets: list[str]
    # Reverse links, computed once.
    targets_by_goal: dict[int, list[str]]
    initiatives_by_country: dict[str, list[str]]
    initiatives_by_target: dict[str, list[str]]
    practices_by_country: dict[str, list[str]]
    practices_by_target: dict[str, list[str]]
    statuses_by_target: dict[str, list[tuple[str, CountryStatus]]]  # target -> (iso3, status)
    # (kind, slug) -> {language: translation} for initiatives and practices
    translations: dict[tuple[str, str], dict[str, Translation]]
    world_figures: dict[str, list[WorldFigure]]  # indicator -> an agency's own world figures, by year
    texts: Texts  # every translation: of entries (as `translations`), goals, targets, countries, sources, the site

    def countries_with_data(self) -> list[str]:
        return sorted({o.country for o in self.observations})

    def counts(self) -> dict[str, int]:
        return {
            "goals": len(self.goals),
            "targets": len(self.targets),
            "indicators": len(self.indicators),
            "countries with data": len(self.countries_with_data()),
            "observations": len(self.observations),
            "initiatives": len(self.initiatives),
            "practices": len(self.practices),
            "sources": len(self.sources),
        }


def build_site(content: Content, report: Reporter, now_year: int) -> Optional[Site]:
    """Check everything; return the site (None when site.yaml itself is unusable).

    A file left out for its errors is reported once: `broken` keeps what it would have declared,
    and the checks of the files that refer to it do not report those ids as unknown.
    """
    broken = _unread(content)
    entries = read_entries(content, report, broken)
    config = _site_config(content, broken, report)
    sources = _sources(content, config, broken, report)
    if (
        not entries.goals
        and not entries.targets
        and content.site is not None
        and not (broken.any("goal") or broken.any("target"))
    ):
        report.add(
            content.site.path,
            1,
            1,
            "empty-content",
            "the content folder has no goals or targets",
            "Check --content: it should point at the folder with goals/ and targets/.",
        )
    indicators, indicator_target = check_links(entries, sources, config, content.site, broken, report)
    raws: list[RawObservation] = []
    for entry, country in sorted(entries.countries.values(), key=lambda p: p[0].path):
        raws.extend(from_country(entry, entry.stem.upper(), country))
    world: dict[str, list[WorldFigure]] = {}
    for table in sorted(content.tables, key=lambda t: t.path):
        if is_world_table(table):
            for figure in world_figures(table, indicators, sources, broken, now_year, report):
                world.setdefault(figure.indicator, []).append(figure)
        else:
            raws.extend(from_table(table, indicators, broken, report))
    observations = check_observations(raws, indicators, sources, broken, now_year, report)
    stale_warnings(observations, indicators, now_year, report)
    texts = check_translations(entries, config, sources, broken, report, content.top_translations)
    if config is None:
        return None
    world = {k: sorted(v, key=lambda f: (f.year, f.source)) for k, v in sorted(world.items())}
    return _assemble(config, sources, entries, indicators, indicator_target, observations, texts, world)


def _unread(content: Content) -> Broken:
    """The files that could not be read, as what they would have declared (a translation declares nothing)."""
    broken = Broken()
    for path, kind, stem in content.unread:
        if stem is None or not translated(kind, stem):
            broken.unread(path, kind, stem)
    return broken


def _site_config(content: Content, broken: Broken, report: Reporter) -> Optional[SiteConfig]:
    if content.site is None:
        if broken.any("site"):
            return None  # site.yaml is there, and its error is reported
        report.add(
            f"{content.display_root.rstrip('/')}/site.yaml",
            1,
            1,
            "missing-site",
            "the content folder has no site.yaml",
            "Create site.yaml with at least: title, base_url. See the README.",
        )
        return None
    config = validate_model(content.site, SiteConfig, report)
    if config is None:
        broken.invalid(content.site.path, "site", content.site.stem, content.site.doc.data)
    return config


def _sources(content: Content, config: Optional[SiteConfig], broken: Broken, report: Reporter) -> dict[str, Source]:
    """The sources of site.yaml and of sources.yaml; an id declared in both is reported."""
    sources = dict(config.sources) if config else {}
    if content.sources_file is not None:
        file = content.sources_file
        valid = validate_sources(file, file.doc.data, (), report)
        if not isinstance(file.doc.data, dict) and file.doc.data is not None:
            broken.invalid(file.path, "sources", file.stem, file.doc.data)
        for key in file.doc.data if isinstance(file.doc.data, dict) else ():
            if key not in valid:
                broken.source(key)
        for key, src in valid.items():
            if key in sources:
                line, col = content.sources_file.doc.where((key,), key=True)
                report.add(
                    content.sources_file.path,
                    line,
                    col,
                    "duplicate-id",
                    f"the source '{key}' is also declared in site.yaml",
                    "Declare each source once.",
                )
            sources[key] = src
    return sources


def _assemble(
    config: SiteConfig,
    sources: dict[str, Source],
    entries: Entries,
    indicators: dict[str, Indicator],
    indicator_target: dict[str, str],
    observations: list[Observation],
    texts: Texts,
    world: dict[str, list[WorldFigure]],
) -> Site:
    countries = {}
    for iso3, r in refdata.countries().items():
        entry = entries.countries.get(iso3)
        model = entry[1] if entry else None
        name = model.name if model and model.name else r.name
        countries[iso3] = CountryView(r, name, model, entry[0].path if entry else None)
    targets = {k: v[1] for k, v in sorted(entries.targets.items(), key=lambda kv: target_sort_key(kv[0]))}
    initiatives = {k: v[1] for k, v in sorted(entries.initiatives.items())}
    practices = {k: v[1] for k, v in sorted(entries.practices.items())}
    if config.focus_targets is not None:
        focus = [t for t in config.focus_targets if t in targets]
    else:
        focus = [t.id for t in targets.values() if t.focus]
    by_goal: dict[int, list[str]] = defaultdict(list)
    for t in targets.values():
        by_goal[t.goal].append(t.id)
    statuses: dict[str, list[tuple[str, CountryStatus]]] = {}
    for iso3, view in countries.items():
        for status in view.entry.statuses if view.entry else []:
            statuses.setdefault(status.target, []).append((iso3, status))
    return Site(
        config=config,
        sources=dict(sorted(sources.items())),
        goals={k: v[1] for k, v in sorted(entries.goals.items())},
        targets=targets,
        indicators=indicators,
        indicator_target=indicator_target,
        countries=countries,
        observations=observations,
        initiatives=initiatives,
        practices=practices,
        paths=dict(sorted(entries.ids.items())),
        focus_targets=focus,
        targets_by_goal=dict(by_goal),
        initiatives_by_country=_reverse(initiatives, "countries"),
        initiatives_by_target=_reverse(initiatives, "targets"),
        practices_by_country=_reverse(practices, "countries"),
        practices_by_target=_reverse(practices, "targets"),
        statuses_by_target=statuses,
        translations=texts.entries,
        texts=texts,
        world_figures=world,
    )


def _reverse(items: dict[str, Initiative] | dict[str, Practice], field: str) -> dict[str, list[str]]:
    """The entries that list each country or target, in slug order: the other side of a link."""
    out: dict[str, list[str]] = {}
    for slug, item in items.items():
        for key in sorted(set(getattr(item, field))):
            out.setdefault(key, []).append(slug)
    return out
