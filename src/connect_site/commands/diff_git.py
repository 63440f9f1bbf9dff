"""Reading one side of `connect-site diff`: a content folder as it is, or the content folder
inside a git commit, read from git's own tree (never checked out), within limits of size and
number of files.

How an argument is read (the same rule for BASE and HEAD):

- A folder only when it is written as a path: absolute, or starting with `./` or `../`
  (`--base-dir` and `--head-dir` take a folder in any spelling). No git ref can be spelt
  so: a ref's name never starts with `.` or `/`.
- Anything else is a git ref, resolved by `git rev-parse --verify --end-of-options REF^{commit}`,
  never as a folder: a folder in the working tree named `HEAD`, `main` or `origin/main`
  changes nothing. A name that git finds ambiguous (a tag `origin/main` next to the branch)
  is refused, so a pushed tag cannot stand in for the base branch.
- An empty argument, or one starting with `-`, is refused (exit 2).

A commit's content is read with `git ls-tree -r -z -l` and `git cat-file --batch`: the
committed bytes, with no attribute processing at all (`export-ignore`, `export-subst` and
filters cannot hide or change a file). What a checkout would change is refused instead, at
the file's place, so that diff never compares other bytes than check and build read from a
checkout of the same commit: a file that `.gitattributes` (from that commit) gives a
`filter`, `ident` (with a `$Id` to expand), `working-tree-encoding` or `eol=crlf` (code
`git-attribute`), and a submodule (`submodule`: its files are in another repository).
Symbolic links become links to nowhere that the loader refuses (`symlink`), as in a
working tree; a content folder that is itself a link or a submodule is refused.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Optional

from connect_site.content.read import MAX_CSV_BYTES
from connect_site.errors import ConnectSiteError, Diagnostic, Severity

MAX_ARCHIVE_BYTES = 256 * 1024 * 1024
MAX_ARCHIVE_FILES = 100_000
# The attributes that make a checkout's bytes differ from the committed ones.
CHECKOUT_ATTRIBUTES = ("filter", "ident", "working-tree-encoding", "eol", "text")
REF_HINT = (
    "Give a branch, tag or commit of this repository (e.g. origin/main or HEAD~1); "
    "a folder is given as ./path, an absolute path, or with --base-dir/--head-dir. "
    "In CI, fetch the whole history (actions/checkout with fetch-depth: 0)."
)


@dataclass(frozen=True)
class Version:
    """One side as given on the command line: a git ref, or a folder (None: the working tree's --content)."""

    ref: Optional[str] = None
    folder: Optional[Path] = None


@dataclass
class Read:
    """A side, ready for the check: the folder to read, how its paths are shown, and what diff refused."""

    folder: Path
    shown: str
    diagnostics: list[Diagnostic] = field(default_factory=list)


def is_path(arg: str) -> bool:
    """Whether an argument is written as a path (absolute, or ./ or ../ first), which no git ref can be."""
    return (
        arg in (".", "..")
        or arg.startswith(("./", "../"))
        or (os.sep != "/" and arg.startswith((".\\", "..\\")))
        or Path(arg).is_absolute()
    )


def versions(args: tuple[str, ...], base_dir: Optional[str], head_dir: Optional[str]) -> tuple[Version, Version]:
    """BASE and HEAD from the arguments and --base-dir/--head-dir (the rule is in this module's docstring)."""
    options = {"BASE": base_dir, "HEAD": head_dir}
    free = [name for name, given in options.items() if given is None]
    if len(args) > len(free):
        raise ConnectSiteError(
            f"too many arguments: {' '.join(repr(a) for a in args)}",
            "Give BASE and HEAD: git refs, or folders as ./path. A side given with --base-dir or --head-dir "
            "takes no argument.",
        )
    if "BASE" in free and not args:
        raise ConnectSiteError("give BASE, the version to compare with", REF_HINT)
    given = {**{n: f for n, f in options.items() if f is not None}, **dict(zip(free, args, strict=False))}
    for name, arg in given.items():
        if not arg.strip():
            label = name if options[name] is None else f"--{name.lower()}-dir"
            raise ConnectSiteError(
                f"{label} is empty: it names no git ref and no folder",
                "An empty argument is refused, never read as the repository or the current folder. "
                "Give a branch, tag or commit (e.g. origin/main), or a folder as ./path. In CI, check that "
                "the variable naming the base branch is set (GITHUB_BASE_REF is empty outside pull requests).",
            )

    def side(name: str) -> Version:
        arg = given.get(name)
        if arg is None:
            return Version()
        return Version(folder=Path(arg)) if options[name] is not None or is_path(arg) else Version(ref=arg)

    return side("BASE"), side("HEAD")


def _env() -> dict[str, str]:
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_LITERAL_PATHSPECS": "1"}


def run_git(
    args: list[str], cwd: Path, *, env: Optional[dict[str, str]] = None, stdin: Optional[bytes] = None
) -> subprocess.CompletedProcess[bytes]:
    """git with no prompt, the C locale and literal pathspecs (also `check --changed`'s way to git)."""
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, env=env or _env(), check=False)
    except FileNotFoundError:
        raise ConnectSiteError("git is not installed", "Install git, or compare two folders (./path).") from None


