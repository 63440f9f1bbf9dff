"""The world map geometry, drawn once per page and reused by every map on it.

`data/world.csv` (`iso3,d`) holds one simplified SVG path per country in the Equal Earth
projection, in the coordinates of `VIEWBOX`. It is made from Natural Earth 1:110m by
`tools/make_world.py` (see `data/README.md`); nothing is computed from geography at build time.

`world_defs()` is a hidden `<svg>` whose `<defs>` hold `<path id="w-KEN">` for each country
inside `<g id="w-all">`, and the "no data" hatch `<pattern id="w-nd">`. A page that shows maps
includes it exactly once; each map then paints `<use href="#w-all">` in the colour of its
largest layer and draws `<use href="#w-KEN">` on top for each other country. The ids are fixed, so a page must not
use `w-` followed by an ISO3 code, `w-all` or `w-nd` for anything else.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources

from markupsafe import Markup

__all__ = ["ALL_ID", "NO_DATA_ID", "VIEWBOX", "shape_id", "world_defs", "world_iso3"]

VIEWBOX: tuple[int, int, int, int] = (0, 0, 1000, 442)
"""min-x, min-y, width, height of every map; `tools/make_world.py` prints it."""

ALL_ID = "w-all"
NO_DATA_ID = "w-nd"


def shape_id(iso3: str) -> str:
    """The id of a country's `<path>` in `world_defs()`, e.g. `w-KEN`."""
    return "w-" + iso3


@functools.lru_cache(maxsize=1)
def _shapes() -> tuple[tuple[str, str], ...]:
    """(iso3, path data) for each country on the map, sorted by iso3."""
    text = resources.files("connect_site").joinpath("data/world.csv").read_text(encoding="utf-8")
    rows = [(row["iso3"], row["d"]) for row in csv.DictReader(text.splitlines())]
    return tuple(sorted(rows))


@functools.lru_cache(maxsize=1)
def world_iso3() -> frozenset[str]:
    """The countries that have a shape on the map (ISO3 codes, plus XKX for Kosovo)."""
    return frozenset(iso3 for iso3, _ in _shapes())


@functools.lru_cache(maxsize=1)
def world_defs() -> Markup:
    """The hidden geometry block; include it once per page, before or after the maps."""
    paths = "".join(f'<path id="{shape_id(iso3)}" d="{d}"/>' for iso3, d in _shapes())
    pattern = (
        f'<pattern id="{NO_DATA_ID}" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#e6e6e6"/>'
        '<path d="M0 0v6" stroke="#8a8a8a" stroke-width="2"/></pattern>'
    )
    return Markup(
        '<svg class="cm-defs" aria-hidden="true" focusable="false" width="0" height="0">'
        f'<defs>{pattern}<g id="{ALL_ID}">{paths}</g></defs></svg>'
    )
