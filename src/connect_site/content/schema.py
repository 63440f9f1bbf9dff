"""The content model: one strict pydantic model per kind of file contributors write.

Every field has a description; it feeds the JSON Schema (`connect-site schema`) and the
contributor reference. Ids have one canonical form (target ids upper-case their letter,
country codes are upper case, slugs lower case). Cross-file rules (references,
uniqueness, unit ranges) live in `links.py` and `observations.py`; the field types in
`fields.py`.
"""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from connect_site.content.fields import (
    MAX_BODY,
    MAX_SUMMARY,
    MAX_TITLE,
    UNIT_RANGES,
    BaseUrl,
    ContributorType,
    Direction,
    Finite,
    InitiativeKind,
    InitiativeStatus,
    Iso3,
    Lang,
    ObservedValue,
    PartialDate,
    PracticeKind,
    Relation,
    Scope,
    Slug,
    TargetId,
    TargetStatus,
    Text,
    Unit,
    Url,
)


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
        None,
        max_length=2000,
        description="What a reader should know, in plain words: caveats, how the values were chosen. Shown "
        "with the source.",
    )
    provenance: Optional[Text] = Field(
        None,
        max_length=2000,
        description="How the values were copied, for those who check them: repositories, commits, files, "
        "transformations. Not shown on the pages; published in the downloads (all.json, datapackage.json).",
    )
    terms: Optional[Text] = Field(
        None,
        max_length=400,
        description="Terms of use in plain words, when reuse is not under an open licence "
        "(e.g. 'Re-use permitted for educational and non-commercial purposes'); shown wherever its figures are.",
    )
    terms_url: Optional[Url] = Field(None, description="The page with the source's full terms of use.")
    dataset: bool = Field(
        False,
        description="True when the source is a dataset that records each yes-no value itself: a 'yes' from it "
        "needs no document of its own (evidence).",
    )


class SiteConfig(Strict):
    """`site.yaml`: the settings of the whole microsite."""

    title: Text = Field(max_length=MAX_TITLE, description="The site's name, shown on every page.")
    tagline: Optional[Text] = Field(None, max_length=MAX_SUMMARY, description="One line under the title.")
    description: Optional[Text] = Field(
        None, max_length=2000, description="A paragraph for the home page and search engines."
    )
    base_url: BaseUrl = Field(
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


class Category(Strict):
    """One value a categorical indicator can take (GovTech maturity group A)."""

    code: Text = Field(max_length=20, description="The code written in the data, e.g. 'A'.")
    label: Text = Field(max_length=MAX_TITLE, description="What it means, shown in legends and tables.")


class Indicator(Strict):
    """An indicator that measures progress on a target, or stands in for it (a proxy)."""

    id: Slug = Field(description="A unique id; its data file is data/<id>.csv.")
    title: Text = Field(max_length=MAX_TITLE, description="What is measured, in plain words.")
    unit: Unit = Field(description="The unit of every value: " + ", ".join(u.value for u in Unit) + ".")
    goal_value: Optional[Finite] = Field(None, description="The value that meets the target, e.g. 70 for 70 per cent.")
    direction: Optional[Direction] = Field(
        None, description="Whether higher (increase) or lower (decrease) values are better."
    )
    source: Slug = Field(description="Id of the default source of this indicator's observations.")
    description: Optional[Text] = Field(None, max_length=2000, description="Definition and caveats.")
    relation: Relation = Field(
        Relation.MEASURES,
        description="measures (the indicator measures what the target names) or proxy (it stands in for it).",
    )
    caveat: Optional[Text] = Field(
        None,
        max_length=MAX_SUMMARY,
        description="For a proxy, required: one sentence on what it does not measure, shown beside every figure.",
    )
    maximum: Optional[Finite] = Field(
        None, description="The highest value possible, when lower than the unit's (GCI pillars: 20 of 100)."
    )
    categories: list[Category] = Field(
        default_factory=list, description="For unit category: the values it takes, best first, each code and label."
    )

    @field_validator("goal_value")
    @classmethod
    def _goal_in_unit(cls, value: Optional[float], info: ValidationInfo) -> Optional[float]:
        unit = info.data.get("unit")
        if value is None or unit not in UNIT_RANGES:
            return value
        low, high = UNIT_RANGES[unit]
        if value < low or (high is not None and value > high):
            limit = f"{low:g}..{high:g}" if high is not None else f"at least {low:g}"
            raise PydanticCustomError(
                "out-of-range",
                "{value} is outside the range of {unit} ({limit})",
                {"value": f"{value:.15g}", "unit": unit.value, "limit": limit},
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        if self.relation is Relation.PROXY and not self.caveat:
            raise PydanticCustomError("missing-caveat", "the proxy '{id}' has no caveat", {"id": self.id})
        if (self.unit is Unit.CATEGORY) != bool(self.categories):
            raise PydanticCustomError(
                "invalid-categories",
                "'{id}': an indicator has categories exactly when its unit is category",
                {"id": self.id},
            )
        codes = [c.code for c in self.categories]
        if len(set(codes)) != len(codes):
            raise PydanticCustomError("invalid-categories", "'{id}': a category code is listed twice", {"id": self.id})
        return self


class Target(Strict):
    """`targets/<id>.yaml`: one Connect 2030 target."""

    id: TargetId = Field(description='The target id, e.g. "1.4" or "2.1.A" (quoted).')
    goal: int = Field(ge=1, le=5, description="The goal the target belongs to, 1 to 5.")
    title: Optional[Text] = Field(None, max_length=MAX_TITLE, description="A short label for lists.")
    text: Text = Field(max_length=2000, description="The official wording of the target.")
    deadline: int = Field(ge=2000, le=2100, description="The year the target is due, e.g. 2023.")
    focus: bool = Field(False, description="True for the targets the 2021 Call to Action singles out.")
    scope: Scope = Field(
        Scope.COUNTRY,
        description="country (each country is to reach it) or world (a figure for the world is to reach it, "
        "e.g. 70% of individuals worldwide): pages compare a world target with the world figure.",
    )
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
    quality: Optional[Text] = Field(
        None, max_length=MAX_SUMMARY, description="A flag on the value's quality, e.g. 'single source'; a footnote."
    )
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


# What `connect-site new` writes as the body of an entry when none is given; `check` reports
# an error while it is still there, so the placeholder cannot be published.
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
