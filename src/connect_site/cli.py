"""The command line: thin click commands and the one place that chooses an exit status.

Exit status: 0 clean, 1 content errors, 2 usage errors, 3 internal error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from connect_site import __version__
from connect_site.commands import report as output
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
from connect_site.errors import ConnectSiteError

if TYPE_CHECKING:
    from connect_site.pipeline import CheckResult


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="connect-site")
def main() -> None:
    """Build and check the Connect 2030 Agenda microsite from YAML and Markdown content."""


@main.command()
@content_option
@strict_option
@format_option
@debug_option
@guarded
def check(content_dir: Path, strict: bool, fmt: str, debug: bool) -> None:
    """Check the content and report every problem at file:line:col.

    Exits 0 when the content is clean, 1 when it has errors.
    """
    from connect_site.pipeline import check as run_check

    result = run_check(content_dir, display_root=content_dir.as_posix(), strict=strict)
    report(result, fmt)
    sys.exit(EXIT_OK if result.ok else EXIT_CONTENT)


@main.command()
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
    base_url: str | None,
    strict: bool,
    fmt: str,
    jobs: int,
    cache_dir: Path,
    no_cache: bool,
    debug: bool,
) -> None:
    """Check the content, then write the whole microsite to --out.

    Nothing is written when the content has errors: the previous site stays as it was.
    Exits 0 on success, 1 when the content has errors.
    """
    import time

    from connect_site.site.files import PAGE_BUDGET
    from connect_site.site.files import build as run_build

    if base_url is not None:
        check_base_url(base_url)
    if not no_cache:
        check_cache_dir(cache_dir, content_dir, out_dir)
    started = time.perf_counter()
    result = run_build(
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
        sys.exit(EXIT_CONTENT)
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
    w = result.written
    say(
        f"built {result.pages:,} pages and {result.files - result.pages:,} other files into "
        f"{out_dir.as_posix()}/ in {time.perf_counter() - started:.2f} s "
        f"({w.written:,} written, {w.unchanged:,} unchanged, {w.deleted:,} removed)",
        err=fmt != "text",  # keep stdout machine-readable for --format json and github
    )


def report(result: CheckResult, fmt: str) -> None:
    """Print the problems found, as text, GitHub workflow commands (plus the job summary) or JSON."""
    if fmt == "json":
        say(output.as_json(result), nl=False)
        return
    if fmt == "text":
        say(output.text(result), nl=False)
        return
    say(output.github(result), nl=False)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(output.step_summary(result))
        except OSError as exc:
            raise ConnectSiteError(
                f"cannot write the job summary to GITHUB_STEP_SUMMARY ({summary}): {exc.strerror}",
                "Unset GITHUB_STEP_SUMMARY, or point it at a writable file.",
            ) from None


@main.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the *.schema.json files into (created if needed).",
)
@debug_option
@guarded
def schema(out_dir: Path, debug: bool) -> None:
    """Write one JSON Schema per kind of entry, for editors and validators.

    Point yaml-language-server at them with a first line such as
    '# yaml-language-server: $schema=../../schemas/initiative.schema.json'.
    """
    from connect_site.content.jsonschema import documents, render

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, doc in sorted(documents().items()):
        (out_dir / name).write_text(render(doc), encoding="utf-8")
        click.echo(f"wrote {(out_dir / name).as_posix()}")


@main.command()
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
def translations(content_dir: Path, fmt: str, debug: bool) -> None:
    """Report how complete each language is: the interface and the entries.

    The interface counts the UI messages translated in each language's catalog; the entries
    count the initiatives and practices that have a translation file (<slug>.<lang>.md).
    Exits 1 when the content has errors.
    """
    import json

    from connect_site.pipeline import check as run_check
    from connect_site.site.i18n import completeness
    from connect_site.site.render import site_languages

    result = run_check(content_dir, display_root=content_dir.as_posix())
    if result.site is None or not result.ok:
        report(result, "text")
        sys.exit(EXIT_CONTENT)
    site = result.site
    per_lang: dict[str, int] = {}
    for langs in site.translations.values():
        for code in langs:
            per_lang[code] = per_lang.get(code, 0) + 1
    total = len(site.initiatives) + len(site.practices)
    lines = completeness(site_languages(site), site.config.default_language, per_lang, total)
    if fmt == "json":
        doc = [
            {
                "language": c.language,
                "name": c.name,
                "interface": {"translated": c.ui_translated, "total": c.ui_total, "percent": round(c.ui_percent, 1)},
                "entries": {
                    "translated": c.entries_translated,
                    "total": c.entries_total,
                    "percent": round(c.entries_percent, 1),
                },
            }
            for c in lines
        ]
        say(json.dumps({"languages": doc}, ensure_ascii=False, indent=2))
        return
    rows = [("language", "interface", "entries")]
    rows += [
        (
            f"{c.language} {c.name}",
            f"{c.ui_translated}/{c.ui_total} ({c.ui_percent:.0f}%)",
            f"{c.entries_translated}/{c.entries_total} ({c.entries_percent:.0f}%)",
        )
        for c in lines
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        say("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())


# The contributor workflow: each command lives in its own module.
from connect_site.commands.diff import command as diff_command  # noqa: E402
from connect_site.commands.new import command as new_command  # noqa: E402
from connect_site.commands.serve import command as serve_command  # noqa: E402

main.add_command(serve_command)
main.add_command(new_command)
main.add_command(diff_command)


if __name__ == "__main__":  # pragma: no cover
    main()
