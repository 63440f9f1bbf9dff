"""Translation files: `<slug>.<lang>.md` beside the entry they translate, in one of the site's languages."""

from __future__ import annotations

from typing import Optional

from connect_site.content.entries import Entries
from connect_site.content.schema import SiteConfig, Translation
from connect_site.content.validate import validate_entry
from connect_site.errors import Reporter


def check_translations(
    entries: Entries, config: Optional[SiteConfig], report: Reporter
) -> dict[tuple[str, str], dict[str, Translation]]:
    """Check each translation file: a language of the site, an entry beside it, valid fields."""
    files = entries.translations
    initiatives, practices = entries.initiatives, entries.practices
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
