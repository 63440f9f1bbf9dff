"""Copy the real statistics from the project's shared data folder into content/data/.

Run once by a maintainer when the shared extract changes:

    python tools/import_shared_data.py ../shared/data content/data

Each source table (iso3,year,value) becomes a tidy table (country,year,value) named after
its indicator id. Values outside their unit's range are not copied; every such row is
listed in content/data/EXCLUDED.csv with the reason, so nothing disappears silently.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

# source file -> (indicator id, unit range upper bound or None)
SERIES = {
    "internet_users_pct.csv": ("internet-users", 100.0),
    "fixed_broadband_per100.csv": ("fixed-broadband", None),
    "mobile_cellular_per100.csv": ("mobile-cellular", None),
    "mobile_coverage_2g_pct.csv": ("coverage-2g", 100.0),
    "mobile_coverage_3g_pct.csv": ("coverage-3g", 100.0),
    "mobile_coverage_4g_pct.csv": ("coverage-4g", 100.0),
    "mobile_phone_ownership_pct.csv": ("mobile-ownership", 100.0),
    "ewaste_generated_kg_per_capita.csv": ("ewaste-generated-per-capita", None),
    "ewaste_generated_tonnes.csv": ("ewaste-generated", None),
    "ewaste_recycled_tonnes.csv": ("ewaste-recycled", None),
    "ewaste_recycled_kg_per_capita.csv": ("ewaste-recycled-per-capita", None),
    "ewaste_recycling_rate_pct.csv": ("ewaste-recycling-rate", 100.0),
}
SKILLS = {
    "ARSP": "ict-skills-spreadsheet-formula",
    "CMFL": "ict-skills-copy-move-file",
    "COPA": "ict-skills-copy-paste",
    "EMAIL": "ict-skills-email-attachment",
    "EPRS": "ict-skills-presentation",
    "INST": "ict-skills-install-device",
    "PCPR": "ict-skills-programming",
    "SOFT": "ict-skills-install-software",
    "TRAF": "ict-skills-transfer-files",
}


def write(path: Path, rows: list[tuple[str, str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["country", "year", "value"])
        w.writerows(sorted(rows))


NOT_LISTED = "not a country or area of the site (src/connect_site/data/countries.csv follows UN M49)"


def listed() -> set[str]:
    """The codes of the site's reference list of countries and areas."""
    path = Path(__file__).resolve().parent.parent / "src" / "connect_site" / "data" / "countries.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["iso3"] for row in csv.DictReader(fh)}


def main(src: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    known = listed()
    excluded: list[tuple[str, str, str, str, str]] = []
    tables: dict[str, list[tuple[str, str, str]]] = {}
    for name, (indicator, upper) in SERIES.items():
        with (src / name).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                v = float(row["value"])
                if row["iso3"] not in known:
                    excluded.append((indicator, row["iso3"], row["year"], row["value"], NOT_LISTED))
                    continue
                if v < 0 or (upper is not None and v > upper):
                    excluded.append(
                        (
                            indicator,
                            row["iso3"],
                            row["year"],
                            row["value"],
                            f"outside 0..{upper:g} for a percentage" if upper else "negative",
                        )
                    )
                    continue
                tables.setdefault(indicator, []).append((row["iso3"], row["year"], row["value"]))
    with (src / "ict_skills_pct.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["iso3"] not in known:
                excluded.append((SKILLS[row["skill"]], row["iso3"], row["year"], row["value"], NOT_LISTED))
                continue
            tables.setdefault(SKILLS[row["skill"]], []).append((row["iso3"], row["year"], row["value"]))
    for indicator, rows in sorted(tables.items()):
        write(out / f"{indicator}.csv", rows)
    with (out / "EXCLUDED.txt").open("w", encoding="utf-8", newline="") as fh:
        fh.write("Rows of the source extract not copied into content/data, with the reason.\n")
        fh.write("indicator,country,year,value,reason\n")
        for item in sorted(excluded):
            fh.write(",".join(item) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
