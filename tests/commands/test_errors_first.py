"""Contributors see their own errors first (issue 15, item 7), with the exact output of each case:

(a) `check` prints errors before warnings and counts repeated warnings on one line; with
    `--changed REF` the problems of the changed files come first and the warnings about the
    others are counted; the preview's error page has the same order;
(b) a misspelled required field is one error with its "did you mean";
(c) the example description that `new` writes is an error, so it cannot be published.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import write_site
from connect_site import cli

YEAR_2026 = "1767225600"  # SOURCE_DATE_EPOCH: statistics from 2015 and before are stale
SUMMARY = (
    "checked 13 files: 1 goal, 2 targets, 2 indicators, 5 countries with data, 8 observations, "
    "2 initiatives, 1 practice, 1 source; 2 errors, 4 warnings"
)
KENYA_ERROR = (
    "content/initiatives/kenya-plan.md:4:16: error[unknown-target]: unknown target '9.9'\n"
    "    hint: Targets are listed under /targets/ on the site.\n"
)
GUIDE_ERROR = (
    "content/practices/guide.yaml:6:11: error[unknown-target]: unknown target '9.8'\n"
    "    hint: Targets are listed under /targets/ on the site.\n"
)
GHANA_WARNING = (
    "content/initiatives/ghana-plan.md:1:1: warning[missing-url]: this initiative has no url\n"
    "    hint: Add url: with a public page about it, so readers can check it.\n"
)


def stale(code: str, year: int) -> str:
    return (
        f"content/countries/{code}.yaml:3:5: warning[stale-statistic]: 1 country has no internet-users value "
        f"newer than 2015: {code} {year} (line 3)\n"
        "    hint: Add newer values where they are published.\n"
    )


def check(*args: str) -> Result:
    return CliRunner().invoke(cli.main, ["check", "--content", "content", *args])


def git(where: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=where,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def pull_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose committed content has stale statistics in three country files and an
    error in the practice; the contributor's change (not committed) breaks the initiative and
    adds an initiative without a url."""
    countries = {"RWA": ("Rwanda", 2005), "TZA": ("Tanzania", 2008), "UGA": ("Uganda", 2012)}
    files = {
        f"countries/{code}.yaml": f'name: "{name}"\nstatistics:\n  - indicator: internet-users\n'
        f"    year: {year}\n    value: 2.5\n"
        for code, (name, year) in countries.items()
    }
    content = write_site(tmp_path, files)
    guide = content / "practices" / "guide.yaml"
    guide.write_text(guide.read_text().replace('targets: ["1.4"]', 'targets: ["9.8"]'))
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "the content as it is")
    kenya = content / "initiatives" / "kenya-plan.md"
    kenya.write_text(kenya.read_text().replace('targets: [1.4, "2.10"]', 'targets: [1.4, "9.9"]'))
    (content / "initiatives" / "ghana-plan.md").write_text(
        '---\ntitle: "Ghana plan"\ncountries: [KEN]\ntargets: ["1.4"]\nkind: strategy\nstatus: ongoing\n'
        'lead: "Ministry"\n---\nThe plan.\n'
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", YEAR_2026)
    return tmp_path


# --- (a) errors first, repeated warnings counted ---------------------------------------------


def test_errors_come_before_warnings_and_repeated_warnings_are_counted(pull_request: Path) -> None:
    result = check()
    assert result.exit_code == 1
    assert result.output == (
        KENYA_ERROR
        + GUIDE_ERROR
        + stale("RWA", 2005)
        + GHANA_WARNING
        + "warning[stale-statistic]: 2 more warnings like this in 2 files "
        "(connect-site check --all-warnings lists them)\n" + SUMMARY + "\n"
    )


def test_all_warnings_lists_every_warning_after_the_errors(pull_request: Path) -> None:
    result = check("--all-warnings")
    assert result.output == (
        KENYA_ERROR
        + GUIDE_ERROR
        + stale("RWA", 2005)
        + stale("TZA", 2008)
        + stale("UGA", 2012)
        + GHANA_WARNING
        + SUMMARY
        + "\n"
    )


def test_changed_puts_the_changed_files_first_and_counts_the_other_files_warnings(pull_request: Path) -> None:
    result = check("--changed", "main")
    assert result.exit_code == 1
    assert result.output == (
        KENYA_ERROR  # changed (not committed)
        + GHANA_WARNING  # new (not yet added to git)
        + GUIDE_ERROR  # an error is always listed, in any file
        + "warning[stale-statistic]: 3 warnings in 3 files not changed (connect-site check --all-warnings lists them)\n"
        + SUMMARY
        + "\n"
    )
    every = stale("RWA", 2005) + stale("TZA", 2008) + stale("UGA", 2012)
    listed = check("--changed", "main", "--all-warnings").output
    assert listed == KENYA_ERROR + GHANA_WARNING + GUIDE_ERROR + every + SUMMARY + "\n"


def test_changed_counts_from_where_the_branch_left_the_base(pull_request: Path) -> None:
    """Committed changes count too, and what the base did since the branch left it does not."""
    git(pull_request, "checkout", "-q", "-b", "contribution")
    git(pull_request, "add", "-A")
    git(pull_request, "commit", "-q", "-m", "the contribution")
    git(pull_request, "checkout", "-q", "main")
    (pull_request / "content" / "countries" / "RWA.yaml").write_text('name: "Rwanda"\n')
    git(pull_request, "commit", "-q", "-am", "the base moves on")
    git(pull_request, "checkout", "-q", "contribution")
    result = check("--changed", "main")
    assert result.output.startswith(KENYA_ERROR + GHANA_WARNING + GUIDE_ERROR + "warning[stale-statistic]: 3 warnings")


def test_github_format_has_the_same_order_and_json_stays_complete(pull_request: Path) -> None:
    out = check("--changed", "main", "--format", "github").output.splitlines()
    assert [line.split("::")[1] for line in out[:3]] == [
        "error file=content/initiatives/kenya-plan.md,line=4,col=16,title=connect-site unknown-target",
        "warning file=content/initiatives/ghana-plan.md,line=1,col=1,title=connect-site missing-url",
        "error file=content/practices/guide.yaml,line=6,col=11,title=connect-site unknown-target",
    ]
    assert out[3:] == [
        "warning[stale-statistic]: 3 warnings in 3 files not changed (connect-site check --all-warnings lists them)",
        SUMMARY,
    ]
    data = json.loads(check("--changed", "main", "--format", "json").output)
    assert [(d["path"], d["code"]) for d in data["diagnostics"]] == [
        ("content/countries/RWA.yaml", "stale-statistic"),
        ("content/countries/TZA.yaml", "stale-statistic"),
        ("content/countries/UGA.yaml", "stale-statistic"),
        ("content/initiatives/ghana-plan.md", "missing-url"),
        ("content/initiatives/kenya-plan.md", "unknown-target"),
        ("content/practices/guide.yaml", "unknown-target"),
    ]


@pytest.mark.parametrize(
    "ref,message",
    [
        ("no-such-branch", "connect-site: error: --changed 'no-such-branch' is not a commit in this repository"),
        ("", "connect-site: error: --changed '' names no commit"),
        ("--output=x", "connect-site: error: --changed '--output=x' names no commit"),
    ],
)
def test_changed_refuses_what_is_not_a_commit(pull_request: Path, ref: str, message: str) -> None:
    result = check("--changed", ref)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"{message}\n"
        "    hint: Give a branch, tag or commit of this repository that the change is compared with, e.g. "
        "--changed origin/main (run git fetch first if it is on a remote). In CI, fetch the whole history "
        '(actions/checkout with fetch-depth: 0) and name the base in full: refs/remotes/origin/"$GITHUB_BASE_REF".\n'
    )
    assert not (pull_request / "x").exists()


