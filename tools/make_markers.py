"""Marker points for the UN Member States (and VAT, PSE) that the 1:110m world map lacks.

    mkdir -p build && (cd build && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz)   # -> build/package
    python tools/make_markers.py --atlas build/package --shared ../shared/data --site . --out src/connect_site/data

Inputs (read only):
* `countries-110m.json`, `countries-50m.json`, `countries-10m.json` from the npm package
  world-atlas@2.0.2 (Natural Earth 4.1.0 Admin-0, TopoJSON, quantized, lon/lat);
* `un/country_names_un_raw.csv` in --shared: the 193 UN Member States plus VAT and PSE
  (entries without a footnote marker, and those marked `*`);
* `src/connect_site/data/countries.csv` (iso3 <-> ISO numeric) and
  `src/connect_site/data/world.csv` (the site's 110m shapes) in --site.

Method:
1. Decode each TopoJSON file: arcs are delta-encoded integer positions; they are summed
   (still integers), rings are stitched from arc indices (a negative index ~i is arc i
   reversed; the first point of each following arc repeats the last one and is dropped).
   The `transform` (scale, translate) is applied only to the final centroid: an affine map
   commutes with centroids and multiplies every area by the same constant, so the choice of
   the largest polygon and its centroid are exact in the integer grid.
2. A state is "missing from 110m" when no geometry of countries-110m.json has its ISO
   numeric id. Features are matched by `id` through countries.csv `iso_numeric`; an id that
   occurs more than once in a file (036 in 50m and 10m: Australia and Ashmore and Cartier
   Is.) is never used for a marker (the script fails if it would be).
3. Scale: 50m when the state is in countries-50m.json, else 10m (Tuvalu).
4. Marker: of the state's polygons, the one with the largest planar area (outer ring minus
   holes, in lon/lat degrees, no projection), and its area-weighted (planar lon/lat)
   centroid, computed exactly with fractions and rounded half-even to 0.01 degrees.

Output: `map_markers.csv` (iso3,lon,lat,scale), sorted by iso3. The script prints, per state,
the number of polygons, the largest one's share of the state's area and whether the centroid
lies inside it, then checks world.csv: every Member State, VAT and PSE must have a 110m shape
or a marker (exit 1 otherwise). Standard library only; deterministic.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sys
from fractions import Fraction
from pathlib import Path

ATLAS_FILES = {"110m": "countries-110m.json", "50m": "countries-50m.json", "10m": "countries-10m.json"}
MARKER_SCALES = ("50m", "10m")  # first that holds the state wins

Pt = tuple[int, int]


def fail(msg: str) -> None:
    print("ERROR: " + msg, file=sys.stderr)
    sys.exit(1)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class Topo:
    """One TopoJSON file: integer arcs and the `countries` geometries by id."""

    def __init__(self, path: Path) -> None:
        raw = path.read_bytes()
        self.sha256 = hashlib.sha256(raw).hexdigest()
        doc = json.loads(raw)
        t = doc["transform"]
        self.scale = (Fraction(t["scale"][0]), Fraction(t["scale"][1]))
        self.translate = (Fraction(t["translate"][0]), Fraction(t["translate"][1]))
        self.arcs: list[list[Pt]] = []
        for arc in doc["arcs"]:
            x = y = 0
            pts: list[Pt] = []
            for dx, dy in arc:
                x += dx
                y += dy
                pts.append((x, y))
            self.arcs.append(pts)
        self.by_id: dict[str, list[dict]] = {}
        for g in doc["objects"]["countries"]["geometries"]:
            if g.get("id") is not None:
                self.by_id.setdefault(g["id"], []).append(g)

    def ring(self, idxs: list[int]) -> list[Pt]:
        out: list[Pt] = []
        for k, i in enumerate(idxs):
            pts = self.arcs[i] if i >= 0 else self.arcs[~i][::-1]
            out.extend(pts if k == 0 else pts[1:])
        return out

    def polygons(self, g: dict) -> list[list[list[Pt]]]:
        if g["type"] == "Polygon":
            return [[self.ring(r) for r in g["arcs"]]]
        if g["type"] == "MultiPolygon":
            return [[self.ring(r) for r in poly] for poly in g["arcs"]]
        fail(f"unexpected geometry type {g['type']}")
        return []

    def lonlat(self, x: Fraction, y: Fraction) -> tuple[Fraction, Fraction]:
        return x * self.scale[0] + self.translate[0], y * self.scale[1] + self.translate[1]


def ring_moments(r: list[Pt]) -> tuple[int, int, int]:
    """Twice the signed area, and the centroid numerators (sum (xi+xj)*cross, sum (yi+yj)*cross)."""
    a2 = cx = cy = 0
    n = len(r)
    for i in range(n):
        x0, y0 = r[i]
        x1, y1 = r[(i + 1) % n]
        c = x0 * y1 - x1 * y0
        a2 += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    return a2, cx, cy


def polygon_area_centroid(poly: list[list[Pt]]) -> tuple[Fraction, Fraction, Fraction]:
    """Planar area (grid units) and centroid of an outer ring minus its holes."""
    area2 = 0
    mx = my = 0
    for k, r in enumerate(poly):
        a2, cx, cy = ring_moments(r)
        sign = 1 if a2 > 0 else -1  # make each ring's contribution positive ...
        w = 1 if k == 0 else -1  # ... then subtract the holes
        area2 += w * sign * a2
        mx += w * sign * cx
        my += w * sign * cy
    if area2 <= 0:
        fail("polygon with non-positive area")
    # centroid = (sum (xi+xj) c) / (6 A) = m / (3 * 2A)
    return Fraction(area2, 2), Fraction(mx, 3 * area2), Fraction(my, 3 * area2)


def inside(pt: tuple[Fraction, Fraction], poly: list[list[Pt]]) -> bool:
    """Even-odd test over all rings of the polygon."""
    x, y = pt
    c = False
    for r in poly:
        n = len(r)
        for i in range(n):
            (x0, y0), (x1, y1) = r[i], r[(i + 1) % n]
            if (y0 > y) != (y1 > y):
                xi = x0 + (y - y0) * Fraction(x1 - x0, y1 - y0)
                if x < xi:
                    c = not c
    return c


def fmt(v: Fraction) -> str:
    return f"{float(round(v, 2)):.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--atlas", type=Path, required=True, help="folder with countries-{110m,50m,10m}.json")
    ap.add_argument("--shared", type=Path, required=True)
    ap.add_argument("--site", type=Path, default=Path("."), help="the connect-site checkout")
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()

    topo = {k: Topo(a.atlas / f) for k, f in ATLAS_FILES.items()}
    for k, t in topo.items():
        print(f"{ATLAS_FILES[k]} sha256 {t.sha256}")
        dup = sorted(i for i, gs in t.by_id.items() if len(gs) > 1)
        if dup:
            print(f"  ids used more than once: {dup} ({[g['properties']['name'] for i in dup for g in t.by_id[i]]})")

    countries = read_csv(a.site / "src/connect_site/data/countries.csv")
    numeric = {r["iso3"]: r["iso_numeric"] for r in countries if r["iso_numeric"]}
    states: list[str] = []
    for r in read_csv(a.shared / "un/country_names_un_raw.csv"):
        if not r["UNTERM English Short"].endswith(" **"):
            states.append(r["iso3"])
    states.sort()
    if len(states) != 195:
        fail(f"{len(states)} states, expected 193 + VAT + PSE")

    missing_110 = [s for s in states if numeric[s] not in topo["110m"].by_id]
    print(f"missing from 110m: {len(missing_110)} {missing_110}")

    rows: list[list[str]] = []
    for iso3 in missing_110:
        num = numeric[iso3]
        scale = next((s for s in MARKER_SCALES if num in topo[s].by_id), None)
        if scale is None:
            fail(f"{iso3} ({num}) is in none of {MARKER_SCALES}")
        t = topo[scale]
        gs = t.by_id[num]
        if len(gs) != 1:
            fail(f"{iso3}: id {num} occurs {len(gs)} times in {scale}")
        polys = t.polygons(gs[0])
        measured = [polygon_area_centroid(p) for p in polys]
        total = sum(m[0] for m in measured)
        best = max(range(len(polys)), key=lambda i: (measured[i][0], -i))  # largest; first on a tie
        area, gx, gy = measured[best]
        xs = [p[0] for p in polys[best][0]]
        span = (max(xs) - min(xs)) * t.scale[0]
        if span > 180:
            fail(f"{iso3}: largest polygon spans {float(span):.1f} degrees of longitude (antimeridian)")
        lon, lat = t.lonlat(gx, gy)
        ins = inside((gx, gy), polys[best])
        area_deg2 = area * t.scale[0] * t.scale[1]
        print(
            f"  {iso3} {scale} '{gs[0]['properties']['name']}': {len(polys)} polygon(s), largest "
            f"{float(area_deg2):.5f} deg2 = {float(area / total):.0%} of total; centroid "
            f"{fmt(lon)},{fmt(lat)} {'inside' if ins else 'NOT inside'} it"
        )
        rows.append([iso3, fmt(lon), fmt(lat), scale])

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["iso3", "lon", "lat", "scale"])
    w.writerows(rows)
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "map_markers.csv").write_text(buf.getvalue(), encoding="utf-8", newline="")
    print(f"wrote map_markers.csv: {len(rows)} rows")

    # coverage of the site's own 110m shapes
    shapes = {r["iso3"] for r in read_csv(a.site / "src/connect_site/data/world.csv")}
    markers = {r[0] for r in rows}
    neither = [s for s in states if s not in shapes and s not in markers]
    both = [s for s in states if s in shapes and s in markers]
    no_shape = [s for s in states if s not in shapes]
    print(f"world.csv: {len(shapes)} shapes; states without a shape: {len(no_shape)} {no_shape}")
    print(f"states with a shape and a marker: {both}")
    print(f"states with neither a world.csv shape nor a marker: {neither}")
    if neither:
        fail("some states have neither a shape nor a marker")


if __name__ == "__main__":
    main()
