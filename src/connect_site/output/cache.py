"""A persistent cache of the build's two costly pure results: rendered Markdown and search shards.

Both are content-addressed: a row's key is a hash of everything that decides its value,
so a row can never be stale, only unused.

- **Markdown**: the key hashes the body, the source of `site/markdown.py` (our renderer, its
  extensions and its sanitizer policy), and the versions of cmark-gfm and nh3.
- **Search shards**: the key hashes the exact bytes Pagefind reads (each page as given to
  it, with its path), Pagefind's configuration and version, and the source of `search.py`.

The cache is one SQLite file, `<folder>/connect-site.sqlite3` (the folder is
`.connect-site-cache/` by default; CI keeps it between runs, see docs/ci.md). After
each build it holds exactly the rows that build used, so it does not grow with edits.
A cache that cannot be opened or read (missing permissions, a damaged file, a full disk)
never fails a build: the build goes on without it and says so once.

The cache is as trusted as the output folder: its rows become pages. Only builds write
it; keep it out of reach of anything that does not also write the site.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Optional

FILE = "connect-site.sqlite3"
DEFAULT_FOLDER = ".connect-site-cache"
SCHEMA = 1
_TIMEOUT_S = 30.0


class Cache:
    """The cache in `folder`, or an inert one (folder None, or unusable) that stores nothing."""

    def __init__(self, folder: Optional[Path]) -> None:
        self.folder = folder
        self.problem = ""  # why the cache is not used, when it was asked for and failed
        self._db: Optional[sqlite3.Connection] = None
        if folder is not None:
            self._open(folder)

    def _open(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(folder / FILE, timeout=_TIMEOUT_S, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA:
                db.executescript(
                    "DROP TABLE IF EXISTS markdown; DROP TABLE IF EXISTS search;"
                    "CREATE TABLE markdown (key TEXT PRIMARY KEY, html TEXT NOT NULL) WITHOUT ROWID;"
                    "CREATE TABLE search (key TEXT NOT NULL, path TEXT NOT NULL, data BLOB NOT NULL,"
                    " PRIMARY KEY (key, path)) WITHOUT ROWID;"
                    f"PRAGMA user_version={SCHEMA};"
                )
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        self.problem = self.problem or f"the build cache in {self.folder} is not usable ({exc}); building without it"
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None

    # -- Markdown -------------------------------------------------------------------------

    def markdown(self) -> dict[str, str]:
        """Every rendered body in the cache, by key (what the last build used)."""
        if self._db is None:
            return {}
        try:
            return dict(self._db.execute("SELECT key, html FROM markdown"))
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}

    def keep_markdown(self, used: Iterable[str], rows: dict[str, str]) -> None:
        """Store the new `rows`, then forget every row this build did not use."""
        if self._db is None:
            return
        try:
            with _transaction(self._db):
                self._db.executemany("INSERT OR REPLACE INTO markdown VALUES (?, ?)", sorted(rows.items()))
                self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY) WITHOUT ROWID")
                self._db.execute("DELETE FROM used")
                self._db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in used))
                self._db.execute("DELETE FROM markdown WHERE key NOT IN (SELECT key FROM used)")
        except sqlite3.Error as exc:
            self._fail(exc)

    # -- search shards ----------------------------------------------------------------------

    def search_shard(self, key: str) -> Optional[dict[str, bytes]]:
        """The files of the search shard with this key ({relative path: bytes}), None when absent."""
        if self._db is None:
            return None
        try:
            rows = self._db.execute("SELECT path, data FROM search WHERE key = ?", (key,)).fetchall()
        except sqlite3.Error as exc:
            self._fail(exc)
            return None
        return {path: bytes(data) for path, data in rows} or None

    def keep_search(self, shards: dict[str, dict[str, bytes]]) -> None:
        """Make the search shards exactly `shards` (key -> files): store new ones, forget the rest."""
        if self._db is None:
            return
        try:
            with _transaction(self._db):
                known = {k for (k,) in self._db.execute("SELECT DISTINCT key FROM search")}
                for key in known - set(shards):
                    self._db.execute("DELETE FROM search WHERE key = ?", (key,))
                for key in sorted(set(shards) - known):
                    rows = ((key, path, data) for path, data in sorted(shards[key].items()))
                    self._db.executemany("INSERT INTO search VALUES (?, ?, ?)", rows)
        except sqlite3.Error as exc:
            self._fail(exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (autocommit connection)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
