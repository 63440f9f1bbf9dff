"""Strict, bounded YAML for untrusted contributor files.

We read the event stream of libyaml (the C parser) and build plain values ourselves, so:

* anchors, aliases, merge keys and tags are refused before anything is expanded (an alias
  bomb costs no more than its own bytes);
* duplicate keys are an error, not a silent overwrite;
* nesting has a hard depth limit;
* only `true`/`false`, `null` and plain decimal numbers get a type. `NO`, `on`, `1:30`,
  `0755` and `2024-02-30` stay the text the contributor typed; fields convert by schema;
* every value keeps its exact line and column.

Numbers keep the text they were written as (`YamlInt.raw`, `YamlFloat.raw`), so that an
id typed as `3.10` can be reported instead of silently becoming `3.1`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Union

import yaml

Path = tuple[Union[str, int], ...]
Pos = tuple[int, int]  # 1-based line and column

MAX_DEPTH = 24
MAX_NUMBER_TEXT = 40  # longer digit strings stay text (and int() refuses over 4,300 digits)

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+\Z")
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_NULL = {"", "~", "null", "Null", "NULL"}


class YamlInt(int):
    """An int read from a plain YAML scalar; `raw` is the text as written."""

    raw: str

    def __new__(cls, raw: str) -> YamlInt:
        self = super().__new__(cls, int(raw))
        self.raw = raw
        return self


class YamlFloat(float):
    """A float read from a plain YAML scalar; `raw` is the text as written."""

    raw: str

    def __new__(cls, raw: str) -> YamlFloat:
        self = super().__new__(cls, float(raw))
        self.raw = raw
        return self


@dataclass
class YamlProblem(Exception):
    """Why a YAML text could not be read, at a 1-based line and column."""

    line: int
    col: int
    code: str
    message: str
    hint: str = ""


@dataclass
class Document:
    """A loaded YAML document: its value and where every part of it was written."""

    data: Any
    positions: dict[Path, Pos] = field(default_factory=dict)
    key_positions: dict[Path, Pos] = field(default_factory=dict)
    # Where the text of a block scalar (`body: |`) begins: the line after the indicator,
    # at its indentation. Lines and columns inside such text count from here.
    text_starts: dict[Path, Pos] = field(default_factory=dict)

    def where(self, path: Path, *, key: bool = False) -> Pos:
        """The position of `path`, or of its nearest written ancestor."""
        p = tuple(path)
        if key and p in self.key_positions:
            return self.key_positions[p]
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))


def _pos(mark: Any, line_offset: int) -> Pos:
    return (mark.line + 1 + line_offset, mark.column + 1)


_SYNTAX_HINTS = (
    (
        "mapping values are not allowed",
        "A value that contains ': ' must be put in quotes, for example  title: \"Digital Kenya: the plan\". "
        "If this line starts a new field, indent it like the field above.",
    ),
    ("'\\t'", "Indent YAML with spaces, never with tabs."),
    ("cannot start any token", "Put the value in quotes if it starts with a special character."),
    (
        "could not find expected ':'",
        "Each line of a mapping needs 'key: value'. Check this line and the one above for a "
        "missing colon, or a long value that needs quotes.",
    ),
    (
        "did not find expected key",
        "Check the indentation (entries at the same level start in the same column), and look for "
        "a quote opened on an earlier line and never closed.",
    ),
    ("expected <block end>", "Check the indentation: this line is not lined up with its siblings."),
    (
        "did not find expected '-'",
        "Check the indentation of this list: every item starts with '- ' in the same column.",
    ),
    ("maximum nesting depth", "Entries need only a few levels of lists and mappings."),
    ("found unexpected end of stream", "A quote or bracket was opened but never closed."),
    ("while scanning a quoted scalar", "A quote was opened but never closed."),
    ("while parsing a flow", "A '[' or '{' was opened but not closed, or a comma is missing."),
    ("special characters are not allowed", "Remove the control character from this line."),
)


def _syntax_hint(text: str) -> str:
    for needle, hint in _SYNTAX_HINTS:
        if needle in text:
            return hint
    return "Check the YAML syntax on this line and the line before it."


def load(text: str, *, line_offset: int = 0, max_depth: int = MAX_DEPTH) -> Document:
    """Load one YAML document from `text`. Raises `YamlProblem`."""
    builder = _Builder(text, line_offset, max_depth)
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # point at the quote or bracket that was never closed
        line, col = _pos(mark, line_offset) if mark else (1 + line_offset, 1)
        problem = (exc.problem or "").strip()
        context = (exc.context or "").strip()
        message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
        raise _likely_cause(text, line - line_offset, line_offset) or YamlProblem(
            line, col, "yaml-syntax", message, _syntax_hint(str(exc))
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1 + line_offset, 1, "yaml-syntax", f"YAML error: {exc}", _syntax_hint(str(exc))) from None
    return builder.document()


_KEY_WITHOUT_SPACE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*):(?=[^\s:/])")
_DASH_WITHOUT_SPACE = re.compile(r"^(\s*)-(?=[^\s-])")


def _likely_cause(text: str, line: int, line_offset: int) -> YamlProblem | None:
    """The usual typo behind a syntax error, found on the error line or just above it.

    libyaml reports where parsing failed, which is often the line after the mistake a
    person made: `title:Kenya` (no space after the colon) or `-KEN` (no space after the
    dash) are plain text to YAML, and the error surfaces on the next line.
    """
    lines = text.splitlines()
    if 0 < line <= len(lines) and "\t" in lines[line - 1]:
        column = lines[line - 1].index("\t") + 1
        return YamlProblem(
            line + line_offset,
            column,
            "yaml-syntax",
            f"YAML syntax error: this line has a tab character (column {column}), and YAML does not accept tabs",
            "Replace the tab with spaces: indent with two spaces per level. In the GitHub web editor, "
            "choose 'Spaces' in the indent setting above the text.",
        )
    for i in range(min(line, len(lines)) - 1, max(line - 4, 0) - 1, -1):
        m = _KEY_WITHOUT_SPACE.match(lines[i])
        if m:
            key, rest = m.group(2), lines[i][m.end() :]
            return YamlProblem(
                i + 1 + line_offset,
                m.end() + 1,
                "yaml-syntax",
                f"YAML syntax error: no space after the colon in '{key}:{rest[:30]}'",
                f"Write '{key}: {rest[:30]}': YAML needs a space after the colon.",
            )
        m = _DASH_WITHOUT_SPACE.match(lines[i])
        if m and i + 1 < line:  # a dash on an earlier line that started no list item
            return YamlProblem(
                i + 1 + line_offset,
                m.end() + 1,
                "yaml-syntax",
                f"YAML syntax error: no space after the dash in '{lines[i].strip()[:30]}'",
                f"Write '- {lines[i].strip()[1:31]}': list items start with a dash and a space.",
            )
    return None


class _Builder:
    """Builds values from parser events, keeping positions and refusing what we forbid."""

    def __init__(self, text: str, line_offset: int, max_depth: int) -> None:
        self.text = text
        self.line_offset = line_offset
        self.max_depth = max_depth
        self.positions: dict[Path, Pos] = {}
        self.key_positions: dict[Path, Pos] = {}
        self.text_starts: dict[Path, Pos] = {}
        # Each frame: [container, path, pending_key, pending_key_pos]
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.documents = 0
        self.has_root = False

    def document(self) -> Document:
        return Document(self.root, self.positions, self.key_positions, self.text_starts)

    def _fail(self, event: Any, code: str, message: str, hint: str) -> None:
        line, col = _pos(event.start_mark, self.line_offset)
        raise YamlProblem(line, col, code, message, hint)

    def _check_plain(self, event: Any) -> None:
        if getattr(event, "anchor", None):
            self._fail(
                event,
                "yaml-anchor",
                f"YAML anchors ('&{event.anchor}') are not allowed",
                "Write the value out in full where it is needed; anchors and aliases are "
                "refused because they make files hard to review and can be abused.",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            self._fail(
                event,
                "yaml-tag",
                f"YAML tags ('{tag}') are not allowed",
                "Remove the tag. To force a value to be text, put it in quotes.",
            )

    def feed(self, event: Any) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self._fail(
                    event,
                    "yaml-multiple-documents",
                    "this file holds more than one YAML document",
                    "Remove the extra '---' line: each file holds one entry.",
                )
            return
        if isinstance(event, yaml.AliasEvent):
            self._fail(
                event,
                "yaml-alias",
                f"YAML aliases ('*{event.anchor}') are not allowed",
                "Write the value out in full where it is needed.",
            )
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._check_plain(event)
            if len(self.stack) >= self.max_depth:
                self._fail(
                    event,
                    "yaml-too-deep",
                    f"the YAML is nested more than {self.max_depth} levels deep",
                    "Entries need only a few levels; check the indentation.",
                )
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            path = self._place(event, container)
            if path is None:
                return
            self.stack.append([container, path, None, None])
            return
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()
            return
        if isinstance(event, yaml.ScalarEvent):
            self._check_plain(event)
            path = self._place(event, self._scalar(event))
            if path is not None and event.style in ("|", ">"):
                self.text_starts[path] = self._block_start(event)

    def _block_start(self, event: Any) -> Pos:
        """1-based position of the first character of a block scalar's text (after its '|')."""
        line = event.start_mark.line + 1
        lines = self.text.splitlines()[line:]
        first = next((text for text in lines if text.strip()), "")
        return (line + 1 + self.line_offset, len(first) - len(first.lstrip(" ")) + 1)

    def _scalar(self, event: Any) -> Any:
        value: str = event.value
        if event.style:  # quoted or block scalar: always text (plain is None or "")
            return value
        if value in _NULL:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if len(value) <= MAX_NUMBER_TEXT:
            if _INT.match(value):
                return YamlInt(value)
            if _FLOAT.match(value):
                return YamlFloat(value)
        return value  # a 5,000-digit "number" stays text; its field's schema decides

    def _place(self, event: Any, value: Any) -> Path | None:
        """Put `value` into the current container; return its path (None for a key)."""
        pos = _pos(event.start_mark, self.line_offset)
        if not self.stack:
            if self.has_root:  # pragma: no cover - libyaml refuses this first
                self._fail(event, "yaml-syntax", "unexpected content", "")
            self.has_root = True
            self.root = value
            self.positions[()] = pos
            return ()
        frame = self.stack[-1]
        container: Any = frame[0]
        parent: Path = frame[1]
        if isinstance(container, list):
            path = parent + (len(container),)
            container.append(value)
            self.positions[path] = pos
            return path
        if frame[2] is None:  # this is a key
            if not isinstance(event, yaml.ScalarEvent):
                self._fail(
                    event,
                    "yaml-complex-key",
                    "a key must be plain text, not a list or mapping",
                    "Write keys as simple words, like 'title:'.",
                )
            key = event.value
            if key == "<<" and not event.style:
                self._fail(
                    event,
                    "yaml-merge-key",
                    "YAML merge keys ('<<') are not allowed",
                    "Write every field out in full.",
                )
            if key in container:
                first = self.key_positions[parent + (key,)]
                self._fail(
                    event,
                    "duplicate-key",
                    f"the key '{key}' appears twice in the same mapping (first on line {first[0]})",
                    "Keep one of the two: YAML would silently drop the first value.",
                )
            frame[2], frame[3] = key, pos
            container[key] = None
            return None
        key = frame[2]
        path = parent + (key,)
        container[key] = value
        self.key_positions[path] = frame[3]
        self.positions[path] = pos
        frame[2] = frame[3] = None
        return path
