"""Reading the content folder: the only module that opens contributor files.

Every file is read once, bounded in size, refused if it is a symlink or not a regular
file, decoded as UTF-8 (a BOM is fine) and split into YAML and Markdown with exact
line numbers. Nothing outside the content root is ever opened.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from connect_site.content import controls, yamlload
from connect_site.content.tables import Table, parse_table
from connect_site.content.yamlload import Document
from connect_site.errors import ConnectSiteError, Reporter

MAX_ENTRY_BYTES = 256 * 1024
MAX_CSV_BYTES = 1024 * 1024  # 12 times the largest real table (81 KB); 2 MiB of valid rows took 2.3 s to check

ENTITY_FOLDERS = {
    "goals": "goal",
    "targets": "target",
    "countries": "country",
    "initiatives": "initiative",
    "practices": "practice",
}
ENTRY_SUFFIXES = (".yaml", ".yml", ".md")
IGNORED_NAMES = {"README.md", "readme.md", "LICENSE", "LICENSE.md"}
# site.fr.yaml, sources.fr.yaml: the site's and the sources' texts in another language (texts.py)
TOP_TRANSLATION = re.compile(r"(?P<kind>site|sources)\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]+)?)\.ya?ml")


@dataclass
class Entry:
    """One YAML or Markdown entry file."""

    path: str  # as displayed in diagnostics (posix)
    kind: str
    stem: str  # the file name without its suffix
    doc: Document
    body: Optional[str] = None  # Markdown body of a .md file
    body_line: int = 0  # 1-based line where the body starts


@dataclass
class Content:
    root: Path
    display_root: str
    site: Optional[Entry] = None
    sources_file: Optional[Entry] = None
    entries: list[Entry] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    top_translations: list[tuple[Entry, str]] = field(default_factory=list)  # (site.fr.yaml or sources.fr.yaml, lang)
    # The files that declare ids but could not be read (already reported): (path, kind, file name without
    # its suffix; None for a whole folder). What they declare is unknown (broken.py).
    unread: list[tuple[str, str, Optional[str]]] = field(default_factory=list)
    too_large: bool = False  # over MAX_CONTENT_FILES or MAX_CONTENT_BYTES: nothing was read (reported)


def display_path(root: Path, display_root: str, path: Path) -> str:
    rel = path.relative_to(root).as_posix()
    return f"{display_root.rstrip('/')}/{rel}" if display_root not in ("", ".") else rel


def read_content(root: Path, report: Reporter, display_root: Optional[str] = None) -> Content:
    """Read every file under `root`; problems go to `report`."""
    if display_root is None:
        display_root = root.as_posix()
    try:
        st = os.lstat(root)
    except OSError:
        raise ConnectSiteError(
            f"the content folder '{display_root}' does not exist",
            "Run the command from the repository root, or give --content DIR.",
        ) from None
    if stat.S_ISLNK(st.st_mode):
        raise ConnectSiteError(f"the content folder '{display_root}' is a symlink, which is refused")
    if not stat.S_ISDIR(st.st_mode):
        raise ConnectSiteError(f"'{display_root}' is not a folder")
    content = Content(root=root, display_root=display_root)
    refused: list[Path] = []
    try:
        paths = _walk(root, display_root, report, refused)
    except _TooLarge:
        content.too_large = True
        return content
    for path in paths:
        _read_file(content, path, report)
    for path in refused:
        _note_unread(content, path)
    return content


def _note_unread(content: Content, path: Path) -> None:
    """Note a file (or folder) that could not be read, when other files may refer to what it declares."""
    rel = path.relative_to(content.root).parts
    shown = display_path(content.root, content.display_root, path)
    if len(rel) == 1 and rel[0] in ("site.yaml", "site.yml", "sources.yaml", "sources.yml"):
        content.unread.append((shown, rel[0].split(".")[0], None))
    elif rel[0] in ENTITY_FOLDERS and len(rel) == 1:
        content.unread.append((shown, ENTITY_FOLDERS[rel[0]], None))  # the folder is a symlink
    elif rel[0] in ENTITY_FOLDERS and len(rel) == 2 and path.suffix.lower() in ENTRY_SUFFIXES:
        content.unread.append((shown, ENTITY_FOLDERS[rel[0]], path.name.rsplit(".", 1)[0]))


def _read_file(content: Content, path: Path, report: Reporter) -> None:
    """One file of the content folder, into `content` by what it is; anything else is reported."""
    shown = display_path(content.root, content.display_root, path)
    rel = path.relative_to(content.root).parts
    if len(rel) == 1:
        if rel[0] in ("site.yaml", "site.yml"):
            content.site = _read_entry(path, shown, "site", report)
            if content.site is None:
                _note_unread(content, path)
        elif rel[0] in ("sources.yaml", "sources.yml"):
            content.sources_file = _read_entry(path, shown, "sources", report)
            if content.sources_file is None:
                _note_unread(content, path)
        elif m := TOP_TRANSLATION.fullmatch(rel[0]):
            entry = _read_entry(path, shown, f"{m['kind']}-translation", report)
            if entry is not None:
                content.top_translations.append((entry, m["lang"]))
        elif rel[0] not in IGNORED_NAMES:
            report.warn(
                shown,
                1,
                1,
                "unknown-file",
                "this file is not part of the content model and is ignored",
                "Entries go in goals/, targets/, countries/, initiatives/, practices/ or data/.",
            )
        return
    folder = rel[0]
    if len(rel) > 2:
        report.warn(
            shown, 1, 1, "unknown-file", "files in sub-folders are ignored", f"Move it directly into {folder}/."
        )
        return
    if path.name in IGNORED_NAMES:
        return
    if folder == "data":
        if path.suffix.lower() == ".csv":
            table = _read_table(path, shown, report)
            if table is not None:
                content.tables.append(table)
        elif path.suffix.lower() not in (".md", ".txt"):  # notes on provenance are welcome
            report.warn(
                shown,
                1,
                1,
                "unknown-file",
                "only .csv tables are read from data/",
                "Save the table as CSV (UTF-8) with the header country,year,value.",
            )
        return
    kind = ENTITY_FOLDERS.get(folder)
    if kind is None:
        report.warn(
            shown,
            1,
            1,
            "unknown-file",
            f"the folder '{folder}/' is not part of the content model",
            "Entries go in goals/, targets/, countries/, initiatives/, practices/ or data/.",
        )
        return
    if path.suffix.lower() not in ENTRY_SUFFIXES:
        report.warn(
            shown,
            1,
            1,
            "unknown-file",
            "only .yaml, .yml and .md files are read",
            "Rename the file to end in .yaml or .md.",
        )
        return
    entry = _read_entry(path, shown, kind, report)
    if entry is not None:
        content.entries.append(entry)
    else:
        _note_unread(content, path)


MAX_FOLDER_DEPTH = 16  # content/initiatives/2024/... needs a few; 1,100 levels crashed every command
# The whole content folder: the real content is 274 files and 1.2 MB, the 50,000-entry benchmark
# about 50,000 files and 60 MB. Past these a run would take minutes and gigabytes, so nothing is read.
MAX_CONTENT_FILES = 100_000
MAX_CONTENT_BYTES = 256 * 1024 * 1024


class _TooLarge(Exception):
    """The content folder is over MAX_CONTENT_FILES or MAX_CONTENT_BYTES (already reported)."""


def _walk(root: Path, display_root: str, report: Reporter, refused: list[Path]) -> list[Path]:
    """Regular files under root, sorted; symlinks, hard links and special files are refused
    (and added to `refused`), and a folder that cannot be read, or lies too deep, is an error
    (never skipped quietly: `build` would then delete its pages)."""
    found: list[Path] = []
    size = 0

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        report.add(
            display_path(root, display_root, where),
            1,
            1,
            "unreadable",
            f"the folder cannot be read: {exc.strerror}",
            "Check the folder's permissions, or remove it.",
        )

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=unreadable):
        here = Path(dirpath)
        if len(here.relative_to(root).parts) >= MAX_FOLDER_DEPTH and dirnames:
            report.add(
                display_path(root, display_root, here / sorted(dirnames)[0]),
                1,
                1,
                "too-deep",
                f"folders are nested more than {MAX_FOLDER_DEPTH} levels deep here, and were not read",
                "Entries go in content/<kind>/, at most a few folders down.",
            )
            dirnames.clear()
        for name in sorted(dirnames):
            p = here / name
            if name.startswith("."):
                dirnames.remove(name)
            elif os.path.islink(p):
                dirnames.remove(name)
                _refuse_link(p, root, display_root, report)
                refused.append(p)
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            p = here / name
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                _refuse_link(p, root, display_root, report)
                refused.append(p)
            elif stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
                refused.append(p)
                report.add(
                    display_path(root, display_root, p),
                    1,
                    1,
                    "hard-link",
                    "this file is a hard link (it has other names on the disk), and was not read",
                    "Replace it with a copy of the file: like a symbolic link, a hard link can show a file "
                    "from outside the content folder.",
                )
            elif not stat.S_ISREG(st.st_mode):
                refused.append(p)
                report.add(
                    display_path(root, display_root, p),
                    1,
                    1,
                    "not-a-file",
                    "this is not a regular file and is refused",
                    "Remove it from the content folder.",
                )
            else:
                found.append(p)
                size += st.st_size
                if len(found) > MAX_CONTENT_FILES or size > MAX_CONTENT_BYTES:
                    _too_large(p, root, display_root, len(found), size, report)
    return sorted(found)


def _too_large(p: Path, root: Path, display_root: str, files: int, size: int, report: Reporter) -> None:
    what = (
        f"more than {MAX_CONTENT_FILES:,} files"
        if files > MAX_CONTENT_FILES
        else f"more than {MAX_CONTENT_BYTES // 2**20} MiB"
    )
    report.add(
        display_path(root, display_root, p),
        1,
        1,
        "content-too-large",
        f"the content folder holds {what} (with this file), and nothing was read",
        "A pull request adds a few entries or tables; remove generated or copied files from the content folder.",
    )
    raise _TooLarge


def _refuse_link(p: Path, root: Path, display_root: str, report: Reporter) -> None:
    report.add(
        display_path(root, display_root, p),
        1,
        1,
        "symlink",
        "symbolic links are not allowed in the content folder, and this one was not read",
        "Replace the link with a copy of the file it points to.",
    )


def read_bounded(path: Path, limit: int) -> bytes | None:
    """Read at most `limit` bytes without following a symlink; None if larger."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(limit + 1)
    return None if len(data) > limit else data


