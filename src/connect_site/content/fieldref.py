"""The field reference for contributors, generated from the JSON Schema of each kind of file.

`connect-site schema --reference CONTRIBUTING.md` replaces the text between
`<!-- fields:start -->` and `<!-- fields:end -->` with `generate()`; with `--check` it
exits 1 when that text is out of date.
"""

from __future__ import annotations

from typing import Any, Optional

from connect_site.content.fields import DATE_PATTERN, ISO3_PATTERN, SLUG_PATTERN, TARGET_PATTERN
from connect_site.content.jsonschema import documents
from connect_site.content.observations import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

START = "<!-- fields:start -->"
END = "<!-- fields:end -->"

# (JSON Schema file, heading, where the fields are written), in the order a contributor meets them.
FILES = (
    ("initiative.schema.json", "Initiative", "`initiatives/<slug>.md`, in the front matter"),
    ("practice.schema.json", "Practice", "`practices/<slug>.md`, in the front matter"),
    ("country.schema.json", "Country", "`countries/<ISO3>.yaml`"),
    ("sources.schema.json", "Source", "`sources.yaml`, under the source's id"),
    ("target.schema.json", "Target", "`targets/<id>.yaml` (maintainers)"),
    ("goal.schema.json", "Goal", "`goals/<n>.yaml` (maintainers)"),
    ("site.schema.json", "Site", "`site.yaml` (maintainers)"),
    ("translation.schema.json", "Entry translation", "`initiatives/<slug>.<lang>.md`, `practices/<slug>.<lang>.md`"),
    ("target-translation.schema.json", "Target translation", "`targets/<id>.<lang>.yaml`"),
    ("goal-translation.schema.json", "Goal translation", "`goals/<n>.<lang>.yaml`"),
    ("country-translation.schema.json", "Country translation", "`countries/<ISO3>.<lang>.yaml`"),
    ("site-translation.schema.json", "Site translation", "`site.<lang>.yaml`"),
    ("sources-translation.schema.json", "Source translation", "`sources.<lang>.yaml`, under the source's id"),
)


def anchor(title: str) -> str:
    """The GitHub anchor of a `#### title` heading."""
    return "".join(c for c in title.lower().replace(" ", "-") if c.isalnum() or c in "-_")


