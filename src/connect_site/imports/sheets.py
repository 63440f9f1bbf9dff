"""Spreadsheets into records: `.xlsx` (openpyxl, read-only) and `.csv` in the layouts offices use.

A sheet is read as a grid of text. Its header row is found in the first `HEADER_ROWS` rows: the
first with a country column and either a column per year (wide: "2019", "YR2019",
"2019 [YR2019]") or a year and a value column (long). Headers may be in any of the six UN
languages. Every other column is kept by its header, so `--select` can choose rows
("Series Code=IT.NET.USER.ZS").
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from connect_site.errors import Reporter
from connect_site.imports.records import Locator, Record, Where, _fold, column_letter, country_of
from connect_site.imports.sdmx import CsvLocator

HEADER_ROWS = 30
MAX_CELLS = 5_000_000  # cells read from one sheet: a zip bomb of a workbook stops here


def _too_many(shown: str, report: Reporter) -> None:
    report.add(
        shown,
        1,
        1,
        "file-too-large",
        f"the sheet has more than {MAX_CELLS:,} cells",
        "Import it in parts: keep the columns and rows of one indicator.",
    )


# Header words, folded (records._fold), in the six UN languages.
AREA_HEADERS = {
    _fold(w)
    for w in (
        "country", "country name", "country code", "country or area", "countries", "iso3", "iso", "iso code",
        "iso3 code", "code", "ref_area", "reference area", "geo", "area", "economy", "location", "territory",
        "pays", "code pays", "país", "pais", "código", "страна", "код страны", "国家", "国家或地区", "البلد", "الدولة",
    )
}  # fmt: skip
YEAR_HEADERS = {
    _fold(w) for w in ("year", "time_period", "time", "period", "année", "año", "год", "年份", "年", "السنة")
}
VALUE_HEADERS = {_fold(w) for w in ("value", "obs_value", "valeur", "valor", "значение", "值", "数值", "القيمة")}
QUALITY_HEADERS = {
    _fold(w) for w in ("quality", "flag", "obs_status", "status", "note", "footnote", "qualité", "calidad", "nota")
}
_YEAR_COLUMN = re.compile(r"(?:YR)?([12][0-9]{3})(?:\.0)?(?:\s*\[YR[0-9]{4}\])?\Z")
NO_VALUE = frozenset({"", "..", "...", "-", "–", "—", ":", "n/a", "na", "n.a.", "nan", "#n/a"})


@dataclass
class Layout:
    """What the header row says: where it is, the country column, and the year or value columns."""

    row: int  # 1-based
    headers: list[str]
    area: int
    years: dict[int, str]  # wide: column index -> year
    year: Optional[int] = None  # long
    value: Optional[int] = None
    quality: Optional[int] = None

    @property
    def wide(self) -> bool:
        return bool(self.years)


class SheetLocator(Locator):
    """A spreadsheet names a cell by its sheet, column letter and row: Sheet1!C14."""

    def __init__(self, sheet: str, index: dict[str, int]) -> None:
        super().__init__(index)
        self.sheet = sheet

    def place(self, line: int, index: Optional[int]) -> Where:
        col = (index or 0) + 1
        return Where(line, col, f"{self.sheet}!{column_letter(col)}{line}")


def text_of(value: object) -> str:
    """A cell as text: a whole number without ".0", a date as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value).strip()


def find_layout(grid: list[list[str]], header_row: Optional[int]) -> Optional[Layout]:
    """The header row of a sheet, and what its columns are."""
    rows = [header_row] if header_row else range(1, min(len(grid), HEADER_ROWS) + 1)
    for number in rows:
        if not 0 < number <= len(grid):
            continue
        layout = _layout(number, grid)
        if layout is not None:
            return layout
    return None


def _layout(number: int, grid: list[list[str]]) -> Optional[Layout]:
    headers = grid[number - 1]
    folded = [_fold(h) for h in headers]
    areas = [i for i, f in enumerate(folded) if f in AREA_HEADERS]
    if not areas:
        return None
    below = grid[number : number + 50]
    area = max(areas, key=lambda i: sum(bool(country_of(r[i])) for r in below if i < len(r)))
    years = {i: m.group(1) for i, h in enumerate(headers) if (m := _YEAR_COLUMN.match(h.strip()))}
    layout = Layout(number, headers, area, years)
    for i, f in enumerate(folded):
        if f in YEAR_HEADERS and layout.year is None:
            layout.year = i
        elif f in VALUE_HEADERS and layout.value is None:
            layout.value = i
        elif f in QUALITY_HEADERS and layout.quality is None:
            layout.quality = i
    if layout.year is not None and layout.value is not None:
        layout.years = {}
        return layout
    return layout if years else None


def names_of(headers: list[str]) -> list[str]:
    """Each column's name: its header, or its letter when the header is empty or repeated."""
    out: list[str] = []
    for i, header in enumerate(headers):
        name = header.strip() or f"column {column_letter(i + 1)}"
        out.append(name if name not in out else f"{name} ({column_letter(i + 1)})")
    return out