def test_changed_refuses_an_ambiguous_ref(pull_request: Path) -> None:
    git(pull_request, "tag", "main")  # a tag named like the branch: which one is the base?
    result = check("--changed", "main")
    assert result.exit_code == 2
    assert result.stderr == (
        "connect-site: error: --changed 'main' names more than one ref in this repository (a branch and a tag of "
        "the same name?)\n"
        "    hint: Give its full name, e.g. refs/remotes/origin/main or refs/tags/v1.0 (git show-ref lists them).\n"
    )
    assert check("--changed", "refs/heads/main").exit_code == 1  # the full name is fine


def test_the_preview_error_page_lists_the_errors_first(pull_request: Path) -> None:
    from connect_site.commands.serve import Preview  # noqa: PLC0415

    preview = Preview(Path("content"), "https://example.org/", ["127.0.0.1:8000"])
    preview.rebuild(first=True)
    page = preview.respond("/", "127.0.0.1:8000")
    assert page.status == 500
    items = re.findall(r"<li>(.*?)</li>", page.body.decode(), re.DOTALL)
    shown = [html.unescape(re.sub(r"<[^>]+>", "", item)).split("hint:")[0] for item in items]
    assert shown == [
        "content/initiatives/kenya-plan.md:4:16: error[unknown-target]: unknown target '9.9'",
        "content/practices/guide.yaml:6:11: error[unknown-target]: unknown target '9.8'",
        "content/countries/RWA.yaml:3:5: warning[stale-statistic]: 1 country has no internet-users value newer "
        "than 2015: RWA 2005 (line 3)",
        "content/initiatives/ghana-plan.md:1:1: warning[missing-url]: this initiative has no url",
        "warning[stale-statistic]: 2 more warnings like this in 2 files (connect-site check --all-warnings lists them)",
    ]