def _branches(prop: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of a property (an optional field is `anyOf: [X, null]`)."""
    options = prop.get("anyOf", [prop])
    return [o for o in options if o.get("type") != "null"]


def plain_type(prop: dict[str, Any], defs: dict[str, Any], names: dict[str, str]) -> str:
    """What to write, in plain words: text, a whole number, a date, one of a list, ..."""
    branches = _branches(prop)
    patterns = {b.get("pattern") for b in branches}
    if TARGET_PATTERN in patterns:
        return 'a target id such as "1.4" or "2.1.A", in quotes'
    if DATE_PATTERN in patterns:
        return "a date: YYYY, YYYY-MM or YYYY-MM-DD"
    if len(branches) != 1:
        return " or ".join(plain_type(b, defs, names) for b in branches)
    b = branches[0]
    if "$ref" in b:
        name = b["$ref"].rsplit("/", 1)[-1]
        target = defs[name]
        if "enum" in target:
            return "one of: " + ", ".join(f"`{v}`" for v in target["enum"])
        article = "an" if names[name][0] in "AEIOU" else "a"
        return f"{article} [{names[name]}](#{anchor(names[name])}) block"
    kind = b.get("type")
    if kind == "array":
        text = "a list of " + _plural(plain_type(b["items"], defs, names))
        if b.get("minItems"):
            text += f", at least {b['minItems']}"
        return text
    values = b.get("additionalProperties") or next(iter(b.get("patternProperties", {}).values()), None)
    if kind == "object" and isinstance(values, dict):
        return "a set of `id:` entries, each " + plain_type(values, defs, names)
    if kind == "object":
        return "a set of fields"
    if kind == ["number", "boolean"]:
        return "a number, or `true`/`false` for a yes-no indicator"
    if kind == "integer":
        return "a whole number" + _range(b)
    if kind == "number":
        return "a number" + _range(b)
    if kind == "boolean":
        return "`true` or `false`"
    if b.get("format") == "uri":
        return "a web address starting with `http://` or `https://`"
    if b.get("pattern") == ISO3_PATTERN:
        return "a three-letter country code (ISO 3166-1 alpha-3, e.g. `KEN`)"
    if b.get("pattern") == SLUG_PATTERN:
        return f"an id: lower-case letters, digits and hyphens, at most {b.get('maxLength', 80)} characters"
    if kind == "string":
        return "text" + (f", at most {b['maxLength']:,} characters" if "maxLength" in b else "")
    return "a value"


def _plural(text: str) -> str:
    for one, many in (
        ("a target id such as", "target ids such as"),
        ("a three-letter country code", "three-letter country codes"),
        ("an id:", "ids:"),
        ("text", "texts"),
    ):
        if text.startswith(one):
            return many + text[len(one) :]
    if text.startswith(("a [", "an [")) and text.endswith(" block"):
        return text.split(" ", 1)[1] + "s"
    return text


def _range(b: dict[str, Any]) -> str:
    low, high = b.get("minimum"), b.get("maximum")
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f", at least {low}"
    return f", at most {high}" if high is not None else ""


def _default(prop: dict[str, Any]) -> str:
    value = prop.get("default")
    if value is None or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        value = str(value).lower()
    elif isinstance(value, list):
        value = ", ".join(map(str, value))
    return f" Default: `{value}`."


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def table(model: dict[str, Any], defs: dict[str, Any], names: dict[str, str]) -> list[str]:
    required = set(model.get("required", []))
    lines = ["| field | required? | what to write | meaning |", "|---|---|---|---|"]
    for name, prop in model["properties"].items():
        description = prop.get("description", "")
        if "$ref" in prop and not description:
            description = defs[prop["$ref"].rsplit("/", 1)[-1]].get("description", "")
        need = "**required**" if name in required else "optional"
        lines.append(
            f"| `{name}` | {need} | {_cell(plain_type(prop, defs, names))} | {_cell(description + _default(prop))} |"
        )
    return lines


def _nested(schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    """The object definitions a schema uses, in the order its fields first refer to them."""
    found: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name not in found and "properties" in defs.get(name, {}):
                    found.append(name)
                    visit(defs[name])
            for key, value in node.items():
                if key != "$defs":
                    visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(schema.get("properties", schema.get("additionalProperties", {})))
    return found


NESTED_NAMES = {
    "Indicator": "Indicator (in a target's `indicators:`)",
    "Statistic": "Statistic (in a country's `statistics:`)",
    "Evidence": "Evidence (in a statistic's `evidence:`)",
    "CountryStatus": "Status (in a country's `statuses:`)",
    "Contributor": "Contributor (in a practice's `contributor:`)",
    "Source": "Source",
    "Category": "Category (in an indicator's `categories:`)",
    "IndicatorTranslation": "Indicator translation (in a target translation's `indicators:`)",
    "SourceTranslation": "Source translation",
}


def generate() -> str:
    """The whole field reference, in Markdown."""
    docs = documents()
    names = dict(NESTED_NAMES)
    out: list[str] = [
        "Generated from the schema by `connect-site schema --reference CONTRIBUTING.md`; "
        "do not edit by hand. Fields marked **required** must be present; the others may be left out.",
        "",
    ]
    seen: set[str] = set()
    for file_name, heading, where in FILES:
        schema = docs[file_name]
        defs: dict[str, Any] = schema.get("$defs", {})
        top: Optional[dict[str, Any]] = schema if "properties" in schema else None
        nested = _nested(schema, defs)
        out += [f"#### {heading}", "", f"Written in {where}.", ""]
        if top is None:  # sources.yaml (and its translations): a map of id -> Source
            out += [
                "Each source is declared under its id (lower-case letters, digits and hyphens), "
                "which observations, indicators and targets cite.",
                "",
            ]
            first = nested.pop(0)
            top = defs[first]
            seen.add(first)
        elif top.get("description"):
            sentence = top["description"].split(": ", 1)[-1].rstrip(".")
            out += [sentence[:1].upper() + sentence[1:] + ".", ""]
        out += table(top, defs, names) + [""]
        for name in nested:
            if name in seen:
                continue
            seen.add(name)
            out += [f"#### {names[name]}", "", defs[name].get("description", ""), ""]
            out += table(defs[name], defs, names) + [""]
        if file_name == "country.schema.json":
            out += csv_section(defs["Statistic"], defs["Evidence"])
    return "\n".join(out).rstrip("\n") + "\n"


def csv_section(statistic: dict[str, Any], evidence: dict[str, Any]) -> list[str]:
    """The columns of `data/<indicator>.csv`, described by the fields they stand for."""
    meaning = {
        "country": "The country: its three-letter code (ISO 3166-1 alpha-3, e.g. `KEN`; any case).",
        "evidence_title": evidence["properties"]["title"]["description"] + " (yes-no values only)",
        "evidence_url": evidence["properties"]["url"]["description"] + " (yes-no values only)",
    }
    for name in ("year", "value", "source", "note", "quality"):
        meaning[name] = statistic["properties"][name]["description"]
    lines = [
        "#### Data table (`data/<indicator>.csv`)",
        "",
        "One row per value. The first line names the columns; the three required ones come first.",
        "",
        "| column | required? | meaning |",
        "|---|---|---|",
    ]
    for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
        need = "**required**" if name in REQUIRED_COLUMNS else "optional"
        lines.append(f"| `{name}` | {need} | {_cell(meaning[name])} |")
    return lines + [""]


def splice(document: str, reference: str) -> str:
    """`document` with the text between the markers replaced by `reference`."""
    if document.count(START) != 1 or document.count(END) != 1 or document.index(START) > document.index(END):
        raise ValueError(f"the file must contain {START} and then {END}, once each")
    head, rest = document.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{reference}{END}{tail}"


def section(document: str) -> str:
    """The text between the markers."""
    return document.split(START, 1)[1].split(END, 1)[0].removeprefix("\n")
