"""The real microsite content in content/: valid, complete, sourced."""

from __future__ import annotations

from conftest import REAL
from connect_site.content.fields import Unit
from connect_site.pipeline import CheckResult

FOCUS = ["1.4", "1.7", "3.1", "3.5", "4.1", "5.1"]


def test_real_content_has_no_errors(real_result: CheckResult) -> None:
    errors = [d.format() for d in real_result.diagnostics if d.severity.value == "error"]
    assert errors == []


def test_counts_meet_the_brief(real_result: CheckResult) -> None:
    site = real_result.site
    assert site is not None
    counts = site.counts()
    assert counts["goals"] == 5
    assert counts["targets"] >= 24
    assert counts["countries with data"] >= 190
    assert counts["initiatives"] + counts["practices"] >= 12


def test_every_connect_2030_target_is_present(real_result: CheckResult) -> None:
    site = real_result.site
    assert site is not None
    expected = (
        [f"1.{i}" for i in range(1, 8)]
        + [f"2.{i}" for i in range(1, 11)]
        + [f"3.{i}" for i in range(1, 6)]
        + ["4.1", "5.1"]
    )
    assert list(site.targets) == expected
    assert site.focus_targets == FOCUS
    assert [t.id for t in site.targets.values() if t.focus] == FOCUS
    assert all(site.sources[t.source].url.startswith("https://") for t in site.targets.values())


def test_every_focus_target_has_entries(real_result: CheckResult) -> None:
    site = real_result.site
    assert site is not None
    for target in FOCUS:
        linked = site.initiatives_by_target.get(target, []) + site.practices_by_target.get(target, [])
        assert len(linked) >= 2, target


def test_every_entry_cites_a_public_source(real_result: CheckResult) -> None:
    site = real_result.site
    assert site is not None
    for item in list(site.initiatives.values()) + list(site.practices.values()):
        assert item.url and item.url.startswith(("https://", "http://")), item.title


def test_every_observation_is_sourced(real_result: CheckResult) -> None:
    site = real_result.site
    assert site is not None
    for o in site.observations:
        assert o.source in site.sources
        if site.indicators[o.indicator].unit is Unit.YES_NO and o.value is True:
            # a document to read, unless the source is a dataset that records each "yes" itself
            assert site.sources[o.source].dataset or (o.evidence is not None and o.evidence.url.startswith("http"))


def test_required_indicator_families_have_data(real_result: CheckResult) -> None:
    site = real_result.site
    assert site is not None
    with_data = {o.indicator for o in site.observations}
    for family in (
        "internet-users",
        "fixed-broadband",
        "mobile-cellular",
        "coverage-3g",
        "mobile-ownership",
        "ict-skills-",
        "ewaste-",
    ):
        assert any(i.startswith(family) for i in with_data), family


def test_data_provenance_is_in_the_repo() -> None:
    readme = (REAL / "data" / "README.md").read_text(encoding="utf-8")
    for table in sorted((REAL / "data").glob("*.csv")):
        stem = table.stem
        assert (
            f"`{table.name}`" in readme
            or stem in readme
            or (stem.startswith("ict-skills-") and "ict-skills-*" in readme)
        ), stem
