"""The data downloads: every observation as CSV and JSON, and a Frictionless Data Package.

`downloads(site)` is a pure function: it returns the files (path, bytes, media type, a
title for the downloads page, a group and a key so pages can link to their own files) and
writes nothing. The output is byte-identical across runs, hash seeds, time zones and
locales: everything is sorted, there is no timestamp, and numbers are formatted by hand.

Files (paths relative to the site root, the URL contract):

- `data/all.csv`, `data/all.json`: every observation.
- `data/indicators/<indicator id>.csv|.json`: one pair per indicator, also for an
  indicator without observations (a header-only CSV, an empty list).
- `data/countries/<iso3 lower>.csv|.json`: one pair per country with at least one
  observation.
- `data/datapackage.json`: a Tabular Data Package (Frictionless Data Package v1)
  describing `all.csv` and every indicator CSV. The per-country CSVs are not listed:
  they are row subsets of `all.csv` with the same columns, and 200-odd more resources,
  each with its own copy of the schema, would bury the useful part of the descriptor.

CSV (UTF-8 without BOM, `,`, `"` quoting only where needed, `\\n` line endings). Every CSV
has the same columns in this order, so files can be concatenated:

    country         ISO 3166-1 alpha-3 code, upper case
    country_name    the name shown on the site
    indicator       indicator id
    year            integer
    value           a plain decimal number, true/false for a yes-no indicator, or a category code
    unit            the indicator's unit (percent, per-100, ..., yes-no)
    source          source id
    source_title    the source's title
    note            footnote, may be empty
    quality         a flag on the value's quality ("single source"), may be empty
    evidence_title  for yes-no values: the document that shows it, may be empty
    evidence_url    its address, may be empty

Rows are sorted by (country, indicator, year, source), which is also the primary key.
Numbers are the shortest text that reads back as the same float, in plain decimal
notation (never `1e-05`), without a trailing `.0` (`100`, `35.5`, `0.00002`).
Text cells are defused for spreadsheets: a cell starting with `=`, `+`, `-`, `@`, a tab,
CR or LF gets a leading `'` (contributors are not trusted, and spreadsheets run formulas),
and CR / CRLF inside a cell become LF (a bare CR is not quoted by Python's csv module).

JSON (UTF-8, keys sorted, one record per line). Observations are
`{"country", "indicator", "year", "value", "source", "note", "quality", "evidence"}` where evidence
is `{"title", "url"}` or null; values are JSON numbers (integral ones without `.0`) or
booleans. Text is not escaped for spreadsheets. Each file is self-contained: every id
used by its observations is described in the same file.

- `all.json`: `{"countries": {iso3: country}, "indicators": {id: indicator},
  "observations": [...], "sources": {id: source}}` (countries with data, every indicator).
- per indicator: `{"countries": {...}, "indicator": {...}, "observations": [...], "sources": {...}}`
- per country: `{"country": {...}, "indicators": {...}, "observations": [...], "sources": {...}}`

The sources of a file are those cited by its observations or by its indicators.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Optional, Union

from connect_site.content.graph import Site
from connect_site.content.observations import Observation
from connect_site.content.schema import Indicator, Source
from connect_site.site.datapackage import CSV_COLUMNS, PACKAGE_PATH, JsonObject, compact, datapackage, number
from connect_site.site.i18n import N_

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True)
class Download:
    path: str  # relative to the site root, posix, e.g. "data/indicators/internet-users.csv"
    data: bytes
    media_type: str  # "text/csv" or "application/json"
    label: str  # what it holds, for the downloads page: "Individuals using the Internet"
    group: str  # "all" | "indicator" | "country" | "package"
    key: str  # indicator id, iso3 in lower case, or "" for "all" and "package"

    @property
    def format(self) -> str:
        return "CSV" if self.media_type == "text/csv" else "JSON"

    @property
    def title(self) -> str:
        """ "Individuals using the Internet (CSV)"."""
        return f"{self.label} ({self.format})"


class _Tables:
    """The observations in download order, each row rendered once (CSV and JSON), and the records
    (countries, indicators, sources) rendered once: every file reuses them."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.observations = sorted(site.observations, key=lambda o: (o.country, o.indicator, o.year, o.source))
        self.csv_rows = _csv_rows(site, self.observations)
        self.json_rows = _json_rows(self.observations)
        self.by_indicator: dict[str, list[int]] = defaultdict(list)
        self.by_country: dict[str, list[int]] = defaultdict(list)
        for i, o in enumerate(self.observations):
            self.by_indicator[o.indicator].append(i)
            self.by_country[o.country].append(i)
        self.indicators = sorted(site.indicators)
        self.country_meta = {code: compact(_country_json(site, code)) for code in self.by_country}
        self.indicator_meta = {key: compact(_indicator_json(site, site.indicators[key])) for key in self.indicators}
        self.source_meta = {key: compact(_source_json(key, src)) for key, src in site.sources.items()}

    def csv(self, rows: list[int]) -> bytes:
        return (CSV_HEADER + "".join([self.csv_rows[i] for i in rows])).encode("utf-8")

    def observation_list(self, rows: list[int]) -> str:
        return _lines([self.json_rows[i] for i in rows])

    def sources_of(self, rows: list[int], indicators: list[str]) -> list[str]:
        return _cited(self.site, [self.observations[i] for i in rows], indicators)

    def records(self, meta: dict[str, str], keys: Iterable[str]) -> str:
        return _records({k: meta[k] for k in keys})


