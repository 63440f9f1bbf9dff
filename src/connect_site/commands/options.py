"""What every command shares: printing safely, one exit-status policy, the common options.

A command returns its exit status (`errors.Exit`); `guarded` turns what it raises into a
short message and a status; `cli.py` ends the process with it.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from connect_site.errors import ConnectSiteError, Exit

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL, EXIT_ENVIRONMENT = (int(e) for e in Exit)
F = TypeVar("F", bound=Callable[..., object])
RELOAD_SCRIPT = "/livereload.js"  # the preview's reload script, served by commands/devserver.py
RELOAD_SOCKET = "/livereload"  # the livereload WebSocket


def say(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print text that may hold any character a contributor typed, on any terminal encoding.

    A character the stream cannot encode (an emoji on a cp1252 or latin-1 console) is
    written as a backslash escape instead of failing the whole run.
    """
    stream = sys.stderr if err else sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    safe = text.encode(encoding, errors="backslashreplace").decode(encoding)
    click.echo(safe, err=err, nl=nl)


def guarded(fn: F) -> F:
    """Turn what a command raises into a short message and its exit status (a traceback with --debug):
    ConnectSiteError 2 (or 4 for EnvironmentProblem), an OSError 4, anything else 3."""

    def wrapper(*args: object, **kwargs: object) -> int:
        debug = bool(kwargs.get("debug"))
        try:
            status = fn(*args, **kwargs)
            return int(status) if isinstance(status, int) else EXIT_OK
        except ConnectSiteError as exc:
            say(f"connect-site: error: {exc.message}", err=True)
            if exc.hint:
                say(f"    hint: {exc.hint}", err=True)
            return int(exc.exit)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except OSError as exc:  # the machine, not the content: a full disk, a permission
            if debug:
                traceback.print_exc()
            where = f" ({exc.filename})" if exc.filename else ""
            say(f"connect-site: error: {exc.strerror or exc}{where}", err=True)
            say("    hint: this is a problem of the machine (disk space, permissions), not of your content.", err=True)
            return EXIT_ENVIRONMENT
        except Exception as exc:  # the single place where unexpected errors are reported
            if debug:
                traceback.print_exc()
            say(f"connect-site: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo(
                "    hint: this is a bug in connect-site, not in your content. "
                "Run again with --debug and report the traceback.",
                err=True,
            )
            return EXIT_INTERNAL

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper  # type: ignore[return-value]


content_option = click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The content folder.",
)
debug_option = click.option("--debug", is_flag=True, help="Show a traceback on an internal error.")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="How to print problems: text for people, github for workflow annotations, json for tools.",
)


def check_base_url(value: str, what: str = "the site will be published at") -> None:
    """--base-url follows the rule base_url has in site.yaml (schema.check_url); a bad one is a usage error."""
    from pydantic_core import PydanticCustomError

    from connect_site.content.fields import check_url

    try:
        check_url(value)
    except PydanticCustomError as exc:
        raise ConnectSiteError(
            f"--base-url {value!r} is not an http(s) address",
            f"{exc}. Give the address {what}, e.g. https://example.org/connect2030/",
        ) from None


DEFAULT_CACHE = Path(".connect-site-cache")


def check_cache_dir(cache: Path, content: Path, out: Path) -> None:
    """The build cache must live apart from the content and the output (both would see its files)."""
    where = cache.resolve()
    for folder, what in ((content, "content"), (out, "output")):
        inside = folder.resolve()
        if where == inside or inside in where.parents or where in inside.parents:
            raise ConnectSiteError(
                f"--cache {cache.as_posix()} overlaps the {what} folder {folder.as_posix()}",
                "keep the build cache in a folder of its own, e.g. --cache .connect-site-cache",
            )
