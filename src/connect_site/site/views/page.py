"""What a view returns: a page's path, template, title, crumbs and its typed context."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Optional


@dataclass(frozen=True)
class Crumb:
    title: str
    path: str


@dataclass(frozen=True)
class Context:
    """The data a page kind gives its template; each kind has a subclass with its fields."""

    def namespace(self) -> dict[str, Any]:
        """The fields as template variables (not copied: the values are shared, read-only)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Page:
    path: str  # "targets/1.4/"
    template: str
    title: str
    description: str
    crumbs: tuple[Crumb, ...] = ()
    data: Optional[Context] = None
    rooted: bool = False  # links from the site root (the 404 page is served at any depth)
    sitemap: bool = True
