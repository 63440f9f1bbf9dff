"""The quality gates catch what they should: each one is run on small hand-made HTML.

If a gate passes everything, the site tests that use it prove nothing; these tests make
sure each gate fails a bad page and passes a good one, with the real tools (headless
Chromium, axe-core, the Nu HTML Checker).
"""

from __future__ import annotations

import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

import gates
import xss_corpus
from conftest import TESTS
from connect_site.pipeline import check

TINY = TESTS / "fixtures" / "tiny" / "content"


def page(body: str, *, title: str = "A page", head: str = "") -> str:
    """A valid, accessible HTML document around `body`."""
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n{head}</head>\n'
        f"<body>\n<main>\n<h1>{title}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with gates.browser() as b:
        yield b


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through an http_proxy


def fetch(url: str) -> tuple[int, str]:
    try:
        with _DIRECT.open(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


# --- serve ------------------------------------------------------------------------------


def test_serve_mounts_the_site_under_its_base_path(tmp_path: Path) -> None:
    site = write(
        tmp_path,
        {"index.html": page("home"), "goals/1/index.html": page("goal"), "404.html": page("not found", title="404")},
    )
    with gates.serve(site, "/connect2030/") as base:
        assert base.startswith("http://127.0.0.1:") and base.endswith("/connect2030/")
        assert fetch(base) == (200, page("home"))
        assert fetch(base + "goals/1/") == (200, page("goal"))
        status, text = fetch(base + "goals/9/")
        assert (status, text) == (404, page("not found", title="404"))
        origin = base.removesuffix("connect2030/")
        for outside in ("", "index.html", "goals/1/", "connect2030x/"):
            status, text = fetch(origin + outside)
            assert status == 404 and "not found" not in text, outside
    with gates.serve(site) as base:
        assert re.fullmatch(r"http://127\.0\.0\.1:[0-9]+/", base), base
        assert fetch(base + "goals/1/index.html") == (200, page("goal"))


# --- axe-core ---------------------------------------------------------------------------


def test_axe_finds_an_image_without_alt_and_passes_a_clean_page(tmp_path: Path, chromium: Browser) -> None:
    site = write(
        tmp_path,
        {
            "clean/index.html": page('<p>Some text and <a href="../bad/">a link</a>.</p>'),
            "bad/index.html": page('<p><img src="../pic.svg"></p>'),
            "pic.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>',
        },
    )
    with gates.serve(site, "/sub/") as base:
        found = gates.axe_violations(chromium, [base + "clean/", base + "bad/"])
    assert found[base + "clean/"] == [], gates.format_violations(found)
    bad = found[base + "bad/"]
    assert [v["id"] for v in bad] == ["image-alt"]
    assert bad[0]["impact"] == "critical" and bad[0]["nodes"][0]["html"].startswith("<img")
    assert "image-alt" in gates.format_violations(found)


def test_axe_refuses_a_page_that_does_not_load(tmp_path: Path, chromium: Browser) -> None:
    site = write(tmp_path, {"index.html": page("home")})
    with gates.serve(site) as base, pytest.raises(gates.GateError, match="HTTP 404"):
        gates.axe_violations(chromium, [base + "missing/"])


# --- phones -----------------------------------------------------------------------------

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">\n'


def test_the_phone_gate_finds_a_page_wider_than_the_screen_and_names_what_sticks_out(
    tmp_path: Path, chromium: Browser
) -> None:
    site = write(
        tmp_path,
        {
            "fits/index.html": page("<p>Short words only, as many as you like, wrap.</p>", head=VIEWPORT),
            "wide/index.html": page("<p><span>https://example.org/" + "a" * 80 + "</span></p>", head=VIEWPORT),
            "rtl/index.html": page('<p style="width: 30rem" dir="rtl">نص عربي</p>', head=VIEWPORT),
        },
    )
    with gates.serve(site) as base:
        found = gates.wider_than_the_screen(chromium, [base + "fits/", base + "wide/", base + "rtl/"], 390)
        narrow = gates.wider_than_the_screen(chromium, [base + "fits/"], 320)
    assert set(found) == {base + "wide/", base + "rtl/"}, found
    assert re.fullmatch(
        r"\d+ px wide on a 390 px screen: <span> \d+ px: https://example\.org/a+", found[base + "wide/"]
    )
    assert re.fullmatch(r"4\d\d px wide on a 390 px screen: <p> 480 px: نص عربي", found[base + "rtl/"]), found
    assert narrow == {}, narrow


def test_sample_urls_keeps_a_few_pages_of_each_shape() -> None:
    base = "http://127.0.0.1:1/c/"
    top = [base, base + "countries/", base + "targets/", base + "404.html", base + "robots.txt"]
    countries = [base + f"countries/{c}/" for c in ("ken", "nor", "fra")]
    facets = [base + f"initiatives/by-kind/{k}/" for k in ("plan", "law", "project")]
    urls = top + countries + facets
    assert gates.sample_urls(urls, base, per_group=1) == [*top, countries[0], facets[0]]
    assert gates.sample_urls(urls, base) == [*top, *countries[:2], *facets[:2]]


# --- the Nu HTML Checker ----------------------------------------------------------------


def test_vnu_reports_an_invalid_page_and_passes_a_valid_one(tmp_path: Path) -> None:
    site = write(
        tmp_path,
        {
            "valid/index.html": page(
                '<p>Fine <a href="../">home</a>.</p><svg width="4" height="4"><title>x</title></svg>'
            ),
            "invalid/index.html": page("<p>Unclosed <div><span>bad</p></div><p id=a id=b>dup</p>"),
            "notes.txt": "<p> not HTML, skipped",
        },
    )
    errors = gates.vnu_errors(site)
    assert errors, "the Nu checker found nothing in an invalid page"
    assert all(line.startswith('"invalid/index.html":') for line in errors), errors
    assert any(": error: " in line for line in errors)


def test_vnu_never_passes_silently(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(gates.GateError, match="no .html files"):
        gates.vnu_errors(write(tmp_path / "empty", {"a.txt": "x"}))
    site = write(tmp_path / "site", {"index.html": page("x")})
    monkeypatch.setattr(gates, "VNU_JAR", tmp_path / "missing.jar")
    with pytest.raises(gates.GateError, match="Nu HTML Checker is missing"):
        gates.vnu_errors(site)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(gates.GateError, match="java is missing"):
        gates.vnu_errors(site)


# --- links ------------------------------------------------------------------------------

LINKED_SITE = {
    "index.html": page(
        '<p id="intro"><a href="goals/1/">goal</a> <a href="goals/1/#g1">anchor</a> <a href="#intro">self</a>'
        ' <a href="#">top</a> <a href="data/x.csv">csv</a> <a href="/connect2030/goals/1/">rooted</a>'
        ' <a href="https://example.org/connect2030/goals/1/#g1">own absolute</a>'
        ' <a href="https://www.itu.int/en/mediacentre/Pages/default.aspx?q=1#x">external</a>'
        ' <a href="mailto:someone@example.org">mail</a> <a href="goals/1/index.html?x=1">query</a>'
        ' <svg><use href="assets/icons.svg#dot"></use></svg> <img src="assets/pic%20one.png" alt="p"'
        ' srcset="assets/pic%20one.png 1x, assets/pic2.png 2x"></p>',
        head='<link rel="stylesheet" href="assets/site.css">\n<link rel="icon" href="data:,">\n',
    ),
    "goals/1/index.html": page(
        '<p id="g1"><a href="../../">home</a> <a href="../../#intro">intro</a> <a name="old">old</a>'
        ' <a href="#old">named</a></p>'
    ),
    "data/x.csv": "a,b\n",
    "assets/site.css": "body { background: url('pic%20one.png'); } .x { fill: url(#grad); }",
    "assets/icons.svg": '<svg xmlns="http://www.w3.org/2000/svg"><symbol id="dot"></symbol></svg>',
    "assets/pic one.png": "",
    "assets/pic2.png": "",
}


def test_broken_links_accepts_good_links(tmp_path: Path) -> None:
    site = write(tmp_path, LINKED_SITE)
    assert gates.broken_links(site, "/connect2030/", site_url="https://example.org/connect2030/") == []
    # The base path can come from the site URL alone.
    assert gates.broken_links(site, site_url="https://example.org/connect2030/") == []


def test_broken_links_finds_missing_files_anchors_and_bad_urls(tmp_path: Path) -> None:
    bad = page(
        '<p id="here"><a href="../nope/">missing page</a> <a href="../goals/1/#nowhere">missing anchor</a>'
        ' <a href="#gone">missing local anchor</a> <a href="/other/goals/1/">outside base</a>'
        ' <a href="../goals/1">folder without slash</a> <a href="../../../../etc/passwd">escape</a>'
        ' <a href="java\tscript:alert(1)">js</a> <a href="https://exa mple.org/">space</a>'
        ' <a href="https:///nohost">no host</a> <img src="../assets/none.png" alt="n">'
        ' <svg><use href="../assets/icons.svg#square"></use></svg>'
        ' <a href="/connect2030/goals/1/#g1">fine</a></p>',
        head='<link rel="stylesheet" href="../assets/missing.css">\n',
    )
    site = write(tmp_path, {**LINKED_SITE, "bad/index.html": bad, "assets/more.css": "a { background: url(gone.png) }"})
    found = gates.broken_links(site, "/connect2030/")
    assert found == [
        "bad/index.html: ../assets/missing.css (no such file: assets/missing.css)",
        "bad/index.html: ../nope/ (no such file: nope/index.html)",
        "bad/index.html: ../goals/1/#nowhere (no id 'nowhere' in goals/1/index.html)",
        "bad/index.html: #gone (no id 'gone' in bad/index.html)",
        "bad/index.html: /other/goals/1/ (outside the site's base path /connect2030/)",
        "bad/index.html: ../goals/1 (a folder: end the link with '/')",
        "bad/index.html: ../../../../etc/passwd (outside the site's base path /connect2030/)",
        "bad/index.html: java\tscript:alert(1) (scheme 'javascript:' is not allowed)",
        "bad/index.html: https://exa mple.org/ (malformed URL: spaces or characters that must be escaped)",
        "bad/index.html: https:///nohost (malformed URL: no host name)",
        "bad/index.html: ../assets/none.png (no such file: assets/none.png)",
        "bad/index.html: ../assets/icons.svg#square (no id 'square' in assets/icons.svg)",
        "assets/more.css: gone.png (no such file: assets/gone.png)",
    ]


def test_broken_links_respects_the_base_path(tmp_path: Path) -> None:
    rooted = {"index.html": page('<a href="/goals/1/">goal</a>'), "goals/1/index.html": page('<a href="/">home</a>')}
    site = write(tmp_path / "rooted", rooted)
    assert gates.broken_links(site) == []
    assert gates.broken_links(site, "/connect2030/") == [
        "goals/1/index.html: / (outside the site's base path /connect2030/)",
        "index.html: /goals/1/ (outside the site's base path /connect2030/)",
    ]
    site = write(tmp_path / "sub", LINKED_SITE)
    assert gates.broken_links(site, "/") == [
        "index.html: /connect2030/goals/1/ (no such file: connect2030/goals/1/index.html)"
    ]


# --- XSS ----------------------------------------------------------------------------------


def test_scripts_that_ran_catches_script_and_dangerous_markup(tmp_path: Path, chromium: Browser) -> None:
    site = write(
        tmp_path,
        {
            "clean/index.html": page(
                '<p>Safe <a href="../onerror/">link</a>, <a href="https://example.org/">out</a>,'
                ' <svg width="4" height="4" role="img" aria-label="dot"><circle r="2" cx="2" cy="2"/></svg>.</p>',
                head="<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'none'\">\n",
            ),
            "onerror/index.html": page('<p><img src="x.png" alt="x" onerror="__pwned(\'img-onerror\')"></p>'),
            "script/index.html": page("<script>document.title = 'changed'</script><p>x</p>"),
            "alert/index.html": page("<script>alert('dialog-case')</script><p>x</p>"),
            "tab/index.html": page("<p><a href=\"java\tscript:__pwned('tab')\">click</a></p>"),
            "csp/index.html": page(
                '<p><img src="x.png" alt="x" onerror="__pwned(\'under-csp\')"></p>',
                head='<meta http-equiv="Content-Security-Policy" content="script-src \'none\'">\n',
            ),
        },
    )
    with gates.serve(site, "/connect2030/") as base:
        urls = [base + p for p in ("clean/", "onerror/", "script/", "alert/", "tab/", "csp/")]
        found = gates.scripts_that_ran(chromium, urls)
    clean, onerror, script, alert, tab, csp = (found[u] for u in urls)
    assert clean == [], gates.findings_text(found)
    assert "__pwned(img-onerror)" in onerror
    assert any(f.startswith("event handler onerror") for f in onerror)
    assert any(f.startswith("<script> element") for f in script)
    assert "alert(dialog-case)" in alert
    assert any(f.startswith("href=java\tscript:") for f in tab), tab
    assert any(f.startswith("event handler onerror") for f in csp)
    assert "__pwned(under-csp)" in csp  # the CSP is bypassed: the markup is what is tested


def test_scripts_that_ran_catches_every_raw_html_payload_of_the_corpus(tmp_path: Path, chromium: Browser) -> None:
    """Pasted into a page unescaped, each HTML payload of the corpus is caught (most by name)."""
    # Inert once a browser parses them (they target sanitizers that parse twice or strip once).
    inert = {"script-nested", "md-autolink-js", "mxss-mathml-style", "comment-conditional"}
    cases = [(n, p) for n, _, p in xss_corpus.CASES if p.startswith("<") and n not in inert]
    site = write(tmp_path, {f"{n}.html": page(p) for n, p in cases})
    with gates.serve(site) as base:
        found = gates.scripts_that_ran(chromium, [base + f"{n}.html" for n, _ in cases])
    missed = [n for n, _ in cases if not found[base + f"{n}.html"]]
    assert missed == []
    ran = {n for n, _ in cases for f in found[base + f"{n}.html"] if f in (f"__pwned({n})", f"alert({n})")}
    must_run = {"script-basic", "img-onerror", "img-onerror-alert", "svg-onload", "details-ontoggle", "iframe-srcdoc"}
    must_run |= {"mxss-noscript", "mxss-svg-style", "svg-animate-onbegin", "comment-breakout", "body-onload"}
    assert must_run <= ran, must_run - ran


# --- the corpus ------------------------------------------------------------------------------


def test_corpus_covers_every_field_and_is_valid_content(tmp_path: Path) -> None:
    names = [n for n, _, _ in xss_corpus.CASES]
    assert len(names) >= 60 and len(set(names)) == len(names)
    assert {f for _, f, _ in xss_corpus.CASES} == set(xss_corpus.FIELDS)
    for name, _, payload in xss_corpus.CASES:
        if "__pwned(" in payload or "alert(" in payload:
            assert name in payload, f"{name}: the payload must report its own name"
    content = xss_corpus.corpus_site(tmp_path, TINY)
    result = check(content, year=2026)
    assert result.errors == 0, "\n".join(d.format() for d in result.diagnostics)
    assert result.site is not None
    assert len(result.site.initiatives) + len(result.site.practices) >= len(names) - 4
