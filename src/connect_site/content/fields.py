"""The types of the content model's fields: text, ids, dates, URLs, observed values, and the choices.

Each type converts what a contributor typed (YAML keeps numbers as the text written, see
`yamlload`) into one canonical form, or raises a `PydanticCustomError` with a code and a
message in plain words; `validate.py` turns those into located diagnostics. The models
that use them are in `schema.py`.
"""

from __future__ import annotations

import calendar
import math
import re
from enum import StrEnum
from typing import Annotated, Any, Optional, Union
from urllib.parse import urlsplit

from babel import localedata
from pydantic import AfterValidator, BeforeValidator, StrictBool, WithJsonSchema
from pydantic_core import PydanticCustomError

from connect_site.content.yamlload import YamlFloat, YamlInt

MAX_TITLE = 200
MAX_SUMMARY = 300
MAX_BODY = 100_000


def _number_text(value: Any) -> Any:
    """Numbers written where text is expected are kept as the text that was typed."""
    if isinstance(value, (YamlInt, YamlFloat)):
        return value.raw
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _clean_text(value: Any) -> Any:
    value = _number_text(value)
    if isinstance(value, str):
        value = value.strip()
        if not value:
            raise PydanticCustomError("empty", "this field is empty")
    return value


Text = Annotated[str, BeforeValidator(_clean_text)]

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_TARGET = re.compile(r"([1-9])\.([0-9]{1,2})(?:\.([A-Za-z]))?\Z")
_ISO3 = re.compile(r"[A-Za-z]{3}\Z")
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
_LANG = re.compile(r"[a-z]{2,3}\Z")  # a page prefix (/fr/): a language, no region

# The same rules for editors, as JSON Schema patterns (ECMA-262 regular expressions, which
# `pattern` searches for anywhere in the value: each is anchored at both ends). What they
# cannot say is left to `check`: a day its month does not have, a web address's host.
# tests/content/test_jsonschema.py holds them to the validators below.
SLUG_PATTERN = "^" + _SLUG.pattern.removesuffix("\\Z") + "$"
TARGET_PATTERN = r"^[1-9]\.[0-9]{1,2}(\.[A-Za-z])?$"
ISO3_PATTERN = "^[A-Za-z]{3}$"
DATE_PATTERN = "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\x00-\x20\x7f/?#]+([/?#][^\x00-\x20\x7f]*)?$"
MAX_URL = 2000


def is_slug(value: str) -> bool:
    return len(value) <= 80 and bool(_SLUG.match(value))


def _slug(value: Any) -> Any:
    value = _number_text(value)
    if not isinstance(value, str):
        return value
    if not is_slug(value):
        raise PydanticCustomError(
            "invalid-slug",
            "'{value}' is not a valid id: use lower-case letters, digits and hyphens (at most 80 characters)",
            {"value": value[:100]},
        )
    return value


Slug = Annotated[
    str,
    BeforeValidator(_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN, "maxLength": 80}),
]


def target_sort_key(target_id: str) -> tuple[int, int, str]:
    """Targets in their official order: 1.2 before 1.10, 2.1 before 2.1.A."""
    parts = target_id.split(".")
    return (int(parts[0]), int(parts[1]), parts[2] if len(parts) > 2 else "")


