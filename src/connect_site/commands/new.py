"""`connect-site new`: write a new entry that passes `connect-site check` (an initiative or a
practice once its example description is replaced by the contributor's own, or given with --body).

One subcommand per kind of file a contributor adds (initiative, practice, country,
source). Every field can be given as an option; in a terminal the missing ones are asked
for, each checked as it is typed (targets against the content folder, countries against
the built-in reference data, kinds against their lists). Files are written atomically and
never over an existing file; a source is appended to sources.yaml without touching the
lines already there.

The fields and their checks are in scaffold_fields.py; the text and the writing in scaffold_write.py.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Optional

import click

from connect_site.commands.new_fields import SPECS, Folder, Invalid, Spec, country_code, load_folder
from connect_site.commands.new_write import (
    already_exists,
    append_source,
    country_entry,
    free_slug,
    guard_folder,
    markdown_entry,
    schema_comment,
    slugify,
    source_block,
    taken,
    verify_entry,
    write_new,
)
from connect_site.commands.options import EXIT_CONTENT, EXIT_OK, content_option, debug_option, guarded, say
from connect_site.content.fields import is_slug
from connect_site.content.read import display_path
from connect_site.errors import ConnectSiteError, Severity
from connect_site.site.routes import RESERVED

# --- Asking -------------------------------------------------------------------------------


def split_list(spec: Spec, folder: Folder, text: str) -> list[str]:
    """The items of a list typed on one line, separated by commas or semicolons."""
    if spec.check is country_code:  # a name may hold a comma ("Korea, Republic of")
        try:
            country_code(folder, text)
            return [text]
        except Invalid:
            pass
    return [part for part in re.split(r"[,;]", text) if part.strip()]


def parse(spec: Spec, folder: Folder, raw: str | Sequence[str]) -> Any:
    """The value to write for `raw` (None when an optional field is left empty). Raises Invalid."""
    if spec.many:
        items = split_list(spec, folder, raw) if isinstance(raw, str) else [r for r in raw if r.strip()]
        values = list(dict.fromkeys(spec.check(folder, item) for item in items))
        if not values and spec.required:
            raise Invalid("give at least one")
        return values or None
    assert isinstance(raw, str)
    if not raw.strip():
        if spec.required:
            raise Invalid("this field is required")
        return None
    return spec.check(folder, raw)


def ask(spec: Spec, folder: Folder, default: Optional[str] = None) -> Any:
    """Ask until the answer is valid; the reason for a wrong one is shown before asking again."""

    def proc(text: str) -> Any:
        try:
            return parse(spec, folder, text)
        except Invalid as exc:
            raise click.UsageError(f"{exc}.") from None

    optional = "" if spec.required else " [optional, Enter to skip]"
    if default is None and not spec.required:
        default = ""
    return click.prompt(spec.label + optional, default=default, show_default=bool(default), value_proc=proc)


def gather(kind: str, specs: list[Spec], folder: Folder, given: dict[str, Any], interactive: bool) -> dict[str, Any]:
    """Field key -> value, from the options and (in a terminal) the answers. Raises ConnectSiteError."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for spec in specs:
        raw = given.get(spec.flag)
        if raw is not None and raw != ():
            try:
                values[spec.key] = parse(spec, folder, raw)
                continue
            except Invalid as exc:
                shown = ", ".join(raw) if not isinstance(raw, str) else raw
                problem = f"--{spec.flag} {shown!r}: {exc}"
                if not interactive:
                    problems.append(problem)
                    continue
                say(f"{problem}.", err=True)
        elif not interactive:
            if spec.required:
                problems.append(f"--{spec.flag} is missing: {spec.help}")
            continue
        values[spec.key] = ask(spec, folder)
    if problems:
        raise ConnectSiteError(
            f"cannot write the new {kind}; {len(problems)} field(s) missing or not valid:\n  " + "\n  ".join(problems),
            f"Give them as options (connect-site new {kind} --help lists them), "
            "or run the command in a terminal without --no-input to be asked for each.",
        )
    return values


# --- The command ----------------------------------------------------------------------------