def read_version(version: Version, content_dir: Path, tmp: Path, name: str) -> Read:
    """A folder holding the content of one side, its display root and the problems diff found in it."""
    if version.folder is not None:
        return Read(version.folder, version.folder.as_posix())
    if version.ref is None:
        return Read(content_dir, content_dir.as_posix())
    return _read_commit(version.ref, content_dir, tmp, name)


def resolve(spec: str, where: Path) -> tuple[str, Path]:
    """The commit a git ref names, as git resolves it (never a folder), and the repository's top folder."""
    if spec.startswith("-"):
        raise ConnectSiteError(f"'{spec}' is not a commit in this repository", REF_HINT)
    top = run_git(["rev-parse", "--show-toplevel"], where)
    if top.returncode != 0:
        raise ConnectSiteError(f"'{spec}' is a git ref, and {where.as_posix()} is not in a git repository", REF_HINT)
    found = run_git(
        ["-c", "core.warnAmbiguousRefs=true", "rev-parse", "--verify", "--end-of-options", spec + "^{commit}"], where
    )
    if found.returncode != 0:
        hint = REF_HINT
        if os.path.isdir(spec):
            hint = (
                f"There is a folder '{spec}', but BASE and HEAD are read as git refs: to compare that folder, "
                f"write ./{spec} or give --base-dir/--head-dir {spec}."
            )
        raise ConnectSiteError(f"'{spec}' is not a commit in this repository", hint)
    if b"is ambiguous" in found.stderr:
        raise ConnectSiteError(
            f"'{spec}' names more than one ref in this repository (a branch and a tag of the same name?)",
            "Give its full name, e.g. refs/remotes/origin/main or refs/tags/v1.0 (git show-ref lists them).",
        )
    return found.stdout.decode().strip(), Path(top.stdout.decode().strip()).resolve()


def _read_commit(spec: str, content_dir: Path, tmp: Path, name: str) -> Read:
    where = Path.cwd()
    commit, root = resolve(spec, where)
    absolute = Path(os.path.normpath(where.resolve() / content_dir))
    try:
        rel = absolute.relative_to(root).as_posix()
    except ValueError:
        raise ConnectSiteError(
            f"the content folder {content_dir.as_posix()} is outside the repository {root.as_posix()}",
            "Run the command inside the repository that holds the content, or give --content.",
        ) from None
    tree = _content_tree(commit, rel, root, spec, content_dir)
    dest = tmp / name
    dest.mkdir()
    shown = content_dir.as_posix()
    entries = _list(tree, root, spec)
    problems = _unpack(entries, root, dest, spec, shown)
    files = [e for e in entries if e.kind == "file" and not e.hidden]
    problems += _checkout_changes(commit, rel, files, root, dest, tmp / f"{name}.index", shown)
    return Read(dest, shown, problems)


