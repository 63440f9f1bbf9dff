"""The data file next to each listing (`initiatives/entries.json`, `fr/practices/entries.json`) that
assets/filter.js filters together by target, country, kind and year, and sorts.

The pre-rendered listings filter by one facet at a time and need no script; the data file lets
the first page of a listing, with JavaScript, combine filters without one page per combination
(which would be thousands of pages). Each entry carries what the listing shows of it, already in
the page's language and words (title, kind, the line of countries, targets and date, summary), so
the script formats nothing and shows exactly what the server list shows; and the codes it filters
by. It is data, not a page: it is not in the plan, the sitemap or the search index.
"""

from __future__ import annotations

import json
from typing import Optional

from connect_site.site import routes
from connect_site.site.context import EntryCard, View
from connect_site.site.i18n import _, ngettext
from connect_site.site.theme import fmt_date, label

DATA_FILE = "entries.json"
KINDS = ("initiative", "practice")

# The count of a listing, as the page under its heading says it ("12 initiatives."), with `%(num)s`
# for the number: assets/filter.js says the count of what matches in the same words.
_COUNTS = {
    "initiative": ("%(num)s initiative.", "%(num)s initiatives."),
    "practice": ("%(num)s practice.", "%(num)s practices."),
}


def data_path(kind: str) -> str:
    """The data file of a kind's listings, from the language's root: "initiatives/entries.json"."""
    return routes.listing(kind) + DATA_FILE


def facts_line(view: View, card: EntryCard) -> str:
    """The line under an entry's title in a listing: "Kenya · Target 1.4 · March 2022" (the page's
    language). One function for the page and the data file, so the two cannot drift apart."""
    it = card.item
    places = ", ".join(view.names[c] for c in it.countries) if it.countries else _("Global or regional")
    ids = ", ".join(it.targets)
    # Translators: the targets an entry serves, a list of target numbers, e.g. "Targets 1.4, 2.1".
    targets = _("Targets %(ids)s") % {"ids": ids} if len(it.targets) > 1 else _("Target %(id)s") % {"id": ids}
    return " · ".join([places, targets] + ([fmt_date(card.when)] if card.when else []))


def _record(view: View, card: EntryCard) -> dict[str, object]:
    it = card.item
    return {
        "countries": list(it.countries),
        "kind": it.kind.value,
        "lang": view.original_lang(card.kind, card.slug),  # "" when the title is in the page's language
        "line": facts_line(view, card),
        "path": card.slug + "/",  # from the listing (where this file is)
        "summary": it.summary or "",
        "tag": label(it.kind),
        "targets": list(it.targets),
        "title": it.title,
        "when": card.when,  # "2022", "2022-03" or "2022-03-05"; "" when undated
    }


# Characters escaped in the file although JSON allows them: the file stays inert if it is ever
# sniffed as HTML or pasted into a page (`<`, `>`, `&`), or read by an old JavaScript parser (U+2028/9).
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def entries_file(view: View, kind: str) -> bytes:
    """The data file of a kind's listings in the view's language: every entry, in the listing's
    order, compact, with sorted keys and nothing that changes between builds."""
    with view.use():
        records = [_record(view, c) for c in view.entries if c.kind == kind]
    text = json.dumps({"entries": records}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in _ESCAPES.items():
        text = text.replace(char, escaped)  # outside strings JSON has none of these characters
    return (text + "\n").encode("utf-8")


def data_files(views: dict[str, View]) -> dict[str, tuple[View, str]]:
    """Each data file of the site by its output path ("fr/initiatives/entries.json"): the language's
    view and the kind of entry it lists."""
    return {view.prefix + data_path(kind): (view, kind) for view in views.values() for kind in KINDS}


def make(views: dict[str, View], key: str) -> Optional[bytes]:
    """One data file by its output path (None: not one)."""
    found = data_files(views).get(key)
    return entries_file(*found) if found is not None else None


def count_forms(view: View, kind: str) -> dict[str, str]:
    """The count sentence of a kind's listing for each plural category (CLDR's: "one", "few",
    "other"...) of the page's language, with `%(num)s` for the number. The script picks one with
    Intl.PluralRules, so every language says "3 initiatives" in its own grammar."""
    singular, plural = _COUNTS[kind]
    samples: dict[str, int] = {}
    for n in range(0, 1001):  # every category of whole numbers has a member below 1,000
        samples.setdefault(str(view.lang.locale.plural_form(n)), n)
    samples.setdefault("other", 5)  # Russian's "other" is for fractions only: the script's last resort
    return {category: ngettext(singular, plural, n) for category, n in sorted(samples.items())}


def years(view: View, kind: str) -> list[str]:
    """The years of a kind's entries (an initiative's start, a practice's date), newest first."""
    return sorted({c.when[:4] for c in view.entries if c.kind == kind and c.when}, reverse=True)
