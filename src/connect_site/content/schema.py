"""The content model: one strict pydantic model per kind of file contributors write.

Every field has a description; it feeds the JSON Schema (`connect-site schema`) and the
contributor reference. Ids have one canonical form (target ids upper-case their letter,
country codes are upper case, slugs lower case). Cross-file rules (references,
uniqueness, unit ranges) live in `validate.py`.
"""

from __future__ import annotations

import calendar
import math
import re
from enum import StrEnum
from typing import Annotated, Any, Optional, Union
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    WithJsonSchema,
)
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
_LANG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")


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
    WithJsonSchema({"type": "string", "pattern": _SLUG.pattern.rstrip("\\Z") + "$", "maxLength": 80}),
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
                {"type": "string", "pattern": r"^[1-9]\.[0-9]{1,2}(\.[A-Za-z])?$"},
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
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{3}$"}),
]


def check_url(value: Any) -> Any:
    """Only absolute http(s) URLs, with a host and no spaces or control characters."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    bad = any(ord(c) < 33 or ord(c) == 127 for c in text)
    try:
        parts = urlsplit(text)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and not bad
    except ValueError:
        ok = False
    if not ok or len(text) > 2000:
        raise PydanticCustomError(
            "invalid-url",
            "'{value}' is not a web address: it must start with http:// or https:// and contain no spaces",
            {"value": text[:120]},
        )
    return text


Url = Annotated[
    str,
    BeforeValidator(check_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
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
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}, {"type": "integer"}]}
    ),
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


def _observed(value: Any) -> Any:
    if isinstance(value, (list, dict)) or value is None:
        raise PydanticCustomError(
            "invalid-number", "the value must be a single number, or true/false for a yes-no indicator"
        )
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
    Union[StrictBool, float],
    BeforeValidator(_observed),
    WithJsonSchema({"type": ["number", "boolean"]}),
]


def _lang(value: Any) -> Any:
    if isinstance(value, str) and not _LANG.match(value):
        raise PydanticCustomError(
            "invalid-language", "'{value}' is not a language code like 'en' or 'fr'", {"value": value[:40]}
        )
    return value


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


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(Strict):
    """A publication that numbers or texts come from, declared once and cited by id."""

    publisher: Text = Field(max_length=MAX_TITLE, description="Who publishes the source, e.g. 'ITU'.")
    title: Text = Field(max_length=MAX_TITLE, description="The title of the dataset or document.")
    url: Url = Field(description="Where a reader can find the source (http or https).")
    license: Text = Field(max_length=MAX_TITLE, description="Its licence, e.g. 'CC BY 4.0'.")
    edition: Text = Field(
        max_length=MAX_TITLE, description="The edition or vintage, e.g. '2024' or 'March 2026 extract'."
    )
    note: Optional[Text] = Field(
        None, max_length=2000, description="Anything a reader should know: how it was copied, caveats."
    )


class SiteConfig(Strict):
    """`site.yaml`: the settings of the whole microsite."""

    title: Text = Field(max_length=MAX_TITLE, description="The site's name, shown on every page.")
    tagline: Optional[Text] = Field(None, max_length=MAX_SUMMARY, description="One line under the title.")
    description: Optional[Text] = Field(
        None, max_length=2000, description="A paragraph for the home page and search engines."
    )
    base_url: Url = Field(
        description="The public address of the site, may include a sub-path (e.g. https://example.org/connect2030/)."
    )
    languages: list[Lang] = Field(
        default_factory=lambda: ["en"], min_length=1, description="Language codes the site is published in."
    )
    default_language: Lang = Field("en", description="The language served at the site root.")
    repository: Optional[Url] = Field(
        None,
        description="The public repository that takes contributions as pull requests (linked from the "
        "'how to contribute' page), e.g. https://github.com/example/connect2030.",
    )
    focus_targets: Optional[list[TargetId]] = Field(
        None,
        description="The targets to feature; overrides the targets' own `focus: true` flags.",
    )
    sources: dict[Slug, Source] = Field(
        default_factory=dict, description="Sources, by id (they may also live in sources.yaml)."
    )


class Goal(Strict):
    """`goals/<n>.yaml`: one of the five strategic goals."""

    id: int = Field(ge=1, le=5, description="The goal number, 1 to 5.")
    title: Text = Field(max_length=MAX_TITLE, description="The goal's one-word name, e.g. 'Growth'.")
    statement: Text = Field(max_length=2000, description="The official goal statement.")
    source: Slug = Field(description="Id of the source of the official wording.")
    note: Optional[Text] = Field(None, max_length=2000, description="A caveat shown with the goal.")
    body: Optional[str] = Field(None, max_length=MAX_BODY, description="Longer Markdown text.")


class Indicator(Strict):
    """An indicator that measures progress on a target."""

    id: Slug = Field(description="A unique id; its data file is data/<id>.csv.")
    title: Text = Field(max_length=MAX_TITLE, description="What is measured, in plain words.")
    unit: Unit = Field(description="The unit of every value: " + ", ".join(u.value for u in Unit) + ".")
    goal_value: Optional[float] = Field(None, description="The value that meets the target, e.g. 70 for 70 per cent.")
    direction: Optional[Direction] = Field(
        None, description="Whether higher (increase) or lower (decrease) values are better."
    )
    source: Slug = Field(description="Id of the default source of this indicator's observations.")
    description: Optional[Text] = Field(None, max_length=2000, description="Definition and caveats.")


class Target(Strict):
    """`targets/<id>.yaml`: one Connect 2030 target."""

    id: TargetId = Field(description='The target id, e.g. "1.4" or "2.1.A" (quoted).')
    goal: int = Field(ge=1, le=5, description="The goal the target belongs to, 1 to 5.")
    title: Optional[Text] = Field(None, max_length=MAX_TITLE, description="A short label for lists.")
    text: Text = Field(max_length=2000, description="The official wording of the target.")
    deadline: int = Field(ge=2000, le=2100, description="The year the target is due, e.g. 2023.")
    focus: bool = Field(False, description="True for the targets the 2021 Call to Action singles out.")
    source: Slug = Field(description="Id of the source of the official wording.")
    note: Optional[Text] = Field(None, max_length=2000, description="A caveat shown with the target.")
    indicators: list[Indicator] = Field(default_factory=list, description="How progress is measured.")
    body: Optional[str] = Field(None, max_length=MAX_BODY, description="Longer Markdown text.")


class Evidence(Strict):
    """The document that shows a yes/no fact."""

    title: Text = Field(max_length=MAX_TITLE, description="The document's title.")
    url: Url = Field(description="Where the document can be read.")


class Statistic(Strict):
    """One observation written in a country file."""

    indicator: Slug = Field(description="Id of the indicator observed.")
    year: int = Field(description="The reference year of the value.")
    value: ObservedValue = Field(description="The number, or true/false for a yes-no indicator.")
    source: Optional[Slug] = Field(None, description="Id of the source; defaults to the file's or the indicator's.")
    note: Optional[Text] = Field(None, max_length=2000, description="A footnote for this value.")
    evidence: Optional[Evidence] = Field(None, description="For yes-no indicators: the document that shows it.")


class CountryStatus(Strict):
    """A country's own account of where it stands on a target."""

    target: TargetId = Field(description="The target id.")
    status: TargetStatus = Field(description="One of: " + ", ".join(s.value for s in TargetStatus) + ".")
    year: int = Field(ge=1990, le=2100, description="The year this status was assessed.")
    note: Optional[Text] = Field(None, max_length=2000, description="What the status rests on.")
    url: Optional[Url] = Field(None, description="A public document that supports the status.")


