"""libyaml's syntax errors in plain words, at the place the contributor must fix.

libyaml (the C parser behind `yaml.CSafeLoader`) stops at the first syntax error with a
*problem* ("did not find expected key"), often a *context* ("while parsing a block
mapping") and two marks: where it noticed the problem, and where the thing it was reading
was opened (the `[`, the quote, the block). Its messages are a closed set, written in
libyaml's src/scanner.c, src/parser.c and src/reader.c; `PLAIN` maps every one this
parser can emit, keyed by (problem, context), to a first line a non-programmer reads, a
hint, and the mark to report. docs/yaml-errors.md lists the table.

In the wordings, {cline} and {ccol} are the context mark (where it was opened), {pline}
and {pcol} the problem mark (where YAML noticed), {char} the character at the reported
mark and {code} its code point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

PROBLEM: Literal["problem"] = "problem"
CONTEXT: Literal["context"] = "context"
BACKSLASH: Literal["backslash"] = "backslash"  # the problem mark, moved back to its escape's backslash


@dataclass(frozen=True)
class Plain:
    """A libyaml error in plain words, and which of its two marks to report."""

    message: str
    hint: str
    mark: Literal["problem", "context", "backslash"] = PROBLEM
    # The wording when the problem is on the line where the context was opened, if it differs
    same_line: Optional[Plain] = None


_DIRECTIVE = Plain(
    "YAML syntax error: a line that starts with '%' before the fields is a YAML directive, and this one cannot be read",
    "Entries need no directives: remove the line. If it is text, put it after its field name in quotes, "
    'like  note: "% of households".',
    CONTEXT,
)
_TAG = Plain(
    "YAML syntax error: a value that starts with '!' must be put in quotes",
    "YAML reads a '!' at the start of a value as a tag. Write the value in double quotes, like  note: \"!Important\".",
    CONTEXT,
)
_TAB = Plain(
    "YAML syntax error: this line is indented with a tab character, and YAML does not accept tabs",
    "Replace the tab with spaces: indent with two spaces per level.",
)
_ESCAPE = (
    "Inside double quotes a backslash starts an escape like \\n. Write a backslash as \\\\, or put the value "
    "in single quotes instead, like  path: 'C:\\docs'."
)
_MISSING = Plain(
    "YAML syntax error: a value is missing here, before '{char}'",
    "A ',' separates two items; ']' and '}}' close a list or mapping opened with '[' or '{{'. "
    "Put a value that starts with one of them in quotes.",
)
_DEPTH = Plain(
    "YAML syntax error: the lists and mappings here are nested 1,000 levels deep",
    "Entries need only a few levels: look for brackets or dashes repeated by mistake.",
)


def _flow(opener: str, closer: str, example: str) -> Plain:
    return Plain(
        f"YAML syntax error: the '{opener}' on line {{cline}} is never closed",
        f"Line {{pline}} is where YAML noticed. Close it with '{closer}' on the same line, like  {example}, "
        "or write the list one item per line, each starting with '- '.",
        CONTEXT,
        same_line=Plain(
            f"YAML syntax error: a ',' or the closing '{closer}' is missing here",
            f"The items between '{opener}' and '{closer}' (column {{ccol}}) are separated by commas, like "
            f" {example}. Put an item that contains a comma or a quote in double quotes.",
        ),
    )


PLAIN: dict[tuple[str, str], Plain] = {
    # --- src/scanner.c
    ("found character that cannot start any token", "while scanning for the next token"): Plain(
        "YAML syntax error: a value or a field name cannot start with '{char}'",
        'Put the value in double quotes, like  note: "{char}...".',
    ),
    ("could not find expected ':'", "while scanning a simple key"): Plain(
        "YAML syntax error: the ':' after the field name is missing on this line",
        "Each line of a set of fields reads 'name: value', with a colon and a space; YAML noticed on line "
        "{pline}. If this line continues the text of the line above, put the whole text in quotes.",
        CONTEXT,
    ),
    ("block sequence entries are not allowed in this context", ""): Plain(
        "YAML syntax error: a list item ('- ') cannot start here",
        "Start each item of a list on a line of its own, under the field name, like  countries:  and then"
        "   - KEN  on the next line. If the value itself starts with '- ', put it in quotes.",
    ),
    ("mapping keys are not allowed in this context", ""): Plain(
        "YAML syntax error: a value cannot start with '? ' here",
        "YAML reads '? ' as the start of a complex key, which entries never need. Put the value in quotes, "
        'like  note: "? to be confirmed".',
    ),
    ("mapping values are not allowed in this context", ""): Plain(
        "YAML syntax error: this ': ' is inside a value, and YAML cannot start a new field there",
        "A value that contains ': ' must be put in double quotes, like  title: \"Digital Kenya: the plan\". "
        "If this line starts a new field, start it in the same column as the field above.",
    ),
    ("found unknown directive name", "while scanning a directive"): _DIRECTIVE,
    ("did not find expected comment or line break", "while scanning a directive"): _DIRECTIVE,
    ("could not find expected directive name", "while scanning a directive"): _DIRECTIVE,
    ("found unexpected non-alphabetical character", "while scanning a directive"): _DIRECTIVE,
    ("did not find expected digit or '.' character", "while scanning a %YAML directive"): _DIRECTIVE,
    ("found extremely long version number", "while scanning a %YAML directive"): _DIRECTIVE,
    ("did not find expected version number", "while scanning a %YAML directive"): _DIRECTIVE,
    ("did not find expected whitespace", "while scanning a %TAG directive"): _DIRECTIVE,
    ("did not find expected whitespace or line break", "while scanning a %TAG directive"): _DIRECTIVE,
    ("did not find expected '!'", "while scanning a tag directive"): _DIRECTIVE,
    ("did not find expected '!'", "while parsing a tag directive"): _DIRECTIVE,
    ("did not find expected tag URI", "while parsing a %TAG directive"): _DIRECTIVE,
    ("did not find URI escaped octet", "while parsing a %TAG directive"): _DIRECTIVE,
    ("found an incorrect leading UTF-8 octet", "while parsing a %TAG directive"): _DIRECTIVE,
    ("found an incorrect trailing UTF-8 octet", "while parsing a %TAG directive"): _DIRECTIVE,
    ("did not find expected alphabetic or numeric character", "while scanning an anchor"): Plain(
        "YAML syntax error: a value that starts with '&' must be put in quotes",
        "YAML reads a '&' at the start of a value as an anchor. Write the value in double quotes, like "
        ' lead: "& partners".',
        CONTEXT,
    ),
    ("did not find expected alphabetic or numeric character", "while scanning an alias"): Plain(
        "YAML syntax error: a value that starts with '*' must be put in quotes",
        "YAML reads a '*' at the start of a value as an alias. Write the value in double quotes, like "
        ' note: "*new* in 2024".',
        CONTEXT,
    ),
    ("did not find the expected '>'", "while scanning a tag"): _TAG,
    ("did not find expected whitespace or line break", "while scanning a tag"): _TAG,
    ("did not find expected tag URI", "while parsing a tag"): _TAG,
    ("did not find URI escaped octet", "while parsing a tag"): _TAG,
    ("found an incorrect leading UTF-8 octet", "while parsing a tag"): _TAG,
    ("found an incorrect trailing UTF-8 octet", "while parsing a tag"): _TAG,
    ("found an indentation indicator equal to 0", "while scanning a block scalar"): Plain(
        "YAML syntax error: a block of text cannot start with '{char}0'",
        "Remove the 0 after the '|' or '>': the text on the next lines is indented by at least one space.",
        CONTEXT,
    ),
    ("did not find expected comment or line break", "while scanning a block scalar"): Plain(
        "YAML syntax error: the '{char}' that starts a block of text must end its line",
        "Start the text on the next line, indented by two spaces. To write the value on one line, remove "
        "the '{char}' and put the text in quotes.",
        CONTEXT,
    ),
    ("found a tab character where an indentation space is expected", "while scanning a block scalar"): _TAB,
    ("found unexpected document indicator", "while scanning a quoted scalar"): Plain(
        "YAML syntax error: the {char} opened here is never closed",
        "YAML read on to the line '---' or '...' on line {pline}. Close the quote at the end of the value.",
        CONTEXT,
    ),
    ("found unexpected end of stream", "while scanning a quoted scalar"): Plain(
        "YAML syntax error: the {char} opened here is never closed",
        "YAML read on to the end of the file. Close the quote at the end of the value.",
        CONTEXT,
    ),
    ("found unknown escape character", "while parsing a quoted scalar"): Plain(
        "YAML syntax error: this backslash (\\) in double quotes is not followed by a known escape",
        _ESCAPE,
        BACKSLASH,
    ),
    ("did not find expected hexdecimal number", "while parsing a quoted scalar"): Plain(
        "YAML syntax error: this escape (\\x, \\u or \\U) in double quotes is not followed by hexadecimal digits",
        _ESCAPE,
        BACKSLASH,
    ),
    ("found invalid Unicode character escape code", "while parsing a quoted scalar"): Plain(
        "YAML syntax error: this escape (\\u or \\U) in double quotes is not a valid character",
        _ESCAPE,
        BACKSLASH,
    ),
    ("found unexpected ':'", "while scanning a plain scalar"): Plain(
        "YAML syntax error: a ':' inside brackets must be followed by a space",
        'Put a value that contains a colon in double quotes, like  [KEN, "note:"], or write  {{name: value}}.',
    ),
    ("found a tab character that violates indentation", "while scanning a plain scalar"): _TAB,
    ("exceeded maximum nesting depth", "while increasing flow level"): _DEPTH,
    ("exceeded maximum nesting depth", "while increasing block level"): _DEPTH,
    # --- src/parser.c
    ("did not find expected <document start>", ""): Plain(
        "YAML syntax error: this line is outside the fields that the file starts with",
        "Start every top-level field in the same column as the first one (column 1), and remove any line "
        "'...' above this one.",
    ),
    ("found undefined tag handle", "while parsing a node"): _TAG,
    ("did not find expected node content", "while parsing a block node"): _MISSING,
    ("did not find expected node content", "while parsing a flow node"): _MISSING,
    ("did not find expected '-' indicator", "while parsing a block collection"): Plain(
        "YAML syntax error: this line is not lined up with the list above it",
        "The list starts on line {cline}: each item starts with '- ' in the same column, and the fields of "
        "an item line up under the first field after its '- '.",
    ),
    ("did not find expected key", "while parsing a block mapping"): Plain(
        "YAML syntax error: this line is not lined up with the fields above it",
        "The fields of one block start in the same column (this block starts on line {cline}, column "
        "{ccol}): check the spaces at the start of this line. A list item ('- ') goes under a field name.",
    ),
    ("did not find expected ',' or ']'", "while parsing a flow sequence"): _flow("[", "]", "[KEN, UGA]"),
    ("did not find expected ',' or '}'", "while parsing a flow mapping"): _flow("{{", "}}", "{{name: value}}"),
    ("found duplicate %YAML directive", ""): Plain(_DIRECTIVE.message, _DIRECTIVE.hint),
    ("found incompatible YAML document", ""): Plain(_DIRECTIVE.message, _DIRECTIVE.hint),
    ("found duplicate %TAG directive", ""): Plain(_DIRECTIVE.message, _DIRECTIVE.hint),
    # --- src/reader.c
    ("control characters are not allowed", ""): Plain(
        "YAML syntax error: this line contains an invisible control character ({code})",
        "Delete it, and type the text around it again: it often comes with text pasted from a PDF or a word processor.",
    ),
}

# libyaml messages this loader cannot meet, and why (docs/yaml-errors.md).
UNREACHABLE: dict[str, str] = {
    "did not find expected <stream-start>": "the scanner always begins with the start of the stream",
    "did not find expected '!' (while scanning a tag)": "a tag is scanned only from a '!'",
    "invalid leading UTF-8 octet": "the text reaches YAML decoded (not-utf8 is reported first)",
    "invalid trailing UTF-8 octet": "likewise",
    "incomplete UTF-8 octet sequence": "likewise",
    "invalid length of a UTF-8 sequence": "likewise",
    "invalid Unicode character": "likewise",
    "incomplete UTF-16 character": "the text reaches YAML as UTF-8",
    "unexpected low surrogate area": "likewise",
    "incomplete UTF-16 surrogate pair": "likewise",
    "expected low surrogate area": "likewise",
    "input error": "the text reaches YAML as a string, not read from a file",
    "input is too long": "files are refused over 256 KiB (file-too-large)",
    "Maximum nesting level reached, set with yaml_set_max_nest_level())": "libyaml after 0.2.5 on its "
    "main branch; PyYAML's libyaml says 'exceeded maximum nesting depth'",
}

FALLBACK = Plain(
    "YAML syntax error: YAML cannot read the text here",
    "Check the YAML syntax on this line and the line before it (YAML says: {problem}).",
)


def plain(problem: str, context: str) -> Plain:
    """The plain wording of a libyaml error; an unknown one keeps libyaml's words in its hint."""
    key = (problem.strip(), context.strip())
    found = PLAIN.get(key) or next((p for (pr, _), p in PLAIN.items() if pr == key[0]), None)
    return found or FALLBACK


