"""The world map geometry, drawn once per page and reused by every map on it.

`data/world.csv` (`iso3,d`) holds one simplified SVG path per country in the Equal Earth
projection, in the coordinates of `VIEWBOX`. It is made from Natural Earth 1:110m by
`tools/make_world.py` (see `data/README.md`); nothing is computed from geography at build time
but the position of the markers.

The states too small for 1:110m (28 UN Member States and the Holy See) are drawn as markers:
`data/map_markers.csv` (`iso3,lon,lat,scale`, made by `tools/make_markers.py`) gives a point
in degrees, projected here with the same Equal Earth formula and the same scale and offsets
as `world.csv` (`PROJECTION`, printed by `tools/make_world.py`), as a circle of radius
`MARKER_RADIUS` viewBox units.

`world_defs(names=..., href=...)` is a hidden `<svg>` whose `<defs>` hold, for each country
on the map, its shape (`<path>`, or for a marker `<circle class="cm-mk">`) with a `<title>`
naming it in the page's language and, when it has a page, an `<a href="..." tabindex="-1">`
around them. The shapes are inside `<g id="w-all">`, the markers inside `<g id="w-mk">`, and the
"no data" hatch is `<pattern id="w-nd">`. A page that shows maps includes it exactly once;
each map then paints `<use href="#w-all">` and `<use href="#w-mk">` in the colour of its largest
layer and draws `<use href="#w-KEN">` on top for each other country. Every `<use>` clones the
title and the link with the shape, so every map names and links its countries for the price
of one block per page. The links are no tab stops (`tabindex="-1"`): the table below each map
links every country for keyboard and screen reader users.

The ids are fixed, so a page must not use `w-` followed by an ISO3 code, `w-all`, `w-mk` or
`w-nd` for anything else.
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Optional

from markupsafe import Markup, escape

from connect_site.content import refdata

__all__ = [
    "ALL_ID",
    "LAND_ID",
    "MARKERS_ID",
    "MARKER_RADIUS",
    "NO_DATA_ID",
    "PROJECTION",
    "VIEWBOX",
    "map_disclaimer",
    "marker_iso3",
    "marker_points",
    "project",
    "shape_id",
    "shape_iso3",
    "world_defs",
    "world_iso3",
]

VIEWBOX: tuple[int, int, int, int] = (0, 0, 1008, 442)
"""min-x, min-y, width, height of every map: the shapes' viewBox that `tools/make_world.py`
prints, (0, 0, 1000, 442), widened by 8 units on the right for Tuvalu's marker (179.21 E, 8.50 S
lies east of every point of the 1:110m map; its circle reaches x = 1006)."""

PROJECTION: tuple[float, float, float, float] = (187.5027753430954, -2.6559606869218446, -1.3054465753041948, 2)
"""scale, x0, y0, margin of `world.csv`: a point at Equal Earth (x, y) is drawn at
((x - x0) * scale + margin, (-y - y0) * scale + margin). `tools/make_world.py` prints it."""

MARKER_RADIUS = 3

ALL_ID = "w-all"
LAND_ID = "w-land"
MARKERS_ID = "w-mk"
NO_DATA_ID = "w-nd"

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def shape_id(iso3: str) -> str:
    """The id of a country's shape or marker in `world_defs()`, e.g. `w-KEN`."""
    return "w-" + iso3


def project(lon: float, lat: float) -> tuple[float, float]:
    """Degrees to viewBox coordinates, exactly as `tools/make_world.py` draws `world.csv`.

    Its input is rounded to 0.01 degrees (centi-degrees), so this is too; the formula and
    its order of operations are the script's `equal_earth`, then its `project`.
    """
    lam = math.radians(round(lon * 100) / 100)
    phi = math.radians(round(lat * 100) / 100)
    t = math.asin(_M * math.sin(phi))
    t2 = t * t
    t6 = t2 * t2 * t2
    x = lam * math.cos(t) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = -(t * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2)))
    scale, x0, y0, margin = PROJECTION
    return (x - x0) * scale + margin, (y - y0) * scale + margin


def _data(name: str) -> list[dict[str, str]]:
    text = resources.files("connect_site").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@functools.lru_cache(maxsize=1)
