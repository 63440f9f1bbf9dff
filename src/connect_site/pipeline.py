"""The one composer: read, check, plan, render, write.

    content/ --read--> Content --graph--> Site --plan--> Plan --render--> {path: bytes} --write--> _site/

`check` runs every stage but the last: it reads and checks the content, plans the whole
site (two pages at one address, names the listings need), and with `render=True`
renders every page in memory, so a template error reaches a pull request. `build` is
`check` followed by the write. Only this module uses `output/`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from connect_site.content.graph import Site, build_site
from connect_site.content.read import read_content
from connect_site.errors import Diagnostic, Reporter, Severity
from connect_site.site.plan import LISTING_PAGE_SIZE, Plan, plan, problems

if TYPE_CHECKING:
    from connect_site.output.write import WriteStats
    from connect_site.site.files import SiteFiles
    from connect_site.site.markdown import Markdown
    from connect_site.site.theme import Theme

PAGE_BUDGET = 100 * 1024  # bytes of HTML plus its CSS, uncompressed: readers on slow mobile connections


def source_date_epoch() -> Optional[int]:
    """SOURCE_DATE_EPOCH (reproducible builds), when it is set to a number of seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(epoch) if epoch.isdigit() else None


def now_year() -> int:
    """The current year, from SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = source_date_epoch()
    return time.gmtime(int(time.time()) if epoch is None else epoch).tm_year


def the_build_date() -> str:
    """The date of anything not taken from the content: SOURCE_DATE_EPOCH, else 1970-01-01 (reproducible)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(source_date_epoch() or 0))


@dataclass
class CheckResult:
    site: Optional[Site]
    diagnostics: list[Diagnostic]
    files: int
    plan: Optional[Plan] = None
    rendered: int = 0  # pages rendered in memory (check --render)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def ok(self) -> bool:
        return self.errors == 0


def check(
    content_dir: Path,
    *,
    display_root: Optional[str] = None,
    strict: bool = False,
    year: Optional[int] = None,
    render: bool = False,
    theme: Optional[Theme] = None,
    page_size: int = LISTING_PAGE_SIZE,
) -> CheckResult:
    """Read, check and plan a content folder (and render every page in memory with `render`).

    Raises ConnectSiteError only for unusable options or a missing content folder."""
    result = _checked(content_dir, display_root, strict, year, page_size)
    if render and result.ok and result.site is not None:
        from connect_site.site.files import SiteFiles

        site_files = SiteFiles(
            result.site, theme=theme, page_size=page_size, date=the_build_date(), the_plan=result.plan
        )
        report = Reporter()
        result.rendered = site_files.check_pages(report)
        result.diagnostics = sorted(result.diagnostics + report.items)
    return result


def in_memory(
    content_dir: Path,
    *,
    display_root: Optional[str] = None,
    strict: bool = False,
    year: Optional[int] = None,
    base_url: Optional[str] = None,
    theme: Optional[Theme] = None,
    page_size: int = LISTING_PAGE_SIZE,
    markdown: Optional[Markdown] = None,
) -> tuple[CheckResult, Optional[SiteFiles]]:
    """The check, and the site in memory (`SiteFiles`, nothing rendered yet) when the content has no errors.

    `serve` answers from it; `build` renders it all and writes it."""
    from connect_site.site.files import SiteFiles

    result = _checked(content_dir, display_root, strict, year, page_size)
    if not result.ok or result.site is None:
        return result, None
    site_files = SiteFiles(
        result.site,
        base_url=base_url,
        theme=theme,
        page_size=page_size,
        markdown=markdown,
        date=the_build_date(),
        the_plan=result.plan,
    )
    return result, site_files


def _checked(
    content_dir: Path, display_root: Optional[str], strict: bool, year: Optional[int], page_size: int
) -> CheckResult:
    """Read, check and plan: every problem of the content, located."""
    report = Reporter()
    content = read_content(content_dir, report, display_root)
    site = None if content.too_large else build_site(content, report, year if year is not None else now_year())
    files = len(content.entries) + len(content.tables) + (content.site is not None) + (content.sources_file is not None)
    files += len(content.top_translations)
    the_plan: Optional[Plan] = None
    if site is not None:
        the_plan = plan(site, {o.country for o in site.observations}, page_size)
        problems(site, the_plan, report)
    diagnostics = report.sorted()
    if strict:
        diagnostics = [d.as_error() for d in diagnostics]
    return CheckResult(site, diagnostics, files, the_plan)


@dataclass
class BuildResult:
    check: CheckResult
    pages: int = 0
    files: int = 0
    written: Optional[WriteStats] = None
    oversized: list[tuple[str, int]] = field(default_factory=list)  # (page, bytes with its CSS) over PAGE_BUDGET
    untranslated: list[tuple[str, str]] = field(default_factory=list)  # (language, UI message) shown in English
    cache_problem: str = ""  # why the build cache was not used, when it was asked for
    bodies: frozenset[str] = frozenset()  # the keys of the Markdown bodies the pages show (site.markdown.body_key)

    @property
    def ok(self) -> bool:
        return self.check.ok and self.written is not None


def build(
    content_dir: Path,
    out_dir: Path,
    *,
    base_url: Optional[str] = None,
    strict: bool = False,
    display_root: Optional[str] = None,
    theme: Optional[Theme] = None,
    jobs: int = 0,
    cache_dir: Optional[Path] = None,
    page_size: int = LISTING_PAGE_SIZE,
) -> BuildResult:
    """Check the content; when it has no errors, render and write the whole site.

    With `cache_dir`, rendered Markdown and search shards are kept there between builds
    (output/cache.py); the output is byte for byte the same with or without it.
    """
    from connect_site.output.cache import Cache
    from connect_site.output.write import write_site
    from connect_site.site.markdown import Markdown

    markdown = Markdown()
    result, site_files = in_memory(
        content_dir,
        display_root=display_root,
        strict=strict,
        base_url=base_url,
        theme=theme,
        page_size=page_size,
        markdown=markdown,
    )
    if site_files is None:
        return BuildResult(result)
    cache = Cache(cache_dir)
    try:
        known = cache.markdown()
        markdown.adopt(known, set())
        files = site_files.render_all(jobs=jobs, store=cache)
        cache.keep_markdown(markdown.used, markdown.rows(markdown.used - known.keys()))
        written = write_site(out_dir, files, protect=(("content folder", content_dir),))
    finally:
        cache.close()
    untranslated = sorted(site_files.misses)
    return BuildResult(
        result,
        site_files.pages,
        len(files),
        written,
        oversized(files),
        untranslated,
        cache.problem,
        frozenset(markdown.used),
    )


def oversized(files: dict[str, bytes]) -> list[tuple[str, int]]:
    """HTML pages that, with the stylesheet, weigh more than the page budget."""
    css = sum(len(data) for path, data in files.items() if path.startswith("assets/") and path.endswith(".css"))
    sizes = ((path, len(data) + css) for path, data in files.items() if path.endswith(".html"))
    return sorted(((path, n) for path, n in sizes if n > PAGE_BUDGET), key=lambda p: (-p[1], p[0]))
