"""Right-to-left layout and the fonts of six scripts, measured in headless Chromium.

The Arabic pages of the real site (`ar/`) are used when the build makes them; otherwise a
copy of the built site gets Arabic twins of the pages (`<html lang="ar" dir="rtl">`, same
folder, so relative links still work). The stylesheet uses logical properties, so these
pages must mirror: brand on the right, menu on the left, breadcrumbs and table headers
from the right, the skip link at the right. Charts stay drawn left to right. The English
pages are measured too, as the control: the same assertions must come out the other way.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

import gates
from connect_site.site import routes

HTML_TAG = re.compile(r"<html\b[^>]*>")
TWIN = "rtl-test.html"
PAGES = {
    "home": routes.home(),
    "country": routes.country("KEN"),
    "statistics": routes.country_statistics("KEN"),
    "target": routes.target("1.2"),
}
ARABIC = ("Noto Sans Arabic", "Noto Naskh Arabic", "Geeza Pro", "Tahoma", "Segoe UI")
CHINESE = ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC")
VIEWPORT: ViewportSize = {"width": 1100, "height": 900}


@dataclass(frozen=True)
class Site:
    root: Path
    pages: dict[str, dict[str, str]]  # language -> page name -> path below the root
    rewritten: bool


def twin(root: Path, page: str, lang: str, direction: str) -> str:
    """Write a copy of `page` whose <html> is `lang`/`direction`, next to it; returns its path."""
    source = root / routes.file_for(page)
    text = source.read_text(encoding="utf-8")
    assert HTML_TAG.search(text), f"{source}: no <html> tag"
    path = page + TWIN if page == "" or page.endswith("/") else page + "." + TWIN
    new = HTML_TAG.sub(f'<html lang="{lang}" dir="{direction}">', text, count=1)
    (root / path).write_text(new, encoding="utf-8")
    return path


def with_languages(site: Path, work: Path) -> Site:
    """The English, Arabic and Chinese versions of PAGES: the built ones if any, or rewritten copies."""
    pages = {"en": dict(PAGES)}
    if all((site / "ar" / routes.file_for(p)).is_file() for p in PAGES.values()) and (site / "zh/index.html").is_file():
        pages["ar"] = {name: "ar/" + p for name, p in PAGES.items()}
        pages["zh"] = {"home": "zh/"}
        return Site(site, pages, rewritten=False)
    root = work / "site"
    shutil.copytree(site, root)
    pages["ar"] = {name: twin(root, p, "ar", "rtl") for name, p in PAGES.items()}
    pages["zh"] = {"home": twin(root, PAGES["home"], "zh", "ltr")}
    return Site(root, pages, rewritten=True)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with gates.browser() as b:
        yield b


@pytest.fixture(scope="module")
def site(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return with_languages(real_site, tmp_path_factory.mktemp("rtl"))


@pytest.fixture(scope="module")
def base(site: Site) -> Iterator[str]:
    with gates.serve(site.root) as url:
        yield url


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport=VIEWPORT)
    try:
        yield context.new_page()
    finally:
        context.close()


def load(page: Page, url: str, direction: str) -> None:
    """Open `url` and check the page really is in `direction` (the premise of every test here)."""
    gates._goto(page, url)
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == direction, url


def families(value: str) -> list[str]:
    return [name.strip().strip("\"'") for name in value.split(",")]


# --- layout -----------------------------------------------------------------------------

_HEADER = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  const links = [...document.querySelectorAll('.top nav:not(.langs) li')].map(box);
  const wrap = document.querySelector('.top .wrap');
  const s = getComputedStyle(wrap);
  return {
    start: wrap.getBoundingClientRect().left + parseFloat(s.paddingLeft),
    end: wrap.getBoundingClientRect().right - parseFloat(s.paddingRight),
    brand: box(document.querySelector('.top .brand')),
    menu: {left: Math.min(...links.map(b => b.left)), right: Math.max(...links.map(b => b.right))},
  };
}"""


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_header_brand_at_the_start_menu_at_the_end(
    page: Page, site: Site, base: str, name: str, lang: str, direction: str
) -> None:
    load(page, base + site.pages[lang][name], direction)
    h: dict[str, Any] = page.evaluate(_HEADER)
    brand, menu = h["brand"], h["menu"]
    if direction == "rtl":
        assert brand["left"] > menu["right"], h
        assert abs(brand["right"] - h["end"]) < 2, h
        assert abs(menu["left"] - h["start"]) < 2, h
    else:
        assert brand["right"] < menu["left"], h
        assert abs(brand["left"] - h["start"]) < 2, h
        assert abs(menu["right"] - h["end"]) < 2, h


