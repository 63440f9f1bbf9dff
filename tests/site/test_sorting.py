"""Sortable tables (issue 15, item 5), driven in real headless Chromium on the real site.

The tables of latest values (an indicator's, and a target's with a column per indicator) sort by
any column, by mouse and by keyboard, with `aria-sort`; without JavaScript they are complete in
their published order. axe finds nothing with the script on (after sorting) or off. Only pages
with such a table load the script (test_build.py checks every page).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

import gates
from connect_site.site import routes

EGDI = routes.indicator("1.7", "egdi")

# Each row of the first sortable table: its country code (from the link) and the sort key of each
# cell as the page holds it (data-v, else the text).
_ROWS = """() => Array.from(document.querySelector('table[data-sortable] tbody').rows, row => ({
  country: row.cells[0].querySelector('a').getAttribute('href').split('/').filter(Boolean).pop(),
  cells: Array.from(row.cells, c => c.dataset.v !== undefined ? Number(c.dataset.v) : c.textContent.trim()),
}))"""
_SORTS = (
    "() => Array.from(document.querySelectorAll('table[data-sortable] thead th'), th => th.getAttribute('aria-sort'))"
)


SCRIPT = "**/assets/sort.*.js"  # the site's one script outside the search page


def open_page(chromium: Browser, url: str, *, script: bool = True) -> Page:
    """The page in a context of its own; without `script`, this page kind's script does not load."""
    return gates.open_page(chromium, url, blocked=None if script else SCRIPT)


def rows(page: Page) -> list[dict[str, Any]]:
    return page.evaluate(_ROWS)  # type: ignore[no-any-return]


def test_a_column_sorts_ascending_then_descending_and_says_so(chromium: Browser, base: str) -> None:
    page = open_page(chromium, base + EGDI)
    try:
        published = rows(page)
        assert len(published) > 150
        assert page.evaluate(_SORTS) == [None, None, None]
        page.get_by_role("button", name="Value").click()
        up = rows(page)
        assert page.evaluate(_SORTS) == [None, "ascending", None]
        values = [r["cells"][1] for r in up]
        assert all(isinstance(v, float | int) for v in values) and values == sorted(values)
        assert values[0] < values[-1]
        assert sorted(map(str, up)) == sorted(map(str, published))  # every row is still there, once
        page.get_by_role("button", name="Value").click()
        down = [r["cells"][1] for r in rows(page)]
        assert page.evaluate(_SORTS) == [None, "descending", None]
        assert down == sorted(values, reverse=True)
        page.get_by_role("button", name="Country").click()  # back to the published order: by name
        assert rows(page) == published
        assert page.evaluate(_SORTS) == ["ascending", None, None]
    finally:
        page.context.close()


def test_the_keyboard_sorts_too_in_the_readers_language(chromium: Browser, base: str) -> None:
    """In French the values read "0,799": they sort as numbers all the same."""
    page = open_page(chromium, base + "fr/" + EGDI)
    try:
        shown = page.locator("table[data-sortable] tbody td").first.inner_text()
        assert re.fullmatch(r"0,\d+", shown), shown
        page.get_by_role("button", name="Valeur").focus()
        page.keyboard.press("Enter")
        values = [r["cells"][1] for r in rows(page)]
        assert values == sorted(values) and values[0] < values[-1]
        page.keyboard.press("Space")
        assert [r["cells"][1] for r in rows(page)] == sorted(values, reverse=True)
        assert page.evaluate(_SORTS) == [None, "descending", None]
        assert page.evaluate("() => document.activeElement.closest('th').getAttribute('aria-sort')") == "descending"
    finally:
        page.context.close()


def test_empty_cells_stay_last_whichever_way_a_column_is_sorted(chromium: Browser, base: str) -> None:
    """Target 1.4's table has a column per indicator, and not every country has every one."""
    page = open_page(chromium, base + routes.target("1.4"))
    try:
        columns = page.evaluate("() => document.querySelectorAll('table[data-sortable] thead th').length")
        assert columns >= 3
        buttons = page.locator("table[data-sortable] thead button")
        for column in range(1, columns):
            for _ in ("ascending", "descending"):
                buttons.nth(column).click()
                keys = [r["cells"][column] for r in rows(page)]
                filled = [k for k in keys if k != ""]
                assert keys == filled + [""] * (len(keys) - len(filled)), column
                assert 0 < len(filled)
        assert any("" in [r["cells"][c] for r in rows(page)] for c in range(1, columns))  # some are empty
    finally:
        page.context.close()


def test_without_javascript_the_table_is_complete_in_its_published_order(chromium: Browser, base: str) -> None:
    with_script = open_page(chromium, base + EGDI)
    without = open_page(chromium, base + EGDI, script=False)
    try:
        assert without.locator("table[data-sortable] thead button").count() == 0
        assert without.evaluate(_SORTS) == [None, None, None]
        assert with_script.locator("table[data-sortable] thead button").count() == 3
        assert rows(with_script) == rows(without)  # the same rows, in the same order, until sorted
    finally:
        with_script.context.close()
        without.context.close()


_SORT_ONCE = (
    "() => { const b = document.querySelector('table[data-sortable] th:nth-child(2) button'); b.click(); b.focus(); }"
)


@pytest.mark.parametrize("script", [True, False], ids=["script-on", "script-off"])
def test_axe_finds_nothing_on_the_sortable_tables(chromium: Browser, base: str, script: bool) -> None:
    region = routes.region("Western Europe")  # six tables, the region's and the world's rows above the countries
    pages = [base + EGDI, base + "ar/" + EGDI, base + "zh/" + routes.target("1.4"), base + routes.target("1.4")]
    pages += [base + region, base + "ar/" + region]
    if script:
        found = gates.axe_violations(chromium, pages, before=_SORT_ONCE)
    else:
        found = gates.axe_violations(chromium, pages, blocked=SCRIPT)
    assert len(found) == 6 and not any(found.values()), gates.format_violations(found)
