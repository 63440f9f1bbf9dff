"""Country reference data shipped with the package (ISO 3166 + UN M49 + LDC/LLDC/SIDS).

Source: datasets/country-codes (ODC-PDDL 1.0), see `data/README.md`. Kosovo is added as
`XKX`, the code the World Bank uses.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class CountryRef:
    iso3: str
    iso2: str
    m49: str
    name: str
    official_name: str
    region: str
    subregion: str
    intermediate_region: str
    ldc: bool
    lldc: bool
    sids: bool
    independent: bool  # ISO 3166 lists it as independent ("Yes"), not as a territory of another state

    def groups(self) -> list[str]:
        return [g for g, on in (("LDC", self.ldc), ("LLDC", self.lldc), ("SIDS", self.sids)) if on]


@lru_cache(maxsize=1)
def un_names() -> dict[str, dict[str, str]]:
    """The UN's names of countries and areas (UNSD M49, six languages; data/country_names.csv): iso3 ->
    language -> name. Kosovo (XKX) is not in M49 and has none."""
    text = resources.files("connect_site").joinpath("data/country_names.csv").read_text(encoding="utf-8")
    out: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        out.setdefault(row["iso3"], {})[row["lang"]] = row["name"]
    return out


@lru_cache(maxsize=1)
def countries() -> dict[str, CountryRef]:
    """The countries and areas of UN M49 (and Kosovo, XKX, as the World Bank codes it), named as the UN
    names them in English (CLDR's short name where the UN has none)."""
    text = resources.files("connect_site").joinpath("data/countries.csv").read_text(encoding="utf-8")
    names = un_names()
    out: dict[str, CountryRef] = {}
    for row in csv.DictReader(io.StringIO(text)):
        out[row["iso3"]] = CountryRef(
            iso3=row["iso3"],
            iso2=row["iso2"],
            m49=row["m49"],
            name=names.get(row["iso3"], {}).get("en") or row["name"],
            official_name=row["official_name"],
            region=row["un_region"],
            subregion=row["un_subregion"],
            intermediate_region=row["un_intermediate_region"],
            ldc=row["ldc"] == "1",
            lldc=row["lldc"] == "1",
            sids=row["sids"] == "1",
            independent=row["is_independent"] == "Yes",
        )
    return out


@lru_cache(maxsize=1)
def _other_spellings() -> tuple[dict[str, str], dict[str, str]]:
    """Lower-case names (short and official) and alpha-2 codes, to alpha-3."""
    ref = countries()
    by_name = {c.name.lower(): c.iso3 for c in ref.values()}
    by_name.update({c.official_name.lower(): c.iso3 for c in ref.values()})
    return by_name, {c.iso2: c.iso3 for c in ref.values()}


def suggest_country(code: str) -> str:
    """A "did you mean" for a mistyped code, also when a country name was typed."""
    from connect_site.errors import did_you_mean

    by_name, by_iso2 = _other_spellings()
    text = code.strip()
    if text.lower() in by_name:
        return f"did you mean '{by_name[text.lower()]}' ({text})?"
    if text.upper() in by_iso2:
        return f"did you mean '{by_iso2[text.upper()]}'? ('{text.upper()}' is the two-letter code.)"
    return did_you_mean(text.upper(), countries())


@lru_cache(maxsize=1)
def population() -> dict[tuple[str, int], int]:
    """Total population by (iso3, year), World Bank SP.POP.TOTL 2000-2024 (data/population.csv):
    the weights of the world and regional figures."""
    text = resources.files("connect_site").joinpath("data/population.csv").read_text(encoding="utf-8")
    return {(row["iso3"], int(row["year"])): int(row["value"]) for row in csv.DictReader(io.StringIO(text))}


@lru_cache(maxsize=1)
def un_members() -> dict[str, str]:
    """The 193 UN Member States ("member") and the two observer States ("observer"), by iso3."""
    text = resources.files("connect_site").joinpath("data/un_members.csv").read_text(encoding="utf-8")
    return {row["iso3"]: row["status"] for row in csv.DictReader(io.StringIO(text))}
