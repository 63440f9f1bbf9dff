"""One small broken site per error class, each with the exact diagnostic it must give.

Every case starts from the tiny valid site and changes one file. The expected text is the
first line of the diagnostic: `path:line:col: severity[code]: message`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Optional

import pytest

from conftest import ROOT, TESTS, Files, lines, run, write_site

TARGET_14 = (TESTS / "fixtures/tiny/content/targets/1.4.yaml").read_text()
KEN = (TESTS / "fixtures/tiny/content/countries/KEN.yaml").read_text()

INITIATIVE = [
    ("title", '"Kenya digital plan"'),
    ("countries", "[ken]"),
    ("targets", '[1.4, "2.10"]'),
    ("kind", "strategy"),
    ("status", "ongoing"),
    ("start", "2022"),
    ("lead", '"Ministry of ICT"'),
    ("url", '"https://example.org/ken"'),
]


def initiative(body: str = "Body.\n", **changes: Optional[str]) -> str:
    """The tiny site's initiative with fields changed (None removes); field i is on line i + 2."""
    fields = [(k, changes.pop(k, v)) for k, v in INITIATIVE]
    fields += list(changes.items())
    front = "".join(f"{k}: {v}\n" for k, v in fields if v is not None)
    return f"---\n{front}---\n{body}"


INIT = "initiatives/kenya-plan.md"
P = "content/initiatives/kenya-plan.md"

