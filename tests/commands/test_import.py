"""`connect-site import`: real SDMX messages and spreadsheets into the tidy tables, cell by cell.

The SDMX files and the DESI export are real (tests/fixtures/import/README.md); the spreadsheets
are written here, in the layouts offices use. Every broken input must give its diagnostic at
the cell or line to fix, exit 1, and leave the content folder byte-identical.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from conftest import TESTS, run, write_site
from connect_site import cli
from connect_site.errors import Reporter
from connect_site.imports.records import country_of, year_of
from connect_site.imports.sdmx import read_sdmx_csv, read_sdmx_ml

FIXTURES = TESTS / "fixtures" / "import"
REAL = TESTS.parent / "content"

TARGET = """id: "1.4"
goal: 1
title: "Digital strategy"
text: "By 2023, all countries adopt a digital agenda/strategy"
deadline: 2023
focus: true
source: test-src
indicators:
  - id: digital-strategy
    title: "Digital strategy adopted"
    unit: yes-no
    source: test-src
  - id: internet-users
    title: "Individuals using the Internet"
    unit: percent
    goal_value: 70
    direction: increase
    source: test-src
  - id: population
    title: "Resident population on 1 January"
    unit: count
    source: test-src
  - id: gdp
    title: "Gross domestic product, million euro"
    unit: per-100
    source: test-src
  - id: egov-share
    title: "eGovernment users, as a share"
    unit: index
    source: test-src
  - id: life-expectancy
    title: "Life expectancy at birth, years"
    unit: score
    source: test-src
"""
SOURCES = """
istat:
  publisher: "ISTAT"
  title: "Resident population"
  url: "https://www.istat.it/"
  license: "CC BY 4.0"
  edition: "2024"
eurostat:
  publisher: "Eurostat"
  title: "National accounts"
  url: "https://ec.europa.eu/eurostat"
  license: "CC BY 4.0"
  edition: "2024"
ec-desi:
  publisher: "European Commission"
  title: "DESI"
  url: "https://digital-strategy.ec.europa.eu/"
  license: "CC BY 4.0"
  edition: "2024"
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = write_site(tmp_path, {"targets/1.4.yaml": TARGET})
    with open(folder / "sources.yaml", "a", encoding="utf-8") as fh:
        fh.write(SOURCES)
    return folder


def import_(content: Path, *args: object) -> Result:
    return CliRunner().invoke(cli.main, ["import", *map(str, args), "--content", str(content)])


def table(content: Path, indicator: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((content / "data" / f"{indicator}.csv").read_text(encoding="utf-8"))))


def values(content: Path, indicator: str) -> dict[tuple[str, str], str]:
    return {(r["country"], r["year"]): r["value"] for r in table(content, indicator)}


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- real SDMX-ML, to the values the source states ------------------------------------------


def test_structure_specific_istat(content: Path) -> None:
    result = import_(
        content, FIXTURES / "ISTAT_22_289.xml", "--indicator", "population", "--source", "istat", "--select", "SEX=1"
    )
    assert result.exit_code == 0, result.output
    rows = {(r["country"], r["year"]): (r["value"], r["source"], r["quality"]) for r in table(content, "population")}
    assert rows == {  # ISTAT_22_289.xml lines 24-27: <Obs TIME_PERIOD="2019" OBS_VALUE="29131195"/> ...
        ("ITA", "2019"): ("29131195", "istat", ""),
        ("ITA", "2020"): ("29050096", "istat", ""),
        ("ITA", "2021"): ("28866226", "istat", ""),
        ("ITA", "2022"): ("28747417", "istat", "estimated value"),  # OBS_STATUS="e"
    }
    assert "4 taken, 4 of other series" in result.output
    assert run(content).ok


