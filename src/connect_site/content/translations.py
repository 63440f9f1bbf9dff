"""Translation files, beside the file they translate, each in one of the site's other languages.

`<slug>.<lang>.md` for an initiative or practice, `<id>.<lang>.yaml` for a goal, target or
country, `sources.<lang>.yaml` and `site.<lang>.yaml` at the top (see `texts.py`). Each is
checked: a language of the site, a file beside it that it translates, valid fields, and every
id it names (an indicator of the target, a category, a source, the official text's source).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Optional

from connect_site.content.broken import Broken
from connect_site.content.entries import Entries
from connect_site.content.read import Entry
from connect_site.content.schema import SiteConfig, Source, Target, Translation
from connect_site.content.texts import (
    CountryTranslation,
    GoalTranslation,
    SiteTranslation,
    SourceTranslation,
    TargetTranslation,
)
from connect_site.content.validate import validate_entry, validate_model
from connect_site.errors import Reporter, did_you_mean, join_hint

FOLDERS = {"initiative": "initiatives", "practice": "practices", "goal": "goals", "target": "targets"}


@dataclass(frozen=True)
class Texts:
    """Every translation, by what it translates, then language."""

    entries: dict[tuple[str, str], dict[str, Translation]] = field(default_factory=dict)  # (kind, slug)
    goals: dict[int, dict[str, GoalTranslation]] = field(default_factory=dict)
    targets: dict[str, dict[str, TargetTranslation]] = field(default_factory=dict)
    countries: dict[str, dict[str, CountryTranslation]] = field(default_factory=dict)
    sources: dict[str, dict[str, SourceTranslation]] = field(default_factory=dict)
    site: dict[str, SiteTranslation] = field(default_factory=dict)

    def languages(self) -> dict[str, dict[str, int]]:
        """language -> kind -> how many things are translated into it."""
        out: dict[str, dict[str, int]] = {}

        def count(kind: str, langs: Collection[str]) -> None:
            for code in langs:
                out.setdefault(code, {}).setdefault(kind, 0)
                out[code][kind] += 1

        for goal in self.goals.values():
            count("goals", goal)
        for target in self.targets.values():
            count("targets", target)
        for country in self.countries.values():
            count("countries", country)
        for (kind, _slug), entry in self.entries.items():
            count(FOLDERS[kind], entry)
        for source in self.sources.values():
            count("sources", source)
        count("site", self.site)
        return out


class _Checker:
    def __init__(
        self,
        entries: Entries,
        config: Optional[SiteConfig],
        sources: dict[str, Source],
        broken: Broken,
        report: Reporter,
    ) -> None:
        self.entries, self.config, self.sources, self.report = entries, config, sources, report
        self.broken = broken
        self.languages = [c for c in (config.languages if config else []) if config and c != config.default_language]
        self.seen: dict[tuple[str, str, str], str] = {}

    def language(self, entry: Entry, key: str, lang: str, example: str) -> bool:
        if lang in self.languages:
            return True
        if self.broken.covers("language", lang):
            return False  # site.yaml, which lists the languages, is left out for its errors
        default = self.config.default_language if self.config else "en"
        self.report.add(
            entry.path,
            1,
            1,
            "unknown-language",
            f"'{lang}' in the file name is not one of the site's other languages"
            + (" (it is the default language)" if lang == default else ""),
            f"Translations are named {example} with one of: {', '.join(self.languages) or '(none)'}; "
            "the languages are listed in site.yaml.",
        )
        return False

    def once(self, entry: Entry, kind: str, key: str, lang: str) -> bool:
        first = self.seen.setdefault((kind, key, lang), entry.path)
        if first == entry.path:
            return True
        self.report.add(
            entry.path,
            1,
            1,
            "duplicate-id",
            f"'{key}' is already translated into '{lang}' in {first}",
            "Keep one translation file per language.",
        )
        return False

    def without(self, entry: Entry, kind: str, key: str, what: str, example: str) -> None:
        if self.broken.covers(kind, key):
            return  # the file it translates is left out for its errors
        self.report.add(
            entry.path,
            1,
            1,
            "translation-without-entry",
            f"this translates '{key}', but there is no valid {what} {key}",
            f"Name the file after the file it translates, e.g. {example}, and fix that file first if it has errors.",
        )

    def source(self, entry: Entry, path: tuple[Any, ...], key: Optional[str]) -> None:
        if key is not None and key not in self.sources and not self.broken.covers("source", key):
            self.report.add(
                entry.path,
                *entry.doc.where(path),
                "unknown-source",
                f"unknown source '{key}'",
                join_hint(did_you_mean(key, self.sources), "Declare the ITU publication in sources.yaml."),
            )

    def target_parts(self, entry: Entry, target: Target, model: TargetTranslation) -> None:
        known = {i.id: i for i in target.indicators}
        for ind_id, tr in model.indicators.items():
            ind = known.get(ind_id)
            if ind is None:
                self.report.add(
                    entry.path,
                    *entry.doc.where(("indicators", ind_id), key=True),
                    "unknown-indicator",
                    f"target {target.id} has no indicator '{ind_id}'",
                    join_hint(did_you_mean(ind_id, known), "Translate the indicators the target file lists."),
                )
                continue
            codes: Collection[str] = {c.code for c in ind.categories}
            for code in tr.categories:
                if code not in codes:
                    self.report.add(
                        entry.path,
                        *entry.doc.where(("indicators", ind_id, "categories", code), key=True),
                        "invalid-value",
                        f"'{code}' is not a category of '{ind_id}'",
                        "Use the codes of the indicator's categories: " + (", ".join(sorted(codes)) or "(none)") + ".",
                    )


def check_translations(
    entries: Entries,
    config: Optional[SiteConfig],
    sources: dict[str, Source],
    broken: Broken,
    report: Reporter,
    top: list[tuple[Entry, str]],
) -> Texts:
    """Check every translation file (`top`: site.<lang>.yaml and sources.<lang>.yaml, with their language)."""
    check = _Checker(entries, config, sources, broken, report)
    texts = Texts()
    for entry, key, lang in entries.translations:
        if entry.kind in ("initiative", "practice"):
            _entry(check, texts, entry, key, lang)
        elif entry.kind == "goal":
            _goal(check, texts, entry, key, lang)
        elif entry.kind == "target":
            _target(check, texts, entry, key, lang)
        elif entry.kind == "country":
            _country(check, texts, entry, key, lang)
    for entry, lang in top:
        if entry.kind == "site-translation" and check.language(entry, "site", lang, "site.<language>.yaml"):
            model = validate_model(entry, SiteTranslation, report)
            if model is not None:
                texts.site[lang] = model
        elif entry.kind == "sources-translation" and check.language(entry, "sources", lang, "sources.<language>.yaml"):
            _sources(check, texts, entry, lang)
    return Texts(
        entries={k: dict(sorted(v.items())) for k, v in sorted(texts.entries.items())},
        goals={k: dict(sorted(v.items())) for k, v in sorted(texts.goals.items())},
        targets={k: dict(sorted(v.items())) for k, v in sorted(texts.targets.items())},
        countries={k: dict(sorted(v.items())) for k, v in sorted(texts.countries.items())},
        sources={k: dict(sorted(v.items())) for k, v in sorted(texts.sources.items())},
        site=dict(sorted(texts.site.items())),
    )


def _entry(check: _Checker, texts: Texts, entry: Entry, slug: str, lang: str) -> None:
    folder = FOLDERS[entry.kind]
    if not check.language(entry, slug, lang, f"{slug}.<language>.md"):
        return
    items = check.entries.initiatives if entry.kind == "initiative" else check.entries.practices
    if slug not in items:
        check.without(entry, entry.kind, slug, f"entry in {folder}/", f"{folder}/<entry>.{lang}.md")
        return
    if check.once(entry, entry.kind, slug, lang):
        model = validate_entry(entry, Translation, check.report)
        if model is not None:
            texts.entries.setdefault((entry.kind, slug), {})[lang] = model


def _goal(check: _Checker, texts: Texts, entry: Entry, key: str, lang: str) -> None:
    if not check.language(entry, key, lang, f"{key}.<language>.yaml"):
        return
    n = int(key) if key.isdigit() else -1
    if n not in check.entries.goals:
        check.without(entry, "goal", key, "goal", f"goals/<n>.{lang}.yaml")
        return
    if check.once(entry, "goal", key, lang):
        model = validate_entry(entry, GoalTranslation, check.report)
        if model is not None:
            check.source(entry, ("statement_source",), model.statement_source)
            texts.goals.setdefault(n, {})[lang] = model


def _target(check: _Checker, texts: Texts, entry: Entry, key: str, lang: str) -> None:
    if not check.language(entry, key, lang, f"{key}.<language>.yaml"):
        return
    found = next((t for t in check.entries.targets if t.lower() == key.lower()), None)
    if found is None:
        check.without(entry, "target", key, "target", f"targets/<id>.{lang}.yaml")
        return
    if check.once(entry, "target", found, lang):
        model = validate_entry(entry, TargetTranslation, check.report)
        if model is not None:
            check.source(entry, ("text_source",), model.text_source)
            check.target_parts(entry, check.entries.targets[found][1], model)
            texts.targets.setdefault(found, {})[lang] = model


def _country(check: _Checker, texts: Texts, entry: Entry, key: str, lang: str) -> None:
    if not check.language(entry, key, lang, f"{key}.<language>.yaml"):
        return
    iso3 = key.upper()
    if iso3 not in check.entries.countries:
        check.without(entry, "country", iso3, "country file", f"countries/<ISO3>.{lang}.yaml")
        return
    if check.once(entry, "country", iso3, lang):
        model = validate_entry(entry, CountryTranslation, check.report)
        if model is not None:
            texts.countries.setdefault(iso3, {})[lang] = model


def _sources(check: _Checker, texts: Texts, entry: Entry, lang: str) -> None:
    data = entry.doc.data
    if not isinstance(data, dict):
        validate_model(entry, SourceTranslation, check.report)  # reports "not a set of fields"
        return
    for key, value in data.items():
        if key not in check.sources and check.broken.covers("source", key):
            continue
        if key not in check.sources:
            check.report.add(
                entry.path,
                *entry.doc.where((key,), key=True),
                "unknown-source",
                f"there is no source '{key}' to translate",
                join_hint(did_you_mean(str(key), check.sources), "Use the ids of sources.yaml."),
            )
            continue
        model = validate_model(entry, SourceTranslation, check.report, value, (key,))
        if model is not None:
            texts.sources.setdefault(key, {})[lang] = model
