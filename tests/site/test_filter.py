"""Combined filters and sorting of the listings (assets/filter.js), driven in real headless Chromium
on the real site.

The first page of /initiatives/ and /practices/ filters by target, country, kind and year together
and sorts by title or date, from the data file next to it (entries.json); every expected result is
computed here from the site model, not from the page or the file. The state is in the URL. Without
JavaScript the listing is complete and as published, with its one-facet pages; axe finds nothing
with the script on (filtered) or off.
"""

from __future__ import annotations

import json
from itertools import product
from pathlib import Path
from typing import Any, Union
from urllib.parse import parse_qs, urlsplit

import pytest
from markupsafe import escape
from playwright.sync_api import Browser, Page
from test_gates import BASE_PATH

import gates
from connect_site.content.graph import Site
from connect_site.content.schema import Initiative, Practice
from connect_site.pipeline import CheckResult
from connect_site.site import i18n, routes
from connect_site.site.files import SiteFiles

SCRIPT = "**/assets/filter.*.js"
Item = Union[Initiative, Practice]

# The slugs the listing shows, in order (from each entry's link).
_LISTED = """() => Array.from(document.querySelectorAll('.results ul.entries > li > a'),
  a => a.getAttribute('href').split('/').filter(Boolean).pop())"""
_ITEMS = "() => Array.from(document.querySelectorAll('.results ul.entries > li'), li => li.outerHTML)"
_TITLES = "() => Array.from(document.querySelectorAll('.results ul.entries > li > a'), a => a.textContent)"
_LIST_HTML = "() => document.querySelector('.results ul.entries').outerHTML"
_PUBLISHED_LIST_HTML = (
    "(html) => new DOMParser().parseFromString(html, 'text/html').querySelector('.results ul.entries').outerHTML"
)
_COLLATED = "(titles) => titles.slice().sort(new Intl.Collator(document.documentElement.lang).compare)"


@pytest.fixture(scope="module")
def site(real_result: CheckResult) -> Site:
    assert real_result.site is not None
    return real_result.site


def items(site: Site, kind: str) -> dict[str, Item]:
    return dict(site.initiatives if kind == "initiative" else site.practices)


def when(item: Item) -> str:
    """The date the listing shows: an initiative's start, a practice's date ("" when there is none)."""
    value = item.start if isinstance(item, Initiative) else item.date
    return str(value or "")


def expected(site: Site, of: str, /, **chosen: str) -> set[str]:
    """The slugs of initiatives or practices (`of`) with that target AND that country AND that kind
    AND that year, from the model."""
    return {
        slug
        for slug, it in items(site, of).items()
        if ("target" not in chosen or chosen["target"] in it.targets)
        and ("country" not in chosen or chosen["country"] in it.countries)
        and ("kind" not in chosen or chosen["kind"] == it.kind.value)
        and ("year" not in chosen or when(it)[:4] == chosen["year"])
    }


def narrowing(site: Site, kind: str) -> tuple[dict[str, str], dict[str, str]]:
    """A target and a country (or a kind: most practices name no country) whose entries overlap
    without either containing the other, and the same with a year that narrows them once more: two
    filters, then three, each doing something."""
    all_items = items(site, kind)
    values = {
        "target": sorted({t for it in all_items.values() for t in it.targets}),
        "country": sorted({c for it in all_items.values() for c in it.countries}),
        "kind": sorted({it.kind.value for it in all_items.values()}),
    }
    for other in ("country", "kind"):
        for target, value in product(values["target"], values[other]):
            two = {"target": target, other: value}
            both = expected(site, kind, **two)
            if not both or both in (expected(site, kind, target=target), expected(site, kind, **{other: value})):
                continue
            for year in sorted({when(all_items[s])[:4] for s in both if when(all_items[s])}):
                three = expected(site, kind, **two, year=year)
                if three and three != both:
                    return two, {**two, "year": year}
    raise AssertionError("the real content has no entries to narrow down three times")


