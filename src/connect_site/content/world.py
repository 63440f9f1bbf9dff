"""An agency's own world figures for an indicator: `data/<indicator>.world.csv`.

Where ITU publishes a world figure (Facts and Figures: "74 per cent of the world's population
is online in 2025"), it is the figure readers expect, and it is not the site's own average of
the countries that report: pages show it, labelled with its source, beside the site's
population-weighted figure. A figure belongs to its edition, so each row names its source,
and one file should hold the series of one edition.

    year,value,source,note
    2024,71,itu-facts-figures-2025,
    2025,74,itu-facts-figures-2025,
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Optional

from connect_site.content.broken import Broken
from connect_site.content.fields import NotANumber, NotFinite, Unit, read_observed
from connect_site.content.observations import FIRST_YEAR, value_range
from connect_site.content.schema import Indicator, Source
from connect_site.content.tables import Table
from connect_site.errors import Reporter, did_you_mean, join_hint

SUFFIX = ".world"
COLUMNS = ("year", "value", "source", "note")
_YEAR = re.compile(r"[0-9]{4}\Z")


@dataclass(frozen=True)
class WorldFigure:
    indicator: str
    year: int
    value: float
    source: str
    note: Optional[str]
    path: str
    line: int


def is_world_table(table: Table) -> bool:
    return table.stem.endswith(SUFFIX)


def world_figures(
    table: Table,
    indicators: Mapping[str, Indicator],
    sources: Mapping[str, Source],
    broken: Broken,
    now_year: int,
    report: Reporter,
) -> list[WorldFigure]:
    """The rows of one world table, each checked; a problem is reported at its cell."""
    key = table.stem[: -len(SUFFIX)]
    indicator = indicators.get(key)
    if indicator is None:
        if broken.covers("indicator", key):
            return []  # a target file left out for its errors may declare it
        report.add(
            table.path,
            1,
            1,
            "unknown-indicator",
            f"there is no indicator '{key}' for this table of world figures",
            join_hint(did_you_mean(key, indicators), "Name the file <indicator id>.world.csv."),
        )
        return []
    missing = [c for c in ("year", "value", "source") if c not in table.columns]
    unknown = [c for c in table.columns if c not in COLUMNS]
    if missing or unknown:
        what = f"the column '{(missing or unknown)[0]}' is " + ("missing" if missing else "not known")
        report.add(table.path, 1, 1, "csv-columns", what, "The first line of a world table is: year,value,source,note")
        return []
    if indicator.unit is Unit.YES_NO or indicator.unit is Unit.CATEGORY:
        report.add(
            table.path,
            1,
            1,
            "wrong-type",
            f"'{key}' has no world figure: its values are not numbers",
            "Remove the file.",
        )
        return []
    out = []
    at = {name: i for i, name in enumerate(table.columns)}
    for row in table.rows:
        cells = {name: row.cells[i].strip() for name, i in at.items()}
        figure = _figure(table, row.line, cells, indicator, sources, broken, now_year, report)
        if figure is not None:
            out.append(figure)
    return out


def _figure(
    table: Table,
    line: int,
    cells: dict[str, str],
    indicator: Indicator,
    sources: Mapping[str, Source],
    broken: Broken,
    now_year: int,
    report: Reporter,
) -> Optional[WorldFigure]:
    def at(name: str) -> tuple[int, int]:
        return table.place(line, table.columns.index(name))

    year = cells["year"]
    if not _YEAR.match(year) or not FIRST_YEAR <= int(year) <= now_year + 1:
        report.add(table.path, *at("year"), "out-of-range", f"'{year[:20]}' is not a year", "Write it as 2024.")
        return None
    try:
        value = read_observed(cells["value"])
    except (NotANumber, NotFinite):
        value = math.nan
    low, high = value_range(indicator)
    if isinstance(value, bool) or not math.isfinite(value) or value < low or (high is not None and value > high):
        report.add(
            table.path,
            *at("value"),
            "out-of-range",
            f"'{cells['value'][:20]}' is not a number in the range of {indicator.unit.value}",
            "Write the figure as its source gives it, with a dot for decimals.",
        )
        return None
    source = cells["source"]
    if source not in sources and broken.covers("source", source):
        return None
    if source not in sources:
        report.add(
            table.path,
            *at("source"),
            "unknown-source",
            f"unknown source '{source[:40]}'",
            join_hint(did_you_mean(source, sources), "Declare it in sources.yaml: a world figure names its edition."),
        )
        return None
    return WorldFigure(indicator.id, int(year), float(value), source, cells.get("note") or None, table.path, line)
