"""Bounds on contributor Markdown, checked before any renderer sees it.

They were set for Python-Markdown, which is quadratic in the number of `[` in one block
(20,000 of them took 35 s) and recursive in list and quote nesting. cmark-gfm, which
renders bodies now, is neither; the limits stay, so that the worst body stays cheap
whatever renders it (bench/worst_inputs.py), and are reported as ordinary located
diagnostics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BRACKETS_PER_BODY = 1000
MAX_BRACKETS_PER_BLOCK = 300
MAX_INDENT = 64
MAX_QUOTE_DEPTH = 16


_CONTAINER = re.compile(r"(?:>|[-+*](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$))[ \t]*")


def _opened(line: str) -> tuple[int, int]:
    """How many quotes, and how many quotes and list items together, a line opens at its
    start ("- - - x" is three lists, one inside the other: the renderer recurses on each)."""
    quotes = containers = pos = 0
    while m := _CONTAINER.match(line, pos):
        if not m.group():
            break
        quotes += line[pos] == ">"
        containers += 1
        pos = m.end()
    return quotes, containers


@dataclass(frozen=True)
class MarkupProblem:
    line: int  # 0-based, relative to the body
    col: int  # 1-based
    code: str
    message: str
    hint: str


def check_body(body: str) -> list[MarkupProblem]:
    problems: list[MarkupProblem] = []
    total = 0
    block_count = 0
    block_start = 0
    block_reported = False
    for i, line in enumerate(body.splitlines()):
        if not line.strip():
            block_count = 0
            block_start = i + 1
            block_reported = False
            continue
        n = line.count("[")
        total += n
        block_count += n
        if block_count > MAX_BRACKETS_PER_BLOCK and not block_reported:
            problems.append(
                MarkupProblem(
                    block_start,
                    1,
                    "markdown-too-complex",
                    f"this paragraph has more than {MAX_BRACKETS_PER_BLOCK} '[' characters",
                    "Split it into paragraphs with blank lines, or write \\[ for a literal bracket.",
                )
            )
            block_reported = True
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        if indent > MAX_INDENT:
            problems.append(
                MarkupProblem(
                    i,
                    1,
                    "markdown-too-deep",
                    f"this line is indented by {indent} characters",
                    f"Lists and quotes may nest only a few levels; keep indentation under {MAX_INDENT}.",
                )
            )
        quotes, containers = _opened(stripped)
        if quotes > MAX_QUOTE_DEPTH:
            problems.append(
                MarkupProblem(
                    i,
                    indent + 1,
                    "markdown-too-deep",
                    f"quotes are nested {quotes} levels deep",
                    f"Use at most {MAX_QUOTE_DEPTH} levels of '>'.",
                )
            )
        elif containers > MAX_QUOTE_DEPTH:
            problems.append(
                MarkupProblem(
                    i,
                    indent + 1,
                    "markdown-too-deep",
                    f"this line opens {containers} lists or quotes inside each other",
                    f"Start at most {MAX_QUOTE_DEPTH} list items ('- ', '1. ') or quotes ('>') on one line.",
                )
            )
        if len(problems) > 20:
            break
    if total > MAX_BRACKETS_PER_BODY:
        problems.append(
            MarkupProblem(
                0,
                1,
                "markdown-too-complex",
                f"the text has {total} '[' characters (at most {MAX_BRACKETS_PER_BODY})",
                "Shorten the text or write \\[ for literal brackets.",
            )
        )
    return problems
