"""SDMX data messages into records: SDMX-CSV 1.0 and 2.0, and SDMX-ML 2.1 (generic and structure-specific).

SDMX-ML is read with lxml's `iterparse`, streaming: each observation is a record as soon as its
element ends, and the elements read are freed, so a large message costs the memory of one
series. Entities are not resolved and nothing is fetched (no DTD, no network), so a message
cannot read a local file or reach a server. An element's line (`sourceline`) is where its
problems are reported, with the series key.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from connect_site.errors import Reporter
from connect_site.imports.records import Locator, Record, Where

SDMX_CSV_FIRST = ("STRUCTURE", "DATAFLOW")  # the first column of SDMX-CSV 2.0 and 1.0


def is_sdmx_csv(first_line: str) -> bool:
    head = first_line.lstrip("\ufeff").strip().strip('"').upper()
    return any(head.startswith(name) for name in SDMX_CSV_FIRST)


class CsvLocator(Locator):
    """The column where a cell of a CSV row starts, found on demand in the file's lines."""

    def __init__(self, lines: list[str], columns: list[str], delimiter: str) -> None:
        super().__init__({name: i for i, name in enumerate(columns)})
        self.lines = lines
        self.delimiter = delimiter

    def place(self, line: int, index: Optional[int]) -> Where:
        if not index or not 0 < line <= len(self.lines):
            return Where(line, 1)
        quoted, cell = False, 0
        for i, ch in enumerate(self.lines[line - 1]):
            if ch == '"':
                quoted = not quoted
            elif ch == self.delimiter and not quoted:
                cell += 1
                if cell == index:
                    return Where(line, i + 2)
        return Where(line, 1)


def _name(header: str) -> str:
    """A column's id: "OBS_VALUE: Observation value" -> OBS_VALUE, "ATTR_1[en;fr]" -> ATTR_1."""
    name = header.split(": ", 1)[0].strip().lstrip("\ufeff")
    return name.split("[", 1)[0].strip()


def _delimiter(first: str) -> str:
    """The column separator: the character after the first column's name (STRUCTURE[;] names the
    separator of values within a cell, not of columns)."""
    head = first.lstrip("\ufeff").lstrip('"')
    upper = head.upper()
    end = head.find("]") + 1 if upper.startswith("STRUCTURE[") else 9 if upper.startswith("STRUCTURE") else 8
    end += head[end : end + 1] == '"'
    return head[end] if head[end : end + 1] in (",", ";", "\t") else ","