def _content_tree(commit: str, rel: str, root: Path, spec: str, content_dir: Path) -> str:
    """The object id of the content folder's tree in `commit`; a link or submodule there is refused."""
    if rel == ".":
        return commit + "^{tree}"
    listed = run_git(["ls-tree", "-z", "--full-tree", commit, "--", rel], root)
    for record in listed.stdout.split(b"\0"):
        meta, _, path = record.partition(b"\t")
        if os.fsdecode(path) != rel:
            continue
        mode, _, oid = meta.decode().split(" ")
        folder = content_dir.as_posix()
        if mode == "120000":
            raise ConnectSiteError(f"the content folder '{folder}' is a symlink in {spec}, which is refused")
        if mode == "160000":
            raise ConnectSiteError(
                f"the content folder '{folder}' is a git submodule in {spec}, which is refused",
                "Commit the content itself in this repository.",
            )
        if mode == "040000":
            return oid
    raise ConnectSiteError(
        f"there is no folder '{rel}' in {spec}",
        "Give --content, the content folder's path in the repository (default: content).",
    )


@dataclass(frozen=True)
class _Entry:
    path: str  # relative to the content folder, posix
    kind: str  # file, link, submodule
    oid: str
    size: int
    hidden: bool  # under a name starting with '.', which the loader never reads


def _list(tree: str, root: Path, spec: str) -> list[_Entry]:
    """Every entry of the tree, bounded: regular files, links and submodules (git has no empty folders)."""
    listed = run_git(["ls-tree", "-r", "-z", "-l", "--full-tree", tree], root)
    if listed.returncode != 0:
        raise _unreadable(spec, listed.stderr)
    entries: list[_Entry] = []
    total = 0
    for record in listed.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, raw = record.partition(b"\t")
        mode, kind, oid, size = meta.decode().split()
        parts = raw.split(b"/")
        if any(p in (b"", b".", b"..") or p.lower() == b".git" for p in parts):
            raise ConnectSiteError(
                f"{spec} holds a path that git refuses to check out: {os.fsdecode(raw)!r}",
                "The commit is malformed: check and build could not read a checkout of it either.",
            )
        what = "submodule" if kind == "commit" else "link" if mode == "120000" else "file"
        length = int(size) if size.isdigit() else 0
        total += length
        entries.append(_Entry(os.fsdecode(raw), what, oid, length, any(p.startswith(b".") for p in parts)))
        if len(entries) > MAX_ARCHIVE_FILES or total > MAX_ARCHIVE_BYTES:
            raise ConnectSiteError(
                f"the content in {spec} is too large to compare "
                f"(more than {MAX_ARCHIVE_FILES:,} files or {MAX_ARCHIVE_BYTES >> 20} MB)",
                "Check --content: it should name the content folder, not the whole repository.",
            )
    return entries


def _unreadable(spec: str, stderr: bytes) -> ConnectSiteError:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return ConnectSiteError(
        f"git could not read the content of {spec}: {lines[-1] if lines else 'an object is missing'}",
        "Check that the repository is complete (not a partial or shallow clone missing objects).",
    )


def _shown(root: str, path: str) -> str:
    return f"{root.rstrip('/')}/{path}" if root not in ("", ".") else path


