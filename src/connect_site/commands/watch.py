"""Watching the folders a preview is built from: one rebuild per burst of saves."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Optional

QUIET = 0.2  # seconds without a change before a burst of changes is rebuilt
POLL = 0.05  # seconds between two looks at the watched folders


def watched(content_dir: Path) -> list[Path]:
    """The content folder, the theme (templates/ and assets/, wherever connect_site.theme finds them)
    and the interface translations (locale/)."""
    from connect_site.site.i18n import LOCALE_DIR
    from connect_site.site.theme import THEME

    return [content_dir, THEME / "templates", THEME / "assets", LOCALE_DIR]


Snapshot = Mapping[str, tuple[int, int, int, int]]


def ignored(name: str) -> bool:
    """Editor temp and backup files, hidden files and folders, build output folders."""
    return (
        name.startswith((".", "#"))
        or name.endswith(("~", ".swp", ".swx", ".swo", ".tmp", ".bak"))
        or name in ("_site", "__pycache__", "node_modules")
    )


def snapshot(roots: Iterable[Path]) -> dict[str, tuple[int, int, int, int]]:
    """(mtime, ctime, size, inode) of every watched file, by path; symlinks are not followed."""
    seen: dict[str, tuple[int, int, int, int]] = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not ignored(d))
            for name in filenames:
                if ignored(name):
                    continue
                path = os.path.join(dirpath, name)
                try:
                    st = os.lstat(path)
                except OSError:  # removed meanwhile: the next look sees it gone
                    continue
                seen[path] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
    return seen


class Watcher:
    """Tells when a burst of changes is over: something changed, then nothing for `quiet` seconds."""

    def __init__(self, roots: Iterable[Path], quiet: float = QUIET) -> None:
        self.roots = list(roots)
        self.quiet = quiet
        self.last = snapshot(self.roots)
        self.changed_at: Optional[float] = None

    def poll(self) -> bool:
        now = snapshot(self.roots)
        if now != self.last:
            self.last, self.changed_at = now, time.monotonic()
            return False
        if self.changed_at is not None and time.monotonic() - self.changed_at >= self.quiet:
            self.changed_at = None
            return True
        return False
