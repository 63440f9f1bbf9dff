"""The data downloads (`connect_site.exports`): golden files, determinism, round trips, the Data Package.

Golden files: tests/golden/downloads/<path> holds every file `downloads()` makes for the tiny
fixture, byte for byte (tests/golden/downloads/.gitattributes keeps git from touching line
endings). After an intended change to the output, regenerate them from the repository root
with

    make golden

and review the diff before committing.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import math
import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional, Union

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import TESTS
from connect_site.content.fields import Unit
from connect_site.content.graph import Site
from connect_site.content.observations import Observation
from connect_site.pipeline import CheckResult, check
from connect_site.site.datapackage import CSV_COLUMNS
from connect_site.site.exports import Download, csv_text, downloads, format_number

HERE = TESTS
TINY = HERE / "fixtures" / "tiny" / "content"
REAL = HERE.parent / "content"
GOLDEN = HERE / "golden" / "downloads"
KEEP = {".gitattributes"}  # files in GOLDEN that are not downloads
REAL_OBSERVATIONS = 38_585  # what `connect-site check` counts in content/

MakeSite = Callable[[dict[str, Optional[str]]], Path]


def tiny_site(content: Path = TINY) -> Site:
    result = check(content, display_root="content", year=2026)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.site is not None
    return result.site


def by_path(files: list[Download]) -> dict[str, Download]:
    return {d.path: d for d in files}


def golden_files() -> dict[str, bytes]:
    return {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes()
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file() and p.name not in KEEP
    }


def regenerate() -> None:
    files = {d.path: d.data for d in downloads(tiny_site())}
    for rel in golden_files():
        if rel not in files:
            (GOLDEN / rel).unlink()
    for rel, data in files.items():
        path = GOLDEN / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(files)} files to {GOLDEN}")


def rows(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    assert tuple(header) == CSV_COLUMNS
    return [dict(zip(header, r, strict=True)) for r in reader]


def read_value(text: str, unit: str) -> Union[float, bool, str]:
    if unit == "category":
        return text  # a category's code ("A" to "D")
    return text == "true" if text in ("true", "false") else float(text)


def expected_rows(site: Site, observations: list[Observation]) -> list[tuple[object, ...]]:
    return [
        (
            o.country,
            site.countries[o.country].name,
            o.indicator,
            o.year,
            type(o.value),
            o.value,
            site.indicators[o.indicator].unit.value,
            o.source,
            site.sources[o.source].title,
            o.note or "",
            o.quality or "",
            o.evidence.title if o.evidence else "",
            o.evidence.url if o.evidence else "",
        )
        for o in sorted(observations, key=lambda o: (o.country, o.indicator, o.year, o.source))
    ]


def parsed_rows(data: bytes) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for r in rows(data):
        value = read_value(r["value"], r["unit"])
        out.append(
            (
                r["country"],
                r["country_name"],
                r["indicator"],
                int(r["year"]),
                type(value),
                value,
                r["unit"],
                r["source"],
                r["source_title"],
                r["note"],
                r["quality"],
                r["evidence_title"],
                r["evidence_url"],
            )
        )
    return out


def grouped(site: Site) -> tuple[dict[str, list[Observation]], dict[str, list[Observation]]]:
    by_indicator: dict[str, list[Observation]] = defaultdict(list)
    by_country: dict[str, list[Observation]] = defaultdict(list)
    for o in site.observations:
        by_indicator[o.indicator].append(o)
        by_country[o.country].append(o)
    return by_indicator, by_country


@pytest.fixture(scope="module")
def tiny() -> tuple[Site, list[Download]]:
    site = tiny_site()
    return site, downloads(site)


@pytest.fixture(scope="module")
def real(real_result: CheckResult) -> tuple[Site, list[Download]]:
    assert real_result.site is not None
    return real_result.site, downloads(real_result.site)


# --- golden files and the shape of the list ------------------------------------------------


def test_matches_golden_files(tiny: tuple[Site, list[Download]]) -> None:
    produced = {d.path: d.data for d in tiny[1]}
    golden = golden_files()
    hint = "regenerate with: make golden"
    assert sorted(produced) == sorted(golden), hint
    for path, data in produced.items():
        if data != golden[path]:
            diff = difflib.unified_diff(
                golden[path].decode("utf-8", "replace").splitlines(),
                data.decode("utf-8", "replace").splitlines(),
                f"golden/{path}",
                path,
                lineterm="",
                n=1,
            )
            pytest.fail("\n".join([*list(diff)[:40], hint]))


def test_list_is_sorted_and_described(tiny: tuple[Site, list[Download]]) -> None:
    files = tiny[1]
    paths = [d.path for d in files]
    assert paths == sorted(paths) and len(set(paths)) == len(paths)
    assert by_path(files)["data/all.csv"].group == "all"
    assert by_path(files)["data/datapackage.json"].group == "package"
    for d in files:
        assert d.path.startswith("data/") and "\\" not in d.path
        assert d.media_type == ("text/csv" if d.path.endswith(".csv") else "application/json")
        assert d.title.endswith(" (CSV)" if d.path.endswith(".csv") else " (JSON)")
        assert d.group in ("all", "indicator", "country", "package")
        if d.group == "indicator":
            assert d.path in (f"data/indicators/{d.key}.csv", f"data/indicators/{d.key}.json")
        elif d.group == "country":
            assert d.path in (f"data/countries/{d.key}.csv", f"data/countries/{d.key}.json")
        else:
            assert d.key == ""
    assert by_path(files)["data/indicators/internet-users.csv"].title == "Individuals using the Internet (CSV)"
    assert by_path(files)["data/countries/ken.json"].title == "Kenya (JSON)"


# --- determinism -----------------------------------------------------------------------------

_HASHES = """
import hashlib, sys
from pathlib import Path
from connect_site.site.exports import downloads
from connect_site.pipeline import check
for root, year in ((sys.argv[1], 2026), (sys.argv[2], None)):
    for d in downloads(check(Path(root), display_root="content", year=year).site):
        print(root, d.path, hashlib.sha256(d.data).hexdigest())
