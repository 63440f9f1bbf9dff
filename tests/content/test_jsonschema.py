"""The exported JSON Schemas refuse what `check` refuses, as an editor reads them.

Every `pattern` of every schema in schemas/ is run through a JSON Schema validator
(`jsonschema`, which searches a pattern anywhere in the value, as yaml-language-server
does) against the values `check` is tested with, and its verdict is compared with the
one of the field type that `check` uses. tests/content/test_editor.py does the same
through the real yaml-language-server, over whole files.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator
from pydantic import TypeAdapter, ValidationError
from test_fuzz import TRICKY_STRINGS

from connect_site.content.fields import (
    DATE_PATTERN,
    ISO3_PATTERN,
    SLUG_PATTERN,
    TARGET_PATTERN,
    URL_PATTERN,
    Iso3,
    PartialDate,
    Slug,
    TargetId,
    Url,
)
from connect_site.content.jsonschema import documents

# Each pattern, and the field type whose validator `check` runs.
CHECKED_BY: dict[str, Any] = {
    SLUG_PATTERN: Slug,
    TARGET_PATTERN: TargetId,
    ISO3_PATTERN: Iso3,
    DATE_PATTERN: PartialDate,
    URL_PATTERN: Url,
}

# The values of tests/content/test_broken.py and test_valid.py, and ids at their limits.
VALUES = TRICKY_STRINGS + [
    "Internet_Users",
    "internet-users",
    "internet users",
    "internet--users",
    "-internet",
    "internet-",
    "Kenya_Plan",
    "kenya-plan-2",
    "a" * 80,
    "a" * 81,
    "x-Internet_Users",
    "one",
    "3.100",
    "2.1.AB",
    "KENYA",
    "KE1",
    "2022-1",
    "2022-02-28",
    "2022-04-31",
    "2022-12-31",
    "20222",
    "https://example.org/ken",
    "HTTPS://EXAMPLE.ORG/KEN",
    "http://example.org:8080/a?b=c#d",
    "https://example.org/a b",
    "https://example.org/\x7f",
    "https:///path",
    "https://?q",
    "https://example.org/" + "y" * 1990,
    "http://[::1",
    "xhttps://example.org",
]


def _day_its_month_lacks(value: str) -> bool:
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value)
    return bool(m) and int(m[3]) > calendar.monthrange(int(m[1]), int(m[2]))[1]


def _host_unreadable(value: str) -> bool:
    try:
        return urlsplit(value).hostname is None
    except ValueError:
        return True


# What only `check` can see, the one way the editor may be more lenient: never stricter.
ONLY_CHECK_SEES: dict[str, Callable[[str], bool]] = {
    DATE_PATTERN: _day_its_month_lacks,
    URL_PATTERN: _host_unreadable,
}


def _with_patterns(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema with a `pattern`, and where it is."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _with_patterns(item, f"{where}/{i}")
    elif isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield where, node
        for key, value in node.items():
            yield from _with_patterns(value, f"{where}/{key}")


PATTERNS = [(f"{name}#{where}", node) for name, doc in documents().items() for where, node in _with_patterns(doc, "")]


def _check_accepts(kind: Any, value: str) -> bool:
    try:
        TypeAdapter(kind).validate_python(value)
    except ValidationError:
        return False
    return True


def test_every_schema_has_patterns() -> None:
    """The walk finds the id patterns the issue was about (a walk that found none would pass)."""
    found = {name.split("#")[0] for name, node in PATTERNS if node["pattern"] == SLUG_PATTERN}
    for name in ("country.schema.json", "goal.schema.json", "target.schema.json", "sources.schema.json"):
        assert name in found, name
    assert len(PATTERNS) > 30


def test_no_mapping_lets_a_bad_key_through() -> None:
    """`patternProperties` accepts, unchecked, a key that matches none of its patterns."""
    assert [name for name, doc in documents().items() if "patternProperties" in str(doc)] == []


@pytest.mark.parametrize(("where", "node"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_a_pattern_refuses_what_check_refuses(where: str, node: dict[str, Any]) -> None:
    pattern = node["pattern"]
    assert pattern.startswith("^") and pattern.endswith("$"), "anchor it at both ends"
    assert pattern in CHECKED_BY, f"{pattern!r}: which of check's validators does it stand for?"
    editor = Draft202012Validator(node)
    lenient = ONLY_CHECK_SEES.get(pattern, lambda value: False)
    disagree = []
    # Python's `$` also matches before a final newline, ECMA-262's does not: such values are
    # left to the yaml-language-server test.
    for value in (v for v in VALUES if not v.endswith("\n")):
        accepted, checked = editor.is_valid(value), _check_accepts(CHECKED_BY[pattern], value)
        if accepted != checked and not (accepted and lenient(value)):
            disagree.append(f"{value[:40]!r}: editor {'accepts' if accepted else 'refuses'}, check does not")
    assert disagree == [], "\n".join(disagree)


def test_the_broken_id_of_the_issue() -> None:
    country = Draft202012Validator(documents()["country.schema.json"])
    good = {"statistics": [{"indicator": "internet-users", "year": 2023, "value": 40.8, "source": "itu"}]}
    assert list(country.iter_errors(good)) == []
    bad = {"statistics": [{"indicator": "Internet_Users", "year": 2023, "value": 40.8, "source": "itu"}]}
    assert [e.message for e in country.iter_errors(bad)] == [
        f"'Internet_Users' does not match '{SLUG_PATTERN}'",
    ]
