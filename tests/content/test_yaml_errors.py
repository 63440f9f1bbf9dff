"""Every libyaml syntax error in plain words, at the place to fix: one broken file per row of
`yamlerrors.PLAIN`, as a YAML file and as a Markdown front matter, each with its exact first
line and position; then the likely causes found before the table (a quote or bracket left
open, text after a closing quote), and one error per mistake, the other files still checked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, Files, lines, run
from connect_site.content import yamlerrors, yamlload
from connect_site.content.yamlload import YamlProblem

# (libyaml's problem, context), a broken countries/KEN.yaml, and (line, col, message after
# "YAML syntax error: ") as reported for it; {line} is the line reported
ROWS: list[tuple[tuple[str, str], str, tuple[int, int, str]]] = [
    (
        ("found character that cannot start any token", "while scanning for the next token"),
        "name: Kenya\nsummary: @ITU on social media\n",
        (2, 10, "a value or a field name cannot start with '@'"),
    ),
    (
        ("could not find expected ':'", "while scanning a simple key"),
        "name: Kenya\nsummary The country\nsource: itu\n",
        (2, 1, "the ':' after the field name is missing on this line"),
    ),
    (
        ("block sequence entries are not allowed in this context", ""),
        "name: Kenya\nsummary: - first\n",
        (2, 10, "a list item ('- ') cannot start here"),
    ),
    (
        ("mapping keys are not allowed in this context", ""),
        "name: Kenya\nsummary: ? to be confirmed\n",
        (2, 10, "a value cannot start with '? ' here"),
    ),
    (
        ("mapping values are not allowed in this context", ""),
        "name: Kenya\nsummary: Kenya: the plan\n",
        (2, 15, "this ': ' is inside a value, and YAML cannot start a new field there"),
    ),
    (
        ("found unknown directive name", "while scanning a directive"),
        "%20 of households\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("did not find expected comment or line break", "while scanning a directive"),
        "%YAML 1.1x\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("could not find expected directive name", "while scanning a directive"),
        "% of households\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("found unexpected non-alphabetical character", "while scanning a directive"),
        "%Y!x\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("did not find expected digit or '.' character", "while scanning a %YAML directive"),
        "%YAML 1x\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("found extremely long version number", "while scanning a %YAML directive"),
        "%YAML 1.1234567890\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("did not find expected version number", "while scanning a %YAML directive"),
        "%YAML x\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("did not find expected whitespace", "while scanning a %TAG directive"),
        "%TAG !x!\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("did not find expected whitespace or line break", "while scanning a %TAG directive"),
        '%TAG ! a"b\nname: Kenya\n',
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("did not find expected '!'", "while scanning a tag directive"),
        "%TAG x y\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("did not find expected '!'", "while parsing a tag directive"),
        "%TAG !x y\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("did not find expected tag URI", "while parsing a %TAG directive"),
        "%TAG ! \nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("did not find URI escaped octet", "while parsing a %TAG directive"),
        "%TAG ! %zz\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("found an incorrect leading UTF-8 octet", "while parsing a %TAG directive"),
        "%TAG ! %ff\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("found an incorrect trailing UTF-8 octet", "while parsing a %TAG directive"),
        "%TAG ! %c3%28\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("did not find expected alphabetic or numeric character", "while scanning an anchor"),
        "name: Kenya\nsummary: & partners\n",
        (2, 10, "a value that starts with '&' must be put in quotes"),
    ),
    (
        ("did not find expected alphabetic or numeric character", "while scanning an alias"),
        "name: Kenya\nsummary: *new* in 2024\n",
        (2, 10, "a value that starts with '*' must be put in quotes"),
    ),
    (
        ("did not find the expected '>'", "while scanning a tag"),
        "name: Kenya\nsummary: !<x y\n",
        (2, 10, "a value that starts with '!' must be put in quotes"),
    ),
    (
        ("did not find expected whitespace or line break", "while scanning a tag"),
        "name: Kenya\nsummary: !important, read first\n",
        (2, 10, "a value that starts with '!' must be put in quotes"),
    ),
    (
        ("did not find expected tag URI", "while parsing a tag"),
        "name: Kenya\nsummary: !<>\n",
        (2, 10, "a value that starts with '!' must be put in quotes"),
    ),
    (
        ("did not find URI escaped octet", "while parsing a tag"),
        "name: Kenya\nsummary: !100%sure\n",
        (2, 10, "a value that starts with '!' must be put in quotes"),
    ),
    (
        ("found an incorrect leading UTF-8 octet", "while parsing a tag"),
        "name: Kenya\nsummary: !%ff\n",
        (2, 10, "a value that starts with '!' must be put in quotes"),
    ),
    (
        ("found an incorrect trailing UTF-8 octet", "while parsing a tag"),
        "name: Kenya\nsummary: !%c3%28\n",
        (2, 10, "a value that starts with '!' must be put in quotes"),
    ),
    (
        ("found an indentation indicator equal to 0", "while scanning a block scalar"),
        "name: Kenya\nsummary: |0\n  The country.\n",
        (2, 10, "a block of text cannot start with '|0'"),
    ),
    (
        ("did not find expected comment or line break", "while scanning a block scalar"),
        "name: Kenya\nsummary: | The country.\n",
        (2, 10, "the '|' that starts a block of text must end its line"),
    ),
    (
        ("found a tab character where an indentation space is expected", "while scanning a block scalar"),
        "name: Kenya\nsummary: |\n  The country\n\tand more.\n",
        (4, 1, "this line has a tab character (column 1), and YAML does not accept tabs"),
    ),
    (
        ("found unexpected document indicator", "while scanning a quoted scalar"),
        'name: Kenya\nsummary: "The country\n---\nand more."\n',
        (2, 10, 'the " opened here is never closed'),
    ),
    (
        ("found unexpected end of stream", "while scanning a quoted scalar"),
        'name: Kenya\nsummary: "The country.\n',
        (2, 10, 'the " opened here is never closed'),
    ),
    (
        ("found unknown escape character", "while parsing a quoted scalar"),
        'name: Kenya\nsummary: "See C:\\docs"\n',
        (2, 17, "this backslash (\\) in double quotes is not followed by a known escape"),
    ),
    (
        ("did not find expected hexdecimal number", "while parsing a quoted scalar"),
        'name: Kenya\nsummary: "100\\x4 more"\n',
        (2, 14, "this escape (\\x, \\u or \\U) in double quotes is not followed by hexadecimal digits"),
    ),
    (
        ("found invalid Unicode character escape code", "while parsing a quoted scalar"),
        'name: Kenya\nsummary: "\\ud800"\n',
        (2, 11, "this escape (\\u or \\U) in double quotes is not a valid character"),
    ),
    (
        ("found unexpected ':'", "while scanning a plain scalar"),
        "name: Kenya\nsource: [itu, wb:]\n",
        (2, 17, "a ':' inside brackets must be followed by a space"),
    ),
    (
        ("found a tab character that violates indentation", "while scanning a plain scalar"),
        "name: Kenya\nsummary: The country\n\tand more.\n",
        (3, 1, "this line has a tab character (column 1), and YAML does not accept tabs"),
    ),
    (
        ("exceeded maximum nesting depth", "while increasing flow level"),
        "name: Kenya\nsummary: " + "[" * 1001 + "\n",
        (2, 1009, "the lists and mappings here are nested 1,000 levels deep"),
    ),
    (
        ("did not find expected <document start>", ""),
        "  name: Kenya\nsummary: The country.\n",
        (2, 1, "this line is outside the fields that the file starts with"),
    ),
    (
        ("found undefined tag handle", "while parsing a node"),
        "name: Kenya\nsummary: !x!y The country.\n",
        (2, 10, "a value that starts with '!' must be put in quotes"),
    ),
    (
        ("did not find expected node content", "while parsing a block node"),
        "name: Kenya\nsummary: ]\n",
        (2, 10, "a value is missing here, before ']'"),
    ),
    (
        ("did not find expected node content", "while parsing a flow node"),
        "name: Kenya\nsource: [itu, , wb]\n",
        (2, 15, "a value is missing here, before ','"),
    ),
    (
        ("did not find expected '-' indicator", "while parsing a block collection"),
        "statistics:\n  - indicator: internet-users\n   year: 2020\n",
        (3, 4, "this line is not lined up with the list above it"),
    ),
    (
        ("did not find expected key", "while parsing a block mapping"),
        "name: Kenya\nevidence:\n  title: Plan\n url: https://example.org\n",
        (4, 2, "this line is not lined up with the fields above it"),
    ),
    (
        ("did not find expected ',' or ']'", "while parsing a flow sequence"),
        "source: [itu, wb\nname: Kenya\n",
        (1, 9, "the '[' on line {line} is never closed"),
    ),
    (
        ("did not find expected ',' or '}'", "while parsing a flow mapping"),
        "evidence: {title: Plan\nname: Kenya\n",
        (1, 11, "the '{{' on line {line} is never closed"),
    ),
    (
        ("found duplicate %YAML directive", ""),
        "%YAML 1.1\n%YAML 1.1\nname: Kenya\n",
        (2, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("found incompatible YAML document", ""),
        "%YAML 2.0\nname: Kenya\n",
        (1, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("found duplicate %TAG directive", ""),
        "%TAG ! a\n%TAG ! b\nname: Kenya\n",
        (2, 1, "a line that starts with '%' before the fields is a YAML directive, and this one cannot be read"),
    ),
    (
        ("control characters are not allowed", ""),
        "name: Kenya\nsummary: The\x01 country.\n",
        (2, 13, "this line contains an invisible control character (U+0001)"),
    ),
]
# Not reachable through `check`: the depth limit of the loader (24) stops a block nested this
# deep first. load() with a larger limit meets it.
BLOCK_DEPTH = ("exceeded maximum nesting depth", "while increasing block level")

KEN = "countries/KEN.yaml"
INIT = "initiatives/kenya-plan.md"


def libyaml_error(text: str) -> tuple[str, str]:
    """(problem, context) of the error libyaml itself gives for `text`."""
    try:
        list(yaml.parse(text, Loader=yaml.CSafeLoader))
    except yaml.MarkedYAMLError as exc:
        return (exc.problem or "", exc.context or "")
    except yaml.reader.ReaderError as exc:
        return (exc.reason, "")
    return ("", "")


def front_matter(text: str) -> str:
    return f"---\n{text}---\nBody.\n"


def test_every_row_of_the_table_has_a_case() -> None:
    assert {key for key, _, _ in ROWS} | {BLOCK_DEPTH} == set(yamlerrors.PLAIN)


def test_every_message_of_the_table_is_in_the_installed_libyaml() -> None:
    """The table is keyed by the words of the libyaml that PyYAML ships: a new version shows here."""
    binary = Path(yaml._yaml.__file__).read_bytes()  # type: ignore[attr-defined]
    for problem, context in yamlerrors.PLAIN:
        assert problem.encode() in binary and context.encode() in binary, (problem, context)


@pytest.mark.parametrize(("key", "text", "expected"), ROWS, ids=[f"{k[0]} ({k[1]})" for k, _, _ in ROWS])
def test_row_in_a_yaml_file_and_in_front_matter(
    make_site: Callable[[Files], Path], key: tuple[str, str], text: str, expected: tuple[int, int, str]
) -> None:
    assert libyaml_error(text) == key, "the case no longer gives its row's error"
    line, col, message = expected
    result = run(make_site({KEN: text, INIT: front_matter(text)}))
    assert lines(result) == [
        f"content/{KEN}:{line}:{col}: error[yaml-syntax]: YAML syntax error: {message.format(line=line)}",
        f"content/{INIT}:{line + 1}:{col}: error[yaml-syntax]: YAML syntax error: {message.format(line=line + 1)}",
    ]
    assert all(d.hint for d in result.diagnostics)


def test_block_nesting_past_libyaml_s_limit() -> None:
    text = "".join(" " * i + "a:\n" for i in range(1100))
    assert libyaml_error(text) == BLOCK_DEPTH
    with pytest.raises(YamlProblem) as info:
        yamlload.load(text, max_depth=5000)
    problem = info.value
    assert (problem.line, problem.col) == (1000, 1001)
    assert problem.message == "YAML syntax error: the lists and mappings here are nested 1,000 levels deep"


# A mistake that the events before the error show, reported where it was made: (a broken
# countries/KEN.yaml, and line, col and message as reported for it; {line} as above)
CAUSES = [
    (  # the quote reads on to the next quote, on the next line, and the error comes there
        'name: Kenya\nsummary: "The country\nsource: "itu"\n',
        (2, 10, 'the " opened here is not closed on its line'),
    ),
    ("name: Kenya\nsummary: 'The country\n\nsource: 'itu'\n", (2, 10, "the ' opened here is not closed on its line")),
    ("name: Kenya\nsource: [itu,\n", (2, 9, "the '[' on line {line} is never closed")),
    ("name: Kenya\nsource: [\n  itu,\n  # wb\n", (2, 9, "the '[' on line {line} is never closed")),
    ("name: Kenya\nevidence: {title: x, url:\n", (2, 11, "the '{{' on line {line} is never closed")),
    ('name: Kenya\nsummary: "The country" and more\n', (2, 24, 'there is more text after the closing " of the value')),
    ("name: Kenya\nsource: [itu] wb\n", (2, 15, "there is more text after the closing ']' of the value")),
    ('statistics:\n  - "internet-users" 2020\n', (2, 22, 'there is more text after the closing " of the value')),
    # the usual typos, found on the line YAML noticed or just above it
    (
        "name: Kenya\nsummary:The country\nsource: itu\n  x: 1\n",
        (2, 9, "no space after the colon in 'summary:The country'"),
    ),
    (
        "name: Kenya\nstatistics:\n\t- indicator: x\n",
        (3, 1, "this line has a tab character (column 1), and YAML does not accept tabs"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), CAUSES, ids=[str(i) for i in range(len(CAUSES))])
def test_likely_cause_in_a_yaml_file_and_in_front_matter(
    make_site: Callable[[Files], Path], text: str, expected: tuple[int, int, str]
) -> None:
    line, col, message = expected
    result = run(make_site({KEN: text, INIT: front_matter(text)}))
    assert lines(result) == [
        f"content/{KEN}:{line}:{col}: error[yaml-syntax]: YAML syntax error: {message.format(line=line)}",
        f"content/{INIT}:{line + 1}:{col}: error[yaml-syntax]: YAML syntax error: {message.format(line=line + 1)}",
    ]


def test_the_issue_s_unclosed_bracket_names_both_lines(make_site: Callable[[Files], Path]) -> None:
    text = front_matter("title: [unclosed\ncountries: [KEN]\nkind: strategy\n")
    [diag] = run(make_site({INIT: text})).diagnostics
    assert diag.format() == (
        f"content/{INIT}:2:8: error[yaml-syntax]: YAML syntax error: the '[' on line 2 is never closed\n"
        "    hint: Line 3 is where YAML noticed. Close it with ']' on the same line, like  [KEN, UGA], or write "
        "the list one item per line, each starting with '- '."
    )


def test_one_error_per_broken_file_and_the_other_files_still_checked(make_site: Callable[[Files], Path]) -> None:
    content = make_site(
        {
            KEN: "name: Kenya\nsummary: Kenya: the plan\nsource: [itu\n",
            INIT: front_matter('title: "Kenya\ncountries: [KEN]\nkind: strategy\n'),
            "practices/broken.yaml": "title: x\n  kind: guide\nthemes: [\n",
            "practices/guide.yaml": (Path(__file__).parent.parent / "fixtures/tiny/content/practices/guide.yaml")
            .read_text()
            .replace("title:", "titel:", 1),
        }
    )
    got = lines(run(content))
    assert got == [
        f"content/{KEN}:2:15: error[yaml-syntax]: YAML syntax error: this ': ' is inside a value, and YAML cannot "
        "start a new field there",
        f'content/{INIT}:2:8: error[yaml-syntax]: YAML syntax error: the " opened here is never closed',
        "content/practices/broken.yaml:2:7: error[yaml-syntax]: YAML syntax error: this ': ' is inside a value, and "
        "YAML cannot start a new field there",
        "content/practices/guide.yaml:1:1: error[unknown-field]: unknown field 'titel' (the required field 'title' "
        "is missing)",
    ]


def test_an_unknown_libyaml_message_keeps_its_words_in_the_hint() -> None:
    rule = yamlerrors.plain("found a new kind of problem", "while scanning")
    assert rule is yamlerrors.FALLBACK
    assert (
        yamlerrors.plain("did not find expected key", "while parsing a new thing")
        is yamlerrors.PLAIN[("did not find expected key", "while parsing a block mapping")]
    )


def test_docs_list_every_row_and_every_message_that_cannot_be_met() -> None:
    doc = (ROOT / "docs" / "yaml-errors.md").read_text(encoding="utf-8")
    for problem, context in yamlerrors.PLAIN:
        assert f"| `{problem}`" + (f" ({context})" if context else "") + " |" in doc, (problem, context)
    for message in yamlerrors.UNREACHABLE:
        assert f"| `{message}` |" in doc, message
