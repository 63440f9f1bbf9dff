"""`connect-site translations`: how complete each language is, the interface and the entries."""

from __future__ import annotations

import json
from pathlib import Path

import click

from connect_site.commands.options import EXIT_CONTENT, EXIT_OK, content_option, debug_option, guarded, say
from connect_site.commands.report import report


@click.command()
@content_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A table for people, or JSON for tools.",
)
@debug_option
@guarded
def translations(content_dir: Path, fmt: str, debug: bool) -> int:
    """Report how complete each language is: the interface and the entries.

    The interface counts the UI messages translated in each language's catalog; the entries
    count the initiatives and practices that have a translation file (<slug>.<lang>.md).
    Exits 1 when the content has errors.
    """
    from connect_site import pipeline
    from connect_site.site.context import site_languages
    from connect_site.site.i18n import completeness

    result = pipeline.check(content_dir, display_root=content_dir.as_posix())
    if result.site is None or not result.ok:
        report(result, "text")
        return EXIT_CONTENT
    site = result.site
    per_lang: dict[str, int] = {}
    for langs in site.translations.values():
        for code in langs:
            per_lang[code] = per_lang.get(code, 0) + 1
    total = len(site.initiatives) + len(site.practices)
    lines = completeness(site_languages(site), site.config.default_language, per_lang, total)
    if fmt == "json":
        doc = [
            {
                "language": c.language,
                "name": c.name,
                "interface": {"translated": c.ui_translated, "total": c.ui_total, "percent": round(c.ui_percent, 1)},
                "entries": {
                    "translated": c.entries_translated,
                    "total": c.entries_total,
                    "percent": round(c.entries_percent, 1),
                },
            }
            for c in lines
        ]
        say(json.dumps({"languages": doc}, ensure_ascii=False, indent=2))
        return EXIT_OK
    rows = [("language", "interface", "entries")]
    rows += [
        (
            f"{c.language} {c.name}",
            f"{c.ui_translated}/{c.ui_total} ({c.ui_percent:.0f}%)",
            f"{c.entries_translated}/{c.entries_total} ({c.entries_percent:.0f}%)",
        )
        for c in lines
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        say("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    return EXIT_OK