def records(
    grid: list[list[str]], layout: Layout, locator_for: Callable[[dict[str, int]], Locator]
) -> Iterator[Record]:
    """The observations of a sheet: a row each (long), or a cell per year column (wide). Cells that
    hold no value ("", "..", "-") are left out."""
    names = names_of(layout.headers)
    index = {name: i for i, name in enumerate(names)}
    if layout.wide:
        index.update({"year": -1, "value": -1})
    locator = locator_for(index)
    for number in range(layout.row + 1, len(grid) + 1):
        row = grid[number - 1]
        if not any(c.strip() for c in row):
            continue
        cells = {name: (row[i] if i < len(row) else "").strip() for i, name in enumerate(names)}
        if not layout.wide:
            yield Record(cells, number, locator)
            continue
        kept = {name: v for i, (name, v) in enumerate(cells.items()) if i not in layout.years}
        for i, year in layout.years.items():
            value = cells[names[i]]
            if value.lower() in NO_VALUE:
                continue
            cols: dict[str, tuple[int, Optional[int]]] = {"year": (layout.row, i), "value": (number, i)}
            yield Record({**kept, "year": year, "value": value}, number, locator, cols=cols)


def roles_of(layout: Layout) -> tuple[str, str, str, Optional[str]]:
    """The names of the country, year, value and quality fields of the records of `layout`."""
    names = names_of(layout.headers)
    if layout.wide:
        return names[layout.area], "year", "value", None
    assert layout.year is not None and layout.value is not None
    return (
        names[layout.area],
        names[layout.year],
        names[layout.value],
        names[layout.quality] if layout.quality is not None else None,
    )


def xlsx_grid(path: Path, sheet: Optional[str], shown: str, report: Reporter) -> Optional[tuple[str, list[list[str]]]]:
    """The named sheet (else the first) of a workbook, as text; None after reporting why it cannot be read."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        report.add(
            shown,
            1,
            1,
            "import-unreadable",
            f"this is not a readable .xlsx workbook ({type(exc).__name__})",
            "Open it in your spreadsheet program and save it again as Excel Workbook (.xlsx).",
        )
        return None
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            report.add(
                shown,
                1,
                1,
                "import-no-sheet",
                f"the workbook has no sheet '{sheet}'",
                "Its sheets: " + ", ".join(names) + ". Give one with --sheet.",
            )
            return None
        name = sheet if sheet is not None else names[0]
        grid = []
        cells = 0
        for row in book[name].iter_rows(min_row=1, min_col=1, values_only=True):
            cells += len(row)
            if cells > MAX_CELLS:
                _too_many(shown, report)
                return None
            grid.append([text_of(v) for v in row])
        return name, grid
    finally:
        book.close()


def csv_grid(text: str, shown: str, report: Reporter) -> Optional[tuple[str, list[list[str]], list[str]]]:
    """A CSV file as a grid of text, with its separator (',', ';' or tab, as most of the first lines
    use it) and its lines (for the column of a cell)."""
    lines = text.splitlines()
    sample = lines[:HEADER_ROWS]
    delimiter = max((",", ";", "\t"), key=lambda d: sum(line.count(d) for line in sample))
    grid: list[list[str]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        cells = 0
        for row in reader:
            while len(grid) < reader.line_num - 1:  # a quoted line break: keep rows on their lines
                grid.append([])
            grid.append([c.strip().lstrip("\ufeff") for c in row])
            cells += len(row)
            if cells > MAX_CELLS:
                _too_many(shown, report)
                return None
    except csv.Error as exc:
        report.add(
            shown,
            reader.line_num or 1,
            1,
            "import-syntax",
            f"CSV syntax error: {exc}",
            "Check the quotes on this line: a value in quotes must end with a quote.",
        )
        return None
    if delimiter == ";":  # a decimal comma goes with semicolons
        grid = [[c.replace(",", ".") if re.fullmatch(r"-?[0-9]+,[0-9]+", c) else c for c in row] for row in grid]
    return delimiter, grid, lines


def csv_records(
    text: str, shown: str, header_row: Optional[int], report: Reporter
) -> Optional[tuple[Layout, Iterator[Record]]]:
    read = csv_grid(text, shown, report)
    if read is None:
        return None
    delimiter, grid, lines = read
    layout = find_layout(grid, header_row)
    if layout is None:
        _no_header(shown, header_row, report)
        return None

    def locator(index: dict[str, int]) -> Locator:
        located = CsvLocator(lines, [], delimiter)
        located.index = index
        return located

    return layout, records(grid, layout, locator)


def xlsx_records(
    path: Path, sheet: Optional[str], shown: str, header_row: Optional[int], report: Reporter
) -> Optional[tuple[Layout, Iterator[Record]]]:
    read = xlsx_grid(path, sheet, shown, report)
    if read is None:
        return None
    name, grid = read
    layout = find_layout(grid, header_row)
    if layout is None:
        _no_header(shown, header_row, report, name)
        return None
    return layout, records(grid, layout, lambda index: SheetLocator(name, index))


def _no_header(shown: str, header_row: Optional[int], report: Reporter, sheet: str = "") -> None:
    where = f"row {header_row}" if header_row else f"the first {HEADER_ROWS} rows"
    in_sheet = f" of sheet '{sheet}'" if sheet else ""
    report.add(
        shown,
        header_row or 1,
        1,
        "import-no-header",
        f"no header row found in {where}{in_sheet}: no country column with a column per year, or a year "
        "and a value column",
        "Name the columns: 'country' (codes or names) and either one column per year (2019, 2020, ...) or "
        "'year' and 'value'. Or give the header's row with --header-row.",
        place=f"{sheet}!A{header_row or 1}" if sheet else "",
    )
