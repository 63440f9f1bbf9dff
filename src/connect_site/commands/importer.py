"""`connect-site import`: SDMX-CSV, SDMX-ML, .xlsx and .csv statistics into `data/<indicator>.csv`.

The file is read and every observation checked first; the table is written only when nothing is
wrong, whole (a temporary file renamed over the old one), and only when something changes. With
`--dry-run` nothing is written: the additions, changes and removals are printed, as `diff` does.
"""

from __future__ import annotations

import json
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
    say,
)
from connect_site.commands.report import arrange, github_command
from connect_site.errors import ConnectSiteError, Diagnostic, Reporter, Severity
from connect_site.imports.mapping import Plan, parse_select, read_mapping
from connect_site.imports.merge import Changes


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--indicator", help="The indicator the values are of: the table is data/<indicator>.csv.")
@click.option("--source", help="The id of the source (sources.yaml) the values come from.")
@click.option(
    "--select",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Take only the observations whose FIELD (an SDMX dimension or attribute, or a column) has VALUE "
    "(several: FIELD=V1+V2). Repeat for each field, e.g. --select SEX=_T --select AGE=Y_GE15.",
)
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path), help="A YAML file with these options.")
@click.option("--country-field", help="The field of the country (default: REF_AREA, or a 'country' column).")
@click.option("--year-field", help="The field of the year (default: TIME_PERIOD, or a 'year' column).")
@click.option("--value-field", help="The field of the value (default: OBS_VALUE, or a 'value' column).")
@click.option("--quality-field", help="The field of the quality flag (default: OBS_STATUS, if there is one).")
@click.option("--sheet", help="The sheet of an .xlsx workbook (default: the first).")
@click.option("--header-row", type=click.IntRange(min=1), help="The row of the header (default: found).")
@click.option("--skip-unknown-countries", is_flag=True, help="Leave out regions and aggregates, and say which.")
@click.option("--dry-run", is_flag=True, help="Print what would be added, changed and removed; write nothing.")
@content_option
@format_option
@debug_option
@guarded
def command(
    file: Path, mapping: Optional[Path], content_dir: Path, fmt: str, dry_run: bool, debug: bool, **options: object
) -> int:
    """Import statistics from an SDMX or spreadsheet FILE into data/<indicator>.csv.

    SDMX-CSV (1.0, 2.0) and SDMX-ML 2.1 data messages (generic and structure-specific), .xlsx
    workbooks and .csv files, wide (a column per year) or long (a row per value). Every cell it
    cannot take is reported at its place; nothing is written unless all are right. Rows of other
    sources are kept; of this source, the countries imported are replaced. Exits 0 when the table
    is written (or would be, with --dry-run), 1 when the file has problems.
    """
    report = Reporter()
    plan = _plan(mapping, options, report)
    if report.items:
        return _finish(report.sorted(), None, fmt, "")
    from connect_site.imports.run import run_import

    outcome = run_import(file, plan, content_dir, report, dry_run=dry_run)
    return _finish(outcome.diagnostics, outcome.changes, fmt, outcome.summary)


def _plan(mapping: Optional[Path], options: dict[str, object], report: Reporter) -> Plan:
    plan = read_mapping(mapping, mapping.as_posix(), report) if mapping is not None else Plan()
    for name in ("indicator", "source", "sheet", "header_row"):
        if options.get(name) is not None:
            setattr(plan, name, options[name])
    for option, role in (
        ("country_field", "area"),
        ("year_field", "period"),
        ("value_field", "value"),
        ("quality_field", "quality"),
    ):
        if options.get(option) is not None:
            setattr(plan.roles, role, options[option])
    plan.roles.select.update(parse_select(list(options.get("select") or ()), "--select", report))  # type: ignore[call-overload]
    plan.skip_unknown = plan.skip_unknown or bool(options.get("skip_unknown_countries"))
    if report.items:  # the mapping file's problems first
        return plan
    for name in ("indicator", "source"):
        if not getattr(plan, name):
            raise ConnectSiteError(
                f"give --{name}",
                f"The {name} id the values are of, e.g. --{name} "
                + ("internet-users" if name == "indicator" else "itu-wdi"),
            )
    return plan


def _finish(diagnostics: list[Diagnostic], changes: Optional[Changes], fmt: str, summary: str) -> int:
    errors = any(d.severity is Severity.ERROR for d in diagnostics)
    if fmt == "json":
        data = {
            "ok": not errors,
            "diagnostics": [d.to_json() for d in diagnostics],
            "changes": _changes_json(changes) if changes is not None else None,
            "summary": summary,
        }
        say(json.dumps(data, indent=2, sort_keys=True))
        return EXIT_CONTENT if errors else EXIT_OK
    lines = [
        (github_command(line) if fmt == "github" else line.format()) if isinstance(line, Diagnostic) else line.format()
        for line in arrange(diagnostics, all_warnings=True)
    ]
    if changes is not None:
        lines.extend(_changes_text(changes))
    if summary:
        lines.append(summary)
    if lines:
        say("\n".join(lines))
    return EXIT_CONTENT if errors else EXIT_OK


def _row(key: tuple[str, int, str]) -> str:
    return f"{key[0]} {key[1]} ({key[2]})"


def _changes_text(changes: Changes) -> list[str]:
    out = [f"+ {_row(k)}: {v}" for k, v in changes.added]
    out += [f"~ {_row(k)}: {a} -> {b}" for k, a, b in changes.changed]
    out += [f"- {_row(k)}: {v}" for k, v in changes.removed]
    return out


def _changes_json(changes: Changes) -> dict[str, object]:
    def row(key: tuple[str, int, str]) -> dict[str, object]:
        return {"country": key[0], "year": key[1], "source": key[2]}

    return {
        "added": [{**row(k), "value": v} for k, v in changes.added],
        "changed": [{**row(k), "before": a, "after": b} for k, a, b in changes.changed],
        "removed": [{**row(k), "value": v} for k, v in changes.removed],
        "kept": changes.kept,
    }
