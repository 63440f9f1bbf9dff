"""The six UN languages: gettext catalogs, CLDR data (Babel) and locale-aware sorting.

UI strings are marked `_("...")` in the code and `{% trans %}`/`_()` in the templates;
`make messages` extracts them with Babel into `locale/messages.pot` and updates the
`.po` file of each language. The `.po` files are compiled in memory when a build
needs them (no `.mo` files in the repository).

Rendering is per language: `with use("fr", misses):` makes `_()` answer in French for
the code inside the block, and note in `misses` (a set the caller owns: one per build)
every text the French catalog does not have. The active language and that set are the
only state, held in a `ContextVar`: each thread and each build sees its own. The tests
turn the misses into a gate, so no page in any language shows an untranslated catalog
string.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from pyuca import Collator

from connect_site.content import refdata

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"

# The six official languages of the UN and ITU, in the order the switcher shows them.
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
RTL = frozenset({"ar"})


# The CLDR locale whose conventions (dates, numbers) a language's pages follow: ITU writes
# British English ("5 August 2022"), and Chinese pages use Simplified Chinese.
FORMAT_LOCALES = {"en": "en_GB", "zh": "zh_Hans"}


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself: "Français", "العربية"
    dir: str  # "ltr" or "rtl"
    locale: Locale


@functools.cache
def language(code: str) -> Language:
    loc = Locale.parse(FORMAT_LOCALES.get(code, code))
    name = Locale.parse(code).get_display_name(Locale.parse(code)) or code
    return Language(code, name[:1].upper() + name[1:], "rtl" if code in RTL else "ltr", loc)


@functools.cache
def translations(code: str) -> Optional[Translations]:
    """The catalog of one language, compiled from its .po file (None for English, the source)."""
    po = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if code == "en" or not po.is_file():
        return None
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=code, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


Misses = set[tuple[str, str]]  # (language, interface text) looked up with no translation
_active: ContextVar[tuple[str, Optional[Misses]]] = ContextVar("connect_site_language", default=("en", None))
Using = AbstractContextManager[None]


@contextmanager
def use(code: str, misses: Optional[Misses] = None) -> Iterator[None]:
    """Answer `_()` in this language inside the block; note the texts it has no translation for in `misses`."""
    token = _active.set((code, misses))
    try:
        yield
    finally:
        _active.reset(token)


def active() -> str:
    return _active.get()[0]


def _missed(code: str, message: str) -> None:
    misses = _active.get()[1]
    if misses is not None:
        misses.add((code, message))


def gettext(message: str) -> str:
    code = active()
    if code == "en":
        return message
    catalog = translations(code)
    found = catalog._catalog.get(message) if catalog is not None else None  # noqa: SLF001 (gettext's own table)
    if not found:
        _missed(code, message)
        return message
    return str(found)


def ngettext(singular: str, plural: str, n: int) -> str:
    code = active()
    catalog = translations(code)
    if code != "en" and (catalog is None or (singular, 0) not in catalog._catalog):  # noqa: SLF001
        _missed(code, singular)
        catalog = None
    if catalog is None:
        return singular if n == 1 else plural
    return str(catalog.ngettext(singular, plural, n))


_ = gettext


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark a string for extraction without translating it here (it is translated where shown)."""
    return message


# -- CLDR data ----------------------------------------------------------------------------


def country_name(iso3: str, iso2: str, code: Optional[str] = None) -> Optional[str]:
    """A country or area's name in a language: the UN's (M49: "Allemagne", "Royaume-Uni de Grande-Bretagne et
    d'Irlande du Nord"), else CLDR's for a code the UN does not name (Kosovo)."""
    lang = code or active()
    found = refdata.un_names().get(iso3, {}).get(lang)
    if found:
        return found
    return language(lang).locale.territories.get(iso2) if iso2 else None


def number(value: float, decimals: int, code: Optional[str] = None, *, grouping: bool = True) -> str:
    """A number with exactly the given decimals, with the locale's separators."""
    return _number(value, decimals, code or active(), grouping)


@functools.lru_cache(maxsize=1 << 16)
def _number(value: float, decimals: int, code: str, grouping: bool) -> str:
    """Babel's formatting, kept: the same figures recur on a page and across pages (a pure function)."""
    pattern = "#,##0" if grouping else "0"
    if decimals > 0:
        pattern += "." + "0" * decimals
    return format_decimal(value, format=pattern, locale=language(code).locale)


def month_year(year: int, month: int, day: Optional[int] = None, code: Optional[str] = None) -> str:
    """ "March 2022" or "5 March 2022" in the locale's words and order."""
    import datetime

    loc = language(code or active()).locale
    if day is None:
        return format_skeleton("yMMMM", datetime.date(year, month, 1), locale=loc)
    return format_date(datetime.date(year, month, day), format="long", locale=loc)


@functools.cache
def _collator() -> Collator:
    return Collator()


def sort_key(text: str) -> tuple[int, ...]:
    """The Unicode Collation Algorithm key (DUCET): accents, case and scripts sort as readers expect."""
    return tuple(_collator().sort_key(text))


# UN M49 codes of the regions named in the reference data whose English CLDR name differs
# from the UN's ("Southeast Asia" for "South-eastern Asia"); CLDR names the regions in
# every language by these codes.
_M49 = {
    "Australia and New Zealand": "053",
    "Latin America and the Caribbean": "419",
    "Micronesia": "057",
    "South-eastern Asia": "035",
}


@functools.cache
def _region_codes() -> dict[str, str]:
    english = Locale.parse("en").territories
    return {name: code for code, name in english.items() if code.isdigit()} | _M49


def region_name(english: str) -> str:
    """A UN region in the active language ("Africa" -> "Afrique"); no region -> "Other"."""
    if not english:
        return _("Other")
    code = active()
    if code == "en":
        return english
    m49 = _region_codes().get(english)
    return (language(code).locale.territories.get(m49) if m49 else None) or english


def catalog_counts(code: str) -> tuple[int, int]:
    """(translated, total) UI messages of a language; fuzzy ones count as untranslated."""
    template = LOCALE_DIR / f"{DOMAIN}.pot"
    with template.open("rb") as fh:
        total = sum(1 for m in read_po(fh) if m.id)
    po = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if code == "en":
        return total, total
    if not po.is_file():
        return 0, total
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=code)
    return sum(1 for m in catalog if m.id and not m.fuzzy and _filled(m.string)), total


def _filled(string: object) -> bool:
    """A message's translation is there: every plural form of it, too."""
    return all(string) if isinstance(string, tuple) else bool(string)
