"""JSON Schema for each kind of entry file, for editors (yaml-language-server) and docs."""

from __future__ import annotations

import json
from typing import Any

from connect_site.content.schema import KINDS, Source, Strict
from connect_site.content.texts import (
    CountryTranslation,
    GoalTranslation,
    SiteTranslation,
    SourceTranslation,
    TargetTranslation,
)

# The translation files of texts.py, by schema name.
TRANSLATIONS: dict[str, type[Strict]] = {
    "goal-translation": GoalTranslation,
    "target-translation": TargetTranslation,
    "country-translation": CountryTranslation,
    "site-translation": SiteTranslation,
}

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def documents() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, one per entity kind, plus sources.yaml."""
    out: dict[str, dict[str, Any]] = {}
    models: dict[str, type[Strict]] = {**KINDS, **TRANSLATIONS}
    for kind, model in models.items():
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = SCHEMA_URI
        schema["$id"] = f"{kind}.schema.json"
        out[f"{kind}.schema.json"] = schema
    source = Source.model_json_schema(mode="validation")
    out["sources.schema.json"] = {
        "$schema": SCHEMA_URI,
        "$id": "sources.schema.json",
        "title": "Sources",
        "description": "sources.yaml: every source, by id. Observations, indicators and targets cite these ids.",
        "type": "object",
        "propertyNames": {"pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 80},
        "additionalProperties": {"$ref": "#/$defs/Source"},
        "$defs": {"Source": source, **source.pop("$defs", {})},
    }
    translated = SourceTranslation.model_json_schema(mode="validation")
    out["sources-translation.schema.json"] = {
        "$schema": SCHEMA_URI,
        "$id": "sources-translation.schema.json",
        "title": "Sources, translated",
        "description": "sources.<lang>.yaml: the sources' descriptive texts in another language, by source id.",
        "type": "object",
        "additionalProperties": {"$ref": "#/$defs/SourceTranslation"},
        "$defs": {"SourceTranslation": translated},
    }
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
