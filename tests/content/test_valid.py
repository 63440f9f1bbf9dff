"""Valid input is accepted, in every form the content model allows, and read as meant."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import TINY, Files, run


def test_tiny_fixture_site_is_clean() -> None:
    result = run(TINY)
    assert result.diagnostics == []
    assert result.site is not None


def test_unquoted_targets_lower_case_countries_and_body_field(make_site: Callable[[Files], Path]) -> None:
    content = make_site(
        {
            "targets/3.1.yaml": 'id: 3.1\ngoal: 1\ntext: "Cybersecurity"\ndeadline: 2023\nsource: test-src\n',
            "initiatives/both.yaml": (
                'title: "Both"\ncountries: [ken, nor, xkx]\ntargets: [1.4, 3.1]\nkind: programme\n'
                'status: planned\nlead: "A ministry"\nurl: "https://example.org/x"\n'
                "body: |\n  Text in the YAML form.\n"
            ),
        }
    )
    result = run(content)
    assert result.errors == 0, [d.format() for d in result.diagnostics]
    site = result.site
    assert site is not None
    item = site.initiatives["both"]
    assert item.targets == ["1.4", "3.1"]
    assert item.countries == ["KEN", "NOR", "XKX"]
    assert item.body == "Text in the YAML form."
    assert site.initiatives_by_target["3.1"] == ["both"]
    assert site.initiatives_by_country["XKX"] == ["both"]


def test_markdown_body_and_reverse_links() -> None:
    result = run(TINY)
    site = result.site
    assert site is not None
    assert site.initiatives["kenya-plan"].body == "The plan has **flagships**."
    assert site.initiatives["kenya-plan"].targets == ["1.4", "2.10"]
    assert site.initiatives_by_country == {"KEN": ["kenya-plan"]}
    assert site.practices_by_target == {"1.4": ["guide"]}
    assert site.targets_by_goal == {1: ["1.4", "2.10"]}
    assert site.countries["KEN"].name == "Kenya"
    assert site.countries["XKX"].ref.region == "Europe"


def test_csv_and_inline_statistics_load_into_one_list() -> None:
    site = run(TINY).site
    assert site is not None
    rows = [(o.country, o.indicator, o.year, o.value, o.source) for o in site.observations]
    assert rows == [
        ("KEN", "digital-strategy", 2022, True, "test-src"),
        ("KEN", "internet-users", 2021, 30.0, "test-src"),
        ("KEN", "internet-users", 2022, 35.5, "test-src"),
        ("KEN", "internet-users", 2023, 40.8, "test-src"),
        ("NOR", "internet-users", 2023, 99.0, "test-src"),
    ]
    nor = next(o for o in site.observations if o.country == "NOR")
    assert nor.note == "a note, with a comma"
    assert (nor.path, nor.line) == ("content/data/internet-users.csv", 3)


def test_yaml_11_words_are_not_booleans_in_lists(make_site: Callable[[Files], Path]) -> None:
    """The Norway problem: an unquoted NO stays text (and is then reported as a two-letter code)."""
    original = (TINY / "initiatives/kenya-plan.md").read_text()
    content = make_site({"initiatives/kenya-plan.md": original.replace("countries: [ken]", "countries: [KEN, NOR]")})
    site = run(content).site
    assert site is not None and site.initiatives["kenya-plan"].countries == ["KEN", "NOR"]
    broken = make_site_in(content.parent / "b", original.replace("countries: [ken]", "countries: [NO, on]"))
    codes = [(d.code, d.message.split(":", 1)[1].strip()) for d in run(broken).diagnostics]
    assert codes == [
        ("invalid-country-code", "'NO' is not a three-letter country code (ISO 3166-1 alpha-3, like KEN)"),
        ("invalid-country-code", "'on' is not a three-letter country code (ISO 3166-1 alpha-3, like KEN)"),
    ]


def make_site_in(base: Path, initiative: str) -> Path:
    from conftest import write_site

    return write_site(base, {"initiatives/kenya-plan.md": initiative})


def test_bom_and_crlf_are_fine(make_site: Callable[[Files], Path]) -> None:
    text = (TINY / "initiatives/kenya-plan.md").read_text().replace("\n", "\r\n")
    content = make_site({"initiatives/kenya-plan.md": b"\xef\xbb\xbf" + text.encode()})
    result = run(content)
    assert result.errors == 0, [d.format() for d in result.diagnostics]
