"""`connect-site check`: the content checked and the site planned, every problem at file:line:col."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from connect_site.commands.options import (
    EXIT_CONTENT,
    EXIT_OK,
    content_option,
    debug_option,
    format_option,
    guarded,
    strict_option,
)
from connect_site.commands.report import report


@click.command()
@content_option
@strict_option
@format_option
@click.option(
    "--render",
    is_flag=True,
    help="Also render every page in memory, so that a template error is found here and not at publishing.",
)
@click.option(
    "--changed",
    "changed_ref",
    metavar="REF",
    help="List first the problems of the files changed since the git ref REF (committed or not, and new "
    "files); warnings about the other files are counted, one line per kind.",
)
@click.option(
    "--all-warnings",
    is_flag=True,
    help="List every warning (by default a warning repeated in many files, or about a file --changed "
    "does not name, is counted on one line per kind).",
)
@debug_option
@guarded
def check(
    content_dir: Path,
    strict: bool,
    fmt: str,
    render: bool,
    changed_ref: Optional[str],
    all_warnings: bool,
    debug: bool,
) -> int:
    """Check the content and report every problem at file:line:col.

    Every run also plans the whole site: two files that would publish a page at one
    address, and entry names the listings need, are reported too. Errors are listed before
    warnings. Exits 0 when the content is clean, 1 when it has errors.
    """
    from connect_site import pipeline
    from connect_site.commands.changed import changed_files

    changed = None if changed_ref is None else changed_files(changed_ref, content_dir)
    result = pipeline.check(content_dir, display_root=content_dir.as_posix(), strict=strict, render=render)
    report(result, fmt, changed, all_warnings=all_warnings)
    return EXIT_OK if result.ok else EXIT_CONTENT
