"""What the downloads page lists besides its page data: every file, grouped, and the CSV columns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connect_site.site.datapackage import CSV_COLUMNS
from connect_site.site.exports import Download


@dataclass(frozen=True)
class DownloadRow:
    """One line of the downloads page: a thing (an indicator, a country) and its files."""

    label: str
    key: str  # the indicator id or the country code; "" for the whole set
    files: tuple[tuple[str, str, int], ...]  # (format, path, bytes)


def downloads_extra(data: list[Download]) -> dict[str, Any]:
    return {"downloads_by_group": _rows(data), "csv_columns": CSV_COLUMNS}


def _rows(data: list[Download]) -> dict[str, list[DownloadRow]]:
    grouped: dict[tuple[str, str], list[Download]] = {}
    for d in data:
        grouped.setdefault((d.group, d.key or d.label), []).append(d)
    out: dict[str, list[DownloadRow]] = {}
    for (group, _key), items in grouped.items():
        files = tuple((d.format, d.path, len(d.data)) for d in items)
        out.setdefault(group, []).append(DownloadRow(items[0].label, items[0].key, files))
    for rows in out.values():
        rows.sort(key=lambda r: (r.label.casefold(), r.files))
    return out