CASES: list[tuple[str, Files, str]] = [
    # --- YAML syntax and structure
    (
        "colon-in-value",
        {INIT: initiative(title="Kenya: the plan")},
        f"{P}:2:13: error[yaml-syntax]: YAML syntax error: this ': ' is inside a value, and YAML cannot start a new "
        "field there",
    ),
    (
        "unclosed-quote",
        {INIT: initiative(lead='"Ministry of ICT')},
        f'{P}:8:7: error[yaml-syntax]: YAML syntax error: the " opened here is not closed on its line',
    ),
    (
        "unclosed-quote-at-end",
        {INIT: initiative(url='"https://example.org/ken')},
        f'{P}:9:6: error[yaml-syntax]: YAML syntax error: the " opened here is never closed',
    ),
    (
        "bad-indent",
        {"countries/KEN.yaml": "statistics:\n  - indicator: internet-users\n   year: 2020\n"},
        "content/countries/KEN.yaml:3:4: error[yaml-syntax]: YAML syntax error: this line is not lined up with the "
        "list above it",
    ),
    (
        "duplicate-key",
        {INIT: initiative(title='"Kenya"', kind="strategy", status="ongoing") + ""},
        None,
    ),  # replaced below
    (
        "no-space-after-colon",
        {INIT: initiative(title="Kenya").replace("title: Kenya", "title:Kenya")},
        f"{P}:2:7: error[yaml-syntax]: YAML syntax error: no space after the colon in 'title:Kenya'",
    ),
    (
        "no-space-after-dash",
        {INIT: initiative(countries="\n-KEN")},
        f"{P}:4:2: error[yaml-syntax]: YAML syntax error: no space after the dash in '-KEN'",
    ),
    (
        "alias",
        {"countries/KEN.yaml": "a: &x 1\nname: *x\n"},
        "content/countries/KEN.yaml:1:4: error[yaml-anchor]: YAML anchors ('&x') are not allowed",
    ),
    (
        "tag",
        {"countries/KEN.yaml": "name: !!python/object:os.system 1\n"},
        "content/countries/KEN.yaml:1:7: error[yaml-tag]: YAML tags ('tag:yaml.org,2002:python/object:os.system') "
        "are not allowed",
    ),
    (
        "merge-key",
        {"countries/KEN.yaml": "<<: {name: x}\n"},
        "content/countries/KEN.yaml:1:1: error[yaml-merge-key]: YAML merge keys ('<<') are not allowed",
    ),
    (
        "too-deep",
        {"countries/KEN.yaml": "name: " + "[" * 30 + "]" * 30 + "\n"},
        "content/countries/KEN.yaml:1:30: error[yaml-too-deep]: the YAML is nested more than 24 levels deep",
    ),
    (
        "two-documents",
        {"countries/KEN.yaml": "name: A\n---\nname: B\n"},
        "content/countries/KEN.yaml:2:1: error[yaml-multiple-documents]: this file holds more than one YAML document",
    ),
    (
        "not-a-mapping",
        {"countries/KEN.yaml": "- KEN\n- UGA\n"},
        "content/countries/KEN.yaml:1:1: error[not-a-mapping]: expected a set of fields (like 'title: ...'), "
        "found a list",
    ),
    # --- Markdown entries
    (
        "front-matter-missing",
        {INIT: "title: x\n"},
        f"{P}:1:1: error[front-matter-missing]: a Markdown entry must start with a front matter block",
    ),
    (
        "front-matter-unclosed",
        {INIT: "---\ntitle: x\n"},
        f"{P}:1:1: error[front-matter-unclosed]: the front matter block is never closed",
    ),
    (
        "body-twice",
        {INIT: initiative(body="Text.\n", body_="x").replace("body_", "body")},
        f"{P}:10:1: error[body-twice]: this Markdown file has a 'body' field as well as text after the front matter",
    ),
    (
        "brackets",
        {INIT: initiative(body="Intro.\n\n" + "[" * 20000 + "\n")},
        f"{P}:13:1: error[markdown-too-complex]: this paragraph has more than 300 '[' characters",
    ),
    (
        "deep-quote",
        {INIT: initiative(body="> " * 40 + "x\n")},
        f"{P}:11:1: error[markdown-too-deep]: quotes are nested 40 levels deep",
    ),
    # --- Files
    (
        "too-large",
        {"countries/KEN.yaml": "name: x\n" + "# padding\n" * 30000},
        "content/countries/KEN.yaml:1:1: error[file-too-large]: the file is larger than 256 KiB",
    ),
    (
        "not-utf8",
        {"countries/KEN.yaml": b'name: "K\xe9nya"\n'},
        "content/countries/KEN.yaml:1:9: error[not-utf8]: the file is not valid UTF-8 (byte 0xe9)",
    ),
    (
        "nul-byte",
        {"countries/KEN.yaml": b"name: x\nsum\x00mary: y\n"},
        "content/countries/KEN.yaml:2:4: error[binary-file]: the file contains a NUL byte; it looks like a binary file",
    ),
    # --- Schema
    ("unknown-field", {INIT: initiative(titel='"x"')}, f"{P}:10:1: error[unknown-field]: unknown field 'titel'"),
    (
        "one-sided-link",
        {"countries/KEN.yaml": KEN + "initiatives: [kenya-plan]\n"},
        "content/countries/KEN.yaml:12:1: error[unknown-field]: unknown field 'initiatives'",
    ),
    (
        "missing-field",
        {INIT: initiative(lead=None)},
        f"{P}:2:1: error[missing-field]: the required field 'lead' is missing",
    ),
    (
        "wrong-type",
        {"targets/1.4.yaml": TARGET_14.replace("deadline: 2023", "deadline: soon")},
        "content/targets/1.4.yaml:5:11: error[wrong-type]: 'deadline' must be a whole number, not 'soon'",
    ),
    ("list-expected", {INIT: initiative(countries="KEN")}, f"{P}:3:12: error[wrong-type]: 'countries' must be a list"),
    (
        "invalid-kind",
        {INIT: initiative(kind="strategi")},
        f"{P}:5:7: error[invalid-value]: 'strategi' is not a valid kind",
    ),
    ("empty-title", {INIT: initiative(title='"  "')}, f"{P}:2:8: error[empty]: title: this field is empty"),
    (
        "ambiguous-number",
        {INIT: initiative(targets="[3.10]")},
        f"{P}:4:11: error[ambiguous-number]: targets: '3.10' is read by YAML as the number 3.1, which is not the same",
    ),
    (
        "invalid-target-id",
        {INIT: initiative(targets='["one"]')},
        f'{P}:4:11: error[invalid-target-id]: targets: \'one\' is not a target id like "1.4" or "2.1.A"',
    ),
    (
        "country-name",
        {INIT: initiative(countries="[Kenya]")},
        f"{P}:3:13: error[invalid-country-code]: countries: 'Kenya' is not a three-letter country code "
        "(ISO 3166-1 alpha-3, like KEN)",
    ),
    (
        "invalid-date",
        {INIT: initiative(start="2024-02-30")},
        f"{P}:7:8: error[invalid-date]: start: '2024-02-30' is not a date: write YYYY-MM-DD (or YYYY-MM, or YYYY)",
    ),
    (
        "sexagesimal",
        {INIT: initiative(start="1:30")},
        f"{P}:7:8: error[invalid-date]: start: '1:30' is not a date: write YYYY-MM-DD (or YYYY-MM, or YYYY)",
    ),
    (
        "javascript-url",
        {INIT: initiative(url="javascript:alert(1)")},
        f"{P}:9:6: error[invalid-url]: url: 'javascript:alert(1)' is not a web address: it must start with "
        "http:// or https:// and contain no spaces",
    ),
    (
        "end-before-start",
        {INIT: initiative(end="2020")},
        f"{P}:10:6: error[invalid-value]: end (2020) is before start (2022)",
    ),
    (
        "invalid-slug",
        {INIT: None, "initiatives/Kenya_Plan.md": initiative()},
        "content/initiatives/Kenya_Plan.md:1:1: error[invalid-slug]: the file name 'Kenya_Plan' is not a valid id",
    ),
    # --- References
    (
        "unknown-goal",
        {"targets/2.10.yaml": 'id: "2.10"\ngoal: 2\ntext: "x"\ndeadline: 2023\nsource: test-src\n'},
        "content/targets/2.10.yaml:2:7: error[unknown-goal]: there is no goal 2",
    ),
    ("unknown-target", {INIT: initiative(targets='["9.9"]')}, f"{P}:4:11: error[unknown-target]: unknown target '9.9'"),
    (
        "unknown-country",
        {INIT: initiative(countries="[XYZ]")},
        f"{P}:3:13: error[unknown-country]: unknown country code 'XYZ'",
    ),
    (
        "unknown-country-file",
        {"countries/XYZ.yaml": "name: x\n"},
        "content/countries/XYZ.yaml:1:1: error[unknown-country]: 'XYZ' is not an ISO 3166-1 alpha-3 country code",
    ),
    (
        "unknown-indicator-inline",
        {"countries/KEN.yaml": KEN.replace("indicator: internet-users", "indicator: internet")},
        "content/countries/KEN.yaml:9:16: error[unknown-indicator]: unknown indicator 'internet'",
    ),
    (
        "unknown-indicator-table",
        {"data/internet.csv": "country,year,value\nKEN,2020,5\n"},
        "content/data/internet.csv:1:1: error[unknown-indicator]: there is no indicator 'internet' for this table",
    ),
    (
        "unknown-source",
        {"targets/1.4.yaml": TARGET_14.replace("source: test-src\nindicators", "source: test\nindicators")},
        "content/targets/1.4.yaml:7:9: error[unknown-source]: unknown source 'test'",
    ),
    (
        "unknown-source-csv",
        {"data/internet-users.csv": "country,year,value,source\nKEN,2020,5,nope\n"},
        "content/data/internet-users.csv:2:12: error[unknown-source]: unknown source 'nope'",
    ),
    # --- Uniqueness
    (
        "duplicate-entry",
        {"initiatives/kenya-plan.yaml": initiative().split("---\n")[1]},
        "content/initiatives/kenya-plan.yaml:1:1: error[duplicate-id]: the initiative 'kenya-plan' is already "
        "defined in content/initiatives/kenya-plan.md",
    ),
    (
        "duplicate-target",
        {"targets/one-four.yaml": TARGET_14.replace("digital-strategy", "a").replace("internet-users", "b")},
        "content/targets/one-four.yaml:1:5: error[duplicate-id]: the target '1.4' is already defined in "
        "content/targets/1.4.yaml",
    ),
    (
        "duplicate-indicator",
        {
            "targets/2.10.yaml": 'id: "2.10"\ngoal: 1\ntext: "x"\ndeadline: 2023\nsource: test-src\n'
            "indicators:\n  - {id: internet-users, title: x, unit: percent, source: test-src}\n"
        },
        "content/targets/2.10.yaml:7:10: error[duplicate-id]: the indicator 'internet-users' is already defined "
        "under target 1.4",
    ),
    (
        "duplicate-observation",
        {"data/internet-users.csv": "country,year,value\nKEN,2023,1\n"},
        "content/data/internet-users.csv:2:1: error[duplicate-observation]: KEN internet-users 2023 (test-src) is "
        "already given at content/countries/KEN.yaml:9",
    ),
    (
        "id-mismatch",
        {"countries/KEN.yaml": "iso3: UGA\n"},
        "content/countries/KEN.yaml:1:7: error[id-mismatch]: iso3 is UGA but the file is named KEN",
    ),
    # --- Values
    (
        "percent-range",
        {"data/internet-users.csv": "country,year,value\nUGA,2020,120\n"},
        "content/data/internet-users.csv:2:10: error[out-of-range]: 120 is outside the range of percent (0..100)",
    ),
    (
        "year-range",
        {"data/internet-users.csv": "country,year,value\nUGA,1980,12\n"},
        "content/data/internet-users.csv:2:5: error[out-of-range]: the year 1980 is outside 1990..2027",
    ),
    (
        "yes-no-number",
        {"data/digital-strategy.csv": "country,year,value\nUGA,2020,1\n"},
        "content/data/digital-strategy.csv:2:10: error[wrong-type]: 'digital-strategy' is a yes-no indicator, "
        "so its value is true or false, not '1'",
    ),
    (
        "missing-evidence",
        {"data/digital-strategy.csv": "country,year,value\nUGA,2020,true\n"},
        "content/data/digital-strategy.csv:2:1: error[missing-evidence]: a 'true' value for 'digital-strategy' "
        "needs the document that shows it",
    ),
    (
        "nan",
        {"data/internet-users.csv": "country,year,value\nUGA,2020,nan\n"},
        "content/data/internet-users.csv:2:10: error[wrong-type]: the value must be a finite number",
    ),
    # --- CSV
    (
        "csv-columns",
        {"data/internet-users.csv": "country,year,value\nUGA,2020\n"},
        "content/data/internet-users.csv:2:1: error[csv-columns]: this row has 2 cells but the header has 3",
    ),
    (
        "csv-unknown-column",
        {"data/internet-users.csv": "country,year,value,sauce\nUGA,2020,1,x\n"},
        "content/data/internet-users.csv:1:20: error[csv-unknown-column]: unknown column 'sauce'",
    ),
    (
        "csv-missing-column",
        {"data/internet-users.csv": "country,value\nUGA,1\n"},
        "content/data/internet-users.csv:1:1: error[csv-missing-column]: the required column 'year' is missing",
    ),
    (
        "csv-syntax",
        {"data/internet-users.csv": 'country,year,value,note\nUGA,2020,1,"open\n'},
        'content/data/internet-users.csv:2:12: error[csv-syntax]: CSV syntax error: the quote (") opened here is never closed',
    ),
    (
        "csv-duplicate-column",
        {"data/internet-users.csv": "country,year,value,year\nUGA,2020,1,2021\n"},
        "content/data/internet-users.csv:1:20: error[csv-duplicate-column]: the column 'year' appears twice in the header",
    ),
    (
        "csv-empty",
        {"data/internet-users.csv": ""},
        "content/data/internet-users.csv:1:1: error[csv-empty]: the table is empty",
    ),
    # --- The folder
    (
        "missing-site",
        {"site.yaml": None},
        "content/site.yaml:1:1: error[missing-site]: the content folder has no site.yaml",
    ),
]

