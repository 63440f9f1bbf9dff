"""The built site: every page there, within budget, deterministic, written all or nothing.

The real site is built once per session (`real_site` in conftest.py). Golden files for the
data contract (sitemap, feed, robots) of the tiny site live in tests/golden/site/;
regenerate them with `make golden`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REAL, ROOT, TESTS, TINY, render_files, write_site
from connect_site.cli import main
from connect_site.output.write import MARKER
from connect_site.pipeline import BuildResult, CheckResult, build, check
from connect_site.site import routes

GOLDEN = TESTS / "golden" / "site"
GOLDEN_FILES = ("sitemap.xml", "feed.xml", "robots.txt")
PAGE_BUDGET = 100 * 1024
ATOM = "{http://www.w3.org/2005/Atom}"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def digest(root: Path) -> str:
    h = hashlib.sha256()
    for rel, data in tree(root).items():
        h.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


# -- every page --------------------------------------------------------------------


def test_every_goal_target_and_country_with_data_has_a_page(real_site: Path, real_result: CheckResult) -> None:
    site = real_result.site
    assert site is not None
    expected = ["index.html", "targets/index.html", "countries/index.html", "data/index.html", "404.html"]
    expected += [routes.file_for(routes.goal(n)) for n in site.goals]
    expected += [routes.file_for(routes.target(t)) for t in site.targets]
    expected += [routes.file_for(routes.country(c)) for c in site.countries_with_data()]
    expected += [routes.file_for(routes.entry("initiative", s)) for s in site.initiatives]
    expected += [routes.file_for(routes.entry("practice", s)) for s in site.practices]
    expected += ["initiatives/index.html", "practices/index.html", "sitemap.xml", "feed.xml", "robots.txt"]
    missing = [p for p in expected if not (real_site / p).is_file()]
    assert not missing
    assert len(site.targets) == 24 and len(site.countries_with_data()) == 229


def test_facet_pages_exist_for_every_target_country_and_kind(real_site: Path, real_result: CheckResult) -> None:
    site = real_result.site
    assert site is not None
    for slug, item in site.initiatives.items():
        for t in item.targets:
            assert (real_site / routes.listing("initiative", "by-target", t) / "index.html").is_file()
        for c in item.countries:
            page = real_site / routes.listing("initiative", "by-country", c) / "index.html"
            assert slug in page.read_text(encoding="utf-8")
        assert (real_site / routes.listing("initiative", "by-kind", item.kind.value) / "index.html").is_file()


def test_the_build_warns_about_a_page_over_budget(tmp_path: Path) -> None:
    long = "x & " * 24000  # each & is written &amp;: about 190 KB of HTML
    content = write_site(
        tmp_path,
        {
            "initiatives/kenya-plan.md": f"---\ntitle: x\ncountries: [KEN]\ntargets: ['1.4']\nkind: plan\nstatus: ongoing\nlead: y\nurl: https://example.org/\n---\n{long}\n"
        },
    )
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(tmp_path / "s")])
    assert result.exit_code == 0
    assert re.search(
        r"warning: .*/s/initiatives/kenya-plan/index.html weighs \d+ KB with its CSS \(budget 100 KB\)", result.output
    )


def test_every_html_page_with_its_css_is_within_budget(real_site: Path) -> None:
    css = sum(p.stat().st_size for p in (real_site / "assets").glob("*.css"))
    sizes = {p.relative_to(real_site).as_posix(): p.stat().st_size + css for p in real_site.rglob("*.html")}
    over = {p: n for p, n in sizes.items() if n > PAGE_BUDGET}
    assert not over
    assert len(sizes) > 300


CSP = (
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'\">"
)


SCRIPT_CSP = CSP.replace("default-src 'none'; ", "default-src 'none'; script-src 'self'; ")
# The pages that fetch from this site: the compare view (its countries' figures) and the first page of
# each listing (its data file, entries.json, for its filters).
FETCH_CSP = SCRIPT_CSP.replace("script-src 'self'; ", "script-src 'self'; connect-src 'self'; ")
# The pages with the country picker: the home page and the countries list, in each language.
PICKER_PAGES = {
    f"{lang}{page}"
    for lang in ("", "fr/", "es/", "ar/", "zh/", "ru/")
    for page in ("index.html", "countries/index.html")
}
LISTING_FIRST_PAGE = re.compile(r"(?:[a-z]{2}/)?(?:initiatives|practices)/index\.html")


def remote_loads(html: str) -> list[str]:
    """The URLs on another host that a page would load (stylesheets, images, frames...)."""
    tags = re.findall(r"<(?:link|img|source|iframe|embed|object|use)\b[^>]*>", html)
    # canonical and hreflang links name pages, they load nothing
    named = ('rel="canonical"', "hreflang=")
    loads = [re.findall(r'\s(?:href|src|data)="([^"]*)"', t) for t in tags if not any(n in t for n in named)]
    return [u for urls in loads for u in urls if re.match(r"(?:[a-z][a-z0-9+.-]*:|//)", u, re.IGNORECASE)]


def test_no_page_has_script_or_loads_anything_from_another_host(real_site: Path) -> None:
    """No page has JavaScript but the search page, the pages with a sortable table, those with the
    country picker, the compare view and the first page of each listing (the site's own scripts, each
    page exactly the one it uses, allowed by their CSP alone; only the compare view and the listings
    may fetch, and only from this site), and readers' browsers fetch nothing from other hosts (no CDN)."""
    with_script = {"sort": 0, "picker": 0, "compare": 0, "filter": 0}
    for page in real_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        scripts = re.findall(r"<script[^>]*>", html)
        if page.parent.name == "search":  # its own script, from this site, under its own CSP (test_search.py)
            assert len(scripts) == 1 and re.fullmatch(
                r'<script type="module" src="(\.\./)+pagefind/search-page\.js">', scripts[0]
            )
            continue
        rel = page.relative_to(real_site)
        kinds = {
            "sort": '<table class="data' in html and " data-sortable>" in html,
            "picker": rel.as_posix() in PICKER_PAGES,
            "compare": page.parent.name == "compare",
            "filter": bool(LISTING_FIRST_PAGE.fullmatch(rel.as_posix())),
        }
        uses = [name for name, yes in kinds.items() if yes]
        assert len(uses) <= 1, (page, uses)
        if uses:
            name, up = uses[0], "../" * (len(rel.parts) - 1)
            assert len(scripts) == 1 and re.fullmatch(
                rf'<script src="{up}assets/{name}\.[0-9a-f]{{10}}\.js" defer>', scripts[0]
            ), page
            fetches = name in ("compare", "filter")
            assert (FETCH_CSP if fetches else SCRIPT_CSP) in html and html.count("script-src") == 1, page
            assert html.count("connect-src") == int(fetches), page
            assert "<script" not in html.split("</head>", 1)[1], page  # no inline script anywhere
            if name == "filter":
                assert re.search(
                    r'<template id="filter-ui" data-src="(\.\./)+(?:[a-z]{2}/)?[a-z]+/entries\.json"', html
                )
            with_script[name] += 1
        else:
            assert "<script" not in html and CSP in html and "script-src" not in html, page
        assert not remote_loads(html), (page, remote_loads(html))
    # every indicator page, each target page with a table of latest values and the 22 region pages;
    # the home and countries pages; the compare view; /initiatives/ and /practices/, in each language
    assert with_script == {"sort": 6 * (43 + 22), "picker": len(PICKER_PAGES), "compare": 6, "filter": 6 * 2}


