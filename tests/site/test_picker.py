"""The country picker (issue 15), driven in real headless Chromium on the real site.

On the home page and the countries list, assets/picker.js reveals a combobox (WAI-ARIA's, list
autocompletion) that matches country names in the page's language, their English and common
names, and their ISO codes, case and accents aside; the keyboard alone picks a country and opens
its page, Escape closes the list, a live region says how many countries match. Without the script
the picker stays hidden and the page's plain list links every country page. axe finds nothing with
the script on (the list open) or off. Only these pages load the script (test_build.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

import gates
from connect_site.site import routes

SCRIPT = "**/assets/picker.*.js"
PAGES = ("", routes.countries())  # the home page and the countries list
OPTIONS = "#picker-list [role=option]"


def open_page(chromium: Browser, url: str, *, script: bool = True) -> Page:
    """The page in a context of its own; without `script`, this page kind's script does not load."""
    return gates.open_page(chromium, url, blocked=None if script else SCRIPT)


def name_on(site: Path, lang: str, iso3: str) -> str:
    """A country's name as the built countries page of a language shows it (the link's text)."""
    html = (site / lang / "countries" / "index.html").read_text(encoding="utf-8")
    found = re.search(rf'<a href="\.\./countries/{iso3}/"[^>]*>([^<]+)</a>', html)
    assert found, (lang, iso3)
    return found.group(1)


def country_pages(site: Path) -> set[str]:
    return {p.parent.name for p in (site / "countries").glob("*/index.html")}


def linked(page: Page) -> list[str]:
    """The country pages the page's plain list links (the picker's data), in the page's order."""
    hrefs = page.eval_on_selector_all("a[data-codes]", "as => as.map(a => a.getAttribute('href'))")
    return [h.rstrip("/").split("/")[-1] for h in hrefs]


def pick(page: Page, typed: str) -> None:
    """Type into the picker from the keyboard alone, move to the first option and press Enter."""
    box = page.get_by_role("combobox")
    box.focus()
    page.keyboard.type(typed)
    expect(page.locator("#picker-list")).to_be_visible()
    page.keyboard.press("ArrowDown")
    first = page.locator(OPTIONS).first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id") or "?")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize(
    ("lang", "path", "typed", "iso3"),
    [
        ("", "", "ken", "ken"),
        ("", routes.countries(), "ken", "ken"),
        ("", "", "KE", "ken"),
        ("", routes.countries(), "KEN", "ken"),
        ("es/", "", "kenia", "ken"),  # the UN's Spanish name is "Kenya"; CLDR's, "Kenia"
        ("es/", routes.countries(), "kenia", "ken"),
        ("ar/", "", None, "ken"),
        ("ar/", routes.countries(), None, "ken"),
        ("zh/", "", None, "ken"),
        ("zh/", routes.countries(), None, "ken"),
        ("ru/", routes.countries(), None, "ken"),
        ("fr/", "", "Kenya", "ken"),
        ("fr/", routes.countries(), "Germany", "deu"),  # English, on a page that says "Allemagne"
        ("zh/", "", "Germany", "deu"),
        ("ar/", routes.countries(), "germany", "deu"),
        ("", routes.countries(), "cote", "civ"),  # Côte d'Ivoire, accents aside
        ("fr/", "", "cote d'iv", "civ"),  # and the typographic apostrophe of "Côte d’Ivoire" too
        ("", "", "ivoire", "civ"),  # the start of a word
    ],
)
def test_the_keyboard_alone_picks_a_country_and_opens_its_page(
    chromium: Browser, base: str, real_site: Path, lang: str, path: str, typed: str | None, iso3: str
) -> None:
    typed = typed or name_on(real_site, lang, iso3)  # the name the built page gives it in its language
    page = open_page(chromium, base + lang + path)
    try:
        pick(page, typed)
        assert page.url == base + lang + routes.country(iso3)
    finally:
        page.context.close()


def test_the_combobox_follows_the_aria_pattern(chromium: Browser, base: str) -> None:
    page = open_page(chromium, base + routes.countries())
    try:
        box = page.get_by_role("combobox", name="Country name or code")
        listbox = page.locator("#picker-list")
        expect(box).to_have_attribute("aria-expanded", "false")
        assert box.get_attribute("aria-controls") == "picker-list" and listbox.get_attribute("role") == "listbox"
        assert box.get_attribute("aria-autocomplete") == "list"
        expect(listbox).to_be_hidden()
        box.focus()
        page.keyboard.type("gu")  # Guatemala, Guinea, Guyana... and Papua New Guinea, Guernsey
        expect(box).to_have_attribute("aria-expanded", "true")
        names = page.locator(OPTIONS).all_inner_texts()
        assert len(names) > 4 and all("gu" in n.lower() for n in names), names
        starts = [n.lower().startswith("gu") for n in names]
        assert starts == sorted(starts, reverse=True), names  # the starts of names first
        assert "Papua New Guinea" in names
        page.keyboard.press("ArrowUp")  # from the box to the last option, then round to the first
        expect(page.locator(OPTIONS).last).to_have_attribute("aria-selected", "true")
        page.keyboard.press("ArrowDown")
        expect(page.locator(OPTIONS).first).to_have_attribute("aria-selected", "true")
        assert page.locator("[aria-selected=true]").count() == 1
        page.keyboard.press("ArrowDown")
        second = page.locator(OPTIONS).nth(1)
        expect(second).to_have_attribute("aria-selected", "true")
        expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id") or "?")
        assert page.evaluate("() => document.activeElement.id") == "picker-q"  # the focus stays in the box
        page.keyboard.press("Escape")  # closes the list, keeps the text
        expect(listbox).to_be_hidden()
        expect(box).to_have_attribute("aria-expanded", "false")
        assert box.get_attribute("aria-activedescendant") is None
        assert box.input_value() == "gu"
        page.keyboard.press("ArrowDown")  # opens it again
        expect(listbox).to_be_visible()
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")  # then clears the box
        assert box.input_value() == ""
        expect(listbox).to_be_hidden()
    finally:
        page.context.close()


