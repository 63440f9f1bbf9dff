"""Search: the Pagefind index that the build adds under pagefind/, and the search page.

The index is built by the real Pagefind binary, and searched in real headless Chromium
over a local HTTP server, with the site under a sub-path (/connect2030/), as published.
"""

from __future__ import annotations

import json
import math
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import pytest
from playwright.sync_api import Browser, Page

import gates
import xss_corpus
from conftest import TINY, render_files, write_site
from connect_site.errors import ConnectSiteError
from connect_site.pipeline import CheckResult, build, check
from connect_site.site import routes, search

BASE_PATH = "/connect2030/"
LISTINGS = ("Targets", "Countries", "Initiatives", "Practices")
SEARCH_CSP = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'"
)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with gates.browser() as b:
        yield b


@pytest.fixture(scope="module")
def tiny_files() -> dict[str, bytes]:
    """Every file of the tiny site, rendered in memory (its search index included)."""
    result = check(TINY, display_root="content")
    assert result.site is not None
    return render_files(result.site)[0]


def _pages(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if not path.startswith(search.BUNDLE)}


def _entry(files: dict[str, bytes]) -> dict[str, object]:
    data: dict[str, object] = json.loads(files["pagefind/pagefind-entry.json"])
    return data


# --- the index ---------------------------------------------------------------------------


def test_the_build_writes_the_search_bundle(tiny_site: Path) -> None:
    bundle = tiny_site / "pagefind"
    for name in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind", "search-page.js"):
        assert (bundle / name).is_file(), name
    assert list(bundle.glob("pagefind.en_*.pf_meta")) and list((bundle / "fragment").glob("en_*.pf_fragment"))
    assert (bundle / "search-page.js").read_bytes() == (search.THEME / "assets" / "search.js").read_bytes()
    assert not list(bundle.glob("pagefind-*ui*")) and not (bundle / "pagefind-highlight.js").exists()
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == search.PAGEFIND_VERSION
    indexed = [p for p in tiny_site.rglob("*.html") if search.indexed(p.relative_to(tiny_site).as_posix())]
    assert entry["languages"]["en"]["page_count"] == len(indexed) > 5


def test_which_pages_are_indexed() -> None:
    assert search.indexed("index.html")
    assert search.indexed("countries/ken/index.html")
    assert search.indexed("targets/3.5/index.html")
    assert search.indexed("initiatives/kenya-plan/index.html")
    assert search.indexed("initiatives/index.html")
    assert search.indexed("initiatives/search/index.html")  # an entry may be called "search"
    assert search.indexed("fr/countries/ken/index.html")
    assert not search.indexed("404.html")
    assert not search.indexed("fr/404.html")
    assert not search.indexed(routes.file_for(routes.search()))
    assert not search.indexed("zh/" + routes.file_for(routes.search()))
    assert not search.indexed("initiatives/by-country/ken/index.html")
    assert not search.indexed("fr/practices/by-target/3.5/index.html")
    assert not search.indexed("targets/3.5/gaps/index.html")
    assert not search.indexed("ru/targets/2.10/gaps/index.html")
    assert search.indexed("targets/3.5/index.html")
    assert not search.indexed("feed.xml")
    assert not search.indexed("assets/site.0123456789.css")


def test_the_index_is_the_same_bytes_every_time(tiny_files: dict[str, bytes]) -> None:
    pages = _pages(tiny_files)
    first, second = search.search_index(pages), search.search_index(pages)
    assert first == second
    assert {k: v for k, v in tiny_files.items() if k.startswith(search.BUNDLE)} == first


def test_the_index_does_not_depend_on_the_order_of_the_pages(tiny_files: dict[str, bytes]) -> None:
    """Pagefind numbers pages in the order it meets them; given files, it meets them in the
    order the file system lists them, which differs between machines. It is given them
    in the order of their paths instead."""
    pages = _pages(tiny_files)
    reversed_order = dict(reversed(list(pages.items())))
    assert list(reversed_order) != list(pages)
    assert search.search_index(reversed_order) == search.search_index(pages)


