"""Per-file validation: YAML values to pydantic models, errors to located diagnostics.

A pydantic error `loc` is mapped back to the line and column where the value (or, for
an unknown field, the key) was written. Messages are in plain words, with a hint.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Optional, TypeVar, get_args

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from connect_site.content.fields import is_slug
from connect_site.content.read import Entry
from connect_site.content.refdata import suggest_country
from connect_site.content.schema import ONE_SIDED_LINKS, Source, Strict
from connect_site.content.yamlload import Document, YamlFloat, YamlInt
from connect_site.errors import MAX_PER_FILE, Reporter, close_matches, did_you_mean, join_hint

M = TypeVar("M", bound=Strict)


def shown(value: Any) -> str:
    """A value as the contributor typed it, short."""
    if isinstance(value, (YamlInt, YamlFloat)):
        return value.raw
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "(empty)"
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


T = TypeVar("T")


def _find(annotation: Any, base: type[T]) -> Optional[type[T]]:
    """The `base` subclass inside an annotation such as Optional[list[Model]]."""
    if isinstance(annotation, type) and issubclass(annotation, base):
        return annotation
    for arg in get_args(annotation):
        found = _find(arg, base)
        if found is not None:
            return found
    return None


def field_at(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[Optional[type[BaseModel]], Optional[FieldInfo]]:
    """The model that owns the last named field of `loc`, and that field."""
    current: Optional[type[BaseModel]] = model
    owner: Optional[type[BaseModel]] = model
    info: Optional[FieldInfo] = None
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        if part not in current.model_fields:
            return current, None
        owner = current
        info = current.model_fields[part]
        current = _find(info.annotation, BaseModel)
    return owner, info


def _trim(loc: tuple[Any, ...], doc: Document) -> tuple[Any, ...]:
    """Drop the parts pydantic adds for union members and dict keys we did not write."""
    path = tuple(loc)
    while path and path not in doc.positions and path not in doc.key_positions:
        parent = path[:-1]
        if isinstance(path[-1], str) and parent in doc.positions and isinstance(_get(doc.data, parent), dict):
            return path  # a missing field of a mapping that exists
        path = parent
    return path


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def validate_model(
    entry: Entry, model: type[M], report: Reporter, data: Any = None, prefix: tuple[Any, ...] = ()
) -> Optional[M]:
    """Validate `data` (default: the entry's YAML) against `model`; report every problem."""
    doc = entry.doc
    if data is None:
        data = doc.data
    if not isinstance(data, dict):
        line, col = doc.where(prefix)
        report.add(
            entry.path,
            line,
            col,
            "not-a-mapping",
            f"expected a set of fields (like 'title: ...'), found {shown(data)}",
            "Each entry is a list of 'field: value' lines.",
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        misspelled = _misspellings(model, errors)
        seen: set[tuple[Any, ...]] = set()
        for err in errors:
            if err["type"] == "missing" and tuple(err["loc"]) in misspelled.values():
                continue  # reported with the unknown key that is its misspelling
            loc = prefix + tuple(err["loc"])
            path = _trim(loc, doc)
            if path in seen:
                continue
            seen.add(path)
            if report.full(entry.path):
                report.drop(entry.path)  # counted, not made: 25,000 unknown keys cost no 25,000 searches
                continue
            if tuple(err["loc"]) in misspelled:
                _report_misspelled(entry, model, misspelled[tuple(err["loc"])], path, prefix, report)
            else:
                _report_error(entry, model, err, loc, path, prefix, report)
        return None


def _misspellings(model: type[BaseModel], errors: list[Any]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Unknown keys that are a misspelling of a required field missing beside them ('staus' for
    'status'), as {unknown key's loc: missing field's loc}: one mistake, reported once."""
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing" and e["loc"]}
    found: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    if not missing:
        return found
    for err in errors[:MAX_PER_FILE]:  # past these nothing is listed: no search for 25,000 keys
        loc = tuple(err["loc"])
        if err["type"] != "extra_forbidden" or not loc or not isinstance(loc[-1], str):
            continue
        owner, _ = field_at(model, loc)
        allowed = sorted(owner.model_fields) if owner else []
        for match in close_matches(loc[-1], allowed):
            target = (*loc[:-1], match)
            if target in missing and target not in found.values():
                found[loc] = target
                break
    return found


def _report_misspelled(
    entry: Entry,
    model: type[BaseModel],
    missing: tuple[Any, ...],
    path: tuple[Any, ...],
    prefix: tuple[Any, ...],
    report: Reporter,
) -> None:
    name, wanted = path[-1], missing[-1]
    _, info = field_at(model, path[len(prefix) : -1] + (wanted,))
    description = (info.description or "") if info else ""
    suggestion = did_you_mean(name, [wanted]) or f"did you mean '{wanted}'?"
    fix = "Correct the spelling: " if suggestion.startswith("did you mean") else ""  # not for invisible characters
    line, col = entry.doc.where(path, key=True)
    report.add(
        entry.path,
        line,
        col,
        "unknown-field",
        f"unknown field '{name}' (the required field '{wanted}' is missing)",
        join_hint(suggestion, f"{fix}'{wanted}' is required. {description}".strip()),
    )


def _report_error(
    entry: Entry,
    model: type[BaseModel],
    err: Any,
    loc: tuple[Any, ...],
    path: tuple[Any, ...],
    prefix: tuple[Any, ...],
    report: Reporter,
) -> None:
    doc = entry.doc
    kind: str = err["type"]
    rel = path[len(prefix) :]
    owner, info = field_at(model, rel)
    name = next((p for p in reversed(rel) if isinstance(p, str)), "")
    value = _get(doc.data, path)
    description = (info.description or "") if info else ""
    line, col = doc.where(path)

    if kind == "missing":
        line, col = doc.where(path[:-1])
        example = f"{name}: ..."
        report.add(
            entry.path,
            line,
            col,
            "missing-field",
            f"the required field '{name}' is missing",
            f"Add a line '{example}'. {description}".strip(),
        )
        return
    if kind == "extra_forbidden":
        line, col = doc.where(path, key=True)
        allowed = sorted(owner.model_fields) if owner else []
        hint = ONE_SIDED_LINKS.get((entry.kind, name), "")
        if not hint:
            suggestion = did_you_mean(name, allowed)
            hint = join_hint(suggestion, "Allowed fields: " + ", ".join(allowed) + ".")
        report.add(entry.path, line, col, "unknown-field", f"unknown field '{name}'", hint)
        return
    if kind in ("enum", "literal_error"):
        enum = _find(info.annotation, Enum) if info else None
        options = [e.value for e in enum] if enum else []
        suggestion = did_you_mean(shown(value), options)
        report.add(
            entry.path,
            line,
            col,
            "invalid-value",
            f"'{shown(value)}' is not a valid {name}",
            join_hint(suggestion, "Use one of: " + ", ".join(options) + "."),
        )
        return
    if kind == "official-text":  # a rule between two fields: point at the one that is there
        line, col = doc.where((*path, err["ctx"]["field"]), key=True)
        hint = (
            "Only ITU's own wording in this language belongs here, with the id of the publication "
            "(in sources.yaml) that prints it. A translation made for the site goes in 'title' or 'note'."
        )
        report.add(entry.path, line, col, "invalid-value", err["msg"], hint)
        return
    if kind in _CUSTOM_HINTS or kind == "ambiguous-number":  # our own PydanticCustomError codes
        hint = _CUSTOM_HINTS.get(kind, "")
        if kind == "invalid-country-code":
            suggestion = suggest_country(shown(value))
            hint = join_hint(suggestion, hint)
        if kind == "ambiguous-number":
            raw = shown(value)
            hint = f'Put it in quotes: "{raw}".'
        report.add(entry.path, line, col, kind, f"{name}: {err['msg']}" if name else err["msg"], hint)
        return
    message, hint = _plain(kind, name, value, err, description)
    report.add(
        entry.path, line, col, "wrong-type" if kind.endswith(("_type", "_parsing")) else "invalid-value", message, hint
    )


_CUSTOM_HINTS = {
    "invalid-slug": "Ids look like 'kenya-digital-master-plan'.",
    "invalid-target-id": 'Target ids look like "1.4" or "2.10"; write them in quotes.',
    "invalid-country-code": "Use the ISO 3166-1 alpha-3 code, e.g. KEN for Kenya, FRA for France.",
    "invalid-url": "Copy the full address from the browser's address bar, starting with https://.",
    "out-of-range": "Check the value and the indicator's unit.",
    "unsafe-url": "Link to the page itself: remove any 'name:password@' and backslashes from the address.",
    "invalid-date": "For example 2024-03-31, 2024-03 or 2024.",
    "empty": "Fill it in, or remove the line if the field is optional.",
    "not-finite": "Write an ordinary number such as 42.5.",
    "invalid-number": "Use a dot for decimals and no thousands separators (1234.5); yes-no values are true or false.",
    "invalid-language": "Use a two-letter code without a region, such as ar, en, es, fr, ru, zh or pt (not pt-BR).",
    "missing-caveat": "Add caveat: one sentence on what the proxy does not measure (shown beside every figure).",
    "invalid-categories": "With unit: category, list each value as '- {code: A, label: ...}', each code once; "
    "other units have no categories.",
}


def _plain(kind: str, name: str, value: Any, err: Any, description: str) -> tuple[str, str]:
    got = shown(value)
    ctx = err.get("ctx") or {}
    if kind.startswith("int") and kind != "int_from_float":
        return f"'{name}' must be a whole number, not '{got}'", description
    if kind == "int_from_float":
        return f"'{name}' must be a whole number, not '{got}'", "Drop the decimal part."
    if kind.startswith("float") or kind.startswith("decimal"):
        return f"'{name}' must be a number, not '{got}'", description
    if kind.startswith("bool"):
        return f"'{name}' must be true or false, not '{got}'", "Write true or false, without quotes."
    if kind == "string_type":
        what = got if isinstance(value, (dict, list)) else repr(got)
        return f"'{name}' must be a single piece of text, not {what}", description
    if kind == "list_type":
        return (f"'{name}' must be a list", f"Write it as [A, B] or as lines starting with '- '. {description}".strip())
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{name}' must be a set of fields, not {got}", description
    if kind == "too_short":
        return f"'{name}' needs at least {ctx.get('min_length', 1)} item(s)", description
    if kind == "too_long":
        return f"'{name}' has too many items (at most {ctx.get('max_length')})", ""
    if kind == "string_too_long":
        return f"'{name}' is too long (at most {ctx.get('max_length')} characters)", "Shorten it."
    if kind in ("greater_than_equal", "greater_than"):
        return f"'{name}' must be at least {ctx.get('ge', ctx.get('gt'))}, not {got}", description
    if kind in ("less_than_equal", "less_than"):
        return f"'{name}' must be at most {ctx.get('le', ctx.get('lt'))}, not {got}", description
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return f"'{name}' has an unexpected form: {err['msg']}", description
    return f"'{name}': {err['msg']}", description


def validate_entry(entry: Entry, model: type[M], report: Reporter) -> Optional[M]:
    """Validate a whole entry; a Markdown body becomes the `body` field."""
    data = entry.doc.data
    if entry.body is not None and isinstance(data, dict):
        if "body" in data:
            line, col = entry.doc.where(("body",), key=True)
            report.add(
                entry.path,
                line,
                col,
                "body-twice",
                "this Markdown file has a 'body' field as well as text after the front matter",
                "Keep the text below the closing '---' and remove the 'body' field.",
            )
            return None
        if entry.body.strip():
            data = {**data, "body": entry.body}
    return validate_model(entry, model, report, data)


def validate_sources(entry: Entry, data: Any, prefix: tuple[Any, ...], report: Reporter) -> dict[str, Source]:
    """A mapping of source id to source (sources.yaml, or site.yaml's `sources`)."""
    out: dict[str, Source] = {}
    if data is None:
        return out
    if not isinstance(data, dict):
        line, col = entry.doc.where(prefix)
        report.add(
            entry.path,
            line,
            col,
            "not-a-mapping",
            "sources must be a set of 'id:' entries",
            "For example:\nitu-wdi:\n  publisher: ITU\n  title: ...",
        )
        return out
    for key, value in data.items():
        line, col = entry.doc.where(prefix + (key,), key=True)
        if not isinstance(key, str) or not is_slug(key):
            report.add(
                entry.path,
                line,
                col,
                "invalid-slug",
                f"'{key}' is not a valid source id",
                _CUSTOM_HINTS["invalid-slug"],
            )
            continue
        model = validate_model(entry, Source, report, value, prefix + (key,))
        if model is not None:
            out[key] = model
    return out