CASES = [c for c in CASES if c[2] is not None] + [
    (
        "duplicate-key",
        {INIT: "---\ntitle: a\nkind: strategy\ntitle: b\n---\n"},
        f"{P}:4:1: error[duplicate-key]: the key 'title' appears twice in the same mapping (first on line 2)",
    ),
]


@pytest.mark.parametrize("name,files,expected", CASES, ids=[c[0] for c in CASES])
def test_broken_site(make_site: Callable[[Files], Path], name: str, files: Files, expected: str) -> None:
    result = run(make_site(files))
    assert expected in lines(result), "\n".join(lines(result))
    assert result.errors >= 1
    diag = next(d for d in result.diagnostics if d.format().startswith(expected))
    assert diag.hint, f"{name}: every error carries a plain-language hint"


def test_every_error_code_in_readme_has_a_case() -> None:
    """The README's table of codes and these cases stay in step."""
    readme = (ROOT / "README.md").read_text()
    for _, _, expected in CASES:
        code = expected.split("[", 1)[1].split("]", 1)[0]
        assert f"`{code}`" in readme, code


def test_symlink_to_etc_passwd_is_refused(make_site: Callable[[Files], Path]) -> None:
    content = make_site({})
    os.symlink("/etc/passwd", content / "countries" / "GBR.yaml")
    os.symlink("/etc", content / "practices" / "etc")
    result = run(content)
    assert (
        "content/countries/GBR.yaml:1:1: error[symlink]: symbolic links are not allowed in the content "
        "folder, and this one was not read" in lines(result)
    )
    assert any(line.startswith("content/practices/etc:1:1: error[symlink]") for line in lines(result))
    assert "root:" not in "\n".join(d.format() for d in result.diagnostics)


