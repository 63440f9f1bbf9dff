"""Writing the built site: exact result, all-or-nothing on failure, refusing dangerous folders."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Union

import pytest

from conftest import ROOT
from connect_site.errors import ConnectSiteError
from connect_site.output import write
from connect_site.output.write import MARKER, STAGING, Strategy, WriteStats, write_site

STRATEGIES: tuple[Strategy, ...] = ("sync", "swap")
Entry = Union[bytes, str]  # file bytes, "<dir>" or "-> target" for a symlink


def snapshot(root: Path) -> dict[str, Entry]:
    """Every entry under root (dot-files included, symlinks not followed) -> its bytes or kind."""
    found: dict[str, Entry] = {}
    for folder, dirs, names in os.walk(root):
        for name in dirs + names:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_dir():
                found[rel] = "<dir>"
            else:
                found[rel] = path.read_bytes()
    return found


def site(n: int, version: int = 0) -> dict[str, bytes]:
    return {f"s{i // 10}/p{i}.html": f"page {i} v{version}\n".encode() for i in range(n)}


def expected_tree(files: dict[str, bytes]) -> dict[str, Entry]:
    tree: dict[str, Entry] = {}
    for rel, data in files.items():
        tree[rel] = data
        parts = rel.split("/")
        for i in range(1, len(parts)):
            tree["/".join(parts[:i])] = "<dir>"
    tree[MARKER] = marker_for(files)
    return tree


def under(folder: str, tree: dict[str, Entry]) -> dict[str, Entry]:
    """`tree` as seen from the parent of `folder` (which holds nothing else)."""
    return {folder: "<dir>", **{f"{folder}/{rel}": entry for rel, entry in tree.items()}}


def marker_for(files: dict[str, bytes]) -> bytes:
    return write._manifest_bytes(files)


def fail_on_write(monkeypatch: pytest.MonkeyPatch, at: int, exc: BaseException) -> list[str]:
    """Make the `at`-th file write raise `exc` (after writing half the bytes); return the paths tried."""
    real = write._write_bytes
    tried: list[str] = []

    def flaky(path: str, data: bytes) -> None:
        tried.append(path)
        if len(tried) == at:
            with open(path, "xb") as fh:
                fh.write(data[: len(data) // 2])
            raise exc
        real(path, data)

    monkeypatch.setattr(write, "_write_bytes", flaky)
    return tried


# --- success -------------------------------------------------------------------------


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_first_write_is_exactly_the_files_and_the_marker(tmp_path: Path, strategy: Strategy) -> None:
    files = {"index.html": b"<h1>home</h1>", "targets/1.4/index.html": b"t", "assets/style.3f2a1b9c.css": b"css"}
    stats = write_site(tmp_path / "build" / "_site", files, strategy=strategy)
    assert snapshot(tmp_path) == {"build": "<dir>", **under("build/_site", expected_tree(files))}
    marker = json.loads((tmp_path / "build" / "_site" / MARKER).read_text(encoding="utf-8"))
    assert marker["files"] == sorted(files)
    assert (stats.written, stats.unchanged, stats.deleted) == (3, 0, 0)
    assert stats.seconds >= 0 and stats.strategy == strategy


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_rebuild_deletes_stale_files_and_empty_folders(tmp_path: Path, strategy: Strategy) -> None:
    out = tmp_path / "_site"
    write_site(out, {"index.html": b"1", "a/b/c.html": b"2", "a/x.html": b"3", "d/e/f.html": b"4"}, strategy=strategy)
    new = {"index.html": b"1", "a/x.html": b"three", "g/h.html": b"5"}
    stats = write_site(out, new, strategy=strategy)
    assert snapshot(tmp_path) == under("_site", expected_tree(new))
    assert stats.deleted == 2
    if strategy == "sync":
        assert (stats.written, stats.unchanged) == (2, 1)


def test_identical_rebuild_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    files = site(30)
    write_site(out, files)
    old = 1_000_000_000_000_000_000
    for path in [out, *out.rglob("*")]:
        os.utime(path, ns=(old, old), follow_symlinks=False)
    before = snapshot(tmp_path)
    stats = write_site(out, dict(files))
    assert (stats.written, stats.unchanged, stats.deleted) == (0, 30, 0)
    assert snapshot(tmp_path) == before
    assert all(p.stat().st_mtime_ns == old for p in [out, *out.rglob("*")])


def test_sync_rewrites_only_changed_files_even_of_the_same_size(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    files = site(30)
    write_site(out, files)
    old = 1_000_000_000_000_000_000
    for path in out.rglob("*.html"):
        os.utime(path, ns=(old, old))
    files["s1/p12.html"] = b"page 12 v9\n"  # same size as before
    (out / "s2/p25.html").write_bytes(b"page 25 XX\n")  # edited by hand: the build repairs it
    stats = write_site(out, files)
    assert (stats.written, stats.unchanged, stats.deleted) == (2, 28, 0)
    assert snapshot(out) == expected_tree(files)
    touched = {p.relative_to(out).as_posix() for p in out.rglob("*.html") if p.stat().st_mtime_ns != old}
    assert touched == {"s1/p12.html", "s2/p25.html"}


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_files_and_folders_trade_places(tmp_path: Path, strategy: Strategy) -> None:
    out = tmp_path / "_site"
    write_site(out, {"a/index.html": b"a", "a/deep/x.html": b"x", "b": b"b", "c/d": b"d"}, strategy=strategy)
    new = {"a": b"now a file", "b/index.html": b"now a folder", "c/d/e": b"deeper"}
    write_site(out, new, strategy=strategy)
    assert snapshot(out) == expected_tree(new)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_empty_site_and_existing_empty_folder(tmp_path: Path, strategy: Strategy) -> None:
    out = tmp_path / "_site"
    out.mkdir()
    write_site(out, {}, strategy=strategy)
    assert snapshot(out) == {MARKER: marker_for({})}
    write_site(out, {"x.html": b"x"}, strategy=strategy)
    assert snapshot(out) == expected_tree({"x.html": b"x"})


def test_switching_strategies_between_builds(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site(out, site(20), strategy="swap")
    write_site(out, site(25, 1), strategy="sync")
    write_site(out, site(15, 2), strategy="swap")
    assert snapshot(tmp_path) == under("_site", expected_tree(site(15, 2)))


# --- all or nothing ------------------------------------------------------------------


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("previous", ["site", "empty folder", "no folder"])
@pytest.mark.parametrize("at", [1, 50])
def test_a_failed_write_leaves_everything_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strategy: Strategy, previous: str, at: int
) -> None:
    out = tmp_path / "parent" / "_site"
    (tmp_path / "parent").mkdir()
    (tmp_path / "parent" / "neighbour.txt").write_bytes(b"not ours")
    if previous == "site":
        write_site(out, {**site(80), "gone/old.html": b"old", "a": b"file that becomes a folder"})
    elif previous == "empty folder":
        out.mkdir()
    before = snapshot(tmp_path)
    tried = fail_on_write(monkeypatch, at, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    with pytest.raises(ConnectSiteError) as info:
        write_site(out, {**site(100, 1), "a/index.html": b"folder now"}, strategy=strategy)
    assert len(tried) == at
    assert "disk is full" in info.value.hint and "left as it was" in info.value.hint
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_any_exception_while_writing_is_cleaned_up_and_propagates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strategy: Strategy
) -> None:
    out = tmp_path / "_site"
    write_site(out, site(60))
    before = snapshot(tmp_path)
    fail_on_write(monkeypatch, 50, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        write_site(out, site(60, 1), strategy=strategy)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_failure_on_the_last_write_leaves_everything_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strategy: Strategy
) -> None:
    out, dry = tmp_path / "real" / "_site", tmp_path / "dry" / "_site"
    for folder in (out, dry):
        write_site(folder, site(20))
    tried = fail_on_write(monkeypatch, 10**9, RuntimeError())
    write_site(dry, site(25, 1), strategy=strategy)  # count the writes of the same build
    monkeypatch.undo()
    before = snapshot(tmp_path / "real")
    fail_on_write(monkeypatch, len(tried), OSError(errno.EIO, "I/O error"))
    with pytest.raises(ConnectSiteError):
        write_site(out, site(25, 1), strategy=strategy)
    assert snapshot(tmp_path / "real") == before


def test_a_commit_cut_short_is_reported_and_repaired_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "_site"
    write_site(out, site(40))
    real_replace = os.replace
    calls: list[object] = []

    def failing_replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 5:
            raise OSError(errno.EIO, "I/O error", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    new = {**site(30, 1), "new/page.html": b"new"}
    with pytest.raises(ConnectSiteError) as info:
        write_site(out, new)
    monkeypatch.undo()
    assert "could not finish" in info.value.message and "build again" in info.value.hint
    assert not (out / STAGING).exists()
    write_site(out, new)  # the half-updated folder is still recognised as ours
    assert snapshot(tmp_path) == under("_site", expected_tree(new))


def test_swap_puts_the_old_site_back_when_the_new_one_cannot_be_renamed_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "_site"
    write_site(out, site(10))
    before = snapshot(tmp_path)
    real_rename = os.rename

    def failing_rename(src: str, dst: str) -> None:
        if Path(dst) == out and ".connect-site-new-" in str(src):
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(dst))
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", failing_rename)
    with pytest.raises(ConnectSiteError):
        write_site(out, site(12, 1), strategy="swap")
    assert snapshot(tmp_path) == before


def test_staging_left_by_a_killed_build_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site(out, site(5))
    (out / STAGING).mkdir()
    (out / STAGING / "0").write_bytes(b"half")
    write_site(out, site(5))
    assert snapshot(out) == expected_tree(site(5))


# --- refusals ------------------------------------------------------------------------


def refused(action: Callable[[], object], root: Path) -> ConnectSiteError:
    """Run action, expect ConnectSiteError, and check nothing under root changed."""
    before = snapshot(root)
    with pytest.raises(ConnectSiteError) as info:
        action()
    assert snapshot(root) == before
    assert info.value.hint
    return info.value


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_refuses_a_folder_that_is_not_ours(tmp_path: Path, strategy: Strategy) -> None:
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "README.md").write_text("keep me", encoding="utf-8")
    (project / ".git").mkdir()
    error = refused(lambda: write_site(project, site(3), strategy=strategy), tmp_path)
    assert "not written by connect-site" in error.message
    (project / "dotfile").mkdir()
    (project / "dotfile" / ".keep").write_bytes(b"")
    refused(lambda: write_site(project / "dotfile", {}, strategy=strategy), tmp_path)


def test_an_empty_folder_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write_site(tmp_path / "empty", {"a.html": b"a"})
    assert snapshot(tmp_path / "empty") == expected_tree({"a.html": b"a"})


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_refuses_the_content_folder_its_parents_and_its_children(tmp_path: Path, strategy: Strategy) -> None:
    content = tmp_path / "repo" / "content"
    content.mkdir(parents=True)
    for out in (content, tmp_path / "repo", content / "_site", content / "sub" / "_site"):

        def attempt(out: Path = out) -> WriteStats:
            return write_site(out, site(2), protect=(("content folder", content),), strategy=strategy)

        assert "content folder" in refused(attempt, tmp_path).message
    # even when the content folder is given by another spelling
    relative = Path(os.path.relpath(content))
    refused(lambda: write_site(content / "x", {}, protect=(("content folder", relative),), strategy=strategy), tmp_path)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_refuses_root_home_and_above_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strategy: Strategy) -> None:
    home = tmp_path / "users" / "me"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    assert "filesystem root" in refused(lambda: write_site(Path("/"), {}, strategy=strategy), tmp_path).message
    assert "home folder" in refused(lambda: write_site(home, {}, strategy=strategy), tmp_path).message
    assert "home folder" in refused(lambda: write_site(home / "..", {}, strategy=strategy), tmp_path).message
    write_site(home / "_site", {"a": b"a"}, strategy=strategy)  # inside home is fine


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_refuses_a_symlink_or_a_file_as_the_output_folder(tmp_path: Path, strategy: Strategy) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "file").write_bytes(b"a file")
    assert "symbolic link" in refused(lambda: write_site(tmp_path / "link", {}, strategy=strategy), tmp_path).message
    refused(lambda: write_site(tmp_path / "dangling", {}, strategy=strategy), tmp_path)
    assert "not a folder" in refused(lambda: write_site(tmp_path / "file", {}, strategy=strategy), tmp_path).message
    refused(lambda: write_site(tmp_path / "file" / "_site", {}, strategy=strategy), tmp_path)


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("where", ["s0/p1.html", "s0/linked-dir", "gone"])
def test_a_symlink_inside_the_output_folder_is_refused_and_not_followed(
    tmp_path: Path, strategy: Strategy, where: str
) -> None:
    out = tmp_path / "_site"
    write_site(out, {**site(5), "gone/x.html": b"x"})
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_bytes(b"precious")
    target = out / where
    if target.is_dir():
        for child in target.iterdir():
            child.unlink()
        target.rmdir()
    elif target.exists():
        target.unlink()
    target.symlink_to(victim)
    error = refused(lambda: write_site(out, site(3), strategy=strategy), tmp_path)
    assert "symbolic link" in error.message
    assert (victim / "precious.txt").read_bytes() == b"precious"


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_refuses_files_our_marker_does_not_list(tmp_path: Path, strategy: Strategy) -> None:
    out = tmp_path / "_site"
    write_site(out, site(5))
    (out / "CNAME").write_bytes(b"example.org")
    error = refused(lambda: write_site(out, site(3), strategy=strategy), tmp_path)
    assert "'CNAME'" in error.message and "did not write" in error.message
    (out / "CNAME").unlink()
    (out / "s0" / "drafts").mkdir()
    refused(lambda: write_site(out, site(3), strategy=strategy), tmp_path)


@pytest.mark.parametrize(
    "marker",
    [b"not json", b'{"generator": "other"}', b'{"generator": "connect-site", "format": 1, "files": ["../victim"]}'],
)
def test_a_marker_we_cannot_trust_is_refused(tmp_path: Path, marker: bytes) -> None:
    (tmp_path / "victim").write_bytes(b"keep")
    out = tmp_path / "_site"
    out.mkdir()
    (out / MARKER).write_bytes(marker)
    assert "marker" in refused(lambda: write_site(out, {}), tmp_path).message


# --- permission denied ---------------------------------------------------------------


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_permission_denied_is_a_connect_site_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strategy: Strategy
) -> None:
    out = tmp_path / "_site"
    write_site(out, site(5))
    before = snapshot(tmp_path)
    fail_on_write(monkeypatch, 1, PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(out / "x")))
    with pytest.raises(ConnectSiteError) as info:
        write_site(out, site(6, 1), strategy=strategy)
    assert "Permission denied" in info.value.message and "check that you may write" in info.value.hint
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_an_unwritable_subfolder_is_found_before_the_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strategy: Strategy
) -> None:
    out = tmp_path / "_site"
    write_site(out, site(30))
    before = snapshot(tmp_path)
    real_access = os.access
    locked = str(out / "s2")
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p).rstrip("/") == locked else real_access(p, mode))
    with pytest.raises(ConnectSiteError) as info:
        write_site(out, {**site(30, 1), "new/x.html": b"x"}, strategy=strategy)
    assert "s2" in info.value.message
    assert snapshot(tmp_path) == before


def permissions_enforced() -> bool:
    """False for root (or anyone with CAP_DAC_OVERRIDE), who may write into a read-only folder."""
    with tempfile.TemporaryDirectory() as scratch:
        os.chmod(scratch, 0o555)
        try:
            Path(scratch, "probe").write_bytes(b"")
        except PermissionError:
            return True
        finally:
            os.chmod(scratch, 0o755)
        return False


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_read_only_output_folder_is_a_connect_site_error(tmp_path: Path, strategy: Strategy) -> None:
    if not permissions_enforced():
        # Root (CI) may write anywhere: run this test again in a child without that power.
        child = subprocess.run(
            ["setpriv", "--bounding-set=-dac_override,-dac_read_search", sys.executable, "-m", "pytest", "-q",
             "-p", "no:cacheprovider", f"{__file__}::test_a_read_only_output_folder_is_a_connect_site_error[{strategy}]"],
            capture_output=True, text=True, check=False, cwd=ROOT,
        )  # fmt: skip
        assert child.returncode == 0 and "1 passed" in child.stdout, child.stdout + child.stderr
        return
    out = tmp_path / "_site"
    write_site(out, site(5))
    os.chmod(out, 0o555)
    os.chmod(tmp_path, 0o555)
    try:
        before = snapshot(tmp_path)
        with pytest.raises(ConnectSiteError):
            write_site(out, site(5, 1), strategy=strategy)
        assert snapshot(tmp_path) == before
    finally:
        os.chmod(tmp_path, 0o755)
        os.chmod(out, 0o755)


# --- programming errors --------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "/etc/passwd",
        "../x",
        "a/../b",
        "a/./b",
        "./a",
        "a//b",
        "a/",
        "a\\b",
        "a\0b",
        "\udc80\ud800",
        "x" * 256,
        MARKER,
        STAGING + "/0",
        ".connect-site-anything",
    ],
)
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_bad_paths_are_value_errors_and_write_nothing(tmp_path: Path, bad: str, strategy: Strategy) -> None:
    with pytest.raises(ValueError):
        write_site(tmp_path / "_site", {"ok.html": b"", bad: b"x"}, strategy=strategy)
    assert not (tmp_path / "_site").exists()


def test_a_path_that_is_both_a_file_and_a_folder_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="both a file and a folder"):
        write_site(tmp_path / "_site", {"a": b"", "a/b.html": b""})
    with pytest.raises(TypeError):
        write_site(tmp_path / "_site", {"a": "text"})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        write_site(tmp_path / "_site", {}, strategy="copy")  # type: ignore[arg-type]
    assert not (tmp_path / "_site").exists()


def test_write_stats_is_frozen() -> None:
    stats = WriteStats(1, 2, 3, 0.5)
    with pytest.raises(AttributeError):
        stats.written = 5  # type: ignore[misc]