def choose_slug(kind: str, folder: Path, title: str, slug: Optional[str], interactive: bool, shown: str) -> str:
    """The file name: --slug, or made from the title; never one that is taken."""

    def problem(name: str) -> Optional[str]:
        if not is_slug(name):
            return f"'{name}' is not a valid file name: use lower-case letters, digits and hyphens (at most 80)"
        if name in RESERVED:
            return f"'{name}' is reserved for the listing pages"
        existing = taken(folder, name)
        if existing is not None:
            return f"{shown}/{existing.name} already exists, and connect-site new never overwrites a file"
        return None

    if slug is not None:
        wrong = problem(slug)
        if wrong:
            raise ConnectSiteError(f"--slug: {wrong}", "Choose another --slug, or edit the existing file instead.")
        return slug
    derived = slugify(title)
    wrong = problem(derived) if derived else "the title has no letters or digits to make a file name from"
    if wrong is None:
        return derived
    suggestion = free_slug(folder, derived) if derived else f"my-{kind}"
    if not interactive:
        raise ConnectSiteError(
            f"cannot name the file: {wrong}", f"Give another name with --slug, e.g. --slug {suggestion}"
        )
    say(f"{wrong}.", err=True)

    def proc(text: str) -> str:
        wrong = problem(text.strip())
        if wrong:
            raise click.UsageError(f"{wrong}.")
        return text.strip()

    return str(click.prompt("File name (lower-case letters, digits and hyphens)", default=suggestion, value_proc=proc))


def create(
    kind: str,
    root: Path,
    given: dict[str, Any],
    *,
    interactive: bool,
    slug: Optional[str] = None,
    body: Optional[str] = None,
) -> tuple[str, int]:
    """Ask, check and write the new entry; returns its displayed path and the line where it starts."""
    folder = load_folder(root)
    specs = SPECS[kind]()
    values = gather(kind, specs, folder, given, interactive)
    if kind in ("initiative", "practice"):
        sub = root / f"{kind}s"
        guard_folder(root, sub)
        shown_dir = f"{root.as_posix().rstrip('/')}/{kind}s"
        name = choose_slug(kind, sub, str(values["title"]), slug, interactive, shown_dir)
        path = sub / f"{name}.md"
        shown = display_path(root, root.as_posix(), path)
        text = markdown_entry(kind, specs, values, body, schema_comment(root, path, kind))
        verify_entry(kind, text, shown, name)
        write_new(path, text.encode("utf-8"), shown)
        return shown, 1
    if kind == "country":
        sub = root / "countries"
        guard_folder(root, sub)
        code = str(values["iso3"])
        path = sub / f"{code}.yaml"
        shown = display_path(root, root.as_posix(), path)
        existing = taken(sub, code)
        if existing is not None:
            raise already_exists(display_path(root, root.as_posix(), existing))
        text = country_entry(specs, values, folder, schema_comment(root, path, kind))
        verify_entry(kind, text, shown, code)
        write_new(path, text.encode("utf-8"), shown)
        return shown, 1
    path = root / "sources.yaml"
    if not path.exists() and (root / "sources.yml").exists():
        path = root / "sources.yml"
    shown = display_path(root, root.as_posix(), path)
    line = append_source(
        path, shown, source_block(specs, values), str(values["id"]), schema_comment(root, path, "sources")
    )
    return shown, line


def after(root: Path, shown: str, first_line: int, what: str) -> int:
    """Print where the file is and what to do next; check the folder; the exit status."""
    import shlex

    from connect_site.pipeline import check

    say(f"wrote {shown}" if first_line == 1 else f"added a source at {shown}:{first_line}")
    result = check(root, display_root=root.as_posix())
    mine = [d for d in result.diagnostics if d.path == shown and d.line >= first_line]
    for d in mine:
        say(d.format())
    # The example description is what `new` was asked to write: a step still to do, not a failure of `new`.
    todo = [d for d in mine if d.code == "placeholder-text"]
    errors = sum(d.severity is Severity.ERROR for d in mine if d not in todo)
    if not mine:
        say(f"checked: no problems in the new {what}")
    elif errors:
        say(f"the new entry has {errors} error(s): fix them in {shown}, then run the check again")
    if todo:
        say(
            f"next: replace the example description at {todo[0].location()} with your own (check refuses it until then)"
        )
    others = result.errors - errors - len(todo)
    if others:
        say(f"note: the rest of the content folder has {others} error(s); connect-site check lists them")
    folder = "" if root == Path("content") else f" --content {shlex.quote(root.as_posix())}"
    say(f"next: check everything with 'connect-site check{folder}', preview with 'connect-site serve{folder}'")
    return EXIT_CONTENT if errors else EXIT_OK


