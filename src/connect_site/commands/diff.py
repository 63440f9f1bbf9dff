"""`connect-site diff`: what a change to the content changes for readers, for a pull request review.

Two versions of the content (git refs read with `git archive`, never checked out, or two
folders) are checked by the same pipeline, then compared as checked sites: entries,
statistics, and the pages and download files that show them. The report is Markdown for
a pull request comment (contributor text escaped, size capped) or a stable JSON document.

Reading a git ref or folder is in review_git.py; the Markdown and JSON report in review_report.py.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import click

from connect_site.commands.diff_git import materialise
from connect_site.commands.diff_report import KINDS, Diff, Json, as_json, failure, markdown, plural
from connect_site.commands.options import (
    EXIT_CONTENT,
    EXIT_OK,
    check_base_url,
    content_option,
    debug_option,
    guarded,
    say,
)
from connect_site.content.graph import Site
from connect_site.content.observations import Observation
from connect_site.content.schema import target_sort_key
from connect_site.errors import ConnectSiteError, Severity
from connect_site.pipeline import check
from connect_site.site import routes
from connect_site.site.exports import downloads
from connect_site.site.facts import Facts
from connect_site.site.files import build_date
from connect_site.site.render import Renderer
from connect_site.site.theme import load_theme

NEWEST = 6  # entries on the home page (render.LATEST_ENTRIES)

Affect = Callable[[str, str], None]  # (page, reason)


# -- comparing ----------------------------------------------------------------------------


@dataclass
class Side:
    site: Site
    facts: Facts
    renderer: Renderer
    pages: set[str]
    files: dict[str, bytes]

    @classmethod
    def of(cls, site: Site) -> Side:
        facts = Facts(site)
        renderer = Renderer(site, load_theme(), site.config.base_url, build_date(), facts=facts)
        pages = set(renderer.paths()) - {"404.html"}  # the 404 page shows no content
        return cls(site, facts, renderer, pages, {d.path: d.data for d in downloads(site)})

    def gaps(self) -> dict[str, list[tuple[str, bool]]]:
        """What each focus target's gaps page lists: the countries, and whether each has a page (a link)."""
        r = self.renderer
        return {t: [(c, c in r.has_page) for c in r.gaps(self.site.targets[t])] for t in self.site.focus_targets}


def _entries(site: Site) -> list[tuple[str, str, Any]]:
    return [("initiative", s, i) for s, i in site.initiatives.items()] + [
        ("practice", s, p) for s, p in site.practices.items()
    ]