def _shapes() -> tuple[tuple[str, str], ...]:
    """(iso3, path data) for each country of the site's list with a shape, sorted by iso3."""
    known = refdata.countries()
    return tuple(sorted((row["iso3"], row["d"]) for row in _data("world.csv") if row["iso3"] in known))


@functools.lru_cache(maxsize=1)
def _land() -> tuple[str, ...]:
    """The path data of land that is no country of the site's list (Taiwan: not in the UN's M49 list),
    drawn in a neutral colour on every map, with no name, no data and no link."""
    known = refdata.countries()
    return tuple(row["d"] for row in sorted(_data("world.csv"), key=lambda r: r["iso3"]) if row["iso3"] not in known)


@functools.lru_cache(maxsize=1)
def marker_points() -> tuple[tuple[str, float, float], ...]:
    """(iso3, x, y) in viewBox units, to 0.1, for each state drawn as a marker, sorted by iso3."""
    points = []
    for row in _data("map_markers.csv"):
        x, y = project(float(row["lon"]), float(row["lat"]))
        points.append((row["iso3"], round(x, 1), round(y, 1)))
    return tuple(sorted(points))


@functools.lru_cache(maxsize=1)
def shape_iso3() -> frozenset[str]:
    """The countries drawn as a shape (ISO3 codes, plus XKX for Kosovo)."""
    return frozenset(iso3 for iso3, _ in _shapes())


@functools.lru_cache(maxsize=1)
def marker_iso3() -> frozenset[str]:
    """The states drawn as a marker: too small for the 1:110m shapes."""
    return frozenset(iso3 for iso3, _, _ in marker_points())


@functools.lru_cache(maxsize=1)
def world_iso3() -> frozenset[str]:
    """The countries on the map, as a shape or a marker."""
    return shape_iso3() | marker_iso3()


@functools.lru_cache(maxsize=1)
def _disclaimers() -> dict[str, str]:
    return {row["lang"]: row["text"] for row in _data("map_disclaimer.csv")}


def map_disclaimer(code: str) -> tuple[str, str]:
    """The UN map disclaimer in a language, and "" or, when it has none, the English text and "en"."""
    texts = _disclaimers()
    return (texts[code], "") if code in texts else (texts["en"], "en")


def _number(v: float) -> str:
    return f"{v:.1f}".removesuffix(".0")


def world_defs(*, names: Mapping[str, str], href: Callable[[str], Optional[str]]) -> Markup:
    """The hidden geometry block; include it once per page, before or after the maps.

    `names`: iso3 -> the country's name in the page's language (every country on the map must
    have one). `href`: iso3 -> the relative link to the country's page, or None for no link.
    """
    missing = sorted(world_iso3() - set(names))
    if missing:
        raise ValueError(f"no name for the countries on the map: {', '.join(missing)}")

    def item(iso3: str, tag: str, geometry: str) -> str:
        title = f"<title>{escape(names[iso3])}</title>"
        link = href(iso3)
        if link is None:
            return f'<{tag} id="{shape_id(iso3)}" {geometry}>{title}</{tag}>'
        return f'<a id="{shape_id(iso3)}" href="{escape(link)}" tabindex="-1"><{tag} {geometry}/>{title}</a>'

    paths = "".join(item(iso3, "path", f'd="{d}"') for iso3, d in _shapes())
    land = "".join(f'<path d="{d}"/>' for d in _land())
    r = MARKER_RADIUS
    markers = "".join(
        item(iso3, "circle", f'class="cm-mk" cx="{_number(x)}" cy="{_number(y)}" r="{r}"')
        for iso3, x, y in marker_points()
    )
    pattern = (
        f'<pattern id="{NO_DATA_ID}" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#e6e6e6"/>'
        '<path d="M0 0v6" stroke="#8a8a8a" stroke-width="2"/></pattern>'
    )
    return Markup(
        '<svg class="cm-defs" aria-hidden="true" focusable="false" width="0" height="0">'
        f'<defs>{pattern}<g id="{LAND_ID}">{land}</g><g id="{ALL_ID}">{paths}</g><g id="{MARKERS_ID}">{markers}</g>'
        "</defs></svg>"
    )
