"""How long does `connect-site build` of the real site take, next to Hugo and MkDocs building a site of the same size?

    .venv/bin/python bench/build_speed.py [--rounds 5]

Each round times, as subprocesses (the whole command: Python or Go start-up included),
in three situations, alternating the tools in each (A B C A B C ...):
- cold: into a fresh, empty output folder;
- unchanged: the same build again, nothing changed (the common dev loop);
- one entry changed: a paragraph appended to one initiative's Markdown body, then rebuilt.
connect-site builds a copy of content/ (the repository's content/ is never modified).

Peers, both building one page per connect-site HTML page (the same 341 paths) made from
the same text: the same Markdown body and title for each initiative and practice, a
Markdown table of the observations the page shows for each target and country page, and
the same listings, each with a minimal layout and a nav:
- Hugo (Debian's package `hugo`, installed with apt-get when it is not on PATH), with
  one taxonomy per facet, so the facet pages are Hugo term pages; also a sitemap and a feed;
- MkDocs (from PyPI, installed into the running environment when missing), default theme,
  no search plugin, the facet pages written out as Markdown link lists; also a sitemap.
The package registries are reachable at bench time; nothing is fetched at build or test time.
Both peers do less work than connect-site: they draw no SVG maps or charts and write none
of the CSV/JSON downloads. Neither skips unchanged files: Hugo rewrites every file, MkDocs
empties its output folder and writes everything again.

Before each timed command the disk is synced (untimed), so a build does not pay for the
write-back of the one before. Output folders and the generated projects live in one folder
under the repository (on the real disk, never a tmpfs /tmp), deleted at the end.

It also prints where an in-process build spends its time (best of 3), and how many pages,
files and bytes each tool wrote.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import posixpath
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
BIN = Path(sys.executable).parent
SITUATIONS = ("cold", "unchanged", "one entry changed")
EDITED = "initiatives/kenya-national-ke-cirt-cc.md"  # the initiative whose body each round changes
STAGE_REPEATS = 3


# --- running and timing ------------------------------------------------------------------


def ensure_hugo() -> str:
    """The path of `hugo`, installing Debian's package first when it is missing."""
    found = shutil.which("hugo")
    if found is None:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-q", "hugo"], check=True, capture_output=True, env=env)
        found = shutil.which("hugo")
    if found is None:
        raise SystemExit("hugo is not on PATH after apt-get install hugo")
    return found


def ensure(package: str, module: str) -> None:
    if importlib.util.find_spec(module) is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)


def timed(cmd: list[str]) -> float:
    os.sync()  # untimed: do not pay for the previous build's write-back
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{Path(cmd[0]).name} failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return elapsed


class Tool:
    """One site generator: a command that builds its project into a given output folder."""

    def __init__(self, name: str, what: str, command: Callable[[Path], list[str]], edited: Path, scratch: Path) -> None:
        self.name = name
        self.what = what
        self.command = command
        self.edited = edited
        self.scratch = scratch
        self.out = scratch / "none"
        self.runs = 0

    def run(self, situation: str) -> float:
        if situation == "cold":
            shutil.rmtree(self.out, ignore_errors=True)
            self.runs += 1
            self.out = self.scratch / f"out-{self.name.split()[0]}-{self.runs}"
            self.out.mkdir()
        elif situation == "one entry changed":
            with self.edited.open("a", encoding="utf-8") as f:
                f.write(f"\nA paragraph added by the benchmark, edit {self.runs}.\n")
        return timed(self.command(self.out))


# --- the Hugo project --------------------------------------------------------------------

NAV = (
    ("Home", ""),
    ("Targets", "targets/"),
    ("Countries", "countries/"),
    ("Initiatives", "initiatives/"),
    ("Practices", "practices/"),
    ("Data", "data/"),
)
FACETS = {"by-target": "targets", "by-country": "countries", "by-kind": "kinds"}

