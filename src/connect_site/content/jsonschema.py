"""JSON Schema for each kind of entry file, for editors (yaml-language-server) and docs."""

from __future__ import annotations

import json
from typing import Any

from connect_site.content.fields import SLUG_PATTERN
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
        schema = _keys_checked(model.model_json_schema(mode="validation"))
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
        "propertyNames": {"pattern": SLUG_PATTERN, "maxLength": 80},
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
        "propertyNames": {"pattern": SLUG_PATTERN, "maxLength": 80},
        "additionalProperties": {"$ref": "#/$defs/SourceTranslation"},
        "$defs": {"SourceTranslation": translated},
    }
    return out


def _keys_checked(node: Any) -> Any:
    """Ids as keys (`dict[Slug, X]`) checked as `check` checks them.

    Pydantic writes such a mapping as `patternProperties`, which lets a key that does not
    match through unchecked; `propertyNames` refuses it.
    """
    if isinstance(node, list):
        return [_keys_checked(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _keys_checked(value) for key, value in node.items()}
    keyed = node.pop("patternProperties", None)
    if keyed is not None:
        ((pattern, values),) = keyed.items()
        node["propertyNames"] = {**node.get("propertyNames", {}), "pattern": pattern}
        node["additionalProperties"] = values
    return node


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
