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
    value           a plain decimal number, or true/false for a yes-no indicator
    unit            the indicator's unit (percent, per-100, ..., yes-no)
    source          source id
    source_title    the source's title
    note            footnote, may be empty
    evidence_title  for yes-no values: the document that shows it, may be empty
    evidence_url    its address, may be empty

Rows are sorted by (country, indicator, year, source), which is also the primary key.
Numbers are the shortest text that reads back as the same float, in plain decimal
notation (never `1e-05`), without a trailing `.0` (`100`, `35.5`, `0.00002`).
Text cells are defused for spreadsheets: a cell starting with `=`, `+`, `-`, `@`, a tab,
CR or LF gets a leading `'` (contributors are not trusted, and spreadsheets run formulas),
and CR / CRLF inside a cell become LF (a bare CR is not quoted by Python's csv module).

JSON (UTF-8, keys sorted, one record per line). Observations are
`{"country", "indicator", "year", "value", "source", "note", "evidence"}` where evidence
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
import hashlib
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Optional, Union

from connect_site.content.graph import Site
from connect_site.content.observations import FIRST_YEAR, UNIT_RANGES, Observation
from connect_site.content.schema import Indicator, Source, Unit
from connect_site.site.i18n import N_

CSV_COLUMNS = (
    "country",
    "country_name",
    "indicator",
    "year",
    "value",
    "unit",
    "source",
    "source_title",
    "note",
    "evidence_title",
    "evidence_url",
)
PRIMARY_KEY = ["country", "indicator", "year", "source"]
PACKAGE_PATH = "data/datapackage.json"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

JsonObject = dict[str, Any]


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


def downloads(site: Site) -> list[Download]:
    """Every download file for the site, sorted by path."""
    observations = sorted(site.observations, key=lambda o: (o.country, o.indicator, o.year, o.source))
    csv_rows = _csv_rows(site, observations)
    json_rows = _json_rows(observations)
    by_indicator: dict[str, list[int]] = defaultdict(list)
    by_country: dict[str, list[int]] = defaultdict(list)
    for i, o in enumerate(observations):
        by_indicator[o.indicator].append(i)
        by_country[o.country].append(i)
    indicators = sorted(site.indicators)
    # Each record is rendered once, then reused by every document that lists it.
    country_meta = {code: _compact(_country_json(site, code)) for code in by_country}
    indicator_meta = {key: _compact(_indicator_json(site, site.indicators[key])) for key in indicators}
    source_meta = {key: _compact(_source_json(key, src)) for key, src in site.sources.items()}

    def csv_bytes(rows: list[int]) -> bytes:
        return (CSV_HEADER + "".join([csv_rows[i] for i in rows])).encode("utf-8")

    def observation_list(rows: list[int]) -> str:
        return _lines([json_rows[i] for i in rows])

    def sources_of(rows: list[int], indicators: list[str]) -> list[str]:
        return _cited(site, [observations[i] for i in rows], indicators)

    everything = list(range(len(observations)))
    all_csv = csv_bytes(everything)
    all_sources = sources_of(everything, indicators)
    all_json = {
        "countries": _records({c: country_meta[c] for c in sorted(by_country)}),
        "indicators": _records({k: indicator_meta[k] for k in indicators}),
        "observations": observation_list(everything),
        "sources": _records({k: source_meta[k] for k in all_sources}),
    }
    out = [
        Download("data/all.csv", all_csv, "text/csv", N_("All observations"), "all", ""),
        Download("data/all.json", _json_document(all_json), "application/json", N_("All observations"), "all", ""),
    ]

    indicator_csvs: dict[str, bytes] = {}
    indicator_sources: dict[str, list[str]] = {}
    for key in indicators:
        title = site.indicators[key].title
        rows = by_indicator.get(key, [])
        indicator_csvs[key] = csv_bytes(rows)
        indicator_sources[key] = sources_of(rows, [key])
        doc = {
            "countries": _records({c: country_meta[c] for c in sorted({observations[i].country for i in rows})}),
            "indicator": indicator_meta[key],
            "observations": observation_list(rows),
            "sources": _records({k: source_meta[k] for k in indicator_sources[key]}),
        }
        out += [
            Download(f"data/indicators/{key}.csv", indicator_csvs[key], "text/csv", title, "indicator", key),
            Download(
                f"data/indicators/{key}.json",
                _json_document(doc),
                "application/json",
                title,
                "indicator",
                key,
            ),
        ]

    for code, rows in sorted(by_country.items()):
        name = site.countries[code].name
        used = sorted({observations[i].indicator for i in rows})
        doc = {
            "country": country_meta[code],
            "indicators": _records({k: indicator_meta[k] for k in used}),
            "observations": observation_list(rows),
            "sources": _records({k: source_meta[k] for k in sources_of(rows, used)}),
        }
        key = code.lower()
        out += [
            Download(f"data/countries/{key}.csv", csv_bytes(rows), "text/csv", name, "country", key),
            Download(f"data/countries/{key}.json", _json_document(doc), "application/json", name, "country", key),
        ]

    package = datapackage(site, all_csv, all_sources, indicator_csvs, indicator_sources)
    out.append(Download(PACKAGE_PATH, package, "application/json", N_("Data Package descriptor"), "package", ""))
    return sorted(out, key=lambda d: d.path)


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


def format_value(value: Union[float, bool]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
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


def _number(value: float) -> Union[int, float]:
    """Integral floats as JSON integers (100, not 100.0); others unchanged."""
    if value.is_integer() and abs(value) <= 2**53:
        return int(value)
    return value


def _compact(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _json_rows(observations: list[Observation]) -> list[str]:
    """Each observation as compact JSON with sorted keys, exactly as `_compact` would write it."""
    text = lru_cache(maxsize=None)(_compact)  # ids repeat on most rows
    out = []
    for o in observations:
        if isinstance(o.value, bool):
            value = "true" if o.value else "false"
        else:
            number = _number(o.value)
            value = str(number) if isinstance(number, int) else float.__repr__(number)  # as json.dumps
        evidence = _compact({"title": o.evidence.title, "url": o.evidence.url}) if o.evidence else "null"
        out.append(
            f'{{"country":{text(o.country)},"evidence":{evidence},"indicator":{text(o.indicator)},'
            f'"note":{text(o.note)},"source":{text(o.source)},"value":{value},"year":{o.year}}}'
        )
    return out


def _lines(items: list[str]) -> str:
    """A JSON list of rendered items, one per line (at the second level of a document)."""
    return "[\n    " + ",\n    ".join(items) + "\n  ]" if items else "[]"


def _records(items: dict[str, str]) -> str:
    """A JSON object of rendered records, one per line, keys sorted."""
    if not items:
        return "{}"
    return "{\n" + ",\n".join(f"    {_compact(k)}: {items[k]}" for k in sorted(items)) + "\n  }"


def _json_document(head: dict[str, str]) -> bytes:
    """A JSON object of rendered values, keys sorted, one key per line."""
    return ("{\n" + ",\n".join(f"  {_compact(k)}: {head[k]}" for k in sorted(head)) + "\n}\n").encode("utf-8")


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
        "goal_value": None if ind.goal_value is None else _number(ind.goal_value),
        "direction": ind.direction.value if ind.direction else None,
        "description": ind.description,
        "source": ind.source,
        "target": target_id,
        "goal": target.goal if target else None,
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
    }


# --- Data Package ------------------------------------------------------------------------

# Licence texts as contributors write them (normalised: lower case, runs of space, `_`
# and `-` as one `-`) -> Open Definition licence id and title.
_LICENSES = {
    "cc-by-4.0": ("CC-BY-4.0", "Creative Commons Attribution 4.0"),
    "cc-by-sa-4.0": ("CC-BY-SA-4.0", "Creative Commons Attribution Share-Alike 4.0"),
    "cc0": ("CC0-1.0", "Creative Commons CCZero 1.0"),
    "cc0-1.0": ("CC0-1.0", "Creative Commons CCZero 1.0"),
    "odc-pddl-1.0": ("ODC-PDDL-1.0", "Open Data Commons Public Domain Dedication and License 1.0"),
    "odc-by-1.0": ("ODC-BY-1.0", "Open Data Commons Attribution License 1.0"),
    "odbl-1.0": ("ODbL-1.0", "Open Data Commons Open Database License 1.0"),
}
_SLUG_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*"  # Table Schema patterns are implicitly anchored


def _license(src: Source) -> dict[str, str]:
    """A Data Package licence: an Open Definition id when the text is a known licence,
    else the text as title with the source's page as path (exactly one of name/path, as the
    v1 profile's `oneOf` requires)."""
    known = _LICENSES.get(re.sub(r"[\s_-]+", "-", src.license.strip().lower()))
    if known:
        return {"name": known[0], "title": known[1]}
    return {"path": src.url, "title": src.license}


def _licenses(site: Site, ids: list[str]) -> list[dict[str, str]]:
    unique = {_compact(_license(site.sources[i])): _license(site.sources[i]) for i in ids}
    return [unique[k] for k in sorted(unique)]


def _package_sources(site: Site, ids: list[str]) -> list[dict[str, str]]:
    out = []
    for key in ids:
        src = site.sources[key]
        out.append(
            {
                "name": key,
                "title": src.title,
                "path": src.url,
                "publisher": src.publisher,
                "edition": src.edition,
                "license": src.license,
            }
        )
    return out


def _string(name: str, title: str, description: str, **constraints: object) -> JsonObject:
    field: JsonObject = {"name": name, "type": "string", "title": title, "description": description}
    if constraints:
        field["constraints"] = dict(constraints)
    return field


_DEFUSED = " A leading ' was added where the text starts with =, +, -, @ or a control character."


def table_schema(indicator_ids: list[str], unit: Optional[Unit]) -> JsonObject:
    """The Table Schema of an observations CSV: of one indicator with `unit`, or of
    several (`unit` None, `value` then holds numbers or true/false)."""
    units = [unit.value] if unit else [u.value for u in Unit]
    fields = [
        _string(
            "country",
            "Country code",
            "ISO 3166-1 alpha-3 code, upper case.",
            required=True,
            pattern="[A-Z]{3}",
        ),
        _string("country_name", "Country", "The country's name as shown on the site." + _DEFUSED, required=True),
        _string(
            "indicator",
            "Indicator",
            "Indicator id; see the indicators in all.json.",
            required=True,
            **({"enum": indicator_ids} if indicator_ids else {"pattern": _SLUG_PATTERN}),
        ),
        {
            "name": "year",
            "type": "integer",
            "title": "Year",
            "description": "The reference year of the value.",
            "constraints": {"required": True, "minimum": FIRST_YEAR},
        },
        _value_field(unit),
        _string("unit", "Unit", "The indicator's unit.", required=True, enum=units),
        _string("source", "Source", "Source id; see the sources in all.json.", required=True, pattern=_SLUG_PATTERN),
        _string("source_title", "Source title", "The source's title." + _DEFUSED),
        _string("note", "Note", "A footnote for this value; empty when there is none." + _DEFUSED),
        _string("evidence_title", "Evidence", "For yes-no values: the document that shows it." + _DEFUSED),
        {
            "name": "evidence_url",
            "type": "string",
            "format": "uri",
            "title": "Evidence address",
            "description": "Where the evidence document can be read.",
        },
    ]
    return {"fields": fields, "primaryKey": PRIMARY_KEY, "missingValues": [""]}


def _value_field(unit: Optional[Unit]) -> JsonObject:
    field: JsonObject = {"name": "value", "title": "Value"}
    if unit is None:
        field["type"] = "any"
        field["description"] = (
            "A plain decimal number (a dot for decimals, no thousands separators), "
            "or true/false for a yes-no indicator; see the unit column."
        )
        field["constraints"] = {"required": True}
    elif unit is Unit.YES_NO:
        field["type"] = "boolean"
        field["description"] = "true or false."
        field["trueValues"] = ["true"]
        field["falseValues"] = ["false"]
        field["constraints"] = {"required": True}
    else:
        low, high = UNIT_RANGES[unit]
        field["type"] = "number"
        field["description"] = f"A plain decimal number, in {unit.value}."
        constraints: JsonObject = {"required": True, "minimum": _number(low)}
        if high is not None:
            constraints["maximum"] = _number(high)
        field["constraints"] = constraints
    return field


def _resource(
    site: Site, name: str, path: str, title: str, data: bytes, schema: JsonObject, cited: list[str]
) -> JsonObject:
    resource: JsonObject = {
        "profile": "tabular-data-resource",
        "name": name,
        "path": path,
        "title": title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "dialect": {"delimiter": ",", "doubleQuote": True, "header": True, "lineTerminator": "\n", "quoteChar": '"'},
        "schema": schema,
    }
    if cited:
        resource["sources"] = _package_sources(site, cited)
        resource["licenses"] = _licenses(site, cited)
    return resource


def package_name(title: str) -> str:
    """A Data Package name from the site title: lower-case letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "connect-site-data"


def datapackage(
    site: Site,
    all_csv: bytes,
    all_sources: list[str],
    indicator_csvs: dict[str, bytes],
    indicator_sources: dict[str, list[str]],
) -> bytes:
    """`data/datapackage.json`: all.csv and each indicator CSV (paths relative to data/),
    given their bytes and the ids of the sources they cite."""
    indicators = sorted(site.indicators)
    resources = [
        _resource(
            site,
            "all",
            "all.csv",
            "All observations",
            all_csv,
            table_schema(indicators, None),
            all_sources,
        )
    ]
    for ind_id in indicators:
        ind = site.indicators[ind_id]
        resource = _resource(
            site,
            f"indicator-{ind_id}",
            f"indicators/{ind_id}.csv",
            ind.title,
            indicator_csvs[ind_id],
            table_schema([ind_id], ind.unit),
            indicator_sources[ind_id],
        )
        if ind.description:
            resource["description"] = ind.description
        resources.append(resource)
    base = site.config.base_url.rstrip("/")
    package: JsonObject = {
        "profile": "tabular-data-package",
        "name": package_name(site.config.title),
        "id": f"{base}/{PACKAGE_PATH}",
        "title": site.config.title,
        "homepage": f"{base}/data/",
        "resources": resources,
    }
    description = site.config.description or site.config.tagline
    if description:
        package["description"] = description
    if all_sources:
        package["sources"] = _package_sources(site, all_sources)
        package["licenses"] = _licenses(site, all_sources)
    return (json.dumps(package, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")