# --- (b) a misspelled required field ---------------------------------------------------------


def test_a_misspelled_required_field_is_one_error_with_did_you_mean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = write_site(tmp_path, {})
    kenya = content / "initiatives" / "kenya-plan.md"
    kenya.write_text(kenya.read_text().replace("status: ongoing", "staus: ongoing"))
    monkeypatch.chdir(tmp_path)
    result = check()
    assert result.exit_code == 1
    assert result.output == (
        "content/initiatives/kenya-plan.md:6:1: error[unknown-field]: unknown field 'staus' "
        "(the required field 'status' is missing)\n"
        "    hint: did you mean 'status'? Correct the spelling: 'status' is required. "
        "One of: planned, ongoing, completed.\n"
        "checked 9 files: 1 goal, 2 targets, 2 indicators, 2 countries with data, 5 observations, "
        "0 initiatives, 1 practice, 1 source; 1 error, 0 warnings\n"
    )


def test_an_unknown_field_that_is_no_missing_field_stays_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'titel' beside a 'title' that is there is a field too many: the error it always was."""
    content = write_site(tmp_path, {})
    kenya = content / "initiatives" / "kenya-plan.md"
    kenya.write_text(kenya.read_text().replace("kind: strategy", 'kind: strategy\ntitel: "x"'))
    monkeypatch.chdir(tmp_path)
    lines = check().output.splitlines()
    assert lines[:2] == [
        "content/initiatives/kenya-plan.md:6:1: error[unknown-field]: unknown field 'titel'",
        "    hint: did you mean 'title'? Allowed fields: body, countries, end, kind, lead, start, status, summary, "
        "targets, title, url.",
    ]


# --- (c) the example description of `new` -----------------------------------------------------


def test_the_example_description_of_new_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(tmp_path, {})
    monkeypatch.chdir(tmp_path)
    written = CliRunner().invoke(
        cli.main,
        ["new", "initiative", "--title", "Ghana plan", "--country", "GHA", "--target", "1.4", "--kind", "plan"]
        + ["--status", "ongoing", "--lead", "Ministry", "--url", "https://example.org/gh", "--no-input"],
    )
    assert written.exit_code == 0, written.output
    error = (
        "content/initiatives/ghana-plan.md:15:1: error[placeholder-text]: the description of this initiative is "
        "still the example text that 'connect-site new' wrote\n"
        "    hint: Write your own description in place of the example text below the closing '---', and say where "
        "the facts come from: the example text cannot be published.\n"
    )
    result = check()
    assert result.exit_code == 1
    assert result.output == error + (
        "checked 10 files: 1 goal, 2 targets, 2 indicators, 2 countries with data, 5 observations, "
        "2 initiatives, 1 practice, 1 source; 1 error, 0 warnings\n"
    )
    built = CliRunner().invoke(cli.main, ["build", "--content", "content", "--out", "_site", "--no-cache"])
    assert built.exit_code == 1 and error in built.output
    assert not (tmp_path / "_site").exists()
