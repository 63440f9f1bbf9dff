"""Rendering: a page and its language's view through the page's Jinja template, to bytes.

Templates get a read-only view of the checked site and a `link` that makes relative
URLs. Jinja runs with autoescape and StrictUndefined; contributor text only ever
arrives as data (escaped) or as Markdown rendered by `site.markdown` (sanitized).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from connect_site.site import routes
from connect_site.site.context import View
from connect_site.site.views.page import Page


@dataclass(frozen=True)
class Alternate:
    """The same page in another language: for the switcher (relative) and hreflang (absolute)."""

    code: str
    name: str
    href: str


def render(view: View, page: Page, extra: Mapping[str, Any]) -> bytes:
    """The page's HTML in the view's language; `extra` adds template variables (the downloads page's files)."""
    with view.use():
        return _render(view, page, extra)


def _render(view: View, page: Page, extra: Mapping[str, Any]) -> bytes:
    base_url = view.base_url
    link = routes.Linker.for_page(page.path, view.prefix, base_url if page.rooted else None)
    template = view.theme.env.get_template(page.template)
    others = [(lang, routes.lang_prefix(lang.code, view.default)) for lang in view.languages]
    switch = [Alternate(lang.code, lang.name, link.lang(prefix, page.path)) for lang, prefix in others]
    alternates = [
        Alternate(lang.code, lang.name, routes.absolute(base_url, prefix + page.path)) for lang, prefix in others
    ]
    if len(alternates) > 1:
        alternates.append(Alternate("x-default", "", routes.absolute(base_url, page.path)))
    html = template.render(
        lang=view.lang,
        switch=switch,
        alternates=alternates if page.sitemap else [],
        page=page,
        site=view.site,
        config=view.site.config,
        link=link,
        routes=routes,
        names=view.names,
        css=view.theme.css.path,
        favicon=view.theme.favicon.path,
        script_paths={name: a.path for name, a in view.theme.scripts.items()},
        canonical=routes.absolute(base_url, view.prefix + page.path),
        has_page=view.has_page,
        original_lang=view.original_lang,
        content_lang=view.default,  # contributors write in the default language
        source_names=view.source_names,
        build_date=view.build_date,
        note=view.note,
        **(page.data.namespace() if page.data is not None else {}),
        **extra,
    )
    return html.encode("utf-8")
