"""The YAML test suite's error cases through `connect-site check`, in a YAML entry and in a front
matter: each exits 1, without a traceback, with what tests/fixtures/yaml-test-suite/expected.txt
says (file:line:col and first line), and no message left in libyaml's own words.

The cases are copied into tests/fixtures/yaml-test-suite (README.md there gives the source).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TESTS, TINY
from connect_site import cli
from connect_site.content import yamlerrors

SUITE = TESTS / "fixtures" / "yaml-test-suite"
EXPECTED = SUITE / "expected.txt"
CASES = sorted(p.stem for p in (SUITE / "cases").glob("*.yaml"))
PLACES = {"yaml": "practices/yts-{id}.yaml", "front-matter": "initiatives/yts-{id}.md"}

# Every message of libyaml (src/scanner.c, src/parser.c, src/reader.c; the nesting limit as
# PyYAML's libyaml 0.2.6 words it and as libyaml's main branch does), problems and contexts:
# none may reach a contributor.
LIBYAML_PROBLEMS = [
    "found character that cannot start any token",
    "could not find expected ':'",
    "block sequence entries are not allowed in this context",
    "mapping keys are not allowed in this context",
    "mapping values are not allowed in this context",
    "found unknown directive name",
    "did not find expected comment or line break",
    "could not find expected directive name",
    "found unexpected non-alphabetical character",
    "did not find expected digit or '.' character",
    "found extremely long version number",
    "did not find expected version number",
    "did not find expected whitespace",
    "did not find expected whitespace or line break",
    "did not find expected alphabetic or numeric character",
    "did not find the expected '>'",
    "did not find expected '!'",
    "did not find expected tag URI",
    "did not find URI escaped octet",
    "found an incorrect leading UTF-8 octet",
    "found an incorrect trailing UTF-8 octet",
    "found an indentation indicator equal to 0",
    "found a tab character where an indentation space is expected",
    "found unexpected document indicator",
    "found unexpected end of stream",
    "found unknown escape character",
    "did not find expected hexdecimal number",
    "found invalid Unicode character escape code",
    "found unexpected ':'",
    "found a tab character that violates indentation",
    "exceeded maximum nesting depth",
    "Maximum nesting level reached, set with yaml_set_max_nest_level())",
    "did not find expected <stream-start>",
    "did not find expected <document start>",
    "found undefined tag handle",
    "did not find expected node content",
    "did not find expected '-' indicator",
    "did not find expected key",
    "did not find expected ',' or ']'",
    "did not find expected ',' or '}'",
    "found duplicate %YAML directive",
    "found incompatible YAML document",
    "found duplicate %TAG directive",
    "input error",
    "invalid leading UTF-8 octet",
    "incomplete UTF-8 octet sequence",
    "invalid trailing UTF-8 octet",
    "invalid length of a UTF-8 sequence",
    "invalid Unicode character",
    "incomplete UTF-16 character",
    "unexpected low surrogate area",
    "incomplete UTF-16 surrogate pair",
    "expected low surrogate area",
    "control characters are not allowed",
    "input is too long",
]
LIBYAML_CONTEXTS = [
    "while scanning for the next token",
    "while scanning a simple key",
    "while scanning a directive",
    "while scanning a %YAML directive",
    "while scanning a %TAG directive",
    "while scanning an anchor",
    "while scanning an alias",
    "while scanning a tag",
    "while scanning a tag directive",
    "while parsing a tag directive",
    "while parsing a %TAG directive",
    "while parsing a tag",
    "while scanning a block scalar",
    "while scanning a quoted scalar",
    "while parsing a quoted scalar",
    "while scanning a plain scalar",
    "while increasing flow level",
    "while increasing block level",
    "while parsing a node",
    "while parsing a block node",
    "while parsing a flow node",
    "while parsing a block collection",
    "while parsing a block mapping",
    "while parsing a flow sequence",
    "while parsing a flow mapping",
]
LIBYAML_WORDS = LIBYAML_PROBLEMS + LIBYAML_CONTEXTS


def in_libyaml_words(text: str) -> list[str]:
    return [words for words in LIBYAML_WORDS if words in text]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("suite") / "content"
    shutil.copytree(TINY, content)
    return content


def place(case: str, where: str) -> tuple[str, bytes]:
    """The file that holds `case` (path inside content/) and its bytes. In a front matter, the
    fence plays the part of a first line '---'."""
    data = (SUITE / "cases" / f"{case}.yaml").read_bytes()
    if where == "front-matter":
        data = b"---\n" + data.removeprefix(b"---\n") + (b"" if data.endswith(b"\n") else b"\n") + b"---\nBody.\n"
    return PLACES[where].format(id=case.lower()), data


def check_one(content: Path, case: str, where: str) -> tuple[int, list[dict[str, str]], str]:
    """Exit status, the diagnostics of the case's file, and stderr of `check --format json`."""
    rel, data = place(case, where)
    path = content / rel
    path.write_bytes(data)
    try:
        result = CliRunner().invoke(cli.main, ["check", "--content", str(content), "--format", "json"])
    finally:
        path.unlink()
    shown = f"{content.as_posix()}/{rel}"
    mine = [d for d in json.loads(result.stdout)["diagnostics"] if d["path"] == shown] if result.stdout else []
    return result.exit_code, mine, result.stderr


