"""Copy the focus-target statistics from the project's shared data folder into content/data/.

Run by a maintainer when the shared extract changes:

    python tools/import_focus.py --shared ../shared/data --out content

Reads the tidy files in <shared>/focus/ (columns country,year,value,source_note; see
focus/PROVENANCE.md there) and writes one table per indicator, <out>/data/<indicator id>.csv,
with the header country,year,value,source,quality, sorted by country and year.

Values are copied as the source's text. The only changes (described in
content/data/README.md):
  * two conversions of a 0-1 share or score to the 0-100 scale of the indicator's unit
    (GCI 2017/2018 overall scores, DESI eGovernment users), named in the `quality` column
    of every converted row. They move the decimal point of the source's text (decimal
    arithmetic, no float rounding): 0.245 -> 24.5;
  * yes-no: Kostyuk's 1/0 become true (at the year of the country's first strategy, read
    from the date in source_note) and false (at 2024, the end of the dataset's coverage;
    `quality` "none recorded 2000-2024").
Rows the source marks SINGLE SOURCE get `quality` "single source".
A row whose country code is not in the country list (XKX is accepted too), whose value
is outside its unit's range, or that repeats a (country, year) is not copied; every such
row is listed, with the reason, in the file given by --excluded (and on standard output).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

# Source ids, declared in content/sources.yaml.
UN = "un-desa-egov-survey"
WB = "wb-govtech-dataset"
DESI = "ec-desi"
GCI = "itu-gci"
NCS = "kostyuk-ncs"

# Quality notes (plain words, shown beside the figure).
SINGLE = "single source"
X100_GCI = "published on a 0-1 scale, shown x100"
X100_DESI = "stored as a 0-1 share in the source, shown x100"
NONE_RECORDED = "none recorded 2000-2024"

# indicator id -> (source file in <shared>/focus, source id, kind, upper bound)
# kind: "copy" (value as written), "category", "gci" (overall GCI), "share" (x100),
# "ncs" (Kostyuk yes-no).
TABLES = {
    # Target 1.7 (proxies)
    "egdi": ("t1_7_un_egdi.csv", UN, "copy", "1"),
    "egov-online-services": ("t1_7_un_osi.csv", UN, "copy", "1"),
    "egov-participation": ("t1_7_un_epi.csv", UN, "copy", "1"),
    "gtmi": ("t1_7_wb_gtmi.csv", WB, "copy", "1"),
    "gtmi-services": ("t1_7_wb_gtmi_psdi.csv", WB, "copy", "1"),
    "gtmi-engagement": ("t1_7_wb_gtmi_dcei.csv", WB, "copy", "1"),
    "gtmi-group": ("t1_7_wb_gtmi_group.csv", WB, "category", None),
    "egov-users-eu": ("t1_7_ec_desi_egov_users.csv", DESI, "share", "100"),
    # Target 1.4 and 4.1 (proxies): the same GovTech Enablers Index, one table per target
    "gtmi-enablers": ("t1_4_wb_gtmi_gtei.csv", WB, "copy", "1"),
    "gtmi-enablers-4-1": ("t1_4_wb_gtmi_gtei.csv", WB, "copy", "1"),
    # Target 3.1
    "gci-score": ("t3_1_itu_gci_overall.csv", GCI, "gci", "100"),
    "gci-legal": ("t3_1_itu_gci2020_legal.csv", GCI, "copy", "20"),
    "gci-technical": ("t3_1_itu_gci2020_technical.csv", GCI, "copy", "20"),
    "gci-organizational": ("t3_1_itu_gci2020_organizational.csv", GCI, "copy", "20"),
    "gci-capacity": ("t3_1_itu_gci2020_capacity.csv", GCI, "copy", "20"),
    "cybersecurity-strategy": ("t3_1_ncs_adopted_2024.csv", NCS, "ncs", None),
    # Target 5.1 (proxy)
    "gci-cooperation": ("t5_1_itu_gci2020_cooperation.csv", GCI, "copy", "20"),
}
GTMI_GROUPS = ("A", "B", "C", "D")
NCS_DATE = re.compile(r"inaugural strategy dated (\d{8})\b")
GCI_SCALE_0_1 = "(0-1 scale as published)"
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
EXTRA_CODES = {"XKX"}  # Kosovo: World Bank code, accepted by the site (not in ISO 3166)

Row = tuple[str, str, str, str, str]  # country, year, value, source, quality


def times_100(text: str) -> str:
    """The source's decimal text times 100, by moving the decimal point: 0.245 -> 24.5."""
    if not NUMBER.match(text):
        raise ValueError(f"not a plain decimal number: {text!r}")
    # scaleb keeps the digits: Decimal("0.245") -> 24.5, "0.9" -> 90, "0.500" -> 50.0
    return format(Decimal(text).scaleb(2), "f")