def test_structure_specific_eurostat_lower_case_dimensions(content: Path) -> None:
    result = import_(content, FIXTURES / "ESTAT_NAMA_10_GDP-ss.xml", "--indicator", "gdp", "--source", "eurostat")
    assert result.exit_code == 0, result.output
    assert values(content, "gdp") == {  # geo="LU": the alpha-2 code
        ("LUX", "2012"): "46526.2",
        ("LUX", "2013"): "49094.5",
        ("LUX", "2014"): "51791.3",
        ("LUX", "2015"): "54142.3",
    }


def test_cross_sectional_measures(content: Path) -> None:
    path = FIXTURES / "v21_xml_demography_demography_xs.xml"
    result = import_(
        content,
        path,
        "--indicator",
        "life-expectancy",
        "--source",
        "eurostat",
        "--select",
        "DEMO=LEXPNSIT",
        "--select",
        "SEX=T",
    )
    assert result.exit_code == 0, result.output
    got = values(content, "life-expectancy")
    assert (
        got[("BEL", "2007")] == "80.2" and got[("BEL", "2009")] == "80.6"
    )  # <Obs xsi:type="demo:LEXPNSIT" OBS_VALUE=...>


def test_generic_message_m49_code_and_series_key(content: Path) -> None:
    """WITS gives REPORTER=840 (M49 for the United States) in 1989, before the years the site takes."""
    result = import_(
        content, FIXTURES / "WB_gh-78.xml", "--indicator", "gdp", "--source", "eurostat", "--country-field", "REPORTER"
    )
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith(
        "WB_gh-78.xml:43:1: error[out-of-range]: the year 1989 is outside 1990.."
    ) or first.startswith(f"{FIXTURES / 'WB_gh-78.xml'}:43:1: error[out-of-range]: the year 1989 is outside 1990..")
    assert "REPORTER=840" in first


def test_generic_message_parsed() -> None:
    report = Reporter()
    records = list(read_sdmx_ml(FIXTURES / "ECB_EXR_ng-ts-gf.xml", "exr.xml", report))
    assert not report.items
    first = records[0]
    assert (first.fields["CURRENCY"], first.fields["TIME_PERIOD"], first.fields["OBS_VALUE"]) == (
        "CHF",
        "2010-08",
        "1.3413",
    )
    assert first.line == 30 and "CURRENCY=CHF" in first.key


def test_sdmx_csv_specification_examples() -> None:
    report = Reporter()
    plain = list(read_sdmx_csv((FIXTURES / "v3_csv_example-01.csv").read_text(encoding="utf-8"), "1.csv", report))
    labelled = list(read_sdmx_csv((FIXTURES / "v3_csv_example-04.csv").read_text(encoding="utf-8"), "4.csv", report))
    assert not report.items
    for records in (plain, labelled):
        assert [(r.fields["DIM_1"], r.fields["DIM_3"], r.fields["OBS_VALUE"]) for r in records] == [
            ("A", "2014-01", "12.4"),
            ("A", "2014-02", "10.8"),
        ]
    assert labelled[0].fields["ATTR_2"] == "Y"  # "Y: Oui": the code, not the label


def nama_as_sdmx_csv(version: str) -> str:
    """Eurostat's NAMA_10_GDP observations (the .xml above) laid out as SDMX-CSV 1.0 or 2.0."""
    report = Reporter()
    rows = list(read_sdmx_ml(FIXTURES / "ESTAT_NAMA_10_GDP-ss.xml", "x", report))
    head = ["DATAFLOW"] if version == "1.0" else ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    flow = ["ESTAT:NAMA_10_GDP(1.0)"] if version == "1.0" else ["dataflow", "ESTAT:NAMA_10_GDP(1.0)", "I"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*head, "freq", "unit", "na_item", "geo", "TIME_PERIOD", "OBS_VALUE"])
    for r in rows:
        f = r.fields
        writer.writerow([*flow, f["freq"], f["unit"], f["na_item"], f["geo"], f["TIME_PERIOD"], f["OBS_VALUE"]])
    return out.getvalue()


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_sdmx_csv_imports_as_sdmx_ml_does(content: Path, tmp_path: Path, version: str) -> None:
    import_(content, FIXTURES / "ESTAT_NAMA_10_GDP-ss.xml", "--indicator", "gdp", "--source", "eurostat")
    from_xml = (content / "data" / "gdp.csv").read_bytes()
    (content / "data" / "gdp.csv").unlink()
    path = tmp_path / "nama.csv"
    path.write_text(nama_as_sdmx_csv(version), encoding="utf-8")
    result = import_(content, path, "--indicator", "gdp", "--source", "eurostat")
    assert result.exit_code == 0, result.output
    assert (content / "data" / "gdp.csv").read_bytes() == from_xml