def downloads(site: Site) -> list[Download]:
    """Every download file for the site, sorted by path."""
    tables = _Tables(site)
    everything = list(range(len(tables.observations)))
    all_csv = tables.csv(everything)
    all_sources = tables.sources_of(everything, tables.indicators)
    all_json = {
        "countries": tables.records(tables.country_meta, sorted(tables.by_country)),
        "indicators": tables.records(tables.indicator_meta, tables.indicators),
        "observations": tables.observation_list(everything),
        "sources": tables.records(tables.source_meta, all_sources),
    }
    out = [
        Download("data/all.csv", all_csv, "text/csv", N_("All observations"), "all", ""),
        Download("data/all.json", _json_document(all_json), "application/json", N_("All observations"), "all", ""),
    ]
    indicator_csvs, indicator_sources = _indicator_files(tables, out)
    _country_files(tables, out)
    package = datapackage(site, all_csv, all_sources, indicator_csvs, indicator_sources)
    out.append(Download(PACKAGE_PATH, package, "application/json", N_("Data Package descriptor"), "package", ""))
    return sorted(out, key=lambda d: d.path)


def _indicator_files(tables: _Tables, out: list[Download]) -> tuple[dict[str, bytes], dict[str, list[str]]]:
    """One CSV and one JSON file per indicator, into `out`; returns the CSVs and their sources."""
    csvs: dict[str, bytes] = {}
    sources: dict[str, list[str]] = {}
    for key in tables.indicators:
        title = tables.site.indicators[key].title
        rows = tables.by_indicator.get(key, [])
        csvs[key] = tables.csv(rows)
        sources[key] = tables.sources_of(rows, [key])
        doc = {
            "countries": tables.records(tables.country_meta, sorted({tables.observations[i].country for i in rows})),
            "indicator": tables.indicator_meta[key],
            "observations": tables.observation_list(rows),
            "sources": tables.records(tables.source_meta, sources[key]),
        }
        out += [
            Download(f"data/indicators/{key}.csv", csvs[key], "text/csv", title, "indicator", key),
            Download(f"data/indicators/{key}.json", _json_document(doc), "application/json", title, "indicator", key),
        ]
    return csvs, sources


def _country_files(tables: _Tables, out: list[Download]) -> None:
    """One CSV and one JSON file per country with data, into `out`."""
    for code, rows in sorted(tables.by_country.items()):
        name = tables.site.countries[code].name
        used = sorted({tables.observations[i].indicator for i in rows})
        doc = {
            "country": tables.country_meta[code],
            "indicators": tables.records(tables.indicator_meta, used),
            "observations": tables.observation_list(rows),
            "sources": tables.records(tables.source_meta, tables.sources_of(rows, used)),
        }
        key = code.lower()
        out += [
            Download(f"data/countries/{key}.csv", tables.csv(rows), "text/csv", name, "country", key),
            Download(f"data/countries/{key}.json", _json_document(doc), "application/json", name, "country", key),
        ]


# --- CSV ---------------------------------------------------------------------------------


def format_number(value: float) -> str:
    """The shortest text that reads back as `value`, in plain decimal notation, no `.0`."""
    if value == 0:
        return "0"  # also -0.0
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if text.endswith(".0"):
        text = text[:-2]
    return text


