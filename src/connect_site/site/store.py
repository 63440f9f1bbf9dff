"""What the site keeps between builds, as the site sees it: a protocol, and content addresses.

The build's two costly pure results, rendered Markdown and search shards, are keyed by a
hash of everything that decides them (`digest`), so a stored row can never be stale,
only unused. `output.cache.Cache` stores them on disk; the site only knows this protocol,
and works the same with no store at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Optional, Protocol


def digest(*parts: bytes | str) -> str:
    """A hex SHA-256 of the parts, each length-prefixed so that no two sequences collide."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Store(Protocol):
    def markdown(self) -> dict[str, str]:
        """Every rendered body kept, by key."""
        ...

    def keep_markdown(self, used: Iterable[str], rows: dict[str, str]) -> None:
        """Store the new `rows`, then forget every row not `used`."""
        ...

    def search_shard(self, key: str) -> Optional[dict[str, bytes]]:
        """The files of a search shard, None when it is not kept."""
        ...

    def keep_search(self, shards: dict[str, dict[str, bytes]]) -> None:
        """Keep exactly these shards (key -> files)."""
        ...
