"""`connect-site diff`: what a change to the content changes for readers, for a pull request review.

Two versions of the content (git refs read from git's own tree, never checked out, or
folders given as paths) are checked by the same pipeline, then compared as checked sites: entries,
statistics, and the pages and download files that show them. The report is Markdown for
a pull request comment (contributor text escaped, size capped) or a stable JSON document.

How BASE and HEAD are read (the rule: a ref unless written as a path) is in diff_git.py; the
Markdown and JSON report in diff_report.py.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import click

from connect_site.commands.diff_git import Version, read_version, versions
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
from connect_site.content.fields import target_sort_key
from connect_site.content.graph import Site
from connect_site.content.observations import Observation
from connect_site.errors import EnvironmentProblem, Severity
from connect_site.pipeline import check, the_build_date
from connect_site.site import routes
from connect_site.site.files import SiteFiles
from connect_site.site.plan import LISTING_PAGE_SIZE, Output, PageKind, shows
from connect_site.site.theme import load_theme
from connect_site.site.views import page as page_of
from connect_site.site.views.page import Context

# -- comparing ----------------------------------------------------------------------------


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
    # The other translation files: without them, a change in site.fr.yaml or sources.fr.yaml was "no change".
    texts = site.texts
    for n, goal_texts in texts.goals.items():
        for lang, gt in goal_texts.items():
            title = gt.title or (site.goals[n].title if n in site.goals else str(n))
            put("translation", f"goal/{n}.{lang}", title, f"{lang}/" + routes.goal(n), gt.model_dump(mode="json"))
    for tid, target_texts in texts.targets.items():
        for lang, tt in target_texts.items():
            title = tt.title or (site.targets[tid].title or site.targets[tid].text if tid in site.targets else tid)
            put(
                "translation",
                f"target/{tid}.{lang}",
                title,
                f"{lang}/" + routes.target(tid),
                tt.model_dump(mode="json"),
            )
    for iso3, country_texts in texts.countries.items():
        shown = site.countries.get(iso3)
        for lang, ct in country_texts.items():
            page = f"{lang}/" + routes.country(iso3) if shown is not None else None
            name = shown.name if shown is not None else iso3
            put("translation", f"country/{iso3}.{lang}", name, page, ct.model_dump(mode="json"))
    for key, source_texts in texts.sources.items():
        for lang, st in source_texts.items():
            put("translation", f"source/{key}.{lang}", st.title or key, None, st.model_dump(mode="json"))
    for lang, site_text in texts.site.items():
        put(
            "translation", f"site.{lang}", site_text.title or site.config.title, None, site_text.model_dump(mode="json")
        )
    return out


def _id_key(kind: str, key: str) -> tuple[Any, ...]:
    if kind == "target":
        return target_sort_key(key)
    if kind == "goal" and key.isdigit():
        return (int(key),)
    return (key,)


def _obs(o: Observation) -> dict[str, Json]:
    value: Json = o.value if isinstance(o.value, (bool, str)) else _number(float(o.value))  # str: a category
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


# What a page shows that has translation files of its own (site.<lang>.yaml is on every page).
TRANSLATED = ("initiative ", "practice ", "goal ", "target ", "country ", "source ")

# Template variables whose change explains a page on its own, in words for the reviewer.
_CONTEXT_WORDS = {
    PageKind.HOME: {
        "counts": "counts",
        "latest": "newest entries",
        "focus": "focus figures",
        "coverage_map": "coverage map",
    },
    PageKind.GOAL: {"targets": "figures of its targets"},
    PageKind.COUNTRIES: {"regions": "country list", "coverage": "country list"},
    PageKind.LISTING: {"facets": "listing filters"},
}


@dataclass
class Side:
    """One version of the content, with its site in memory (nothing rendered until asked)."""

    site: Site
    files: SiteFiles
    pages: dict[str, Output]  # path (default language) -> the plan's page
    downloads: dict[str, bytes]

    @classmethod
    def of(cls, site: Site, page_size: int = LISTING_PAGE_SIZE) -> Side:
        files = SiteFiles(site, theme=load_theme(), page_size=page_size, date=the_build_date())
        # the 404 page shows no content; the compare view's figures are those of the country pages
        pages = {o.path: o for o in files.plan if o.kind not in (PageKind.NOT_FOUND, PageKind.COMPARE_VALUES)}
        return cls(site, files, pages, {d.path: d.data for d in files.downloads()})

    def page(self, lang: str, path: str) -> tuple[Optional[Context], bytes]:
        """A page's template data and HTML; (None, b"") when this side has no such page."""
        output = self.pages.get(path)
        if output is None:
            return None, b""
        return page_of(self.files.views[lang], output).data, self.files.render_page(lang, output)


def compare(base_site: Site, head_site: Site, *, page_size: int = LISTING_PAGE_SIZE) -> Diff:
    """Everything that differs between two checked sites, and the pages whose HTML changes.

    The pages come from the two plans: each page is rendered on both sides in memory and
    compared, so no kind of page can be missed. Pages in other languages are compared for
    the languages whose translations changed; the others repeat the default language's
    changes (the report says so). Each page's reasons are the changed entities it shows
    (`plan.shows`) and the parts of its template's data that changed."""
    base, head = Side.of(base_site, page_size), Side.of(head_site, page_size)
    diff = Diff()
    changed = _entity_changes(diff, base.site, head.site)
    diff.statistics = _stat_changes(base.site, head.site)
    for row in diff.statistics:
        changed[f"statistics of {row['indicator']}"] = f"statistics of {row['indicator']}"
    for path in sorted(set(base.downloads) | set(head.downloads)):
        if base.downloads.get(path) != head.downloads.get(path):
            gone = path not in head.downloads
            diff.files[path] = "added" if path not in base.downloads else "removed" if gone else "changed"
    config = head.site.config
    diff.languages = [c for c in dict.fromkeys(config.languages) if c != config.default_language]
    languages = [config.default_language] + [c for c in diff.languages if any(k.endswith(f".{c}") for k in changed)]
    for lang in languages:
        prefix = "" if lang == config.default_language else f"{lang}/"
        for path in sorted(set(base.pages) | set(head.pages)):
            reasons = _page_change(base, head, lang, path, changed, bool(diff.files))
            if reasons is not None:
                diff.pages[prefix + path] = reasons
                status = "added" if path not in base.pages else "removed" if path not in head.pages else "changed"
                diff.page_status[prefix + path] = status
    return diff