def test_fifo_is_refused_without_blocking(make_site: Callable[[Files], Path]) -> None:
    content = make_site({})
    os.mkfifo(content / "countries" / "UGA.yaml")
    result = run(content)
    assert "content/countries/UGA.yaml:1:1: error[not-a-file]: this is not a regular file and is refused" in lines(
        result
    )


def test_all_problems_are_reported_together_sorted(make_site: Callable[[Files], Path]) -> None:
    content = make_site(
        {
            INIT: initiative(countries="[XYZ, NO]", targets='[3.10, "9.9"]', kind="strategi", titel='"x"'),
            "data/internet-users.csv": "country,year,value\nFOO,2020,5\nUGA,2020,500\n",
        }
    )
    got = lines(run(content))
    assert got == sorted(got, key=lambda s: (s.split(":")[0], int(s.split(":")[1]), int(s.split(":")[2])))
    codes = [line.split("[")[1].split("]")[0] for line in got]
    for code in (
        "unknown-country",
        "invalid-country-code",
        "ambiguous-number",
        "unknown-target",
        "invalid-value",
        "unknown-field",
        "out-of-range",
    ):
        assert code in codes, got


def test_did_you_mean_hints(make_site: Callable[[Files], Path]) -> None:
    result = run(make_site({INIT: initiative(countries="[Kenya, NO, ug]", titel='"x"', kind="strategi")}))
    hints = {d.code + ":" + str(d.col): d.hint for d in result.diagnostics}
    assert hints["invalid-country-code:13"].startswith("did you mean 'KEN' (Kenya)?")
    assert hints["invalid-country-code:20"].startswith("did you mean 'NOR'? ('NO' is the two-letter code.)")
    assert hints["unknown-field:1"].startswith("did you mean 'title'?")
    assert hints["invalid-value:7"].startswith("did you mean 'strategy'?")