# -- a real long CSV, and spreadsheets in every layout -----------------------------------------


def test_desi_export(content: Path) -> None:
    path = FIXTURES / "desi-egov-users.csv"
    args = ("--indicator", "egov-share", "--source", "ec-desi")
    mixed = import_(content, path, *args)
    assert mixed.exit_code == 1 and "error[duplicate-observation]" in mixed.output
    assert "e.g. --select breakdown=" in mixed.output or "e.g. --select indicator=" in mixed.output
    aggregate = import_(content, path, *args, "--select", "indicator=desi_5a1_egovu")
    assert aggregate.exit_code == 1 and "'EU' is not a country or area" in aggregate.output
    result = import_(content, path, *args, "--select", "indicator=desi_5a1_egovu", "--skip-unknown-countries")
    assert result.exit_code == 0, result.output
    got = values(content, "egov-share")
    assert got[("AUT", "2015")] == "0.584026"  # "…/AT/2015","2015","AT",…,0.584026
    assert got[("GRC", "2019")] == "0.361938"  # EL is Greece
    assert got[("GBR", "2020")] == "0.885002"  # UK is the United Kingdom
    assert "6 of areas that are not countries (EU)" in result.output
    # The site's own table came from the same export, shown x100 (content/data/README.md).
    site = {
        (r["country"], r["year"]): float(r["value"])
        for r in csv.DictReader(open(REAL / "data" / "egov-users-eu.csv", encoding="utf-8"))
    }
    assert set(site) == set(got)
    assert all(abs(float(got[k]) * 100 - v) < 1e-9 for k, v in site.items())


WIDE = [
    ["Enquête TIC 2024 — Institut national de la statistique"],
    [],
    ["Pays", "Code", 2021, 2022, "2023"],
    ["Kenya", "KEN", 30.5, 35.25, ".."],
    ["Norvège", "NOR", 98, 99, 99.5],
    ["Rwanda", "RWA", "n/a", 26.0, 30.1],
]
LONG = [
    ["country", "year", "value"],
    ["كينيا", 2021, 30.5],
    ["肯尼亚", 2022, 35.25],
    ["Norway", 2021, 98],
    ["NO", 2022, 99],
    ["578", 2023, 99.5],
    ["Руанда", 2022, 26],
    ["RW", 2023, 30.1],
]


def xlsx(path: Path, rows: list[list[object]], sheet: str = "Sheet1") -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def semicolons(path: Path, rows: list[list[object]]) -> Path:
    """A CSV as a French-language spreadsheet saves it: ';' between cells, a decimal comma."""
    text = "\n".join(
        ";".join(str(c).replace(".", ",") if isinstance(c, float) else str(c) for c in row) for row in rows
    )
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_wide_and_long_layouts_give_the_same_table(content: Path, tmp_path: Path) -> None:
    args = ("--indicator", "internet-users", "--source", "istat")
    made = []
    for path in (
        xlsx(tmp_path / "wide.xlsx", WIDE, "Données"),
        xlsx(tmp_path / "long.xlsx", LONG),
        semicolons(tmp_path / "wide.csv", WIDE),
    ):
        (content / "data" / "internet-users.csv").write_text("country,year,value\n", encoding="utf-8")
        result = import_(content, path, *args)
        assert result.exit_code == 0, (path.name, result.output)
        made.append((content / "data" / "internet-users.csv").read_text(encoding="utf-8"))
    assert made[0] == made[1] == made[2]
    assert made[0].splitlines()[:3] == ["country,year,value,source", "KEN,2021,30.5,istat", "KEN,2022,35.25,istat"]
    assert len(made[0].splitlines()) == 1 + 7


