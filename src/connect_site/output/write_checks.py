"""Refusals before anything is written: paths of the files, and output folders where a mistake
would destroy something (the filesystem root, the home folder, the content, a symlink)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Optional

from connect_site.errors import ConnectSiteError

NAME_MAX = 255
PATH_MAX = 4096
RESERVED_PREFIX = ".connect-site"


def check_rel_path(rel: object) -> str:
    """`rel` as a safe posix relative path; ValueError (a programming error) otherwise."""
    if not isinstance(rel, str):
        raise ValueError(f"output path must be a str, not {type(rel).__name__}: {rel!r}")
    if not rel:
        raise ValueError("output path is empty")
    if "\0" in rel:
        raise ValueError(f"output path contains a NUL character: {rel!r}")
    if "\\" in rel:
        raise ValueError(f"output path contains a backslash (use '/'): {rel!r}")
    if rel[0] == "/":
        raise ValueError(f"output path must be relative: {rel!r}")
    framed = f"/{rel}/"
    if "//" in framed or "/./" in framed or "/../" in framed:
        raise ValueError(f"output path has an empty, '.' or '..' segment: {rel!r}")
    try:
        encoded = os.fsencode(rel)
    except UnicodeEncodeError:
        raise ValueError(f"output path cannot be encoded as a file name: {rel!r}") from None
    if len(encoded) > NAME_MAX and any(len(os.fsencode(part)) > NAME_MAX for part in rel.split("/")):
        raise ValueError(f"output path has a name longer than {NAME_MAX} bytes: {rel!r}")
    return rel


def parent_folders(rel: str) -> Iterable[str]:
    """'a/b/c.html' -> 'a', 'a/b'."""
    pos = rel.find("/")
    while pos != -1:
        yield rel[:pos]
        pos = rel.find("/", pos + 1)


def folders_of(paths: Iterable[str]) -> set[str]:
    folders: set[str] = set()
    for rel in paths:
        for parent in parent_folders(rel):
            folders.add(parent)
    return folders


def check_files(files: Mapping[str, bytes]) -> set[str]:
    """Validate every path and value; return the folders the files need."""
    for rel, data in files.items():
        check_rel_path(rel)
        if rel.split("/", 1)[0].startswith(RESERVED_PREFIX):
            raise ValueError(f"output path uses the reserved name {RESERVED_PREFIX!r}: {rel!r}")
        if not isinstance(data, bytes):
            raise TypeError(f"content of {rel!r} must be bytes, not {type(data).__name__}")
    folders = folders_of(files)
    clashes = sorted(folders.intersection(files))
    if clashes:
        raise ValueError(f"output path is both a file and a folder: {clashes[0]!r}")
    return folders


# --- the output folder and what is in it ---------------------------------------------


def is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_out_dir(out: Path, protect: Sequence[tuple[str, Path]]) -> None:
    """Refuse output folders where a mistake would destroy something."""
    shown = out.as_posix()
    if os.path.islink(out):
        raise ConnectSiteError(
            f"the output folder {shown} is a symbolic link",
            hint="give the real folder as --out; connect-site does not write through symbolic links",
        )
    if os.path.lexists(out) and not os.path.isdir(out):
        raise ConnectSiteError(
            f"the output path {shown} exists and is not a folder",
            hint="choose another --out, or remove that file first",
        )
    real = out.resolve()
    if real.parent == real:
        raise ConnectSiteError(
            f"refusing to write the site into the filesystem root {shown}",
            hint="choose a folder of its own, such as --out _site",
        )
    try:
        home: Optional[Path] = Path.home().resolve()
    except (RuntimeError, KeyError):  # no HOME and no password entry
        home = None
    if home is not None and is_within(home, real):
        raise ConnectSiteError(
            f"refusing to write the site into {shown}, which is your home folder or contains it",
            hint="choose a folder of its own, such as --out _site",
        )
    for what, folder in protect:
        kept = folder.resolve()
        if is_within(kept, real):
            raise ConnectSiteError(
                f"refusing to write the site into {shown}: it contains the {what} {folder.as_posix()}",
                hint=f"choose a folder outside the {what}, such as --out _site",
            )
        if is_within(real, kept):
            raise ConnectSiteError(
                f"refusing to write the site into {shown}: it is inside the {what} {folder.as_posix()}",
                hint=f"choose a folder outside the {what}, such as --out _site",
            )
