"""Invisible characters that contributor text may not carry.

C0 and C1 control characters (other than tab and the line breaks) and the Unicode bidi
embeddings, overrides and isolates are refused wherever they appear: in a YAML value (raw, or
written as an escape such as "\\e"), a Markdown body or a CSV cell. Controls would reach the
pages and the search index (a NUL, a BEL), or the terminal (an ESC that erases the error's
location); bidi overrides make text read differently from what it is ("Trojan Source",
CVE-2021-42574). Arabic text needs none of them: the pages isolate every name themselves.

`errors.printable` makes what `check` echoes of a contributor's text, or a file name, safe to
print: it cannot move the cursor or forge an output line.
"""

from __future__ import annotations

import re
import unicodedata

from connect_site.errors import Reporter

# Tab, LF and CR are allowed in raw text (CR only as part of a line end; a value's own CR
# comes from an escape and is refused by `in_value`).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_IN_VALUE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
# What YAML counts as a line break and editors do not: refused before YAML reads the text,
# so that every later line number is the one an editor shows.
SEPARATORS = re.compile("[\x85\u2028\u2029]")

_NAMES = {
    0x00: "NUL",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x0D: "carriage return",
    0x1B: "escape",
    0x7F: "delete",
    0x85: "next line",
    0x2028: "line separator",
    0x2029: "paragraph separator",
    0xFEFF: "byte-order mark",
}

CODE = "control-character"
HINT = (
    "Delete it: it is invisible, and often comes with text pasted from a PDF, a word processor or a "
    "terminal. Right-to-left text needs no direction characters: the site sets the direction itself."
)


def describe(ch: str) -> str:
    """ "U+001B, escape" or "U+202E, right-to-left override"."""
    code = ord(ch)
    name = _NAMES.get(code) or unicodedata.name(ch, "").lower() or "a control character"
    return f"U+{code:04X}, {name}"


def message(ch: str, *, escaped: bool = False) -> str:
    if ch in "\x85\u2028\u2029":
        kind = "an invisible line separator"
    elif ch == "\ufeff":
        kind = "an invisible byte-order mark inside the file"
    elif 0x202A <= ord(ch) <= 0x2069:
        kind = "a direction (bidi) character"
    else:
        kind = "an invisible control character"
    how = ", written as an escape," if escaped else ""
    return f"the text contains {kind} ({describe(ch)}){how or ','} which is not allowed"


def in_value(value: str) -> str | None:
    """The first refused character of a parsed value, or None."""
    m = _IN_VALUE.search(value)
    return m.group() if m else None


def in_text(
    text: str, *, first_line: int = 1, limit: int = 5, pattern: re.Pattern[str] = FORBIDDEN
) -> list[tuple[int, int, str]]:
    """(line, column, character) of the refused characters of a raw text, at most `limit`.
    Lines end at LF, CRLF and CR; columns count characters."""
    found: list[tuple[int, int, str]] = []
    for m in pattern.finditer(text):
        before = text[: m.start()]
        line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
        line = first_line + before.count("\n") + before.count("\r") - before.count("\r\n")
        found.append((line, m.start() - line_start + 1, m.group()))
        if len(found) >= limit:
            break
    return found


def refuse(text: str, first_line: int, shown: str, report: Reporter) -> bool:
    """Report the refused characters of a raw text (a Markdown body, a CSV file); True if any."""
    found = in_text(text, first_line=first_line)
    for line, col, ch in found:
        report.add(shown, line, col, CODE, message(ch), HINT)
    return bool(found)
