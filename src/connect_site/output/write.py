"""Write the built site to the output folder, all or nothing.

The build renders every page into memory (`files`: posix relative path -> bytes); this
module puts that mapping on disk. Guarantees:

- **All or nothing.** If anything fails before the commit (an exception, a full disk,
  permission denied), the previous site is left byte-identical and every temporary file
  and folder we made is removed. A run that succeeds leaves exactly `files` plus our
  marker, `.connect-site.json` (the sorted list of files we wrote): stale files are
  deleted and folders left empty by them removed.
- **Deletes only what we wrote.** We refuse (`ConnectSiteError`) to write into the
  filesystem root, the home folder (or a folder above it), a folder that contains the
  content folder or is inside it, a symlink, a file, or a non-empty folder without our
  marker. Inside a marked folder we refuse symlinks, special files and any entry the
  marker does not account for, so neither strategy can delete something we did not write.

Two strategies (`bench/write_speed.py` measures them; see docs/performance.md). On
this project's disk, creating a file costs far more than anything else (0.1-0.5 ms
each, all kernel time), so the fastest write is the one that creates fewest files:
"sync" is the default because a rebuild with nothing or little changed creates
nothing or little (0.2 s for 10,000 files, against about 5 s for "swap"), while a
first build or a rebuild that changes every file costs about the same either way.

- ``"sync"`` (default): compare with what is on disk (size, then the bytes themselves;
  the disk is the truth, so a file edited by hand or torn by a crash is noticed and
  rewritten), write only new and changed files into a staging folder inside the output
  folder (``.connect-site.staging``, same filesystem), and only when every write
  succeeded *commit*: delete stale files, rename the staged files into place
  (`os.replace`, atomic per file) and replace the marker. Unchanged files are not
  touched (their mtimes survive, which keeps rsync/`make`-style deploys cheap).

  Into an empty or new folder (a first build) there is nothing to keep, so files are
  written in place, marker first, and on failure everything written is removed again.

  The commit is not atomic as a whole: while it runs (about 0.1 ms per changed file,
  so up to a second for 10,000 changed files) a reader can see a mix of old and new
  pages. Folders for new files are created before the commit
  (and removed again on failure) so the commit is only unlinks and same-filesystem
  renames, which do not need new disk space for replaced files and do not fail for lack
  of permission (checked before the commit). Before the commit the marker is replaced
  with one listing old *and* new files, so if the commit is interrupted (power loss,
  SIGKILL, EIO) the folder is still recognised as ours and the next build repairs it;
  a staging folder left by a killed build is deleted by the next one.
- ``"swap"``: write the whole site into a new sibling folder, rename the old folder
  aside, rename the new one in and delete the old one. The swap window is two renames.
  Every build rewrites every file, needs write access to the parent folder, and does
  not work when the output folder is a mount point. A build killed mid-way leaves its
  ``.NAME.connect-site-new-*`` sibling folder behind (not cleaned up automatically).

No `fsync`: the output is reproducible from the content, a crash can only cost a
rebuild, and ``"sync"`` compares real bytes, so a file left empty or torn by a power
loss is rewritten by the next build. Files and folders are created with the default
modes (0o666 / 0o777 less the umask), by both strategies.

Neither strategy writes into an existing file (no truncation): a changed file is a new
file renamed over the old one, so a hard link to an old page elsewhere keeps its content.

Not supported: two builds writing into the same folder at the same time.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
import stat
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Optional

from connect_site.errors import ConnectSiteError, EnvironmentProblem
from connect_site.output.write_checks import (
    PATH_MAX,
    check_files,
    check_out_dir,
    check_rel_path,
    folders_of,
    parent_folders,
)

MARKER = ".connect-site.json"
STAGING = ".connect-site.staging"
GENERATOR = "connect-site"
MANIFEST_FORMAT = 1

Strategy = Literal["sync", "swap"]


@dataclass(frozen=True)
class WriteStats:
    """What one `write_site` call did. `written` counts files created or rewritten."""

    written: int
    unchanged: int
    deleted: int
    seconds: float
    strategy: str = "sync"


@dataclass
class _Tree:
    """What is in an output folder (never following symbolic links)."""

    files: dict[str, int] = field(default_factory=dict)  # relative path -> size
    folders: set[str] = field(default_factory=set)
    manifest: Optional[list[str]] = None  # None: no marker
    marker_bytes: Optional[bytes] = None
    staging_left: bool = False  # a staging folder left by a killed build


def _manifest_bytes(paths: Iterable[str]) -> bytes:
    doc = {"generator": GENERATOR, "format": MANIFEST_FORMAT, "files": sorted(paths)}
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _parse_manifest(data: bytes, shown: str) -> list[str]:
    problem = ConnectSiteError(
        f"{shown}/{MARKER} is not a connect-site marker connect-site can read",
        hint=f"if {shown} is an old build, delete the folder and build again",
    )
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise problem from None
    if not isinstance(doc, dict) or doc.get("generator") != GENERATOR or doc.get("format") != MANIFEST_FORMAT:
        raise problem
    paths = doc.get("files")
    if not isinstance(paths, list):
        raise problem
    for rel in paths:
        try:  # the marker is read from disk: never trust it to name a path outside the folder
            check_rel_path(rel)
        except ValueError:
            raise problem from None
    return [str(rel) for rel in paths]


def _foreign(kind: str, rel: str, shown: str) -> ConnectSiteError:
    return ConnectSiteError(
        f"{shown} holds {kind} {rel!r}, which connect-site did not write",
        hint=f"connect-site only deletes what it wrote: move {rel!r} out of {shown} (or delete it) and build again",
    )


def _scan(out: Path) -> _Tree:
    """The tree under `out`, checked to hold only what our marker accounts for."""
    tree = _Tree()
    shown = out.as_posix()
    if not os.path.isdir(out):
        return tree
    other: list[tuple[str, str]] = []  # (kind, rel) of symlinks and special files
    stack = [""]
    while stack:
        prefix = stack.pop()
        with os.scandir(out / prefix if prefix else out) as it:
            for entry in it:
                rel = f"{prefix}/{entry.name}" if prefix else entry.name
                if not prefix and entry.name in (MARKER, STAGING):
                    if entry.name == MARKER and entry.is_file(follow_symlinks=False):
                        with open(entry.path, "rb") as fh:
                            tree.marker_bytes = fh.read()
                    elif entry.name == STAGING and entry.is_dir(follow_symlinks=False):
                        tree.staging_left = True
                    else:
                        other.append(("an unexpected entry", rel))
                elif entry.is_symlink():
                    other.append(("a symbolic link", rel))
                elif entry.is_dir(follow_symlinks=False):
                    tree.folders.add(rel)
                    stack.append(rel)
                elif entry.is_file(follow_symlinks=False):
                    tree.files[rel] = entry.stat(follow_symlinks=False).st_size
                else:
                    other.append(("a special file", rel))
    if tree.marker_bytes is None:
        if tree.files or tree.folders or other or tree.staging_left:
            raise ConnectSiteError(
                f"refusing to write the site into {shown}: it is not empty and was not written by connect-site",
                hint=f"choose an empty or new folder, such as --out _site (connect-site marks its own with {MARKER})",
            )
        return tree
    tree.manifest = _parse_manifest(tree.marker_bytes, shown)
    if other:
        kind, rel = sorted(other, key=lambda item: item[1])[0]
        if kind == "a symbolic link":
            raise ConnectSiteError(
                f"{shown} holds a symbolic link {rel!r}",
                hint=f"connect-site does not follow or delete symbolic links: remove {rel!r} and build again",
            )
        raise _foreign(kind, rel, shown)
    known = set(tree.manifest)
    unknown_files = sorted(set(tree.files) - known)
    if unknown_files:
        raise _foreign("the file", unknown_files[0], shown)
    unknown_folders = sorted(tree.folders - folders_of(known))
    if unknown_folders:
        raise _foreign("the folder", unknown_folders[0], shown)
    return tree


# --- errors --------------------------------------------------------------------------


def _os_error(exc: OSError, out: Path, *, committed: bool = False) -> EnvironmentProblem:
    shown = out.as_posix()
    where = exc.filename if isinstance(exc.filename, str) else shown
    reason = exc.strerror or str(exc)
    if committed:
        return EnvironmentProblem(
            f"could not finish updating {shown}: {reason} ({where})",
            hint="the folder may hold a mix of old and new pages; fix the problem and build again, "
            "connect-site recognises and repairs a partly updated folder",
        )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        advice = "the disk is full (or over quota): free some space and build again"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        advice = f"check that you may write to {shown} and the folders in it"
    elif exc.errno == errno.EROFS:
        advice = "the output folder is on a read-only filesystem: choose another --out"
    elif exc.errno == errno.ENOTDIR:
        advice = "a parent of the output folder is a file: choose another --out"
    else:
        advice = "fix the problem and build again"
    return EnvironmentProblem(
        f"could not write the site to {shown}: {reason} ({where})",
        hint=f"{advice}; the previous site in {shown} was left as it was",
    )


def _write_bytes(path: str, data: bytes) -> None:
    """Create a new file (never overwrite one). Tests replace this to inject failures."""
    with open(path, "xb") as fh:
        fh.write(data)


def _make_out_dir(out: Path) -> list[Path]:
    """Create `out` and missing parents; return what was created, outermost first."""
    missing: list[Path] = []
    probe = out
    while not os.path.lexists(probe):
        missing.append(probe)
        probe = probe.parent
    created: list[Path] = []
    try:
        for folder in reversed(missing):
            os.mkdir(folder)
            created.append(folder)
    except BaseException:
        _remove_created(created)
        raise
    return created


def _remove_created(created: list[Path]) -> None:
    for folder in reversed(created):
        try:
            os.rmdir(folder)
        except OSError:
            pass


# --- the strategies ------------------------------------------------------------------


def _same(path: str, size: Optional[int], data: bytes) -> bool:
    """Whether the file at `path` (of `size` bytes, or absent) holds exactly `data`."""
    if size is None or size != len(data):
        return False
    with open(path, "rb", buffering=0) as fh:
        return fh.read(size + 1) == data


def _sync(out: Path, files: Mapping[str, bytes], needed: set[str], tree: _Tree) -> tuple[int, int, int]:
    base = str(out) + "/"
    if tree.marker_bytes is None and not tree.files and not tree.folders and not tree.staging_left:
        return _fill(base, files, needed)
    old_paths = set(tree.manifest or ())
    on_disk = tree.files
    changed = sorted(rel for rel, data in files.items() if not _same(base + rel, on_disk.get(rel), data))
    stale_files = sorted(set(on_disk) - files.keys())
    stale_folders = sorted(tree.folders - needed, reverse=True)  # children before parents
    manifest = _manifest_bytes(files)
    if not changed and not stale_files and not stale_folders and tree.marker_bytes == manifest:
        if tree.staging_left:
            shutil.rmtree(base + STAGING)
        return 0, len(files), 0

    # Stage: every new byte goes to disk in the staging folder; the site is untouched until the commit.
    staged = base + STAGING + "/"
    new_folders = sorted(needed - tree.folders)  # parents before children
    early = [rel for rel in new_folders if rel not in on_disk and not any(p in on_disk for p in parent_folders(rel))]
    intent = not old_paths.issuperset(files)
    made: list[str] = []
    if tree.staging_left:
        shutil.rmtree(base + STAGING)
    os.mkdir(base + STAGING)
    try:
        for i, rel in enumerate(changed):
            _write_bytes(f"{staged}{i}", files[rel])
        _write_bytes(staged + "manifest", manifest)
        if intent:  # lists old and new files: a commit cut short still leaves a folder we recognise
            _write_bytes(staged + "intent", _manifest_bytes(old_paths.union(files)))
        for rel in early:  # new folders, which a reader may briefly see empty; removed again on failure
            os.mkdir(base + rel)
            made.append(rel)
        _check_writable(base, map(_parent_of, (*changed, *stale_files, *stale_folders)))
    except BaseException:
        for rel in reversed(made):
            try:
                os.rmdir(base + rel)
            except OSError:
                pass
        shutil.rmtree(base + STAGING, ignore_errors=True)
        raise

    # Commit: unlinks and renames on one filesystem.
    try:
        if intent:
            os.replace(staged + "intent", base + MARKER)
        for rel in stale_files:
            os.unlink(base + rel)
        for rel in stale_folders:
            os.rmdir(base + rel)
        present = (tree.folders - set(stale_folders)).union(made)
        for i, rel in enumerate(changed):
            for parent in parent_folders(rel):  # only where a stale file stood in the way of a folder
                if parent not in present:
                    os.mkdir(base + parent)
                    present.add(parent)
            os.replace(f"{staged}{i}", base + rel)
        os.replace(staged + "manifest", base + MARKER)
        os.rmdir(base + STAGING)
    except OSError as exc:
        shutil.rmtree(base + STAGING, ignore_errors=True)
        raise _os_error(exc, out, committed=True) from exc
    except BaseException:
        shutil.rmtree(base + STAGING, ignore_errors=True)
        raise
    return len(changed), len(files) - len(changed), len(stale_files)


def _fill(base: str, files: Mapping[str, bytes], needed: set[str]) -> tuple[int, int, int]:
    """Write into an empty folder directly (no previous site to keep); on failure empty it again.

    The marker goes first, so a build killed half way leaves a folder the next build recognises.
    """
    made: list[str] = []
    written: list[str] = []
    try:
        written.append(MARKER)
        _write_bytes(base + MARKER, _manifest_bytes(files))
        for rel in sorted(needed):
            os.mkdir(base + rel)
            made.append(rel)
        for rel, data in files.items():
            written.append(rel)  # before writing: a failed write may leave part of the file
            _write_bytes(base + rel, data)
    except BaseException:
        for rel in written:
            try:
                os.unlink(base + rel)
            except OSError:
                pass
        for rel in reversed(made):
            try:
                os.rmdir(base + rel)
            except OSError:
                pass
        raise
    return len(files), 0, 0


def _check_writable(base: str, folders: Iterable[str]) -> None:
    """Fail before the commit if a folder (relative to base; "" for base) is not writable.

    Only where permissions are enforced: root may write anyway.
    """
    for rel in sorted(set(folders)):
        folder = base + rel
        if os.path.isdir(folder) and not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), folder.rstrip("/"))


def _parent_of(rel: str) -> str:
    return rel.rpartition("/")[0]


def _sibling(out: Path, tag: str) -> Path:
    while True:
        candidate = out.parent / f".{out.name}.connect-site-{tag}-{os.getpid()}-{secrets.token_hex(4)}"
        if not os.path.lexists(candidate):
            return candidate


def _swap(out: Path, files: Mapping[str, bytes], needed: set[str], tree: _Tree) -> tuple[int, int, int]:
    stale = len(set(tree.files) - files.keys())
    new = _sibling(out, "new")
    old: Optional[Path] = None
    os.mkdir(new)
    try:
        base = str(new) + "/"
        for rel in sorted(needed):
            os.mkdir(base + rel)
        for rel, data in files.items():
            _write_bytes(base + rel, data)
        _write_bytes(base + MARKER, _manifest_bytes(files))
        if os.path.isdir(out):
            _check_writable(str(out) + "/", ["", *tree.folders])  # or the old site could not be deleted
            os.chmod(new, stat.S_IMODE(os.stat(out).st_mode))
            old = _sibling(out, "old")
            os.rename(out, old)
            try:
                os.rename(new, out)
            except BaseException:
                os.rename(old, out)
                raise
        else:
            os.rename(new, out)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    if old is not None:
        try:
            shutil.rmtree(old)
        except OSError as exc:
            raise ConnectSiteError(
                f"the site was written to {out.as_posix()}, but the previous version could not be deleted: {exc}",
                hint=f"delete {old.as_posix()} by hand",
            ) from exc
    return len(files), 0, stale


def write_site(
    out_dir: Path,
    files: Mapping[str, bytes],
    *,
    protect: Sequence[tuple[str, Path]] = (),
    strategy: Strategy = "sync",
) -> WriteStats:
    """Make `out_dir` hold exactly `files` (plus our marker), or leave it as it was.

    `protect` names folders (what, folder) the output must neither contain nor be inside,
    such as ("content folder", content/).

    Raises ValueError for a bad path in `files` (a bug in the caller) and
    ConnectSiteError for every problem a user can cause or fix.
    """
    start = time.perf_counter()
    if strategy not in ("sync", "swap"):
        raise ValueError(f"unknown write strategy: {strategy!r}")
    needed = check_files(files)
    out = Path(os.path.abspath(out_dir))
    check_out_dir(out, protect)
    if strategy == "swap" and os.path.ismount(out):
        raise ConnectSiteError(
            f"the output folder {out.as_posix()} is a mount point and cannot be swapped",
            hint="use the 'sync' write strategy",
        )
    longest = max((len(os.fsencode(rel)) for rel in files), default=0)
    if len(os.fsencode(str(out))) + len(MARKER) + longest + 64 >= PATH_MAX:
        raise ConnectSiteError(
            f"the output folder path {out.as_posix()} is too long for the site's deepest file",
            hint="choose a shorter --out",
        )
    created: list[Path] = []
    try:
        tree = _scan(out)
        if strategy == "sync":
            created = _make_out_dir(out)
            counts = _sync(out, files, needed, tree)
        else:
            created = _make_out_dir(out.parent)
            counts = _swap(out, files, needed, tree)
    except OSError as exc:
        _remove_created(created)
        raise _os_error(exc, out) from exc
    except BaseException:
        _remove_created(created)
        raise
    return WriteStats(*counts, seconds=time.perf_counter() - start, strategy=strategy)
