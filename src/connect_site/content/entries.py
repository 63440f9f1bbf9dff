"""Each entry file on its own: its id claimed once, its fields validated, its Markdown bounded.

The result is every valid entry by kind and id, and the entries whose links are still
worth checking although they have errors (so every problem shows in one run). The
links between entries are checked next, in `links.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from connect_site.content import refdata
from connect_site.content.bounds import check_body
from connect_site.content.broken import Broken
from connect_site.content.fields import is_slug
from connect_site.content.read import Content, Entry
from connect_site.content.refdata import suggest_country
from connect_site.content.schema import Country, Goal, Initiative, Practice, Target
from connect_site.content.validate import validate_entry
from connect_site.errors import Reporter, join_hint

# "kenya-plan.fr": a translation of the entry kenya-plan into French
TRANSLATION_STEM = re.compile(r"(?P<slug>[a-z0-9][a-z0-9-]*)\.(?P<lang>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)")
# "1.4.fr", "KEN.fr", "2.fr": a translation of a target, a country or a goal (a language is lower case:
# "2.1.A" is a target's id, not a translation)
ID_TRANSLATION_STEM = re.compile(r"(?P<slug>[A-Za-z0-9.]+)\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]+)?)")


@dataclass
class Entries:
    """The valid entries, by kind and id; the first file to claim an id keeps it."""

    ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> the file that defines it
    goals: dict[int, tuple[Entry, Goal]] = field(default_factory=dict)
    targets: dict[str, tuple[Entry, Target]] = field(default_factory=dict)
    countries: dict[str, tuple[Entry, Country]] = field(default_factory=dict)
    initiatives: dict[str, tuple[Entry, Initiative]] = field(default_factory=dict)
    practices: dict[str, tuple[Entry, Practice]] = field(default_factory=dict)
    invalid: list[Entry] = field(default_factory=list)  # initiatives and practices with errors
    translations: list[tuple[Entry, str, str]] = field(default_factory=list)  # (file, id it translates, language)

    def claim(self, kind: str, key: str, entry: Entry, report: Reporter, pos: tuple[int, int] = (1, 1)) -> bool:
        """Take the id for this file, or report the file that has it."""
        first = self.ids.get((kind, key))
        if first is not None:
            report.add(
                entry.path,
                *pos,
                "duplicate-id",
                f"the {kind} '{key}' is already defined in {first}",
                "Each id may be used by one file only (foo.md and foo.yaml count as the same id).",
            )
            return False
        self.ids[(kind, key)] = entry.path
        return True


def translated(kind: str, stem: str) -> Optional[re.Match[str]]:
    """The id and the language of a translation file's name (`kenya-plan.fr`, `1.4.fr`), or None."""
    stems = TRANSLATION_STEM if kind in ("initiative", "practice") else ID_TRANSLATION_STEM
    return stems.fullmatch(stem)


def read_entries(content: Content, report: Reporter, broken: Broken) -> Entries:
    """Every entry file, checked on its own, in path order; `broken` gets the ones left out for their errors."""
    out = Entries()
    for entry in sorted(content.entries, key=lambda e: e.path):
        _check_body(entry, report)
        translation = translated(entry.kind, entry.stem)
        if translation:
            out.translations.append((entry, translation["slug"], translation["lang"]))
        elif entry.kind == "goal":
            goal = validate_entry(entry, Goal, report)
            if goal is None:
                broken.invalid(entry.path, "goal", entry.stem, entry.doc.data)
            elif out.claim("goal", str(goal.id), entry, report, entry.doc.where(("id",))):
                out.goals[goal.id] = (entry, goal)
        elif entry.kind == "target":
            target = validate_entry(entry, Target, report)
            if target is None:
                broken.invalid(entry.path, "target", entry.stem, entry.doc.data)
            elif out.claim("target", target.id, entry, report, entry.doc.where(("id",))):
                out.targets[target.id] = (entry, target)
        elif entry.kind == "country":
            if not _country(entry, out, report):
                broken.invalid(entry.path, "country", entry.stem, entry.doc.data)
        elif entry.kind in ("initiative", "practice"):
            if not _listed(entry, out, report):
                broken.invalid(entry.path, entry.kind, entry.stem, entry.doc.data)
    return out


def _country(entry: Entry, out: Entries, report: Reporter) -> bool:
    """A country file; False when it is left out for its own errors (its name is a country code)."""
    iso3 = entry.stem.upper()
    if iso3 not in refdata.countries():
        report.add(
            entry.path,
            1,
            1,
            "unknown-country",
            f"'{entry.stem}' is not an ISO 3166-1 alpha-3 country code",
            join_hint(suggest_country(entry.stem), "Name the file after the country's code, e.g. KEN.yaml."),
        )
        return True  # its name is no country: it declares nothing
    owned = out.claim("country", iso3, entry, report)  # the file name is the id: claim it before validating
    country = validate_entry(entry, Country, report)
    if country is None:
        return False
    if country.iso3 and country.iso3 != iso3:
        report.add(
            entry.path,
            *entry.doc.where(("iso3",)),
            "id-mismatch",
            f"iso3 is {country.iso3} but the file is named {entry.stem}",
            f"Remove the iso3 line, or rename the file to {country.iso3}.yaml.",
        )
        return False
    if owned:
        out.countries[iso3] = (entry, country)
    return True


def _listed(entry: Entry, out: Entries, report: Reporter) -> bool:
    """An initiative or a practice: its file name is its id. False when it is left out for its own errors."""
    if not is_slug(entry.stem):
        report.add(
            entry.path,
            1,
            1,
            "invalid-slug",
            f"the file name '{entry.stem}' is not a valid id",
            "Rename the file using lower-case letters, digits and hyphens, e.g. kenya-digital-plan.md.",
        )
        return True  # its name is no id: it declares nothing
    owned = out.claim(entry.kind, entry.stem, entry, report)
    item: Optional[Initiative | Practice]
    if entry.kind == "initiative":
        item = validate_entry(entry, Initiative, report)
        if isinstance(item, Initiative) and owned:
            out.initiatives[entry.stem] = (entry, item)
    else:
        item = validate_entry(entry, Practice, report)
        if isinstance(item, Practice) and owned:
            out.practices[entry.stem] = (entry, item)
    if entry.stem not in (out.initiatives if entry.kind == "initiative" else out.practices):
        out.invalid.append(entry)
    return item is not None


def _check_body(entry: Entry, report: Reporter) -> None:
    body, line0, col0 = entry.body, entry.body_line, 1
    if body is None and isinstance(entry.doc.data, dict) and isinstance(entry.doc.data.get("body"), str):
        body = entry.doc.data["body"]
        line0, col0 = entry.doc.text_starts.get(("body",), entry.doc.where(("body",)))
    if body:
        for p in check_body(body):
            report.add(entry.path, line0 + p.line, col0 - 1 + p.col, p.code, p.message, p.hint)