def test_twice_changes_nothing(content: Path, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "long.xlsx", LONG)
    first = import_(content, path, "--indicator", "internet-users", "--source", "istat")
    assert first.exit_code == 0 and "(written:" in first.output
    before = tree(content)
    second = import_(content, path, "--indicator", "internet-users", "--source", "istat")
    assert second.exit_code == 0 and "0 added, 0 changed, 0 removed, 10 kept (the table is unchanged)" in second.output
    assert tree(content) == before


def test_merge_keeps_what_it_was_not_asked_to_change(content: Path, tmp_path: Path) -> None:
    (content / "data" / "internet-users.csv").write_text(
        "country,year,value,source,note\n"
        "KEN,2020,29,istat,\n"  # the same source and country: replaced (2020 is no longer given)
        "KEN,2021,30,istat,\n"
        "KEN,2021,31,test-src,kept: another source\n"
        "NOR,2023,99,,\n"  # the default source (test-src): kept
        "ZAF,2020,70,istat,another country: kept\n",
        encoding="utf-8",
    )
    path = xlsx(tmp_path / "ken.xlsx", [["country", "year", "value"], ["KEN", 2021, 30.5], ["KEN", 2022, 35.25]])
    dry = import_(content, path, "--indicator", "internet-users", "--source", "istat", "--dry-run")
    assert dry.exit_code == 0
    assert dry.output.splitlines()[:3] == [
        "+ KEN 2022 (istat): 35.25",
        "~ KEN 2021 (istat): 30 -> 30.5",
        "- KEN 2020 (istat): 29",
    ]
    assert "1 added, 1 changed, 1 removed, 3 kept (--dry-run: nothing written)" in dry.output
    assert "KEN,2020,29" in (content / "data" / "internet-users.csv").read_text(encoding="utf-8")
    result = import_(content, path, "--indicator", "internet-users", "--source", "istat")
    assert result.exit_code == 0
    assert (content / "data" / "internet-users.csv").read_text(encoding="utf-8") == (
        "country,year,value,source,note\n"
        "KEN,2021,30.5,istat,\n"
        "KEN,2021,31,test-src,kept: another source\n"
        "KEN,2022,35.25,istat,\n"
        "NOR,2023,99,,\n"
        "ZAF,2020,70,istat,another country: kept\n"
    )
    assert run(content).ok


