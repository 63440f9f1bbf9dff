"""The fields of each kind of entry `connect-site new` writes, and how a typed value is checked.

A `Spec` per field: its option, its question, and the check that turns what was typed
into the value to write (targets against the content folder, countries against the
built-in reference data, kinds against their lists). `Folder` is what the content
folder already holds, for those checks.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from connect_site.content import refdata
from connect_site.content.fields import (
    ContributorType,
    InitiativeKind,
    InitiativeStatus,
    PracticeKind,
    canonical_target_id,
    is_slug,
    target_sort_key,
)
from connect_site.content.read import read_content
from connect_site.content.schema import Contributor, Country, Indicator, Initiative, Practice, Source, Target
from connect_site.content.validate import validate_entry, validate_sources
from connect_site.errors import Reporter, did_you_mean


class Invalid(ValueError):
    """A value typed for a field, with the reason it cannot be used (in plain words)."""


@dataclass
class Folder:
    """What a content folder already holds: the ids a new entry may refer to."""

    root: Path
    targets: list[str]
    sources: list[str]
    indicators: dict[str, Indicator]


def load_folder(root: Path) -> Folder:
    """The targets, sources and indicators of the content folder (also when it has errors)."""
    from connect_site.pipeline import check

    result = check(root, display_root=root.as_posix())  # raises ConnectSiteError for a missing folder
    if result.site is not None:
        site = result.site
        return Folder(
            root,
            sorted(site.targets, key=target_sort_key),
            sorted(site.sources),
            dict(sorted(site.indicators.items())),
        )
    quiet = Reporter()  # site.yaml is unusable: read what can be read, the check shows the rest
    content = read_content(root, quiet, root.as_posix())
    targets = [t for e in content.entries if e.kind == "target" for t in [validate_entry(e, Target, quiet)] if t]
    sources = (
        validate_sources(content.sources_file, content.sources_file.doc.data, (), quiet) if content.sources_file else {}
    )
    return Folder(
        root,
        sorted({t.id for t in targets}, key=target_sort_key),
        sorted(sources),
        {i.id: i for t in sorted(targets, key=lambda t: target_sort_key(t.id)) for i in t.indicators},
    )


# --- Checking one value -------------------------------------------------------------------

Check = Callable[[Folder, str], Any]


@cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    form: Any = Annotated[info.annotation, info]
    return TypeAdapter(form)


def by_schema(model: type[BaseModel], name: str) -> Check:
    """The rule the schema has for this field (length, URL, date, slug)."""

    def check(folder: Folder, text: str) -> Any:
        try:
            return _adapter(model, name).validate_python(text)
        except ValidationError as exc:
            msg = exc.errors()[0]["msg"]
            raise Invalid(msg.replace("String should have", "it should have")) from None

    return check


def _cap(suggestion: str) -> str:
    """A "did you mean" phrase as a sentence, followed by a space (or nothing)."""
    return suggestion[:1].upper() + suggestion[1:] + " " if suggestion else ""


def choice(enum: type[StrEnum], what: str) -> Check:
    """One value of a list; case, spaces and a unique beginning ("law") are forgiven."""
    values = [e.value for e in enum]

    def check(folder: Folder, text: str) -> str:
        typed = re.sub(r"[\s_]+", "-", text.strip().lower())
        if typed in values:
            return typed
        starting = [v for v in values if len(typed) >= 3 and v.startswith(typed)]
        if len(starting) == 1:
            return starting[0]
        close = did_you_mean(typed, values)
        raise Invalid(f"'{text.strip()}' is not a {what}. {_cap(close)}Choose one of: {', '.join(values)}")

    return check


def _fold(text: str) -> str:
    """Lower case without accents, so that "cote d'ivoire" finds Côte d'Ivoire."""
    plain = unicodedata.normalize("NFKD", text.replace("\u2019", "'")).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.casefold().split())


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in refdata.countries().values():
        names.setdefault(_fold(c.official_name), c.iso3)
        names[_fold(c.name)] = c.iso3
    return names