def first_lines(case: str, where: str, diagnostics: list[dict[str, str]]) -> list[str]:
    return [
        f"{case} {where}: {d['line']}:{d['col']}: {d['severity']}[{d['code']}]: {d['message']}" for d in diagnostics
    ]


def expected() -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        case, where = line.split(":", 1)[0].split(" ")
        out.setdefault((case, where), []).append(line)
    return out


def test_the_suite_is_copied_whole() -> None:
    assert len(CASES) == 94
    assert (SUITE / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert set(expected()) == {(case, where) for case in CASES for where in PLACES}


def test_every_libyaml_message_is_in_the_table_or_cannot_be_met() -> None:
    mapped = {problem for problem, _ in yamlerrors.PLAIN}
    unreachable = {key.split(" (")[0] for key in yamlerrors.UNREACHABLE}
    assert [p for p in LIBYAML_PROBLEMS if p not in mapped | unreachable] == []
    assert {problem for problem, _ in yamlerrors.PLAIN} <= set(LIBYAML_PROBLEMS)
    assert {context for _, context in yamlerrors.PLAIN} - {""} <= set(LIBYAML_CONTEXTS)


@pytest.mark.parametrize("where", list(PLACES))
@pytest.mark.parametrize("case", CASES)
def test_suite_case(site: Path, case: str, where: str) -> None:
    status, diagnostics, stderr = check_one(site, case, where)
    assert status == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert first_lines(case, where, diagnostics) == expected()[(case, where)]
    words = [(d["message"], found) for d in diagnostics for found in in_libyaml_words(d["message"] + d["hint"])]
    assert words == [], "still in libyaml's words"
    assert all(d["hint"] for d in diagnostics)


def test_all_cases_in_one_run_each_file_reported(site: Path, tmp_path: Path) -> None:
    """One run over all 188 broken files: each has its errors, and no more, in the same run."""
    content = tmp_path / "content"
    shutil.copytree(site, content)
    for case in CASES:
        for where in PLACES:
            rel, data = place(case, where)
            (content / rel).write_bytes(data)
    result = CliRunner().invoke(cli.main, ["check", "--content", str(content), "--format", "json"])
    assert result.exit_code == 1, result.stderr
    diagnostics = json.loads(result.stdout)["diagnostics"]
    got = [
        line
        for case in CASES
        for where in PLACES
        for line in first_lines(
            case, where, [d for d in diagnostics if d["path"] == f"{content.as_posix()}/{place(case, where)[0]}"]
        )
    ]
    assert got == [line for lines in expected().values() for line in lines]
    assert [found for d in diagnostics for found in in_libyaml_words(d["message"] + d["hint"])] == []


def regenerate() -> None:
    """Write expected.txt from what `check` reports now (make golden)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "content"
        shutil.copytree(TINY, work)
        out = []
        for case in CASES:
            for where in PLACES:
                _, diagnostics, _ = check_one(work, case, where)
                out += first_lines(case, where, diagnostics)
    EXPECTED.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {EXPECTED}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--regenerate"]:
        regenerate()
    else:
        sys.exit(f"usage: python {sys.argv[0]} --regenerate")