def _flatten(value: Json, prefix: str, out: dict[str, Json]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        seen: Counter[str] = Counter()
        for i, item in enumerate(value):
            key = str(item.get("target", i))
            seen[key] += 1
            _flatten(item, f"{prefix}[{key}{'' if seen[key] == 1 else f'#{seen[key]}'}]", out)
    elif value is not None and value != []:
        out[prefix] = value


def _records(site: Site) -> dict[tuple[str, str], tuple[str, Optional[str], dict[str, Json]]]:
    """Every entity as (kind, id) -> (title, page, flattened fields)."""
    out: dict[tuple[str, str], tuple[str, Optional[str], dict[str, Json]]] = {}

    def put(kind: str, key: str, title: str, page: Optional[str], data: Json) -> None:
        flat: dict[str, Json] = {}
        _flatten(data, "", flat)
        out[(kind, key)] = (title, page, flat)

    for kind, slug, item in _entries(site):
        put(kind, slug, item.title, routes.entry(kind, slug), item.model_dump(mode="json"))
    for iso3, view in site.countries.items():
        if view.entry is not None:
            put(
                "country",
                iso3,
                view.name,
                routes.country(iso3),
                view.entry.model_dump(mode="json", exclude={"statistics"}),
            )
    for t in site.targets.values():
        put("target", t.id, t.title or t.text, routes.target(t.id), t.model_dump(mode="json", exclude={"indicators"}))
    for n, g in site.goals.items():
        put("goal", str(n), g.title, routes.goal(n), g.model_dump(mode="json"))
    for key, ind in site.indicators.items():
        target = site.indicator_target[key]
        put("indicator", key, ind.title, routes.target(target), {"target": target, **ind.model_dump(mode="json")})
    for key, src in site.sources.items():
        put("source", key, f"{src.publisher}: {src.title}", None, src.model_dump(mode="json"))
    put("site", "site.yaml", site.config.title, None, site.config.model_dump(mode="json", exclude={"sources"}))
    for (kind, slug), langs in site.translations.items():
        for lang, tr in langs.items():
            put(
                "translation", f"{kind}/{slug}.{lang}", tr.title, f"{lang}/" + routes.entry(kind, slug), tr.model_dump()
            )
    return out


def _id_key(kind: str, key: str) -> tuple[Any, ...]:
    if kind == "target":
        return target_sort_key(key)
    if kind == "goal" and key.isdigit():
        return (int(key),)
    return (key,)


def _obs(o: Observation) -> dict[str, Json]:
    value: Json = o.value if isinstance(o.value, bool) else _number(float(o.value))
    evidence = o.evidence.model_dump(mode="json") if o.evidence else None
    return {"value": value, "source": o.source, "note": o.note, "evidence": evidence}


def _number(value: float) -> Json:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _by_key(site: Site) -> dict[tuple[str, str, int], list[dict[str, Json]]]:
    out: dict[tuple[str, str, int], list[dict[str, Json]]] = {}
    for o in site.observations:
        out.setdefault((o.indicator, o.country, o.year), []).append(_obs(o))
    return {k: sorted(v, key=lambda r: r["source"]) for k, v in out.items()}


def _stat_changes(base: Site, head: Site) -> list[dict[str, Json]]:
    """Per (indicator, country, year): the same source is the same statistic; leftovers pair up in order."""
    old, new = _by_key(base), _by_key(head)
    rows: list[dict[str, Json]] = []
    for key in sorted(set(old) | set(new)):
        before, after = list(old.get(key, [])), list(new.get(key, []))
        pairs: list[tuple[Optional[dict[str, Json]], Optional[dict[str, Json]]]] = []
        for b in list(before):
            match = next((a for a in after if a["source"] == b["source"]), None)
            if match is not None:
                before.remove(b)
                after.remove(match)
                pairs.append((b, match))
        pairs += list(zip(before, after, strict=False))
        pairs += [(b, None) for b in before[len(after) :]]
        pairs += [(None, a) for a in after[len(before) :]]
        indicator, country, year = key
        for was, now in pairs:
            fields = [f for f in ("value", "source", "note", "evidence") if was and now and was[f] != now[f]]
            if was and now and not fields:
                continue
            change = "changed" if was and now else "added" if now else "removed"
            rows.append(
                {"indicator": indicator, "country": country, "year": year, "change": change}
                | {"old": was, "new": now, "fields": fields}
            )
    return rows


def _summary_of(side: Side, target_id: str) -> Json:
    """What the home and goal pages say about a target: its headline figures and status counts."""
    site, facts = side.site, side.facts
    target = site.targets[target_id]
    lines = [(i.id, i.title, i.unit.value, facts.goal_count(i.id), facts.yes_count(i.id)) for i in target.indicators]
    statuses = sorted(Counter(s.status.value for _, s in site.statuses_by_target.get(target_id, [])).items())
    return (target.title, target.text, lines, statuses)


def _newest(site: Site) -> list[Json]:
    cards = [
        (item.start if kind == "initiative" else item.date, kind, slug, item) for kind, slug, item in _entries(site)
    ]
    dated = sorted((c for c in cards if c[0]), key=lambda c: (c[0], c[1], c[2]), reverse=True)[:NEWEST]
    return [(when, kind, slug, item.model_dump(mode="json")) for when, kind, slug, item in dated]


def _home(side: Side) -> dict[str, Json]:
    site, facts = side.site, side.facts
    return {
        "focus figures": [(t, _summary_of(side, t)) for t in site.focus_targets],
        "counts": (len(facts.by_country), len(site.observations), len(site.initiatives), len(site.practices)),
        "coverage map": (facts.coverage, len(site.indicators)),
        "newest entries": _newest(site),
    }


def compare(base_site: Site, head_site: Site) -> Diff:
    """Everything that differs between two checked sites, and the pages that show it."""
    base, head = Side.of(base_site), Side.of(head_site)
    diff = Diff()

    def affect(page: str, reason: str) -> None:
        diff.pages.setdefault(page, set()).add(reason)

    old, new = _records(base.site), _records(head.site)
    order = {k: i for i, k in enumerate(KINDS)}
    for key in sorted(set(old) | set(new), key=lambda k: (order[k[0]], _id_key(*k))):
        kind, ident = key
        if key not in old:
            title, page, _ = new[key]
            diff.entries["added"].append({"kind": kind, "id": ident, "title": title, "page": page})
            _entity_pages(kind, ident, base, head, f"{kind} {ident} added", affect)
        elif key not in new:
            title, page, _ = old[key]
            diff.entries["removed"].append({"kind": kind, "id": ident, "title": title, "page": page})
            _entity_pages(kind, ident, base, head, f"{kind} {ident} removed", affect)
        else:
            (_, _, before), (title, page, after) = old[key], new[key]
            names = list(after) + [f for f in before if f not in after]
            fields = [
                {"field": f, "old": before.get(f), "new": after.get(f)} for f in names if before.get(f) != after.get(f)
            ]
            if not fields:
                continue
            diff.entries["changed"].append({"kind": kind, "id": ident, "title": title, "page": page, "fields": fields})
            if kind == "site":
                if any(f["field"] != "focus_targets" for f in fields):
                    diff.every_page = True
                affect(routes.home(), "site settings changed")
                for t in set(base.site.focus_targets) ^ set(head.site.focus_targets):
                    affect(routes.target(t), "focus targets changed")
            else:
                _entity_pages(kind, ident, base, head, f"{kind} {ident} changed", affect)

    diff.statistics = _stat_changes(base.site, head.site)
    for row in diff.statistics:
        reason = f"statistics of {row['indicator']}"
        affect(routes.country(row["country"]), reason)
        for side in (base, head):
            if row["indicator"] in side.site.indicator_target:
                affect(routes.target(side.site.indicator_target[row["indicator"]]), reason)

    for t in set(base.site.targets) & set(head.site.targets):
        if _summary_of(base, t) != _summary_of(head, t):
            for side in (base, head):
                affect(routes.goal(side.site.targets[t].goal), f"figures of target {t}")
    old_home, new_home = _home(base), _home(head)
    for what in old_home:
        if old_home[what] != new_home[what]:
            affect(routes.home(), what)

    for kind in ("initiative", "practice"):
        if _facets(base.site, kind) != _facets(head.site, kind):
            for page in base.pages | head.pages:
                if page.startswith(routes.listing(kind)) and page.count("/") != 2:  # the listings, not the entries
                    affect(page, "listing filters")

    old_gaps, new_gaps = base.gaps(), head.gaps()
    for t in set(old_gaps) | set(new_gaps):
        if old_gaps.get(t) != new_gaps.get(t):
            affect(routes.gaps(t), f"countries with nothing for target {t}")

    def country_list(side: Side) -> Json:
        listed = sorted(p for p in side.pages if p.startswith("countries/") and p != routes.countries())
        codes = [p.split("/")[1].upper() for p in listed]
        return [(c, side.site.countries[c].name, side.facts.coverage.get(c, 0)) for c in codes]

    if country_list(base) != country_list(head) or len(base.site.indicators) != len(head.site.indicators):
        affect(routes.countries(), "country list")

    for path in sorted(set(base.files) | set(head.files)):
        if base.files.get(path) != head.files.get(path):
            diff.files[path] = "added" if path not in base.files else "removed" if path not in head.files else "changed"
    if diff.files:
        affect(routes.downloads(), "download files")

    every = base.pages | head.pages
    further = [p for p in every if f"/{routes.PAGES}/" in p]  # a listing's pages after the first
    for page, reasons in list(diff.pages.items()):
        for p in further:
            if p.startswith(f"{page}{routes.PAGES}/") and p.count("/") == page.count("/") + 2:
                diff.pages.setdefault(p, set()).update(reasons)  # entries move between pages

    config = head.site.config
    diff.languages = [c for c in dict.fromkeys(config.languages) if c != config.default_language]
    translated = {f"{lang}/{p}": p for lang in diff.languages for p in every}  # a translation's own pages
    diff.pages = {p: r for p, r in diff.pages.items() if p in every or p in translated}
    diff.page_status = {
        p: "added" if p not in base.pages else "removed" if p not in head.pages else "changed" for p in every
    }
    for page in diff.pages:
        if page in translated:
            diff.page_status[page] = diff.page_status[translated[page]]
    return diff


def _facets(site: Site, kind: str) -> Json:
    """What the filter menu of every listing page of a kind shows: each value, its label and count."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for k, _, item in _entries(site):
        if k == kind:
            counts.update(("by-target", t, t) for t in set(item.targets))
            counts.update(("by-country", c, site.countries[c].name) for c in set(item.countries))
            counts[("by-kind", item.kind.value, item.kind.value)] += 1
    return sorted(counts.items())


def _entity_pages(kind: str, ident: str, base: Side, head: Side, reason: str, affect: Affect) -> None:
    """The pages that show one entity, on either side."""
    for side in (base, head):
        site = side.site
        if kind in ("initiative", "practice"):
            item = (site.initiatives if kind == "initiative" else site.practices).get(ident)
            if item is None:
                continue
            affect(routes.entry(kind, ident), reason)
            affect(routes.listing(kind), reason)
            affect(routes.listing(kind, "by-kind", item.kind.value), reason)
            for t in item.targets:
                affect(routes.listing(kind, "by-target", t), reason)
                affect(routes.target(t), reason)
            for c in item.countries:
                affect(routes.listing(kind, "by-country", c), reason)
                affect(routes.country(c), reason)
        elif kind == "country":
            view = site.countries.get(ident)
            affect(routes.country(ident), reason)
            for status in view.entry.statuses if view and view.entry else []:
                affect(routes.target(status.target), reason)
            for kind2, slug, item in _entries(site):
                if ident in item.countries:
                    affect(routes.entry(kind2, slug), reason)
                    affect(routes.listing(kind2, "by-country", ident), reason)
        elif kind == "target" and ident in site.targets:
            target = site.targets[ident]
            affect(routes.target(ident), reason)
            if ident in site.focus_targets:
                affect(routes.gaps(ident), reason)  # it quotes the target's text
            affect(routes.targets(), reason)
            affect(routes.goal(target.goal), reason)
            for kind2, slug, item in _entries(site):
                if ident in item.targets:
                    affect(routes.entry(kind2, slug), reason)
                    affect(routes.listing(kind2, "by-target", ident), reason)
            for iso3, _ in site.statuses_by_target.get(ident, []):
                affect(routes.country(iso3), reason)
        elif kind == "goal" and ident.isdigit() and int(ident) in site.goals:
            affect(routes.goal(int(ident)), reason)
            affect(routes.targets(), reason)
            affect(routes.home(), reason)  # the home page lists the goals
        elif kind == "indicator" and ident in site.indicators:
            affect(routes.target(site.indicator_target[ident]), reason)
            for iso3 in side.facts.by_indicator.get(ident, {}):
                affect(routes.country(iso3), reason)
        elif kind == "translation":
            entry_kind, _, rest = ident.partition("/")
            slug, _, lang = rest.rpartition(".")
            if slug in (site.initiatives if entry_kind == "initiative" else site.practices):
                affect(f"{lang}/" + routes.entry(entry_kind, slug), reason)
                affect(f"{lang}/" + routes.listing(entry_kind), reason)
        elif kind == "source":
            for n, goal in site.goals.items():
                if goal.source == ident:
                    affect(routes.goal(n), reason)
            for tgt in site.targets.values():
                if tgt.source == ident or any(i.source == ident for i in tgt.indicators):
                    affect(routes.target(tgt.id), reason)
            for o in site.observations:
                if o.source == ident:
                    affect(routes.target(site.indicator_target[o.indicator]), reason)
                    affect(routes.country(o.country), reason)


# -- the command ----------------------------------------------------------------------------


def run(base: str, head: Optional[str], content_dir: Path, fmt: str, base_url: Optional[str]) -> tuple[int, str]:
    """(exit status, report) for two versions of the content."""
    if base_url is not None:
        check_base_url(base_url, "of the published site (or a preview)")
    with tempfile.TemporaryDirectory(prefix="connect-site-diff-") as tmp:
        sides = {}
        for name, spec in (("base", base), ("head", head)):
            if spec is None:
                folder, shown = content_dir, content_dir.as_posix()
            else:
                folder, shown = materialise(spec, content_dir, Path(tmp), name)
            sides[name] = check(folder, display_root=shown)
    if not all(r.ok and r.site is not None for r in sides.values()):
        for name, r in sides.items():
            if not r.ok:
                say(f"connect-site: the {name} content has {plural(r.errors, 'error')}:", err=True)
                for d in r.diagnostics:
                    if d.severity is Severity.ERROR:
                        say(d.format(), err=True)
        return EXIT_CONTENT, failure(sides, fmt)
    old, new = sides["base"].site, sides["head"].site
    assert old is not None and new is not None
    diff = compare(old, new)
    text = as_json(diff, base_url) if fmt == "json" else markdown(diff, new, old, base_url)
    return EXIT_OK, text


@click.command(name="diff")
@click.argument("base")
@click.argument("head", required=False)
@content_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="markdown for a pull request comment, json for tools.",
)
@click.option("--base-url", default=None, help="Where the head site is published (a preview): pages become links.")
@click.option(
    "--out",
    "out_file",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@debug_option
@guarded
def command(
    base: str,
    head: Optional[str],
    content_dir: Path,
    fmt: str,
    base_url: Optional[str],
    out_file: Optional[Path],
    debug: bool,
) -> None:
    """Show what changes for readers between two versions of the content.

    BASE and HEAD are git refs (the content folder inside them is --content) or content
    folders; without HEAD, the working tree's --content is compared. Prints Markdown
    for a pull request comment: entries and statistics added, changed and removed, and
    the pages they appear on. Exits 0 when both versions check clean, 1 when either
    has content errors (they are listed), 2 for an unknown ref or folder.
    """
    status, text = run(base, head, content_dir, fmt, base_url)
    if out_file is None:
        say(text, nl=False)
    else:
        try:
            out_file.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ConnectSiteError(f"cannot write {out_file.as_posix()}: {exc.strerror}") from None
    sys.exit(status)
