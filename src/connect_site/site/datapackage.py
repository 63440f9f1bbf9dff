"""The Data Package descriptor of the downloads (Frictionless Tabular Data Package v1): the
table schema of the CSV files, their licences and sources, and a hash of each file."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Optional, Union

from connect_site.content.fields import UNIT_RANGES, Unit
from connect_site.content.graph import Site
from connect_site.content.observations import FIRST_YEAR
from connect_site.content.schema import Source

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
    "quality",
    "evidence_title",
    "evidence_url",
)
PRIMARY_KEY = ["country", "indicator", "year", "source"]
PACKAGE_PATH = "data/datapackage.json"

JsonObject = dict[str, Any]


def number(value: float) -> Union[int, float]:
    """Integral floats as JSON integers (100, not 100.0); others unchanged."""
    if value.is_integer() and abs(value) <= 2**53:
        return int(value)
    return value


def compact(value: object) -> str:
    """JSON with sorted keys and no spaces: the form every record of the downloads takes."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


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
    unique = {compact(_license(site.sources[i])): _license(site.sources[i]) for i in ids}
    return [unique[k] for k in sorted(unique)]


def _package_sources(site: Site, ids: list[str]) -> list[dict[str, str]]:
    out = []
    for key in ids:
        src = site.sources[key]
        entry = {
            "name": key,
            "title": src.title,
            "path": src.url,
            "publisher": src.publisher,
            "edition": src.edition,
            "license": src.license,
        }
        if src.provenance:  # how the values were copied: for those who check them, not on the pages
            entry["provenance"] = src.provenance
        out.append(entry)
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
        _string("quality", "Quality", "A flag on the value's quality, e.g. 'single source'; may be empty." + _DEFUSED),
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
            "true/false for a yes-no indicator, or a category code; see the unit column."
        )
        field["constraints"] = {"required": True}
    elif unit is Unit.CATEGORY:
        field["type"] = "string"
        field["description"] = "A category code; the indicator (see all.json) lists each code and its label."
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
        constraints: JsonObject = {"required": True, "minimum": number(low)}
        if high is not None:
            constraints["maximum"] = number(high)
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