def test_warnings_become_errors_with_strict(tmp_path: Path) -> None:
    files: Files = {INIT: initiative(url=None), "data/internet-users.csv": "country,year,value\nUGA,2001,5\n"}
    content = write_site(tmp_path, files)
    relaxed = run(content)
    assert relaxed.errors == 0
    assert f"{P}:1:1: warning[missing-url]: this initiative has no url" in lines(relaxed)
    assert (
        "content/data/internet-users.csv:2:1: warning[stale-statistic]: 1 country has no internet-users "
        "value newer than 2015: UGA 2001 (line 2)"
    ) in lines(relaxed)
    strict = run(content, strict=True)
    assert strict.errors == relaxed.warnings == 2
    assert f"{P}:1:1: error[missing-url]: this initiative has no url" in lines(strict)


def test_inline_value_that_is_not_a_number(make_site: Callable[[Files], Path]) -> None:
    result = run(make_site({"countries/KEN.yaml": KEN.replace("value: 40.8", "value: 1,5")}))
    assert (
        "content/countries/KEN.yaml:11:12: error[invalid-number]: value: '1,5' is not a number "
        "(or true/false for a yes-no indicator)"
    ) in lines(result)


def test_duplicate_id_is_reported_even_when_both_files_have_errors(make_site: Callable[[Files], Path]) -> None:
    result = run(make_site({"initiatives/kenya-plan.yaml": 'title: "x"\n'}))
    assert (
        "content/initiatives/kenya-plan.yaml:1:1: error[duplicate-id]: the initiative 'kenya-plan' is already "
        "defined in content/initiatives/kenya-plan.md"
    ) in lines(result)
    assert "content/initiatives/kenya-plan.yaml:1:1: error[missing-field]: the required field 'lead' is missing" in (
        lines(result)
    )


def test_problem_in_a_yaml_body_field_is_located_in_the_file(make_site: Callable[[Files], Path]) -> None:
    """Lines inside `body: |` count from the line after the '|', columns from its indentation."""
    guide = (TESTS / "fixtures/tiny/content/practices/guide.yaml").read_text()
    deep = guide + "  " + "> " * 20 + "deep\n"
    result = run(make_site({"practices/guide.yaml": deep}))
    assert "content/practices/guide.yaml:11:3: error[markdown-too-deep]: quotes are nested 20 levels deep" in lines(
        result
    )