_CRUMBS = """() => [...document.querySelectorAll('.crumbs li')].map(li => {
  const r = li.getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, text: li.textContent.trim()};
})"""


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_breadcrumbs_flow_in_the_page_direction(page: Page, site: Site, base: str, lang: str, direction: str) -> None:
    load(page, base + site.pages[lang]["target"], direction)
    crumbs: list[dict[str, Any]] = page.evaluate(_CRUMBS)
    assert len(crumbs) >= 3, crumbs
    assert len({round(c["top"]) for c in crumbs}) == 1, f"the breadcrumbs should fit on one line: {crumbs}"
    for before, after in pairwise(crumbs):
        if direction == "rtl":
            assert after["right"] <= before["left"] + 0.5, crumbs
        else:
            assert after["left"] >= before["right"] - 0.5, crumbs
    # The separator is drawn before every crumb but the first, between the two.
    separator = page.evaluate("getComputedStyle(document.querySelector('.crumbs li + li'), '::before').content")
    assert separator not in ("none", "normal", '""'), separator


_HEADER_CELLS = """() => [...document.querySelectorAll('main thead th')].map(th => {
  const range = document.createRange();
  range.selectNodeContents(th);
  const text = range.getBoundingClientRect();
  const cell = th.getBoundingClientRect();
  const s = getComputedStyle(th);
  return {
    label: th.textContent.trim(), align: s.textAlign, direction: s.direction,
    start: cell.left + parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft),
    end: cell.right - parseFloat(s.borderRightWidth) - parseFloat(s.paddingRight),
    left: text.left, right: text.right,
  };
})"""


@pytest.mark.parametrize("name", ["home", "country", "target"])
@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_table_headers_align_to_the_start(
    page: Page, site: Site, base: str, name: str, lang: str, direction: str
) -> None:
    load(page, base + site.pages[lang][name], direction)
    cells: list[dict[str, Any]] = page.evaluate(_HEADER_CELLS)
    assert cells, "no table header cells on the page"
    measured = 0
    for c in cells:
        assert c["align"] in ("start", "right" if direction == "rtl" else "left"), c
        if c["end"] - c["start"] - (c["right"] - c["left"]) < 8:
            continue  # the label fills its cell: it cannot show an alignment
        measured += 1
        if direction == "rtl":
            assert abs(c["right"] - c["end"]) < 1.5 and c["left"] > c["start"] + 4, c
        else:
            assert abs(c["left"] - c["start"]) < 1.5 and c["right"] < c["end"] - 4, c
    assert measured, f"no header cell wider than its label: {cells}"


_NUMBER_CELLS = r"""() => {
  // Cells marked as numbers by the templates; else the value column of the first data table, marked here.
  let cells = [...document.querySelectorAll('main td.num')];
  if (!cells.length) {
    cells = [...document.querySelectorAll('main table.data')[0].querySelectorAll('tbody td:nth-child(2)')];
    cells.forEach(td => td.classList.add('num'));
  }
  const table = cells[0].closest('table');
  if (table.getBoundingClientRect().width < 300) table.style.width = '300px';
  return cells.filter(td => /^[-+−\d.,\s%()]+$/.test(td.textContent.trim())).slice(0, 20).map(td => {
    const range = document.createRange();
    range.selectNodeContents(td);
    const text = range.getBoundingClientRect(), cell = td.getBoundingClientRect(), s = getComputedStyle(td);
    return {label: td.textContent, numeric: s.fontVariantNumeric,
            start: cell.left + parseFloat(s.paddingLeft), end: cell.right - parseFloat(s.paddingRight),
            left: text.left, right: text.right};
  });
}"""


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_numbers_align_to_the_end(page: Page, site: Site, base: str, lang: str, direction: str) -> None:
    load(page, base + site.pages[lang]["statistics"], direction)
    cells: list[dict[str, Any]] = page.evaluate(_NUMBER_CELLS)
    assert cells
    for c in cells:
        assert c["numeric"] == "tabular-nums", c
        if direction == "rtl":
            assert abs(c["left"] - c["start"]) < 1.5 and c["right"] < c["end"] - 4, c
        else:
            assert abs(c["right"] - c["end"]) < 1.5 and c["left"] > c["start"] + 4, c


