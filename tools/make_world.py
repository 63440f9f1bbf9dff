"""Turn the shared Natural Earth world map into the compact package-data file the charts use.

Run by hand when the shared map changes (never at build time):

    python tools/make_world.py ../shared/data/world-110m.geojson src/connect_site/data/world.csv

The input is `world-110m.geojson` from the project's shared data folder (Natural Earth 1:110m
Admin-0, via the npm package world-atlas@2.0.2; see `src/connect_site/data/README.md`).
The output is a CSV, `iso3,d`, one row per country, sorted by iso3, where `d` is an SVG path
in the Equal Earth projection, scaled to a 1000-unit-wide viewBox, with integer coordinates
and relative commands. The script prints the viewBox and the projection's scale and offsets;
`geo.VIEWBOX` and `geo.PROJECTION` must match them (`geo.py` projects the small-state markers of
`map_markers.csv` with them, so they land where `world.csv` would draw them).

What it does, in order:
1. Drops Antarctica (no data, many bytes). Maps the two features without an ISO code to the
   country the UN recognises: "N. Cyprus" to CYP and "Somaliland" to SOM.
2. Finds the shared borders: a point where more than two edges meet is a junction, and the
   rings are cut into chains between junctions. Each chain is simplified once
   (Visvalingam-Whyatt, junctions fixed) so neighbouring countries keep identical borders.
3. Projects to Equal Earth, rounds to integers, drops rings that become degenerate and
   islands smaller than a few square units, but always keeps each country's largest ring.
The output is byte-identical for the same input.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

WIDTH = 1000
MARGIN = 2
MIN_AREA = 4  # Visvalingam effective-area threshold, in square viewBox units
MIN_ISLAND = 6.0  # rings smaller than this (square units, after rounding) are dropped
NO_ISO = {"N. Cyprus": "CYP", "Somaliland": "SOM"}
DROP = {"ATA"}

Pt = tuple[int, int]  # centi-degrees (lon, lat): the input is rounded to 0.01 degrees
XY = tuple[float, float]

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(p: Pt) -> XY:
    lon = math.radians(p[0] / 100)
    lat = math.radians(p[1] / 100)
    t = math.asin(M * math.sin(lat))
    t2 = t * t
    t6 = t2 * t2 * t2
    x = lon * math.cos(t) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, -y


def tri_area(a: XY, b: XY, c: XY) -> float:
    return abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2


def ring_area(r: list[tuple[int, int]]) -> float:
    return abs(sum(r[i - 1][0] * r[i][1] - r[i][0] * r[i - 1][1] for i in range(len(r)))) / 2


def visvalingam(xy: list[XY], min_area: float, keep_min: int) -> list[int]:
    """Indices of the points to keep; the first and last are always kept."""
    n = len(xy)
    if n <= keep_min:
        return list(range(n))
    prev = list(range(-1, n - 1))
    nxt = list(range(1, n + 1))
    area = [math.inf] * n
    heap: list[tuple[float, int]] = []
    for i in range(1, n - 1):
        area[i] = tri_area(xy[i - 1], xy[i], xy[i + 1])
        heap.append((area[i], i))
    heapq.heapify(heap)
    alive = n
    removed = [False] * n
    while heap and alive > keep_min:
        a, i = heapq.heappop(heap)
        if removed[i] or a != area[i]:
            continue
        if a >= min_area:
            break
        removed[i] = True
        alive -= 1
        p, q = prev[i], nxt[i]
        nxt[p], prev[q] = q, p
        for j in (p, q):
            if 0 < j < n - 1:
                area[j] = max(a, tri_area(xy[prev[j]], xy[j], xy[nxt[j]]))
                heapq.heappush(heap, (area[j], j))
    return [i for i in range(n) if not removed[i]]


def load(path: Path) -> dict[str, list[list[Pt]]]:
    """iso3 -> rings (open: the closing point is removed), in the input's order."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[list[Pt]]] = defaultdict(list)
    for feature in doc["features"]:
        props = feature["properties"]
        iso3 = props["iso3"] or NO_ISO[props["name"]]
        if iso3 in DROP:
            continue
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                pts = [(round(lon * 100), round(lat * 100)) for lon, lat in ring]
                if pts[0] == pts[-1]:
                    pts.pop()
                dedup = [p for i, p in enumerate(pts) if p != pts[i - 1]]
                if len(dedup) >= 3:
                    out[iso3].append(dedup)
    return dict(out)


def junctions(rings: list[list[Pt]]) -> set[Pt]:
    neighbours: dict[Pt, set[Pt]] = defaultdict(set)
    for r in rings:
        for i, p in enumerate(r):
            neighbours[p].add(r[i - 1])
            neighbours[p].add(r[(i + 1) % len(r)])
    return {p for p, ns in neighbours.items() if len(ns) > 2}


