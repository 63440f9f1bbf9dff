"""Diagnostics are data: every problem is a value with a place, a code and a hint.

Core code collects `Diagnostic` values and returns them; only the CLI decides how to
print them and which exit status to use.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Exit(IntEnum):
    """The exit statuses of every command (README, "Exit statuses")."""

    OK = 0  # clean
    CONTENT = 1  # the content has errors (or, for `schema --check`, a file is out of date)
    USAGE = 2  # bad options or arguments, no content folder
    INTERNAL = 3  # a bug in connect-site
    ENVIRONMENT = 4  # the machine: a full disk, a permission, a tool that crashed


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located at 1-based `line` and `col` of `path` (a posix path). A problem in a
    spreadsheet also has its cell as a spreadsheet names it (`place`, "Sheet1!C14"), shown instead
    of the line and column."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str = ""
    place: str = ""

    def location(self) -> str:
        return f"{self.path}:{self.place}" if self.place else f"{self.path}:{self.line}:{self.col}"

    def format(self) -> str:
        """The diagnostic as lines for a terminal: what it echoes of contributor text (or a file
        name) cannot move the cursor or start a line of its own (`printable`)."""
        text = f"{printable(self.location())}: {self.severity.value}[{self.code}]: {printable(self.message)}"
        if self.hint:
            text += f"\n    hint: {printable(self.hint)}"
        return text

    def as_error(self) -> Diagnostic:
        """The same diagnostic as an error (for `--strict`)."""
        return Diagnostic(
            self.path, self.line, self.col, Severity.ERROR, self.code, self.message, self.hint, self.place
        )

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }
        if self.place:
            data["place"] = self.place
        return data


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def printable(text: str) -> str:
    """`text` with every control, bidi, zero-width and line-separator character written as \\uXXXX."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _UNSAFE.search(text) else text


class ConnectSiteError(Exception):
    """A problem that stops a command before content is checked (bad options, no content).

    The CLI reports it with its message and hint, and exit status 2 (`Exit.USAGE`).
    """

    exit = Exit.USAGE

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class EnvironmentProblem(ConnectSiteError):
    """The machine stopped the command: a full disk, a permission denied, a tool that crashed.

    Not the user's options and not the content: exit status 4 (`Exit.ENVIRONMENT`).
    """

    exit = Exit.ENVIRONMENT


MAX_PER_FILE = 100  # problems kept for one file; the rest are counted in one line
MAX_DIAGNOSTICS = 10_000  # problems kept for one run


class Reporter:
    """Collects diagnostics for one run, at most `MAX_PER_FILE` for a file and `MAX_DIAGNOSTICS`
    in all: a generated or pasted file with 200,000 bad rows costs a line, not a 200,000-line
    report (and its memory). What is not kept is counted and said (`sorted`)."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        self._per_file: dict[str, int] = {}
        self._dropped: dict[str, list[int]] = {}  # path -> [errors, warnings, rows not checked] not kept

    def add(
        self,
        path: str,
        line: int,
        col: int,
        code: str,
        message: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
        place: str = "",
    ) -> None:
        kept = self._per_file.get(path, 0)
        if kept >= MAX_PER_FILE or len(self.items) >= MAX_DIAGNOSTICS:
            counts = self._dropped.setdefault(path, [0, 0, 0])
            counts[severity is Severity.WARNING] += 1
            return
        self._per_file[path] = kept + 1
        self.items.append(Diagnostic(path, line, col, severity, code, message, hint, place))

    def warn(self, path: str, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        self.add(path, line, col, code, message, hint, Severity.WARNING)

    def full(self, path: str) -> bool:
        """Whether nothing more of this file would be kept: a caller may stop checking its rows
        (and say so with `unchecked`), so that 95,000 bad rows cost what 100 do."""
        return self._per_file.get(path, 0) >= MAX_PER_FILE or len(self.items) >= MAX_DIAGNOSTICS

    def drop(self, path: str) -> None:
        """One more error of a full file, counted without being made (its words may cost a search)."""
        self._dropped.setdefault(path, [0, 0, 0])[0] += 1

    def unchecked(self, path: str) -> None:
        """One more row of a full file was not checked."""
        self._dropped.setdefault(path, [0, 0, 0])[2] += 1

    def sorted(self) -> list[Diagnostic]:
        """The diagnostics in order, each file's followed by a line for what was not kept of it."""
        dropped = dict(self._dropped)
        out: list[Diagnostic] = []
        for d in sorted(set(self.items)):
            if out and out[-1].path != d.path:
                out.extend(_not_kept(out[-1], dropped))
            out.append(d)
        if out:
            out.extend(_not_kept(out[-1], dropped))
        for path in sorted(dropped):
            out.extend(_not_kept(Diagnostic(path, 1, 1, Severity.ERROR, "", ""), dropped))
        return out


