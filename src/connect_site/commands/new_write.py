"""Writing what `connect-site new` made: the YAML text of a new entry, read back as the check
will before anything is written, then written atomically (a temporary file, then a hard
link) and never over an existing file; a new source is appended to sources.yaml without
changing a byte already there.
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from pathlib import Path
from typing import Any, Optional

import yaml

from connect_site.commands.new_fields import Folder, Spec
from connect_site.content import controls, yamlload
from connect_site.content.read import Entry, read_bounded, split_front_matter
from connect_site.content.schema import BODY_PLACEHOLDER
from connect_site.content.validate import validate_entry, validate_sources
from connect_site.errors import ConnectSiteError, Reporter, Severity

MAX_SOURCES_BYTES = 1024 * 1024


# --- Writing YAML -------------------------------------------------------------------------


def quote(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text` (PyYAML's own escaping)."""
    out = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=2**31 - 1)
    out = out.removesuffix("\n...\n").rstrip("\n")
    if "\n" in out:  # never expected: the width is unbounded and line breaks are escaped
        raise ConnectSiteError("a value could not be written on one line", "Shorten it, or remove the line breaks.")
    return out


def yaml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(quote(str(v)) for v in value) + "]"
    return quote(str(value))


def field_lines(specs: list[Spec], values: dict[str, Any]) -> list[str]:
    """`key: value` lines in the order of the specs, nested fields under their parent
    (`contributor:`); optional fields left empty become commented-out lines."""
    blocks: dict[str, list[Spec]] = {}
    for spec in specs:
        blocks.setdefault(spec.key.split(".")[0], []).append(spec)
    lines: list[str] = []
    unused: list[str] = []

    def line(spec: Spec, indent: str) -> tuple[bool, str]:
        name = spec.key.rpartition(".")[2]
        value = values.get(spec.key)
        if value is None:
            example = f"[{quote(spec.example)}]" if spec.many else quote(spec.example)
            return False, f"{indent}# {name}: {example}"
        return True, f"{indent}{name}: {yaml_value(value)}"

    for top, members in blocks.items():
        if len(members) == 1 and members[0].key == top:
            used, text = line(members[0], "")
            (lines if used else unused).append(text)
        else:
            lines.append(f"{top}:")
            lines.extend(line(spec, "  ")[1] for spec in members)
    if unused:
        lines.append("# Optional: to use a field, delete the '# ' at the start of its line and fill it in.")
        lines.extend(unused)
    return lines


def schema_comment(root: Path, new_file: Path, kind: str) -> str:
    """The yaml-language-server line, with a path from the new file to schemas/<kind>.schema.json.

    The schemas live at the repository root, next to the content folder; when no such
    folder exists (a content folder elsewhere) the same layout is assumed.
    """
    name = f"{kind}.schema.json"
    schemas = root.resolve().parent / "schemas"
    for folder in root.resolve().parents:
        if (folder / "schemas" / name).is_file():
            schemas = folder / "schemas"
            break
    rel = os.path.relpath(schemas / name, new_file.resolve().parent)
    return f"# yaml-language-server: $schema={Path(rel).as_posix()}"


def markdown_entry(kind: str, specs: list[Spec], values: dict[str, Any], body: Optional[str], comment: str) -> str:
    lines = ["---", comment, *field_lines(specs, values), "---"]
    text = body if body and body.strip() else BODY_PLACEHOLDER[kind]
    return "\n".join(lines) + "\n" + text.replace("\r\n", "\n").rstrip("\n") + "\n"


def country_entry(specs: list[Spec], values: dict[str, Any], folder: Folder, comment: str) -> str:
    """A country file; statistics and statuses as commented-out examples with real ids."""
    lines = [comment, *field_lines(specs, values)]
    numeric = [i for i in folder.indicators.values() if i.unit == "percent"] or [
        i for i in folder.indicators.values() if i.unit != "yes-no"
    ]
    indicator, source = (numeric[0].id, numeric[0].source) if numeric else ("internet-users", "itu-ict-indicators")
    target = folder.targets[0] if folder.targets else "1.4"
    lines += [
        "# Statistics: one item per value. The source is the file's `source:` unless given here.",
        "# statistics:",
        f"#   - indicator: {quote(indicator)}",
        "#     year: 2024",
        "#     value: 50.5",
        f"#     source: {quote(values.get('source') or source)}",
        "# The country's own account of a target:",
        "# statuses:",
        f"#   - target: {quote(target)}",
        '#     status: "in-progress"',
        "#     year: 2025",
    ]
    return "\n".join(lines) + "\n"


def source_block(specs: list[Spec], values: dict[str, Any]) -> str:
    fields = [s for s in specs if s.key != "id"]
    return f"{values['id']}:\n" + "".join(f"  {line}\n" for line in field_lines(fields, values))


# --- Checking the new text before it is written --------------------------------------------


def verify_entry(kind: str, text: str, shown: str, stem: str) -> None:
    """Read the new text back as the check will, and refuse it if it does not pass."""
    from connect_site.content.schema import KINDS

    report = Reporter()
    body: Optional[str] = None
    body_line = 0
    try:
        if shown.endswith(".md"):
            parts = split_front_matter(text)
            if parts is None:
                raise ConnectSiteError("the new file has no front matter (this is a bug in connect-site)")
            front, body, body_line = parts
            doc = yamlload.load(front, line_offset=1)
        else:
            doc = yamlload.load(text)
    except yamlload.YamlProblem as p:
        if p.code == controls.CODE:  # a value typed or pasted in: say so, not "YAML"
            raise ConnectSiteError(f"a value you gave: {p.message}", controls.HINT) from None
        raise ConnectSiteError(f"the new file would not be valid YAML at line {p.line}: {p.message}") from None
    validate_entry(Entry(shown, kind, stem, doc, body, body_line), KINDS[kind], report)
    _refuse(report)