def open_page(chromium: Browser, url: str, *, script: bool = True) -> Page:
    """The page in a context of its own, once its filters are shown (or, without `script`, as published)."""
    context = chromium.new_context()
    if not script:
        context.route(SCRIPT, lambda route: route.abort())
    page = context.new_page()
    gates._goto(page, url)
    if script:
        page.wait_for_selector("fieldset.filter", timeout=gates.PAGE_TIMEOUT_MS)
    return page


def listed(page: Page) -> list[str]:
    return page.evaluate(_LISTED)  # type: ignore[no-any-return]


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def choose(page: Page, **chosen: str) -> None:
    for name, value in chosen.items():
        page.select_option(f'fieldset.filter select[name="{name}"]', value)


def test_the_data_file_holds_every_entry_as_the_listing_shows_it(real_site: Path, site: Site) -> None:
    for prefix, kind in product(["", "fr/", "ar/"], ["initiative", "practice"]):
        raw = (real_site / prefix / routes.listing(kind) / "entries.json").read_bytes()
        data = json.loads(raw)
        assert raw == (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode(
            "utf-8"
        ).replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")  # compact, sorted keys
        model = items(site, kind)
        assert [e["path"] for e in data["entries"]] == [slug + "/" for slug in model]
        listing = (real_site / prefix / routes.file_for(routes.listing(kind))).read_text("utf-8")
        for entry, (slug, it) in zip(data["entries"], model.items(), strict=True):
            assert (entry["targets"], entry["countries"], entry["kind"]) == (it.targets, it.countries, it.kind.value)
            assert entry["when"] == when(it), slug
            tr = site.translations.get((kind, slug), {}).get(prefix.strip("/"))
            assert (entry["title"], entry["lang"]) == ((tr.title, "") if tr else (it.title, "en" if prefix else ""))
            assert entry["summary"] == ((tr.summary if tr else None) or it.summary or "")
            assert (real_site / prefix / routes.listing(kind) / entry["path"] / "index.html").is_file()
            assert f'<span class="fig">{escape(entry["line"])}</span>' in listing, (prefix, slug)  # its words
    assert not list(real_site.glob("**/by-*/**/entries.json"))  # one file per listing, not per facet


def test_two_and_three_filters_together_match_the_model(chromium: Browser, base: str, site: Site) -> None:
    for kind in ("initiative", "practice"):
        two, three = narrowing(site, kind)
        page = open_page(chromium, base + routes.listing(kind))
        try:
            assert set(listed(page)) == set(items(site, kind))  # no filter: every entry (fewer than a page)
            choose(page, **two)
            assert set(listed(page)) == expected(site, kind, **two) and len(listed(page)) == len(set(listed(page)))
            choose(page, **three)
            shown = listed(page)
            assert set(shown) == expected(site, kind, **three), (kind, three)
            word = "initiative" if kind == "initiative" else "practice"
            count = f"{len(shown)} {word}{'' if len(shown) == 1 else 's'}."
            assert page.locator("fieldset.filter [role=status]").inner_text() == count
            assert page.locator(".results > h2").inner_text() == f"Matching {word}s"
            assert query(page) == {k: [v] for k, v in three.items()}
            page.get_by_role("button", name=f"Show all {word}s").click()
            assert set(listed(page)) == set(items(site, kind)) and query(page) == {}
            assert page.locator(".results > h2").inner_text() == f"All {word}s"
        finally:
            page.context.close()


def test_the_keyboard_filters_too(chromium: Browser, base: str, site: Site) -> None:
    """Tab to a control, arrows and typing choose: each change filters at once."""
    page = open_page(chromium, base + routes.listing("initiative"))
    try:
        page.focus('select[name="target"]')
        page.keyboard.press("ArrowDown")  # the first target
        first = page.eval_on_selector('select[name="target"]', "s => s.value")
        assert first and set(listed(page)) == expected(site, "initiative", target=first)
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.name") == "country"
        page.keyboard.type("Kenya")
        assert page.eval_on_selector('select[name="country"]', "s => s.value") == "KEN"
        assert set(listed(page)) == expected(site, "initiative", target=first, country="KEN")
        assert query(page) == {"target": [first], "country": ["KEN"]}
    finally:
        page.context.close()


def _dates(site: Site, kind: str, slugs: list[str]) -> list[str]:
    model = items(site, kind)
    return [when(model[s]) for s in slugs]


@pytest.mark.parametrize("lang", ["", "ru/"], ids=["en", "ru"])
@pytest.mark.parametrize("kind", ["initiative", "practice"])
def test_sorting_by_date_puts_the_undated_last_and_by_title_follows_the_page_language(
    chromium: Browser, base: str, site: Site, lang: str, kind: str
) -> None:
    page = open_page(chromium, base + lang + routes.listing(kind))
    try:
        titles = page.evaluate(_TITLES)
        assert titles == page.evaluate(_COLLATED, titles) and len(titles) == len(items(site, kind))
        for order, newest in (("date", True), ("oldest", False)):
            choose(page, sort=order)
            dates = _dates(site, kind, listed(page))
            dated = [d for d in dates if d]
            assert dates == dated + [""] * (len(dates) - len(dated)), order  # undated last, either way
            assert dated == sorted(dated, reverse=newest) and len(set(dated)) > 2, order
            assert sorted(listed(page)) == sorted(items(site, kind))
        assert query(page) == {"sort": ["oldest"]}
        choose(page, sort="title")
        assert page.evaluate(_TITLES) == titles and query(page) == {}
    finally:
        page.context.close()


def test_russian_titles_sort_as_russian_readers_expect(chromium: Browser, base: str, site: Site) -> None:
    """A title translated into Russian sorts before the Latin ones on the Russian page (Intl.Collator("ru")),
    after them on the English page."""
    translated = [s for (kind, s), tr in site.translations.items() if kind == "initiative" and "ru" in tr]
    assert translated
    ru = open_page(chromium, base + "ru/" + routes.listing("initiative"))
    en = open_page(chromium, base + routes.listing("initiative"))
    try:
        assert listed(ru)[0] in translated and listed(en)[0] not in translated
    finally:
        ru.context.close()
        en.context.close()


def test_the_state_is_restored_from_the_url(chromium: Browser, base: str, site: Site) -> None:
    _, three = narrowing(site, "initiative")
    url = base + routes.listing("initiative") + "?" + "&".join(f"{k}={v}" for k, v in three.items())
    page = open_page(chromium, url + "&sort=date&kind=no-such-kind")
    try:
        values = page.evaluate(
            "() => Object.fromEntries(Array.from(document.querySelectorAll('fieldset.filter select'), s => [s.name, s.value]))"
        )
        assert values == {**three, "kind": "", "sort": "date"}
        assert set(listed(page)) == expected(site, "initiative", **three)
        assert query(page) == {**{k: [v] for k, v in three.items()}, "sort": ["date"]}  # the unknown kind is dropped
        page.reload(wait_until="load")
        page.wait_for_selector("fieldset.filter")
        assert set(listed(page)) == expected(site, "initiative", **three)
    finally:
        page.context.close()


@pytest.mark.parametrize("kind", ["initiative", "practice"])
def test_without_javascript_the_listing_is_complete_and_as_published(
    chromium: Browser, base: str, real_site: Path, site: Site, kind: str
) -> None:
    without = open_page(chromium, base + routes.listing(kind) + "?country=KEN", script=False)
    with_script = open_page(chromium, base + routes.listing(kind))
    try:
        assert without.locator("fieldset, .more, .none").count() == 0  # the controls stay in their <template>
        assert listed(without) == list(items(site, kind))  # every entry, in the published order
        published = (real_site / routes.file_for(routes.listing(kind))).read_text("utf-8")
        assert without.evaluate(_LIST_HTML) == without.evaluate(_PUBLISHED_LIST_HTML, published)  # untouched
        assert without.locator(".results > h2").inner_text() == (
            "All initiatives" if kind == "initiative" else "All practices"
        )
        facet = without.locator("nav.facets a").first.get_attribute("href")
        assert facet and "/by-" in facet  # the one-facet pages are the way to filter
        # With the script, the same entries in the same markup, sorted by title.
        assert sorted(with_script.evaluate(_ITEMS)) == sorted(without.evaluate(_ITEMS))
    finally:
        without.context.close()
        with_script.context.close()


def test_a_long_list_shows_more_by_keyboard(chromium: Browser, site: Site, tmp_path: Path) -> None:
    """With pages of 5 entries (the real site has fewer than one page of 50), the script shows 5 and a
    button for 5 more; the keyboard goes on from the first one added. Only the listing is built."""
    files = SiteFiles(site, page_size=5)
    listing = routes.file_for(routes.listing("initiative"))
    for key in [listing, "initiatives/entries.json", *(k for k in files.keys() if k.startswith("assets/"))]:
        data = files.get(key)
        assert data is not None, key
        (tmp_path / key).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / key).write_bytes(data)
    with gates.serve(tmp_path, BASE_PATH) as url:
        page = open_page(chromium, url + routes.listing("initiative"))
        try:
            assert len(listed(page)) == 5 and page.locator(".results .pager").is_hidden()
            more = page.locator(".results .more button")
            while more.is_visible():
                before = len(listed(page))
                more.focus()
                page.keyboard.press("Enter")
                assert len(listed(page)) == min(before + 5, len(site.initiatives))
                focused = page.evaluate("() => document.activeElement.getAttribute('href')")
                assert focused == f"../initiatives/{listed(page)[before]}/"  # the first one added
            assert sorted(listed(page)) == sorted(site.initiatives)
            choose(page, kind="strategy")  # a new filter starts again from the top
            assert listed(page) and len(listed(page)) <= 5
        finally:
            page.context.close()


