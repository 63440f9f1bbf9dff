"""Bounded work for any input (issue 19, item 2): the diagnostics a run keeps, and the size of the
whole content folder. Each refusal is a located diagnostic; `bench/worst_inputs.py` times the worst
input of each kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TINY, lines, run, write_site
from connect_site import errors
from connect_site.content import read

HEADER = (TINY / "data/internet-users.csv").read_text(encoding="utf-8").splitlines()[0]


def test_a_file_with_thousands_of_bad_rows_lists_a_hundred_and_counts_the_rest(tmp_path: Path) -> None:
    csv = HEADER + "\n" + "".join(f"KEN,2022,3{i}%,,\n" for i in range(3000))  # a '%' in every value
    found = run(write_site(tmp_path, {"data/internet-users.csv": csv})).diagnostics
    mine = [d for d in found if d.path == "content/data/internet-users.csv"]
    assert len(mine) == errors.MAX_PER_FILE + 1
    assert mine[0].format().splitlines()[0] == (
        "content/data/internet-users.csv:2:10: error[wrong-type]: the value must be a number, not '30%'"
    )
    assert [d.line for d in mine[:-1]] == list(range(2, 102))  # the first hundred, in order
    assert mine[-1].format() == (
        f"{mine[-2].location()}: error[too-many-problems]: 2,900 more rows not checked\n"
        "    hint: At most 100 problems of a file and 10,000 in all are listed: fix these (often one mistake"
        " repeated) and run check again."
    )


def test_the_run_keeps_at_most_ten_thousand_in_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(errors, "MAX_DIAGNOSTICS", 3)
    report = errors.Reporter()
    for name in "abcde":
        report.add(f"{name}.yaml", 1, 1, "x", "wrong")
    report.warn("e.yaml", 2, 1, "y", "odd")
    assert report.full("e.yaml")
    report.unchecked("e.yaml")
    assert [d.format().splitlines()[0] for d in report.sorted()] == [
        "a.yaml:1:1: error[x]: wrong",
        "b.yaml:1:1: error[x]: wrong",
        "c.yaml:1:1: error[x]: wrong",
        "d.yaml:1:1: error[too-many-problems]: 1 error more in this file, not listed",
        "e.yaml:1:1: error[too-many-problems]: 1 error, 1 warning more in this file, not listed; 1 more row not checked",
    ]
    assert report.sorted() == report.sorted()  # asking twice says the same


def test_a_content_folder_with_too_many_files_is_one_error_and_nothing_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = write_site(tmp_path, {})
    monkeypatch.setattr(read, "MAX_CONTENT_FILES", 5)
    result = run(content)
    assert result.site is None
    assert [d.format() for d in result.diagnostics] == [
        "content/initiatives/kenya-plan.md:1:1: error[content-too-large]: the content folder holds more than 5 files"
        " (with this file), and nothing was read\n    hint: A pull request adds a few entries or tables; remove"
        " generated or copied files from the content folder."
    ]


def test_a_content_folder_too_large_in_bytes_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_site(tmp_path, {"initiatives/notes.md": "x" * 3 * 2**20})
    monkeypatch.setattr(read, "MAX_CONTENT_BYTES", 2 * 2**20)
    found = lines(run(content))
    assert found == [
        "content/initiatives/notes.md:1:1: error[content-too-large]: the content folder holds more than 2 MiB"
        " (with this file), and nothing was read"
    ]


def test_an_entry_with_thousands_of_unknown_fields_lists_a_hundred(tmp_path: Path) -> None:
    plan = (TINY / "initiatives/kenya-plan.md").read_text(encoding="utf-8")
    extra = "".join(f"k{i}: v\n" for i in range(3000))
    found = lines(run(write_site(tmp_path, {"initiatives/kenya-plan.md": plan.replace("---\n", "---\n" + extra, 1)})))
    assert found[0] == "content/initiatives/kenya-plan.md:2:1: error[unknown-field]: unknown field 'k0'"
    assert len(found) == 101
    assert found[-1] == (
        "content/initiatives/kenya-plan.md:101:1: error[too-many-problems]: 2,900 errors more in this file, not listed"
    )
