"""One located error per mistake across files: a file left out for its errors is reported once.

A file that cannot be read (a YAML syntax error, a symlink) or that fails validation is left
out of the site. The files that name what it declares (a target's id, its indicators, a
goal, a source, the languages of site.yaml) must not report each of those ids as unknown:
that is the same mistake again, in files that are right. An id that the file left out cannot
have declared is still reported, in the same run (content/broken.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TESTS, Files, lines, run, write_site
from connect_site import cli
from connect_site.pipeline import build

TINY = TESTS / "fixtures/tiny/content"


def tiny(rel: str) -> str:
    return (TINY / rel).read_text(encoding="utf-8")


def changed(rel: str, old: str, new: str) -> str:
    """A file of the tiny site with one piece of text replaced."""
    text = tiny(rel)
    assert old in text, (rel, old)
    return text.replace(old, new, 1)


def errors(tmp_path: Path, files: Files) -> list[str]:
    """The first line of every error of the tiny site with `files` changed."""
    return content_errors(write_site(tmp_path, files))


def content_errors(content: Path) -> list[str]:
    return [line for line in lines(run(content)) if ": error[" in line]


T14 = "targets/1.4.yaml"
GOAL = "goals/1.yaml"
KEN = "countries/KEN.yaml"

# An unrelated mistake, in a file that refers to the broken ones: it is still reported.
UNRELATED: Files = {
    "practices/guide.yaml": changed("practices/guide.yaml", 'targets: ["1.4"]', 'targets: ["1.4", "9.9"]')
}
UNRELATED_ERROR = "content/practices/guide.yaml:6:18: error[unknown-target]: unknown target '9.9'"

# (name, the broken file, its one error)
BROKEN: list[tuple[str, Files, str]] = [
    (
        "target-syntax",
        {T14: changed(T14, 'title: "Digital strategy"', 'title: "Digital strategy')},
        'content/targets/1.4.yaml:3:8: error[yaml-syntax]: YAML syntax error: the " opened here is not closed on '
        "its line",
    ),
    (
        "target-schema",  # valid YAML, but an indicator's unit is wrong: the whole target is left out
        {T14: changed(T14, "unit: yes-no", "unit: yes-or-no")},
        "content/targets/1.4.yaml:11:11: error[invalid-value]: 'yes-or-no' is not a valid unit",
    ),
    (
        "goal-syntax",
        {GOAL: changed(GOAL, "title: Growth", "title: [Growth")},
        "content/goals/1.yaml:2:8: error[yaml-syntax]: YAML syntax error: the '[' on line 2 is never closed",
    ),
    (
        "goal-schema",
        {GOAL: changed(GOAL, "source: test-src\n", "")},
        "content/goals/1.yaml:1:1: error[missing-field]: the required field 'source' is missing",
    ),
    (
        "sources-syntax",
        {"sources.yaml": changed("sources.yaml", 'publisher: "Test publisher"', 'publisher: "Test publisher')},
        'content/sources.yaml:2:14: error[yaml-syntax]: YAML syntax error: the " opened here is not closed on its line',
    ),
    (
        "sources-schema",
        {"sources.yaml": changed("sources.yaml", '  license: "CC BY 4.0"\n', "")},
        "content/sources.yaml:2:3: error[missing-field]: the required field 'license' is missing",
    ),
    (
        "site-syntax",
        {"site.yaml": changed("site.yaml", 'title: "Tiny test site"', 'title: "Tiny test site')},
        'content/site.yaml:1:8: error[yaml-syntax]: YAML syntax error: the " opened here is not closed on its line',
    ),
    (
        "site-schema",
        {"site.yaml": changed("site.yaml", 'base_url: "https://example.org/tiny/"\n', "")},
        "content/site.yaml:1:1: error[missing-field]: the required field 'base_url' is missing",
    ),
    # A country is named by its ISO code, which the built-in list knows: a broken country file leaves
    # no unknown country behind. Its translation depends on it (test_a_translation_of_a_broken_file_is_quiet).
    (
        "country-syntax",
        {KEN: changed(KEN, 'name: "Kenya"', 'name: "Kenya')},
        'content/countries/KEN.yaml:1:7: error[yaml-syntax]: YAML syntax error: the " opened here is not closed on '
        "its line",
    ),
    (
        "country-schema",
        {KEN: changed(KEN, 'name: "Kenya"', 'name: "Kenya"\ncapital: Nairobi')},
        "content/countries/KEN.yaml:2:1: error[unknown-field]: unknown field 'capital'",
    ),
]


@pytest.mark.parametrize("name,files,expected", BROKEN, ids=[c[0] for c in BROKEN])
def test_a_broken_file_is_one_error(tmp_path: Path, name: str, files: Files, expected: str) -> None:
    """Nothing else: no unknown target, indicator, source or goal in the files that name it."""
    assert errors(tmp_path, files) == [expected]


@pytest.mark.parametrize("name,files,expected", BROKEN, ids=[c[0] for c in BROKEN])
def test_an_unrelated_error_beside_it_is_still_reported(tmp_path: Path, name: str, files: Files, expected: str) -> None:
    """'9.9' cannot be the id of the file left out, so it is reported in the same run."""
    assert errors(tmp_path, {**files, **UNRELATED}) == sorted([expected, UNRELATED_ERROR])


FILES = {name: files for name, files, _ in BROKEN}
ERROR = {name: error for name, _, error in BROKEN}
TARGET_SYNTAX, TARGET_SCHEMA = FILES["target-syntax"], FILES["target-schema"]
TARGET_SYNTAX_ERROR, TARGET_SCHEMA_ERROR = ERROR["target-syntax"], ERROR["target-schema"]


@pytest.mark.parametrize("name", ["goal-syntax", "goal-schema"])
def test_a_goal_no_file_declares_is_still_reported(tmp_path: Path, name: str) -> None:
    files = {**FILES[name], "targets/2.10.yaml": changed("targets/2.10.yaml", "goal: 1", "goal: 3")}
    assert errors(tmp_path, files) == [
        ERROR[name],
        "content/targets/2.10.yaml:2:7: error[unknown-goal]: there is no goal 3",
    ]


def test_tables_of_a_broken_targets_indicators_are_quiet(tmp_path: Path) -> None:
    """data/internet-users.csv and its world figures belong to target 1.4: nothing to report but 1.4."""
    world = "year,value,source,note\n2024,71,test-src,\n"
    for name, broken, error in (
        ("syntax", TARGET_SYNTAX, TARGET_SYNTAX_ERROR),
        ("schema", TARGET_SCHEMA, TARGET_SCHEMA_ERROR),
    ):
        files = {**broken, "data/internet-users.world.csv": world}
        assert errors(tmp_path / name, files) == [error]


def test_an_indicator_a_target_with_schema_errors_does_not_list_is_still_reported(tmp_path: Path) -> None:
    """Its YAML is read, so its indicators are known: 'no-such' is not one of them."""
    files = {
        **TARGET_SCHEMA,
        "data/no-such.csv": "country,year,value\nKEN,2020,1\n",
        KEN: tiny(KEN) + "  - indicator: no-such-either\n    year: 2023\n    value: 1\n",
    }
    assert errors(tmp_path, files) == [
        "content/countries/KEN.yaml:12:16: error[unknown-indicator]: unknown indicator 'no-such-either'",
        "content/data/no-such.csv:1:1: error[unknown-indicator]: there is no indicator 'no-such' for this table",
        TARGET_SCHEMA_ERROR,
    ]


def test_any_indicator_may_be_a_target_with_a_syntax_error(tmp_path: Path) -> None:
    """Its indicators cannot be read, so an indicator no other target declares may be one of them."""
    files = {**TARGET_SYNTAX, "data/no-such.csv": "country,year,value\nKEN,2020,1\n"}
    assert errors(tmp_path, files) == [TARGET_SYNTAX_ERROR]


def test_a_source_a_broken_sources_yaml_does_not_list_is_still_reported(tmp_path: Path) -> None:
    """Its YAML is read, so the ids it declares are known: 'other-src' is not one of them."""
    files = {**FILES["sources-schema"], GOAL: changed(GOAL, "source: test-src", "source: other-src")}
    assert errors(tmp_path, files) == [
        "content/goals/1.yaml:4:9: error[unknown-source]: unknown source 'other-src'",
        ERROR["sources-schema"],
    ]


SITE_SOURCES = tiny("site.yaml") + "sources:\n" + "".join(f"  {line}\n" for line in tiny("sources.yaml").splitlines())


@pytest.mark.parametrize(
    "site,expected",
    [
        (
            SITE_SOURCES.replace('title: "Tiny test site"', 'title: "Tiny test site'),
            'content/site.yaml:1:8: error[yaml-syntax]: YAML syntax error: the " opened here is not closed on its line',
        ),
        (
            SITE_SOURCES.replace('base_url: "https://example.org/tiny/"\n', ""),
            "content/site.yaml:1:1: error[missing-field]: the required field 'base_url' is missing",
        ),
    ],
    ids=["syntax", "schema"],
)
def test_sources_of_a_broken_site_yaml_are_quiet(tmp_path: Path, site: str, expected: str) -> None:
    """site.yaml may declare the sources itself; left out, they are not reported as unknown."""
    assert errors(tmp_path, {"site.yaml": site, "sources.yaml": None}) == [expected]


TRANSLATIONS: Files = {
    "site.yaml": changed("site.yaml", "languages: [en]", "languages: [en, fr]"),
    "site.fr.yaml": 'title: "Site minuscule"\n',
    "goals/1.fr.yaml": 'title: "Croissance"\n',
    "targets/1.4.fr.yaml": 'title: "Stratégie numérique"\n',
    "countries/KEN.fr.yaml": 'summary: "Le Kenya"\n',
    "initiatives/kenya-plan.fr.md": "---\ntitle: Plan\n---\n",
}
INITIATIVE = "initiatives/kenya-plan.md"


@pytest.mark.parametrize(
    "broken,expected",
    [
        (TARGET_SYNTAX, TARGET_SYNTAX_ERROR),
        (TARGET_SCHEMA, TARGET_SCHEMA_ERROR),
        *[(files, error) for name, files, error in BROKEN if name.startswith(("goal", "country"))],
        (
            {INITIATIVE: changed(INITIATIVE, "kind: strategy", "kind: [strategy")},
            "content/initiatives/kenya-plan.md:5:7: error[yaml-syntax]: YAML syntax error: the '[' on line 5 is "
            "never closed",
        ),
        (
            {INITIATIVE: changed(INITIATIVE, "kind: strategy", "kind: strategi")},
            "content/initiatives/kenya-plan.md:5:7: error[invalid-value]: 'strategi' is not a valid kind",
        ),
    ],
    ids=["target-syntax", "target-schema", "goal-syntax", "goal-schema", "country-syntax", "country-schema"]
    + ["initiative-syntax", "initiative-schema"],
)
def test_a_translation_of_a_broken_file_is_quiet(tmp_path: Path, broken: Files, expected: str) -> None:
    """Not "there is no valid target 1.4": the file it translates is there, and its error is reported."""
    assert errors(tmp_path, {**TRANSLATIONS, **broken}) == [expected]


def test_a_translation_of_nothing_is_still_reported(tmp_path: Path) -> None:
    files = {**TRANSLATIONS, **TARGET_SYNTAX, "targets/9.9.fr.yaml": 'title: "Rien"\n'}
    assert errors(tmp_path, files) == [
        TARGET_SYNTAX_ERROR,
        "content/targets/9.9.fr.yaml:1:1: error[translation-without-entry]: this translates '9.9', but there is "
        "no valid target 9.9",
    ]


@pytest.mark.parametrize(
    "old,new,expected",
    [
        ('title: "Tiny test site"', 'title: "Tiny test site', ERROR["site-syntax"]),
        ('base_url: "https://example.org/tiny/"\n', "", ERROR["site-schema"]),
    ],
    ids=["syntax", "schema"],
)
def test_translations_are_not_in_an_unknown_language_when_site_yaml_is_broken(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    """site.yaml lists the languages: left out, 'fr' is not reported as unknown, nor site.fr.yaml."""
    site = TRANSLATIONS["site.yaml"]
    assert isinstance(site, str) and old in site
    assert errors(tmp_path, {**TRANSLATIONS, "site.yaml": site.replace(old, new)}) == [expected]


def test_no_goals_or_targets_is_not_reported_when_they_are_all_broken(tmp_path: Path) -> None:
    """Not "the content folder has no goals or targets": they are there, each with its error."""
    files = {**FILES["goal-syntax"], **TARGET_SYNTAX, "targets/2.10.yaml": "id: [2.10\n"}
    assert errors(tmp_path, files) == [
        ERROR["goal-syntax"],
        TARGET_SYNTAX_ERROR,
        "content/targets/2.10.yaml:1:5: error[yaml-syntax]: YAML syntax error: the '[' on line 1 is never closed",
    ]


def test_any_target_may_be_a_broken_file_not_named_by_its_id(tmp_path: Path) -> None:
    """targets/digital.yaml with a syntax error: its id cannot be known, so no target is reported unknown."""
    broken = TARGET_SYNTAX[T14]
    assert errors(tmp_path, {T14: None, "targets/digital.yaml": broken}) == [
        TARGET_SYNTAX_ERROR.replace("targets/1.4.yaml", "targets/digital.yaml")
    ]


def test_a_symlinked_target_is_one_error(tmp_path: Path) -> None:
    content = write_site(tmp_path, {T14: None})
    (tmp_path / "elsewhere.yaml").write_text(tiny(T14))
    os.symlink(tmp_path / "elsewhere.yaml", content / T14)
    assert content_errors(content) == [
        "content/targets/1.4.yaml:1:1: error[symlink]: symbolic links are not allowed in the content folder, "
        "and this one was not read"
    ]


def test_a_symlinked_targets_folder_is_one_error(tmp_path: Path) -> None:
    content = write_site(tmp_path, {})
    os.rename(content / "targets", tmp_path / "targets")
    os.symlink(tmp_path / "targets", content / "targets")
    assert content_errors(content) == [
        "content/targets:1:1: error[symlink]: symbolic links are not allowed in the content folder, "
        "and this one was not read"
    ]


def test_check_fails_with_the_one_error_and_build_writes_nothing(tmp_path: Path) -> None:
    content = write_site(tmp_path, TARGET_SYNTAX)
    result = CliRunner().invoke(cli.main, ["check", "--content", str(content)])
    assert result.exit_code == 1
    assert TARGET_SYNTAX_ERROR.split(": ", 1)[1] in result.stdout
    assert "unknown-" not in result.stdout
    assert "; 1 error, 0 warnings" in result.stdout.strip().splitlines()[-1]
    out = tmp_path / "_site"
    built = build(content, out, display_root="content")
    assert not built.ok and built.written is None
    assert [d.format().splitlines()[0] for d in built.check.diagnostics] == [TARGET_SYNTAX_ERROR]
    assert not out.exists()


def test_a_broken_target_with_no_indicators_declares_none(tmp_path: Path) -> None:
    """targets/2.10.yaml lists no indicators: left out, it cannot declare 'no-such'."""
    files = {
        "targets/2.10.yaml": changed("targets/2.10.yaml", "deadline: 2023", "deadline: soon"),
        "data/no-such.csv": "country,year,value\nKEN,2020,1\n",
    }
    assert errors(tmp_path, files) == [
        "content/data/no-such.csv:1:1: error[unknown-indicator]: there is no indicator 'no-such' for this table",
        "content/targets/2.10.yaml:4:11: error[wrong-type]: 'deadline' must be a whole number, not 'soon'",
    ]


@pytest.mark.parametrize("name", ["sources-syntax", "sources-schema"])
def test_world_figures_and_translations_of_a_broken_sources_yaml_are_quiet(tmp_path: Path, name: str) -> None:
    """A world figure names its source; sources.fr.yaml and an official text name theirs: not reported."""
    files = {
        **TRANSLATIONS,
        **FILES[name],
        "data/internet-users.world.csv": "year,value,source,note\n2024,71,test-src,\n",
        "sources.fr.yaml": 'test-src:\n  title: "Jeu de données"\n',
        "goals/1.fr.yaml": 'statement: "Permettre"\nstatement_source: test-src\n',
    }
    assert errors(tmp_path, files) == [ERROR[name]]