def decode(data: bytes, shown: str, report: Reporter) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        report.add(
            shown,
            line,
            col,
            "not-utf8",
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "Save the file with UTF-8 encoding (in most editors: Save As, Encoding: UTF-8).",
        )
        return None


def _read_text(path: Path, shown: str, limit: int, report: Reporter) -> str | None:
    try:
        data = read_bounded(path, limit)
    except OSError as exc:
        report.add(
            shown,
            1,
            1,
            "unreadable",
            f"the file cannot be read: {exc.strerror}",
            "Check the file's permissions, or remove it.",
        )
        return None
    if data is None:
        report.add(
            shown,
            1,
            1,
            "file-too-large",
            f"the file is larger than {limit // 1024} KiB",
            "Split it into smaller entries, or shorten it.",
        )
        return None
    if b"\x00" in data:
        nul = data.index(b"\x00")
        before = data[:nul]
        report.add(
            shown,
            before.count(b"\n") + 1,
            nul - (before.rfind(b"\n") + 1) + 1,
            "binary-file",
            "the file contains a NUL byte; it looks like a binary file",
            "Entries must be plain text.",
        )
        return None
    return decode(data, shown, report)


def _read_entry(path: Path, shown: str, kind: str, report: Reporter) -> Entry | None:
    text = _read_text(path, shown, MAX_ENTRY_BYTES, report)
    if text is None:
        return None
    stem = path.name.rsplit(".", 1)[0]
    if path.suffix.lower() == ".md":
        return _read_markdown(text, shown, kind, stem, report)
    try:
        doc = yamlload.load(text)
    except yamlload.YamlProblem as p:
        report.add(shown, p.line, p.col, p.code, p.message, p.hint)
        return None
    return Entry(shown, kind, stem, doc)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(yaml, body, body_line) of a Markdown file with `---` fences, or None."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n").rstrip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    return None