def country_code(folder: Folder, text: str) -> str:
    """An ISO 3166-1 alpha-3 code, typed as a code (any case) or a country name."""
    ref = refdata.countries()
    typed = text.strip()
    if len(typed) == 3 and typed.upper() in ref:
        return typed.upper()
    names = _country_names()
    if _fold(typed) in names:
        return names[_fold(typed)]
    by_iso2 = {c.iso2: c for c in ref.values()}
    if len(typed) == 2 and typed.upper() in by_iso2:
        c = by_iso2[typed.upper()]
        raise Invalid(f"'{typed}' is a two-letter code; write the three-letter code {c.iso3} ({c.name})")
    close = difflib.get_close_matches(_fold(typed), list(names), n=3, cutoff=0.7)
    if len(typed) == 3:
        close += [c.lower() for c in difflib.get_close_matches(typed.upper(), list(ref), n=2, cutoff=0.6)]
    shown = list(dict.fromkeys(f"{ref[names.get(c, c.upper())].name} ({names.get(c, c.upper())})" for c in close))
    hint = f" Did you mean {' or '.join(shown)}?" if shown else ""
    raise Invalid(
        f"'{typed}' is not a country code or name we know.{hint} Use the three-letter code, e.g. KEN for Kenya"
    )


def target_id(folder: Folder, text: str) -> str:
    """A target id that exists in this content folder, in its canonical form."""
    try:
        tid = canonical_target_id(text.strip())
    except PydanticCustomError as exc:
        raise Invalid(str(exc)) from None
    if tid not in folder.targets:
        close = did_you_mean(tid, folder.targets)
        raise Invalid(
            f"there is no target {tid} in the content folder ({folder.root.as_posix()}). {_cap(close)}"
            f"The targets are: {', '.join(folder.targets) or '(none)'}"
        )
    return str(tid)


def source_ref(folder: Folder, text: str) -> str:
    sid = str(by_schema(Country, "source")(folder, text))
    if sid not in folder.sources:
        close = did_you_mean(sid, folder.sources)
        raise Invalid(
            f"there is no source '{sid}'. {_cap(close)}"
            f"Declare it first (connect-site new source), or use one of: {', '.join(folder.sources) or '(none)'}"
        )
    return sid


def new_source_id(folder: Folder, text: str) -> str:
    sid = text.strip()
    if not is_slug(sid):
        raise Invalid(f"'{sid}' is not a valid id: use lower-case letters, digits and hyphens, e.g. itu-ict-2024")
    if sid in folder.sources:
        raise Invalid(f"a source with the id '{sid}' already exists; choose another id")
    return sid


# --- The fields of each kind ---------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    key: str  # where the value goes: "title", "contributor.name"
    flag: str  # the option, without "--"
    label: str  # the question
    help: str
    check: Check
    required: bool = True
    many: bool = False
    example: str = ""  # shown in the commented-out line of an optional field left empty


def _help(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].description or ""


def _initiative_specs() -> list[Spec]:
    m = Initiative
    return [
        Spec("title", "title", "Title (the initiative's name)", _help(m, "title"), by_schema(m, "title")),
        Spec(
            "countries",
            "country",
            "Countries (codes like KEN or names like Kenya, separated by commas)",
            "A country: its three-letter code (KEN) or its name (Kenya). Repeat for several.",
            country_code,
            many=True,
        ),
        Spec(
            "targets",
            "target",
            "Targets it serves (ids like 1.4, separated by commas)",
            "A target it serves, e.g. 1.4 or 2.10. Repeat for several.",
            target_id,
            many=True,
        ),
        Spec("kind", "kind", _choices_label("Kind", InitiativeKind), _help(m, "kind"), choice(InitiativeKind, "kind")),
        Spec(
            "status",
            "status",
            _choices_label("Status", InitiativeStatus),
            _help(m, "status"),
            choice(InitiativeStatus, "status"),
        ),
        Spec("lead", "lead", "Lead (who leads it, e.g. a ministry)", _help(m, "lead"), by_schema(m, "lead")),
        Spec(
            "start",
            "start",
            "Start date (YYYY, YYYY-MM or YYYY-MM-DD)",
            _help(m, "start"),
            by_schema(m, "start"),
            False,
            example="2024-01",
        ),
        Spec(
            "end",
            "end",
            "End date (YYYY, YYYY-MM or YYYY-MM-DD)",
            _help(m, "end"),
            by_schema(m, "end"),
            False,
            example="2030",
        ),
        Spec(
            "url",
            "url",
            "Web page about it (http:// or https://)",
            _help(m, "url"),
            by_schema(m, "url"),
            False,
            example="https://",
        ),
        Spec(
            "summary",
            "summary",
            "Summary (one plain sentence)",
            _help(m, "summary"),
            by_schema(m, "summary"),
            False,
            example="One plain sentence.",
        ),
    ]