def test_one_index_per_language(tiny_files: dict[str, bytes]) -> None:
    """Pagefind splits by <html lang>: a French copy of a page makes a French index."""
    pages = _pages(tiny_files)
    html = pages["countries/ken/index.html"].decode("utf-8")
    assert '<html lang="en"' in html
    pages["fr/countries/ken/index.html"] = html.replace('<html lang="en"', '<html lang="fr"', 1).encode("utf-8")
    pages["fr/search/index.html"] = pages["search/index.html"].replace(b'lang="en"', b'lang="fr"', 1)
    bundle = search.search_index(pages)
    assert json.loads(bundle[search.SHARDS]) == {"en": [""], "fr": ["shard-1/"]}  # a shard per language
    english, french = (
        _entry(bundle)["languages"],
        json.loads(bundle["pagefind/shard-1/pagefind-entry.json"])["languages"],
    )
    assert isinstance(english, dict) and sorted(english) == ["en"] and sorted(french) == ["fr"]
    assert french["fr"]["page_count"] == 1  # the search page is not indexed
    assert english["en"]["page_count"] == sum(search.indexed(p) for p in _pages(tiny_files))
    assert "pagefind/shard-1/wasm.fr.pagefind" in bundle and "pagefind/wasm.fr.pagefind" not in bundle
    assert any(re.fullmatch(r"pagefind/shard-1/fragment/fr_\w+\.pf_fragment", p) for p in bundle)


def test_the_real_site_has_an_index_per_language(real_site: Path, real_result: CheckResult) -> None:
    assert real_result.site is not None
    shards = json.loads((real_site / search.SHARDS).read_text(encoding="utf-8"))
    assert sorted(shards) == sorted(real_result.site.config.languages)
    assert shards[real_result.site.config.default_language][0] == ""  # pagefind/ itself: the default language
    languages: dict[str, int] = {}
    for lang, folders in shards.items():
        assert folders, lang
        for folder in folders:
            entry = json.loads((real_site / search.BUNDLE / folder / "pagefind-entry.json").read_text(encoding="utf-8"))
            assert list(entry["languages"]) == [lang]  # one language a shard
            languages[lang] = languages.get(lang, 0) + entry["languages"][lang]["page_count"]
    pages = sum(search.indexed(p.relative_to(real_site).as_posix()) for p in real_site.rglob("*.html"))
    assert languages["en"] > 200
    assert sum(languages.values()) == pages


def test_nothing_is_left_behind(tiny_files: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind works in a private folder that is removed, even when it fails; the current
    folder is untouched."""
    scratch, here = tmp_path / "tmp", tmp_path / "cwd"
    scratch.mkdir()
    here.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(here)
    monkeypatch.setenv("PAGEFIND_OUTPUT_PATH", str(here / "elsewhere"))  # ignored: only our settings count
    assert search.search_index(_pages(tiny_files))
    assert list(scratch.iterdir()) == [] and list(here.iterdir()) == []
    monkeypatch.setattr(search, "pagefind_binary", lambda: Path("/bin/false"))
    with pytest.raises(ConnectSiteError, match=r"Pagefind failed \(exit status 1:"):
        search.search_index(_pages(tiny_files))
    assert list(scratch.iterdir()) == [] and list(here.iterdir()) == []


def test_a_missing_pagefind_is_a_clear_error(tiny_files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)  # the import now fails
    with pytest.raises(ConnectSiteError, match="Pagefind is not installed") as caught:
        search.search_index(_pages(tiny_files))
    assert "pip install 'pagefind[extended]==1.5.2'" in caught.value.hint


def test_the_build_writes_the_index_into_the_output_folder_only(tmp_path: Path) -> None:
    """The bundle reaches the disk through the build's atomic writer, and nowhere else."""
    content = write_site(tmp_path, {})
    out = tmp_path / "out"
    result = build(content, out, display_root="content")
    assert result.ok
    on_disk = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bundle = {p: data for p, data in on_disk.items() if p.startswith(search.BUNDLE)}
    assert bundle == search.search_index({p: d for p, d in on_disk.items() if p not in bundle})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "out"]
    assert not list(content.rglob("pagefind*"))


