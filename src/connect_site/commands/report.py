"""Printing diagnostics: plain text, GitHub workflow commands, JSON, and a job summary."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

from connect_site.commands.options import say
from connect_site.errors import ConnectSiteError, Diagnostic, Severity

if TYPE_CHECKING:
    from connect_site.pipeline import CheckResult

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


def text(result: CheckResult) -> str:
    lines = [d.format() for d in result.diagnostics]
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


def github(result: CheckResult) -> str:
    lines = [github_command(d) for d in result.diagnostics]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")


def step_summary(result: CheckResult) -> str:
    """A Markdown table of every problem, for $GITHUB_STEP_SUMMARY (annotations stop at 10)."""
    out = ["## connect-site check", "", summary_line(result), ""]
    if result.diagnostics:
        out += ["| Where | Severity | Code | Problem | Hint |", "|---|---|---|---|---|"]
        for d in result.diagnostics:
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


def report(result: CheckResult, fmt: str) -> None:
    """Print the problems found, as text, GitHub workflow commands (plus the job summary) or JSON."""
    if fmt == "json":
        say(as_json(result), nl=False)
        return
    if fmt == "text":
        say(text(result), nl=False)
        return
    say(github(result), nl=False)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(step_summary(result))
        except OSError as exc:
            raise ConnectSiteError(
                f"cannot write the job summary to GITHUB_STEP_SUMMARY ({summary}): {exc.strerror}",
                "Unset GITHUB_STEP_SUMMARY, or point it at a writable file.",
            ) from None
