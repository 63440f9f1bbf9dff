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

from connect_site.content import controls, yamlerrors

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


def load(text: str, *, line_offset: int = 0, max_depth: int = MAX_DEPTH) -> Document:
    """Load one YAML document from `text`. Raises `YamlProblem`."""
    for line, col, ch in controls.in_text(text, first_line=1 + line_offset, limit=1, pattern=controls.SEPARATORS):
        raise YamlProblem(line, col, controls.CODE, controls.message(ch), controls.HINT)
    builder = _Builder(text, line_offset, max_depth)
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(text, exc, builder, line_offset) from None
    except yaml.reader.ReaderError as exc:  # a control character; `position` counts UTF-8 bytes
        index = len(text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore"))
        before = text[:index].splitlines(keepends=True) or [""]
        line, col = len(before), len(before[-1]) + 1
        if before[-1].endswith(("\n", "\r")):
            line, col = line + 1, 1
        fields = {"code": f"U+{exc.character:04X}"}
        raise _located(yamlerrors.plain(exc.reason, ""), (line + line_offset, col), fields) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml raises only the errors above
        raise _located(yamlerrors.FALLBACK, (1 + line_offset, 1), {"problem": str(exc)}) from None
    return builder.document()


def _located(rule: yamlerrors.Plain, pos: Pos, fields: dict[str, Any]) -> YamlProblem:
    """The problem at `pos`, in the words of `rule` filled with `fields`."""
    values = {"cline": pos[0], "ccol": pos[1], "pline": pos[0], "pcol": pos[1], "char": "", "code": "", "problem": ""}
    values.update(fields)
    return YamlProblem(pos[0], pos[1], "yaml-syntax", rule.message.format(**values), rule.hint.format(**values))


def _syntax_problem(text: str, exc: yaml.MarkedYAMLError, builder: _Builder, line_offset: int) -> YamlProblem:
    """One located, plain problem for a libyaml error: a likely cause, or its row of `PLAIN`."""
    noticed = exc.problem_mark or exc.context_mark
    opened = exc.context_mark or noticed
    if noticed is None or opened is None:  # pragma: no cover - libyaml marks every syntax error
        return _located(yamlerrors.FALLBACK, (1 + line_offset, 1), {"problem": str(exc)})
    cause = _likely_cause(text, noticed.line + 1, line_offset) or builder.likely_cause(exc, noticed)
    if cause:
        return cause
    rule = yamlerrors.plain(exc.problem or "", exc.context or "")
    if rule.same_line and opened.line == noticed.line:
        rule = rule.same_line
    mark = opened if rule.mark == yamlerrors.CONTEXT else noticed
    (cline, ccol), (pline, pcol) = _pos(opened, line_offset), _pos(noticed, line_offset)
    fields = {"cline": cline, "ccol": ccol, "pline": pline, "pcol": pcol, "problem": exc.problem}
    fields["char"] = text[mark.index : mark.index + 1]
    line, col = _pos(mark, line_offset)
    if rule.mark == yamlerrors.BACKSLASH:  # libyaml marks the escape's letter or digits
        col -= noticed.index - text.rfind("\\", noticed.index - noticed.column, noticed.index + 1)
    return _located(rule, (line, col), fields)


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
        # Each frame: [container, path, pending_key, pending_key_pos, start_event]
        self.stack: list[list[Any]] = []
        self.last: Any = None  # the last event, and the bracket it closed, for `likely_cause`
        self.last_closed = ""
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

    def _check_controls(self, event: Any) -> None:
        """A value may not carry invisible control or bidi characters (controls.py): raw ones
        are reported where they stand, escaped ones ("\\e") where the value starts."""
        ch = controls.in_value(event.value)
        if ch is None:
            return
        source = self.text[event.start_mark.index : event.end_mark.index]
        at = source.find(ch)
        line, col = _pos(event.start_mark, self.line_offset)
        if at >= 0:
            before = source[:at]
            breaks = before.count("\n")
            line += breaks
            col = at - before.rfind("\n") if breaks else col + at
            raise YamlProblem(line, col, controls.CODE, controls.message(ch), controls.HINT)
        raise YamlProblem(
            line,
            col,
            controls.CODE,
            controls.message(ch, escaped=True),
            "Remove the escape (a backslash and letters, such as \\e or \\x1b) from the quoted text.",
        )

    def feed(self, event: Any) -> None:
        if not isinstance(event, yaml.DocumentEndEvent):  # an implicit end is no text of its own
            self.last, self.last_closed = event, ""
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
            self.stack.append([container, path, None, None, event])
            return
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            if self.stack.pop()[4].flow_style:
                self.last_closed = "]" if isinstance(event, yaml.SequenceEndEvent) else "}"
            return
        if isinstance(event, yaml.ScalarEvent):
            self._check_plain(event)
            self._check_controls(event)
            path = self._place(event, self._scalar(event))
            if path is not None and event.style in ("|", ">"):
                self.text_starts[path] = self._block_start(event)

    def likely_cause(self, exc: yaml.MarkedYAMLError, noticed: Any) -> YamlProblem | None:
        """A mistake the events read so far show, earlier than where libyaml noticed it.

        A quote left open reads on to the next quote, often on the next line, and the error
        comes after it; a bracket left open at the end of the file (or at a line '---');
        text after a value's closing quote or bracket.
        """
        last, rest = self.last, self.text[noticed.index :]
        at_end = not re.sub(r"(?m)#.*$", "", rest).strip() or re.match(r"(---|\.\.\.)(\s|$)", rest) is not None
        quoted = isinstance(last, yaml.ScalarEvent) and last.style in ('"', "'")
        after = last is not None and (last.end_mark.line, last.end_mark.column) <= (noticed.line, noticed.column)
        after = after and last.end_mark.line == noticed.line
        fields: dict[str, Any] = {"pline": noticed.line + 1 + self.line_offset, "pcol": noticed.column + 1}
        if quoted and after and last.start_mark.line < last.end_mark.line:
            fields["char"] = last.style
            return self._cause(yamlerrors.UNCLOSED_QUOTE, last.start_mark, fields)
        if self.stack and self.stack[-1][4].flow_style and at_end:
            opened = self.stack[-1][4].start_mark
            fields["char"] = self.text[opened.index]
            return self._cause(yamlerrors.UNCLOSED_AT_END[fields["char"]], opened, fields)
        in_block = not any(frame[4].flow_style for frame in self.stack)
        if after and in_block and (quoted or self.last_closed) and exc.problem in yamlerrors.AFTER_VALUE:
            fields["char"] = last.style if quoted else self.last_closed
            rule = yamlerrors.TEXT_AFTER_QUOTE if quoted else yamlerrors.TEXT_AFTER_BRACKET
            return self._cause(rule, noticed, fields)
        return None

    def _cause(self, rule: yamlerrors.Plain, mark: Any, fields: dict[str, Any]) -> YamlProblem:
        return _located(rule, _pos(mark, self.line_offset), fields)

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