class Country(Strict):
    """`countries/<ISO3>.yaml`: what is new about a country (name and region come built in)."""

    iso3: Optional[Iso3] = Field(None, description="The ISO 3166-1 alpha-3 code; must match the file name.")
    name: Optional[Text] = Field(None, max_length=MAX_TITLE, description="A display name overriding the built-in one.")
    source: Optional[Slug] = Field(None, description="Default source id for this file's statistics.")
    statistics: list[Statistic] = Field(default_factory=list, description="Observations for this country.")
    statuses: list[CountryStatus] = Field(default_factory=list, description="Self-reported target statuses.")
    summary: Optional[Text] = Field(None, max_length=MAX_SUMMARY, description="One sentence shown on the country page.")
    body: Optional[str] = Field(None, max_length=MAX_BODY, description="Longer Markdown text.")


class Initiative(Strict):
    """`initiatives/<slug>.md`: a national initiative towards one or more targets."""

    title: Text = Field(max_length=MAX_TITLE, description="The initiative's name.")
    countries: list[Iso3] = Field(min_length=1, description="Country codes (ISO alpha-3), at least one.")
    targets: list[TargetId] = Field(min_length=1, description='Target ids it serves, e.g. ["1.4"].')
    kind: InitiativeKind = Field(description="One of: " + ", ".join(k.value for k in InitiativeKind) + ".")
    status: InitiativeStatus = Field(description="One of: planned, ongoing, completed.")
    start: Optional[PartialDate] = Field(None, description="When it started: YYYY, YYYY-MM or YYYY-MM-DD.")
    end: Optional[PartialDate] = Field(None, description="When it ended or ends: YYYY, YYYY-MM or YYYY-MM-DD.")
    lead: Text = Field(max_length=MAX_TITLE, description="The body that leads it, e.g. a ministry.")
    url: Optional[Url] = Field(None, description="A public page about it (http or https).")
    summary: Optional[Text] = Field(None, max_length=MAX_SUMMARY, description="One plain sentence.")
    body: Optional[str] = Field(None, max_length=MAX_BODY, description="The description, in Markdown.")


