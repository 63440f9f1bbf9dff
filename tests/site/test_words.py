"""Words for readers: pages say where figures come from in plain words (the technical provenance
is in the downloads), when the site was last updated, and what each count counts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import REAL, TINY
from connect_site.content.graph import Site
from connect_site.pipeline import CheckResult, build

MAINTAINER_WORDS = re.compile(r"\b[0-9a-f]{12}\b|\bcommit(?:ted)?\b|README|ddf--|\.rda\b")


def page_text(path: Path) -> str:
    """What a reader sees of a page: its text, without scripts, styles and attributes."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_no_page_speaks_to_maintainers(real_site: Path) -> None:
    """No commit hash, repository file or README on any page, in any language."""
    found = []
    for path in sorted(real_site.rglob("*.html")):
        match = MAINTAINER_WORDS.search(page_text(path))
        if match:
            found.append(f"{path.relative_to(real_site)}: {match.group()}")
    assert found == []


def test_the_technical_provenance_is_in_the_downloads(real_site: Path, real_result: CheckResult) -> None:
    site = real_result.site
    assert isinstance(site, Site)
    traced = {key for key, src in site.sources.items() if src.provenance}
    assert {"itu-wdi-internet-users", "un-desa-egov-survey", "itu-gci", "ec-desi"} <= traced
    everything = json.loads((real_site / "data" / "all.json").read_text(encoding="utf-8"))
    assert "c63631abeb62" in everything["sources"]["itu-wdi-internet-users"]["provenance"]
    package = json.loads((real_site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {s["name"]: s for s in package["sources"]}
    assert "mett29/DataViz" in by_name["ec-desi"]["provenance"]
    for key in traced:  # and not on the pages: the source list shows the note only
        note = site.sources[key].note or ""
        assert not MAINTAINER_WORDS.search(note + site.sources[key].edition), key


def test_the_home_page_says_what_it_counts(real_site: Path, real_result: CheckResult) -> None:
    site = real_result.site
    assert isinstance(site, Site)
    home = page_text(real_site / "index.html")
    sources = len({o.source for o in site.observations})
    statistics = f"{len(site.observations):,}"
    assert "On this site" in home and "Contributions so far" not in home
    assert re.search(
        rf"{statistics}\s+statistics \(values for one country and year\), from\s+{sources}\s+published sources", home
    )
    french = page_text(real_site / "fr" / "index.html")
    assert "Sur ce site" in french and "sources publiées" in french


@pytest.fixture(scope="module")
def dated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dated") / "_site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1764806400")  # 2025-12-04
        result = build(TINY, out, display_root="content")
    assert result.ok
    return out


def test_every_page_says_when_the_site_was_last_updated(dated_site: Path) -> None:
    pages = sorted(dated_site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        assert '<time datetime="2025-12-04">' in path.read_text(encoding="utf-8"), path
    assert re.search(r"Last updated: 4 December 2025 ?\.", " ".join(page_text(dated_site / "index.html").split()))


def test_without_a_build_date_no_date_is_made_up(tiny_site: Path) -> None:
    """SOURCE_DATE_EPOCH unset: the build has no clock (reproducible), so it names no date."""
    for path in sorted(tiny_site.rglob("*.html")):
        assert "Last updated" not in path.read_text(encoding="utf-8"), path


def test_make_site_dates_the_build_from_the_content() -> None:
    makefile = (REAL.parent / "Makefile").read_text(encoding="utf-8")
    site = makefile.split("\nsite:", 1)[1].split("\n\n", 1)[0]
    assert "SOURCE_DATE_EPOCH" in site and "git log -1 --format=%ct -- content" in site
