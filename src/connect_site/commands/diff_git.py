"""Reading one side of `connect-site diff`: a content folder as it is, or the content folder
inside a git commit, unpacked from `git archive` into a temporary folder (never checked
out), within limits of size and number of files; symbolic links stay links that the loader
refuses, as it does in a working tree.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from connect_site.content.read import MAX_CSV_BYTES
from connect_site.errors import ConnectSiteError

MAX_ARCHIVE_BYTES = 256 * 1024 * 1024
MAX_ARCHIVE_FILES = 100_000


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=env, check=False)
    except FileNotFoundError:
        raise ConnectSiteError("git is not installed", "Install git, or compare two content folders.") from None


def materialise(spec: str, content_dir: Path, tmp: Path, name: str) -> tuple[Path, str]:
    """A folder holding the content of `spec` (a folder, or a git commit) and its display root."""
    if Path(spec).is_dir():
        return Path(spec), Path(spec).as_posix()
    where = Path.cwd()
    hint = (
        "Give a branch, tag or commit of this repository (e.g. origin/main or HEAD~1), or a content folder. "
        "In CI, fetch the whole history (actions/checkout with fetch-depth: 0)."
    )
    if not spec or spec.startswith("-"):
        raise ConnectSiteError(f"'{spec}' is neither a folder nor a git commit", hint)
    top = _git(["rev-parse", "--show-toplevel"], where)
    if top.returncode != 0:
        raise ConnectSiteError(f"'{spec}' is not a folder, and {where.as_posix()} is not in a git repository", hint)
    found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", spec + "^{commit}"], where)
    if found.returncode != 0:
        raise ConnectSiteError(f"'{spec}' is neither a folder nor a commit in this repository", hint)
    commit = found.stdout.decode().strip()
    root = Path(top.stdout.decode().strip()).resolve()
    absolute = Path(os.path.normpath(where.resolve() / content_dir))
    try:
        rel = absolute.relative_to(root).as_posix()
    except ValueError:
        raise ConnectSiteError(
            f"the content folder {content_dir.as_posix()} is outside the repository {root.as_posix()}",
            "Run the command inside the repository that holds the content, or give --content.",
        ) from None
    tree = commit if rel == "." else f"{commit}:{rel}"
    kind = _git(["cat-file", "-t", tree], where)
    if kind.returncode != 0 or kind.stdout.strip() != b"tree":
        raise ConnectSiteError(
            f"there is no folder '{rel}' in {spec}",
            "Give --content, the content folder's path in the repository (default: content).",
        )
    dest = tmp / name
    dest.mkdir()
    _extract(tree, root, dest, spec)  # from the top: in a sub-folder, git archive limits itself to it
    return dest, content_dir.as_posix()


def _extract(tree: str, cwd: Path, dest: Path, spec: str) -> None:
    """Unpack `git archive` of one tree into dest, bounded; symlinks stay links (the loader refuses them)."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    with tempfile.TemporaryFile() as err:
        args = ["git", "archive", "--format=tar", tree]
        proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=err, env=env)
        assert proc.stdout is not None
        broken = False
        try:
            with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
                _unpack(tar, dest, spec)
        except tarfile.TarError:
            broken = True
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stdout.close()
        if proc.returncode != 0 or broken:
            err.seek(0)
            lines = err.read().decode("utf-8", "replace").strip().splitlines()
            raise ConnectSiteError(
                f"git archive could not read the content of {spec}: {lines[-1] if lines else 'unreadable archive'}",
                "Check that the repository is complete (not a partial or shallow clone missing objects).",
            )


def _unpack(tar: tarfile.TarFile, dest: Path, spec: str) -> None:
    total = files = 0
    for member in tar:
        parts = PurePosixPath(member.name).parts
        if not parts or member.name.startswith("/") or ".." in parts:
            continue
        target = dest.joinpath(*parts)
        files += 1
        total += max(member.size, 0)
        if files > MAX_ARCHIVE_FILES or total > MAX_ARCHIVE_BYTES:
            raise ConnectSiteError(
                f"the content in {spec} is too large to compare "
                f"(more than {MAX_ARCHIVE_FILES:,} files or {MAX_ARCHIVE_BYTES >> 20} MB)",
                "Check --content: it should name the content folder, not the whole repository.",
            )
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if member.issym() or member.islnk():
            os.symlink("refused-link", target)  # never followed: the loader reports it as in a working tree
        elif member.isfile():
            data = tar.extractfile(member)
            assert data is not None
            # Past the loader's largest limit the rest cannot matter: it reports the size.
            target.write_bytes(data.read(MAX_CSV_BYTES + 1))