"""


def test_two_calls_give_the_same_bytes(tiny: tuple[Site, list[Download]]) -> None:
    assert downloads(tiny[0]) == tiny[1]
    assert downloads(tiny_site()) == tiny[1]


def test_same_bytes_with_another_hash_seed_time_zone_and_locale(
    tiny: tuple[Site, list[Download]], real: tuple[Site, list[Download]]
) -> None:
    env = {**os.environ, "PYTHONHASHSEED": "4242", "TZ": "Pacific/Chatham", "LC_ALL": "C", "LANG": "C"}
    out = subprocess.run(
        [sys.executable, "-c", _HASHES, str(TINY), str(REAL)], env=env, capture_output=True, text=True, check=True
    ).stdout
    expected = [
        f"{root} {d.path} {hashlib.sha256(d.data).hexdigest()}"
        for root, files in ((TINY, tiny[1]), (REAL, real[1]))
        for d in files
    ]
    assert out.splitlines() == expected


# --- CSV and JSON content ---------------------------------------------------------------------


@pytest.mark.parametrize("which", ["tiny", "real"])
def test_csv_reads_back_as_the_observations(which: str, request: pytest.FixtureRequest) -> None:
    site, files = request.getfixturevalue(which)
    got = by_path(files)
    assert parsed_rows(got["data/all.csv"].data) == expected_rows(site, site.observations)
    by_indicator, by_country = grouped(site)
    for ind in site.indicators:
        assert parsed_rows(got[f"data/indicators/{ind}.csv"].data) == expected_rows(site, by_indicator[ind])
    for code in site.countries_with_data():
        assert parsed_rows(got[f"data/countries/{code.lower()}.csv"].data) == expected_rows(site, by_country[code])


@pytest.mark.parametrize("which", ["tiny", "real"])
def test_json_reads_back_and_is_self_contained(which: str, request: pytest.FixtureRequest) -> None:
    site, files = request.getfixturevalue(which)
    want = {
        id(o): {
            "country": o.country,
            "indicator": o.indicator,
            "year": o.year,
            "value": o.value,
            "source": o.source,
            "note": o.note,
            "quality": o.quality,
            "evidence": {"title": o.evidence.title, "url": o.evidence.url} if o.evidence else None,
        }
        for o in site.observations
    }
    ordered = sorted(site.observations, key=lambda o: (o.country, o.indicator, o.year, o.source))
    by_indicator: dict[str, list[object]] = defaultdict(list)
    by_country: dict[str, list[object]] = defaultdict(list)
    for o in ordered:
        by_indicator[o.indicator].append(want[id(o)])
        by_country[o.country].append(want[id(o)])
    for d in files:
        if d.media_type != "application/json" or d.group == "package":
            continue
        doc = json.loads(d.data)
        if which == "tiny" or d.group == "all" or d.key in ("internet-users", "ken"):
            assert d.data == canonical_layout(doc)
        if d.group == "all":
            assert doc["observations"] == [want[id(o)] for o in ordered]
        elif d.group == "indicator":
            assert doc["indicator"]["id"] == d.key
            assert doc["observations"] == by_indicator[d.key]
        else:
            assert doc["country"]["iso3"] == d.key.upper()
            assert doc["observations"] == by_country[d.key.upper()]
        countries = doc["countries"] if "countries" in doc else {doc["country"]["iso3"]: 0}
        indicators = doc["indicators"] if "indicators" in doc else {doc["indicator"]["id"]: 0}
        assert {o["country"] for o in doc["observations"]} == set(countries)
        assert {o["indicator"] for o in doc["observations"]} <= set(indicators)
        assert {o["source"] for o in doc["observations"]} <= set(doc["sources"])
        for o in doc["observations"]:  # 1 == True in Python: check the JSON type too
            unit = site.indicators[o["indicator"]].unit
            expected = (bool,) if unit is Unit.YES_NO else (str,) if unit is Unit.CATEGORY else (int, float)
            assert type(o["value"]) in expected
    everything = json.loads(by_path(files)["data/all.json"].data)
    assert sorted(everything["indicators"]) == sorted(site.indicators)
    assert sorted(everything["countries"]) == site.countries_with_data()


def canonical_layout(doc: dict[str, Any]) -> bytes:
    """The documented JSON layout: sorted keys, one record (observation, country, ...) per line."""

    def compact(v: object) -> str:
        return json.dumps(v, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    parts = []
    for k in sorted(doc):
        v = doc[k]
        if isinstance(v, list) and v:
            text = "[\n" + ",\n".join("    " + compact(x) for x in v) + "\n  ]"
        elif isinstance(v, dict) and v and all(isinstance(x, dict) for x in v.values()):
            text = "{\n" + ",\n".join(f"    {compact(x)}: {compact(v[x])}" for x in sorted(v)) + "\n  }"
        else:
            text = compact(v)
        parts.append(f"  {compact(k)}: {text}")
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (100.0, "100"),
        (35.5, "35.5"),
        (0.0, "0"),
        (-0.0, "0"),
        (2e-05, "0.00002"),
        (1.5e-07, "0.00000015"),
        (0.1 + 0.2, "0.30000000000000004"),
        (10129446.724097, "10129446.724097"),
        (12345678.0, "12345678"),
        (1e16, "10000000000000000"),
        (123456789012345678.0, "123456789012345680"),
        (1e22, "10000000000000000000000"),
    ],
)
def test_numbers_are_plain_decimals(value: float, text: str) -> None:
    assert format_number(value) == text
    assert float(text) == value


@given(st.floats(min_value=0, max_value=1e18, allow_nan=False, allow_infinity=False))
def test_every_number_round_trips_in_plain_decimal(value: float) -> None:
    text = format_number(value)
    assert float(text) == value
    assert re.fullmatch(r"[0-9]+(\.[0-9]*[1-9])?", text), text
    assert Decimal(text) == Decimal(repr(value))  # the shortest digits, not the exact binary value


# --- CSV formula injection -------------------------------------------------------------------


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_text_cells_starting_like_a_formula_get_a_quote(first: str) -> None:
    assert csv_text(first + "1+1").startswith("'")


def test_ordinary_text_cells_are_unchanged() -> None:
    for text in ("Kenya", "a note, with a comma", "'quoted", "1 = 1", "https://example.org/?a=-1", ""):
        assert csv_text(text) == text
    assert csv_text(None) == ""
    assert csv_text("one\r\ntwo\rthree") == "one\ntwo\nthree"  # a bare CR is not quoted by csv


def test_formula_injection_is_defused_end_to_end(make_site: MakeSite) -> None:
    content = make_site(
        {
            "countries/KEN.yaml": (
                "name: '=HYPERLINK(\"http://evil.example\")'\n"
                "statistics:\n"
                "  - indicator: digital-strategy\n"
                "    year: 2022\n"
                "    value: true\n"
                "    note: \"+cmd|' /C calc'!A0\"\n"
                "    evidence:\n"
                '      title: "@SUM(1+1)*cmd"\n'
                '      url: "https://example.org/ken-plan.pdf"\n'
            ),
            "data/internet-users.csv": 'country,year,value,note\nNOR,2023,99,"-2+3"\nKEN,2021,30,=1+1\n',
            "sources.yaml": (
                "test-src:\n"
                '  publisher: "Test publisher"\n'
                '  title: "=Test dataset"\n'
                '  url: "https://example.org/data"\n'
                '  license: "CC BY 4.0"\n'
                '  edition: "2024"\n'
            ),
        }
    )
    files = by_path(downloads(tiny_site(content)))
    cells = {(r["country"], r["indicator"]): r for r in rows(files["data/all.csv"].data)}
    ken_plan = cells[("KEN", "digital-strategy")]
    assert ken_plan["country_name"] == '\'=HYPERLINK("http://evil.example")'
    assert ken_plan["note"] == "'+cmd|' /C calc'!A0"
    assert ken_plan["evidence_title"] == "'@SUM(1+1)*cmd"
    assert ken_plan["source_title"] == "'=Test dataset"
    assert ken_plan["evidence_url"] == "https://example.org/ken-plan.pdf"
    assert cells[("NOR", "internet-users")]["note"] == "'-2+3"
    assert cells[("KEN", "internet-users")]["note"] == "'=1+1"
    assert cells[("NOR", "internet-users")]["value"] == "99"
    for path in ("data/countries/ken.csv", "data/indicators/digital-strategy.csv"):
        assert rows(files[path].data)[0]["country_name"].startswith("'=")
    # JSON is data, not a spreadsheet: the text stays as written.
    ken = json.loads(files["data/countries/ken.json"].data)
    assert ken["country"]["name"] == '=HYPERLINK("http://evil.example")'
    assert ken["observations"][0]["note"] == "+cmd|' /C calc'!A0"
    assert ken["sources"]["test-src"]["title"] == "=Test dataset"


# --- edge cases ------------------------------------------------------------------------------


def test_indicator_without_observations_still_has_files(make_site: MakeSite) -> None:
    target = (TINY / "targets" / "2.10.yaml").read_text(encoding="utf-8")
    extra = 'indicators:\n  - id: no-data-yet\n    title: "Not measured yet"\n    unit: count\n    source: test-src\n'
    files = by_path(downloads(tiny_site(make_site({"targets/2.10.yaml": target + extra}))))
    assert files["data/indicators/no-data-yet.csv"].data == (",".join(CSV_COLUMNS) + "\n").encode()
    doc = json.loads(files["data/indicators/no-data-yet.json"].data)
    assert doc["observations"] == [] and doc["countries"] == {}
    assert doc["indicator"]["target"] == "2.10" and list(doc["sources"]) == ["test-src"]
    package = json.loads(files["data/datapackage.json"].data)
    resource = next(r for r in package["resources"] if r["path"] == "indicators/no-data-yet.csv")
    assert resource["bytes"] == len(files["data/indicators/no-data-yet.csv"].data)
    assert {"name": "value", "type": "number"}.items() <= resource["schema"]["fields"][4].items()
    assert datapackage_problems(package) == []


# --- the Data Package ------------------------------------------------------------------------

_NAME = re.compile(r"^([-a-z0-9._/])+$")
_LICENSE_NAME = re.compile(r"^([-a-zA-Z0-9._])+$")
_PATH = re.compile(r"^(?=^[^./~])(^((?!\.{2}).)*$).*$")
_HASH = re.compile(r"^([^:]+:[a-fA-F0-9]+|[a-fA-F0-9]{32}|)$")
_TYPES = {
    "string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime",
    "year", "yearmonth", "duration", "geopoint", "geojson", "any",
}  # fmt: skip
_CONSTRAINTS = {
    "string": {"required", "unique", "enum", "pattern", "minLength", "maxLength"},
    "number": {"required", "unique", "enum", "minimum", "maximum"},
    "integer": {"required", "unique", "enum", "minimum", "maximum"},
    "boolean": {"required", "enum"},
    "any": {"required", "unique", "enum"},
}


def datapackage_problems(dp: dict[str, Any]) -> list[str]:
    """What breaks the Tabular Data Package v1 profile (its required fields and patterns)."""
    bad: list[str] = []

    def need(ok: object, what: str) -> None:
        if not ok:
            bad.append(what)

    def licenses(items: object, where: str) -> None:
        need(isinstance(items, list) and items, f"{where}: licenses must be a non-empty list")
        for lic in items if isinstance(items, list) else []:
            need(("name" in lic) != ("path" in lic), f"{where}: a licence has exactly one of name/path (oneOf)")
            need("name" not in lic or _LICENSE_NAME.match(lic["name"]), f"{where}: licence name {lic.get('name')}")
            need("path" not in lic or _PATH.match(lic["path"]), f"{where}: licence path")

    def sources(items: object, where: str) -> None:
        for src in items if isinstance(items, list) else [None]:
            need(isinstance(src, dict) and isinstance(src.get("title"), str), f"{where}: a source needs a title")
            need(isinstance(src, dict) and _PATH.match(src.get("path", "x")), f"{where}: source path")

    need(dp.get("profile") == "tabular-data-package", "profile")
    need(isinstance(dp.get("name"), str) and _NAME.match(dp["name"]), "package name")
    need("created" not in dp, "no created timestamp")
    for key in ("title", "description", "homepage", "id"):
        need(isinstance(dp.get(key, ""), str), f"{key} is a string")
    if "licenses" in dp:
        licenses(dp["licenses"], "package")
    if "sources" in dp:
        sources(dp["sources"], "package")
    resources = dp.get("resources")
    need(isinstance(resources, list) and resources, "resources must be a non-empty list")
    names = [r.get("name") for r in resources or []]
    need(len(names) == len(set(names)), "resource names are unique")
    for r in resources or []:
        where = f"resource {r.get('name')}"
        need(r.get("profile") == "tabular-data-resource", f"{where}: profile")
        need(isinstance(r.get("name"), str) and _NAME.match(r["name"]), f"{where}: name")
        need(isinstance(r.get("path"), str) and _PATH.match(r["path"]), f"{where}: path")
        need(r.get("format") == "csv" and r.get("mediatype") == "text/csv", f"{where}: format, mediatype")
        need(r.get("encoding") == "utf-8", f"{where}: encoding")
        need(isinstance(r.get("bytes"), int) and _HASH.match(r.get("hash", "")), f"{where}: bytes, hash")
        need({"delimiter", "doubleQuote"} <= set(r.get("dialect", {})), f"{where}: dialect")
        if "licenses" in r:
            licenses(r["licenses"], where)
        if "sources" in r:
            sources(r["sources"], where)
        schema = r.get("schema")
        need(
            isinstance(schema, dict) and isinstance(schema.get("fields"), list) and schema["fields"], f"{where}: fields"
        )
        fields = schema.get("fields", []) if isinstance(schema, dict) else []
        field_names = [f.get("name") for f in fields]
        need(len(field_names) == len(set(field_names)), f"{where}: field names are unique")
        for f in fields:
            need(isinstance(f.get("name"), str), f"{where}: a field needs a name")
            kind = f.get("type", "string")
            need(kind in _TYPES, f"{where}: field {f.get('name')} type {kind}")
            need(
                set(f.get("constraints", {})) <= _CONSTRAINTS.get(kind, set()), f"{where}: {f.get('name')} constraints"
            )
            need(f.get("format", "default") in ("default", "uri", "email"), f"{where}: {f.get('name')} format")
            if kind == "boolean":
                need(f.get("trueValues") == ["true"] and f.get("falseValues") == ["false"], f"{where}: true/false")
        primary = schema.get("primaryKey", []) if isinstance(schema, dict) else []
        need(set(primary) <= set(field_names), f"{where}: primaryKey names fields")
        need(all(isinstance(m, str) for m in schema.get("missingValues", [])), f"{where}: missingValues")
    return bad


@pytest.mark.parametrize("which", ["tiny", "real"])
def test_datapackage_follows_the_v1_profile(which: str, request: pytest.FixtureRequest) -> None:
    site, files = request.getfixturevalue(which)
    package = json.loads(by_path(files)["data/datapackage.json"].data)
    assert datapackage_problems(package) == []
    assert package["title"] == site.config.title
    assert package.get("description") == (site.config.description or site.config.tagline)
    assert package["homepage"] == site.config.base_url.rstrip("/") + "/data/"
    cited = {o.source for o in site.observations} | {i.source for i in site.indicators.values()}
    assert sorted(s["name"] for s in package["sources"]) == sorted(cited)
    for src in package["sources"]:
        assert (src["title"], src["path"], src["license"]) == (
            site.sources[src["name"]].title,
            site.sources[src["name"]].url,
            site.sources[src["name"]].license,
        )
    licenses = {json.dumps(lic, sort_keys=True) for r in package["resources"] for lic in r["licenses"]}
    assert licenses == {json.dumps(lic, sort_keys=True) for lic in package["licenses"]}


@pytest.mark.parametrize("which", ["tiny", "real"])
def test_datapackage_describes_the_csv_files(which: str, request: pytest.FixtureRequest) -> None:
    site, files = request.getfixturevalue(which)
    package = json.loads(by_path(files)["data/datapackage.json"].data)
    csvs = {d.path.removeprefix("data/"): d.data for d in files if d.path.endswith(".csv")}
    described = {r["path"]: r for r in package["resources"]}
    # every CSV except the per-country ones (row subsets of all.csv with the same header)
    assert sorted(described) == sorted(p for p in csvs if not p.startswith("countries/"))
    assert sorted(described) == sorted(["all.csv"] + [f"indicators/{i}.csv" for i in site.indicators])
    for data in csvs.values():
        assert data.split(b"\n", 1)[0].decode() == ",".join(CSV_COLUMNS)
    for path, r in described.items():
        data = csvs[path]
        header = next(csv.reader(io.StringIO(data.decode("utf-8"))))
        assert [f["name"] for f in r["schema"]["fields"]] == header
        assert r["bytes"] == len(data) and r["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert r["name"] == ("all" if path == "all.csv" else "indicator-" + path.removeprefix("indicators/")[:-4])
        value = r["schema"]["fields"][4]
        for row in rows(data):  # the declared types and constraints hold
            assert re.fullmatch(r"[A-Z]{3}", row["country"])
            assert (
                row["indicator"]
                in next(f for f in r["schema"]["fields"] if f["name"] == "indicator")["constraints"]["enum"]
            )
            if value["type"] == "boolean":
                assert row["value"] in ("true", "false")
            elif value["type"] == "number":
                number = float(row["value"])
                assert math.isfinite(number) and value["constraints"]["minimum"] <= number
                assert number <= value["constraints"].get("maximum", math.inf)


# --- the real content ------------------------------------------------------------------------


def test_real_content_has_every_download(real: tuple[Site, list[Download]]) -> None:
    site, files = real
    got = by_path(files)
    assert len(site.indicators) == 41  # 25 before the focus targets' 16
    for ind in site.indicators:
        assert f"data/indicators/{ind}.csv" in got and f"data/indicators/{ind}.json" in got
    with_data = site.countries_with_data()
    assert len(with_data) >= 190
    for code in with_data:
        assert f"data/countries/{code.lower()}.csv" in got and f"data/countries/{code.lower()}.json" in got
    assert {d.path for d in files if d.group == "country"} == {
        f"data/countries/{c.lower()}.{ext}" for c in with_data for ext in ("csv", "json")
    }
    assert len(files) == 3 + 2 * len(site.indicators) + 2 * len(with_data)
    assert len(rows(got["data/all.csv"].data)) == REAL_OBSERVATIONS
    assert (
        sum(len(rows(d.data)) for d in files if d.group == "indicator" and d.path.endswith(".csv")) == REAL_OBSERVATIONS
    )
    assert len(json.loads(got["data/all.json"].data)["observations"]) == REAL_OBSERVATIONS


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit(f"usage: python {sys.argv[0]} --regenerate   (rewrites {GOLDEN})")
    regenerate()
