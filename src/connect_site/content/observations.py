"""Observations: inline country statistics and tidy CSV tables, into one checked list.

Both forms load into the same `Observation`. Every value is checked against its
indicator's unit, every year against the allowed range, every source must exist, and
there is one observation per (country, indicator, year, source).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Optional, Union

from pydantic import ValidationError

from connect_site.content import refdata
from connect_site.content.broken import Broken
from connect_site.content.fields import MAX_MAGNITUDE, UNIT_RANGES, NotANumber, NotFinite, Unit, read_observed
from connect_site.content.read import Entry
from connect_site.content.refdata import suggest_country
from connect_site.content.schema import Country, Evidence, Indicator, Source
from connect_site.content.tables import Table
from connect_site.errors import Reporter, did_you_mean, join_hint

FIRST_YEAR = 1990
_YEAR = re.compile(r"[0-9]{4}\Z")
REQUIRED_COLUMNS = ("country", "year", "value")
OPTIONAL_COLUMNS = ("source", "note", "quality", "evidence_title", "evidence_url")
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


MAX_QUALITY = 300


def value_range(indicator: Indicator) -> tuple[float, Optional[float]]:
    """The values an indicator can take: its unit's range, narrowed by its `maximum`."""
    low, high = UNIT_RANGES.get(indicator.unit, (0.0, None))
    if indicator.maximum is not None:
        high = indicator.maximum if high is None else min(high, indicator.maximum)
    return low, high


@dataclass(frozen=True)
class Observation:
    country: str
    indicator: str
    year: int
    value: Union[float, bool, str]  # a number, true/false (yes-no), or a category code
    source: str
    note: Optional[str]
    evidence: Optional[Evidence]
    path: str
    line: int
    col: int
    quality: Optional[str] = None  # a flag on the value ("single source"), shown as a footnote


@dataclass
class RawObservation:
    """An observation before its unit, range and references are checked."""

    country: str
    indicator: str
    year: object
    value: object
    source: Optional[str]
    note: Optional[str]
    evidence: Optional[Evidence]
    path: str
    row: tuple[int, int]  # where the observation starts
    pos: Union[dict[str, tuple[int, int]], Table]  # field -> (line, col); a CSV table locates on demand
    default_source: Optional[str] = None
    quality: Optional[str] = None

    def at(self, name: str) -> tuple[int, int]:
        """Where a field was written; the row itself when the field was not."""
        if isinstance(self.pos, Table):
            columns = self.pos.columns
            if name not in columns:
                return self.row
            return self.pos.place(self.row[0], columns.index(name))
        return self.pos.get(name, self.row)


def from_country(entry: Entry, iso3: str, model: Country) -> list[RawObservation]:
    out = []
    for i, stat in enumerate(model.statistics):
        base = ("statistics", i)
        pos = {f: entry.doc.where(base + (f,)) for f in ("indicator", "year", "value", "source", "evidence")}
        out.append(
            RawObservation(
                iso3,
                stat.indicator,
                stat.year,
                stat.value,
                stat.source,
                stat.note,
                stat.evidence,
                entry.path,
                entry.doc.where(base),
                pos,
                model.source,
                stat.quality,
            )
        )
    return out


def from_table(
    table: Table, indicators: dict[str, Indicator], broken: Broken, report: Reporter
) -> list[RawObservation]:
    if table.stem not in indicators:
        if not broken.covers("indicator", table.stem):  # else a target file left out may declare it
            _no_indicator(table, indicators, report)
        return []
    header_ok = True
    for i, name in enumerate(table.columns):
        if name not in ALL_COLUMNS:
            hint = did_you_mean(name, ALL_COLUMNS)
            report.add(
                table.path,
                *table.place(1, i),
                "csv-unknown-column",
                f"unknown column '{name}'",
                join_hint(hint, "Columns: " + ", ".join(ALL_COLUMNS) + "."),
            )
            header_ok = False
    for name in REQUIRED_COLUMNS:
        if name not in table.columns:
            report.add(
                table.path,
                1,
                1,
                "csv-missing-column",
                f"the required column '{name}' is missing",
                "The first line must start with: country,year,value",
            )
            header_ok = False
    for i, name in enumerate(table.columns):
        if name in table.columns[:i]:
            report.add(
                table.path,
                *table.place(1, i),
                "csv-duplicate-column",
                f"the column '{name}' appears twice in the header",
                "Remove or rename one of them.",
            )
            header_ok = False
    if not header_ok:
        return []
    out = []
    index = {name: i for i, name in enumerate(table.columns)}
    country, year, value = index["country"], index["year"], index["value"]
    source, note, quality = index.get("source"), index.get("note"), index.get("quality")
    has_evidence = "evidence_title" in index or "evidence_url" in index
    for row in table.rows:
        cells = row.cells
        evidence = None
        if has_evidence:
            text = {name: cells[i].strip() for name, i in index.items()}
            if text.get("evidence_title") or text.get("evidence_url"):
                evidence = _csv_evidence(table, row.line, text, report)
        out.append(
            RawObservation(
                cells[country].strip(),
                table.stem,
                cells[year].strip(),
                cells[value].strip(),
                (cells[source].strip() or None) if source is not None else None,
                (cells[note].strip() or None) if note is not None else None,
                evidence,
                table.path,
                (row.line, 1),
                table,
                quality=(cells[quality].strip()[:MAX_QUALITY] or None) if quality is not None else None,
            )
        )
    return out