def canonical_target_id(value: Any) -> Any:
    """`1.4`, `"2.1.a"` and `2.1.A` to the canonical string; catches `3.10` typed bare."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (YamlFloat, YamlInt)):
        raw = value.raw
        if isinstance(value, YamlFloat) and repr(float(value)) != raw:
            raise PydanticCustomError(
                "ambiguous-number",
                "'{raw}' is read by YAML as the number {number}, which is not the same",
                {"raw": raw, "number": repr(float(value))},
            )
        value = raw
    elif isinstance(value, float):
        value = repr(value)
    elif isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return value
    m = _TARGET.match(value.strip())
    if not m:
        raise PydanticCustomError(
            "invalid-target-id",
            '\'{value}\' is not a target id like "1.4" or "2.1.A"',
            {"value": value[:100]},
        )
    goal, number, part = m.groups()
    return f"{goal}.{int(number)}" + (f".{part.upper()}" if part else "")


TargetId = Annotated[
    str,
    BeforeValidator(canonical_target_id),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": TARGET_PATTERN},
                {"type": "number"},
            ],
            "description": 'A Connect 2030 target id such as "1.4" or "2.1.A". Quote it.',
        }
    ),
]


def _iso3(value: Any) -> Any:
    if isinstance(value, str) and _ISO3.match(value.strip()):
        return value.strip().upper()
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        raise PydanticCustomError(
            "invalid-country-code",
            "'{value}' is not a three-letter country code (ISO 3166-1 alpha-3, like KEN)",
            {"value": str(value)[:100]},
        )
    return value


Iso3 = Annotated[
    str,
    BeforeValidator(_iso3),
    WithJsonSchema({"type": "string", "pattern": ISO3_PATTERN}),
]


def check_url(value: Any) -> Any:
    """Only absolute http(s) URLs, with a host and no spaces or control characters, that a
    reader can trust: no user name or password, no backslash (browsers read it as '/', Python
    as part of the host: two hosts for one address), a valid port. A host in another script is
    kept in its ASCII (punycode) form, so that a look-alike cannot pass for a known name."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    bad = any(ord(c) < 33 or ord(c) == 127 for c in text)
    try:
        parts = urlsplit(text)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and not bad
    except ValueError:
        ok = False
    try:
        _ = ok and parts.port  # a port that is not a number from 0 to 65535 raises ValueError
    except ValueError:
        raise PydanticCustomError(
            "invalid-url", "'{value}' has an invalid port number", {"value": text[:120]}
        ) from None
    if not ok or len(text) > MAX_URL:
        raise PydanticCustomError(
            "invalid-url",
            "'{value}' is not a web address: it must start with http:// or https:// and contain no spaces",
            {"value": text[:120]},
        )
    if parts.username is not None or parts.password is not None:
        raise PydanticCustomError(
            "unsafe-url", "'{value}' contains a user name or password before '@'", {"value": text[:120]}
        )
    if "\\" in text:
        raise PydanticCustomError("unsafe-url", "'{value}' contains a backslash", {"value": text[:120]})
    host = parts.hostname or ""
    if not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise PydanticCustomError(
                "invalid-url", "'{value}' has a host name that cannot be written in ASCII", {"value": text[:120]}
            ) from None
        netloc = ascii_host + (f":{parts.port}" if parts.port is not None else "")
        text = parts._replace(netloc=netloc).geturl()
    return text


def check_base_url(value: Any) -> Any:
    """The site's own address: a web address (check_url) that pages and the sitemap can put
    after it: no query, no fragment, no quote or angle bracket."""
    text = check_url(value)
    if isinstance(text, str):
        parts = urlsplit(text)
        if parts.query or parts.fragment or "?" in text or "#" in text or any(c in text for c in "\"'<>"):
            raise PydanticCustomError(
                "invalid-url",
                "'{value}' cannot be the site's address: it has a '?', a '#', a quote or an angle bracket",
                {"value": text[:120]},
            )
    return text


