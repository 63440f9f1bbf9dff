"""The mapping file of an import: which indicator, source and series a file gives, kept beside it
so the next edition imports with one short command.

    # kenya-ict-survey.import.yaml
    indicator: internet-users
    source: kenya-nbs
    select:
      SEX: _T
      AGE: [Y_GE15]
    country_field: REF_AREA

Options given on the command line win over the file's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from connect_site.content.read import decode, read_bounded
from connect_site.content.yamlload import YamlProblem, load
from connect_site.errors import Reporter, did_you_mean, join_hint
from connect_site.imports.records import Roles

MAX_MAPPING_BYTES = 64 * 1024
TEXT_KEYS = ("indicator", "source", "country_field", "year_field", "value_field", "quality_field", "sheet")
KEYS = (*TEXT_KEYS, "select", "header_row", "skip_unknown_countries")


@dataclass
class Plan:
    """Everything an import was asked to do."""

    indicator: Optional[str] = None
    source: Optional[str] = None
    roles: Roles = field(default_factory=Roles)
    sheet: Optional[str] = None
    header_row: Optional[int] = None
    skip_unknown: bool = False


def parse_select(
    items: list[str], where: str, report: Reporter, line: int = 1, col: int = 1
) -> dict[str, frozenset[str]]:
    """`FIELD=VALUE` (or `FIELD=V1+V2`, as SDMX keys write "or") -> field -> values."""
    out: dict[str, frozenset[str]] = {}
    for item in items:
        name, sep, values = item.partition("=")
        if not sep or not name.strip() or not values.strip():
            report.add(
                where,
                line,
                col,
                "import-select",
                f"'{item}' is not FIELD=VALUE",
                "Write the field and the value to keep, e.g. --select SEX=_T (several values: SEX=F+M).",
            )
            continue
        out[name.strip()] = frozenset(v.strip() for v in values.split("+"))
    return out


def read_mapping(path: Path, shown: str, report: Reporter) -> Plan:
    """The plan a mapping file gives; its problems go to `report` at their line."""
    plan = Plan()
    if path.is_symlink():
        report.add(shown, 1, 1, "symlink", "the mapping file is a symbolic link", "Give the file itself.")
        return plan
    data = read_bounded(path, MAX_MAPPING_BYTES)
    if data is None:
        report.add(shown, 1, 1, "file-too-large", "the mapping file is over 64 KiB", "It needs a few lines.")
        return plan
    text = decode(data, shown, report)
    if text is None:
        return plan
    try:
        doc = load(text)
    except YamlProblem as exc:
        report.add(shown, exc.line, exc.col, exc.code, exc.message, exc.hint)
        return plan
    if not isinstance(doc.data, dict):
        report.add(
            shown, 1, 1, "wrong-type", "a mapping file is a set of 'key: value' lines", f"Keys: {', '.join(KEYS)}."
        )
        return plan
    for key, value in doc.data.items():
        _apply(plan, str(key), value, doc.where((key,), key=True), shown, report)
    return plan


def _apply(plan: Plan, key: str, value: Any, at: tuple[int, int], shown: str, report: Reporter) -> None:
    if key not in KEYS:
        report.add(
            shown,
            *at,
            "unknown-field",
            f"unknown key '{key}'",
            join_hint(did_you_mean(key, KEYS), f"Keys: {', '.join(KEYS)}."),
        )
    elif key in TEXT_KEYS and not isinstance(value, (str, int, float)) or isinstance(value, bool) and key in TEXT_KEYS:
        report.add(shown, *at, "wrong-type", f"'{key}' is a single word, such as an id", "Write it after the colon.")
    elif key in TEXT_KEYS:
        attr = {"country_field": "area", "year_field": "period", "value_field": "value", "quality_field": "quality"}
        if key in attr:
            setattr(plan.roles, attr[key], str(value))
        else:
            setattr(plan, key, str(value))
    elif key == "select":
        if not isinstance(value, dict):
            report.add(shown, *at, "wrong-type", "'select' is a list of FIELD: VALUE lines", "e.g. select:\\n  SEX: _T")
            return
        for name, wanted in value.items():
            values = wanted if isinstance(wanted, list) else [wanted]
            plan.roles.select[str(name)] = frozenset(str(v) for v in values)
    elif key == "header_row":
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            report.add(shown, *at, "wrong-type", "'header_row' is the number of the header's row", "e.g. header_row: 3")
            return
        plan.header_row = value
    elif key == "skip_unknown_countries":
        if not isinstance(value, bool):
            report.add(shown, *at, "wrong-type", "'skip_unknown_countries' is true or false", "")
            return
        plan.skip_unknown = value
