"""Every file of the site, from the plan: listed without rendering, made one by one or all at once.

`SiteFiles` is the one listing of the site's files, for both sinks: `build` asks for
them all (`render_all`, pages shared between processes) and writes them; `serve` asks
for each file when a browser does (`get`) and keeps it until the next rebuild. Both get
the same bytes (a test compares them). Nothing here touches a disk.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

from jinja2 import TemplateError, TemplateSyntaxError

from connect_site.content.graph import Site
from connect_site.errors import Reporter
from connect_site.site import listings, routes
from connect_site.site.context import Shared, View, site_languages
from connect_site.site.exports import Download, downloads
from connect_site.site.facts import Facts
from connect_site.site.feeds import feed, robots, sitemap
from connect_site.site.markdown import Markdown
from connect_site.site.plan import LISTING_PAGE_SIZE, Output, PageKind, Plan
from connect_site.site.plan import plan as plan_of
from connect_site.site.pool import Pool, can_fork, cores
from connect_site.site.render import render
from connect_site.site.search import BUNDLE as SEARCH_BUNDLE
from connect_site.site.search import search_index
from connect_site.site.store import Store
from connect_site.site.theme import Theme, load_theme
from connect_site.site.views import page as build_page
from connect_site.site.views.downloads import downloads_extra

PARALLEL_MIN_PAGES = 150
Job = tuple[str, Output]  # (language, what to build)
Share = tuple[list[tuple[str, bytes]], set[tuple[str, str]], dict[str, str], set[str]]


EPOCH = "1970-01-01T00:00:00Z"  # the date of anything not taken from content, unless the build gives one


class SiteFiles:
    """The files of one build of a checked site."""

    def __init__(
        self,
        site: Site,
        *,
        base_url: Optional[str] = None,
        theme: Optional[Theme] = None,
        page_size: int = LISTING_PAGE_SIZE,
        markdown: Optional[Markdown] = None,
        date: Optional[str] = None,
        the_plan: Optional[Plan] = None,
    ) -> None:
        self.site = site
        self.theme = theme or load_theme()
        base = base_url or site.config.base_url
        self.base = base if base.endswith("/") else base + "/"
        facts = Facts(site)
        self.plan: Plan = (
            the_plan if the_plan is not None else plan_of(site, {o.country for o in site.observations}, page_size)
        )
        self.markdown = markdown if markdown is not None else Markdown()
        self.misses: set[tuple[str, str]] = set()
        shared = Shared(site, facts, self.plan, self.theme, self.base, date or EPOCH, self.markdown, self.misses)
        self.views = {code: View(shared, code) for code in site_languages(site)}
        self.main = self.views[site.config.default_language]
        self.jobs: dict[str, Job] = {}  # file -> what renders it; an entry's languages side by side
        for output in self.plan:
            for code, view in self.views.items():
                self.jobs[routes.file_for(view.prefix + output.path)] = (code, output)
        self._files: dict[str, bytes] = theme_files(self.theme)
        self._downloads: Optional[list[Download]] = None

    @property
    def pages(self) -> int:
        """The HTML pages (the compare view's figures are rendered like pages, but are JSON files)."""
        return sum(1 for key in self.jobs if key.endswith(".html"))

    def sitemap_paths(self) -> list[str]:
        return [view.prefix + o.path for o in self.plan if o.sitemap for view in self.views.values()]

    def downloads(self) -> list[Download]:
        if self._downloads is None:
            self._downloads = downloads(self.site)
        return self._downloads

    def keys(self) -> list[str]:
        """Every file but the search index, without rendering any."""
        known = set(theme_files(self.theme)) | set(self.jobs) | {"sitemap.xml", "feed.xml", "robots.txt"}
        return sorted(known | set(listings.data_files(self.views)) | {d.path for d in self.downloads()})

    def get(self, key: str) -> Optional[bytes]:
        """One file, made the first time it is asked for (the search index: with every page)."""
        if key not in self._files:
            made = self._make(key)
            if made is None:
                return None
            self._files[key] = made
        return self._files[key]

    def _make(self, key: str) -> Optional[bytes]:
        if key in self.jobs:
            return self.render_page(*self.jobs[key])
        if key == "sitemap.xml":
            return sitemap(self.base, self.sitemap_paths(), self.main)
        if key == "feed.xml":
            return feed(self.base, self.main)
        if key == "robots.txt":
            return robots(self.base)
        if key.startswith("data/"):
            return next((d.data for d in self.downloads() if d.path == key), None)
        if key.endswith(listings.DATA_FILE):
            return listings.make(self.views, key)
        if key.startswith(SEARCH_BUNDLE):
            everything = {k: v for k in self.keys() if (v := self.get(k)) is not None}
            self._files.update(search_index(everything))
            return self._files.get(key)
        return None

    def render_page(self, lang: str, output: Output) -> bytes:
        view = self.views[lang]
        extra: dict[str, Any] = downloads_extra(self.downloads()) if output.kind is PageKind.DOWNLOADS else {}
        return render(view, build_page(view, output), extra)

    def check_pages(self, report: Reporter) -> int:
        """Render every page in memory and keep nothing: a template mistake becomes a diagnostic at
        the template's line (once per place), so `check --render` finds it. Returns the pages rendered."""
        done = 0
        seen: set[tuple[str, int]] = set()
        for key, (lang, output) in self.jobs.items():
            try:
                self.render_page(lang, output)
                done += 1
            except TemplateError as exc:
                path, line = template_place(exc, self.theme.root)
                if (path, line) not in seen:
                    seen.add((path, line))
                    report.add(
                        path,
                        line,
                        1,
                        "template-error",
                        f"the page /{key} cannot be rendered: {type(exc).__name__}: {exc.message or exc}",
                        "Fix the template; every page that uses this line fails the same way.",
                    )
        return done

    def render_all(self, *, jobs: int = 0, store: Optional[Store] = None) -> dict[str, bytes]:
        """Every file of the site, the search index included, in path order.

        `jobs` is the number of processes that build and render pages (0: one per core, at
        most 2, and only for sites large enough to gain from it). The output is the same
        whatever the number, and with or without a `store`.
        """
        jobs = _jobs(jobs, len(self.jobs))
        keys = list(self.jobs)
        later = [k for k in keys if self.jobs[k][1].kind is PageKind.DOWNLOADS]
        now = [k for k in keys if self.jobs[k][1].kind is not PageKind.DOWNLOADS]
        size = max(1, len(now) // (jobs * 8))  # small shares: country pages cost more
        shares = [now[i : i + size] for i in range(0, len(now), size)]
        files = dict(self._files)
        with Pool(self._render_share, shares, jobs) as pool:
            data = self.downloads()  # meanwhile, the workers render the pages
            last = [(k, self.render_page(*self.jobs[k])) for k in later]
            results = pool.results()
        for pages, misses, new, used in results:
            files.update(pages)
            self.misses.update(misses)
            self.markdown.adopt(new, used)
        files.update(last)
        files.update({d.path: d.data for d in data})
        files["sitemap.xml"] = sitemap(self.base, self.sitemap_paths(), self.main)
        files["feed.xml"] = feed(self.base, self.main)
        files.update(
            {key: listings.entries_file(view, kind) for key, (view, kind) in listings.data_files(self.views).items()}
        )
        files.update(search_index(files, cache=store, jobs=jobs))
        files["robots.txt"] = robots(self.base)
        return dict(sorted(files.items()))

    def _render_share(self, keys: Sequence[str]) -> Share:
        """A share of the pages, and what rendering them found: interface texts with no translation,
        and the Markdown rendered and used (for the parent's cache)."""
        pages = [(k, self.render_page(*self.jobs[k])) for k in keys]
        return pages, set(self.misses), self.markdown.take_new(), set(self.markdown.used)


def template_place(exc: TemplateError, root: Path) -> tuple[str, int]:
    """Where in the theme's templates an error happened: the file (from the theme's root) and line."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return _shown(Path(exc.filename), root), exc.lineno
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    if frames:
        return _shown(Path(frames[-1].filename), root), frames[-1].lineno or 1
    return "templates", 1


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def theme_files(theme: Theme) -> dict[str, bytes]:
    """The files the theme adds to every site: the fingerprinted stylesheet, icon and scripts."""
    return {asset.path: asset.data for asset in (theme.css, theme.favicon, *theme.scripts.values())}


def _jobs(requested: int, pages: int) -> int:
    if requested > 0:
        return requested
    if pages < PARALLEL_MIN_PAGES or not can_fork():
        return 1
    return cores()