def test_only_the_search_page_may_run_scripts(real_site: Path) -> None:
    page = (real_site / routes.file_for(routes.search())).read_text(encoding="utf-8")
    assert f'content="{SEARCH_CSP}"' in page
    assert '<script type="module" src="../pagefind/search-page.js"></script>' in page
    home = (real_site / "index.html").read_text(encoding="utf-8")  # the country picker's script, and only it
    assert "pagefind" not in home and "wasm" not in home and "connect-src" not in home
    for other in ("targets/index.html", "countries/ken/index.html", "fr/search/index.html"):
        html = (real_site / other).read_text(encoding="utf-8")
        if other.endswith("search/index.html"):
            assert f'content="{SEARCH_CSP}"' in html
            assert 'src="../../pagefind/search-page.js"' in html
        else:
            assert "script-src" not in html and "<script" not in html


# --- the search page, in Chromium ---------------------------------------------------------


class Session:
    """One page in a fresh context that records console messages, page errors and every
    request to another origin than the local server."""

    def __init__(self, browser: Browser, base: str, **context: object) -> None:
        self.context = browser.new_context(service_workers="block", **context)  # type: ignore[arg-type]
        self.context.set_default_timeout(gates.PAGE_TIMEOUT_MS)
        self.page: Page = self.context.new_page()
        self.problems: list[str] = []
        origin = re.match(r"https?://[^/]+", base)
        assert origin
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on(
            "request",
            lambda r: None if r.url.startswith(origin.group(0) + "/") else self.problems.append(f"request: {r.url}"),
        )

    def search(self, url: str, query: str) -> list[str]:
        """Open the search page at `url`, type `query`; the result links' paths, in order."""
        self.page.goto(url, wait_until="load")
        self.page.get_by_role("searchbox").fill(query)  # labelled in the page's language
        self.page.wait_for_function("() => document.getElementById('search-status').textContent !== ''")
        status = self.page.text_content("#search-status") or ""
        assert query in status, status
        return [a.get_attribute("href") or "" for a in self.page.query_selector_all("#search-results a")]

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def real_server(real_site: Path) -> Iterator[str]:
    with gates.serve(real_site, BASE_PATH) as base:
        yield base


@pytest.mark.parametrize(
    ("page", "query", "expected"),
    [
        ("search/", "Kenya", "countries/ken/"),
        ("fr/search/", "Kenya", "fr/countries/ken/"),
        ("ar/search/", "كينيا", "ar/countries/ken/"),  # right to left, a name that exists only in Arabic
    ],
)
def test_a_country_by_name(chromium: Browser, real_server: str, page: str, query: str, expected: str) -> None:
    session = Session(chromium, real_server)
    try:
        links = session.search(real_server + page, query)
        assert BASE_PATH + expected in links[:10], links
        assert all(link.startswith(BASE_PATH + page.removesuffix("search/")) for link in links), links
        assert session.problems == []
    finally:
        session.close()


def test_a_chinese_word_inside_a_sentence(chromium: Browser, real_server: str) -> None:
    """Chinese is written without spaces: the extended Pagefind cuts 各国的网络安全准备程度
    (target 3.1's title) into words, so 网络安全 (cybersecurity) finds the page."""
    session = Session(chromium, real_server)
    try:
        links = session.search(real_server + "zh/search/", "网络安全")
        assert BASE_PATH + "zh/" + routes.target("3.1") in links[:10], links
        assert all(link.startswith(BASE_PATH + "zh/") for link in links), links
        assert session.problems == []
    finally:
        session.close()


# The queries of issue 18, on every language's search page: the page a query must find,
# or None for "no results". Spanish and Russian now translate target 3.1 (Ciberseguridad,
# Кибербезопасность), so there the words are on a page; elsewhere they are on none, and
# Pagefind's prefix fallback used to answer with Côte d'Ivoire (its code "CI") or, for a
# Russian word it does not know, with every page that has the preposition "к".
LANGUAGES = ("", "fr/", "es/", "ar/", "zh/", "ru/")
KEN_CYBER = "initiatives/kenya-national-cybersecurity-strategy-2022/"
EXPECTED: dict[str, dict[str, Optional[str]]] = {
    "ciberseguridad": {lang: (routes.target("3.1") if lang == "es/" else None) for lang in LANGUAGES},
    "кибербезопасность": {lang: (routes.target("3.1") if lang == "ru/" else None) for lang in LANGUAGES},
    "الأمن السيبراني": {lang: (routes.target("3.1") if lang == "ar/" else None) for lang in LANGUAGES},
    "Kenya": {lang: routes.country("KEN") for lang in LANGUAGES},
    "cybersecurity": {lang: KEN_CYBER for lang in LANGUAGES},
    "كينيا": {"ar/": routes.country("KEN")},
    "кибершпионаж": {"ru/": None},  # cyber-espionage: on no page
}
# Where Pagefind itself answers with pages that lack the words: the search page must not show them.
PAGEFIND_FALLS_BACK = {
    *(("ciberseguridad", lang) for lang in LANGUAGES if lang != "es/"),
    ("الأمن السيبراني", "zh/"),
    ("кибершпионаж", "ru/"),
}

