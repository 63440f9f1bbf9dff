"""One import, start to end: the content's indicators and sources, the file read and checked, the
table merged, checked again as `check` reads it, and written (or, with `--dry-run`, only compared).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from connect_site.content.broken import Broken
from connect_site.content.graph import Site
from connect_site.content.observations import check_observations, from_table
from connect_site.content.read import MAX_CSV_BYTES, decode, read_bounded
from connect_site.content.tables import Table, parse_table
from connect_site.errors import ConnectSiteError, Diagnostic, Reporter, Severity, did_you_mean, join_hint
from connect_site.imports.mapping import Plan
from connect_site.imports.merge import Changes, merged
from connect_site.imports.records import Record, Roles
from connect_site.imports.rows import Taken, take

if TYPE_CHECKING:
    from connect_site.pipeline import CheckResult


MAX_IMPORT_BYTES = 256 * 1024 * 1024  # a 100,000-observation SDMX-ML message is about 15 MB


@dataclass
class Outcome:
    diagnostics: list[Diagnostic]
    changes: Optional[Changes] = None
    summary: str = ""


def run_import(file: Path, plan: Plan, content_dir: Path, report: Reporter, *, dry_run: bool) -> Outcome:
    from connect_site.pipeline import check, now_year

    site, errors = _site(content_dir, check)
    assert plan.indicator is not None and plan.source is not None
    broken = f" The content has {errors} error{'s' * (errors != 1)}: run connect-site check." if errors else ""
    if plan.indicator not in site.indicators:
        raise unknown_id(
            "indicator", plan.indicator, list(site.indicators), "Indicators are declared in target files." + broken
        )
    if plan.source not in site.sources:
        raise unknown_id("source", plan.source, list(site.sources), "Declare it in sources.yaml first." + broken)
    indicator = site.indicators[plan.indicator]
    shown = file.as_posix()
    records = _records(file, shown, plan, report, MAX_IMPORT_BYTES)
    if records is None:
        return Outcome(report.sorted())
    found, roles = records
    context = (site.indicators, site.sources, now_year())
    taken = take(found, roles, indicator, plan.source, context, shown, report, skip_unknown=plan.skip_unknown)
    if any(d.severity is Severity.ERROR for d in report.items):
        return Outcome(_located(report.sorted(), shown, taken), summary=_summary(taken, shown))
    if not taken.observations:
        report.add(shown, 1, 1, "import-nothing", "no observation of the file was taken", _why_nothing(taken, roles))
        return Outcome(_located(report.sorted(), shown, taken), summary=_summary(taken, shown))
    table_path = content_dir / "data" / f"{indicator.id}.csv"
    table_shown = (Path(content_dir.as_posix()) / "data" / table_path.name).as_posix()
    table = _table(table_path, table_shown, report)
    if any(d.severity is Severity.ERROR for d in report.items):
        return Outcome(report.sorted(), summary=_summary(taken, shown))
    text, changes = merged(table, taken.observations, plan.source, indicator.source)
    _check_result(text, table_shown, site, report)
    if any(d.severity is Severity.ERROR for d in report.items):
        return Outcome(report.sorted(), changes, _summary(taken, shown))
    summary = _summary(taken, shown) + "; " + _counted(changes, table_shown)
    if dry_run:
        return Outcome(report.sorted(), changes, summary + " (--dry-run: nothing written)")
    if table is not None and text == _text_of(table_path):
        return Outcome(report.sorted(), changes, summary + " (the table is unchanged)")
    write_whole(table_path, text)
    return Outcome(report.sorted(), changes, summary + f" (written: {table_shown})")


def _site(content_dir: Path, check: Callable[..., CheckResult]) -> tuple[Site, int]:
    """The content's indicators and sources (and how many errors it has: what they leave out)."""
    if not content_dir.is_dir():
        raise ConnectSiteError(f"there is no content folder {content_dir.as_posix()}", "Give it with --content.")
    result = check(content_dir, display_root=content_dir.as_posix())
    if result.site is None:
        raise ConnectSiteError(
            f"the content in {content_dir.as_posix()} cannot be read",
            "Run connect-site check and fix what it reports first.",
        )
    return result.site, result.errors