def _read_markdown(text: str, shown: str, kind: str, stem: str, report: Reporter) -> Entry | None:
    parts = split_front_matter(text)
    if parts is None:
        if text.lstrip().startswith("---") or text.startswith("---"):
            report.add(
                shown,
                1,
                1,
                "front-matter-unclosed",
                "the front matter block is never closed",
                "Add a line with just '---' after the last field.",
            )
        else:
            report.add(
                shown,
                1,
                1,
                "front-matter-missing",
                "a Markdown entry must start with a front matter block",
                "Start the file with a line '---', then the fields (title: ...), then '---'.",
            )
        return None
    front, body, body_line = parts
    try:
        doc = yamlload.load(front, line_offset=1)  # the YAML starts on line 2 of the file
    except yamlload.YamlProblem as p:
        report.add(shown, p.line, p.col, p.code, p.message, p.hint)
        return None
    if controls.refuse(body, body_line, shown, report):
        return None
    return Entry(shown, kind, stem, doc, body, body_line)


def _read_table(path: Path, shown: str, report: Reporter) -> Table | None:
    text = _read_text(path, shown, MAX_CSV_BYTES, report)
    if text is None:
        return None
    if controls.refuse(text, 1, shown, report):
        return None
    return parse_table(text, path.name[: -len(path.suffix)], shown, report)