def _unpack(entries: list[_Entry], cwd: Path, dest: Path, spec: str, shown: str) -> list[Diagnostic]:
    """Write the tree's files into dest; links stay links to nowhere (the loader refuses them); submodules refused.

    Names starting with '.' are left out: the loader never reads them."""
    problems: list[Diagnostic] = []
    seen: dict[str, bool] = {}  # path -> is a folder
    proc = subprocess.Popen(
        ["git", "cat-file", "--batch"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_env()
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for entry in entries:
            if entry.hidden:
                continue
            parts = entry.path.split("/")
            folders = ["/".join(parts[:i]) for i in range(1, len(parts))]
            if entry.path in seen or any(seen.get(f) is False for f in folders):
                raise _malformed(spec, entry.path)
            seen.update(dict.fromkeys(folders, True))
            seen[entry.path] = False  # a file, a link or a submodule: nothing can be inside it
            target = dest.joinpath(*parts)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                if entry.kind == "link":
                    os.symlink("refused-link", target)  # never followed: the loader reports it as in a working tree
                elif entry.kind == "submodule":
                    target.mkdir()  # as a checkout without its submodules has it: an empty folder
                    problems.append(
                        Diagnostic(
                            _shown(shown, entry.path),
                            1,
                            1,
                            Severity.ERROR,
                            "submodule",
                            "a git submodule is not read: its files are in another repository",
                            "Commit the files themselves in the content folder.",
                        )
                    )
                elif entry.size > MAX_CSV_BYTES:
                    # Past the loader's largest limit the rest cannot matter: it reports the size.
                    _write(target, b"\0" * (MAX_CSV_BYTES + 1))
                else:
                    _write(target, _blob(proc.stdin, proc.stdout, entry.oid, spec))
            except (FileExistsError, NotADirectoryError):  # two names this file system takes for one
                raise _malformed(spec, entry.path) from None
    finally:
        proc.stdin.close()
        proc.stdout.close()
        proc.wait()
    return problems


def _malformed(spec: str, path: str) -> ConnectSiteError:
    return ConnectSiteError(
        f"{spec} holds '{path}' twice, or inside a file (or as a name this file system cannot tell from another)",
        "The commit cannot be checked out as it is: rename one of the two.",
    )


def _blob(stdin: IO[bytes], stdout: IO[bytes], oid: str, spec: str) -> bytes:
    """One blob from `git cat-file --batch`: the committed bytes, with no filter or attribute applied."""
    stdin.write(oid.encode() + b"\n")
    stdin.flush()
    header = stdout.readline().split()
    if len(header) != 3 or header[1] != b"blob":
        raise _unreadable(spec, b"object " + oid.encode() + b" is missing")
    data = stdout.read(int(header[2]))
    stdout.read(1)  # the newline after each object
    return data


def _write(target: Path, data: bytes) -> None:
    """A new file (never through a link, never over another entry)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(target, flags, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _checkout_changes(
    commit: str, rel: str, files: list[_Entry], root: Path, dest: Path, index: Path, shown: str
) -> list[Diagnostic]:
    """The files whose checkout would differ from the committed bytes, by the attributes of `commit` itself."""
    if not files:
        return []
    env = {**_env(), "GIT_INDEX_FILE": str(index)}
    made = run_git(["read-tree", commit], root, env=env)  # the attributes of that commit, not of a working tree
    if made.returncode != 0:
        raise _unreadable(commit, made.stderr)
    prefix = "" if rel == "." else rel + "/"
    names = b"".join(os.fsencode(prefix + f.path) + b"\0" for f in files)
    out = run_git(["check-attr", "--cached", "-z", "--stdin", *CHECKOUT_ATTRIBUTES], root, env=env, stdin=names)
    if out.returncode != 0:
        raise _unreadable(commit, out.stderr)
    fields = out.stdout.split(b"\0")
    attrs: dict[str, dict[str, str]] = {}
    for i in range(0, len(fields) - 2, 3):
        attrs.setdefault(os.fsdecode(fields[i]), {})[fields[i + 1].decode()] = os.fsdecode(fields[i + 2])
    problems = []
    for f in files:
        got = attrs.get(prefix + f.path, {})
        data = (dest / f.path).read_bytes() if f.size <= MAX_CSV_BYTES else b""
        reasons = []
        if got.get("filter", "unspecified") not in ("unspecified", "unset"):
            reasons.append("filter" if got["filter"] == "set" else f"filter={got['filter']}")
        if got.get("ident") == "set" and b"$Id" in data:
            reasons.append("ident")
        if got.get("working-tree-encoding", "unspecified") not in ("unspecified", "unset"):
            reasons.append(f"working-tree-encoding={got['working-tree-encoding']}")
        if got.get("eol") == "crlf" and got.get("text") != "unset" and b"\n" in data:
            reasons.append("eol=crlf")
        if reasons:
            problems.append(
                Diagnostic(
                    _shown(shown, f.path),
                    1,
                    1,
                    Severity.ERROR,
                    "git-attribute",
                    f"git changes this file on checkout ({', '.join(reasons)}), so diff would compare "
                    "other bytes than check and build read",
                    "Remove the attribute for the content from .gitattributes: content files are read as committed.",
                )
            )
    return problems