def _records(
    file: Path, shown: str, plan: Plan, report: Reporter, limit: int
) -> Optional[tuple[Iterator[Record], Roles]]:
    """The file's records, by its format; None after reporting why it cannot be read."""
    from connect_site.imports import sdmx, sheets

    if file.is_symlink():
        report.add(shown, 1, 1, "symlink", "the file is a symbolic link", "Give the file itself, not a link to it.")
        return None
    if not file.is_file():
        raise ConnectSiteError(f"there is no file {shown}", "Give the path of the SDMX or spreadsheet file.")
    if file.stat().st_size > limit:
        report.add(shown, 1, 1, "file-too-large", f"the file is over {limit // 2**20} MiB", "Import it in parts.")
        return None
    roles = plan.roles
    suffix = file.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        read = sheets.xlsx_records(file, plan.sheet, shown, plan.header_row, report)
        return None if read is None else (read[1], _sheet_roles(roles, read[0]))
    with open(file, "rb") as fh:
        start = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<") or suffix == ".xml":
        return sdmx.read_sdmx_ml(file, shown, report), roles
    if suffix not in (".csv", ".txt", ".tsv"):
        report.add(
            shown,
            1,
            1,
            "import-format",
            f"connect-site cannot import '{file.suffix or file.name}' files",
            "Give SDMX-CSV or SDMX-ML (.csv, .xml), or a spreadsheet saved as .xlsx or .csv.",
        )
        return None
    data = read_bounded(file, limit)
    text = _decode(data or b"", shown, report)
    if text is None:
        return None
    if sdmx.is_sdmx_csv(text.split("\n", 1)[0]):
        return sdmx.read_sdmx_csv(text, shown, report), roles
    read = sheets.csv_records(text, shown, plan.header_row, report)
    return None if read is None else (read[1], _sheet_roles(roles, read[0]))


def _decode(data: bytes, shown: str, report: Reporter) -> Optional[str]:
    """UTF-8 (with or without a BOM), or UTF-16 with its BOM (Excel's "Unicode text")."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    return decode(data, shown, report)


def _sheet_roles(roles: Roles, layout: object) -> Roles:
    from connect_site.imports.sheets import Layout, roles_of

    assert isinstance(layout, Layout)
    area, period, value, quality = roles_of(layout)
    return Roles(
        roles.area or area, roles.period or period, roles.value or value, roles.quality or quality, roles.select
    )


def _table(path: Path, shown: str, report: Reporter) -> Optional[Table]:
    if path.is_symlink():
        report.add(shown, 1, 1, "symlink", "the table is a symbolic link", "Replace the link with the file itself.")
        return None
    if not path.exists():
        return None
    data = read_bounded(path, MAX_CSV_BYTES)
    if data is None:
        report.add(shown, 1, 1, "file-too-large", "the table is over 1 MiB", "Split the indicator.")
        return None
    text = decode(data, shown, report)
    return parse_table(text, path.stem, shown, report) if text is not None else None


def _text_of(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _check_result(text: str, shown: str, site: Site, report: Reporter) -> None:
    """The merged table read back as `check` reads it: any problem is reported where it would be."""
    if len(text.encode("utf-8")) > MAX_CSV_BYTES:
        report.add(
            shown,
            1,
            1,
            "file-too-large",
            f"the table would be {len(text.encode('utf-8')):,} bytes, over the 1 MiB that check reads",
            "Import fewer series (--select), or split the indicator into tables of their own.",
        )
        return
    table = parse_table(text, Path(shown).stem, shown, report)
    if table is None:
        return
    raws = from_table(table, site.indicators, Broken(), report)
    from connect_site.pipeline import now_year

    check_observations(raws, site.indicators, site.sources, Broken(), now_year(), report)


def _located(diagnostics: list[Diagnostic], shown: str, taken: Taken) -> list[Diagnostic]:
    """The problems of the imported file with the cell a spreadsheet names and the SDMX series key."""
    out = []
    for d in diagnostics:
        if d.path == shown:
            label = taken.labels.get((d.line, d.col), "")
            key = taken.keys.get(d.line)
            message = f"{d.message} (series {key})" if key and "series" not in d.message else d.message
            d = replace(d, place=label or d.place, message=message)
        out.append(d)
    return out


def _summary(taken: Taken, shown: str) -> str:
    parts = [f"{taken.read:,} observations read from {shown}", f"{len(taken.observations):,} taken"]
    if taken.other_series:
        parts.append(f"{taken.other_series:,} of other series")
    if taken.empty:
        parts.append(f"{taken.empty:,} without a value")
    if taken.skipped_areas:
        names = ", ".join(sorted(taken.skipped_areas)[:10]) + ("…" if len(taken.skipped_areas) > 10 else "")
        parts.append(f"{sum(taken.skipped_areas.values()):,} of areas that are not countries ({names})")
    return ", ".join(parts)


def _counted(changes: Changes, table: str) -> str:
    return (
        f"{table}: {len(changes.added):,} added, {len(changes.changed):,} changed, "
        f"{len(changes.removed):,} removed, {changes.kept:,} kept"
    )


def _why_nothing(taken: Taken, roles: Roles) -> str:
    if taken.other_series and roles.select:
        chosen = ", ".join(f"{k}={'+'.join(sorted(v))}" for k, v in roles.select.items())
        return f"No observation has {chosen}: check the codes (they are case-sensitive)."
    if taken.empty:
        return "Every observation is empty or marked missing."
    return "The file has no observations."


def unknown_id(kind: str, value: str, known: list[str], advice: str) -> ConnectSiteError:
    return ConnectSiteError(
        f"there is no {kind} '{value}' in the content", join_hint(did_you_mean(value, known), advice)
    )


def write_whole(path: Path, text: str) -> None:
    """Replace `path` with `text` at once: a temporary file beside it, renamed over it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
