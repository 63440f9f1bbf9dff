"""The command line: exit statuses, output formats, and the JSON Schema command."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, TINY, Files
from connect_site import cli
from connect_site.commands import report as output
from connect_site.content.jsonschema import documents, render
from connect_site.errors import Diagnostic, Severity


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_clean_site_exits_0_with_counts() -> None:
    code, out, _ = invoke("check", "--content", str(TINY))
    assert code == 0
    assert out.strip().splitlines()[-1] == (
        "checked 9 files: 1 goal, 2 targets, 2 indicators, 2 countries with data, 5 observations, "
        "1 initiative, 1 practice, 1 source; 0 errors, 0 warnings"
    )


def test_content_errors_exit_1(make_site: Callable[[Files], Path]) -> None:
    content = make_site({"countries/KEN.yaml": "name: [\n"})
    code, out, _ = invoke("check", "--content", str(content))
    assert code == 1
    assert "KEN.yaml:1:7: error[yaml-syntax]: YAML syntax error: the '[' on line 1 is never closed" in out


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, _, err = invoke("check", "--content", str(tmp_path / "nowhere"))
    assert code == 2
    assert "does not exist" in err
    assert invoke("check", "--format", "xml")[0] == 2
    assert invoke("check", "--no-such-option")[0] == 2


def test_internal_error_exits_3_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("connect_site.pipeline.check", boom)
    code, out, err = invoke("check", "--content", str(TINY))
    assert code == 3
    assert "internal error: RuntimeError: simulated bug" in err
    assert "Traceback" not in out + err
    code, _, err = invoke("check", "--content", str(TINY), "--debug")
    assert code == 3 and "Traceback" in err


def test_a_full_disk_exits_4_and_says_it_is_the_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from connect_site.output import write

    def full(path: str, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", path)

    monkeypatch.setattr(write, "_write_bytes", full)
    code, _, err = invoke("build", "--content", str(TINY), "--out", str(tmp_path / "site"), "--no-cache")
    assert code == 4
    assert "could not write the site to" in err and "No space left on device" in err
    assert "hint: the disk is full (or over quota)" in err
    assert not (tmp_path / "site").exists()  # nothing half-written


def test_a_search_indexer_that_crashes_exits_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from connect_site.site import search

    crash = tmp_path / "pagefind"
    crash.write_text("#!/bin/sh\necho 'thread main panicked' >&2\nexit 101\n", encoding="utf-8")
    crash.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_binary", lambda: crash)
    code, _, err = invoke("build", "--content", str(TINY), "--out", str(tmp_path / "site"), "--no-cache")
    assert code == 4
    assert "the search indexer Pagefind failed (exit status 101" in err and "thread main panicked" in err


def test_every_exit_status_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for status, words in (
        (0, "clean"),
        (1, "content errors"),
        (2, "usage errors"),
        (3, "internal error"),
        (4, "machine"),
    ):
        assert f"**{status}** {words}" in readme, (status, words)


def test_check_render_renders_every_page_and_says_so() -> None:
    code, out, _ = invoke("check", "--content", str(TINY), "--render")
    assert code == 0
    assert out.strip().splitlines()[-1].endswith(" pages rendered; 0 errors, 0 warnings")


def test_json_format(make_site: Callable[[Files], Path]) -> None:
    content = make_site({"data/internet-users.csv": "country,year,value\nUGA,2020,500\n"})
    code, out, _ = invoke("check", "--content", str(content), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["ok"] is False and data["errors"] == 1
    assert data["counts"]["goals"] == 1
    (diag,) = data["diagnostics"]
    assert diag["code"] == "out-of-range" and diag["line"] == 2 and diag["col"] == 10
    assert diag["path"].endswith("content/data/internet-users.csv")


def test_github_escaping_follows_actions_toolkit() -> None:
    d = Diagnostic("content/a,b:c.md", 3, 4, Severity.ERROR, "x-y", "100% sure\r\nsecond: line, yes", "do it")
    assert output.github_command(d) == (
        "::error file=content/a%2Cb%3Ac.md,line=3,col=4,title=connect-site x-y::"
        "100%25 sure%0D%0Asecond: line, yes%0Ahint: do it"
    )
    w = Diagnostic("p.md", 1, 1, Severity.WARNING, "stale", "old", "")
    assert output.github_command(w) == "::warning file=p.md,line=1,col=1,title=connect-site stale::old"


def test_github_format_and_step_summary(make_site: Callable[[Files], Path], tmp_path: Path) -> None:
    content = make_site({"data/internet-users.csv": "country,year,value\nUGA,2020,500\nFOO,2020,1\n"})
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    code, out, _ = invoke(
        "check", "--content", str(content), "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert code == 1
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert len(annotations) == 2
    assert annotations[0].startswith("::error file=")
    assert ",line=2,col=10,title=connect-site out-of-range::500 is outside" in annotations[0]
    assert ",line=3,col=1,title=connect-site unknown-country::unknown country code 'FOO'" in annotations[1]
    text = summary.read_text()
    assert text.startswith("earlier step\n## connect-site check")  # appended, not overwritten
    assert "| Where | Severity | Code | Problem | Hint |" in text
    assert text.count("| error |") == 2


def test_step_summary_escapes_table_cells() -> None:
    from connect_site.pipeline import CheckResult

    d = Diagnostic("a|b.md", 1, 1, Severity.ERROR, "c", "x | y\nz", "h")
    text = output.step_summary(CheckResult(None, [d], 1))
    row = text.strip().splitlines()[-1]
    assert row == "| `a\\|b.md:1:1` | error | c | x \\| y<br>z | h |"


def test_schema_command_writes_every_kind(tmp_path: Path) -> None:
    code, out, _ = invoke("schema", "--out", str(tmp_path / "s"))
    assert code == 0
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == [
        "country-translation.schema.json",
        "country.schema.json",
        "goal-translation.schema.json",
        "goal.schema.json",
        "initiative.schema.json",
        "practice.schema.json",
        "site-translation.schema.json",
        "site.schema.json",
        "sources-translation.schema.json",
        "sources.schema.json",
        "target-translation.schema.json",
        "target.schema.json",
        "translation.schema.json",
    ]
    initiative = json.loads((tmp_path / "s" / "initiative.schema.json").read_text())
    assert initiative["additionalProperties"] is False
    assert set(initiative["required"]) == {"title", "countries", "targets", "kind", "status", "lead"}


def test_committed_schemas_are_current() -> None:
    """schemas/ is regenerated by `make schemas`; this keeps it from going stale."""
    for name, doc in documents().items():
        committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == render(doc), f"schemas/{name} is stale: run make schemas"


@pytest.mark.parametrize("command", ["check", "schema"])
def test_every_command_has_help(command: str) -> None:
    code, out, _ = invoke(command, "--help")
    assert code == 0 and "Usage:" in out


def test_console_script_runs_as_module() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "connect_site", "check", "--content", str(TINY)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_editor_settings_map_every_schema() -> None:
    """VS Code (and github.dev) validate content files against the committed schemas."""
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    mapped = set(settings["yaml.schemas"])
    assert mapped == {f"schemas/{name}" for name in documents()}
    for schema_path in mapped:
        assert (ROOT / schema_path).is_file()


def test_unwritable_step_summary_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = invoke(
        "check", "--content", str(TINY), "--format", "github", env={"GITHUB_STEP_SUMMARY": str(tmp_path)}
    )
    assert code == 2
    assert "cannot write the job summary to GITHUB_STEP_SUMMARY" in err
    assert "Traceback" not in out + err