# How many results Pagefind gives the page's own search (the module the page imported).
_PAGEFIND_COUNT = """async (query) => {
  const root = new URL('../', document.querySelector('script[type=module]').src);
  const listed = await fetch(new URL('pagefind/shards.json', root)).then((r) => r.json());
  const first = listed[document.documentElement.lang.toLowerCase()][0];
  const pagefind = await import(new URL(`pagefind/${first}pagefind.js`, root).href);
  return (await pagefind.search(query)).results.length;
}"""


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").lower()


def _heads(query: str) -> list[str]:
    """What a page must contain of each word: its first half (four letters at least), without ال."""
    heads = []
    for word in _fold(query).split():
        word = word.removeprefix("ال") if len(word) > 4 else word
        heads.append(word if len(word) <= 3 else word[: max(4, math.ceil(len(word) / 2))])
    return heads


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.strip("/") or "en")
def test_results_contain_the_words_or_there_are_none(
    chromium: Browser, real_server: str, real_site: Path, lang: str
) -> None:
    session = Session(chromium, real_server)
    session.context.add_init_script(path=gates.AXE_JS)
    page = session.page
    try:
        for query, where in EXPECTED.items():
            if lang not in where:
                continue
            links = session.search(real_server + lang + "search/", query)
            found = [link.removeprefix(BASE_PATH + lang) for link in links]
            invite = page.locator("#search-none")
            if where[lang] is None:
                assert links == [], (query, links)
                assert invite.is_visible(), query
                assert (
                    invite.get_by_role("link").get_attribute("href") == "../" + routes.contribute()
                )  # this language's
                pagefind = page.evaluate(_PAGEFIND_COUNT, query)
                assert (pagefind > 0) == ((query, lang) in PAGEFIND_FALLS_BACK), (query, pagefind)
                if query == "ciberseguridad":
                    violations = page.evaluate(gates._AXE_RUN, gates.WCAG_TAGS)
                    assert violations == [], gates.format_violations({page.url: violations})
            else:
                assert where[lang] in found, (query, found)
                assert not invite.is_visible(), query
                for link in links:
                    html = (real_site / link.removeprefix(BASE_PATH) / "index.html").read_text(encoding="utf-8")
                    main = _fold(html.split("<main", 1)[1].split("</main>", 1)[0])
                    assert all(head in main for head in _heads(query)), (query, link)
        assert session.problems == []
    finally:
        session.close()


def test_a_target_by_its_id(chromium: Browser, real_server: str) -> None:
    session = Session(chromium, real_server)
    try:
        for target in ("3.5", "2.10"):
            assert session.search(real_server + "search/", target)[0] == BASE_PATH + routes.target(target)
        assert session.problems == []
    finally:
        session.close()


_INDEXED_TEXT = """async ([path, query]) => {
  const pagefind = await import('../pagefind/pagefind.js');
  await pagefind.options({baseUrl: new URL('../', location.href).pathname});
  const found = await pagefind.search(query);
  for (const result of found.results) {
    const data = await result.data();
    if (data.url.endsWith(path)) return data.content;
  }
  return null;
}"""


