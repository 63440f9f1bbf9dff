"""`connect-site translations`: how complete each language is, kind by kind."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import click

from connect_site.commands.options import EXIT_CONTENT, EXIT_OK, content_option, debug_option, guarded, say
from connect_site.commands.report import report

if TYPE_CHECKING:
    from connect_site.content.graph import Site

# What a translation file can translate, in the order of the report's columns.
KINDS = ("goals", "targets", "indicators", "sources", "countries", "entries", "site")


def kind_counts(site: Site, lang: str) -> dict[str, tuple[int, int]]:
    """kind -> (translated, total) in `lang`. Countries count only those with a text of their
    own (a summary or a body); an indicator counts when its target's translation gives it a
    title; entries are the initiatives and practices."""
    texts = site.texts
    indicators = [(t.id, i.id) for t in site.targets.values() for i in t.indicators]
    with_text = [iso3 for iso3, c in site.countries.items() if c.entry and (c.entry.summary or c.entry.body)]
    entries = [("initiative", s) for s in site.initiatives] + [("practice", s) for s in site.practices]
    totals = {
        "goals": len(site.goals),
        "targets": len(site.targets),
        "indicators": len(indicators),
        "sources": len(site.sources),
        "countries": len(with_text),
        "entries": len(entries),
        "site": 1,
    }
    if lang == site.config.default_language:
        return {kind: (n, n) for kind, n in totals.items()}

    def indicator_done(target_id: str, indicator_id: str) -> bool:
        tr = texts.targets.get(target_id, {}).get(lang)
        found = tr.indicators.get(indicator_id) if tr else None
        return bool(found and found.title)

    done = {
        "goals": sum(1 for g in site.goals if lang in texts.goals.get(g, {})),
        "targets": sum(1 for t in site.targets if lang in texts.targets.get(t, {})),
        "indicators": sum(1 for t, i in indicators if indicator_done(t, i)),
        "sources": sum(1 for s in site.sources if lang in texts.sources.get(s, {})),
        "countries": sum(1 for c in with_text if lang in texts.countries.get(c, {})),
        "entries": sum(1 for key in entries if lang in texts.entries.get(key, {})),
        "site": int(lang in texts.site),
    }
    return {kind: (done[kind], totals[kind]) for kind in KINDS}


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _percent(done: int, total: int) -> float:
    return round(100.0 * done / total, 1) if total else 100.0


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
    """Report how complete each language is: the interface and each kind of content.

    The interface counts the UI messages translated in each language's catalog. Each kind
    counts what has a translation file: goals (goals/<n>.<lang>.yaml), targets and their
    indicators (targets/<id>.<lang>.yaml), sources (sources.<lang>.yaml), countries with a
    text of their own (countries/<ISO3>.<lang>.yaml), initiatives and practices
    (<slug>.<lang>.md) and the site (site.<lang>.yaml). Exits 1 when the content has errors.
    """
    from connect_site import pipeline
    from connect_site.site.context import site_languages
    from connect_site.site.i18n import catalog_counts, language

    result = pipeline.check(content_dir, display_root=content_dir.as_posix())
    if result.site is None or not result.ok:
        report(result, "text")
        return EXIT_CONTENT
    site = result.site
    lines = []
    for code in site_languages(site):
        ui_done, ui_total = catalog_counts(code)
        lines.append((code, language(code).name, {"interface": (ui_done, ui_total), **kind_counts(site, code)}))
    if fmt == "json":
        doc = [
            {"language": code, "name": name}
            | {kind: {"translated": d, "total": t, "percent": _percent(d, t)} for kind, (d, t) in counts.items()}
            for code, name, counts in lines
        ]
        say(json.dumps({"languages": doc}, ensure_ascii=False, indent=2))
        return EXIT_OK
    columns = ("interface", *KINDS)
    rows: list[tuple[str, ...]] = [("language", *columns)]
    rows += [(f"{code} {name}", *(f"{counts[k][0]}/{counts[k][1]}" for k in columns)) for code, name, counts in lines]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        say("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(r, widths, strict=True)).rstrip())
    return EXIT_OK