def chains(ring: list[Pt], junction: set[Pt]) -> list[list[Pt]]:
    """Cut a ring at its junctions; a ring without junctions becomes one canonical closed chain."""
    cuts = [i for i, p in enumerate(ring) if p in junction]
    if not cuts:
        start = ring.index(min(ring))
        r = ring[start:] + ring[:start]
        if r[-1] < r[1]:
            r = [r[0]] + r[1:][::-1]
        return [r + [r[0]]]
    r = ring[cuts[0] :] + ring[: cuts[0]]
    offsets = [c - cuts[0] for c in cuts] + [len(ring)]
    r = r + [r[0]]
    return [r[offsets[k] : offsets[k + 1] + 1] for k in range(len(offsets) - 1)]


def main(src: Path, dst: Path) -> None:
    countries = load(src)
    all_rings = [r for iso in sorted(countries) for r in countries[iso]]
    junction = junctions(all_rings)

    # projection extent, over every input point
    xs: list[float] = []
    ys: list[float] = []
    for r in all_rings:
        for p in r:
            x, y = equal_earth(p)
            xs.append(x)
            ys.append(y)
    scale = (WIDTH - 2 * MARGIN) / (max(xs) - min(xs))
    x0, y0 = min(xs), min(ys)
    height = math.ceil((max(ys) - y0) * scale) + 2 * MARGIN

    def project(p: Pt) -> XY:
        x, y = equal_earth(p)
        return (x - x0) * scale + MARGIN, (y - y0) * scale + MARGIN

    cache: dict[tuple[Pt, ...], list[tuple[int, int]]] = {}

    def simplified(chain: list[Pt]) -> list[tuple[int, int]]:
        closed = chain[0] == chain[-1] and chain[0] not in junction
        rev = not closed and (chain[-1], chain[-2]) < (chain[0], chain[1])
        key = tuple(chain[::-1] if rev else chain)
        if key not in cache:
            xy = [project(p) for p in key]
            keep = visvalingam(xy, MIN_AREA, 4 if chain[0] == chain[-1] else 2)
            cache[key] = [(round(xy[i][0]), round(xy[i][1])) for i in keep]
        out = cache[key]
        return out[::-1] if rev else out

    rows: list[tuple[str, str]] = []
    points = 0
    for iso3 in sorted(countries):
        rings: list[list[tuple[int, int]]] = []
        for ring in countries[iso3]:
            pts: list[tuple[int, int]] = []
            for chain in chains(ring, junction):
                pts.extend(simplified(chain)[:-1])
            pts = [p for i, p in enumerate(pts) if p != pts[i - 1]]
            if len(pts) >= 3 and ring_area(pts) > 0:
                rings.append(pts)
        factor = 1
        if not rings:  # a tiny country: keep its largest input ring, unsimplified, to 0.1 unit
            factor = 10
            raw = max(countries[iso3], key=lambda r: ring_area([(round(x), round(y)) for x, y in map(project, r)]))
            rings = [[(round(x * factor), round(y * factor)) for x, y in map(project, raw)]]
        largest = max(range(len(rings)), key=lambda k: ring_area(rings[k]))
        rings = [r for k, r in enumerate(rings) if k == largest or ring_area(r) >= MIN_ISLAND * factor * factor]
        points += sum(len(r) for r in rings)
        rows.append((iso3, encode(rings, factor)))

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["iso3", "d"])
    writer.writerows(rows)
    dst.write_text(buf.getvalue(), encoding="utf-8")
    defs = sum(len(f'<path id="w-{iso3}" d="{d}"/>') for iso3, d in rows)
    print(f"{len(rows)} countries, {points} points, {defs} bytes of <path>; VIEWBOX = (0, 0, {WIDTH}, {height})")
    print(f"PROJECTION = ({scale!r}, {x0!r}, {y0!r}, {MARGIN})  # scale, x0, y0, margin: geo.py projects the markers")


def encode(rings: list[list[tuple[int, int]]], factor: int = 1) -> str:
    """SVG path data: absolute first move, then relative moves and lines, h/v where possible."""
    out: list[str] = []
    cx, cy = 0, 0  # current subpath start (where `z` returns to)
    for k, ring in enumerate(rings):
        x, y = ring[0]
        out.append(("M" if k == 0 else "m") + nums([x - cx, y - cy] if k else [x, y], factor))
        cx, cy = x, y
        last = ""
        px, py = x, y
        for qx, qy in ring[1:]:
            dx, dy = qx - px, qy - py
            if dy == 0:
                cmd, args = "h", [dx]
            elif dx == 0:
                cmd, args = "v", [dy]
            else:
                cmd, args = "l", [dx, dy]
            if cmd == last:
                out.append(("" if args[0] < 0 else " ") + nums(args, factor))
            else:
                out.append(cmd + nums(args, factor))
            last = cmd
            px, py = qx, qy
        out.append("z")
    return "".join(out)


def nums(values: list[int], factor: int = 1) -> str:
    """Integers in units of 1/factor as SVG numbers (5, -3, 0.5), space-separated unless negative."""
    text = ""
    for k, v in enumerate(values):
        whole, frac = divmod(abs(v), factor)
        s = ("-" if v < 0 else "") + str(whole) + (f".{frac}" if frac else "")
        text += ("" if k == 0 or v < 0 else " ") + s
    return text


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