def test_what_a_country_page_gives_the_index(chromium: Browser, real_server: str) -> None:
    """Its main content, without the header and footer, charts, tables of figures, sources
    and the boilerplate every country page repeats."""
    session = Session(chromium, real_server)
    try:
        session.page.goto(real_server + "search/", wait_until="load")
        text = session.page.evaluate(_INDEXED_TEXT, ["/countries/ken/", "Kenya"])
        assert text is not None and text.startswith("Kenya.")
        # Words of adjacent <dt> and <dd> stay apart ("Region Africa", not "RegionAfrica").
        for kept in ("Region Africa, Sub-Saharan Africa", "Codes KEN, KE"):
            assert kept in text, kept
        for left_out in (
            "Skip to main content",  # header
            "Newest entries",  # footer
            "Africa median",  # a chart's key (SVG)
            "0.318",  # a table of figures
            "World Development Indicators",  # sources
            "indicators have data",
            "How to contribute",
            "The focus targets",
            "National cybersecurity strategy adopted",  # the focus table: the same rows on every country page
        ):
            assert left_out not in text, left_out
        # The indicators' names are on the country's statistics page, its figures are not.
        text = session.page.evaluate(_INDEXED_TEXT, ["/countries/ken/statistics/", "Kenya"])
        assert text is not None and "Individuals using the Internet" in text
        assert "0.318" not in text and "World Development Indicators" not in text
        assert session.problems == []
    finally:
        session.close()


def _word_only_in(real_site: Path, page: str, body: str) -> str:
    """A word of `body` whose first six letters are on no other English page than `page`."""
    english = [p for p in real_site.rglob("*.html") if search.indexed(p.relative_to(real_site).as_posix())]
    english = [p for p in english if '<html lang="en"' in p.read_text(encoding="utf-8")[:200]]
    texts = {p.relative_to(real_site).as_posix(): p.read_text(encoding="utf-8").lower() for p in english}
    for word in sorted(set(re.findall(r"\b[A-Za-z]{9,}\b", body)), key=lambda w: (-len(w), w)):
        if [path for path, text in texts.items() if word[:6].lower() in text] == [routes.file_for(page)]:
            return word
    raise AssertionError(f"no word of {page} is on that page alone")


def test_an_initiative_by_a_word_of_its_body(
    chromium: Browser, real_server: str, real_site: Path, real_result: CheckResult
) -> None:
    assert real_result.site is not None
    slug, item = next((s, i) for s, i in sorted(real_result.site.initiatives.items()) if i.body and len(i.body) > 300)
    page = routes.entry("initiative", slug)
    assert item.body is not None
    word = _word_only_in(real_site, page, item.body)
    session = Session(chromium, real_server)
    try:
        assert session.search(real_server + "search/", word.lower()) == [BASE_PATH + page]
        assert session.problems == []
    finally:
        session.close()


def test_more_results_the_address_and_accessibility(chromium: Browser, real_server: str) -> None:
    """?q= runs a search; "More results" adds ten and moves the focus to the first of them;
    axe-core finds no WCAG 2.1 AA violation with results shown."""
    session = Session(chromium, real_server)
    session.context.add_init_script(path=gates.AXE_JS)
    page = session.page
    try:
        page.goto(real_server + "search/?q=internet", wait_until="load")
        page.wait_for_function("() => document.getElementById('search-status').textContent !== ''")
        assert page.input_value("#search-q") == "internet"
        assert not page.is_visible("#search-nojs")
        assert page.locator("#search-results li").count() == 10
        page.click("#search-more")
        page.wait_for_function("() => document.querySelectorAll('#search-results li').length === 20")
        assert page.evaluate(
            "() => document.activeElement.closest('li') === document.querySelectorAll('#search-results li')[10]"
        )
        page.get_by_label("Search targets, countries, initiatives and practices").fill("Norway")
        page.wait_for_url(re.compile(r"\?q=Norway$"))
        page.wait_for_function("() => document.getElementById('search-status').textContent.includes('Norway')")
        violations = page.evaluate(gates._AXE_RUN, gates.WCAG_TAGS)
        assert violations == [], gates.format_violations({page.url: violations})
        assert session.problems == []
    finally:
        session.close()


def test_without_javascript_the_page_links_the_listings(chromium: Browser, real_server: str) -> None:
    session = Session(chromium, real_server, java_script_enabled=False)
    page = session.page
    try:
        page.goto(real_server + "search/", wait_until="load")
        assert not page.is_visible("#search-q")
        assert page.get_by_text("Search needs JavaScript").is_visible()
        main = page.get_by_role("main")
        hrefs = [main.get_by_role("link", name=n, exact=True).get_attribute("href") for n in LISTINGS]
        assert hrefs == ["../targets/", "../countries/", "../initiatives/", "../practices/"]
        assert all(main.get_by_role("link", name=n, exact=True).is_visible() for n in LISTINGS)
        assert session.problems == []
    finally:
        session.close()