def in_range(text: str, upper: str | None) -> bool:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return False
    return value >= 0 and (upper is None or value <= Decimal(upper))


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if rows and list(rows[0]) != ["country", "year", "value", "source_note"]:
        raise SystemExit(f"{path}: unexpected columns {list(rows[0])}")
    return rows


def convert(kind: str, row: dict[str, str]) -> tuple[str, str, str]:
    """(year, value, quality) for one source row."""
    year, value, note = row["year"], row["value"], row["source_note"]
    if kind in ("copy", "category"):
        return year, value, ""
    if kind == "share":
        return year, times_100(value), X100_DESI
    if kind == "gci":
        flags = []
        if "SINGLE SOURCE" in note:
            flags.append(SINGLE)
        if GCI_SCALE_0_1 in note:
            flags.append(X100_GCI)
            value = times_100(value)
        return year, value, "; ".join(flags)
    if kind == "ncs":
        date = NCS_DATE.search(note)
        if value == "1":
            if not date:
                raise SystemExit(f"{row['country']}: value 1 but no inaugural date in source_note")
            return date.group(1)[:4], "true", ""
        if value == "0":
            if date:
                raise SystemExit(f"{row['country']}: value 0 but an inaugural date in source_note")
            return year, "false", NONE_RECORDED
        raise SystemExit(f"{row['country']}: unexpected value {value!r}")
    raise ValueError(kind)


def valid(kind: str, value: str, upper: str | None) -> str | None:
    """The reason a converted value cannot be shown, or None."""
    if kind == "category":
        return None if value in GTMI_GROUPS else f"'{value}' is not a GTMI group (A-D)"
    if kind == "ncs":
        return None
    if not NUMBER.match(value):
        return f"'{value}' is not a plain decimal number"
    if not in_range(value, upper):
        return f"outside 0..{upper}"
    return None


def load_countries(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["iso3"] for row in csv.DictReader(fh)} | EXTRA_CODES


def write(path: Path, rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["country", "year", "value", "source", "quality"])
        w.writerows(sorted(rows, key=lambda r: (r[0], int(r[1]))))