def format_value(value: Union[float, bool, str]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value  # a category code
    return format_number(value)


def csv_text(value: Optional[str]) -> str:
    """A text cell: defused against spreadsheet formulas, line breaks as LF."""
    if value is None:
        return ""
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _csv_line(cells: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue()


CSV_HEADER = _csv_line(list(CSV_COLUMNS))


def _csv_rows(site: Site, observations: list[Observation]) -> list[str]:
    """One CSV line per observation, in order."""
    text = lru_cache(maxsize=None)(csv_text)  # names, titles and ids repeat on most rows
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    lengths = []
    for o in observations:
        ev = o.evidence
        row = [
            text(o.country),
            text(site.countries[o.country].name),
            text(o.indicator),
            str(o.year),
            format_value(o.value),
            text(site.indicators[o.indicator].unit.value),
            text(o.source),
            text(site.sources[o.source].title),
            text(o.note),
            text(o.quality),
            text(ev.title if ev else None),
            text(ev.url if ev else None),
        ]
        lengths.append(writer.writerow(row))  # returns what StringIO.write returns: the length
    whole = buf.getvalue()
    out, start = [], 0
    for n in lengths:
        out.append(whole[start : start + n])
        start += n
    return out


# --- JSON --------------------------------------------------------------------------------


def _json_rows(observations: list[Observation]) -> list[str]:
    """Each observation as compact JSON with sorted keys, exactly as `_compact` would write it."""
    text = lru_cache(maxsize=None)(compact)  # ids repeat on most rows
    out = []
    for o in observations:
        if isinstance(o.value, bool):
            value = "true" if o.value else "false"
        elif isinstance(o.value, str):
            value = text(o.value)
        else:
            n = number(o.value)
            value = str(n) if isinstance(n, int) else float.__repr__(n)  # as json.dumps
        evidence = compact({"title": o.evidence.title, "url": o.evidence.url}) if o.evidence else "null"
        out.append(
            f'{{"country":{text(o.country)},"evidence":{evidence},"indicator":{text(o.indicator)},'
            f'"note":{text(o.note)},"quality":{text(o.quality)},"source":{text(o.source)},"value":{value},'
            f'"year":{o.year}}}'
        )
    return out


def _lines(items: list[str]) -> str:
    """A JSON list of rendered items, one per line (at the second level of a document)."""
    return "[\n    " + ",\n    ".join(items) + "\n  ]" if items else "[]"


def _records(items: dict[str, str]) -> str:
    """A JSON object of rendered records, one per line, keys sorted."""
    if not items:
        return "{}"
    return "{\n" + ",\n".join(f"    {compact(k)}: {items[k]}" for k in sorted(items)) + "\n  }"


def _json_document(head: dict[str, str]) -> bytes:
    """A JSON object of rendered values, keys sorted, one key per line."""
    return ("{\n" + ",\n".join(f"  {compact(k)}: {head[k]}" for k in sorted(head)) + "\n}\n").encode("utf-8")


def _country_json(site: Site, code: str) -> JsonObject:
    view = site.countries[code]
    ref = view.ref
    return {
        "iso3": ref.iso3,
        "iso2": ref.iso2,
        "m49": ref.m49,
        "name": view.name,
        "official_name": ref.official_name,
        "region": ref.region,
        "subregion": ref.subregion,
        "intermediate_region": ref.intermediate_region,
        "ldc": ref.ldc,
        "lldc": ref.lldc,
        "sids": ref.sids,
    }


def _indicator_json(site: Site, ind: Indicator) -> JsonObject:
    target_id = site.indicator_target.get(ind.id)
    target = site.targets.get(target_id) if target_id else None
    return {
        "id": ind.id,
        "title": ind.title,
        "unit": ind.unit.value,
        "goal_value": None if ind.goal_value is None else number(ind.goal_value),
        "direction": ind.direction.value if ind.direction else None,
        "description": ind.description,
        "source": ind.source,
        "target": target_id,
        "goal": target.goal if target else None,
        "relation": ind.relation.value,
        "caveat": ind.caveat,
        "maximum": None if ind.maximum is None else number(ind.maximum),
        "categories": [{"code": c.code, "label": c.label} for c in ind.categories] or None,
    }


def _cited(site: Site, observations: Iterable[Observation], indicators: Iterable[str]) -> list[str]:
    """Ids of the sources cited by these observations and indicators, sorted.

    Observations always cite a declared source; an indicator's may be undeclared in a site
    with errors, and is then left out.
    """
    ids = {o.source for o in observations}
    ids.update(site.indicators[i].source for i in indicators)
    return sorted(i for i in ids if i in site.sources)


def _source_json(key: str, src: Source) -> JsonObject:
    return {
        "id": key,
        "publisher": src.publisher,
        "title": src.title,
        "url": src.url,
        "license": src.license,
        "edition": src.edition,
        "note": src.note,
        "provenance": src.provenance,
        "terms": src.terms,
        "terms_url": src.terms_url,
    }
