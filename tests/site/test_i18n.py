"""The six UN languages: pages per language, CLDR names and numbers, catalogs, translations, gaps."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from conftest import REAL, ROOT, lines, run, write_site
from connect_site.cli import main
from connect_site.pipeline import build
from connect_site.site import i18n
from connect_site.site import markdown as markup

LANGS = ("en", "fr", "es", "ar", "zh", "ru")
OTHERS = ("fr", "es", "ar", "zh", "ru")
LOCALES = ROOT / "src" / "connect_site" / "locale"


def html(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def pages_of(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


# -- the acceptance pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "name"),
    [("fr", "Allemagne"), ("ru", "Германия"), ("zh", "德国"), ("ar", "ألمانيا"), ("es", "Alemania"), ("", "Germany")],
)
def test_country_names_come_from_cldr(real_site: Path, lang: str, name: str) -> None:
    page = html(real_site, f"{lang + '/' if lang else ''}countries/deu/index.html")
    assert re.search(r"<h1>\s*" + re.escape(name), page), page[:2000]
    assert f"<title>{name} ·" in page


def test_every_page_has_its_language_and_direction(real_site: Path) -> None:
    for page in pages_of(real_site):
        rel = page.relative_to(real_site).as_posix()
        lang = rel.split("/")[0] if rel.split("/")[0] in OTHERS else "en"
        head = page.read_text(encoding="utf-8")[:200]
        want = f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">'
        assert want in head, (rel, head)


def test_hreflang_alternates_are_complete_and_point_at_real_pages(real_site: Path) -> None:
    base = "https://example.org/connect2030/"
    checked = 0
    for page in pages_of(real_site):
        text = page.read_text(encoding="utf-8")
        if '<link rel="canonical"' not in text:
            continue  # 404 and search pages are not in the sitemap and carry no alternates
        alts = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', text))
        assert set(alts) == set(LANGS) | {"x-default"}, page
        for href in alts.values():
            assert href.startswith(base)
            target = real_site / href[len(base) :]
            assert (target / "index.html").is_file() or target.is_file(), href
        checked += 1
    assert checked > 6 * 300


def test_language_switcher_links_to_the_same_page_in_each_language(real_site: Path) -> None:
    page = html(real_site, "fr/countries/ken/index.html")
    nav = re.search(r'<nav class="langs".*?</nav>', page, re.S)
    assert nav is not None
    links = dict(re.findall(r'<a href="([^"]+)" lang="([^"]+)"', nav.group(0)))
    assert {v: k for k, v in links.items()} == {
        "en": "../../../countries/ken/",
        "fr": "../../../fr/countries/ken/",
        "es": "../../../es/countries/ken/",
        "ar": "../../../ar/countries/ken/",
        "zh": "../../../zh/countries/ken/",
        "ru": "../../../ru/countries/ken/",
    }
    assert 'lang="fr" hreflang="fr" aria-current="true"' in nav.group(0)


def test_sitemap_lists_the_alternates_of_every_url(real_site: Path) -> None:
    sitemap = html(real_site, "sitemap.xml")
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in sitemap
    entry = re.search(r"<url><loc>https://example.org/connect2030/fr/countries/deu/</loc>(.*?)</url>", sitemap)
    assert entry is not None
    assert len(re.findall(r'hreflang="', entry.group(1))) == 6


def test_numbers_and_dates_follow_the_locale(real_site: Path) -> None:
    en = html(real_site, "countries/deu/statistics/index.html")
    fr = html(real_site, "fr/countries/deu/statistics/index.html")
    # the same figure: a decimal point in English, a decimal comma in French
    value = re.search(r"<td>(\d+)\.(\d)</td>", en)
    assert value is not None, "an English table cell with one decimal"
    assert f"<td>{value.group(1)},{value.group(2)}</td>" in fr
    ru = html(real_site, "ru/index.html")
    assert re.search(r"\d\u00a0\d{3}", ru), "Russian groups thousands with a no-break space"


def test_lists_are_sorted_by_the_locale_collation(real_site: Path) -> None:
    fr = html(real_site, "fr/countries/index.html")
    start = fr.index('<h2><a href="../regions/europe/">Europe</a></h2>')
    europe = fr[start : fr.index("<h2", start + 1)]
    names = re.findall(r'<a href="\.\./countries/[a-z]{3}/"[^>]*>([^<]+)</a>', europe)
    assert len(names) > 30
    assert names == sorted(names, key=i18n.sort_key)
    assert "Allemagne" in names and names.index("Allemagne") < names.index("Autriche")


# -- catalogs -------------------------------------------------------------------------------


def test_the_template_catalog_is_up_to_date(tmp_path: Path) -> None:
    """Every marked string in the code and the templates is in messages.pot, and nothing else."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [Path(sys.executable).parent / "pybabel", "extract", "-F", "babel.cfg", "-k", "N_", "-o", fresh, "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as a, (LOCALES / "messages.pot").open("rb") as b:
        assert {m.id for m in read_po(a) if m.id} == {m.id for m in read_po(b) if m.id}, "run `make messages`"


