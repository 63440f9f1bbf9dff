"""The report of `connect-site diff`: Markdown for a pull request comment (contributor text
escaped, tables and size capped) or a stable JSON document, from a `Diff` of two checked sites.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Optional

from connect_site.content.graph import Site
from connect_site.errors import Severity
from connect_site.pipeline import CheckResult
from connect_site.site import routes
from connect_site.site.exports import format_number

MARKER = "<!-- connect-site-diff -->"  # lets a workflow find and update its own comment
MAX_ROWS = 50  # rows per table in the Markdown; the JSON lists everything
MAX_CHARS = 60_000  # GitHub refuses comments over 65,536 characters
KINDS = ("initiative", "practice", "translation", "country", "target", "goal", "indicator", "source", "site")
PLURALS = {"country": "countries", "site": "site settings"}

Json = Any


@dataclass
class Diff:
    entries: dict[str, list[dict[str, Json]]] = field(
        default_factory=lambda: {"added": [], "changed": [], "removed": []}
    )
    statistics: list[dict[str, Json]] = field(default_factory=list)
    pages: dict[str, set[str]] = field(default_factory=dict)  # page -> reasons
    files: dict[str, str] = field(default_factory=dict)  # download file -> added/changed/removed
    every_page: bool = False
    page_status: dict[str, str] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)  # other than the default: pages repeat under /<lang>/


def plural(n: int, kind: str) -> str:
    word = kind if n == 1 else PLURALS.get(kind, kind + "s")
    return f"{n:,} {word}"


def summary(diff: Diff) -> str:
    parts = []
    for kind in KINDS:
        counts = [(sum(e["kind"] == kind for e in diff.entries[c]), c) for c in ("added", "changed", "removed")]
        counts = [(n, c) for n, c in counts if n]
        if kind == "site" and counts:
            parts.append("site settings changed")
        elif counts:
            n, what = counts[0]
            parts.append(", ".join([f"{plural(n, kind)} {what}"] + [f"{n} {c}" for n, c in counts[1:]]))
    if diff.statistics:
        tally = Counter(r["change"] for r in diff.statistics)
        said = [(tally[c], c) for c in ("added", "changed", "removed") if tally[c]]
        n, what = said[0]
        text = ", ".join([f"{plural(n, 'statistic')} {what}"] + [f"{n:,} {c}" for n, c in said[1:]])
        parts.append(f"{text} in {plural(len({r['indicator'] for r in diff.statistics}), 'indicator')}")
    if diff.every_page:
        parts.append("every page affected")
    elif diff.pages or diff.files:
        affected = [plural(len(diff.pages), "page")] if diff.pages else []
        affected += [plural(len(diff.files), "download file")] if diff.files else []
        parts.append(" and ".join(affected) + " affected")
    return "; ".join(parts)


def has_changes(diff: Diff) -> bool:
    return bool(any(diff.entries.values()) or diff.statistics or diff.pages or diff.files or diff.every_page)


# Backslash escapes for what makes emphasis, code, links, images, strikethrough, math and table cells;
# entities for HTML; a zero-width space after @ so that no mention notifies anyone.
_ESCAPES = {c: "\\" + c for c in "\\`*_[]|~$"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;", "@": "@\u200b"}


def escape(value: object, limit: int = 200) -> str:
    """Contributor text as a table cell that renders as the same text: no HTML, links, mentions or new cells."""
    text = " ".join(str(value).split())
    text = "".join(c for c in text if c.isprintable())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "".join(_ESCAPES.get(c, c) for c in text)


def _show(value: Json) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    return str(value)


def _window(old: str, new: str, width: int = 80) -> tuple[str, str]:
    """Two long texts shortened around where they first differ."""
    if len(old) <= width and len(new) <= width:
        return old, new
    start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    start = max(0, start - 20)

    def cut(text: str) -> str:
        part = text[start : start + width]
        return ("…" if start else "") + part + ("…" if start + width < len(text) else "")

    return cut(old), cut(new)


def _page(path: str) -> str:
    return "/" + path


def _link(text: str, path: Optional[str], base_url: Optional[str], exists: bool = True) -> str:
    if path is None or not base_url or not exists:
        return text
    return f"[{text}]({routes.absolute(base_url, path)})"


def _table(head: list[str], rows: list[list[str]], noun: str) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(r) + " |" for r in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        out += ["", f"and {len(rows) - MAX_ROWS:,} more {noun} (see `connect-site diff --format json`)."]
    return out + [""]


def markdown(diff: Diff, head: Site, base: Site, base_url: Optional[str] = None) -> str:
    out = [MARKER, "## Changes for readers", ""]
    if not has_changes(diff):
        return "\n".join(out + ["No changes for readers.", ""])
    out += [summary(diff) + ".", ""]
    pages = diff.page_status

    def entity(e: dict[str, Json]) -> str:
        code = f"`{e['id']}`" if e["kind"] != "site" else "site.yaml"
        return _link(code, e["page"], base_url, pages.get(e["page"] or "") != "removed")

    if any(diff.entries.values()):
        out += ["### Entries", ""]
        for change in ("added", "removed"):
            rows = [[e["kind"], entity(e), escape(e["title"])] for e in diff.entries[change]]
            if rows:
                out += [f"#### {change.capitalize()}", ""] + _table(["Kind", "Id", "Title"], rows, "entries")
        rows = []
        for e in diff.entries["changed"]:
            for f in e["fields"]:
                if f["field"] == "body":
                    said = "body added" if f["old"] is None else "body removed" if f["new"] is None else "body changed"
                    old, new = "", said
                else:
                    old, new = _window(_show(f["old"]), _show(f["new"]))
                rows.append([e["kind"], entity(e), escape(f["field"]), escape(old, 120), escape(new, 120)])
        if rows:
            out += ["#### Changed", ""] + _table(["Kind", "Id", "Field", "Old", "New"], rows, "changed fields")
    if diff.statistics:
        out += _statistics(diff, head, base)
    if diff.pages or diff.every_page:
        out += ["### Pages affected", ""]
        if diff.every_page:
            out += ["Every page (the site settings shown on every page changed).", ""]
        rows = []
        for path in sorted(diff.pages):
            reasons = sorted(diff.pages[path])
            why = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
            status = pages[path]
            rows.append([_link(f"`{_page(path)}`", path, base_url, status != "removed"), status, escape(why)])
        out += _table(["Page", "Change", "Why"], rows, "pages")
        folders = tuple(f"{code}/" for code in diff.languages)
        shared = [p for p in diff.pages if not p.startswith(folders)]  # not a translation's own page
        if folders and shared:
            others = ", ".join(f"`/{f}`" for f in folders)
            also = "Each page above" if len(shared) == len(diff.pages) else "Each page above outside a language folder"
            out += [f"{also} changes in every language of the site: also under {others}.", ""]
    if diff.files:
        rows = [[_link(f"`{_page(p)}`", p, base_url, s != "removed"), s] for p, s in diff.files.items()]
        out += ["### Download files affected", ""] + _table(["File", "Change"], rows, "files")
    return _cap("\n".join(out))


def _statistics(diff: Diff, head: Site, base: Site) -> list[str]:
    def name(code: str) -> str:
        view = head.countries.get(code) or base.countries.get(code)
        return f"{escape(view.name) if view else ''} ({code})"

    out = ["### Statistics", ""]
    per: dict[str, Counter[str]] = {}
    for r in diff.statistics:
        per.setdefault(r["indicator"], Counter())[r["change"]] += 1
    rows = []
    for ind, counts in sorted(per.items()):
        title = (head.indicators.get(ind) or base.indicators.get(ind)).title  # type: ignore[union-attr]
        rows.append([f"`{ind}`", escape(title)] + [str(counts[c]) for c in ("added", "changed", "removed")])
    out += _table(["Indicator", "Title", "Added", "Changed", "Removed"], rows, "indicators")
    rows = []
    cited: set[str] = set()
    for r in diff.statistics:
        old, new = r["old"] or {}, r["new"] or {}
        value = (_show(old.get("value")) + " → " if old and new else "") + _show((new or old).get("value"))
        sources = [s for s in (old.get("source"), new.get("source")) if s]
        cited.update(sources)
        source = " → ".join(f"`{s}`" for s in dict.fromkeys(sources))
        other = ", ".join(f"{f} changed" for f in r["fields"] if f in ("note", "evidence"))
        rows.append(
            [f"`{r['indicator']}`", name(r["country"]), str(r["year"]), r["change"], escape(value), source, other]
        )
    out += _table(["Indicator", "Country", "Year", "Change", "Value", "Source", "Also"], rows, "statistics")
    legend = []
    for key in sorted(cited):
        src = head.sources.get(key) or base.sources.get(key)
        if src is not None:
            legend.append(f"- `{key}`: {escape(src.publisher)}, {escape(src.title)} ({escape(src.edition)})")
    return out + (["Sources:", ""] + legend + [""] if legend else [])


def _cap(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    note = "\n\n_The report was cut to fit a comment; run `connect-site diff` for all of it._\n"
    cut = text.rfind("\n", 0, MAX_CHARS - len(note))
    return text[:cut] + note


def as_json(diff: Diff, base_url: Optional[str] = None) -> str:
    def url(path: Optional[str], status: str = "changed") -> Optional[str]:
        return routes.absolute(base_url, path) if base_url and path is not None and status != "removed" else None

    def entry(e: dict[str, Json]) -> dict[str, Json]:
        page = e["page"]
        status = diff.page_status.get(page, "removed") if page is not None else "removed"
        return e | {"page": _page(page) if page is not None else None, "url": url(page, status)}

    entries = {change: [entry(e) for e in rows] for change, rows in diff.entries.items()}
    doc = {
        "ok": True,
        "changed": has_changes(diff),
        "summary": summary(diff) if has_changes(diff) else "No changes for readers.",
        "entries": entries,
        "statistics": diff.statistics,
        "every_page": diff.every_page,
        "other_languages": diff.languages,
        "pages": [
            {"page": _page(p), "change": diff.page_status[p], "reasons": sorted(r), "url": url(p, diff.page_status[p])}
            for p, r in sorted(diff.pages.items())
        ],
        "files": [{"file": _page(p), "change": s, "url": url(p, s)} for p, s in diff.files.items()],
    }
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


# Found by diff_git.py in a commit, not by the loader: what a checkout would make of it differs.
DIFF_ONLY = ("git-attribute", "submodule")


def failure(results: dict[str, CheckResult], fmt: str) -> str:
    """The report when a side does not check clean: its errors, plainly."""
    bad = {name: r for name, r in results.items() if not r.ok}
    if fmt == "json":
        doc = {
            "ok": False,
            "errors": {
                name: [d.to_json() for d in r.diagnostics if d.severity is Severity.ERROR] for name, r in bad.items()
            },
        }
        return json.dumps(doc, indent=2, sort_keys=True) + "\n"
    out = [MARKER, "## Changes for readers", ""]
    for name, r in bad.items():
        own = sorted({d.code for d in r.diagnostics if d.code in DIFF_ONLY and d.severity is Severity.ERROR})
        also = (
            "`connect-site check` lists the same problems."
            if not own
            else f"`connect-site check` lists the others; {' and '.join(f'`{c}`' for c in own)} "
            "only diff finds: it reads the commit as committed, check reads a checkout."
        )
        out += [f"The {name} content has {plural(r.errors, 'error')}, so the changes were not compared. {also}", ""]
        rows = [
            [escape(d.location()), escape(d.code), escape(d.message), escape(d.hint)]
            for d in r.diagnostics
            if d.severity is Severity.ERROR
        ]
        out += _table(["Where", "Code", "Problem", "Hint"], rows, "errors")
    return _cap("\n".join(out))
