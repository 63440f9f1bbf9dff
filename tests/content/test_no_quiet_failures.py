"""Nothing is skipped or accepted quietly: a folder that cannot be read, a folder too deep, a
hard link, a base_url the sitemap cannot carry, and web addresses a reader cannot trust are
each a located error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import TINY, lines, run, write_site
from connect_site.pipeline import build

PLAN = (TINY / "initiatives/kenya-plan.md").read_text(encoding="utf-8")
SITE = (TINY / "site.yaml").read_text(encoding="utf-8")


def test_a_hard_link_is_refused_like_a_symlink(tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text(PLAN.replace("Kenya digital plan", "Secret"), encoding="utf-8")
    content = write_site(tmp_path, {})
    os.link(outside, content / "initiatives/linked.md")
    found = lines(run(content))
    assert (
        "content/initiatives/linked.md:1:1: error[hard-link]: this file is a hard link (it has other names on the"
        " disk), and was not read"
    ) in found, found


def test_an_unreadable_folder_is_an_error_not_a_skip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_site(tmp_path, {"practices/more/x.yaml": "title: x\n"})
    blocked = content / "practices" / "more"
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(str(path)) == blocked:  # as a folder without the read permission (tests may run as root)
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    found = lines(run(content))
    assert "content/practices/more:1:1: error[unreadable]: the folder cannot be read: Permission denied" in found


def test_folders_too_deep_are_an_error(tmp_path: Path) -> None:
    deep = "initiatives/" + "/".join(f"d{i}" for i in range(40)) + "/x.md"
    content = write_site(tmp_path, {deep: PLAN})
    found = [line for line in lines(run(content)) if "too-deep" in line]
    assert found == [
        "content/initiatives/d0/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15:1:1: error[too-deep]: folders"
        " are nested more than 16 levels deep here, and were not read"
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user:secret@example.org/", "'https://user:secret@example.org/' contains a user name or password"),
        ("https://good.example\\@evil.example/", "contains a user name or password before '@'"),
        ("https://example.org\\evil/", "'https://example.org\\evil/' contains a backslash"),
        ("https://example.org:99999/", "'https://example.org:99999/' has an invalid port number"),
    ],
    ids=["credentials", "backslash-at", "backslash", "port"],
)
def test_web_addresses_a_reader_can_trust(tmp_path: Path, url: str, expected: str) -> None:
    quoted = "'" + url + "'"  # single quotes: a backslash is itself there
    content = write_site(tmp_path, {"initiatives/kenya-plan.md": PLAN.replace('"https://example.org/ken"', quoted)})
    found = [line for line in lines(run(content)) if line.startswith("content/initiatives/kenya-plan.md:9:6: error[")]
    assert len(found) == 1 and expected in found[0], lines(run(content))


def test_a_host_in_another_script_is_shown_as_punycode(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"initiatives/kenya-plan.md": PLAN.replace("example.org/ken", "exаmple.org/ken")})
    result = run(content)  # the "а" is Cyrillic: a look-alike of example.org
    assert result.site is not None and not lines(result)
    assert result.site.initiatives["kenya-plan"].url == "https://xn--exmple-4nf.org/ken"
    assert build(content, tmp_path / "out", display_root="content", jobs=1).ok
    page = (tmp_path / "out/initiatives/kenya-plan/index.html").read_text(encoding="utf-8")
    assert "xn--exmple-4nf.org" in page and "exаmple" not in page


@pytest.mark.parametrize("base", ['https://example.org/a"b/', "https://example.org/?x=1", "https://example.org/#top"])
def test_base_url_is_one_the_sitemap_can_carry(tmp_path: Path, base: str) -> None:
    content = write_site(tmp_path, {"site.yaml": SITE.replace('"https://example.org/tiny/"', "'" + base + "'")})
    found = lines(run(content))
    assert any(
        line.startswith("content/site.yaml:2:11: error[invalid-url]") and "cannot be the site's address" in line
        for line in found
    ), found


def test_goal_value_is_checked_against_its_unit(tmp_path: Path) -> None:
    target = (TINY / "targets/1.4.yaml").read_text(encoding="utf-8").replace("goal_value: 70", "goal_value: 170")
    found = lines(run(write_site(tmp_path, {"targets/1.4.yaml": target})))
    assert found == [
        "content/targets/1.4.yaml:16:17: error[out-of-range]: goal_value: 170 is outside the range of percent (0..100)"
    ]


def test_a_value_just_out_of_range_is_shown_as_written(tmp_path: Path) -> None:
    csv = (TINY / "data/internet-users.csv").read_text(encoding="utf-8") + "UGA,2020,100.0001,,\n"
    found = lines(run(write_site(tmp_path, {"data/internet-users.csv": csv})))
    assert found == [
        "content/data/internet-users.csv:5:10: error[out-of-range]: 100.0001 is outside the range of percent (0..100)"
    ]


def test_an_invisible_character_in_a_code_is_named(tmp_path: Path) -> None:
    plan = PLAN.replace("countries: [ken]", 'countries: ["K\u200bEN"]')
    found = run(write_site(tmp_path, {"initiatives/kenya-plan.md": plan})).diagnostics
    assert [d.format() for d in found] == [
        "content/initiatives/kenya-plan.md:3:13: error[invalid-country-code]: countries: 'K\\u200bEN' is not a"
        " three-letter country code (ISO 3166-1 alpha-3, like KEN)\n    hint: the text contains invisible characters"
        " (U+200B) (it is 'KEN' once they are removed): delete them and type it again. Use the ISO 3166-1 alpha-3"
        " code, e.g. KEN for Kenya, FRA for France."
    ]


def test_a_semicolon_csv_is_one_error_with_the_way_out(tmp_path: Path) -> None:
    csv = "country;year;value\nKEN;2022;35,5\nNOR;2023;99\n"
    found = lines(run(write_site(tmp_path, {"data/internet-users.csv": csv})))
    assert found == [
        "content/data/internet-users.csv:1:1: error[csv-semicolons]: the columns are separated by semicolons (;),"
        " not commas"
    ]


def test_a_byte_order_mark_inside_a_file_is_named(tmp_path: Path) -> None:
    csv = (TINY / "data/internet-users.csv").read_text(encoding="utf-8") + "\ufeffUGA,2020,30,,\n"
    found = lines(run(write_site(tmp_path, {"data/internet-users.csv": csv})))
    assert found == [
        "content/data/internet-users.csv:5:1: error[control-character]: the text contains an invisible byte-order"
        " mark inside the file (U+FEFF, byte-order mark), which is not allowed"
    ]


MULTI = 'country,year,note,value,source\nKEN,2022,"a note\nover two lines",35.5,test-src\nUGA,2020,"first line\nsecond line",170,\nUGX,2021,,5,\n'


def test_a_cell_after_a_multi_line_cell_is_located_where_an_editor_shows_it(tmp_path: Path) -> None:
    found = lines(run(write_site(tmp_path, {"data/internet-users.csv": MULTI})))
    assert found == [
        "content/data/internet-users.csv:5:14: error[out-of-range]: 170 is outside the range of percent (0..100)",
        "content/data/internet-users.csv:6:1: error[unknown-country]: unknown country code 'UGX'",
    ]


def test_a_quote_never_closed_is_reported_where_it_was_opened(tmp_path: Path) -> None:
    csv = 'country,year,value,source,note\nKEN,2022,35.5,test-src,"opened\nNOR,2023,99,,\nUGA,2020,30,,\n'
    found = run(write_site(tmp_path, {"data/internet-users.csv": csv})).diagnostics
    assert [d.format() for d in found] == [
        'content/data/internet-users.csv:2:24: error[csv-syntax]: CSV syntax error: the quote (") opened here is'
        " never closed\n    hint: Close it at the end of the cell. The rest of the file, to line 4, was read as one cell."
    ]