# --- Likely causes: mistakes that the events read before the error show (yamlload._Builder)

UNCLOSED_QUOTE = Plain(
    "YAML syntax error: the {char} opened here is not closed on its line",
    "YAML read on to the next {char}, on line {pline}, and could not go on there. Close the quote at the "
    'end of the value; to write a double quote inside double quotes, write \\", and a single quote inside '
    "single quotes, ''.",
)
UNCLOSED_AT_END = {
    "[": Plain(
        "YAML syntax error: the '[' on line {cline} is never closed",
        "YAML read on to the end of the file. Close it with ']' on the same line, like  [KEN, UGA], or write "
        "the list one item per line, each starting with '- '.",
    ),
    "{": Plain(
        "YAML syntax error: the '{{' on line {cline} is never closed",
        "YAML read on to the end of the file. Close it with '}}' on the same line, like  {{name: value}}.",
    ),
}
# The errors that text after a value's closing quote or bracket gives, in a block
AFTER_VALUE = {
    "did not find expected key",
    "did not find expected '-' indicator",
    "did not find expected <document start>",
}
TEXT_AFTER_QUOTE = Plain(
    "YAML syntax error: there is more text after the closing {char} of the value",
    'Put the whole value inside the quotes, like  lead: "Ministry of ICT, Kenya".',
)
TEXT_AFTER_BRACKET = Plain(
    "YAML syntax error: there is more text after the closing '{char}' of the value",
    "Put every item inside the brackets, separated by commas, like  countries: [KEN, UGA].",
)