@pytest.mark.parametrize("lang", OTHERS)
def test_every_message_is_translated(lang: str) -> None:
    done, total = i18n.catalog_counts(lang)
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        missing = [m.id for m in read_po(fh, locale=lang) if m.id and (m.fuzzy or not i18n._filled(m.string))]
    assert (done, missing) == (total, [])


@pytest.mark.parametrize("lang", OTHERS)
def test_translations_keep_their_placeholders(lang: str) -> None:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(re.findall(r"%\(\w+\)s|\{\w+\}|<[a-z]+[ >]", ids[-1]))
        for s in strings:
            if lang in ("ar", "zh", "ru") and len(strings) > 1 and "%(num)s" not in s:
                wanted_here = wanted - {"%(num)s"}  # a plural form for exactly one may spell the number out
            else:
                wanted_here = wanted
            assert wanted_here <= set(re.findall(r"%\(\w+\)s|\{\w+\}|<[a-z]+[ >]", s)), (lang, m.id, s)


def test_no_page_in_any_language_shows_an_untranslated_catalog_string(real_build: tuple[Path, object]) -> None:
    _site, result = real_build
    assert result.untranslated == []  # type: ignore[attr-defined]


def test_an_untranslated_string_is_reported_by_the_build(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("languages: [en]", "languages: [en, fr]"))
    fr = LOCALES / "fr" / "LC_MESSAGES" / "messages.po"
    original = fr.read_bytes()
    try:
        with fr.open("rb") as fh:
            catalog = read_po(fh, locale="fr")
        catalog["Countries"].string = ""
        from babel.messages.pofile import write_po

        with fr.open("wb") as fh:
            write_po(fh, catalog)
        i18n.translations.cache_clear()
        result = build(content, tmp_path / "out", display_root="content", jobs=1)
    finally:
        fr.write_bytes(original)
        i18n.translations.cache_clear()
    assert ("fr", "Countries") in result.untranslated


# -- content translations -------------------------------------------------------------------

TRANSLATED = {
    "site.yaml": 'title: "Tiny test site"\nbase_url: "https://example.org/tiny/"\nlanguages: [en, fr, es]\n',
    "initiatives/kenya-plan.fr.md": '---\ntitle: "Plan numérique du Kenya"\nsummary: "Le plan."\n---\nLe plan a des **projets phares**.\n',
}


def test_a_translated_entry_and_the_fallback(tmp_path: Path) -> None:
    content = write_site(tmp_path, TRANSLATED)
    result = build(content, tmp_path / "out", display_root="content", jobs=1)
    assert result.ok, [d.format() for d in result.check.diagnostics]
    fr = html(tmp_path / "out", "fr/initiatives/kenya-plan/index.html")
    assert "<h1>Plan numérique du Kenya</h1>" in fr
    assert "<strong>projets phares</strong>" in fr
    assert "untranslated" not in fr
    es = html(tmp_path / "out", "es/initiatives/kenya-plan/index.html")
    assert re.search(r'<h1 lang="en" dir="auto">Kenya digital plan</h1>', es), es
    assert 'class="untranslated"' in es
    assert re.search(r'<div class="body" lang="en">\s*<p>The plan has <strong>flagships</strong>', es) or (
        'lang="en"' in es.split("flagships")[0][-300:]
    )
    listing = html(tmp_path / "out", "es/initiatives/index.html")
    assert re.search(r'<a href="[^"]*kenya-plan/" lang="en" dir="auto">Kenya digital plan</a>', listing), listing