HUGO_CONFIG = """\
baseURL = "{base}"
title = "{title}"
languageCode = "en"
disableKinds = ["taxonomy"]
disableHugoGeneratorInject = true
ignoreErrors = ["error-disable-taxonomy"]

[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
term = ["HTML"]
page = ["HTML"]

[taxonomies]
{taxonomies}

[permalinks]
{permalinks}

[params]
nav = [
{nav}
]
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ site.Title }}</title><meta name="description" content="{{ .Description }}">
<link rel="canonical" href="{{ .Permalink }}"></head>
<body><nav>{{ range site.Params.nav }}<a href="{{ .url | relURL }}">{{ .name }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ site.Title }}</footer></body></html>
""",
    "_default/single.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>{{ with .Description }}<p>{{ . }}</p>{{ end }}
{{ .Content }}
{{ range $tax, $_ := site.Taxonomies }}{{ with $.GetTerms $tax }}
<p>{{ $tax }}: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}{{ end }}
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>{{ with .Description }}<p>{{ . }}</p>{{ end }}
{{ .Content }}
{{ $kind := .Section }}{{ if eq .Kind "term" }}{{ $kind = index (split .Data.Plural "_") 0 }}{{ end }}
{{ if in (slice "initiatives" "practices") $kind }}{{ range slice "targets" "countries" "kinds" }}
<p>{{ . }}: {{ range (index site.Taxonomies (printf "%s_%s" $kind .)).Alphabetical }}
<a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }}) {{ end }}</p>{{ end }}{{ end }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }}: {{ . }}{{ end }}</li>
{{ end }}</ul>
{{ end }}
""",
    "404.html": '{{ define "main" }}<h1>Page not found</h1><p>This page does not exist.</p>{{ end }}\n',
}


def front(fields: dict[str, Any]) -> str:
    """TOML front matter (JSON strings and lists are valid TOML)."""

    def value(v: Any) -> str:
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + " }"
        return json.dumps(v, ensure_ascii=False)

    lines = [f"{k} = {value(v)}" for k, v in fields.items() if v is not None]
    return "+++\n" + "\n".join(lines) + "\n+++\n"


def table(header: list[str], rows: list[list[str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


@dataclass
class Doc:
    """One connect-site HTML page as Markdown: what both peers build from."""

    path: str  # the connect-site page path, "targets/1.4/"
    meta: dict[str, Any]  # title, description, and for entries the facet terms
    body: str
    links: list[tuple[str, str, str]] = field(default_factory=list)  # what a listing lists: (path, title, summary)
    listing: bool = False  # a Hugo section page (Hugo lists the pages itself)
    facet: str = ""  # a facet page, "initiatives_targets": a Hugo term page, made from the entries' front matter
    facets: list[tuple[str, str]] = field(default_factory=list)  # links to every facet page (Hugo makes its own)


def site_docs(content_dir: Path) -> tuple[list[Doc], str, str]:
    """One Doc per connect-site HTML page but the 404 page, from the checked content; the title and base URL."""
    from connect_site.pipeline import check
    from connect_site.site import routes
    from connect_site.site.files import SiteFiles
    from connect_site.site.theme import fmt_value
    from connect_site.site.views import page as page_of

    result = check(content_dir, display_root="content")
    if result.site is None or not result.ok:
        raise SystemExit("the content does not check")
    site = result.site
    files = SiteFiles(site)
    renderer = files.main
    docs = []
    for output in files.plan:
        page = page_of(renderer, output)
        d = page.data.namespace() if page.data is not None else {}
        doc = Doc(page.path, {"title": page.title, "description": page.description}, "")
        if page.template == "home.html":
            counts = "\n".join(f"- {n:,} {label}" for label, n in d["counts"].items())
            latest = "\n".join(f"- {c.item.title} ({c.when})" for c in d["latest"])
            doc.body = f"{counts}\n\n## Latest\n\n{latest}\n"
        elif page.template == "goal.html":
            lines = "\n".join(f"- Target {t.target.id}: {t.target.text}" for t in d["targets"])
            doc.body = f"{d['goal'].statement}\n\n{d['goal'].body or ''}\n\n## Targets\n\n{lines}\n"
        elif page.template == "target.html":
            target, views = d["target"], d["indicators"]
            rows = []
            for iso3 in d["rows"]:
                row = [renderer.names[iso3]]
                for v in views:
                    o = v.latest.get(iso3)
                    row.append(f"{fmt_value(o.value, v.indicator.unit)} ({o.year}, {o.source})" if o else "")
                rows.append(row)
            header = ["Country"] + [v.indicator.title for v in views]
            doc.body = f"{target.text}\n\n{target.body or ''}\n\n" + (table(header, rows) if views else "")
        elif page.template == "country.html":
            view = d["country"]
            parts = [view.entry.body if view.entry and view.entry.body else ""]
            for s in d["sections"]:
                ind = s["indicator"]
                rows = [[str(o.year), fmt_value(o.value, ind.unit), o.source] for o in s["series"].points]
                parts.append(f"## {ind.title}\n\n" + table(["Year", "Value", "Source"], rows))
            doc.body = "\n\n".join(parts)
        elif page.template == "targets.html":
            doc.listing = True
            doc.links = [(routes.target(t.id), f"Target {t.id}", t.text) for t in site.targets.values()]
        elif page.template == "countries.html":
            doc.listing = True
            doc.links = [(routes.country(c), renderer.names[c], "") for c in files.plan.country_pages]
        elif page.template == "listing.html":
            facet, _ = d["current"]
            doc.listing = not facet
            doc.facet = f"{page.path.split('/')[0]}_{FACETS[facet]}" if facet else ""
            doc.links = [(routes.entry(c.kind, c.slug), c.item.title, c.item.summary or "") for c in d["items"]]
            doc.facets = [
                (routes.listing(d["kind"], f, value), label)
                for f, values in d["facets"].items()
                for value, (label, _) in values.items()
            ]
        elif page.template == "entry.html":
            item = d["item"]
            section = page.path.split("/")[0]
            doc.meta[f"{section}_targets"] = sorted(set(item.targets))
            doc.meta[f"{section}_countries"] = sorted({c.lower() for c in item.countries})
            doc.meta[f"{section}_kinds"] = [item.kind.value]
            doc.body = item.body or ""
        elif page.template == "data.html":
            doc.body = "The downloads (CSV, JSON) are not part of this site.\n"
        elif page.template == "gaps.html":
            doc.body = "\n".join(f"- {renderer.names[c]}" for members in d["regions"].values() for c in members) + "\n"
        elif page.template == "contribute.html":
            doc.body = "How to contribute: statistics, initiatives and practices, by pull request.\n"
        elif page.template in ("404.html", "search.html"):
            continue  # both peers make their own 404; neither has search
        else:
            raise SystemExit(f"no Markdown page for template {page.template}")
        docs.append(doc)
    return docs, site.config.title, site.config.base_url


def hugo_project(project: Path, docs: list[Doc], title: str, base_url: str) -> Path:
    """Write a Hugo project with one content page per Doc; returns the edited entry's file."""
    taxonomies, permalinks = [], []
    for section in ("initiatives", "practices"):
        for facet, name in FACETS.items():
            plural = f"{section}_{name}"
            taxonomies.append(f'{plural[:-1]} = "{plural}"')
            permalinks.append(f'{plural} = "/{section}/{facet}/:slug/"')
    base = base_url if base_url.endswith("/") else base_url + "/"
    config = HUGO_CONFIG.format(
        base=base,
        title=title,
        taxonomies="\n".join(taxonomies),
        permalinks="\n".join(permalinks),
        nav="\n".join(f'  {{ name = "{name}", url = "{path}" }},' for name, path in NAV),
    )
    project.mkdir()
    (project / "config.toml").write_text(config, encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        (project / "layouts" / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / "layouts" / rel).write_text(text, encoding="utf-8")
    files = {"goals/_index.md": front({"title": "Goals", "_build": {"render": "never"}})}  # no /goals/ page
    for doc in docs:
        if doc.facet:
            continue
        rel = f"{doc.path}_index.md" if doc.listing or not doc.path else doc.path.rstrip("/") + ".md"
        files[rel] = front(doc.meta) + doc.body
    for rel, text in files.items():
        (project / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / "content" / rel).write_text(text, encoding="utf-8")
    return project / "content" / EDITED


def mkdocs_project(project: Path, docs: list[Doc], title: str, base_url: str) -> Path:
    """Write a MkDocs project with one Markdown page per Doc; returns the edited entry's file."""
    nav = "\n".join(f"  - {name}: {path}index.md" for name, path in NAV)
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(
        f"site_name: {json.dumps(title)}\nsite_url: {json.dumps(base_url)}\nuse_directory_urls: true\n"
        f"theme: mkdocs\nplugins: []\nmarkdown_extensions: [tables]\nnav:\n{nav}\n",
        encoding="utf-8",
    )
    for doc in docs:
        here = doc.path or "."
        parts = [f"# {doc.meta['title']}\n\n{doc.meta['description'] or ''}\n\n{doc.body}\n"]
        if doc.facets:
            parts.append(
                " ".join(f"[{label}]({posixpath.relpath(path + 'index.md', here)})" for path, label in doc.facets)
                + "\n"
            )
        parts += [
            f"- [{name}]({posixpath.relpath(path + 'index.md', here)}){': ' + summary if summary else ''}"
            for path, name, summary in doc.links
        ]
        (project / "docs" / doc.path).mkdir(parents=True, exist_ok=True)
        (project / "docs" / doc.path / "index.md").write_text("\n".join(parts) + "\n", encoding="utf-8")
    return project / "docs" / EDITED.removesuffix(".md") / "index.md"


# --- in process ----------------------------------------------------------------------------


def stages(scratch: Path) -> list[tuple[str, float]]:
    from connect_site.output.write import write_site
    from connect_site.pipeline import check
    from connect_site.site.exports import downloads
    from connect_site.site.files import SiteFiles
    from connect_site.site.views import page as page_of

    best: dict[str, float] = {}

    def keep(name: str, seconds: float) -> None:
        best[name] = min(best.get(name, seconds), seconds)

    for n in range(STAGE_REPEATS):
        t0 = time.perf_counter()
        result = check(CONTENT, display_root="content")
        t1 = time.perf_counter()
        assert result.site is not None
        files = SiteFiles(result.site).render_all()
        t2 = time.perf_counter()
        SiteFiles(result.site).render_all(jobs=1)
        t2b = time.perf_counter()
        t2c = time.perf_counter()
        downloads(result.site)
        t3 = time.perf_counter()
        whole = SiteFiles(result.site)
        [page_of(whole.main, o) for o in whole.plan]
        t3b = time.perf_counter()
        out = scratch / f"stages-{n}"
        os.sync()
        t4 = time.perf_counter()
        write_site(out, files, protect=(("content folder", CONTENT),))
        t5 = time.perf_counter()
        os.sync()
        t6 = time.perf_counter()
        write_site(out, files, protect=(("content folder", CONTENT),))
        t7 = time.perf_counter()
        shutil.rmtree(out)
        keep("check (read, validate, link)", t1 - t0)
        keep("SiteFiles.render_all (every file into memory; pages in 2 processes, the default)", t2 - t1)
        keep("SiteFiles.render_all in one process (`--jobs 1`)", t2b - t2)
        keep("… of which the CSV/JSON downloads (`exports.downloads`)", t3 - t2c)
        keep("… of which the page data: facts, SVG maps and charts (`site.views`)", t3b - t3)
        keep("write_site into a fresh folder", t5 - t4)
        keep("write_site, nothing changed", t7 - t6)
    imports = [timed([sys.executable, "-c", "import connect_site.cli, connect_site.pipeline"]) for _ in range(3)]
    keep("Python start-up + imports (`import connect_site.cli, connect_site.pipeline`, subprocess)", min(imports))
    return list(best.items())


def head() -> str:
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False)
    return git.stdout.strip() or "unknown"