BaseUrl = Annotated[
    str,
    BeforeValidator(check_base_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": URL_PATTERN, "maxLength": MAX_URL}),
]


Url = Annotated[
    str,
    BeforeValidator(check_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": URL_PATTERN, "maxLength": MAX_URL}),
]


def _partial_date(value: Any) -> Any:
    value = _number_text(value)
    if not isinstance(value, str):
        return value
    m = _DATE.match(value.strip())
    valid = False
    if m:
        year, month, day = (int(x) if x else None for x in m.groups())
        assert year is not None
        valid = month is None or 1 <= month <= 12
        if valid and month is not None and day is not None:
            valid = 1 <= day <= calendar.monthrange(year, month)[1]
    if not valid:
        raise PydanticCustomError(
            "invalid-date",
            "'{value}' is not a date: write YYYY-MM-DD (or YYYY-MM, or YYYY)",
            {"value": value[:100]},
        )
    return value.strip()


PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": DATE_PATTERN}, {"type": "integer"}]}),
]


NUMBER_TEXT = re.compile(
    r"[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?|nan|inf|infinity)\Z", re.IGNORECASE
)


class NotANumber(ValueError):
    """An observed value that is neither a plain decimal number nor true/false."""


class NotFinite(ValueError):
    """An observed value that is NaN or infinite."""


def read_observed(value: object) -> Union[float, bool]:
    """The one rule for an observed value, written inline or in a CSV cell.

    A plain decimal number (a dot for decimals, no thousands separators, ASCII digits:
    `float()` alone would take "1_000" and "١٢") or true/false. Raises NotANumber or
    NotFinite.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        if not NUMBER_TEXT.match(text):
            raise NotANumber(text)
        value = float(text)
    if not isinstance(value, (int, float)):
        raise NotANumber(repr(value))
    number = float(value)
    if not math.isfinite(number):
        raise NotFinite(str(value))
    return number


CATEGORY_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9+-]{0,19}\Z")


def _observed(value: Any) -> Any:
    if isinstance(value, (list, dict)) or value is None:
        raise PydanticCustomError(
            "invalid-number", "the value must be a single number, or true/false for a yes-no indicator"
        )
    if isinstance(value, str) and CATEGORY_CODE.match(value.strip()) and not NUMBER_TEXT.match(value.strip()):
        if value.strip().lower() not in ("true", "false"):
            return value.strip()  # a category code ("A"); its indicator's categories decide (observations.py)
    try:
        return read_observed(value)
    except NotFinite:
        raise PydanticCustomError("not-finite", "the value must be a finite number") from None
    except NotANumber:
        raise PydanticCustomError(
            "invalid-number",
            "'{value}' is not a number (or true/false for a yes-no indicator)",
            {"value": str(value).strip()[:60]},
        ) from None


ObservedValue = Annotated[
    Union[StrictBool, float, str],
    BeforeValidator(_observed),
    WithJsonSchema({"type": ["number", "boolean", "string"]}),
]


def _lang(value: Any) -> Any:
    if isinstance(value, str) and not _LANG.match(value):
        raise PydanticCustomError(
            "invalid-language", "'{value}' is not a language code like 'en' or 'fr'", {"value": value[:40]}
        )
    if isinstance(value, str) and not localedata.exists(value):
        raise PydanticCustomError(
            "invalid-language",
            "'{value}' is not a language the site can be published in (no locale data for it)",
            {"value": value},
        )
    return value


# Figures beyond this are not whole numbers in a float any more (2**53 is about 9.0e15) and
# overflow the decimal formatting of the pages: no statistic here comes near it.
MAX_MAGNITUDE = 1e15


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise PydanticCustomError("not-finite", "the value must be a finite number")
    if abs(value) >= MAX_MAGNITUDE:
        raise PydanticCustomError("not-finite", "the value must be smaller than 10^15")
    return value


Finite = Annotated[float, AfterValidator(_finite)]  # "1e400" would read as inf, and inf breaks the charts and JSON


Lang = Annotated[str, BeforeValidator(_lang)]


class Unit(StrEnum):
    PERCENT = "percent"
    PER_100 = "per-100"
    COUNT = "count"
    SCORE = "score"
    INDEX = "index"
    KG_PER_CAPITA = "kg-per-capita"
    TONNES = "tonnes"
    YES_NO = "yes-no"
    CATEGORY = "category"


# The values each unit allows (low, high; None: no upper bound). Category and yes-no have none.
UNIT_RANGES: dict[Unit, tuple[float, Optional[float]]] = {
    Unit.PERCENT: (0.0, 100.0),
    Unit.PER_100: (0.0, None),
    Unit.COUNT: (0.0, None),
    Unit.SCORE: (0.0, 100.0),
    Unit.INDEX: (0.0, 1.0),
    Unit.KG_PER_CAPITA: (0.0, None),
    Unit.TONNES: (0.0, None),
}


class Scope(StrEnum):
    """Who is to reach a target: each country, or the world as a whole."""

    COUNTRY = "country"
    WORLD = "world"


class Relation(StrEnum):
    """How an indicator relates to its target: it measures what the target names, or it stands in
    for it (a proxy), which readers must be told beside every figure."""

    MEASURES = "measures"
    PROXY = "proxy"


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class InitiativeKind(StrEnum):
    STRATEGY = "strategy"
    POLICY = "policy"
    LAW_OR_REGULATION = "law-or-regulation"
    PROGRAMME = "programme"
    PROJECT = "project"
    PLAN = "plan"
    PLATFORM = "platform"


class InitiativeStatus(StrEnum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    COMPLETED = "completed"


class PracticeKind(StrEnum):
    CHALLENGE = "challenge"
    LESSON_LEARNED = "lesson-learned"
    EXPERTISE = "expertise"
    GUIDELINE = "guideline"
    SUCCESS_STORY = "success-story"
    CASE_STUDY = "case-study"
    GOOD_PRACTICE = "good-practice"
    SOLUTION = "solution"
    PUBLICATION = "publication"
    POLICY = "policy"


class ContributorType(StrEnum):
    MEMBER_STATE = "member-state"
    SECTOR_MEMBER = "sector-member"
    ASSOCIATE = "associate"
    ACADEMIA = "academia"
    UN_ENTITY = "un-entity"
    CIVIL_SOCIETY = "civil-society"
    PRIVATE_SECTOR = "private-sector"
    OTHER = "other"


class TargetStatus(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on-track"
    IN_PROGRESS = "in-progress"
    OFF_TRACK = "off-track"
    NOT_STARTED = "not-started"
