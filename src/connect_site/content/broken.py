"""The files left out of the site, and the ids they would have declared.

A file that cannot be read (a YAML syntax error, not UTF-8, a symlink) or that fails
validation is reported once, where the mistake is, and left out. The files that refer to
it must not then report each of its ids as unknown: that is one mistake reported again in
every file that names the broken one. `Broken` records, per kind of id, what the files left
out would have declared; each "unknown ..." check asks `covers(kind, key)` before
reporting. An id that none of them can have declared is still reported.

    kind        declared by                        known from a file left out
    goal        goals/<n>.yaml                     the file name and its `id`
    target      targets/<id>.yaml                  the file name and its `id`
    indicator   targets/<id>.yaml                  its `indicators` (every id, when they cannot be read)
    country     countries/<ISO3>.yaml              the file name
    initiative  initiatives/<slug>.md              the file name
    practice    practices/<slug>.md                the file name
    source      sources.yaml, site.yaml `sources`  the ids (every id, when the file cannot be read)
    language    site.yaml `languages`              every language
    site        site.yaml                          the file itself
"""

from __future__ import annotations

from typing import Any, Optional

from pydantic_core import PydanticCustomError

from connect_site.content import refdata
from connect_site.content.fields import canonical_target_id

KINDS = ("goal", "target", "indicator", "country", "initiative", "practice", "source", "language", "site")


class Broken:
    """What the files that were left out would have declared, by kind of id."""

    def __init__(self) -> None:
        self.ids: dict[str, set[str]] = {kind: set() for kind in KINDS}
        self.every: set[str] = set()  # kinds of which any id may have been declared by a file left out
        self.paths: list[str] = []  # the files left out

    def covers(self, kind: str, key: object) -> bool:
        """Whether a file left out may have declared this {kind}: then "unknown" is not reported."""
        return kind in self.every or _norm(kind, key) in self.ids.get(kind, ())

    def any(self, kind: str) -> bool:
        """Whether a file left out declared (or may have declared) some {kind}."""
        return kind in self.every or bool(self.ids.get(kind))

    def unread(self, path: str, kind: str, stem: Optional[str]) -> None:
        """A file (or, with no stem, a whole folder) of `kind` that could not be read at all."""
        self.paths.append(path)
        self._declare(kind, stem, None, read=False)

    def invalid(self, path: str, kind: str, stem: str, data: Any) -> None:
        """A file that was read (its YAML is `data`) but is left out for its errors."""
        self.paths.append(path)
        self._declare(kind, stem, data, read=True)

    def source(self, key: object) -> None:
        """One source of sources.yaml left out for its errors."""
        self.ids["source"].add(str(key))

    def _declare(self, kind: str, stem: Optional[str], data: Any, read: bool) -> None:
        fields = data if isinstance(data, dict) else {}
        if kind == "site":
            self.every.update(("site", "language"))
            self._sources(fields.get("sources"), read and isinstance(data, dict))
            return
        if kind == "sources":
            self._sources(data, read)
            return
        if kind not in self.ids:
            return
        names = [stem, fields.get("id")] if kind in ("goal", "target") else [stem]
        found = {_norm(kind, n) for n in names if n is not None and _valid(kind, n)}
        if not found and kind in ("goal", "target"):
            self.every.add(kind)  # neither its name nor its `id` is an id: any id may be its
        self.ids[kind].update(found)
        if kind == "target" and not read:
            self.every.add("indicator")  # its indicators cannot be read: any may be one of them
        elif kind == "target":
            self._indicators(fields.get("indicators"))

    def _sources(self, data: Any, read: bool) -> None:
        if not read or (data is not None and not isinstance(data, dict)):
            self.every.add("source")
        elif isinstance(data, dict):
            self.ids["source"].update(str(k) for k in data)

    def _indicators(self, items: Any) -> None:
        """The indicators of a target left out: their ids, or any id when one cannot be read."""
        if items is None:
            return  # it lists none
        ids = [i.get("id") if isinstance(i, dict) else None for i in items] if isinstance(items, list) else [None]
        if all(isinstance(i, str) for i in ids):
            self.ids["indicator"].update(str(i) for i in ids)
        else:
            self.every.add("indicator")


def _valid(kind: str, key: object) -> bool:
    if kind == "country":
        return str(key).upper() in refdata.countries()
    if kind == "goal":
        return str(key).strip().isdigit()
    if kind == "target":
        try:
            return isinstance(canonical_target_id(key), str)
        except PydanticCustomError:
            return False
    return isinstance(key, str)


def _norm(kind: str, key: object) -> str:
    """An id as the checks compare it: a target in canonical form, a country code in capitals."""
    if kind == "target":
        try:
            canonical = canonical_target_id(key)
        except PydanticCustomError:
            return str(key)
        return canonical if isinstance(canonical, str) else str(key)
    if kind == "country":
        return str(key).upper()
    if kind == "goal" and str(key).strip().isdigit():
        return str(int(str(key)))
    return str(key)