def _no_indicator(table: Table, indicators: dict[str, Indicator], report: Reporter) -> None:
    report.add(
        table.path,
        1,
        1,
        "unknown-indicator",
        f"there is no indicator '{table.stem}' for this table",
        join_hint(
            did_you_mean(table.stem, indicators),
            "The file name must be the id of an indicator declared in a target file.",
        ),
    )


def _csv_evidence(table: Table, line: int, text: dict[str, str], report: Reporter) -> Optional[Evidence]:
    def at(name: str) -> tuple[int, int]:
        return table.place(line, table.columns.index(name)) if name in table.columns else (line, 1)

    title, url = text.get("evidence_title", ""), text.get("evidence_url", "")
    if not title or not url:
        missing = "evidence_title" if not title else "evidence_url"
        report.add(
            table.path,
            *at(missing),
            "missing-evidence",
            f"'{missing}' is empty while the other evidence column is filled",
            "Give both, or neither.",
        )
        return None
    try:
        return Evidence(title=title, url=url)
    except ValidationError as exc:
        for err in exc.errors():
            column = f"evidence_{err['loc'][0]}"
            report.add(
                table.path,
                *at(column),
                "invalid-value",
                f"{column}: {err['msg']}",
                "Evidence needs a short title and an http(s) address.",
            )
        return None


def check_observations(
    raws: list[RawObservation],
    indicators: dict[str, Indicator],
    sources: Mapping[str, Source],
    broken: Broken,
    now_year: int,
    report: Reporter,
) -> list[Observation]:
    """Every observation checked; one whose indicator or source a file left out may declare is dropped quietly."""
    countries = refdata.countries()
    seen: dict[tuple[str, str, int, str], RawObservation] = {}
    out: list[Observation] = []
    for raw in raws:
        if report.full(raw.path):
            report.unchecked(raw.path)
            continue
        line, col = raw.row
        at = raw.at

        country = raw.country.strip().upper()
        if country not in countries:
            hint = suggest_country(raw.country)
            report.add(
                raw.path,
                *at("country"),
                "unknown-country",
                f"unknown country code '{raw.country}'",
                join_hint(hint, "Use the ISO 3166-1 alpha-3 code, e.g. KEN."),
            )
            continue
        indicator = indicators.get(raw.indicator)
        if indicator is None:
            _unknown(raw, "indicator", raw.indicator, indicators, broken, report)
            continue
        year = _year(raw, now_year, report)
        value = _value(raw, indicator, report)
        source = raw.source or raw.default_source or indicator.source
        if source not in sources:
            _unknown(raw, "source", source, sources, broken, report)
            continue
        if year is None or value is None:
            continue
        if indicator.unit is Unit.YES_NO and value is True and raw.evidence is None and not sources[source].dataset:
            report.add(
                raw.path,
                line,
                col,
                "missing-evidence",
                f"a 'true' value for '{indicator.id}' needs the document that shows it",
                "Add evidence: with a title and a url.",
            )
            continue
        key = (country, indicator.id, year, source)
        if key in seen:
            first = seen[key]
            report.add(
                raw.path,
                line,
                col,
                "duplicate-observation",
                f"{country} {indicator.id} {year} ({source}) is already given at {first.path}:{first.row[0]}",
                "Keep one value per country, indicator, year and source.",
            )
            continue
        seen[key] = raw
        obs = Observation(country, indicator.id, year, value, source, raw.note, raw.evidence, raw.path, line, col)
        out.append(replace(obs, quality=raw.quality) if raw.quality else obs)
    out.sort(key=lambda o: (o.indicator, o.country, o.year, o.source))
    return out


_UNKNOWN_HINT = {
    "indicator": "Indicators are declared in target files.",
    "source": "Declare it in sources.yaml, or use an existing id.",
}


def _unknown(
    raw: RawObservation, kind: str, key: str, known: Collection[str], broken: Broken, report: Reporter
) -> None:
    """Report an indicator or a source that does not exist, unless a file left out may declare it."""
    if not broken.covers(kind, key):
        report.add(
            raw.path,
            *raw.at(kind),
            f"unknown-{kind}",
            f"unknown {kind} '{key}'",
            join_hint(did_you_mean(key, known), _UNKNOWN_HINT[kind]),
        )