def test_a_click_on_an_option_opens_the_page_and_english_names_are_shown_when_they_matched(
    chromium: Browser, base: str
) -> None:
    page = open_page(chromium, base + "fr/")
    try:
        page.get_by_role("combobox").fill("germ")
        option = page.get_by_role("option").first
        expect(option).to_have_text("Allemagne Germany")
        assert option.locator("span").get_attribute("lang") == "en"
        with page.expect_navigation():
            option.click()
        assert page.url == base + "fr/" + routes.country("deu")
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("lang", "typed", "said"),
    [
        ("", "ken", "1 country"),
        ("", "united", re.compile(r"^[2-9] countries$")),
        ("fr/", "xqz", "Aucun pays ne correspond."),
        ("ru/", "ке", re.compile(r"^\d+ стран[аы]?$")),
        ("ar/", "KEN", "بلد واحد"),
    ],
)
def test_a_live_region_says_how_many_countries_match(
    chromium: Browser, base: str, lang: str, typed: str, said: str | re.Pattern[str]
) -> None:
    page = open_page(chromium, base + lang + routes.countries())
    try:
        status = page.get_by_role("status")
        expect(status).to_have_text("")
        page.get_by_role("combobox").fill(typed)
        expect(status).to_have_text(said)
        if lang == "":
            n = page.locator(OPTIONS).count()
            assert status.inner_text() == ("1 country" if n == 1 else f"{n} countries")
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["", "ar/", "zh/"])
@pytest.mark.parametrize("path", PAGES, ids=["home", "countries"])
def test_without_javascript_the_plain_list_links_every_country_page(
    chromium: Browser, base: str, real_site: Path, lang: str, path: str
) -> None:
    without = open_page(chromium, base + lang + path, script=False)
    with_script = open_page(chromium, base + lang + path)
    try:
        every = country_pages(real_site)
        assert len(every) > 200
        listed = linked(without)
        assert sorted(listed) == sorted(every)  # every country page, once
        assert without.locator("#picker").is_hidden() and without.locator("#picker").get_attribute("hidden") == ""
        assert without.get_by_role("combobox").count() == 0  # no control that would not work
        assert not without.locator("#picker-q").is_visible()
        expect(with_script.get_by_role("combobox")).to_be_visible()
        assert linked(with_script) == listed  # the list stays as published
        if path == "":  # on the home page the list is folded, one click away, with no script
            summary = without.locator("details.every summary")
            expect(without.locator("details.every a").first).to_be_hidden()
            summary.click()
            expect(without.locator("details.every a").first).to_be_visible()
    finally:
        without.context.close()
        with_script.context.close()


_OPEN_THE_LIST = """() => {
  const box = document.getElementById('picker-q');
  box.focus();
  box.value = 'ni';
  box.dispatchEvent(new Event('input'));
  box.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true}));
  if (box.getAttribute('aria-expanded') !== 'true' || !box.getAttribute('aria-activedescendant')) throw new Error('closed');
}"""


@pytest.mark.parametrize("script", [True, False], ids=["script-on", "script-off"])
def test_axe_finds_nothing_on_the_picker(chromium: Browser, base: str, script: bool) -> None:
    pages = [base + lang + path for lang in ("", "ar/", "zh/") for path in PAGES]
    if script:
        found = gates.axe_violations(chromium, pages, before=_OPEN_THE_LIST)
    else:
        found = gates.axe_violations(chromium, pages, blocked=SCRIPT)
    assert len(found) == 6 and not any(found.values()), gates.format_violations(found)


# The gaps between the first option's box and its text, on its left and on its right.
_TEXT_SIDES = """() => {
  const option = document.querySelector('#picker-list [role=option]');
  const range = document.createRange();
  range.selectNodeContents(option.firstChild);
  const text = range.getBoundingClientRect(), box = option.getBoundingClientRect();
  return [text.left - box.left, box.right - text.right];
}"""


@pytest.mark.parametrize("width", [320, 390])
def test_the_open_list_fits_a_phone_and_mirrors_right_to_left(chromium: Browser, base: str, width: int) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 700})
    try:
        page = context.new_page()
        for lang in ("", "ar/"):
            gates._goto(page, base + lang + routes.countries())
            page.get_by_role("combobox").fill("ni")
            box = page.get_by_role("combobox").bounding_box()
            listbox = page.locator("#picker-list").bounding_box()
            assert box and listbox
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width
            assert 0 <= box["x"] and box["x"] + box["width"] <= width
            assert abs(listbox["x"] - box["x"]) < 1 and abs(listbox["width"] - box["width"]) < 1
            hint = page.locator("#picker-q + [role=listbox] [role=option]").first.bounding_box()
            assert hint and listbox["x"] <= hint["x"] and hint["x"] + hint["width"] <= listbox["x"] + listbox["width"]
            # the text of an option starts at the start of its line: the right on an Arabic page
            start, end = page.evaluate(_TEXT_SIDES)
            assert (end if lang == "ar/" else start) < 16, (lang, start, end)
            assert (start if lang == "ar/" else end) > 16, (lang, start, end)
    finally:
        context.close()
