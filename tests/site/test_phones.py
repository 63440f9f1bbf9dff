"""Phones first (issue 15, item 4), in real headless Chromium on the real site:

- no page is wider than the screen at 320 and 390 CSS pixels: one page of every kind and every
  initiative and practice page (their facts grids held long addresses and names), in all six
  languages;
- a long table keeps its header row and its first column in view while it scrolls in its box,
  left to right and right to left.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser
from test_gates import BASE_PATH, pages_of_every_kind

import gates
from connect_site.pipeline import CheckResult
from connect_site.site import routes
from connect_site.site.i18n import LANGUAGES


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with gates.browser() as b:
        yield b


def phone_pages(real_result: CheckResult) -> list[str]:
    site = real_result.site
    assert site is not None
    entries = [routes.entry("initiative", s) for s in site.initiatives]
    entries += [routes.entry("practice", s) for s in site.practices]
    pages = pages_of_every_kind(real_result)
    return pages + [e for e in entries if e not in pages]


@pytest.mark.parametrize("width", gates.PHONE_WIDTHS)
def test_no_page_is_wider_than_a_phone_in_any_language(
    real_site: Path, real_result: CheckResult, chromium: Browser, width: int
) -> None:
    pages = [("" if lang == "en" else f"{lang}/") + p for lang in LANGUAGES for p in phone_pages(real_result)]
    assert len(pages) == 6 * len(phone_pages(real_result)) > 6 * 50
    with gates.serve(real_site, BASE_PATH) as base:
        wide = gates.wider_than_the_screen(chromium, [base + p for p in pages], width)
    assert not wide, "\n".join(f"{url}: {what}" for url, what in wide.items())


# Where the header row and the first cell of the last row are, after the table's box is scrolled
# to its end in both directions; and where the box is. `narrow` makes the box 200 px wide first, so
# that a table that fits a 390 px phone scrolls sideways too, as a wider one would.
_SCROLLED = """(box, narrow) => {
  if (narrow) box.style.inlineSize = '200px';
  box.scrollTop = box.scrollHeight;
  box.scrollLeft = getComputedStyle(box).direction === 'rtl' ? -box.scrollWidth : box.scrollWidth;
  const rect = el => { const r = el.getBoundingClientRect(); return {top: r.top, left: r.left, right: r.right}; };
  const rows = box.querySelectorAll('tbody tr');
  const head = box.querySelector('thead th:nth-child(2)'), heading = box.querySelector('tr.head th > span');
  return {box: rect(box), head: head && rect(head), heading: heading && rect(heading), corner: rect(box.querySelector('thead th:first-child')),
          first: rect(rows[rows.length - 1].firstElementChild), moved: [box.scrollTop, box.scrollLeft]};
}"""


def scrolled(chromium: Browser, url: str, box: str, *, narrow: bool) -> dict[str, Any]:
    context = chromium.new_context(viewport={"width": 390, "height": 800}, is_mobile=True)
    try:
        page = context.new_page()
        gates._goto(page, url)
        return page.locator(box).first.evaluate(_SCROLLED, narrow)  # type: ignore[no-any-return]
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["", "ar/"], ids=["ltr", "rtl"])
def test_a_long_table_keeps_its_header_row_and_first_column_in_view(
    real_site: Path, chromium: Browser, lang: str
) -> None:
    """Target 1.4's table of latest values: a column per indicator and a row per country."""
    with gates.serve(real_site, BASE_PATH) as base:
        at = scrolled(chromium, base + lang + routes.target("1.4"), "main .scroll", narrow=True)
    top, side = at["moved"]
    assert top > 1000 and abs(side) > 50, at  # the box did scroll, down and sideways
    assert abs(at["head"]["top"] - at["box"]["top"]) < 1.5, at  # the header row is at the top of the box
    assert abs(at["corner"]["top"] - at["box"]["top"]) < 1.5, at
    edge = "left" if not lang else "right"
    assert abs(at["first"][edge] - at["box"][edge]) < 1.5, at  # the country column is at its start
    assert abs(at["corner"][edge] - at["box"][edge]) < 1.5, at


@pytest.mark.parametrize("lang", ["", "ar/"], ids=["ltr", "rtl"])
def test_the_focus_table_of_a_country_keeps_its_indicator_column_in_view_on_a_phone(
    real_site: Path, chromium: Browser, lang: str
) -> None:
    """Kenya's focus table is wider than a 390 px phone: it scrolls in its box, the indicators stay."""
    with gates.serve(real_site, BASE_PATH) as base:
        at = scrolled(chromium, base + lang + routes.country("KEN"), "main .scroll-x", narrow=False)
    assert abs(at["moved"][1]) > 50, at  # it is wider than the phone, and scrolled sideways
    edge = "left" if not lang else "right"
    assert abs(at["first"][edge] - at["box"][edge]) < 1.5, at
    assert abs(at["corner"][edge] - at["box"][edge]) < 1.5, at
    assert abs(at["heading"][edge] - at["box"][edge]) < 1.5, at  # and so does each target's heading


@pytest.mark.parametrize("lang", ["", "fr/", "ar/"], ids=["en", "fr", "ar"])
def test_the_in_page_menu_of_a_country_takes_the_keyboard_to_its_initiatives(
    real_site: Path, real_result: CheckResult, chromium: Browser, lang: str
) -> None:
    """Kenya's initiatives were 9,480 px down its page on a phone: the menu at the top reaches them."""
    site = real_result.site
    assert site is not None
    related = sum("KEN" in e.countries for e in site.initiatives.values())
    related += sum("KEN" in e.countries for e in site.practices.values())
    context = chromium.new_context(viewport={"width": 390, "height": 800}, is_mobile=True)
    try:
        page = context.new_page()
        with gates.serve(real_site, BASE_PATH) as base:
            gates._goto(page, base + lang + routes.country("KEN"))
            menu = page.locator("nav.toc")
            targets = menu.locator("a").evaluate_all("links => links.map(a => a.hash)")
            headings = page.locator("main section > h2").evaluate_all("hs => hs.map(h => '#' + h.id)")
            assert targets == headings  # every part of the page, in order
            assert targets == ["#focus-h", "#stats-h", "#rel-h", "#contribute-h", "#sources-h"]
            link = menu.locator('a[href="#rel-h"]')
            assert link.evaluate("a => a.parentElement.textContent").endswith(f"({related})")
            assert related >= 3
            heading = page.locator("#rel-h")
            assert heading.evaluate("h => h.getBoundingClientRect().top") > 5000  # far down on a phone
            link.focus()
            page.keyboard.press("Enter")
            page.wait_for_function("() => location.hash === '#rel-h'")
            top = heading.evaluate("h => h.getBoundingClientRect().top")
            assert -2 < top < 50, top  # the heading is at the top of the screen
    finally:
        context.close()