def test_every_page_has_one_h1_a_unique_title_and_a_language(real_site: Path) -> None:
    titles: dict[tuple[str, str], str] = {}  # unique within each language
    for page in sorted(real_site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        lang = re.match(r'<!doctype html>\n<html lang="([a-z]{2})" dir="(?:ltr|rtl)">', html)
        assert html.count("<h1") == 1 and lang, page
        title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
        assert title, page
        key = (lang.group(1), title.group(1))
        assert key not in titles, (page, titles.get(key))
        titles[key] = page.as_posix()


def test_target_page_shows_text_source_maps_charts_tables_and_entries(real_site: Path) -> None:
    html = (real_site / "targets/1.2/index.html").read_text(encoding="utf-8")
    assert "By 2023, 70% of individuals" in html or "70%" in html
    assert 'class="cm-world"' in html and 'class="cm-chart"' in html
    assert html.count('<svg class="cm-defs"') == 1  # the map geometry once per page
    assert 'href="#src-itu-pp18-res71"' in html and 'id="src-itu-pp18-res71"' in html
    # a worldwide target: ITU's world estimate against the goal
    assert "World: <strong>74%</strong> in 2025" in html and "The goal of 70% is met." in html
    # a target of every country: how many countries reach the goal
    coverage = (real_site / "targets/2.7/index.html").read_text(encoding="utf-8")
    assert re.search(r"<strong>\d+</strong> of \d+ countries meet the goal of 96%", coverage)
    yes_no = (real_site / "targets/1.4/index.html").read_text(encoding="utf-8")
    assert re.search(r"<strong>\d+</strong> of \d+ reporting countries answer yes", yes_no)
    assert "kenya-national-digital-master-plan-2022-2032/" in yes_no  # related initiative
    # each country's answer, with its year and document, is on the indicator's page
    answers = (real_site / "targets/1.4/digital-strategy/index.html").read_text(encoding="utf-8")
    assert '<th scope="col">Year</th>' in answers and "Source:" in answers


def test_map_legends_count_every_country_with_data(real_site: Path) -> None:
    """Small states have no shape on the map; the legend still counts them, as the text does."""
    html = (real_site / "targets/2.7/index.html").read_text(encoding="utf-8")
    section = html.split('id="i-coverage-3g"', 1)[1].split("</section>", 1)[0]
    reported = int(re.search(r"of (\d+) countries meet", section).group(1))  # type: ignore[union-attr]
    legend = section.split('class="cm-legend"', 1)[1].split("</ul>", 1)[0]
    assert sum(int(n) for n in re.findall(r"\((\d+)\)</li>", legend)) == reported == 222


def test_links_to_different_sources_read_differently(real_site: Path) -> None:
    """Two links with the same words must not lead to two different sources (WCAG 2.4.4)."""
    for page in real_site.rglob("*.html"):
        seen: dict[str, str] = {}
        for target, text in re.findall(r'<a href="#src-([^"]+)">([^<]*)</a>', page.read_text(encoding="utf-8")):
            assert seen.setdefault(text, target) == target, (page, text)


def test_country_page_has_region_focus_targets_and_its_statistics(real_site: Path) -> None:
    html = (real_site / "countries/ken/index.html").read_text(encoding="utf-8")
    assert "Eastern Africa" in html and "The focus targets" in html
    assert "kenya-national-digital-master-plan-2022-2032/" in html
    assert 'href="../../data/countries/ken.csv"' in html and 'href="../../countries/ken/statistics/"' in html
    # the other indicators, by year, with the trends against the region and the world
    statistics = (real_site / "countries/ken/statistics/index.html").read_text(encoding="utf-8")
    assert "Africa median" in statistics and "World median" in statistics and 'class="cm-chart"' in statistics


def test_a_country_without_data_says_how_to_contribute(tmp_path: Path) -> None:
    content = write_site(
        tmp_path, {"data/internet-users.csv": "country,year,value\n", "countries/KEN.yaml": "name: Kenya\n"}
    )
    result = build(content, tmp_path / "out", display_root="content")
    assert result.ok
    html = (tmp_path / "out/countries/ken/index.html").read_text(encoding="utf-8")
    assert "No data yet." in html and 'href="#contribute"' in html


# -- data contract: golden files ---------------------------------------------------


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_golden_files(tiny_site: Path, name: str) -> None:
    assert (tiny_site / name).read_bytes() == (GOLDEN / name).read_bytes(), "regenerate: make golden"


def test_sitemap_lists_every_page_but_404_with_absolute_urls(real_site: Path) -> None:
    urls = [e.text for e in ET.parse(real_site / "sitemap.xml").getroot().iter() if e.tag.endswith("loc")]
    pages = [p for p in real_site.rglob("index.html") if p.parent.name != "search"]  # search is not content
    assert len(urls) == len(pages) and urls == sorted(urls)
    assert all(u and u.startswith("https://example.org/connect2030/") for u in urls)
    assert not any(u and "404" in u for u in urls)


def test_feed_is_atom_with_newest_entries_first(real_site: Path) -> None:
    root = ET.parse(real_site / "feed.xml").getroot()
    entries = root.findall(f"{ATOM}entry")
    updated = [e.findtext(f"{ATOM}updated") or "" for e in entries]
    assert entries and updated == sorted(updated, reverse=True)
    assert root.findtext(f"{ATOM}updated") == updated[0]
    for e in entries:
        link = e.find(f"{ATOM}link")
        assert link is not None and link.get("href", "").startswith("https://example.org/connect2030/")


# -- sub-path and canonical URLs -------------------------------------------------------


def test_links_are_relative_and_canonical_urls_absolute(real_site: Path) -> None:
    html = (real_site / "targets/1.4/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/connect2030/targets/1.4/">' in html
    assert '<meta property="og:url" content="https://example.org/connect2030/targets/1.4/">' in html
    assert re.search(r'<link rel="stylesheet" href="\.\./\.\./assets/site\.[0-9a-f]{10}\.css">', html)
    hrefs = re.findall(r'href="(/[^"]*)"', html)
    assert hrefs == []  # nothing depends on being served from the host root


def test_404_page_links_from_the_base_path(real_site: Path) -> None:
    html = (real_site / "404.html").read_text(encoding="utf-8")
    assert 'href="/connect2030/targets/"' in html and 'rel="canonical"' not in html


def test_base_url_option_changes_only_absolute_urls(tmp_path: Path, tiny_site: Path) -> None:
    out = tmp_path / "other"
    result = build(TINY, out, base_url="https://stats.example.net/c2030/", display_root="content")
    assert result.ok
    a, b = tree(tiny_site), tree(out)
    assert a.keys() == b.keys()
    assert b"https://stats.example.net/c2030/sitemap.xml" in b["robots.txt"]
    same = [k for k in a if a[k] == b[k]]
    assert any(k.startswith("assets/") for k in same) and "data/all.csv" in same


def test_assets_are_fingerprinted_by_content(tiny_site: Path) -> None:
    for p in (tiny_site / "assets").iterdir():
        m = re.fullmatch(r"[a-z]+\.([0-9a-f]{10})\.(css|svg|js)", p.name)
        assert m, p.name
        assert hashlib.sha256(p.read_bytes()).hexdigest()[:10] == m.group(1)


# -- determinism ------------------------------------------------------------------------


def _build_in_subprocess(out: Path, content: Path, env: dict[str, str]) -> None:
    code = (
        "import sys; from pathlib import Path; from connect_site.pipeline import build; "
        "r = build(Path(sys.argv[1]), Path(sys.argv[2])); sys.exit(0 if r.ok else 1)"
    )
    full = {**os.environ, **env}
    subprocess.run([sys.executable, "-c", code, str(content), str(out)], check=True, env=full, cwd=ROOT)


def test_same_input_gives_a_byte_identical_site(tmp_path: Path, real_site: Path) -> None:
    """Across hash seeds, time zones and locales; the real site, built in another process."""
    out = tmp_path / "again"
    _build_in_subprocess(out, REAL, {"PYTHONHASHSEED": "12345", "TZ": "Pacific/Chatham", "LC_ALL": "C"})
    assert digest(out) == digest(real_site)


def test_source_date_epoch_is_the_only_clock(tmp_path: Path) -> None:
    _build_in_subprocess(tmp_path / "a", TINY, {"PYTHONHASHSEED": "1", "TZ": "UTC"})
    _build_in_subprocess(tmp_path / "b", TINY, {"PYTHONHASHSEED": "2", "TZ": "Asia/Kolkata"})
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_feed_without_dated_entries_takes_its_date_from_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = (TINY / "initiatives/kenya-plan.md").read_text(encoding="utf-8").replace("start: 2022\n", "")
    guide = (TINY / "practices/guide.yaml").read_text(encoding="utf-8").replace("date: 2020-05-01\n", "")
    content = write_site(tmp_path, {"initiatives/kenya-plan.md": plan, "practices/guide.yaml": guide})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build(content, tmp_path / "site", display_root="content").ok
    root = ET.parse(tmp_path / "site/feed.xml").getroot()
    assert root.findtext(f"{ATOM}updated") == "2023-11-14T22:13:20Z" and not root.findall(f"{ATOM}entry")


# -- all or nothing -------------------------------------------------------------------


def test_content_errors_leave_the_previous_site_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(TINY, out, display_root="content").ok
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    content = write_site(tmp_path, {"targets/1.4.yaml": "id: '1.4'\ngoal: 9\n"})
    result = build(content, out, display_root="content")
    assert not result.ok and result.written is None
    after = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]  # no leftovers beside it


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failure_while_rendering_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """Also when the failure happens in a worker process (jobs=2)."""
    out = tmp_path / "site"
    assert build(TINY, out, display_root="content").ok
    before = tree(out)
    from connect_site.site import files

    def boom(view: object, page: object, extra: object) -> bytes:
        raise RuntimeError("template failed")

    monkeypatch.setattr(files, "render", boom)
    with pytest.raises(RuntimeError, match="template failed"):
        build(TINY, out, display_root="content", jobs=jobs)
    assert tree(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_rendering_is_pure_and_the_same_in_one_process_or_two(
    real_result: CheckResult, real_build: tuple[Path, BuildResult]
) -> None:
    """SiteFiles touches no files: the same bytes in memory, rendered by one process, as the
    session's build wrote with its pages shared between two."""
    assert real_result.site is not None
    out, result = real_build
    first, pages = render_files(real_result.site, jobs=1)
    on_disk = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert json.loads(on_disk.pop(MARKER))["files"] == sorted(first)  # the writer's list of what it wrote
    assert sorted(first) == sorted(on_disk) and first == on_disk
    assert pages == result.pages > 300


# -- command line ------------------------------------------------------------------------


def test_cli_build_reports_and_exits(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "site"
    ok = runner.invoke(main, ["build", "--content", str(TINY), "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    assert re.search(r"built \d+ pages and \d+ other files into .*site/", ok.output)
    again = runner.invoke(main, ["build", "--content", str(TINY), "--out", str(out)])
    assert "0 written" in again.output
    content = write_site(tmp_path, {"site.yaml": "title: x\n"})
    bad = runner.invoke(main, ["build", "--content", str(content), "--out", str(out)])
    assert bad.exit_code == 1 and "error[missing-field]" in bad.output
    assert "the previous output is unchanged" in bad.output
    url = runner.invoke(main, ["build", "--content", str(TINY), "--out", str(out), "--base-url", "javascript:x"])
    assert url.exit_code == 2 and "not an http(s) address" in url.output


def test_cli_build_json_output_stays_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", "--content", str(TINY), "--out", str(tmp_path / "s"), "--format", "json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["ok"] is True and "built " in result.stderr


def test_cli_refuses_to_write_over_the_content_folder(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    before = tree(content)
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(content)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert tree(content) == before


def regenerate() -> None:
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        assert build(TINY, out).ok
        for name in GOLDEN_FILES:
            (GOLDEN / name).write_bytes((out / name).read_bytes())
            print(f"wrote {GOLDEN / name}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--regenerate"]:
        regenerate()
    else:
        sys.exit(f"usage: python {sys.argv[0]} --regenerate")


def test_the_preview_serves_the_same_bytes_as_the_build(tmp_path: Path) -> None:
    """serve renders pages on request (SiteFiles.get); every file must be what `build` writes."""
    from connect_site.site.files import SiteFiles

    site_yaml = (TINY / "site.yaml").read_text(encoding="utf-8").replace("languages: [en]", "languages: [en, fr, ar]")
    content = write_site(tmp_path, {"site.yaml": site_yaml})
    result = check(content, display_root="content")
    assert result.site is not None
    files, pages = render_files(result.site, jobs=1)
    lazy = SiteFiles(result.site)
    # the search index is known only once it is made, on the first request for it
    assert sorted(set(files) - set(lazy.keys())) == sorted(k for k in files if k.startswith("pagefind/"))
    assert set(lazy.keys()) <= set(files) and lazy.pages == pages
    assert {key: lazy.get(key) for key in reversed(sorted(files))} == files  # in any order
    assert lazy.get("nothing/here.html") is None
