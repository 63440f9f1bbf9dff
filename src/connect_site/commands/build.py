"""`connect-site build`: check, then write the whole microsite, atomically."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import click

from connect_site.commands.options import (
    DEFAULT_CACHE,
    EXIT_CONTENT,
    EXIT_OK,
    check_base_url,
    check_cache_dir,
    content_option,
    debug_option,
    format_option,
    guarded,
    say,
    strict_option,
)
from connect_site.commands.report import report

if TYPE_CHECKING:
    from connect_site.pipeline import BuildResult


@click.command()
@content_option
@click.option(
    "--out",
    "out_dir",
    default="_site",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the site into. Unchanged files are left alone; stale ones are removed.",
)
@click.option(
    "--base-url",
    default=None,
    help="The public address of the site, e.g. https://example.org/connect2030/ (default: base_url in site.yaml).",
)
@strict_option
@format_option
@click.option(
    "--jobs",
    type=click.IntRange(min=0, max=64),
    default=0,
    show_default=True,
    help="Processes that render pages; 0 picks one per core (at most 2) for large sites.",
)
@click.option(
    "--cache",
    "cache_dir",
    default=DEFAULT_CACHE,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where rendered Markdown and search shards are kept between builds (keep it in CI to build faster).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the build cache.")
@debug_option
@guarded
def build(
    content_dir: Path,
    out_dir: Path,
    base_url: Optional[str],
    strict: bool,
    fmt: str,
    jobs: int,
    cache_dir: Path,
    no_cache: bool,
    debug: bool,
) -> int:
    """Check the content, then write the whole microsite to --out.

    Nothing is written when the content has errors: the previous site stays as it was.
    Exits 0 on success, 1 when the content has errors.
    """
    from connect_site import pipeline

    if base_url is not None:
        check_base_url(base_url)
    if not no_cache:
        check_cache_dir(cache_dir, content_dir, out_dir)
    started = time.perf_counter()
    result = pipeline.build(
        content_dir,
        out_dir,
        base_url=base_url,
        strict=strict,
        display_root=content_dir.as_posix(),
        jobs=jobs,
        cache_dir=None if no_cache else cache_dir,
    )
    if result.cache_problem:
        say(f"connect-site: warning: {result.cache_problem}", err=True)
    if result.check.diagnostics or not result.ok or fmt == "json":
        report(result.check, fmt)
    if not result.ok or result.written is None:
        say("connect-site: the site was not built; the previous output is unchanged.", err=True)
        return EXIT_CONTENT
    _warnings(result, out_dir)
    w = result.written
    say(
        f"built {result.pages:,} pages and {result.files - result.pages:,} other files into "
        f"{out_dir.as_posix()}/ in {time.perf_counter() - started:.2f} s "
        f"({w.written:,} written, {w.unchanged:,} unchanged, {w.deleted:,} removed)",
        err=fmt != "text",  # keep stdout machine-readable for --format json and github
    )
    return EXIT_OK


def _warnings(result: BuildResult, out_dir: Path) -> None:
    from connect_site.pipeline import PAGE_BUDGET

    for path, size in result.oversized:
        say(
            f"connect-site: warning: {out_dir.as_posix()}/{path} weighs {size / 1024:.0f} KB with its CSS "
            f"(budget {PAGE_BUDGET // 1024} KB): it will be slow on mobile connections",
            err=True,
        )
    if result.untranslated:
        by_lang: dict[str, int] = {}
        for code, _message in result.untranslated:
            by_lang[code] = by_lang.get(code, 0) + 1
        counts = ", ".join(f"{code}: {n}" for code, n in sorted(by_lang.items()))
        say(
            f"connect-site: warning: {len(result.untranslated)} interface texts are shown in English on pages "
            f"in other languages ({counts})\n    hint: run 'make messages', then translate the empty "
            "msgstr lines in src/connect_site/locale/<lang>/LC_MESSAGES/messages.po",
            err=True,
        )
