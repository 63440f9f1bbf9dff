"""From records to checked observations: the series chosen, the country codes, years and quality
notes, each value checked as `check` checks a row of the table.

Every problem is reported at the cell (or SDMX line) it comes from, all at once: a country that is
not known (with a "did you mean"), a period that is not a year, two values for one country and year
(with the dimension that tells them apart), and whatever `check` refuses (a value outside its
unit's range, text where a number goes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Optional

from connect_site.content.broken import Broken
from connect_site.content.observations import Observation, RawObservation, check_observations
from connect_site.content.refdata import suggest_country
from connect_site.content.schema import Indicator, Source
from connect_site.errors import Reporter, did_you_mean, join_hint
from connect_site.imports.records import (
    AREA_NAMES,
    COMMENT_NAMES,
    NO_VALUE_STATUS,
    PERIOD_NAMES,
    QUALITY_NAMES,
    VALUE_NAMES,
    Record,
    Roles,
    Where,
    country_names,
    country_of,
    pick,
    quality_note,
    year_of,
)
from connect_site.imports.sheets import NO_VALUE


@dataclass
class Taken:
    """The observations an import takes, and what it left out without an error."""

    observations: list[Observation] = field(default_factory=list)
    read: int = 0  # records in the file
    other_series: int = 0  # not selected
    empty: int = 0  # no value (an empty cell, "..", a "missing" status)
    skipped_areas: dict[str, int] = field(default_factory=dict)  # with --skip-unknown-countries
    labels: dict[tuple[int, int], str] = field(default_factory=dict)  # (line, col) -> "Sheet1!C14"
    keys: dict[int, str] = field(default_factory=dict)  # line -> the SDMX series key


@dataclass
class _Names:
    area: str
    period: str
    value: str
    quality: Optional[str]
    comment: Optional[str]


def _names(record: Record, roles: Roles, shown: str, report: Reporter) -> Optional[_Names]:
    """The fields that are the country, year, value and quality, or None after saying which is missing."""
    names = list(record.fields)
    found = {
        "area": pick(names, roles.area, AREA_NAMES),
        "period": pick(names, roles.period, PERIOD_NAMES),
        "value": pick(names, roles.value, VALUE_NAMES),
    }
    options = {"area": "--country-field", "period": "--year-field", "value": "--value-field"}
    missing = [role for role, name in found.items() if name is None]
    for role in missing:
        wanted = getattr(roles, role)
        what = f"no field '{wanted}'" if wanted else f"no {role.replace('area', 'country')} field"
        report.add(
            shown,
            record.line,
            1,
            "import-no-field",
            f"the file has {what}",
            join_hint(
                did_you_mean(wanted, names) if wanted else "",
                f"Its fields: {', '.join(names[:30])}. Name the one to use with {options[role]}.",
            ),
        )
    unknown = [name for name in roles.select if pick(names, name, ()) is None]
    for name in unknown:
        report.add(
            shown,
            record.line,
            1,
            "import-no-field",
            f"--select names '{name}', which the file does not have",
            join_hint(did_you_mean(name, names), f"Its fields: {', '.join(names[:30])}."),
        )
    if missing or unknown:
        return None
    quality = pick(names, roles.quality, QUALITY_NAMES)
    return _Names(found["area"], found["period"], found["value"], quality, pick(names, None, COMMENT_NAMES))  # type: ignore[arg-type]


def take(
    records: Iterable[Record],
    roles: Roles,
    indicator: Indicator,
    source: str,
    context: tuple[Mapping[str, Indicator], Mapping[str, Source], int],
    shown: str,
    report: Reporter,
    *,
    skip_unknown: bool = False,
) -> Taken:
    """The observations of the chosen series, each checked; every problem goes to `report`."""
    indicators, sources, now_year = context
    taken = Taken()
    names: Optional[_Names] = None
    select: dict[str, frozenset[str]] = {}
    raws: list[RawObservation] = []
    first: dict[tuple[str, str], Record] = {}
    for record in records:
        taken.read += 1
        if names is None:
            names = _names(record, roles, shown, report)
            if names is None:
                return taken
            select = {pick(list(record.fields), k, ()) or k: v for k, v in roles.select.items()}
        if any(record.fields.get(k, "") not in v for k, v in select.items()):
            taken.other_series += 1
            continue
        raw = _raw(record, names, indicator, source, shown, taken, report, skip_unknown)
        if raw is None:
            continue
        key = (raw.country, str(raw.year))
        if key in first:
            _duplicate(record, first[key], names, shown, taken, report)
            continue
        first[key] = record
        raws.append(raw)
    taken.observations = check_observations(raws, dict(indicators), sources, Broken(), now_year, report)
    return taken


def _raw(
    record: Record,
    names: _Names,
    indicator: Indicator,
    source: str,
    shown: str,
    taken: Taken,
    report: Reporter,
    skip_unknown: bool,
) -> Optional[RawObservation]:
    fields = record.fields
    value = fields.get(names.value, "").strip()
    quality = names.quality or next((n for n in QUALITY_NAMES if n in fields), None)  # SDMX: on some only
    status = fields.get(quality, "") if quality else ""
    if value.lower() in NO_VALUE or status.strip().upper() in NO_VALUE_STATUS:
        taken.empty += 1
        return None
    where = {"country": _at(record, names.area, taken), "year": _at(record, names.period, taken)}
    where["value"] = _at(record, names.value, taken)
    if record.key:
        taken.keys[record.line] = record.key
    area = fields.get(names.area, "")
    country = country_of(area)
    if country is None:
        if skip_unknown:
            taken.skipped_areas[area] = taken.skipped_areas.get(area, 0) + 1
            return None
        hint = suggest_country(area) or did_you_mean(area, country_names())
        report.add(
            shown,
            where["country"].line,
            where["country"].col,
            "unknown-country",
            f"'{area[:60]}' is not a country or area that connect-site knows",
            join_hint(
                hint,
                "Give an ISO 3166 code (KEN, KE), a UN M49 code (404) or the UN name in one of the six "
                "languages. A region or an aggregate is not imported: --skip-unknown-countries leaves them out.",
            ),
        )
        return None
    period = fields.get(names.period, "")
    year = year_of(period)
    if year is None:
        report.add(
            shown,
            where["year"].line,
            where["year"].col,
            "import-period",
            f"the period '{period[:40]}' is not a year",
            "Statistics here are annual: choose the annual series (e.g. --select FREQ=A).",
        )
        return None
    comment_name = names.comment or next((n for n in COMMENT_NAMES if n in fields), None)
    comment = fields.get(comment_name, "") if comment_name else ""
    note = quality_note(status, comment) or None
    pos = {name: (w.line, w.col) for name, w in where.items()}
    return RawObservation(
        country, indicator.id, year, value, source, None, None, shown, pos["value"], pos, quality=note
    )


def _at(record: Record, name: str, taken: Taken) -> Where:
    where = record.at(name)
    if where.label:
        taken.labels[(where.line, where.col)] = where.label
    return where


def _duplicate(record: Record, first: Record, names: _Names, shown: str, taken: Taken, report: Reporter) -> None:
    """Two records for one country and year: name the fields that tell them apart."""
    differ = sorted(k for k in record.fields.keys() & first.fields.keys() if record.fields[k] != first.fields[k])
    differ = [k for k in differ if k not in (names.value, names.quality, names.comment)]
    differ.sort(key=lambda k: len(record.fields[k]) > 40)  # a row's own id (a URI) tells no series apart
    here, there = _at(record, names.value, taken), _at(first, names.value, taken)
    shown_there = there.label or f"line {there.line}"
    if differ:
        options = ", ".join(f"{k}={first.fields[k]} or {record.fields[k]}" for k in differ[:3])
        hint = f"The two differ in {options}: choose one series, e.g. --select {differ[0]}={first.fields[differ[0]]}"
    else:
        hint = "The file gives this value twice: keep one."
    report.add(
        shown,
        here.line,
        here.col,
        "duplicate-observation",
        f"{record.fields.get(names.area, '')} {record.fields.get(names.period, '')} is already given at {shown_there}",
        hint,
    )