def test_mapping_file(content: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "istat.import.yaml"
    mapping.write_text("indicator: population\nsource: istat\nselect:\n  SEX: 2\n", encoding="utf-8")
    result = import_(content, FIXTURES / "ISTAT_22_289.xml", "--mapping", mapping)
    assert result.exit_code == 0, result.output
    assert values(content, "population")[("ITA", "2019")] == "30685478"  # SEX="2", line 30


def test_json_names_the_cell(content: Path, tmp_path: Path) -> None:
    rows = [list(r) for r in WIDE]
    rows[5][4] = 130
    result = import_(
        content,
        xlsx(tmp_path / "wide.xlsx", rows, "Données"),
        "--indicator",
        "internet-users",
        "--source",
        "istat",
        "--format",
        "json",
    )
    data = json.loads(result.output)
    assert not data["ok"]
    [d] = data["diagnostics"]
    assert (d["code"], d["place"], d["line"], d["col"]) == ("out-of-range", "Données!E6", 6, 5)


# -- broken inputs: the diagnostic at its place, content untouched ---------------------------------


def _broken_long(tmp: Path, rows: list[list[object]]) -> Path:
    return xlsx(tmp / "stats.xlsx", [["country", "year", "value"], *rows])


def _nama_edited(tmp: Path, old: str, new: str) -> Path:
    path = tmp / "nama.xml"
    path.write_text(
        (FIXTURES / "ESTAT_NAMA_10_GDP-ss.xml").read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8"
    )
    return path


def _write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


BROKEN = {
    "unknown country": (
        lambda t: _broken_long(t, [["KEN", 2021, 30], ["Kenia", 2022, 31]]),
        ["--indicator", "internet-users"],
        "stats.xlsx:Sheet1!A3: error[unknown-country]",
    ),
    "over its unit's range": (
        lambda t: _broken_long(t, [["KEN", 2021, 30], ["KEN", 2022, 130]]),
        ["--indicator", "internet-users"],
        "stats.xlsx:Sheet1!C3: error[out-of-range]: 130 is outside the range of percent (0..100)",
    ),
    "text for a number": (
        lambda t: _broken_long(t, [["KEN", 2021, "about 30"]]),
        ["--indicator", "internet-users"],
        "stats.xlsx:Sheet1!C2: error[wrong-type]: the value must be a number, not 'about 30'",
    ),
    "a year twice": (
        lambda t: _broken_long(t, [["KEN", 2021, 30], ["Kenya", 2021, 31]]),
        ["--indicator", "internet-users"],
        "stats.xlsx:Sheet1!C3: error[duplicate-observation]: Kenya 2021 is already given at Sheet1!C2",
    ),
    "a year that is not a year": (
        lambda t: _broken_long(t, [["KEN", "2021-Q1", 30]]),
        ["--indicator", "internet-users"],
        "stats.xlsx:Sheet1!B2: error[import-period]: the period '2021-Q1' is not a year",
    ),
    "a year before 1990": (
        lambda t: _broken_long(t, [["KEN", 1985, 30]]),
        ["--indicator", "internet-users"],
        "stats.xlsx:Sheet1!B2: error[out-of-range]: the year 1985 is outside 1990..",
    ),
    "no header": (
        lambda t: xlsx(t / "stats.xlsx", [["a", "b"], [1, 2]]),
        ["--indicator", "internet-users"],
        "stats.xlsx:Sheet1!A1: error[import-no-header]",
    ),
    "no such sheet": (
        lambda t: _broken_long(t, [["KEN", 2021, 30]]),
        ["--indicator", "internet-users", "--sheet", "Data"],
        "stats.xlsx:1:1: error[import-no-sheet]: the workbook has no sheet 'Data'",
    ),
    "not a workbook": (
        lambda t: _write(t, "stats.xlsx", b"country,year,value\nKEN,2021,30\n"),
        ["--indicator", "internet-users"],
        "stats.xlsx:1:1: error[import-unreadable]",
    ),
    "SDMX-ML cut short": (
        lambda t: _write(t, "nama.xml", (FIXTURES / "ESTAT_NAMA_10_GDP-ss.xml").read_bytes()[:1100]),
        ["--indicator", "gdp"],
        "nama.xml:18:9: error[import-syntax]: XML syntax error: Couldn't find end of Start Tag",
    ),
    "a structure, not data": (
        lambda t: _write(t, "flow.xml", (FIXTURES / "ESTAT_GOV_10Q_GGNFA.xml").read_bytes()),
        ["--indicator", "gdp"],
        "flow.xml:4:1: error[import-not-data]: this SDMX-ML message is a Structure, not a data message",
    ),
    "a quarter in SDMX": (
        lambda t: _nama_edited(t, 'TIME_PERIOD="2013"', 'TIME_PERIOD="2013-Q1"'),
        ["--indicator", "gdp"],
        "nama.xml:19:1: error[import-period]: the period '2013-Q1' is not a year (series geo=LU, na_item=B1GQ, unit=CP_MEUR, freq=A)",
    ),
    "an unknown area code in SDMX": (
        lambda t: _nama_edited(t, 'geo="LU"', 'geo="XX"'),
        ["--indicator", "gdp"],
        "nama.xml:18:1: error[unknown-country]: 'XX' is not a country or area that connect-site knows (series geo=XX",
    ),
    "a negative value in SDMX": (
        lambda t: _nama_edited(t, 'OBS_VALUE="49094.5"', 'OBS_VALUE="-49094.5"'),
        ["--indicator", "gdp"],
        "nama.xml:19:1: error[out-of-range]: -49094.5 is outside the range of per-100 (at least 0)",
    ),
    "an external entity": (
        lambda t: _write(
            t,
            "xxe.xml",
            b'<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            b'<m:StructureSpecificData xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">\n'
            b'<DataSet><Series geo="LU"><Obs TIME_PERIOD="2020" OBS_VALUE="&x;"/></Series></DataSet>\n'
            b"</m:StructureSpecificData>\n",
        ),
        ["--indicator", "gdp"],
        "xxe.xml:4:",
    ),
    "no country field": (
        lambda t: _write(t, "exr.xml", (FIXTURES / "ECB_EXR_ng-ts-gf.xml").read_bytes()),
        ["--indicator", "gdp"],
        "exr.xml:30:1: error[import-no-field]: the file has no country field",
    ),
    "a select that names no field": (
        lambda t: _write(t, "istat.xml", (FIXTURES / "ISTAT_22_289.xml").read_bytes()),
        ["--indicator", "population", "--select", "SXE=1"],
        "istat.xml:24:1: error[import-no-field]: --select names 'SXE', which the file does not have",
    ),
    "an SDMX-CSV row short of a cell": (
        lambda t: _write(
            t, "flow.csv", b"DATAFLOW,geo,TIME_PERIOD,OBS_VALUE\nESTAT:X(1.0),LU,2012,1\nESTAT:X(1.0),LU,2013\n"
        ),
        ["--indicator", "gdp"],
        "flow.csv:3:1: error[import-columns]: this row has 3 cells but the header has 4",
    ),
    "a thousands separator": (
        lambda t: _write(t, "flow.csv", b'DATAFLOW,geo,TIME_PERIOD,OBS_VALUE\nESTAT:X(1.0),LU,2012,"46,526"\n'),
        ["--indicator", "gdp"],
        "flow.csv:2:22: error[wrong-type]: the value must be a number, not '46,526'",
    ),
    "not UTF-8": (
        lambda t: _write(t, "pays.csv", "pays,année,valeur\nSénégal,2021,30\n".encode("latin-1")),
        ["--indicator", "internet-users"],
        "pays.csv:1:9: error[not-utf8]",
    ),
    "a PDF": (
        lambda t: _write(t, "report.pdf", b"%PDF-1.4\n"),
        ["--indicator", "internet-users"],
        "report.pdf:1:1: error[import-format]",
    ),
    "a symbolic link": (
        lambda t: (t / "link.csv").symlink_to(FIXTURES / "desi-egov-users.csv") or t / "link.csv",
        ["--indicator", "egov-share"],
        "link.csv:1:1: error[symlink]",
    ),
    "nothing selected": (
        lambda t: _write(t, "istat.xml", (FIXTURES / "ISTAT_22_289.xml").read_bytes()),
        ["--indicator", "population", "--select", "SEX=9"],
        "istat.xml:1:1: error[import-nothing]: no observation of the file was taken",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_input(case: str, content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make, args, expected = BROKEN[case]
    work = tmp_path / "in"
    work.mkdir()
    path = make(work)
    before = tree(content)
    monkeypatch.chdir(work)
    result = CliRunner().invoke(
        cli.main, ["import", path.name, *args, "--source", "eurostat", "--content", str(content)]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert any(line.startswith(expected) for line in result.output.splitlines()), result.output
    assert tree(content) == before
    assert "root:" not in result.output  # the external entity was not read


def test_broken_existing_table_is_not_touched(content: Path, tmp_path: Path) -> None:
    table_path = content / "data" / "internet-users.csv"
    table_path.write_text('country,year,value\nKEN,2021,"30\n', encoding="utf-8")
    before = tree(content)
    result = import_(
        content, _broken_long(tmp_path, [["KEN", 2022, 31]]), "--indicator", "internet-users", "--source", "istat"
    )
    assert result.exit_code == 1 and "error[csv-syntax]" in result.output
    assert tree(content) == before


def test_bad_mapping_file(content: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("indicator: population\nsourse: istat\n", encoding="utf-8")
    result = import_(content, FIXTURES / "ISTAT_22_289.xml", "--mapping", mapping)
    assert result.exit_code == 1
    assert f"{mapping.as_posix()}:2:1: error[unknown-field]: unknown key 'sourse'" in result.output
    assert "did you mean 'source'" in result.output


def test_unknown_indicator_and_source_are_usage_errors(content: Path) -> None:
    path = FIXTURES / "ISTAT_22_289.xml"
    result = import_(content, path, "--indicator", "populaton", "--source", "istat")
    assert result.exit_code == 2 and "did you mean 'population'" in result.output
    result = import_(content, path, "--indicator", "population", "--source", "istta")
    assert result.exit_code == 2 and "did you mean 'istat'" in result.output


@pytest.mark.parametrize(
    ("text", "iso3"),
    [("KEN", "KEN"), ("ke", "KEN"), ("404", "KEN"), ("404.0", "KEN"), ("Kenya", "KEN"), ("كينيا", "KEN"), ("肯尼亚", "KEN"),
     ("Кения", "KEN"), ("Côte d'Ivoire", "CIV"), ("cote divoire", "CIV"), ("EL", "GRC"), ("UK", "GBR"), ("4", "AFG"), ("World", None)],
)  # fmt: skip
def test_country_of(text: str, iso3: str | None) -> None:
    assert country_of(text) == iso3


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2020", "2020"),
        ("2020-A1", "2020"),
        ("2020-01-01/P1Y", "2020"),
        ("2020.0", "2020"),
        ("2020-01", None),
        ("2020-Q1", None),
    ],
)
def test_year_of(text: str, year: str | None) -> None:
    assert year_of(text) == year


def test_real_table_imports_back_unchanged(tmp_path: Path) -> None:
    """A table of the real site, imported into it again from a copy, changes nothing."""
    content = tmp_path / "content"
    shutil.copytree(REAL, content)
    table_path = content / "data" / "internet-users.csv"
    copy = tmp_path / "internet-users.csv"
    copy.write_bytes(table_path.read_bytes())
    before = tree(content)
    args = ["import", str(copy), "--indicator", "internet-users", "--source", "itu-wdi-internet-users"]
    result = CliRunner().invoke(cli.main, [*args, "--content", str(content)])
    assert result.exit_code == 0, result.output
    rows = len(table_path.read_text(encoding="utf-8").splitlines()) - 1
    assert f"0 added, 0 changed, 0 removed, {rows:,} kept (the table is unchanged)" in result.output
    assert tree(content) == before


def test_the_contributing_recipe_mapping_is_valid(tmp_path: Path) -> None:
    from connect_site.imports.mapping import read_mapping

    guide = (TESTS.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = guide.split("<!-- import-mapping -->", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    text = "\n".join(line.removeprefix("   ") for line in block.splitlines()) + "\n"
    path = tmp_path / "recipe-mapping.yaml"
    report = Reporter()
    path.write_text(text, encoding="utf-8")
    plan = read_mapping(path, "recipe.yaml", report)
    assert not report.items
    assert (plan.indicator, plan.source) == ("internet-users", "kenya-nbs")
    assert plan.roles.select == {"SEX": frozenset({"_T"}), "AGE": frozenset({"Y_GE15"})}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(alphabet='<>"=;,:\n\t KEN2021.5abcSTRUCTUREObsSeries/', max_size=400).map(str.encode),
    ),
    suffix=st.sampled_from([".csv", ".xml", ".xlsx", ".txt"]),
)
def test_any_bytes_give_a_diagnostic_not_a_traceback(content: Path, tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    before = tree(content)
    result = import_(content, path, "--indicator", "internet-users", "--source", "istat", "--dry-run")
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output
    assert tree(content) == before
