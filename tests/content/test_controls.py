"""No control or bidi character reaches a page or a terminal: `check` refuses them where they
stand (a YAML value, raw or escaped; a Markdown body; a CSV cell), and what it echoes of a
contributor's text or a file name is printed escaped."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TINY, lines, run, write_site
from connect_site.cli import main
from connect_site.errors import Diagnostic, Severity, printable

PLAN = (TINY / "initiatives/kenya-plan.md").read_text(encoding="utf-8")
GUIDE = (TINY / "practices/guide.yaml").read_text(encoding="utf-8")
CSV = (TINY / "data/internet-users.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"practices/guide.yaml": GUIDE.replace("\n", '\nsummary: "Bell\\a and \\e[2K erase"\n', 1)},
            "content/practices/guide.yaml:2:10: error[control-character]: the text contains an invisible control"
            " character (U+0007, bell), written as an escape, which is not allowed",
        ),
        (
            {"practices/guide.yaml": GUIDE.replace("\n", '\nsummary: "nul \\0 here"\n', 1)},
            "content/practices/guide.yaml:2:10: error[control-character]: the text contains an invisible control"
            " character (U+0000, NUL), written as an escape, which is not allowed",
        ),
        (
            {"initiatives/kenya-plan.md": PLAN.replace('title: "Kenya digital plan"', 'title: "Kenya \u202edigital"')},
            "content/initiatives/kenya-plan.md:2:15: error[control-character]: the text contains a direction (bidi)"
            " character (U+202E, right-to-left override), which is not allowed",
        ),
        (
            {"initiatives/kenya-plan.md": PLAN + "\nSecond line with \x1b[31m red.\n"},
            "content/initiatives/kenya-plan.md:13:18: error[control-character]: the text contains an invisible"
            " control character (U+001B, escape), which is not allowed",
        ),
        (
            {"initiatives/kenya-plan.md": PLAN.replace("\n", "\r\n") + "\r\nbell \x07\r\n"},
            "content/initiatives/kenya-plan.md:13:6: error[control-character]: the text contains an invisible"
            " control character (U+0007, bell), which is not allowed",
        ),
        (
            {"data/internet-users.csv": CSV + 'UGA,2020,30,test-src,"note\x1b[2K"\n'},
            "content/data/internet-users.csv:5:27: error[control-character]: the text contains an invisible"
            " control character (U+001B, escape), which is not allowed",
        ),
        (
            {"practices/guide.yaml": GUIDE.replace("\n", '\nsummary: "an isolate \\u2067 here"\n', 1)},
            "content/practices/guide.yaml:2:10: error[control-character]: the text contains a direction (bidi)"
            " character (U+2067, right-to-left isolate), written as an escape, which is not allowed",
        ),
        (  # YAML would count U+2028 as a line break; every later line number would be off by one
            {"practices/guide.yaml": GUIDE.replace("\n", '\nsummary: "one\u2028two"\n', 1) + "kind: [x\n"},
            "content/practices/guide.yaml:2:14: error[control-character]: the text contains an invisible line"
            " separator (U+2028, line separator), which is not allowed",
        ),
        (
            {"initiatives/kenya-plan.md": PLAN.replace("countries: [ken]", "countries: [ken]\x85")},
            "content/initiatives/kenya-plan.md:3:17: error[control-character]: the text contains an invisible line"
            " separator (U+0085, next line), which is not allowed",
        ),
        (
            {"initiatives/kenya-plan.md": PLAN + "\npara\u2029graph\n"},
            "content/initiatives/kenya-plan.md:13:5: error[control-character]: the text contains an invisible line"
            " separator (U+2029, paragraph separator), which is not allowed",
        ),
    ],
    ids=[
        "yaml-bell-escape",
        "yaml-nul-escape",
        "front-matter-bidi",
        "body-escape",
        "crlf-body-bell",
        "csv-cell",
        "isolate",
        "yaml-u2028",
        "yaml-nel",
        "body-u2029",
    ],
)
def test_control_characters_are_refused_where_they_stand(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    found = lines(run(write_site(tmp_path, files)))
    assert expected in found, found


def test_a_nul_hidden_in_a_link_scheme_is_refused(tmp_path: Path) -> None:
    """Once an XSS payload of the gates' corpus ("java\\0script:"): now it never reaches Markdown."""
    guide = GUIDE.split("body:")[0] + 'body: "[click](java\\0script:alert(1))"\n'
    found = lines(run(write_site(tmp_path, {"practices/guide.yaml": guide})))
    line = len(guide.splitlines())
    assert found == [
        f"content/practices/guide.yaml:{line}:7: error[control-character]: the text contains an invisible control"
        " character (U+0000, NUL), written as an escape, which is not allowed"
    ]


def test_an_escaped_line_separator_is_refused(tmp_path: Path) -> None:
    """Once a case of the gates' XSS corpus: a title "Line\\u2028separator </script>"."""
    plan = PLAN.replace('title: "Kenya digital plan"', 'title: "Line\\u2028separator </script>"')
    found = lines(run(write_site(tmp_path, {"initiatives/kenya-plan.md": plan})))
    assert found == [
        "content/initiatives/kenya-plan.md:2:8: error[control-character]: the text contains an invisible line"
        " separator (U+2028, line separator), written as an escape, which is not allowed"
    ]


def test_right_to_left_text_and_marks_are_kept(tmp_path: Path) -> None:
    """Arabic needs no override; the right-to-left mark (U+200F) and tabs stay allowed."""
    guide = GUIDE.replace("\n", '\nsummary: "دليل الشبكات المجتمعية\u200f\tمع علامة"\n', 1)
    assert not [line for line in lines(run(write_site(tmp_path, {"practices/guide.yaml": guide}))) if "error" in line]


def test_what_check_prints_cannot_drive_the_terminal() -> None:
    d = Diagnostic("content/a\nb.md", 1, 1, Severity.ERROR, "x", "'\x1b[2Kevil' is wrong\nforged: line", "\u202ehint")
    text = d.format()
    assert text == (
        "content/a\\u000ab.md:1:1: error[x]: '\\u001b[2Kevil' is wrong\\u000aforged: line\n    hint: \\u202ehint"
    )
    assert printable("plain العربية text") == "plain العربية text"


def test_a_file_name_with_a_newline_is_printed_on_one_line(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"initiatives/bad\nname.md": PLAN})
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    assert result.exit_code == 1
    named = [line for line in result.output.splitlines() if "bad" in line]
    assert named and all("bad\\u000aname.md" in line for line in named), result.output
