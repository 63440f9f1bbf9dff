"""The whole-site stage: ids, references, uniqueness, reverse links and counts.

Input is the content as read by `sources.py`; output is a `Site`, a read-only view with
every link resolved in both directions. Links are written on one side (an initiative
lists its countries); the reverse edges are computed here and nowhere else.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Optional

from pydantic_core import PydanticCustomError

from connect_site.content import refdata
from connect_site.content.observations import (
    Observation,
    RawObservation,
    check_observations,
    from_country,
    from_table,
    stale_warnings,
)
from connect_site.content.read import Content, Entry
from connect_site.content.refdata import suggest_country
from connect_site.content.schema import (
    BODY_PLACEHOLDER,
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
    canonical_target_id,
    is_slug,
    target_sort_key,
)
from connect_site.content.validate import validate_entry, validate_model, validate_sources
from connect_site.content.yamlload import Path as DocPath
from connect_site.errors import Reporter, did_you_mean, join_hint
from connect_site.site.markdown import check_body
from connect_site.site.routes import RESERVED


@dataclass(frozen=True)
class CountryView:
    ref: refdata.CountryRef
    name: str
    entry: Optional[Country] = None
    path: Optional[str] = None


@dataclass
class Site:
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
    paths: dict[tuple[str, str], str] = field(default_factory=dict)
    focus_targets: list[str] = field(default_factory=list)
    # Reverse links, computed once.
    targets_by_goal: dict[int, list[str]] = field(default_factory=dict)
    initiatives_by_country: dict[str, list[str]] = field(default_factory=dict)
    initiatives_by_target: dict[str, list[str]] = field(default_factory=dict)
    practices_by_country: dict[str, list[str]] = field(default_factory=dict)
    practices_by_target: dict[str, list[str]] = field(default_factory=dict)
    statuses_by_target: dict[str, list[tuple[str, CountryStatus]]] = field(default_factory=dict)  # (iso3, status)
    # (kind, slug) -> {language: translation} for initiatives and practices
    translations: dict[tuple[str, str], dict[str, Translation]] = field(default_factory=dict)

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
    """Check everything; return the site (None when site.yaml itself is unusable)."""
    config = _site_config(content, report)
    sources = dict(config.sources) if config else {}
    if content.sources_file is not None:
        for key, src in validate_sources(content.sources_file, content.sources_file.doc.data, (), report).items():
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

    ids: dict[tuple[str, str], str] = {}
    goals: dict[int, tuple[Entry, Goal]] = {}
    targets: dict[str, tuple[Entry, Target]] = {}
    country_files: dict[str, tuple[Entry, Country]] = {}
    initiatives: dict[str, tuple[Entry, Initiative]] = {}
    practices: dict[str, tuple[Entry, Practice]] = {}
    ref = refdata.countries()

    def claim(kind: str, key: str, entry: Entry, pos: tuple[int, int] = (1, 1)) -> bool:
        first = ids.get((kind, key))
        if first is not None:
            report.add(
                entry.path,
                *pos,
                "duplicate-id",
                f"the {kind} '{key}' is already defined in {first}",
                "Each id may be used by one file only (foo.md and foo.yaml count as the same id).",
            )
            return False
        ids[(kind, key)] = entry.path
        return True

    invalid: list[Entry] = []  # entries whose links are still worth checking
    translation_files: list[tuple[Entry, str, str]] = []  # (entry, slug it translates, language)
    for entry in sorted(content.entries, key=lambda e: e.path):
        _check_body(entry, report)
        translated = TRANSLATION_STEM.fullmatch(entry.stem) if entry.kind in ("initiative", "practice") else None
        if translated:
            translation_files.append((entry, translated["slug"], translated["lang"]))
            continue
        if entry.kind == "goal":
            goal = validate_entry(entry, Goal, report)
            if goal and claim("goal", str(goal.id), entry, entry.doc.where(("id",))):
                goals[goal.id] = (entry, goal)
        elif entry.kind == "target":
            target = validate_entry(entry, Target, report)
            if target and claim("target", target.id, entry, entry.doc.where(("id",))):
                targets[target.id] = (entry, target)
        elif entry.kind == "country":
            iso3 = entry.stem.upper()
            if iso3 not in ref:
                hint = suggest_country(entry.stem)
                report.add(
                    entry.path,
                    1,
                    1,
                    "unknown-country",
                    f"'{entry.stem}' is not an ISO 3166-1 alpha-3 country code",
                    join_hint(hint, "Name the file after the country's code, e.g. KEN.yaml."),
                )
                continue
            owned = claim("country", iso3, entry)  # the file name is the id: claim it before validating
            country = validate_entry(entry, Country, report)
            if country is None:
                continue
            if country.iso3 and country.iso3 != iso3:
                report.add(
                    entry.path,
                    *entry.doc.where(("iso3",)),
                    "id-mismatch",
                    f"iso3 is {country.iso3} but the file is named {entry.stem}",
                    f"Remove the iso3 line, or rename the file to {country.iso3}.yaml.",
                )
            elif owned:
                country_files[iso3] = (entry, country)
        elif entry.kind in ("initiative", "practice"):
            if not is_slug(entry.stem):
                report.add(
                    entry.path,
                    1,
                    1,
                    "invalid-slug",
                    f"the file name '{entry.stem}' is not a valid id",
                    "Rename the file using lower-case letters, digits and hyphens, e.g. kenya-digital-plan.md.",
                )
                continue
            if entry.stem in RESERVED:
                report.add(
                    entry.path,
                    1,
                    1,
                    "reserved-slug",
                    f"the file name '{entry.stem}' is reserved for the listing pages",
                    f"Rename the file; {', '.join(RESERVED)} are taken by the listings.",
                )
                continue
            owned = claim(entry.kind, entry.stem, entry)
            if entry.kind == "initiative":
                initiative = validate_entry(entry, Initiative, report)
                if initiative is not None and owned:
                    initiatives[entry.stem] = (entry, initiative)
            else:
                practice = validate_entry(entry, Practice, report)
                if practice is not None and owned:
                    practices[entry.stem] = (entry, practice)
            if entry.stem not in (initiatives if entry.kind == "initiative" else practices):
                invalid.append(entry)

    if not goals and not targets and content.site is not None:
        report.add(
            content.site.path,
            1,
            1,
            "empty-content",
            "the content folder has no goals or targets",
            "Check --content: it should point at the folder with goals/ and targets/.",
        )

    pools: dict[str, Collection[str]] = {"source": sources, "target": targets, "country": ref}

    def need(kind: str, entry: Entry, path: DocPath, key: str) -> None:
        """Report `key` at `path` unless a {kind} with that id exists."""
        if key in pools[kind]:
            return
        suggestion = suggest_country(key) if kind == "country" else did_you_mean(key, pools[kind])
        what = "country code" if kind == "country" else kind
        report.add(
            entry.path,
            *entry.doc.where(path),
            f"unknown-{kind}",
            f"unknown {what} '{key}'",
            join_hint(suggestion, _REFERENCE_ADVICE[kind]),
        )

    for entry, goal in goals.values():
        need("source", entry, ("source",), goal.source)
    indicators: dict[str, Indicator] = {}
    indicator_target: dict[str, str] = {}
    for entry, target in targets.values():
        need("source", entry, ("source",), target.source)
        if target.goal not in goals and goals:
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
            need("source", entry, ("indicators", i, "source"), ind.source)
    if config and config.focus_targets and content.site:
        for i, t in enumerate(config.focus_targets):
            need("target", content.site, ("focus_targets", i), t)
    for kind, items in (("initiative", initiatives), ("practice", practices)):
        for entry, item in items.values():
            _check_list(entry, "countries", "country", item.countries, need, report)
            _check_list(entry, "targets", "target", item.targets, need, report)
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
                report.warn(
                    entry.path,
                    entry.body_line or 1,
                    1,
                    "placeholder-text",
                    f"the description of this {kind} is still the example text that 'connect-site new' wrote",
                    "Replace the lines after the front matter with your own description, and say where the facts "
                    "come from.",
                )
            if isinstance(item, Initiative) and item.start and item.end and item.end < item.start:
                report.add(
                    entry.path,
                    *entry.doc.where(("end",)),
                    "invalid-value",
                    f"end ({item.end}) is before start ({item.start})",
                    "Check both dates; use YYYY-MM-DD.",
                )
    for entry in invalid:
        _check_raw_links(entry, need)
    for entry, country in country_files.values():
        if country.source:
            need("source", entry, ("source",), country.source)
        for i, status in enumerate(country.statuses):
            need("target", entry, ("statuses", i, "target"), status.target)

    raws: list[RawObservation] = []
    for entry, country in sorted(country_files.values(), key=lambda p: p[0].path):
        raws.extend(from_country(entry, entry.stem.upper(), country))
    for table in sorted(content.tables, key=lambda t: t.path):
        raws.extend(from_table(table, indicators, report))
    observations = check_observations(raws, indicators, set(sources), now_year, report)
    stale_warnings(observations, indicators, now_year, report)

    translations = _translations(translation_files, initiatives, practices, config, report)
    if config is None:
        return None
    return _assemble(
        config,
        sources,
        goals,
        targets,
        indicators,
        indicator_target,
        country_files,
        observations,
        initiatives,
        practices,
        ids,
        translations,
    )


# "kenya-plan.fr": a translation of the entry kenya-plan into French
TRANSLATION_STEM = re.compile(r"(?P<slug>[a-z0-9][a-z0-9-]*)\.(?P<lang>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)")


def _translations(
    files: list[tuple[Entry, str, str]],
    initiatives: dict[str, tuple[Entry, Initiative]],
    practices: dict[str, tuple[Entry, Practice]],
    config: Optional[SiteConfig],
    report: Reporter,
) -> dict[tuple[str, str], dict[str, Translation]]:
    """Check each translation file: a language of the site, an entry beside it, valid fields."""
    languages = [code for code in (config.languages if config else []) if config and code != config.default_language]
    out: dict[tuple[str, str], dict[str, Translation]] = {}
    seen: dict[tuple[str, str, str], str] = {}
    for entry, slug, lang in files:
        folder = "initiatives" if entry.kind == "initiative" else "practices"
        if lang not in languages:
            default = config.default_language if config else "en"
            report.add(
                entry.path,
                1,
                1,
                "unknown-language",
                f"'{lang}' in the file name is not one of the site's other languages"
                + (" (it is the default language)" if lang == default else ""),
                f"Translations are named {slug}.<language>.md with one of: {', '.join(languages) or '(none)'}; "
                "the languages are listed in site.yaml.",
            )
            continue
        if slug not in (initiatives if entry.kind == "initiative" else practices):
            report.add(
                entry.path,
                1,
                1,
                "translation-without-entry",
                f"this translates '{slug}', but {folder}/ has no valid entry {slug}.md",
                f"Name the file after the entry it translates, e.g. {folder}/<entry>.{lang}.md, "
                "and fix the entry itself first if it has errors.",
            )
            continue
        key = (entry.kind, slug, lang)
        if key in seen:
            report.add(
                entry.path,
                1,
                1,
                "duplicate-id",
                f"'{slug}' is already translated into '{lang}' in {seen[key]}",
                "Keep one translation file per language.",
            )
            continue
        seen[key] = entry.path
        translation = validate_entry(entry, Translation, report)
        if translation is not None:
            out.setdefault((entry.kind, slug), {})[lang] = translation
    return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}


Need = Callable[[str, Entry, DocPath, str], None]  # (kind, entry, where, id): report unless it exists

_REFERENCE_ADVICE = {
    "source": "Declare it in sources.yaml, or use an existing id.",
    "target": "Targets are listed under /targets/ on the site.",
    "country": "Use the ISO 3166-1 alpha-3 code, e.g. KEN for Kenya.",
}


def _site_config(content: Content, report: Reporter) -> Optional[SiteConfig]:
    if content.site is None:
        report.add(
            f"{content.display_root.rstrip('/')}/site.yaml",
            1,
            1,
            "missing-site",
            "the content folder has no site.yaml",
            "Create site.yaml with at least: title, base_url. See the README.",
        )
        return None
    return validate_model(content.site, SiteConfig, report)


def _check_body(entry: Entry, report: Reporter) -> None:
    body, line0, col0 = entry.body, entry.body_line, 1
    if body is None and isinstance(entry.doc.data, dict) and isinstance(entry.doc.data.get("body"), str):
        body = entry.doc.data["body"]
        line0, col0 = entry.doc.text_starts.get(("body",), entry.doc.where(("body",)))
    if body:
        for p in check_body(body):
            report.add(entry.path, line0 + p.line, col0 - 1 + p.col, p.code, p.message, p.hint)


def _check_raw_links(entry: Entry, need: Need) -> None:
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
                need("country", entry, (name, i), value.strip().upper())
            elif name == "targets":
                try:
                    key = canonical_target_id(value)
                except PydanticCustomError:
                    continue
                if isinstance(key, str):
                    need("target", entry, (name, i), key)


def _check_list(entry: Entry, name: str, kind: str, values: list[str], need: Need, report: Reporter) -> None:
    """References in a list field, and a warning for an item listed twice."""
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            report.warn(
                entry.path,
                *entry.doc.where((name, i)),
                "duplicate-item",
                f"'{value}' is listed twice in {name}",
                "Remove the second one.",
            )
        seen.add(value)
        need(kind, entry, (name, i), value)


def _assemble(
    config: SiteConfig,
    sources: dict[str, Source],
    goals: dict[int, tuple[Entry, Goal]],
    targets: dict[str, tuple[Entry, Target]],
    indicators: dict[str, Indicator],
    indicator_target: dict[str, str],
    country_files: dict[str, tuple[Entry, Country]],
    observations: list[Observation],
    initiatives: dict[str, tuple[Entry, Initiative]],
    practices: dict[str, tuple[Entry, Practice]],
    ids: dict[tuple[str, str], str],
    translations: dict[tuple[str, str], dict[str, Translation]],
) -> Site:
    ref = refdata.countries()
    countries = {}
    for iso3, r in ref.items():
        entry = country_files.get(iso3)
        model = entry[1] if entry else None
        countries[iso3] = CountryView(
            r, (model.name if model and model.name else r.name), model, entry[0].path if entry else None
        )
    site = Site(
        config=config,
        sources=dict(sorted(sources.items())),
        goals={k: v[1] for k, v in sorted(goals.items())},
        targets={k: v[1] for k, v in sorted(targets.items(), key=lambda kv: target_sort_key(kv[0]))},
        indicators=indicators,
        indicator_target=indicator_target,
        countries=countries,
        observations=observations,
        initiatives={k: v[1] for k, v in sorted(initiatives.items())},
        translations=translations,
        practices={k: v[1] for k, v in sorted(practices.items())},
        paths={k: v for k, v in sorted(ids.items())},
    )
    if config.focus_targets is not None:
        site.focus_targets = [t for t in config.focus_targets if t in site.targets]
    else:
        site.focus_targets = [t.id for t in site.targets.values() if t.focus]
    by_goal: dict[int, list[str]] = defaultdict(list)
    for t in site.targets.values():
        by_goal[t.goal].append(t.id)
    site.targets_by_goal = dict(by_goal)
    for items, by_country, by_target in (
        (site.initiatives, site.initiatives_by_country, site.initiatives_by_target),
        (site.practices, site.practices_by_country, site.practices_by_target),
    ):
        for slug, item in items.items():
            for c in sorted(set(item.countries)):
                by_country.setdefault(c, []).append(slug)
            for target_id in sorted(set(item.targets)):
                by_target.setdefault(target_id, []).append(slug)
    for iso3, view in site.countries.items():
        for status in view.entry.statuses if view.entry else []:
            site.statuses_by_target.setdefault(status.target, []).append((iso3, status))
    return site