def _refuse(report: Reporter) -> None:
    errors = [d for d in report.sorted() if d.severity is Severity.ERROR]
    if errors:
        raise ConnectSiteError(
            "the new entry would not pass the check:\n  " + "\n  ".join(d.format() for d in errors),
            "Change the values above and run the command again.",
        )


# --- Writing files --------------------------------------------------------------------------


def slugify(title: str) -> str:
    """Lower-case ASCII letters and digits joined by hyphens, at most 80 characters."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(slug) > 80:
        cut = slug[:80]
        slug = cut.rsplit("-", 1)[0] if slug[80] != "-" and "-" in cut else cut
    return slug.strip("-")


def taken(folder: Path, stem: str) -> Optional[Path]:
    """The file that already uses this id in `folder` (any suffix, any case), if any."""
    if not folder.is_dir():
        return None
    for path in sorted(folder.iterdir()):
        name, dot, suffix = path.name.rpartition(".")
        if dot and f".{suffix.lower()}" in (".md", ".yaml", ".yml") and name.lower() == stem.lower():
            return path
    return None


def free_slug(folder: Path, slug: str) -> str:
    n = 2
    while True:
        tail = f"-{n}"
        candidate = slug[: 80 - len(tail)].rstrip("-") + tail
        if taken(folder, candidate) is None:
            return candidate
        n += 1


def guard_folder(root: Path, folder: Path) -> None:
    if folder.is_symlink():
        raise ConnectSiteError(f"'{folder.as_posix()}' is a symbolic link; connect-site does not write through links")
    if folder.exists() and not folder.is_dir():
        raise ConnectSiteError(f"'{folder.as_posix()}' is not a folder")


def write_new(path: Path, data: bytes, shown: str) -> None:
    """Write `path` atomically, never over an existing file (a temporary file, then a hard link)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"  # dot files are ignored by the check
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # atomic, and fails if the name exists
        except FileExistsError:
            raise already_exists(shown) from None
        except OSError:  # a file system without hard links: exclusive create
            try:
                out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
            except FileExistsError:
                raise already_exists(shown) from None
            with os.fdopen(out, "wb") as fh:
                fh.write(data)
    finally:
        tmp.unlink(missing_ok=True)


def already_exists(shown: str) -> ConnectSiteError:
    return ConnectSiteError(
        f"{shown} already exists, and connect-site new never overwrites a file",
        "Edit that file instead, or choose another name (--slug for initiatives and practices).",
    )


def append_source(path: Path, shown: str, block: str, key: str, comment: str) -> int:
    """Add `block` at the end of sources.yaml without changing a byte before it; returns its first line.

    The result is read back: if the existing file's layout would not take an appended
    block (a flow mapping `{...}`, a document end `...`), nothing is written.
    """
    if path.is_symlink():
        raise ConnectSiteError(f"{shown} is a symbolic link; connect-site does not write through links")
    if not path.exists():
        text = f"{comment}\n# Every source is declared once here and cited by its id.\n\n{block}"
        verify_sources(text, shown, key, None)
        write_new(path, text.encode("utf-8"), shown)
        return 4
    before = os.stat(path)
    old_bytes = read_bounded(path, MAX_SOURCES_BYTES)
    if old_bytes is None:
        raise ConnectSiteError(f"{shown} is larger than {MAX_SOURCES_BYTES // 1024} KiB")
    try:
        old = old_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConnectSiteError(f"{shown} is not UTF-8 text", "Run connect-site check and fix it first.") from None
    sep = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
    new_bytes = old_bytes + (sep + block).encode("utf-8")
    verify_sources(new_bytes.decode("utf-8-sig"), shown, key, old)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, before.st_mode & 0o777)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(new_bytes)
            fh.flush()
            os.fsync(fh.fileno())
        now = os.stat(path)
        if (now.st_ino, now.st_size, now.st_mtime_ns) != (before.st_ino, before.st_size, before.st_mtime_ns):
            raise ConnectSiteError(f"{shown} changed while the source was being added", "Run the command again.")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return (old + sep).count("\n") + 1


def verify_sources(text: str, shown: str, key: str, old: Optional[str]) -> None:
    """The new sources.yaml reads back with every old source unchanged and the new one valid."""
    try:
        old_data = yamlload.load(old).data if old is not None else None
    except yamlload.YamlProblem as p:
        raise ConnectSiteError(
            f"{shown} has a YAML problem at line {p.line}: {p.message}",
            "Fix it first (connect-site check shows every problem), then add the source again.",
        ) from None
    cannot = ConnectSiteError(
        f"the new source cannot be appended to {shown} without changing its meaning "
        "(the file ends in a way that does not take another entry, e.g. '{...}' or '...')",
        "Add the source by hand at the end of the file, in the form shown in CONTRIBUTING.md.",
    )
    try:
        new_doc = yamlload.load(text)
    except yamlload.YamlProblem:
        raise cannot from None
    data = new_doc.data
    if old_data is not None and not isinstance(old_data, dict):
        raise ConnectSiteError(f"{shown} is not a set of 'id:' entries", "Fix it first (connect-site check).")
    expected = {**(old_data or {})}
    if key in expected:
        raise ConnectSiteError(f"a source with the id '{key}' is already in {shown}", "Choose another --id.")
    if not isinstance(data, dict) or {k: v for k, v in data.items() if k != key} != expected or key not in data:
        raise cannot
    report = Reporter()
    validate_sources(Entry(shown, "sources", "sources", new_doc), {key: data[key]}, (), report)
    _refuse(report)
