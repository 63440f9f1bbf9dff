"""A tidy CSV table, `data/<indicator>.csv`, parsed with the place of every row and cell.

`read.py` opens and bounds the file; this module turns its text into a `Table`, and locates
what later checks report: a quoted cell may hold line breaks, so a row's cells are found on
the lines an editor shows (`Table.place`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from connect_site.errors import Reporter

MAX_CSV_FIELD = 4000


@dataclass
class CsvRow:
    line: int
    cells: list[str]  # in the order of Table.columns


@dataclass
class Table:
    """One tidy CSV table, `data/<indicator>.csv`."""

    path: str
    stem: str
    columns: list[str]
    rows: list[CsvRow] = field(default_factory=list)
    lines: list[str] = field(default_factory=list, repr=False)

    def place(self, line: int, index: int) -> tuple[int, int]:
        """Where cell `index` of the row that starts on `line` starts, as (line, 1-based column),
        computed on demand. A quoted cell may hold line breaks, so a row's later cells can start
        on a later line: the place is the one an editor shows. A row with fewer cells gives its
        last cell's place."""
        start = (line, 1)
        quoted = False
        cell = 0
        for number in range(line, len(self.lines) + 1):
            for i, ch in enumerate(self.lines[number - 1]):
                if ch == '"':
                    quoted = not quoted
                elif ch == "," and not quoted and cell < index:
                    cell += 1
                    start = (number, i + 2)
            if cell == index or not quoted:
                break
        return start


def _csv_syntax(exc: csv.Error, lines: list[str], start: int, end: int, shown: str, report: Reporter) -> None:
    """A CSV syntax error at the place to fix: a quote that is never closed is reported where it
    was opened (the reader only notices at the end of the file); anything else on the line where
    the reader stopped."""
    opened = _open_quote(lines, start)
    if "end of data" in str(exc) and opened is not None:
        line, col = opened
        report.add(
            shown,
            line,
            col,
            "csv-syntax",
            'CSV syntax error: the quote (") opened here is never closed',
            f"Close it at the end of the cell. The rest of the file, to line {end}, was read as one cell.",
        )
        return
    report.add(
        shown,
        end or 1,
        1,
        "csv-syntax",
        f"CSV syntax error: {exc}",
        "Check the quotes on this line: a value in quotes must end with a quote.",
    )


def _open_quote(lines: list[str], start: int) -> tuple[int, int] | None:
    """Where the quote that is still open at the end starts, reading from line `start`."""
    opened = None
    for number in range(start, len(lines) + 1):
        for i, ch in enumerate(lines[number - 1]):
            if ch == '"':
                opened = None if opened else (number, i + 1)
    return opened


def parse_table(text: str, stem: str, shown: str, report: Reporter) -> Table | None:
    """The table in `text` (already bounded and free of control characters); problems go to `report`."""
    raw_lines = text.splitlines()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    table: Table | None = None
    end = 0  # the last line of the row before: a row starts on the line after it
    try:
        for cells in reader:
            line, end = end + 1, reader.line_num
            if table is None:
                columns = [c.strip().lstrip("\ufeff") for c in cells]
                if len(columns) == 1 and columns[0].count(";") >= 2:
                    report.add(
                        shown,
                        1,
                        1,
                        "csv-semicolons",
                        "the columns are separated by semicolons (;), not commas",
                        "Spreadsheets in many languages save CSV with ';' and a decimal comma. Save it as "
                        "'CSV UTF-8 (comma delimited)' (LibreOffice: field delimiter ',') with a dot for decimals.",
                    )
                    return None
                table = Table(shown, stem, columns, lines=raw_lines)
                continue
            if not cells or all(not c.strip() for c in cells):
                continue
            if len(cells) != len(table.columns):
                report.add(
                    shown,
                    line,
                    1,
                    "csv-columns",
                    f"this row has {len(cells)} cells but the header has {len(table.columns)}",
                    "Check for a missing or extra comma; put values that contain commas in double quotes.",
                )
                continue
            if max(map(len, cells)) > MAX_CSV_FIELD:
                index = next(i for i, c in enumerate(cells) if len(c) > MAX_CSV_FIELD)
                report.add(
                    shown,
                    *table.place(line, index),
                    "csv-field-too-long",
                    f"a cell is longer than {MAX_CSV_FIELD} characters",
                    "Shorten it.",
                )
                continue
            table.rows.append(CsvRow(line, cells))
    except csv.Error as exc:
        _csv_syntax(exc, raw_lines, end + 1, reader.line_num, shown, report)
        return None
    if table is None:
        report.add(shown, 1, 1, "csv-empty", "the table is empty", "The first line must be: country,year,value")
        return None
    return table
