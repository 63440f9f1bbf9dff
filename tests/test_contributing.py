"""CONTRIBUTING.md tells the truth: its field reference is current, its examples pass, its wrong examples fail."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from conftest import REAL, ROOT, TINY, run, write_site
from connect_site.content import fieldref
from connect_site.errors import Severity
from connect_site.pipeline import check
from test_docs import models

GUIDE_PATH = ROOT / "CONTRIBUTING.md"
GUIDE = GUIDE_PATH.read_text(encoding="utf-8")
TEMPLATE = ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md"

# A marker comment, then a fenced block: <!-- check: initiatives/x.md -->, <!-- wrong: ... -->, ...
EXAMPLE = re.compile(r"<!-- (check|translate|wrong|right|wrong-file): (\S+)( append)? -->\n```[a-z]*\n(.*?)```\n", re.S)


def examples(kind: str) -> list[tuple[str, bool, str]]:
    """(path inside content/, appended?, text) of each marked example of a kind, in order."""
    return [(m[2], bool(m[3]), m[4]) for m in EXAMPLE.finditer(GUIDE) if m[1] == kind]


def full_examples() -> dict[str, str]:
    return {path: text for path, append, text in examples("check") if not append}


def apply_checked_examples(content: Path) -> None:
    """Write every `check:` example into a content folder: whole files, or lines appended."""
    for path, append, text in examples("check"):
        target = content / path
        if not append:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            continue
        old = target.read_text(encoding="utf-8") if target.exists() else ""
        if path.endswith(".csv"):
            header, rows = text.split("\n", 1)
            assert old.splitlines()[0] == header, f"{path}: the example's header is not the file's"
            text = rows
        target.write_text(old + ("" if old.endswith("\n") or not old else "\n") + "\n" + text, encoding="utf-8")


def merge(base: str, fragment: str) -> str:
    """`base` (a full example) with the top-level fields that `fragment` writes replaced by it."""
    keys = set(re.findall(r"^([A-Za-z_]+):", fragment, re.M))
    markdown = base.startswith("---\n")
    if markdown:
        _, front, body = base.split("---\n", 2)
    else:
        front, body = base, ""
    kept: list[str] = []
    dropping = False
    for line in front.splitlines(keepends=True):
        m = re.match(r"([A-Za-z_]+):", line)
        if m:
            dropping = m[1] in keys
        elif not line[:1].isspace() and not line.startswith("-"):
            dropping = False
        if not dropping:
            kept.append(line)
    front = "".join(kept) + fragment
    return f"---\n{front}---\n{body}" if markdown else front


def test_the_guide_has_examples_of_every_kind() -> None:
    paths = {path for path, _, _ in examples("check")}
    assert {"sources.yaml", "data/internet-users.csv"} <= paths
    assert any(p.startswith("initiatives/") for p in paths) and any(p.startswith("practices/") for p in paths)
    assert any(p.startswith("countries/") for p in paths)
    translated = {path for path, _, _ in examples("translate")}
    assert any(p.startswith("countries/") for p in translated) and any(p.startswith("initiatives/") for p in translated)
    assert len(examples("wrong")) + len(examples("wrong-file")) >= 8
    assert len(examples("right")) >= 8


@pytest.mark.parametrize("base", [TINY, REAL], ids=["tiny", "real"])
def test_every_example_passes_the_check(tmp_path: Path, base: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(base, content)
    if base == REAL:  # the real table has only country,year,value: the CSV example is shown for a fuller one
        (content / "data" / "internet-users.csv").write_text(
            "country,year,value,source,note\nKEN,2022,35.5,,\n", encoding="utf-8"
        )
    apply_checked_examples(content)
    if base == REAL:  # the translation examples need the site's six languages
        for path, _, text in examples("translate"):
            (content / path).write_text(text, encoding="utf-8")
    result = check(content, display_root="content", year=2026)
    errors = [d.format() for d in result.diagnostics if d.severity is Severity.ERROR]
    assert not errors
    assert result.site is not None
    if base == REAL:
        assert "Ghana" in result.site.texts.countries["GHA"]["fr"].summary
        assert result.site.translations[("initiative", "kenya-digital-plan")]["es"].title == "Plan digital de Kenia"
    assert "kenya-digital-plan" in result.site.initiatives
    assert "community-networks-guide" in result.site.practices
    assert "itu-ict-indicators" in result.site.sources
    ghana = {(o.indicator, o.year) for o in result.site.observations if o.country == "GHA"}
    assert {("internet-users", 2022), ("internet-users", 2023), ("internet-users", 2024)} <= ghana
    assert ("digital-strategy", 2023) in ghana


def _tip_site(tmp_path: Path, path: str, text: str) -> Path:
    content = write_site(tmp_path, {})
    apply_checked_examples(content)
    (content / path).write_text(text, encoding="utf-8")
    return content


TIPS = [(kind, path, text) for kind in ("wrong", "wrong-file", "right") for path, _, text in examples(kind)]


@pytest.mark.parametrize(("kind", "path", "text"), TIPS, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(TIPS)])
def test_yaml_tips_are_true(tmp_path: Path, kind: str, path: str, text: str) -> None:
    whole = text if kind == "wrong-file" else merge(full_examples()[path], text)
    assert fieldref.START not in whole
    content = _tip_site(tmp_path, path, whole)
    result = run(content)
    mine = [d for d in result.diagnostics if d.path == f"content/{path}" and d.severity is Severity.ERROR]
    if kind == "right":
        assert not mine, (whole, [d.format() for d in mine])
        assert result.ok, [d.format() for d in result.diagnostics]
    else:
        assert mine, f"this 'wrong' example passes the check:\n{whole}"


def test_merge_replaces_only_the_fields_of_the_fragment() -> None:
    base = '---\ntitle: "A"\ncountries:\n  - KEN\ntargets: ["1.4"]\n---\nBody\n'
    assert merge(base, "countries: [GHA]\n") == '---\ntitle: "A"\ntargets: ["1.4"]\ncountries: [GHA]\n---\nBody\n'


def test_the_field_reference_is_current() -> None:
    assert fieldref.section(GUIDE) == fieldref.generate(), (
        "CONTRIBUTING.md is out of date: run .venv/bin/connect-site schema --reference CONTRIBUTING.md"
    )


@pytest.mark.parametrize("model", models(), ids=lambda m: m.__name__)
def test_every_field_of_every_model_is_in_the_reference(model: type[BaseModel]) -> None:
    reference = fieldref.generate()
    for name in model.model_fields:
        assert f"| `{name}` |" in reference, f"{model.__name__}.{name}"


def test_the_reference_describes_formats_and_choices() -> None:
    reference = fieldref.generate()
    for text in (
        "a date: YYYY, YYYY-MM or YYYY-MM-DD",
        "a web address starting with `http://` or `https://`",
        "lower-case letters, digits and hyphens, at most 80 characters",
        'target ids such as "1.4" or "2.1.A", in quotes',
        "one of: `planned`, `ongoing`, `completed`",
        "`law-or-regulation`",
        "`civil-society`",
        "`evidence_url`",
    ):
        assert text in reference, text
    for link in re.findall(r"\]\(#([^)]+)\)", reference):
        headings = re.findall(r"^#### (.+)$", reference, re.M)
        assert link in {fieldref.anchor(h) for h in headings}, link


def test_write_and_check_commands(tmp_path: Path) -> None:
    doc = tmp_path / "GUIDE.md"
    doc.write_text(f"intro\n{fieldref.START}\nstale\n{fieldref.END}\noutro\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "connect_site", "schema", "--reference", str(doc)]
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    stale = subprocess.run([*cmd, "--check"], capture_output=True, text=True, env=env, check=False)
    assert stale.returncode == 1 and "out of date" in stale.stdout
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("intro\n") and text.endswith(f"{fieldref.END}\noutro\n")
    assert fieldref.section(text) == fieldref.generate()
    fresh = subprocess.run([*cmd, "--check"], capture_output=True, text=True, env=env, check=False)
    assert fresh.returncode == 0
    doc.write_text("no markers\n", encoding="utf-8")
    assert subprocess.run([*cmd, "--check"], capture_output=True, env=env, check=False).returncode == 2
