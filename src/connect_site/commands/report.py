"""Printing diagnostics: plain text, GitHub workflow commands, JSON, and a job summary.

People read the problems in the order of `arrange`: errors before warnings, the files a change
touches (`check --changed REF`) before the rest, and warnings that are not the reader's own
(about files the change does not touch, or one kind repeated across many files) counted on
one line per kind. JSON lists every diagnostic, for tools.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Union

from connect_site.commands.options import say
from connect_site.errors import ConnectSiteError, Diagnostic, Severity

if TYPE_CHECKING:
    from connect_site.pipeline import CheckResult

SHOWN_OF_A_KIND = 1  # warnings of one code shown before the rest are counted (without --changed)


@dataclass(frozen=True)
class Fold:
    """Warnings of one code counted on one line instead of listed (`--all-warnings` lists them)."""

    code: str
    count: int
    files: int
    more: bool  # some warnings of this code are listed above it
    unchanged: bool  # they are about files the change does not touch

    def format(self) -> str:
        what = (
            f"{self.count} more warning{'s' * (self.count != 1)} like this"
            if self.more
            else (f"{self.count} warning{'s' * (self.count != 1)}")
        )
        where = f"{self.files} file{'s' * (self.files != 1)}" + (" not changed" if self.unchanged else "")
        return f"warning[{self.code}]: {what} in {where} (connect-site check --all-warnings lists them)"


Line = Union[Diagnostic, Fold]


def arrange(
    diagnostics: Iterable[Diagnostic], changed: Optional[Collection[str]] = None, *, all_warnings: bool = False
) -> list[Line]:
    """The problems in the order people read them (each part by file, line and column).

    Without `changed`: errors, then warnings; of a code with more than two warnings, the first
    is listed and the rest counted on one line. With `changed` (the displayed paths of the files
    a change touches): their errors and warnings first, then the other files' errors, then their
    warnings counted on one line per code. `all_warnings` lists every warning instead."""
    ordered = sorted(diagnostics)
    errors = [d for d in ordered if d.severity is Severity.ERROR]
    warnings = [d for d in ordered if d.severity is not Severity.ERROR]
    if changed is None:
        return [*errors, *(warnings if all_warnings else _count(warnings, SHOWN_OF_A_KIND, set(), unchanged=False))]
    mine = [d for d in warnings if d.path in changed]
    others = [d for d in warnings if d.path not in changed]
    return [
        *(d for d in errors if d.path in changed),
        *mine,
        *(d for d in errors if d.path not in changed),
        *(others if all_warnings else _count(others, 0, {d.code for d in mine}, unchanged=True)),
    ]


def _count(warnings: list[Diagnostic], keep: int, listed: set[str], *, unchanged: bool) -> list[Line]:
    """The first `keep` warnings of each code (all of a code with at most `keep` + 1), then one
    line per code counting the rest (`listed`: the codes already shown above)."""
    by_code: dict[str, list[Diagnostic]] = {}
    for d in warnings:
        by_code.setdefault(d.code, []).append(d)
    shown = {code: ds if keep and len(ds) <= keep + 1 else ds[:keep] for code, ds in by_code.items()}
    out: list[Line] = [d for d in warnings if d in shown[d.code]]
    for code, ds in sorted(by_code.items()):
        rest = ds[len(shown[code]) :]
        if rest:
            more = code in listed or bool(shown[code])
            out.append(Fold(code, len(rest), len({d.path for d in rest}), more, unchanged))
    return out


_SINGULAR = {
    "goals": "goal",
    "targets": "target",
    "indicators": "indicator",
    "countries with data": "country with data",
    "observations": "observation",
    "initiatives": "initiative",
    "practices": "practice",
    "sources": "source",
}


def summary_line(result: CheckResult) -> str:
    parts = []
    if result.site is not None:
        parts = [f"{n:,} {_SINGULAR.get(what, what) if n == 1 else what}" for what, n in result.site.counts().items()]
    counts = ", ".join(parts) if parts else "no site"
    rendered = f", {result.rendered:,} pages rendered" if result.rendered else ""
    return (
        f"checked {result.files:,} files: {counts}{rendered}; "
        f"{result.errors} error{'s' * (result.errors != 1)}, "
        f"{result.warnings} warning{'s' * (result.warnings != 1)}"
    )


def text(result: CheckResult, changed: Optional[Collection[str]] = None, *, all_warnings: bool = False) -> str:
    lines = [line.format() for line in arrange(result.diagnostics, changed, all_warnings=all_warnings)]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def escape_data(value: str) -> str:
    """As @actions/core escapes a workflow command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """As @actions/core escapes a workflow command's property values."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_command(d: Diagnostic) -> str:
    level = "error" if d.severity is Severity.ERROR else "warning"
    props = [f"file={escape_property(d.path)}", f"line={d.line}", f"col={d.col}"]
    props.append(f"title={escape_property(f'connect-site {d.code}')}")
    message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
    return f"::{level} {','.join(props)}::{escape_data(message)}"


def github(result: CheckResult, changed: Optional[Collection[str]] = None, *, all_warnings: bool = False) -> str:
    """Workflow commands; a count of warnings is a plain line of the log (an annotation needs a
    place, and GitHub shows only 10 warning annotations per step)."""
    arranged = arrange(result.diagnostics, changed, all_warnings=all_warnings)
    lines = [github_command(line) if isinstance(line, Diagnostic) else line.format() for line in arranged]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")


def step_summary(result: CheckResult, changed: Optional[Collection[str]] = None) -> str:
    """A Markdown table of every problem, for $GITHUB_STEP_SUMMARY (annotations stop at 10),
    in the order of `arrange`."""
    out = ["## connect-site check", "", summary_line(result), ""]
    if result.diagnostics:
        out += ["| Where | Severity | Code | Problem | Hint |", "|---|---|---|---|---|"]
        listed = arrange(result.diagnostics, changed, all_warnings=True)  # every one: nothing is counted
        for d in (line for line in listed if isinstance(line, Diagnostic)):
            out.append(
                f"| `{_cell(d.location())}` | {d.severity.value} | {_cell(d.code)} | "
                f"{_cell(d.message)} | {_cell(d.hint)} |"
            )
    else:
        out.append("No problems found.")
    return "\n".join(out) + "\n"


def as_json(result: CheckResult) -> str:
    data = {
        "ok": result.ok,
        "errors": result.errors,
        "warnings": result.warnings,
        "files": result.files,
        "counts": result.site.counts() if result.site else {},
        "diagnostics": [d.to_json() for d in result.diagnostics],
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"  # ASCII: safe on any console


def report(
    result: CheckResult, fmt: str, changed: Optional[Collection[str]] = None, *, all_warnings: bool = False
) -> None:
    """Print the problems found, as text, GitHub workflow commands (plus the job summary) or JSON
    (every diagnostic, in file order, whatever `changed` and `all_warnings` say)."""
    if fmt == "json":
        say(as_json(result), nl=False)
        return
    if fmt == "text":
        say(text(result, changed, all_warnings=all_warnings), nl=False)
        return
    say(github(result, changed, all_warnings=all_warnings), nl=False)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(step_summary(result, changed))
        except OSError as exc:
            raise ConnectSiteError(
                f"cannot write the job summary to GITHUB_STEP_SUMMARY ({summary}): {exc.strerror}",
                "Unset GITHUB_STEP_SUMMARY, or point it at a writable file.",
            ) from None