# --- contributor text in results ------------------------------------------------------------

# Only these elements may appear in the results list, and no attribute but an <a>'s href.
_RESULTS_DOM = """() => {
  const out = [];
  for (const el of document.querySelectorAll('#search-results *')) {
    if (!['LI', 'A', 'P', 'MARK'].includes(el.tagName)) out.push('element ' + el.tagName);
    for (const attr of el.attributes) if (!(el.tagName === 'A' && attr.name === 'href')) out.push('attribute ' + attr.name);
  }
  return out;
}"""


def test_payloads_in_results_stay_text(chromium: Browser, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The XSS corpus, indexed and searched: excerpts and titles show it as text, no script runs."""
    base = tmp_path_factory.mktemp("xss-search")
    content = xss_corpus.corpus_site(base, TINY)
    result = build(content, base / "_site", display_root="content")
    assert result.ok
    calls: list[str] = []
    with gates.serve(base / "_site", "/tiny/") as url:
        session = Session(chromium, url)
        session.context.expose_function("__searchGateReport", lambda text: calls.append(str(text)))
        session.context.add_init_script(
            "window.__pwned = (...a) => window.__searchGateReport('__pwned ' + a.join());"
            "for (const n of ['alert', 'confirm', 'prompt']) window[n] = (...a) => window.__searchGateReport(n + ' ' + a.join());"
        )
        try:
            for query in ("script", "onerror", "javascript", "pwned"):
                links = session.search(url + "search/", query)
                assert links, query
                while session.page.is_visible("#search-more"):
                    n = session.page.locator("#search-results li").count()
                    session.page.click("#search-more")
                    session.page.wait_for_function(
                        f"() => document.querySelectorAll('#search-results li').length > {n}"
                    )
                assert session.page.evaluate(_RESULTS_DOM) == [], query
                hrefs = session.page.eval_on_selector_all(
                    "#search-results a", "els => els.map(a => a.getAttribute('href'))"
                )
                assert all(h.startswith("/tiny/") for h in hrefs), hrefs
            assert calls == []
            assert session.problems == []
        finally:
            session.close()


def test_a_sharded_index_finds_what_one_index_finds(
    chromium: Browser, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large site is indexed in shards that the search page merges: the same results as one index."""
    base = tmp_path_factory.mktemp("shards")
    assert build(TINY, base / "one", display_root="content").ok
    monkeypatch.setattr(search, "SHARD_PAGES", 3)
    assert build(TINY, base / "many", display_root="content").ok
    shards = json.loads((base / "many" / search.SHARDS).read_text(encoding="utf-8"))["en"]
    assert json.loads((base / "one" / search.SHARDS).read_text(encoding="utf-8")) == {"en": [""]}
    assert len(shards) >= 3 and all(
        (base / "many" / search.BUNDLE / s / "pagefind-entry.json").is_file() for s in shards
    )
    found: dict[str, list[list[str]]] = {}
    for site in ("one", "many"):
        with gates.serve(base / site, "/tiny/") as url:
            session = Session(chromium, url)
            try:
                for query in ("Kenya", "internet", "plan", "target"):
                    links = session.search(url + "search/", query)
                    while session.page.is_visible("#search-more"):
                        n = session.page.locator("#search-results li").count()
                        session.page.click("#search-more")
                        session.page.wait_for_function(
                            f"() => document.querySelectorAll('#search-results li').length > {n}"
                        )
                    links = [
                        a.get_attribute("href") or "" for a in session.page.query_selector_all("#search-results a")
                    ]
                    found.setdefault(site, []).append(sorted(links))
                assert session.problems == []
            finally:
                session.close()
    # The same pages. Pagefind alone finds more in shards: it falls back to a shorter prefix
    # in a shard that lacks the word ("internet" finds "into" there); the page does not show them.
    assert found["many"] == found["one"], found
    assert all(found["one"]), found