def write_excluded(path: Path, excluded: list[tuple[str, str, str, str, str, str]], shared: Path) -> None:
    focus = shared / "focus"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Rows of the shared focus extract not copied by tools/import_focus.py\n\n")
        fh.write("Written by the importer (`--excluded`); counts are read from the files.\n\n")
        fh.write("## 1. Rows read and not copied\n\n")
        fh.write("Every row of every table the importer reads is checked: the country code must be in\n")
        fh.write("the site's country list (`src/connect_site/data/countries.csv`, iso3 column; XKX is\n")
        fh.write("accepted too), the value must be inside its unit's range (index 0-1, score 0-100 or\n")
        fh.write("0-20 for the GCI 2020 pillars, percent 0-100, a group code A-D, 1/0 for the strategy\n")
        fh.write("flag), and a (country, year) must not repeat.\n\n")
        if not excluded:
            fh.write("**None.** Every row read was copied.\n\n")
        else:
            fh.write("| indicator | source file | country | year | value | reason |\n|---|---|---|---|---|---|\n")
            for item in sorted(excluded):
                fh.write("| " + " | ".join(item) + " |\n")
            fh.write("\n")
        fh.write("## 2. Files of the shared extract not read, by design\n\n")
        derived = read(focus / "t3_1_ncs_adopted_by_year.csv")
        fh.write(f"* `t3_1_ncs_adopted_by_year.csv` ({len(derived)} rows): labelled DERIVED on every row (a\n")
        fh.write("  0/1 per year computed from the first-strategy year). The site shows the first\n")
        fh.write("  strategy at its own year instead, from `t3_1_ncs_adopted_2024.csv`.\n")
        with (focus / "gci2020_discrepancies.csv").open(encoding="utf-8", newline="") as f:
            disc = list(csv.DictReader(f))
        overall = {(r["country"], r["year"]) for r in read(focus / "t3_1_itu_gci_overall.csv")}
        absent = [r["country"] for r in disc if (r["country"], "2020") not in overall]
        fh.write(f"* `gci2020_discrepancies.csv` ({len(disc)} countries): GCI 2020 overall scores on which the\n")
        fh.write(
            "  two copies disagree. They are not published; checked: "
            f"{len(absent)} of {len(disc)} have no 2020 row in `t3_1_itu_gci_overall.csv`.\n\n"
        )
        fh.write("| country | copy A (PDF extraction) | copy B (hand transcription) | A's pillar sum |\n")
        fh.write("|---|---|---|---|\n")
        for r in disc:
            fh.write(
                f"| {r['country']} | {r['gci2020_bipa_pdf_extraction']} | {r['gci2020_sspi_transcription']} "
                f"| {r['bipa_pillar_sum'] or '(empty in the file)'} |\n"
            )
        pillars = {r["country"] for r in read(focus / "t3_1_itu_gci2020_legal.csv")}
        no_pillars = sorted(c for c, y in overall if y == "2020" and c not in pillars)
        fh.write("\n## 3. Left out upstream (before the shared extract; see focus/PROVENANCE.md)\n\n")
        fh.write(
            "* GCI 2020 pillar tables: countries with a 2020 overall score but no pillar rows: "
            + ", ".join(no_pillars)
            + ".\n  PROVENANCE.md: SVK and SVN have missing pillars in copy A;"
        )
        fh.write(" FSM, VAT and YEM are only in copy B, which has no pillars. The 13\n")
        fh.write("  disputed countries have no pillar rows either; for MOZ the pillars also do not add up\n")
        fh.write("  (16.73 against an overall 7.46 in copy A).\n")
        fh.write("* GCI 2014 (0-1 scale) is in the raw copy B but was not exported to the shared extract;\n")
        fh.write("  Hong Kong (2014 only) likewise. Nothing for 2014 is published.\n")
        fh.write("* DESI: rows with an empty value (e.g. Italy before 2018) and the EU aggregate.\n")
        fh.write("* GTMI: 5 spreadsheet footer rows of the 2025 wave; Nicaragua has no 2025 row.\n")


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holds focus/)")
    parser.add_argument("--out", type=Path, required=True, help="content folder; tables go to OUT/data/")
    parser.add_argument(
        "--countries",
        type=Path,
        default=None,
        help="country list with an iso3 column (default: the site's src/connect_site/data/countries.csv "
        "if present, else <shared>/countries.csv, which is the same list without XKX)",
    )
    parser.add_argument("--excluded", type=Path, default=None, help="write the list of rows not copied here")
    args = parser.parse_args(argv)

    countries_path = args.countries
    if countries_path is None:
        site_list = here / "src" / "connect_site" / "data" / "countries.csv"
        countries_path = site_list if site_list.exists() else args.shared / "countries.csv"
    countries = load_countries(countries_path)

    out = args.out / "data"
    out.mkdir(parents=True, exist_ok=True)
    excluded: list[tuple[str, str, str, str, str, str]] = []
    for indicator, (name, source, kind, upper) in sorted(TABLES.items()):
        rows: dict[tuple[str, str], Row] = {}
        for row in read(args.shared / "focus" / name):
            country = row["country"]
            year, value, quality = convert(kind, row)
            reason = None
            if country not in countries:
                reason = f"country code '{country}' not in {countries_path.name}"
            else:
                reason = valid(kind, value, upper)
            if reason is None and (country, year) in rows:
                reason = "repeats a (country, year) already copied"
            if reason:
                excluded.append((indicator, name, country, row["year"], row["value"], reason))
                continue
            rows[(country, year)] = (country, year, value, source, quality)
        write(out / f"{indicator}.csv", list(rows.values()))
        print(f"{indicator}: {len(rows)} rows, {len({r[0] for r in rows.values()})} countries", file=sys.stderr)
    if args.excluded:
        write_excluded(args.excluded, excluded, args.shared)
    print(f"excluded: {len(excluded)} rows", file=sys.stderr)
    for item in sorted(excluded):
        print("  " + ",".join(item), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
