"""`connect-site schema`: one JSON Schema per kind of file, and the contributors' field reference."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from connect_site.commands.options import EXIT_CONTENT, EXIT_OK, debug_option, guarded, say
from connect_site.errors import ConnectSiteError, EnvironmentProblem


@click.command()
@click.option(
    "--out",
    "out_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the *.schema.json files into (created if needed).",
)
@click.option(
    "--reference",
    "reference",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A Markdown file (CONTRIBUTING.md) whose field reference, between <!-- fields:start --> and "
    "<!-- fields:end -->, is written again from the schemas.",
)
@click.option("--check", is_flag=True, help="With --reference: write nothing; exit 1 if the reference is out of date.")
@debug_option
@guarded
def schema(out_dir: Optional[Path], reference: Optional[Path], check: bool, debug: bool) -> int:
    """Write one JSON Schema per kind of entry, for editors and validators.

    Point yaml-language-server at them with a first line such as
    '# yaml-language-server: $schema=../../schemas/initiative.schema.json'.
    With --reference FILE, also write the field reference of CONTRIBUTING.md.
    """
    from connect_site.content.jsonschema import documents, render

    if out_dir is None and reference is None:
        raise ConnectSiteError("nothing to do", "Give --out DIR for the schemas, or --reference FILE.")
    if out_dir is not None:
        if out_dir.exists() and not out_dir.is_dir():
            raise ConnectSiteError(f"--out {out_dir.as_posix()} is a file, not a folder", "Give a folder.")
        for name, doc in sorted(documents().items()):
            _write(out_dir / name, render(doc))
            say(f"wrote {(out_dir / name).as_posix()}")
    if reference is not None:
        return _reference(reference, check)
    return EXIT_OK


def _reference(path: Path, check: bool) -> int:
    from connect_site.content import fieldref

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConnectSiteError(f"cannot read {path.as_posix()}: {exc.strerror}") from None
    try:
        updated = fieldref.splice(text, fieldref.generate())
    except ValueError as exc:
        raise ConnectSiteError(f"{path.as_posix()}: {exc}") from None
    if check:
        if updated != text:
            say(
                f"{path.as_posix()}: the field reference is out of date; "
                f"run connect-site schema --reference {path.as_posix()}"
            )
            return EXIT_CONTENT
        return EXIT_OK
    if updated != text:
        _write(path, updated)
        say(f"updated the field reference in {path.as_posix()}")
    return EXIT_OK


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot write {path.as_posix()}: {exc.strerror}", "Check the folder's permissions and free space."
        ) from None