def test_markdown_is_rendered_once_for_all_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_site(tmp_path, TRANSLATED)
    result = run(content)
    assert result.site is not None
    site = result.site
    bodies = [g.body for g in site.goals.values()] + [t.body for t in site.targets.values()]
    bodies += [v.entry.body for v in site.countries.values() if v.entry]
    bodies += [e.body for e in [*site.initiatives.values(), *site.practices.values()]]
    bodies += [t.body for langs in site.translations.values() for t in langs.values()]
    distinct = {b for b in bodies if b and b.strip()}
    assert "Le plan a des **projets phares**." in distinct
    rendered: list[str] = []
    real = markup.render_html

    def counting(body: str) -> str:
        rendered.append(body)
        return real(body)

    monkeypatch.setattr(markup, "render_html", counting)
    result = build(content, tmp_path / "out", display_root="content", jobs=1)
    # each body once, however many languages show it (three languages here)
    assert sorted(rendered) == sorted(distinct)
    assert result.bodies == {markup.body_key(b) for b in distinct}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"initiatives/kenya-plan.de.md": "---\ntitle: Plan\n---\n"},
            "content/initiatives/kenya-plan.de.md:1:1: error[unknown-language]",
        ),
        (
            {"initiatives/kenya-plan.en.md": "---\ntitle: Plan\n---\n"},
            "content/initiatives/kenya-plan.en.md:1:1: error[unknown-language]",
        ),
        (
            {"initiatives/nothing-here.fr.md": "---\ntitle: Plan\n---\n"},
            "content/initiatives/nothing-here.fr.md:1:1: error[translation-without-entry]",
        ),
        (
            {"initiatives/kenya-plan.fr.md": "---\ntitle: Plan\ncountries: [ken]\n---\n"},
            "content/initiatives/kenya-plan.fr.md:3:1: error[unknown-field]",
        ),
        (
            {"goals/1.fr.yaml": 'title: "Croissance"\nstatement: "Permettre l\'accès"\n'},
            "content/goals/1.fr.yaml:2:1: error[invalid-value]: 'statement' is an official text, so it needs"
            " 'statement_source'",
        ),
        (
            {"targets/1.4.fr.yaml": 'title: "Stratégie"\n\ntext_source: test-src\n'},
            "content/targets/1.4.fr.yaml:3:1: error[invalid-value]: 'text_source' names the source of an official"
            " text, but 'text' is missing",
        ),
    ],
)
def test_translation_files_are_checked(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    content = write_site(tmp_path, {"site.yaml": TRANSLATED["site.yaml"], **files})
    found = lines(run(content))
    assert any(line.startswith(expected) for line in found), found


def test_translations_command_reports_completeness(tmp_path: Path) -> None:
    content = write_site(tmp_path, TRANSLATED)
    runner = CliRunner()
    res = runner.invoke(main, ["translations", "--content", str(content), "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = {d["language"]: d for d in json.loads(res.output)["languages"]}
    assert doc["fr"]["entries"] == {"translated": 1, "total": 2, "percent": 50.0}
    assert doc["es"]["entries"]["translated"] == 0
    assert doc["en"]["entries"]["translated"] == 2
    assert doc["fr"]["interface"]["total"] > 100
    text = runner.invoke(main, ["translations", "--content", str(content)])
    assert text.exit_code == 0
    header = text.output.splitlines()[0].split()
    assert header == [
        "language",
        "interface",
        "goals",
        "targets",
        "indicators",
        "sources",
        "countries",
        "entries",
        "site",
    ]
    assert re.search(r"^fr Français\s+\d+/\d+\s+0/1\s+0/2\s+0/2\s+0/1\s+0/0\s+1/2\s+0/1$", text.output, re.M), (
        text.output
    )


def test_translations_command_counts_each_kind(tmp_path: Path) -> None:
    files = {
        **TRANSLATED,
        "goals/1.fr.yaml": 'title: "Croissance"\n',
        "targets/1.4.fr.yaml": 'title: "Stratégie numérique"\nindicators:\n  digital-strategy:\n    title: "Stratégie adoptée"\n',
        "sources.fr.yaml": 'test-src:\n  title: "Jeu de données"\n',
        "site.fr.yaml": 'title: "Petit site"\n',
    }
    content = write_site(tmp_path, files)
    res = CliRunner().invoke(main, ["translations", "--content", str(content), "--format", "json"])
    assert res.exit_code == 0, res.output
    fr = {d["language"]: d for d in json.loads(res.output)["languages"]}["fr"]
    counts = {kind: (v["translated"], v["total"]) for kind, v in fr.items() if isinstance(v, dict)}
    assert counts.pop("interface")[1] > 100
    # one of the two targets, one of their two indicators
    assert counts == {
        "goals": (1, 1),
        "targets": (1, 2),
        "indicators": (1, 2),
        "sources": (1, 1),
        "countries": (0, 0),
        "entries": (1, 2),
        "site": (1, 1),
    }
    assert fr["targets"]["percent"] == 50.0


# -- gaps -----------------------------------------------------------------------------------


def test_gaps_page_lists_countries_with_nothing_for_the_target(real_site: Path) -> None:
    from connect_site.pipeline import check

    result = check(REAL, display_root="content")
    assert result.site is not None
    site = result.site
    page = html(real_site, "targets/1.4/gaps/index.html")
    covered_by_entry = {c for s in site.initiatives_by_target.get("1.4", []) for c in site.initiatives[s].countries}
    assert covered_by_entry, "some initiative covers target 1.4"
    for iso3 in covered_by_entry:
        assert f"countries/{iso3.lower()}/" not in page
    assert "contribute/" in page
    assert (real_site / "fr/targets/1.4/gaps/index.html").is_file()
    for t in site.focus_targets:
        assert (real_site / f"targets/{t}/gaps/index.html").is_file()