_ACTIVE = """() => {
  const e = document.activeElement, r = e.getBoundingClientRect();
  return {cls: e.className, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          width: innerWidth, height: innerHeight, outline: getComputedStyle(e).outlineStyle};
}"""


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_skip_link_hidden_until_focused_then_at_the_start(
    page: Page, site: Site, base: str, lang: str, direction: str
) -> None:
    load(page, base + site.pages[lang]["country"], direction)
    hidden = page.evaluate(
        """(() => { const r = document.querySelector('.skip').getBoundingClientRect();
                    return r.bottom <= 0 || r.right <= 0 || r.left >= innerWidth || r.top >= innerHeight; })()"""
    )
    assert hidden, "the skip link shows before it has the focus"
    no_scroll = page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert no_scroll, "something off-screen (a hidden skip link?) makes the page scroll sideways"
    page.keyboard.press("Tab")
    a: dict[str, Any] = page.evaluate(_ACTIVE)
    assert a["cls"] == "skip", a
    assert 0 <= a["top"] and a["bottom"] <= a["height"] and 0 <= a["left"] and a["right"] <= a["width"], a
    assert a["outline"] != "none", "the focused skip link shows no focus ring"
    if direction == "rtl":
        assert a["left"] > a["width"] / 2 and a["width"] - a["right"] < 40, a
    else:
        assert a["right"] < a["width"] / 2 and a["left"] < 40, a


# --- charts -----------------------------------------------------------------------------

_CHARTS = """() => [...document.querySelectorAll('svg.cm-chart, svg.cm-world')].map(svg => ({
  cls: svg.getAttribute('class'),
  direction: getComputedStyle(svg).direction,
  texts: [...svg.querySelectorAll('text')].filter(t => t.x.baseVal.numberOfItems === 1 && t.getNumberOfChars() > 0)
    .map(t => {
      const b = t.getBBox();
      return {text: t.textContent, anchor: getComputedStyle(t).textAnchor, direction: getComputedStyle(t).direction,
              x: t.x.baseVal.getItem(0).value, left: b.x, right: b.x + b.width};
    }),
}))"""


@pytest.mark.parametrize("name", ["statistics", "target"])
def test_charts_stay_left_to_right_on_a_right_to_left_page(page: Page, site: Site, base: str, name: str) -> None:
    load(page, base + site.pages["ar"][name], "rtl")
    charts: list[dict[str, Any]] = page.evaluate(_CHARTS)
    assert any(c["cls"].startswith("cm-chart") for c in charts), "no chart on the page"
    anchors = set()
    for chart in charts:
        assert chart["direction"] == "ltr", chart["cls"]
        for t in chart["texts"]:
            assert t["direction"] == "ltr", t
            # Where the anchor puts the text: a label drawn right to left lands on the other side of x.
            edge = {"start": t["left"], "end": t["right"], "middle": (t["left"] + t["right"]) / 2}[t["anchor"]]
            assert abs(edge - t["x"]) < 1, t
            anchors.add(t["anchor"])
    assert {"start", "end"} <= anchors, f"the page has no start- and end-anchored chart labels to compare: {anchors}"


def test_map_legend_follows_the_page(page: Page, site: Site, base: str) -> None:
    load(page, base + site.pages["ar"]["target"], "rtl")
    legend = page.evaluate(
        """() => [...document.querySelector('.cm-legend').children].slice(0, 2).map(li => li.getBoundingClientRect().left)"""
    )
    assert legend[0] > legend[1], f"the map legend should run right to left: {legend}"


# --- fonts ------------------------------------------------------------------------------

_FONTS = """() => {
  const s = e => getComputedStyle(e);
  const body = s(document.body), p = document.querySelector('main p');
  return {html: s(document.documentElement).fontFamily, p: s(p).fontFamily,
          lineHeight: parseFloat(body.lineHeight) / parseFloat(body.fontSize)};
}"""