def read_sdmx_csv(text: str, shown: str, report: Reporter) -> Iterator[Record]:
    """The observations of an SDMX-CSV file. Columns and values may carry labels ("A: Annual"):
    the code before ": " is taken. With ';' between columns, a decimal comma is read as a point."""
    lines = text.splitlines()
    delimiter = _delimiter(lines[0] if lines else "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: Optional[list[str]] = None
    labelled: list[bool] = []
    locator: Optional[CsvLocator] = None
    end = 0
    try:
        for cells in reader:
            line, end = end + 1, reader.line_num
            if header is None:
                header = [_name(c) for c in cells]
                labelled = [": " in c for c in cells]
                locator = CsvLocator(lines, header, delimiter)
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                report.add(
                    shown,
                    line,
                    1,
                    "import-columns",
                    f"this row has {len(cells)} cells but the header has {len(header)}",
                    "Check for a missing or extra separator; a value with one must be in double quotes.",
                )
                continue
            fields = {}
            for name, cell, has_label in zip(header, cells, labelled, strict=True):
                value = cell.split(": ", 1)[0] if has_label else cell
                fields[name] = value.strip()
            if delimiter == ";" and "OBS_VALUE" in fields:
                fields["OBS_VALUE"] = fields["OBS_VALUE"].replace(",", ".")
            assert locator is not None
            yield Record(fields, line, locator)
    except csv.Error as exc:
        report.add(
            shown,
            reader.line_num or 1,
            1,
            "import-syntax",
            f"CSV syntax error: {exc}",
            "Check the quotes on this line: a value in quotes must end with a quote.",
        )


# -- SDMX-ML ---------------------------------------------------------------------------------

DATA_MESSAGES = {
    "GenericData",
    "GenericTimeSeriesData",
    "StructureSpecificData",
    "StructureSpecificTimeSeriesData",
    "CompactData",
}
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def _local(tag: object) -> str:
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def _plain(attrib: dict[str, str]) -> dict[str, str]:
    """An element's attributes without namespaced ones (xsi:type, structureRef, ...)."""
    return {k: v.strip() for k, v in attrib.items() if not k.startswith("{")}


class _Message:
    """What a data message has read so far: its kind, the dimension at observation, the current series."""

    def __init__(self) -> None:
        self.kind = ""
        self.at_obs = "TIME_PERIOD"
        self.dataset: dict[str, str] = {}
        self.series: dict[str, str] = {}
        self.series_key: list[str] = []
        self.obs: dict[str, str] = {}
        self.obs_line = 0
        self.stack: list[str] = []

    @property
    def generic(self) -> bool:
        return self.kind.startswith("Generic")

    def key(self) -> str:
        if self.generic:
            return ", ".join(self.series_key)
        return ", ".join(f"{k}={v}" for k, v in self.series.items())


def read_sdmx_ml(path: Path, shown: str, report: Reporter) -> Iterator[Record]:
    """The observations of an SDMX-ML 2.1 data message, generic or structure-specific (series,
    flat or cross-sectional), streaming."""
    from lxml import etree

    locator = Locator()
    msg = _Message()
    events = etree.iterparse(
        str(path),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        for event, el in events:
            name = _local(el.tag)
            if event == "start":
                if not _started(msg, name, el, shown, report):
                    return
                continue
            msg.stack.pop()
            record = _ended(msg, name, el)
            if record is not None:
                yield Record(record, msg.obs_line, locator, msg.key())
            if name in ("Obs", "Series", "Group"):
                el.clear(keep_tail=False)
                while el.getprevious() is not None:  # free what was read: memory stays one series
                    del el.getparent()[0]
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno or 1, 1)
        report.add(
            shown,
            line or 1,
            col or 1,
            "import-syntax",
            f"XML syntax error: {exc.msg}",
            "The file is not well-formed XML: was it cut short, or edited by hand?",
        )


def _started(msg: _Message, name: str, el: object, shown: str, report: Reporter) -> bool:
    attrib = _plain(dict(el.attrib))  # type: ignore[attr-defined]
    line = int(el.sourceline or 1)  # type: ignore[attr-defined]
    if not msg.stack:
        if name not in DATA_MESSAGES:
            report.add(
                shown,
                line,
                1,
                "import-not-data",
                f"this SDMX-ML message is a {name}, not a data message",
                "Download the data (GenericData or StructureSpecificData), not the structure or metadata.",
            )
            return False
        msg.kind = name
    parent = msg.stack[-1] if msg.stack else ""
    msg.stack.append(name)
    if name == "Structure" and parent == "Header":
        msg.at_obs = attrib.get("dimensionAtObservation", msg.at_obs)
    elif name == "DataSet":
        msg.dataset = {} if msg.generic else attrib
    elif name == "Series":
        msg.series = {} if msg.generic else attrib
        msg.series_key = []
    elif name == "Obs":
        msg.obs_line = line
        msg.obs = {} if msg.generic else attrib
        kind = dict(el.attrib).get(XSI_TYPE)  # type: ignore[attr-defined]
        if not msg.generic and kind and msg.at_obs not in msg.obs:  # a cross-section's measure
            msg.obs[msg.at_obs] = kind.rsplit(":", 1)[-1]
        if parent == "DataSet":  # a flat message: no series
            msg.series, msg.series_key = {}, []
    return True


def _ended(msg: _Message, name: str, el: object) -> Optional[dict[str, str]]:
    """The record when an observation ends; for a generic message, its values as they end."""
    get = el.get  # type: ignore[attr-defined]
    if name == "Obs":
        return {**msg.dataset, **msg.series, **msg.obs}
    if not msg.generic:
        return None
    where = msg.stack[-2:] if len(msg.stack) >= 2 else msg.stack
    if name == "Value":
        key, value = get("id", ""), (get("value") or "").strip()
        if "SeriesKey" in where:
            msg.series[key] = value
            msg.series_key.append(f"{key}={value}")
        elif "Obs" in where or "ObsKey" in where:
            msg.obs[key] = value
        elif "Series" in where:
            msg.series[key] = value
        elif "DataSet" in where:
            msg.dataset[key] = value
    elif name == "ObsDimension":
        msg.obs[get("id") or msg.at_obs] = (get("value") or "").strip()
    elif name == "ObsValue":
        msg.obs["OBS_VALUE"] = (get("value") or "").strip()
    return None
