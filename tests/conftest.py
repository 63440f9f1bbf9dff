"""Shared fixtures: the tiny valid site, a factory for broken variants, the real content."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

import pytest

from connect_site.content.graph import Site
from connect_site.pipeline import CheckResult, check
from connect_site.site.files import SiteFiles

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from connect_site.pipeline import BuildResult

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
TINY = Path(__file__).parent / "fixtures" / "tiny" / "content"
REAL = ROOT / "content"

Files = dict[str, Optional[Union[str, bytes]]]


def write_site(base: Path, files: Files) -> Path:
    """A copy of the tiny site under base/content, with `files` replaced (None deletes)."""
    content = base / "content"
    shutil.copytree(TINY, content)
    for rel, data in files.items():
        path = content / rel
        if data is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return content


def run(content: Path, **kwargs: object) -> CheckResult:
    return check(content, display_root="content", year=2026, **kwargs)  # type: ignore[arg-type]


def render_files(site: Site, *, jobs: int = 0, **kwargs: Any) -> tuple[dict[str, bytes], int]:
    """Every file of a checked site, in memory (what `build` writes), and how many are pages."""
    files = SiteFiles(site, **kwargs)
    return files.render_all(jobs=jobs), files.pages


def lines(result: CheckResult) -> list[str]:
    """The first line of each diagnostic (location, severity, code, message)."""
    return [d.format().splitlines()[0] for d in result.diagnostics]


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[Files], Path]:
    return lambda files: write_site(tmp_path, files)


@pytest.fixture(scope="session")
def real_result() -> CheckResult:
    """The real content, checked once per test session."""
    return check(REAL, display_root="content")


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The real microsite, built once per test session (base URL with a sub-path), its pages
    rendered by two processes (test_build.py compares it with a one-process rendering)."""
    from connect_site.pipeline import build

    out = tmp_path_factory.mktemp("real") / "_site"
    result = build(REAL, out, display_root="content", jobs=2)
    assert result.ok, [d.format() for d in result.check.diagnostics if d.severity == "error"]
    return out, result


@pytest.fixture(scope="session")
def real_site(real_build: tuple[Path, BuildResult]) -> Path:
    return real_build[0]


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny fixture site, built once per test session."""
    from connect_site.pipeline import build

    out = tmp_path_factory.mktemp("tiny") / "_site"
    result = build(TINY, out, display_root="content")
    assert result.ok, [d.format() for d in result.check.diagnostics]
    return out


# -- the browser tests of the real site: one Chromium and one server per test module --------------


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    import gates

    with gates.browser() as b:
        yield b


@pytest.fixture(scope="module")
def base(real_site: Path) -> Iterator[str]:
    """The URL of the real site, served under gates.BASE_PATH."""
    import gates

    with gates.serve(real_site, gates.BASE_PATH) as url:
        yield url
