"""Merging imported observations into `data/<indicator>.csv`, losing nothing it was not asked to change.

Rows of other sources are kept as they are. Of the imported source, the rows of each country the
import gives are replaced by the import's (the series is the source's, whole: a year it no longer
gives is removed); the other countries' rows are kept. The table is written sorted by country,
year and source, then read back and checked as `check` does before it replaces the old one.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import Optional

from connect_site.content.observations import Observation
from connect_site.content.tables import Table

Key = tuple[str, int, str]  # country, year, source


@dataclass
class Changes:
    """What an import changes in the table, as `diff` names it: added, changed and removed rows."""

    added: list[tuple[Key, str]] = field(default_factory=list)
    changed: list[tuple[Key, str, str]] = field(default_factory=list)  # key, before, after
    removed: list[tuple[Key, str]] = field(default_factory=list)
    kept: int = 0

    @property
    def none(self) -> bool:
        return not (self.added or self.changed or self.removed)


def value_text(value: object) -> str:
    """A checked value as the table writes it: a whole number without ".0", else the shortest form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)
        if "e" in text:  # 1e-05: the table takes plain decimals only
            digits = max(0, -math.floor(math.log10(abs(value))) + 15)
            text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        return text
    return str(value)


def merged(table: Optional[Table], taken: list[Observation], source: str, default_source: str) -> tuple[str, Changes]:
    """The new table's text, and what changed. `default_source`: the source of a row with none."""
    columns = list(table.columns) if table is not None else ["country", "year", "value"]
    has_quality = any(o.quality for o in taken)
    for name, needed in (("source", source != default_source), ("quality", has_quality)):
        if needed and name not in columns:
            columns.append(name)
    countries = {o.country for o in taken}
    rows: list[dict[str, str]] = []
    old: dict[Key, str] = {}
    for row in table.rows if table is not None else []:
        cells = dict(zip(table.columns, (c.strip() for c in row.cells), strict=True)) if table is not None else {}
        key = _key(cells, default_source)
        if key[2] == source and key[0] in countries:
            old[key] = cells.get("value", "")
            continue
        rows.append(cells)
    changes = Changes(kept=len(rows))
    for o in taken:
        cells = {"country": o.country, "year": str(o.year), "value": value_text(o.value)}
        cells["source"] = "" if source == default_source else source  # an empty source is the default
        cells["quality"] = o.quality or ""
        rows.append(cells)
        key = (o.country, o.year, source)
        before = old.pop(key, None)
        if before is None:
            changes.added.append((key, cells["value"]))
        elif _differs(before, cells["value"]):
            changes.changed.append((key, before, cells["value"]))
        else:
            changes.kept += 1
    changes.removed = sorted(old.items())
    rows.sort(key=lambda cells: _key(cells, default_source))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for cells in rows:
        writer.writerow([cells.get(name, "") for name in columns])
    return out.getvalue(), changes


def _key(cells: dict[str, str], default_source: str) -> Key:
    year = cells.get("year", "")
    return cells.get("country", "").upper(), int(year) if year.isdigit() else 0, cells.get("source") or default_source


def _differs(before: str, after: str) -> bool:
    """Whether a value changed: 35.50 and 35.5 are the same number."""
    try:
        return float(before) != float(after)
    except ValueError:
        return before.strip().lower() != after.strip().lower()