def _choices_label(label: str, enum: type[StrEnum]) -> str:
    return f"{label} (one of: {', '.join(e.value for e in enum)})"


def _practice_specs() -> list[Spec]:
    m, c = Practice, Contributor
    return [
        Spec("title", "title", "Title", _help(m, "title"), by_schema(m, "title")),
        Spec("kind", "kind", _choices_label("Kind", PracticeKind), _help(m, "kind"), choice(PracticeKind, "kind")),
        Spec(
            "contributor.name",
            "contributor-name",
            "Contributor (the organisation that shares it)",
            "The name of the organisation that shares it.",
            by_schema(c, "name"),
        ),
        Spec(
            "contributor.type",
            "contributor-type",
            _choices_label("Contributor type", ContributorType),
            "The contributor's type. " + _help(c, "type"),
            choice(ContributorType, "contributor type"),
        ),
        Spec(
            "targets",
            "target",
            "Targets it serves (ids like 1.4, separated by commas)",
            "A target it serves, e.g. 3.5. Repeat for several.",
            target_id,
            many=True,
        ),
        Spec(
            "countries",
            "country",
            "Countries concerned (codes or names, separated by commas; Enter for a global practice)",
            "A country concerned: code (KEN) or name (Kenya). Repeat for several; none for a global practice.",
            country_code,
            required=False,
            many=True,
            example="KEN",
        ),
        Spec(
            "date",
            "date",
            "Date (YYYY, YYYY-MM or YYYY-MM-DD)",
            _help(m, "date"),
            by_schema(m, "date"),
            False,
            example="2025",
        ),
        Spec(
            "url",
            "url",
            "Web page about it (http:// or https://)",
            _help(m, "url"),
            by_schema(m, "url"),
            False,
            example="https://",
        ),
        Spec(
            "contributor.url",
            "contributor-url",
            "Contributor's web site (http:// or https://)",
            "The contributor's web site.",
            by_schema(c, "url"),
            False,
            example="https://",
        ),
        Spec(
            "summary",
            "summary",
            "Summary (one plain sentence)",
            _help(m, "summary"),
            by_schema(m, "summary"),
            False,
            example="One plain sentence.",
        ),
    ]


def _country_specs() -> list[Spec]:
    m = Country
    return [
        Spec(
            "iso3",
            "country",
            "Country (code like KEN or name like Kenya)",
            "The country: its three-letter code (KEN) or its name (Kenya).",
            country_code,
        ),
        Spec(
            "name",
            "name",
            "Display name (Enter to keep the built-in name)",
            _help(m, "name"),
            by_schema(m, "name"),
            False,
            example="Kenya",
        ),
        Spec(
            "source",
            "source",
            "Default source id for its statistics",
            _help(m, "source") + " It must exist.",
            source_ref,
            False,
            example="itu-ict-indicators",
        ),
        Spec(
            "summary",
            "summary",
            "Summary (one sentence for the country page)",
            _help(m, "summary"),
            by_schema(m, "summary"),
            False,
            example="One plain sentence.",
        ),
    ]


def _source_specs() -> list[Spec]:
    m = Source
    return [
        Spec(
            "id",
            "id",
            "Id (lower-case letters, digits and hyphens, e.g. itu-ict-2024)",
            "The id that entries cite: lower-case letters, digits and hyphens.",
            new_source_id,
        ),
        Spec("publisher", "publisher", "Publisher", _help(m, "publisher"), by_schema(m, "publisher")),
        Spec("title", "title", "Title of the dataset or document", _help(m, "title"), by_schema(m, "title")),
        Spec("url", "url", "Web address (http:// or https://)", _help(m, "url"), by_schema(m, "url")),
        Spec("license", "license", "Licence (e.g. CC BY 4.0)", _help(m, "license"), by_schema(m, "license")),
        Spec("edition", "edition", "Edition or vintage (e.g. 2024)", _help(m, "edition"), by_schema(m, "edition")),
        Spec(
            "note",
            "note",
            "Note for readers (caveats, how it was copied)",
            _help(m, "note"),
            by_schema(m, "note"),
            False,
            example="How it was copied, caveats.",
        ),
    ]


SPECS: dict[str, Callable[[], list[Spec]]] = {
    "initiative": _initiative_specs,
    "practice": _practice_specs,
    "country": _country_specs,
    "source": _source_specs,
}
