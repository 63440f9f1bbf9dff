"""The checked site as one language's pages show it: every text in that language where a translation
gives it, and every other text marked with the language it is written in.

`Marked` is a `str` that knows its language: the templates' `|t` filter writes it inside
`<span lang="en">` (with `dir="ltr"` on right-to-left pages) when it is not in the page's language,
so screen readers switch voice and punctuation stays in place. An official text (a goal's statement,
a target's wording) is taken from a translation only when it names the ITU publication it is quoted
from; otherwise the English official text stays, marked.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional, TypeVar

from markupsafe import Markup, escape

from connect_site.content.graph import Site
from connect_site.content.schema import Category, Goal, Indicator, SiteConfig, Source, Target
from connect_site.content.texts import IndicatorTranslation
from connect_site.site import i18n

M = TypeVar("M", Goal, Target, Indicator, Source, SiteConfig, Category)


class Marked(str):
    """Text written in another language than the page's."""

    lang: str

    def __new__(cls, text: str, lang: str) -> Marked:
        self = super().__new__(cls, text)
        self.lang = lang
        return self


def in_page(value: object) -> Markup:
    """The `|t` filter: text, inside `<span lang>` when it is in another language than the page's."""
    if isinstance(value, Marked) and value.lang != i18n.active():
        direction = ' dir="ltr"' if i18n.language(i18n.active()).dir == "rtl" else ""
        return Markup(f'<span lang="{value.lang}"{direction}>{escape(str(value))}</span>')
    if isinstance(value, Markup):
        return value
    return Markup(escape("" if value is None else str(value)))


def lang_of(value: object) -> str:
    """The language a text is written in when it is not the page's ("" when it is)."""
    return value.lang if isinstance(value, Marked) and value.lang != i18n.active() else ""


def _fields(model: M, default: str, given: dict[str, Optional[str]], body: Optional[str] = None) -> M:
    """The model with each of `given`'s fields translated, or marked as written in `default`; `body`
    replaces the Markdown text when a translation gives one."""
    update: dict[str, object] = {"body": body} if body else {}
    for name, translation in given.items():
        original = getattr(model, name)
        if translation:
            update[name] = translation
        elif isinstance(original, str) and original:
            update[name] = Marked(original, default)
    return model.model_copy(update=update)


def _get(tr: object, name: str) -> Optional[str]:
    value = getattr(tr, name, None) if tr is not None else None
    return value if isinstance(value, str) and value else None


def translate_site(site: Site, lang: str) -> Site:
    """The site's texts in `lang` (the site itself for its default language)."""
    default = site.config.default_language
    if lang == default:
        return site
    texts = site.texts
    goals = {}
    for n, goal in site.goals.items():
        gt = texts.goals.get(n, {}).get(lang)
        official = _get(gt, "statement") if _get(gt, "statement_source") else None
        given = {"title": _get(gt, "title"), "statement": official, "note": _get(gt, "note")}
        goals[n] = _fields(goal, default, given, body=_get(gt, "body"))
    targets, indicators = {}, {}
    for tid, target in site.targets.items():
        tt = texts.targets.get(tid, {}).get(lang)
        inds = [_indicator(i, default, tt.indicators.get(i.id) if tt else None) for i in target.indicators]
        indicators.update({i.id: i for i in inds})
        official = _get(tt, "text") if _get(tt, "text_source") else None
        given = {"title": _get(tt, "title"), "text": official, "note": _get(tt, "note")}
        targets[tid] = _fields(target, default, given, body=_get(tt, "body")).model_copy(update={"indicators": inds})
    sources = {}
    for sid, src in site.sources.items():
        st = texts.sources.get(sid, {}).get(lang)
        given = {name: _get(st, name) for name in ("publisher", "title", "edition", "terms", "license", "note")}
        sources[sid] = _fields(src, default, given)
    ct = texts.site.get(lang)
    config = _fields(site.config, default, {name: _get(ct, name) for name in ("title", "tagline", "description")})
    return replace(site, goals=goals, targets=targets, indicators=indicators, sources=sources, config=config)


def _indicator(ind: Indicator, default: str, tr: Optional[IndicatorTranslation]) -> Indicator:
    done = _fields(ind, default, {name: _get(tr, name) for name in ("title", "description", "caveat")})
    labels = tr.categories if tr else {}
    categories = [_fields(c, default, {"label": labels.get(c.code)}) for c in ind.categories]
    return done.model_copy(update={"categories": categories}) if categories else done


def official_missing(original: object) -> bool:
    """Whether an official text is shown in English because its official translation has not been added."""
    return isinstance(original, Marked)
