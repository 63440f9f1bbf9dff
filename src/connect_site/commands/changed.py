"""`check --changed REF`: the content files a change touches, read from git, so that their
problems are printed first.

The change is what the working tree has that REF did not: the files that differ between the
working tree (committed or not) and the commit where HEAD's history meets REF's (`git merge-base`;
REF itself when they share none), and the files not yet added (`git ls-files --others`, minus
what .gitignore ignores). No network: REF must be known to the local repository. REF is resolved
as `connect-site diff` resolves BASE (`rev-parse --verify --end-of-options`, ambiguous names
refused), and an unknown one is a usage error.
"""

from __future__ import annotations

import os
from pathlib import Path

from connect_site.commands.diff_git import run_git
from connect_site.content.read import display_path
from connect_site.errors import ConnectSiteError

HINT = (
    "Give a branch, tag or commit of this repository that the change is compared with, e.g. "
    "--changed origin/main (run git fetch first if it is on a remote). In CI, fetch the whole "
    "history (actions/checkout with fetch-depth: 0) and name the base in full: "
    'refs/remotes/origin/"$GITHUB_BASE_REF".'
)


def changed_files(spec: str, content_dir: Path) -> frozenset[str]:
    """The files under `content_dir` that the change touches, as `check` shows their paths."""
    if not spec.strip() or spec.startswith("-"):
        raise ConnectSiteError(f"--changed {spec!r} names no commit", HINT)
    where = content_dir if content_dir.is_dir() else Path.cwd()
    top = run_git(["rev-parse", "--show-toplevel"], where)
    if top.returncode != 0:
        raise ConnectSiteError(f"--changed needs a git repository, and {where.as_posix()} is not in one", HINT)
    root = Path(os.fsdecode(top.stdout.strip())).resolve()
    found = run_git(
        ["-c", "core.warnAmbiguousRefs=true", "rev-parse", "--verify", "--end-of-options", spec + "^{commit}"], root
    )
    if found.returncode != 0:
        raise ConnectSiteError(f"--changed {spec!r} is not a commit in this repository", HINT)
    if b"is ambiguous" in found.stderr:
        raise ConnectSiteError(
            f"--changed {spec!r} names more than one ref in this repository (a branch and a tag of the same name?)",
            "Give its full name, e.g. refs/remotes/origin/main or refs/tags/v1.0 (git show-ref lists them).",
        )
    commit = found.stdout.decode().strip()
    base = run_git(["merge-base", commit, "HEAD"], root)
    since = base.stdout.decode().strip() if base.returncode == 0 and base.stdout.strip() else commit
    folder = Path(os.path.normpath(Path.cwd() / content_dir)).resolve()
    try:
        rel = folder.relative_to(root).as_posix()
    except ValueError:
        raise ConnectSiteError(
            f"the content folder {content_dir.as_posix()} is outside the repository {root.as_posix()}",
            "Run the check inside the repository that holds the content, or give --content.",
        ) from None
    names: set[str] = set()
    for args in (
        ["--no-optional-locks", "diff", "--name-only", "--no-renames", "-z", since, "--", rel],
        ["--no-optional-locks", "ls-files", "--others", "--exclude-standard", "-z", "--", rel],
    ):
        listed = run_git(args, root)
        if listed.returncode != 0:
            raise ConnectSiteError(
                f"git could not list the changed files: {listed.stderr.decode(errors='replace').strip()}", HINT
            )
        names.update(os.fsdecode(name) for name in listed.stdout.split(b"\0") if name)
    inside = [root / name for name in names if rel == "." or name.startswith(rel + "/")]
    return frozenset(display_path(folder, content_dir.as_posix(), path) for path in inside)
