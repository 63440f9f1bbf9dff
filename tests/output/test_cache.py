"""The build cache (rendered Markdown, search shards) and the sharded search index.

The rule they must keep: the output is byte for byte the one of a build without any of
it (no cache, one process, one search shard is not required: sharding depends on the
site's size alone, so the reference build shards the same way).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TINY
from connect_site.cli import main
from connect_site.output import cache
from connect_site.pipeline import build
from connect_site.site import markdown as markup
from connect_site.site import search

ENTRY = "initiatives/kenya-plan.md"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    out = tmp_path / "content"
    shutil.copytree(TINY, out)
    return out


@pytest.fixture
def shards(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Index in shards of 4 pages; returns the list of page counts given to Pagefind, one per run."""
    monkeypatch.setattr(search, "SHARD_PAGES", 4)
    runs: list[int] = []
    real = search._pagefind

    def counting(executable: Path, pages: dict[str, bytes], config: str) -> dict[str, bytes]:
        runs.append(len(pages))
        return real(executable, pages, config)

    monkeypatch.setattr(search, "_pagefind", counting)
    return runs


def edit(content: Path) -> None:
    with (content / ENTRY).open("a", encoding="utf-8") as f:
        f.write("\nA paragraph added to test the cache, with the word quokkaworth.\n")


def reference(content: Path, out: Path) -> dict[str, bytes]:
    """The build with nothing kept: no cache, nothing in memory, one process."""
    result = build(content, out, display_root="content", jobs=1)
    assert result.ok
    return tree(out)


def test_cached_builds_are_byte_identical_to_uncached_ones(content: Path, tmp_path: Path, shards: list[int]) -> None:
    store = tmp_path / "cache"
    expected = reference(content, tmp_path / "ref")
    assert len(shards) > 2, "the tiny site should be split into several search shards"
    assert sorted(k for k in expected if k.endswith("pagefind-entry.json"))[1:] == [
        f"pagefind/shard-{i}/pagefind-entry.json" for i in range(1, len(shards))
    ]

    for jobs in (1, 2):  # a cold cache, then a warm one
        shards.clear()
        result = build(content, tmp_path / f"out-{jobs}", display_root="content", jobs=jobs, cache_dir=store)
        assert result.ok and result.cache_problem == ""
        assert tree(tmp_path / f"out-{jobs}") == expected
    assert shards == [], "a warm cache runs Pagefind for no shard"

    edit(content)
    expected = reference(content, tmp_path / "ref-edited")
    shards.clear()
    result = build(content, tmp_path / "out-2", display_root="content", jobs=2, cache_dir=store)
    assert result.ok
    assert tree(tmp_path / "out-2") == expected
    assert b"quokkaworth" in expected["initiatives/kenya-plan/index.html"]
    # the entry's page is in one shard; the pages listing the entry (not its body) stay in theirs
    assert 1 <= len(shards) < len(expected[search.SHARDS].split(b","))


def test_markdown_comes_from_the_cache_and_the_cache_keeps_only_what_is_used(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "cache"
    first = build(content, tmp_path / "out", display_root="content", cache_dir=store)
    rows = sqlite3.connect(store / cache.FILE).execute("SELECT COUNT(*) FROM markdown").fetchone()[0]
    assert rows == len(first.bodies) >= 2

    rendered: list[str] = []
    real = markup.render_html
    monkeypatch.setattr(markup, "render_html", lambda body: rendered.append(body) or real(body))
    build(content, tmp_path / "out", display_root="content", cache_dir=store)
    assert rendered == []  # every body from the cache

    edit(content)
    edited = build(content, tmp_path / "out", display_root="content", cache_dir=store)
    assert len(rendered) == 1 and "quokkaworth" in rendered[0]
    keys = {k for (k,) in sqlite3.connect(store / cache.FILE).execute("SELECT key FROM markdown")}
    assert keys == edited.bodies and markup.body_key(rendered[0]) in keys  # the old body is gone


def test_the_markdown_key_covers_the_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    key = markup.body_key("Some *text*.")
    assert markup.body_key("Some *text*. ") != key
    monkeypatch.setattr(markup, "_salt", lambda: "another renderer version")
    assert markup.body_key("Some *text*.") != key


@pytest.mark.parametrize("damage", ["a file", "garbage", "read-only"])
def test_an_unusable_cache_never_fails_the_build(content: Path, tmp_path: Path, damage: str) -> None:
    store = tmp_path / "cache"
    if damage == "a file":
        store.write_text("not a folder", encoding="utf-8")
    else:
        store.mkdir()
        (store / cache.FILE).write_bytes(b"this is not a database" * 100)
        if damage == "read-only":
            (store / cache.FILE).unlink()
            build(content, tmp_path / "warm", display_root="content", cache_dir=store)
            (store / cache.FILE).chmod(0o444)
            store.chmod(0o555)
    try:
        expected = reference(content, tmp_path / "ref")
        result = build(content, tmp_path / "out", display_root="content", cache_dir=store)
    finally:
        if store.is_dir():
            store.chmod(0o755)
    assert result.ok
    assert tree(tmp_path / "out") == expected
    if damage != "read-only" or result.cache_problem:  # root may write a read-only file
        assert "build cache" in result.cache_problem and "building without it" in result.cache_problem


def test_the_cli_keeps_the_cache_apart_from_content_and_output(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    for cache_dir in (tmp_path / "out" / "cache", content / ".cache"):
        args = ["build", "--content", str(content), "--out", str(tmp_path / "out"), "--cache", str(cache_dir)]
        result = runner.invoke(main, args)
        assert result.exit_code == 2, result.output
        assert "overlaps the" in result.output and "--cache" in result.output
    monkeypatch.chdir(tmp_path)
    build_args = ["build", "--content", str(content), "--out", str(tmp_path / "out")]
    ok = runner.invoke(main, [*build_args, "--no-cache"])
    assert ok.exit_code == 0, ok.output
    assert not (tmp_path / ".connect-site-cache").exists()
    ok = runner.invoke(main, build_args)
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / ".connect-site-cache" / cache.FILE).is_file()
