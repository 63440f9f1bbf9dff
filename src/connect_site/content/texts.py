"""The content's texts in another language: one translation file per goal, target, country, the sources
and the site, beside the file it translates.

    goals/1.fr.yaml          title (and statement + statement_source: only an official ITU text)
    targets/1.4.fr.yaml      title, note, indicators (title, description, caveat, categories), and
                             text + text_source: only an official ITU text
    countries/KEN.fr.yaml    summary, body
    sources.fr.yaml          <source id>: publisher, title, edition, terms
    site.fr.yaml             title, tagline, description, notes (the figures' quality flags)

Entries (initiatives, practices) keep `<slug>.<lang>.md` (`schema.Translation`). A translation made
for the site is never presented as official: the official wording of a goal or target (Resolution
71) is shown in another language only with the ITU publication it comes from (`statement_source`,
`text_source`); without one, pages show the English text, marked as English, and say that the
official text in that language has not been added yet.
"""

from __future__ import annotations

from typing import Optional

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from connect_site.content.fields import MAX_BODY, MAX_SUMMARY, MAX_TITLE, Slug, Text
from connect_site.content.schema import Strict


def _paired(text: Optional[str], source: Optional[str], text_name: str, source_name: str) -> None:
    """An official text comes with the publication it is quoted from, and a source with its text.
    The error names the field that is there, so the report points at its line."""
    if text and not source:
        raise PydanticCustomError(
            "official-text",
            "'{field}' is an official text, so it needs '{other}': the ITU publication it is quoted from",
            {"field": text_name, "other": source_name},
        )
    if source and not text:
        raise PydanticCustomError(
            "official-text",
            "'{field}' names the source of an official text, but '{other}' is missing",
            {"field": source_name, "other": text_name},
        )


class GoalTranslation(Strict):
    """`goals/<n>.<lang>.yaml`: a goal's name in another language, and its official statement if ITU publishes it."""

    title: Optional[Text] = Field(None, max_length=MAX_TITLE, description="The goal's short name, translated.")
    statement: Optional[Text] = Field(
        None, max_length=2000, description="The official statement in this language, as ITU publishes it."
    )
    statement_source: Optional[Slug] = Field(
        None, description="Id of the ITU publication the statement is quoted from (required with statement)."
    )
    note: Optional[Text] = Field(None, max_length=2000, description="The goal's note, translated.")
    body: Optional[str] = Field(None, max_length=MAX_BODY, description="The longer text, translated (Markdown).")

    @model_validator(mode="after")
    def _official(self) -> GoalTranslation:
        _paired(self.statement, self.statement_source, "statement", "statement_source")
        return self


class IndicatorTranslation(Strict):
    """An indicator's texts in another language (inside a target's translation)."""

    title: Optional[Text] = Field(None, max_length=MAX_TITLE, description="The indicator's title, translated.")
    description: Optional[Text] = Field(None, max_length=2000, description="Its description, translated.")
    caveat: Optional[Text] = Field(None, max_length=MAX_SUMMARY, description="A proxy's caveat, translated.")
    categories: dict[str, Text] = Field(
        default_factory=dict, description="For a categorical indicator: code -> its label, translated."
    )


class TargetTranslation(Strict):
    """`targets/<id>.<lang>.yaml`: a target's short title and its indicators' texts in another language."""

    title: Optional[Text] = Field(None, max_length=MAX_TITLE, description="The target's short title, translated.")
    text: Optional[Text] = Field(
        None, max_length=2000, description="The official wording in this language, as ITU publishes it."
    )
    text_source: Optional[Slug] = Field(
        None, description="Id of the ITU publication the wording is quoted from (required with text)."
    )
    note: Optional[Text] = Field(None, max_length=2000, description="The target's note, translated.")
    body: Optional[str] = Field(None, max_length=MAX_BODY, description="The longer text, translated (Markdown).")
    indicators: dict[Slug, IndicatorTranslation] = Field(
        default_factory=dict, description="The target's indicators, by id."
    )

    @model_validator(mode="after")
    def _official(self) -> TargetTranslation:
        _paired(self.text, self.text_source, "text", "text_source")
        return self


class CountryTranslation(Strict):
    """`countries/<ISO3>.<lang>.yaml`: a country file's summary and text in another language."""

    summary: Optional[Text] = Field(None, max_length=MAX_SUMMARY, description="The summary, translated.")
    body: Optional[str] = Field(None, max_length=MAX_BODY, description="The longer text, translated (Markdown).")


class SourceTranslation(Strict):
    """A source's descriptive texts in another language (in `sources.<lang>.yaml`, under its id)."""

    publisher: Optional[Text] = Field(None, max_length=MAX_TITLE, description="The publisher, translated.")
    title: Optional[Text] = Field(None, max_length=MAX_TITLE, description="The title, translated.")
    edition: Optional[Text] = Field(None, max_length=MAX_TITLE, description="The edition, translated.")
    terms: Optional[Text] = Field(None, max_length=400, description="The terms of use, translated.")


class SiteTranslation(Strict):
    """`site.<lang>.yaml`: the site's title and texts in another language."""

    title: Optional[Text] = Field(None, max_length=MAX_TITLE, description="The site's name, translated.")
    tagline: Optional[Text] = Field(None, max_length=MAX_SUMMARY, description="The tagline, translated.")
    description: Optional[Text] = Field(None, max_length=2000, description="The description, translated.")
    notes: dict[str, Text] = Field(
        default_factory=dict,
        description="The quality flags of figures (the `quality` column of the tables), English -> translated.",
    )
