"""What every import reader gives: records, the place of each of their cells, and the rules that turn
a record into a row of the tidy table (a country code, a year, a value, a quality note).

A reader (`sdmx.py`, `sheets.py`) knows only its format. A `Record` is one observation with every
dimension and attribute (SDMX) or column (a spreadsheet) by name; its `Locator` says where each
of them was written, so a problem is reported at the cell to fix: `file.xlsx:Sheet1!C14`, or the
line of an SDMX file with its series key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from connect_site.content import refdata


@dataclass(frozen=True)
class Where:
    """A place in the imported file: 1-based line and column, and a spreadsheet's name for it."""

    line: int
    col: int
    label: str = ""  # "Sheet1!C14" in a spreadsheet


class Locator:
    """Where the cells of a record were written. A file's columns are known by name (`index`, 0-based);
    a record may place one of its fields elsewhere (`Record.cols`: a wide sheet's year is in the header)."""

    def __init__(self, index: Optional[dict[str, int]] = None) -> None:
        self.index = index or {}

    def cell(self, record: Record, name: str) -> Where:
        line, index = (record.cols or {}).get(name) or (record.line, self.index.get(name))
        return self.place(line, index)

    def place(self, line: int, index: Optional[int]) -> Where:
        return Where(line, 1)


@dataclass(slots=True)
class Record:
    """One observation as the file gives it: its dimensions and attributes (or columns), by name."""

    fields: dict[str, str]
    line: int
    locator: Locator
    key: str = ""  # the SDMX series key ("FREQ=A, REF_AREA=KE"), to name the series in a message
    cols: Optional[dict[str, tuple[int, Optional[int]]]] = None  # name -> (line, index) where it differs

    def at(self, name: str) -> Where:
        return self.locator.cell(self, name)


@dataclass
class Roles:
    """Which fields are the country, the year, the value and the quality note (None: the usual name)."""

    area: Optional[str] = None
    period: Optional[str] = None
    value: Optional[str] = None
    quality: Optional[str] = None
    select: dict[str, frozenset[str]] = field(default_factory=dict)  # field -> the values to take


AREA_NAMES = ("REF_AREA", "COUNTRY", "GEO", "REPORTER", "ECONOMY", "AREA", "LOCATION")
PERIOD_NAMES = ("TIME_PERIOD", "TIME", "YEAR")
VALUE_NAMES = ("OBS_VALUE", "VALUE")
QUALITY_NAMES = ("OBS_STATUS", "OBS_FLAG", "FLAG")
COMMENT_NAMES = ("OBS_COMMENT", "COMMENT_OBS", "OBS_NOTE", "COMMENT", "NOTE")


def pick(names: list[str], wanted: Optional[str], usual: tuple[str, ...]) -> Optional[str]:
    """The field named `wanted` (any case), else the first usual name present."""
    folded = {n.casefold(): n for n in names}
    if wanted is not None:
        return folded.get(wanted.casefold())
    return next((folded[u.casefold()] for u in usual if u.casefold() in folded), None)


# SDMX's observation status codes (code list CL_OBS_STATUS, SDMX Glossary 2.1): the quality note
# shown beside a value. "A" (normal) needs none; the "missing" codes mean there is no value.
OBS_STATUS = {
    "B": "break in series",
    "D": "definition differs",
    "E": "estimated value",
    "F": "forecast value",
    "G": "experimental value",
    "I": "value imputed by a receiving agency",
    "K": "data included in another category",
    "N": "not significant",
    "P": "provisional value",
    "S": "strike or other special circumstance",
    "U": "low reliability",
    "V": "unvalidated value",
    "W": "includes data from another category",
}
NO_VALUE_STATUS = frozenset({"L", "M", "O", "Q", "Z"})  # missing, or suppressed: there is no value


def quality_note(status: str, comment: str) -> str:
    """The quality note of an observation: its status in words and its comment, if any."""
    words = OBS_STATUS.get(status.strip().upper(), status.strip()) if status.strip().upper() != "A" else ""
    return "; ".join(part for part in (words, comment.strip()) if part)


_YEAR = re.compile(r"([0-9]{4})(?:-A1|-01-01/P1Y|-01-01T00:00:00/P1Y|-01-01 to \1-12-31)?\Z")


def year_of(period: str) -> Optional[str]:
    """The year of an annual period ("2020", "2020-A1", "2020-01-01/P1Y"), else None (a month, a quarter)."""
    text = period.strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a spreadsheet's 2020.0
        text = text[:-2]
    match = _YEAR.match(text)
    return match.group(1) if match else None


def _fold(text: str) -> str:
    """A name as the lookup compares it: NFKC, case-folded, accents and punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    kept = (ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", "".join(kept))


@lru_cache(maxsize=1)
def _areas() -> tuple[dict[str, str], dict[str, str]]:
    """Codes (alpha-3, alpha-2, M49) and folded names (six UN languages, English and official) -> alpha-3."""
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    for iso3, ref in refdata.countries().items():
        codes[iso3] = iso3
        if ref.iso2:
            codes[ref.iso2] = iso3
        if ref.m49.isdigit():
            codes[ref.m49.zfill(3)] = iso3
            codes[str(int(ref.m49))] = iso3
        for name in (ref.name, ref.official_name, *refdata.un_names().get(iso3, {}).values()):
            if name:
                names.setdefault(_fold(name), iso3)
    codes.update({"UK": "GBR", "EL": "GRC"})  # Eurostat's codes for the United Kingdom and Greece
    return codes, names


def country_of(text: str) -> Optional[str]:
    """The ISO alpha-3 code of a country given by code (alpha-3, alpha-2, M49) or by name in a UN language."""
    codes, names = _areas()
    cleaned = text.strip()
    if cleaned.endswith(".0") and cleaned[:-2].isdigit():  # a spreadsheet's number 404.0
        cleaned = cleaned[:-2]
    code = codes.get(cleaned.upper()) or (codes.get(cleaned.zfill(3)) if cleaned.isdigit() else None)
    return code or names.get(_fold(cleaned))


def country_names() -> list[str]:
    """Every English name, for "did you mean"."""
    return sorted(ref.name for ref in refdata.countries().values())


def column_letter(index: int) -> str:
    """The spreadsheet name of the 1-based column `index`: 1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
