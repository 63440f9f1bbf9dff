"""`connect-site check`: the content checked and the site planned, every problem at file:line:col."""

from __future__ import annotations

from pathlib import Path

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
@debug_option
@guarded
def check(content_dir: Path, strict: bool, fmt: str, render: bool, debug: bool) -> int:
    """Check the content and report every problem at file:line:col.

    Every run also plans the whole site: two files that would publish a page at one
    address, and entry names the listings need, are reported too. Exits 0 when the content
    is clean, 1 when it has errors.
    """
    from connect_site import pipeline

    result = pipeline.check(content_dir, display_root=content_dir.as_posix(), strict=strict, render=render)
    report(result, fmt)
    return EXIT_OK if result.ok else EXIT_CONTENT