@pytest.mark.parametrize("width", gates.PHONE_WIDTHS)
def test_the_filters_fit_a_phone(chromium: Browser, base: str, width: int) -> None:
    context = chromium.new_context(
        viewport={"width": width, "height": 800}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        for lang in ("", "fr/", "ar/", "ru/"):
            for kind in ("initiative", "practice"):
                gates._goto(page, base + lang + routes.listing(kind) + "?sort=date")
                page.wait_for_selector("fieldset.filter")
                assert page.evaluate(gates._WIDER) is None, (lang, kind)
    finally:
        context.close()


# Waits for the filters, then filters by the second country and leaves the focus on that control.
_FILTER_ONCE = """async () => {
  for (let i = 0; i < 200 && !document.querySelector('fieldset.filter'); i++) await new Promise(r => setTimeout(r, 25));
  const select = document.querySelector('fieldset.filter select[name="country"]');
  if (!select) throw new Error('the filters did not appear');
  select.selectedIndex = 1;
  select.dispatchEvent(new Event('change'));
  select.focus();
}"""


@pytest.mark.parametrize("script", [True, False], ids=["script-on", "script-off"])
def test_axe_finds_nothing_on_the_listings(chromium: Browser, base: str, script: bool) -> None:
    pages = [base + lang + routes.listing(kind) for lang in ("", "ar/", "zh/") for kind in ("initiative", "practice")]
    if script:
        found: dict[str, Any] = gates.axe_violations(chromium, pages, before=_FILTER_ONCE)
    else:
        found = gates.axe_violations(chromium, pages, blocked=SCRIPT)
    assert len(found) == 6 and not any(found.values()), gates.format_violations(found)


@pytest.mark.parametrize("lang", ["ru", "ar"])
def test_the_count_is_said_in_the_page_languages_plural_forms(
    chromium: Browser, base: str, site: Site, lang: str
) -> None:
    """Russian and Arabic have several plural forms: each count reads as the server would write it."""
    page = open_page(chromium, base + f"{lang}/" + routes.listing("practice"))
    try:
        targets = sorted({t for it in site.practices.values() for t in it.targets})
        said = set()
        for target in targets:
            choose(page, target=target)
            n = len(expected(site, "practice", target=target))
            with i18n.use(lang):
                sentence = i18n.ngettext("%(num)s practice.", "%(num)s practices.", n) % {"num": n}
            assert page.locator("fieldset.filter [role=status]").inner_text() == sentence, (target, n)
            said.add(sentence.split(" ", 1)[1])
        assert len(said) > 1  # more than one form was needed
    finally:
        page.context.close()