@pytest.mark.parametrize(("lang", "direction", "script"), [("ar", "rtl", ARABIC), ("zh", "ltr", CHINESE)])
def test_script_font_stacks(page: Page, site: Site, base: str, lang: str, direction: str, script: tuple[str]) -> None:
    load(page, base + site.pages[lang]["home"], direction)
    f: dict[str, Any] = page.evaluate(_FONTS)
    for where in ("html", "p"):
        names = families(f[where])
        assert set(script) <= set(names), (where, names)
        assert names[-1] == "sans-serif", names
    assert f["lineHeight"] >= 1.7, f"{lang} needs taller lines: {f['lineHeight']:.2f}"


_LINK_FONT = """(lang) => getComputedStyle(document.querySelector(`.langs a[lang="${lang}"]`)).fontFamily"""


def test_english_pages_keep_the_latin_stack(page: Page, site: Site, base: str) -> None:
    load(page, base + site.pages["en"]["home"], "ltr")
    f: dict[str, Any] = page.evaluate(_FONTS)
    names = families(f["p"])
    assert names[0] == "system-ui" and "Noto Sans" in names and names[-1] == "sans-serif", names
    assert f["lineHeight"] < 1.7, f["lineHeight"]
    # The language switcher names Arabic and Chinese in their own scripts, with their own stacks.
    ar = families(page.evaluate(_LINK_FONT, "ar"))
    zh = families(page.evaluate(_LINK_FONT, "zh"))
    assert set(ARABIC) <= set(ar) and set(CHINESE) <= set(zh), (ar, zh)


def test_latin_inside_arabic_pages_gets_the_latin_stack(page: Page, site: Site, base: str) -> None:
    load(page, base + site.pages["ar"]["home"], "rtl")
    en = families(page.evaluate(_LINK_FONT, "en"))
    assert en[0] == "system-ui" and "Noto Sans" in en, en


_NO_CAPS = """() => [...document.querySelectorAll('body *')].filter(e => {
  const s = getComputedStyle(e);
  return s.textTransform === 'uppercase' || (s.letterSpacing !== 'normal' && parseFloat(s.letterSpacing) !== 0);
}).map(e => e.outerHTML.slice(0, 120))"""


@pytest.mark.parametrize("name", list(PAGES))
def test_arabic_has_no_capitals_or_letter_spacing(page: Page, site: Site, base: str, name: str) -> None:
    load(page, base + site.pages["ar"][name], "rtl")
    assert page.evaluate(_NO_CAPS) == []


_REMOTE = re.compile(r"^\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_URL = re.compile(r"url\(([^)]*)\)", re.IGNORECASE)


def test_css_downloads_no_fonts_and_nothing_from_elsewhere(site: Site, page: Page, base: str) -> None:
    sheets = sorted((site.root / "assets").glob("*.css"))
    assert sheets, "no stylesheet in the built site"
    for sheet in sheets:
        css = sheet.read_text(encoding="utf-8")
        assert "@font-face" not in css.lower(), sheet.name
        assert "@import" not in css.lower(), sheet.name
        remote = [u for u in _URL.findall(css) if _REMOTE.match(u) and not u.strip("'\" ").startswith("data:")]
        assert remote == [], f"{sheet.name}: url() to another host: {remote}"
    # And in the browser: every request of an Arabic page goes to the local server.
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    load(page, base + site.pages["ar"]["target"], "rtl")
    assert requests and all(u.startswith(base) for u in requests), requests


# --- the rewritten copies themselves ------------------------------------------------------


def test_rewritten_twins_on_a_site_without_arabic(tiny_site: Path, tmp_path: Path, chromium: Browser) -> None:
    """The fallback path works (the tiny site has one language): the twins load and mirror."""
    assert not (tiny_site / "ar").exists()
    copy = tmp_path / "site"
    shutil.copytree(tiny_site, copy)
    path = twin(copy, routes.country("KEN"), "ar", "rtl")
    assert '<html lang="ar" dir="rtl">' in (copy / path).read_text(encoding="utf-8")
    context = chromium.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        with gates.serve(copy) as url:
            load(page, url + path, "rtl")
            h: dict[str, Any] = page.evaluate(_HEADER)
            assert page.evaluate("document.styleSheets.length") == 1, "the twin lost its stylesheet"
    finally:
        context.close()
    assert h["brand"]["left"] > h["menu"]["right"], h