class Contributor(Strict):
    """Who shares a practice."""

    name: Text = Field(max_length=MAX_TITLE, description="The organisation's name.")
    type: ContributorType = Field(description="One of: " + ", ".join(c.value for c in ContributorType) + ".")
    url: Optional[Url] = Field(None, description="The organisation's web site.")


class Practice(Strict):
    """`practices/<slug>.md`: a stakeholder's contribution (good practice, case study, ...)."""

    title: Text = Field(max_length=MAX_TITLE, description="The contribution's title.")
    kind: PracticeKind = Field(description="One of: " + ", ".join(k.value for k in PracticeKind) + ".")
    contributor: Contributor = Field(description="Who shares it: name and type.")
    countries: list[Iso3] = Field(default_factory=list, description="Countries concerned; empty for global.")
    targets: list[TargetId] = Field(min_length=1, description='Target ids it serves, e.g. ["3.5"].')
    date: Optional[PartialDate] = Field(None, description="Publication or launch date: YYYY, YYYY-MM or YYYY-MM-DD.")
    url: Optional[Url] = Field(None, description="A public page about it (http or https).")
    summary: Optional[Text] = Field(None, max_length=MAX_SUMMARY, description="One plain sentence.")
    body: Optional[str] = Field(None, max_length=MAX_BODY, description="The description, in Markdown.")


class Translation(Strict):
    """`initiatives/<slug>.<lang>.md` (or practices/): an entry's title, summary and body in another language.

    The file sits beside the entry it translates; <lang> is one of the site's languages
    (ar, zh, fr, ru, es). Every other field (countries, targets, dates...) comes from the
    entry itself. A page in a language without a translation shows the original, marked
    "not yet translated".
    """

    title: Text = Field(max_length=MAX_TITLE, description="The title, translated.")
    summary: Optional[Text] = Field(None, max_length=MAX_SUMMARY, description="The summary, translated.")
    body: Optional[str] = Field(None, max_length=MAX_BODY, description="The description, translated, in Markdown.")


# What `connect-site new` writes as the body of an entry when none is given; `check` warns
# while it is still there, so the placeholder is never published by mistake.
BODY_PLACEHOLDER = {
    "initiative": "Describe the initiative in plain words: what it does, for whom, and what it has achieved so far.\n"
    "Say where the facts come from, with links to the public documents.\n",
    "practice": "Describe the practice in plain words: the problem, what was done, what was learned, and the results.\n"
    "Say where the facts come from, with links to the public documents.\n",
}


KINDS: dict[str, type[Strict]] = {
    "site": SiteConfig,
    "goal": Goal,
    "target": Target,
    "country": Country,
    "initiative": Initiative,
    "practice": Practice,
    "translation": Translation,
}

# Fields a contributor might type on the wrong side of a link, with the hint to give.
ONE_SIDED_LINKS: dict[tuple[str, str], str] = {
    ("country", "initiatives"): "List the country in the initiative's `countries:` instead; "
    "the country page shows its initiatives by itself.",
    ("country", "practices"): "List the country in the practice's `countries:` instead.",
    ("target", "initiatives"): "List the target in the initiative's `targets:` instead.",
    ("target", "practices"): "List the target in the practice's `targets:` instead.",
    ("goal", "targets"): "Each target names its goal with `goal:`; the goal page lists them by itself.",
}