def _year(raw: RawObservation, now_year: int, report: Reporter) -> Optional[int]:
    text = str(raw.year).strip()
    if not _YEAR.match(text):
        report.add(
            raw.path,
            *raw.at("year"),
            "wrong-type",
            f"the year must be a whole number like 2023, not '{text[:40]}'",
            "Give the reference year of the value, e.g. 2023.",
        )
        return None
    year = int(text)
    if not FIRST_YEAR <= year <= now_year + 1:
        report.add(
            raw.path,
            *raw.at("year"),
            "out-of-range",
            f"the year {year} is outside {FIRST_YEAR}..{now_year + 1}",
            "Give the reference year of the value.",
        )
        return None
    return year


def _category(raw: RawObservation, indicator: Indicator, report: Reporter) -> Optional[str]:
    codes = [c.code for c in indicator.categories]
    text = str(raw.value).strip()
    if text in codes:
        return text
    report.add(
        raw.path,
        *raw.at("value"),
        "invalid-value",
        f"'{text[:40]}' is not one of the categories of '{indicator.id}'",
        join_hint(did_you_mean(text, codes), "Use one of: " + ", ".join(codes) + "."),
    )
    return None


def _value(raw: RawObservation, indicator: Indicator, report: Reporter) -> Union[float, bool, str, None]:
    if indicator.unit is Unit.CATEGORY:
        return _category(raw, indicator, report)
    try:
        value = read_observed(raw.value)
    except NotFinite:
        value = math.nan
    except NotANumber:
        value = None
    if indicator.unit is Unit.YES_NO:
        if not isinstance(value, bool):
            report.add(
                raw.path,
                *raw.at("value"),
                "wrong-type",
                f"'{indicator.id}' is a yes-no indicator, so its value is true or false, not '{raw.value}'",
                "Write true or false.",
            )
            return None
        return value
    if isinstance(value, bool):
        report.add(
            raw.path,
            *raw.at("value"),
            "wrong-type",
            f"'{indicator.id}' is measured in {indicator.unit.value}, so its value is a number, not "
            f"{'true' if value else 'false'}",
            "Write the number.",
        )
        return None
    if value is None:
        report.add(
            raw.path,
            *raw.at("value"),
            "wrong-type",
            f"the value must be a number, not '{str(raw.value)[:40]}'",
            "Use a dot for decimals and no thousands separators: 1234.5",
        )
        return None
    number = value
    if not math.isfinite(number):
        report.add(
            raw.path,
            *raw.at("value"),
            "wrong-type",
            "the value must be a finite number",
            "Write an ordinary number such as 42.5; leave the row out if there is no value.",
        )
        return None
    if abs(number) >= MAX_MAGNITUDE:
        report.add(
            raw.path,
            *raw.at("value"),
            "out-of-range",
            f"{number:g} is too large: values must be smaller than 10^15",
            "Check the value and its unit; a count of people or devices is far smaller.",
        )
        return None
    low, high = value_range(indicator)
    if number < low or (high is not None and number > high):
        limit = f"{low:g}..{high:g}" if high is not None else f"at least {low:g}"
        report.add(
            raw.path,
            *raw.at("value"),
            "out-of-range",
            f"{number:.15g} is outside the range of {indicator.unit.value} ({limit})",
            "Check the value and its unit.",
        )
        return None
    if indicator.unit is Unit.COUNT and not number.is_integer():
        report.add(
            raw.path,
            *raw.at("value"),
            "out-of-range",
            f"a count must be a whole number, not {number:.15g}",
            "Counts have no decimal part.",
        )
        return None
    return number


def stale_warnings(
    observations: list[Observation],
    indicators: dict[str, Indicator],
    now_year: int,
    report: Reporter,
    max_age: int = 10,
) -> None:
    """Warn where a country's newest value for an indicator is more than `max_age` years old.

    One warning per file and indicator, at the first such row, naming every country and
    line, so that a large table does not bury errors under hundreds of warnings. Yes-no
    facts (a strategy adopted in 2015) do not go stale by age.
    """
    latest: dict[tuple[str, str], Observation] = {}
    for o in observations:
        key = (o.indicator, o.country)
        if key not in latest or o.year > latest[key].year:
            latest[key] = o
    stale: dict[tuple[str, str], list[Observation]] = {}
    for (indicator, _), o in sorted(latest.items()):
        if now_year - o.year > max_age and indicators[indicator].unit is not Unit.YES_NO:
            stale.setdefault((o.path, indicator), []).append(o)
    for (path, indicator), items in sorted(stale.items()):
        items.sort(key=lambda o: (o.line, o.col))
        listed = ", ".join(f"{o.country} {o.year} (line {o.line})" for o in items[:8])
        more = f" and {len(items) - 8} more" if len(items) > 8 else ""
        first = items[0]
        report.warn(
            path,
            first.line,
            first.col,
            "stale-statistic",
            f"{len(items)} countr{'y has' if len(items) == 1 else 'ies have'} no {indicator} value "
            f"newer than {now_year - max_age - 1}: {listed}{more}",
            "Add newer values where they are published.",
        )