def _page_change(
    base: Side, head: Side, lang: str, path: str, changed: dict[str, str], downloads: bool
) -> Optional[set[str]]:
    """Why a page differs between the sides (None when its HTML is the same)."""
    (old, before), (new, after) = base.page(lang, path), head.page(lang, path)
    if before == after:
        return None
    shown: set[str] = set()
    for side in (base, head):
        if path in side.pages:
            shown |= shows(side.site, side.pages[path])
    translated = [ref.split(" ", 1) for ref in shown if ref.startswith(TRANSLATED)]
    shown |= {f"translation {kind}/{slug}.{lang}" for kind, slug in translated} | {f"translation site.{lang}"}
    reasons = {changed[ref] for ref in shown if ref in changed}
    kind = (head.pages.get(path) or base.pages[path]).kind
    if old is not None and new is not None:
        words = _CONTEXT_WORDS.get(kind, {})
        reasons.update(w for name, w in words.items() if getattr(old, name, None) != getattr(new, name, None))
    if path == routes.downloads() and downloads:
        reasons.add("download files")
    return reasons or {"layout"}


def _entity_changes(diff: Diff, base: Site, head: Site) -> dict[str, str]:
    """Entries added, changed and removed, into `diff`; returns each changed entity's reason, by name."""
    changed: dict[str, str] = {}
    old, new = _records(base), _records(head)
    order = {k: i for i, k in enumerate(KINDS)}
    for key in sorted(set(old) | set(new), key=lambda k: (order[k[0]], _id_key(*k))):
        kind, ident = key
        if key not in old or key not in new:
            what = "added" if key not in old else "removed"
            title, page, _ = (new if key in new else old)[key]
            diff.entries[what].append({"kind": kind, "id": ident, "title": title, "page": page})
            changed[f"{kind} {ident}"] = f"{kind} {ident} {what}"
            continue
        (_, _, before), (title, page, after) = old[key], new[key]
        names = list(after) + [f for f in before if f not in after]
        fields = [
            {"field": f, "old": before.get(f), "new": after.get(f)} for f in names if before.get(f) != after.get(f)
        ]
        if not fields:
            continue
        diff.entries["changed"].append({"kind": kind, "id": ident, "title": title, "page": page, "fields": fields})
        changed[f"{kind} {ident}"] = f"{kind} {ident} changed"
        if kind == "site" and any(f["field"] != "focus_targets" for f in fields):
            diff.every_page = True
    return changed


# -- the command ----------------------------------------------------------------------------


def run(base: Version, head: Version, content_dir: Path, fmt: str, base_url: Optional[str]) -> tuple[int, str]:
    """(exit status, report) for two versions of the content."""
    if base_url is not None:
        check_base_url(base_url, "of the published site (or a preview)")
    with tempfile.TemporaryDirectory(prefix="connect-site-diff-") as tmp:
        sides = {}
        for name, version in (("base", base), ("head", head)):
            read = read_version(version, content_dir, Path(tmp), name)
            result = check(read.folder, display_root=read.shown)
            result.diagnostics = sorted(result.diagnostics + read.diagnostics)
            sides[name] = result
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
@click.argument("refs", nargs=-1, metavar="BASE [HEAD]")
@content_option
@click.option(
    "--base-dir",
    default=None,
    type=click.Path(file_okay=False),
    help="Compare with this content folder instead of a BASE ref.",
)
@click.option(
    "--head-dir",
    default=None,
    type=click.Path(file_okay=False),
    help="Compare this content folder instead of a HEAD ref.",
)
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
    refs: tuple[str, ...],
    content_dir: Path,
    base_dir: Optional[str],
    head_dir: Optional[str],
    fmt: str,
    base_url: Optional[str],
    out_file: Optional[Path],
    debug: bool,
) -> int:
    """Show what changes for readers between two versions of the content.

    BASE and HEAD are git refs, always resolved by git (never a folder of that name); the
    content folder inside them is --content. A folder is compared only when it is written
    as a path (./old, ../new or an absolute path) or given with --base-dir/--head-dir.
    Without HEAD, the working tree's --content is compared. Prints Markdown for a pull
    request comment: entries and statistics added, changed and removed, and the pages
    they appear on. Exits 0 when both versions check clean, 1 when either has content
    errors (they are listed), 2 for an empty, unknown or ambiguous ref or a missing folder.
    """
    base, head = versions(refs, base_dir, head_dir)
    status, text = run(base, head, content_dir, fmt, base_url)
    if out_file is None:
        say(text, nl=False)
    else:
        try:
            out_file.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise EnvironmentProblem(
                f"cannot write {out_file.as_posix()}: {exc.strerror}", "Check the folder's permissions and free space."
            ) from None
    return status