def _not_kept(last: Diagnostic, dropped: dict[str, list[int]]) -> list[Diagnostic]:
    """The line that says how many problems of `last`'s file were not kept, if any."""
    errors, warnings, rows = dropped.pop(last.path, (0, 0, 0))
    if not errors + warnings + rows:
        return []
    counted = ((errors, "error"), (warnings, "warning"))
    what = ", ".join(f"{n:,} {word}{'' if n == 1 else 's'}" for n, word in counted if n)
    parts = [f"{what} more in this file, not listed"] if what else []
    if rows:
        parts.append(f"{rows:,} more row{'' if rows == 1 else 's'} not checked")
    return [
        Diagnostic(
            last.path,
            last.line,
            last.col,
            Severity.ERROR if errors or rows else Severity.WARNING,
            "too-many-problems",
            "; ".join(parts),
            f"At most {MAX_PER_FILE} problems of a file and {MAX_DIAGNOSTICS:,} in all are listed: fix these "
            "(often one mistake repeated) and run check again.",
        )
    ]


_INVISIBLE = ("Cf", "Cc", "Zl", "Zp")  # format, control and separator characters: not seen


def did_you_mean(word: str, candidates: Iterable[str], *, n: int = 3) -> str:
    """A "did you mean" phrase, or an empty string when nothing is close. A word that is one of
    the candidates but for invisible characters (a zero-width space pasted in) says so: "did you
    mean 'KEN'" for a 'KEN' that looks the same would not help."""
    pool = sorted(set(candidates))
    hidden = [ch for ch in word if unicodedata.category(ch) in _INVISIBLE]
    if hidden:
        visible = "".join(ch for ch in word if ch not in hidden)
        names = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in hidden}))
        found = f" (it is '{visible}' once they are removed)" if visible in pool else ""
        return f"the text contains invisible characters ({names}){found}: delete them and type it again."
    matches = close_matches(word, pool, n=n)
    if not matches:
        return ""
    return "did you mean " + " or ".join(f"'{m}'" for m in matches) + "?"


def close_matches(word: str, candidates: Iterable[str], *, n: int = 3) -> list[str]:
    """The candidates that `word` is probably a misspelling of, best first (what "did you mean"
    offers): the same word in other capitals, else difflib's close matches (then ignoring case).
    A word with invisible characters matches what it reads as once they are removed."""
    pool = sorted(set(candidates))
    visible = "".join(ch for ch in word if unicodedata.category(ch) not in _INVISIBLE)
    if visible != word:
        return [visible] if visible in pool else []
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return [lowered[word.lower()]]
    matches = difflib.get_close_matches(word, pool, n=n, cutoff=0.6)
    if not matches:
        matches = [lowered[m] for m in difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)]
    return matches


def join_hint(suggestion: str, advice: str) -> str:
    """A "did you mean" (possibly empty) followed by the general advice."""
    return f"{suggestion} {advice}" if suggestion else advice
