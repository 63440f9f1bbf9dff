"""One language's view of the checked site: names, translated entries and the shared facts.

Every page of a language is built from its `View`. The views of the six languages share
the facts (figures computed once) and the Markdown renderer (each body rendered once).
Nothing here renders a template or touches a file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Optional, TypeVar, Union

from markupsafe import Markup

from connect_site.content.graph import CountryView, Site
from connect_site.content.schema import Initiative, Practice
from connect_site.site import geo, i18n, routes
from connect_site.site.facts import Facts
from connect_site.site.markdown import Markdown
from connect_site.site.plan import Plan
from connect_site.site.theme import Theme
from connect_site.site.translated import Marked, translate_site

LATEST_ENTRIES = 6
Item = TypeVar("Item", Initiative, Practice)


@dataclass(frozen=True)
class EntryCard:
    kind: str
    slug: str
    item: Union[Initiative, Practice]
    when: str  # sortable date text, "" when unknown


def site_languages(site: Site) -> list[str]:
    """The site's languages, the default first, each once."""
    codes = [site.config.default_language] + list(site.config.languages)
    return list(dict.fromkeys(codes))


@dataclass(frozen=True)
class Shared:
    """What every language's view of one build shares."""

    site: Site
    facts: Facts
    plan: Plan
    theme: Theme
    base_url: str  # with a trailing slash
    build_date: str
    markdown: Markdown
    misses: set[tuple[str, str]]  # (language, interface text) looked up with no translation


class View:
    """The site as the pages of one language show it."""

    def __init__(self, shared: Shared, lang: str) -> None:
        site = translate_site(shared.site, lang)
        self.shared = shared
        self.site = site
        self.facts = shared.facts
        self.plan = shared.plan
        self.theme = shared.theme
        self.base_url = shared.base_url
        self.build_date = shared.build_date
        self.lang = i18n.language(lang)
        self.languages = [i18n.language(code) for code in site_languages(site)]
        self.default = site.config.default_language
        self.prefix = routes.lang_prefix(self.lang.code, self.default)
        with self.use():
            self.names = {iso3: country_name(view) for iso3, view in site.countries.items()}
        self.views = {iso3: self._country(iso3, view) for iso3, view in site.countries.items()}
        self.initiatives = {s: self._translated("initiative", s, i) for s, i in site.initiatives.items()}
        self.practices = {s: self._translated("practice", s, p) for s, p in site.practices.items()}
        self.entries = [EntryCard("initiative", s, i, i.start or "") for s, i in self.initiatives.items()]
        self.entries += [EntryCard("practice", s, p, p.date or "") for s, p in self.practices.items()]
        self.cards = {(c.kind, c.slug): c for c in self.entries}
        self.has_page = frozenset(shared.plan.country_pages)
        self.memo: dict[str, Any] = {}  # what the pages of this language share (the listings' filters)

    def use(self) -> i18n.Using:
        """Answer `_()` in this view's language (and note what has no translation)."""
        return i18n.use(self.lang.code, self.shared.misses)

    @cached_property
    def source_names(self) -> dict[str, str]:
        publishers = Counter(src.publisher for src in self.site.sources.values())
        sources = self.site.sources.items()
        return {k: src.publisher if publishers[src.publisher] == 1 else src.title for k, src in sources}

    def _country(self, iso3: str, view: CountryView) -> CountryView:
        """The country named in this language, its file's summary and text translated where a translation has them."""
        entry = view.entry
        if entry is not None and self.lang.code != self.default:
            tr = self.site.texts.countries.get(iso3, {}).get(self.lang.code)
            summary = (tr.summary if tr else None) or (Marked(entry.summary, self.default) if entry.summary else None)
            entry = entry.model_copy(update={"summary": summary, "body": (tr.body if tr else None) or entry.body})
        return replace(view, name=self.names[iso3], entry=entry)

    def note(self, text: str) -> str:
        """A figure's quality flag ("single source") in this language, or marked as English."""
        if self.lang.code == self.default:
            return text
        tr = self.site.texts.site.get(self.lang.code)
        return (tr.notes.get(text) if tr else None) or Marked(text, self.default)

    def _translated(self, kind: str, slug: str, item: Item) -> Item:
        """The entry with its title, summary and body in this language, where a translation has them."""
        t = self.site.translations.get((kind, slug), {}).get(self.lang.code)
        if t is None:
            return item
        update = {"title": t.title, "summary": t.summary or item.summary, "body": t.body or item.body}
        return item.model_copy(update=update)

    def field_lang(self, kind: str, slug: str, name: str) -> str:
        """The language of one translatable field as shown on this language's pages ("" for this one)."""
        if self.lang.code == self.default:
            return ""
        t = self.site.translations.get((kind, slug), {}).get(self.lang.code)
        return "" if t is not None and getattr(t, name) else self.default

    def original_lang(self, kind: str, slug: str) -> str:
        """The language an entry's title is shown in, when it is not this one ("" when it is)."""
        return self.field_lang(kind, slug, "title")

    def newest_entries(self, limit: int = LATEST_ENTRIES) -> list[EntryCard]:
        """Dated initiatives and practices, newest first (the home page and the feed)."""
        dated = [c for c in self.entries if c.when]
        return sorted(dated, key=lambda c: (c.when, c.kind, c.slug), reverse=True)[:limit]

    def country(self, iso3: str) -> CountryView:
        """The country, named in this view's language."""
        return self.views[iso3]

    def map_defs(self, page: str) -> Markup:
        """The map geometry of a page, each country named in this language and linked to its page."""
        link = routes.Linker.relative(page, self.prefix)
        return geo.world_defs(
            names=self.names, href=lambda iso3: link.to(routes.country(iso3)) if iso3 in self.has_page else None
        )

    def markdown(self, body: Optional[str]) -> Markup:
        return self.shared.markdown.render(body) if body and body.strip() else Markup("")


def country_name(view: CountryView) -> str:
    """A country's name in the active language (the UN's), or as the site knows it in the default language."""
    if i18n.active() == "en":
        return view.name
    return i18n.country_name(view.ref.iso3, view.ref.iso2) or view.name