def tally(folder: Path) -> tuple[int, int, int]:
    """(HTML files, other files, bytes) under folder, not counting connect-site's marker."""
    html = other = size = 0
    for p in folder.rglob("*"):
        if p.is_file() and p.name != ".connect-site.json":
            size += p.stat().st_size
            if p.suffix == ".html":
                html += 1
            else:
                other += 1
    return html, other, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    hugo = ensure_hugo()
    hugo_version = subprocess.run([hugo, "version"], capture_output=True, text=True, check=True).stdout.split()[1]
    hugo_version = hugo_version.removeprefix("v").split("+")[0]
    ensure("mkdocs", "mkdocs")
    mkdocs = str(BIN / "mkdocs")
    mkdocs_version = subprocess.run([mkdocs, "--version"], capture_output=True, text=True, check=True).stdout.split()[2]
    load_before = os.getloadavg()
    commit = head()
    scratch = Path(tempfile.mkdtemp(dir=ROOT, prefix=".bench-tmp-build-"))
    try:
        stage_times = stages(scratch)
        content = scratch / "content"
        shutil.copytree(CONTENT, content)
        docs, title, base_url = site_docs(content)
        hugo_edited = hugo_project(scratch / "hugo", docs, title, base_url)
        mkdocs_edited = mkdocs_project(scratch / "mkdocs", docs, title, base_url)
        same = f"{len(docs) + 1} pages of the same text and tables (no maps, charts or downloads)"
        tools = [
            Tool(
                "connect-site build",
                "every page with its SVG maps and charts, CSV/JSON downloads, sitemap, feed",
                lambda out: [str(BIN / "connect-site"), "build", "--content", str(content), "--out", str(out)],
                content / EDITED,
                scratch,
            ),
            Tool(
                f"hugo {hugo_version}",
                f"{same}, sitemap, feed",
                lambda out: [
                    hugo,
                    "--quiet",
                    "-s",
                    str(scratch / "hugo"),
                    "-d",
                    str(out),
                    "--cacheDir",
                    str(scratch / "hc"),
                ],
                hugo_edited,
                scratch,
            ),
            Tool(
                f"mkdocs {mkdocs_version}",
                f"{same}, theme files, sitemap; empties the output folder first",
                lambda out: [mkdocs, "build", "--quiet", "-f", str(scratch / "mkdocs" / "mkdocs.yml"), "-d", str(out)],
                mkdocs_edited,
                scratch,
            ),
        ]
        for tool in tools:  # warm the file cache and byte-code once
            for situation in SITUATIONS:
                tool.run(situation)
        times: dict[tuple[str, str], list[float]] = {}
        for r in range(args.rounds):
            for situation in SITUATIONS:
                for tool in tools:
                    times.setdefault((tool.name, situation), []).append(tool.run(situation))
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
        tallies = {tool.name: tally(tool.out) for tool in tools}
        load_after = os.getloadavg()
        if head() != commit:
            raise SystemExit(f"HEAD moved from {commit} to {head()} during the run: run it again")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(
        f"commit {commit}, python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.rounds} alternated "
        f"rounds, median wall time of the whole command; load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after"
    )
    print()
    print("| tool | situation | median (s) | min (s) | × connect-site |")
    print("|---|---|---|---|---|")
    for situation in SITUATIONS:
        base = statistics.median(times[(tools[0].name, situation)])
        for tool in tools:
            t = times[(tool.name, situation)]
            med = statistics.median(t)
            print(f"| {tool.name} | {situation} | {med:.3f} | {min(t):.3f} | {med / base:.2f} |")
    print()
    print("| tool | HTML pages | other files | output (MB) | what it writes |")
    print("|---|---|---|---|---|")
    for tool in tools:
        html, other, size = tallies[tool.name]
        print(f"| {tool.name} | {html} | {other} | {size / 1e6:.1f} | {tool.what} |")
    print()
    print(f"| stage of connect-site build, in process (best of {STAGE_REPEATS}) | seconds |")
    print("|---|---|")
    for name, value in stage_times:
        print(f"| {name} | {value:.3f} |")
    print()
    print(f"'one entry changed' appends a paragraph to (a copy of) content/{EDITED}.")


if __name__ == "__main__":
    main()