def _kind_command(kind: str, summary: str, where: str, example: str) -> click.Command:
    specs = SPECS[kind]()
    required = ", ".join(f"--{s.flag}" for s in specs if s.required)
    named = kind in ("initiative", "practice")
    doc = (
        f"{summary}: writes {where}.\n\n"
        f"Required: {required}. In a terminal, each missing field is asked for and checked as you type "
        "(targets must exist in the content folder; countries can be typed as codes or names); "
        "optional fields can be skipped with Enter.\n\n"
        "With --no-input, or when the input is not a terminal, nothing is asked: every missing or "
        "wrong field is listed at once and the command exits with status 2.\n\n"
        + ("The file name comes from the title (lower case, hyphens) unless --slug is given. " if named else "")
        + "An existing file is never overwritten. After writing, the content folder is checked and any "
        "problem in the new entry is shown (exit status 1 if it has an error"
        + ("; the example description written without --body is shown as a step still to do" if named else "")
        + ").\n\n"
        "\b\nExample:\n" + example.replace("\n", " \\\n")
    )

    def callback(**kwargs: Any) -> int:
        interactive = kwargs["interactive"]
        if interactive is None:
            interactive = sys.stdin is not None and sys.stdin.isatty()
        given = {s.flag: kwargs[s.flag.replace("-", "_")] for s in specs}
        root: Path = kwargs["content_dir"]
        shown, line = create(
            kind, root, given, interactive=interactive, slug=kwargs.get("slug"), body=kwargs.get("body")
        )
        return after(root, shown, line, kind)

    func: Any = guarded(callback)
    options: list[Callable[[Any], Any]] = [content_option]
    for spec in specs:
        text = spec.help.rstrip(".") + "." + (" Required." if spec.required else "")
        options.append(click.option(f"--{spec.flag}", multiple=spec.many, metavar="TEXT", help=text))
    if named:
        options.append(click.option("--slug", help="The file name without .md (default: made from the title)."))
        options.append(
            click.option(
                "--body",
                help="The description in Markdown (default: an example text, which check refuses until you "
                "replace it).",
            )
        )
    options.append(
        click.option(
            "--input/--no-input",
            "interactive",
            default=None,
            help="Ask for missing fields (--input), or never ask and fail with the list of missing ones "
            "(--no-input). Default: ask only when the input is a terminal.",
        )
    )
    options.append(debug_option)
    for option in reversed(options):
        func = option(func)
    return click.command(kind, help=doc, short_help=f"{summary} ({where}).")(func)


@click.group(name="new")
def command() -> None:
    """Add a new entry, written so that it passes `connect-site check`.

    An initiative or practice written without --body has an example description, which
    check refuses (placeholder-text) until you replace it.

    \b
      connect-site new initiative   a national initiative (initiatives/<slug>.md)
      connect-site new practice     a stakeholder's practice (practices/<slug>.md)
      connect-site new country      a country file (countries/<ISO3>.yaml)
      connect-site new source       a source, added at the end of sources.yaml

    Every field has an option (see `connect-site new initiative --help`). In a terminal,
    the missing fields are asked for one by one; with --no-input they are listed instead.
    """


command.add_command(
    _kind_command(
        "initiative",
        "Add a national initiative",
        "initiatives/<slug>.md",
        '  connect-site new initiative --title "Kenya digital plan" --country Kenya\n'
        '    --target 1.4 --kind strategy --status ongoing --lead "Ministry of ICT"\n'
        "    --start 2022 --url https://example.org/plan --no-input",
    )
)
command.add_command(
    _kind_command(
        "practice",
        "Add a stakeholder's practice, case study or lesson learned",
        "practices/<slug>.md",
        '  connect-site new practice --title "Community networks guide" --kind guideline\n'
        '    --contributor-name "ITU" --contributor-type un-entity --target 1.4\n'
        "    --url https://example.org/guide --no-input",
    )
)
command.add_command(
    _kind_command(
        "country",
        "Add a country file, for statistics and statuses",
        "countries/<ISO3>.yaml",
        '  connect-site new country --country Ghana --summary "..." --no-input',
    )
)
command.add_command(
    _kind_command(
        "source",
        "Declare a source that statistics and entries cite",
        "an entry at the end of sources.yaml",
        '  connect-site new source --id itu-ict-2024 --publisher "ITU"\n'
        '    --title "World Telecommunication/ICT Indicators" --url https://www.itu.int/\n'
        '    --license "CC BY 4.0" --edition 2024 --no-input',
    )
)
