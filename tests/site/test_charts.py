"""Inline SVG maps and charts: structure, accessibility wiring, determinism and size budgets."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, Optional

import pytest
from markupsafe import Markup

import gates
from conftest import ROOT
from connect_site.content import refdata
from connect_site.site import i18n
from connect_site.site.charts import MAX_MARKED, distribution_chart, format_value, median, percentile, trend_chart
from connect_site.site.geo import (
    MARKER_RADIUS,
    PROJECTION,
    VIEWBOX,
    marker_iso3,
    marker_points,
    project,
    shape_iso3,
    world_defs,
    world_iso3,
)
from connect_site.site.maps import choropleth, count_map, yes_no_map


def parse(markup: Markup) -> ET.Element:
    return ET.fromstring(f"<root>{markup}</root>")


def ids(root: ET.Element) -> list[str]:
    return [el.attrib["id"] for el in root.iter() if "id" in el.attrib]


def svgs(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter("svg") if el.get("role") == "img"]


def assert_wired(markup: Markup, prefix: str, title: str) -> ET.Element:
    """One labelled <svg role=img> whose title/desc ids are the prefix's, and no other ids."""
    root = parse(markup)
    (svg,) = svgs(root)
    assert svg.get("aria-labelledby") == f"{prefix}-t {prefix}-d"
    children = list(svg)
    assert children[0].tag == "title" and children[0].get("id") == f"{prefix}-t"
    assert children[0].text == title
    assert children[1].tag == "desc" and children[1].get("id") == f"{prefix}-d"
    assert sorted(ids(root)) == [f"{prefix}-d", f"{prefix}-t"]
    box = [float(v) for v in svg.attrib["viewBox"].split()]
    assert len(box) == 4 and box[2] > 0 and box[3] > 0
    return root


def defs_root(markup: Optional[Markup] = None) -> ET.Element:
    return parse(markup if markup is not None else defs())


def members_of(defs_el: ET.Element, group: str) -> list[str]:
    """The countries a `<use href="#w-all">` or `<use href="#w-mk">` paints: the ids in that group of the defs."""
    (g,) = [el for el in defs_el.iter("g") if el.get("id") == group]
    return [el.attrib["id"].removeprefix("w-") for el in g]


def painted(root: ET.Element, defs_el: Optional[ET.Element] = None) -> dict[str, str]:
    """iso3 -> the layer that paints it ("cm-c3", "cm-yes", ... or "nd") for every country on a map,
    read from the map's SVG and the page's defs (what each <use> clones)."""

    def layer(el: ET.Element) -> str:
        return el.get("class") or ("nd" if el.get("fill") == "url(#w-nd)" else "?")

    d = defs_el if defs_el is not None else DEFS
    (svg,) = svgs(root)
    land, *bases = svg.findall("use")
    assert land.attrib == {"href": "#w-land", "class": "cm-land"}  # land that is no country's (neutral grey)
    assert [b.attrib["href"] for b in bases] == ["#w-all", "#w-mk"]
    assert layer(bases[0]) == layer(bases[1]) != "?"
    out = dict.fromkeys(members_of(d, "w-all") + members_of(d, "w-mk"), layer(bases[0]))
    on_top = []
    for g in svg.findall("g"):
        for use in g.findall("use"):
            iso3 = use.attrib["href"].removeprefix("#w-")
            on_top.append(iso3)
            out[iso3] = layer(g)
    assert len(on_top) == len(set(on_top)), "a country is drawn twice on top of the base layer"
    assert set(on_top) <= set(MAP)
    return out


def groups(root: ET.Element) -> dict[str, list[str]]:
    """class -> iso3 codes painted in that class (countries with data that are on the map)."""
    out: dict[str, list[str]] = {}
    for iso3, layer in sorted(painted(root).items()):
        if layer != "nd":
            out.setdefault(layer, []).append(iso3)
    return out


def legend(root: ET.Element) -> list[str]:
    (ul,) = [el for el in root.iter("ul") if el.get("class") == "cm-legend"]
    return ["".join(li.itertext()) for li in ul.iter("li")]


def data_rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((resources.files("connect_site") / f"data/{name}").read_text("utf-8").splitlines()))


MAP = sorted(world_iso3())  # shapes and markers
SHAPES = sorted(shape_iso3())
COUNTRIES = [row["iso3"] for row in data_rows("countries.csv")]
MEMBERS = [row["iso3"] for row in data_rows("un_members.csv") if row["status"] == "member"]
NAMES = {iso3: ref.name for iso3, ref in refdata.countries().items()}
PCT = {iso3: (i * 7.3) % 100 for i, iso3 in enumerate(MAP)}


def no_links(iso3: str) -> Optional[str]:
    return None


def defs(href: Callable[[str], Optional[str]] = no_links, names: Optional[dict[str, str]] = None) -> Markup:
    return world_defs(names=NAMES if names is None else names, href=href)


def target_links(iso3: str) -> Optional[str]:
    """The links of a target page of the real site, for every country (the size budget's worst case)."""
    return f"../../countries/{iso3.lower()}/"


DEFS = defs_root()


# --- the world geometry ------------------------------------------------------------------------


def path_points(d: str) -> list[tuple[float, float]]:
    """Absolute points of the path data the map uses (M, m, l, h, v, z)."""
    points: list[tuple[float, float]] = []
    x = y = sx = sy = 0.0
    for cmd, args in re.findall(r"([MmlhvzZ])([^MmlhvzZ]*)", d):
        nums = [float(n) for n in re.findall(r"-?\d*\.?\d+", args)]
        if cmd in "zZ":
            x, y = sx, sy
            continue
        step = 1 if cmd in "hv" else 2
        assert nums and len(nums) % step == 0, (cmd, args)
        for k in range(0, len(nums), step):
            if cmd == "M":
                x, y = nums[k], nums[k + 1]
            elif cmd in "ml":
                x, y = x + nums[k], y + nums[k + 1]
            elif cmd == "h":
                x += nums[k]
            else:
                y += nums[k]
            if cmd in "Mm" and k == 0:
                sx, sy = x, y
            points.append((x, y))
    return points


def shape_elements(root: ET.Element) -> dict[str, ET.Element]:
    """iso3 -> the element a map's `<use href="#w-KEN">` clones (the link, or the shape itself)."""
    return {el.attrib["id"][2:]: el for el in root.iter() if re.fullmatch(r"w-[A-Z]{3}", el.get("id", ""))}


def geometry(el: ET.Element) -> ET.Element:
    """The <path> or <circle> of a country's element: itself, or the one inside its link."""
    if el.tag == "a":
        (shape,) = [c for c in el if c.tag != "title"]
        return shape
    return el


def title_of(el: ET.Element) -> str:
    """The text of the one <title> a country's element carries (on the link, or in the shape)."""
    (title,) = el.findall("title") + (geometry(el).findall("title") if el.tag == "a" else [])
    return title.text or ""


def test_world_defs_is_a_hidden_svg_with_one_shape_or_marker_per_country() -> None:
    markup = defs()
    root = parse(markup)
    (svg,) = list(root)
    assert svg.tag == "svg" and svg.get("aria-hidden") == "true" and svg.get("focusable") == "false"
    assert "role" not in svg.attrib
    assert len(ids(root)) == len(set(ids(root)))
    assert {"w-all", "w-mk", "w-nd"} <= set(ids(root))
    assert "xlink" not in markup
    assert sorted(members_of(root, "w-all")) == SHAPES and sorted(members_of(root, "w-mk")) == sorted(marker_iso3())
    elements = shape_elements(root)
    assert sorted(elements) == MAP
    x0, y0, w, h = VIEWBOX
    for iso3, el in elements.items():
        shape = geometry(el)
        if iso3 in shape_iso3():
            assert shape.tag == "path", iso3
            pts = path_points(shape.attrib["d"])
            assert len(pts) >= 3, iso3
            assert all(x0 <= x <= x0 + w and y0 <= y <= y0 + h for x, y in pts), iso3
        else:
            assert shape.tag == "circle" and shape.get("class") == "cm-mk" and shape.get("r") == str(MARKER_RADIUS)
            cx, cy = float(shape.attrib["cx"]), float(shape.attrib["cy"])
            r = MARKER_RADIUS + 1  # and its outline
            assert x0 + r <= cx <= x0 + w - r and y0 + r <= cy <= y0 + h - r, iso3


def test_map_countries_are_real_codes_and_cover_the_big_ones() -> None:
    shapes = shape_iso3()
    assert shapes <= set(COUNTRIES) and marker_iso3() <= set(COUNTRIES)
    assert "ATA" not in shapes and len(shapes) >= 170
    assert {"KEN", "BRA", "IND", "EST", "EGY", "KGZ", "SOM", "CYP", "XKX", "PSE", "USA", "RUS", "FJI"} <= shapes
    assert not shapes & marker_iso3()  # a marker only for a state with no shape


def test_every_country_on_the_map_is_referenced_with_its_id() -> None:
    elements = shape_elements(DEFS)
    for iso3 in COUNTRIES:
        html = yes_no_map({iso3: True}, id_prefix="one", title="t", desc="d")
        if iso3 in world_iso3():
            assert iso3 in elements
            assert groups(parse(html)) == {"cm-yes": [iso3]}
        else:
            assert f'"#w-{iso3}"' not in html and iso3 not in elements


def test_every_un_member_state_has_a_shape_or_a_marker_on_every_map() -> None:
    """Read from the SVG: each of the 193 is painted by exactly one layer of each map, through a
    <use> that clones its <path> or marker <circle> from the page's defs."""
    assert len(MEMBERS) == len(set(MEMBERS)) == 193
    assert {"MLT", "SGP", "TUV", "MCO", "KIR", "BRA"} <= set(MEMBERS) and "PSE" not in MEMBERS
    in_all, in_mk = set(members_of(DEFS, "w-all")), set(members_of(DEFS, "w-mk"))
    elements = shape_elements(DEFS)
    maps = [
        choropleth(PCT, unit="percent", id_prefix="a", title="t", desc="d"),
        choropleth({"KEN": 5.0}, unit="percent", id_prefix="b", title="t", desc="d"),  # nearly all "no data"
        yes_no_map({iso3: i % 2 == 0 for i, iso3 in enumerate(MEMBERS)}, id_prefix="c", title="t", desc="d"),
        count_map({iso3: 1 + i % 9 for i, iso3 in enumerate(COUNTRIES)}, id_prefix="e", title="t", desc="d"),
    ]
    for html in maps:
        layers = painted(parse(html))
        for iso3 in MEMBERS:
            assert iso3 in layers and layers[iso3] != "?", iso3
            assert (iso3 in in_all) != (iso3 in in_mk), iso3
            shape = geometry(elements[iso3])
            assert shape.tag == ("path" if iso3 in in_all else "circle"), iso3
    markers = sorted(marker_iso3())
    assert len(markers) == 29 and set(markers) - set(MEMBERS) == {"VAT"}


def make_world() -> Any:
    spec = importlib.util.spec_from_file_location("make_world", ROOT / "tools" / "make_world.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_markers_are_projected_exactly_as_world_csv() -> None:
    tool = make_world()
    scale, x0, y0, margin = PROJECTION
    assert margin == tool.MARGIN
    points = [(lon, lat) for lon in range(-180, 181, 15) for lat in range(-85, 86, 17)]
    points += [(float(r["lon"]), float(r["lat"])) for r in data_rows("map_markers.csv")]
    for lon, lat in points:
        x, y = tool.equal_earth((round(lon * 100), round(lat * 100)))
        assert project(lon, lat) == ((x - x0) * scale + margin, (y - y0) * scale + margin)
    # the scale and offsets are world.csv's: the enclaves and the states on a border land on the map's shapes
    shapes = {iso3: paths_of(el.attrib["d"]) for iso3, el in shape_elements(DEFS).items() if el.tag == "path"}
    at = {iso3: (x, y) for iso3, x, y in marker_points()}
    expected = {"VAT": {"ITA"}, "SMR": {"ITA"}, "SGP": {"MYS"}, "LIE": {"CHE", "AUT"}, "AND": {"FRA", "ESP"}}
    expected["MCO"] = {"FRA", "ITA"}
    for iso3, point in at.items():
        inside = {s for s, rings in shapes.items() if contains(rings, point)}
        if iso3 in expected:
            assert len(inside) == 1 and inside <= expected[iso3], (iso3, inside)
        else:
            assert not inside, (iso3, inside)  # an island state: in the sea
    assert dist(at["MLT"], shapes["ITA"]) < 5 and dist(at["BHR"], shapes["QAT"]) < 3  # Sicily's and Qatar's coast
    assert max(x for ring in shapes["FJI"] for x, _ in ring) < at["TUV"][0] - MARKER_RADIUS  # why VIEWBOX is wider


def paths_of(d: str) -> list[list[tuple[float, float]]]:
    """The rings of a path, each as absolute points."""
    rings: list[list[tuple[float, float]]] = []
    for part in re.findall(r"[Mm][^Mm]*", d):
        # a subpath's m is relative to the start of the one before: rebuild it in absolute terms
        start = rings[-1][0] if rings and part[0] == "m" else (0.0, 0.0)
        pts = path_points("M" + part[1:])
        rings.append([(x + start[0], y + start[1]) for x, y in pts])
    return rings


def contains(rings: list[list[tuple[float, float]]], point: tuple[float, float]) -> bool:
    x, y = point
    inside = False
    for ring in rings:
        for (xa, ya), (xb, yb) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (ya > y) != (yb > y) and x < xa + (y - ya) * (xb - xa) / (yb - ya):
                inside = not inside
    return inside


def dist(point: tuple[float, float], rings: list[list[tuple[float, float]]]) -> float:
    return min(math.dist(point, p) for ring in rings for p in ring)


def test_world_defs_names_and_links_every_country() -> None:
    names = dict(NAMES, KEN='Kenya <b>"&"</b>', MLT="Malte")
    links = {"KEN": "../../countries/ken/", "MLT": "../../countries/mlt/", "BRA": 'x"><script>'}
    markup = defs(links.get, names)
    assert "<script>" not in markup and "<b>" not in markup
    elements = shape_elements(parse(markup))
    for iso3, el in elements.items():
        assert title_of(el) == names[iso3], iso3
        if iso3 in links:
            assert el.tag == "a" and el.attrib == {"id": f"w-{iso3}", "href": links[iso3], "tabindex": "-1"}, iso3
            assert [c.tag for c in el] == [geometry(el).tag, "title"]
        else:
            assert el.tag in ("path", "circle") and [c.tag for c in el] == ["title"], iso3
    assert [a.get("id") for a in parse(markup).iter("a")] == ["w-BRA", "w-KEN", "w-MLT"]
    assert geometry(elements["MLT"]).tag == "circle" and geometry(elements["KEN"]).tag == "path"
    assert str(markup).count("<title>") == len(MAP)
    # a map's <use> clones the element that carries the link and the title
    html = choropleth(
        {"KEN": 10.0, "MLT": 50.0, "FRA": 90.0, "BRA": 90.0}, unit="percent", id_prefix="m", title="t", desc="d"
    )
    on_top = [u.attrib["href"] for g in svgs(parse(html))[0].findall("g") for u in g.findall("use")]
    assert on_top == ["#w-KEN", "#w-BRA", "#w-FRA", "#w-MLT"]  # the shapes by class, then the markers
    assert [elements[i[3:]].tag for i in on_top] == ["a", "a", "path", "a"]


def test_world_defs_needs_a_name_for_every_country_on_the_map() -> None:
    names = {k: v for k, v in NAMES.items() if k not in ("TUV", "KEN")}
    with pytest.raises(ValueError, match="no name for the countries on the map: KEN, TUV"):
        defs(names=names)


DISCLAIMERS = {
    "ar": "إن الحدود والأسماء الواردة في هذه الخريطة والتسميات المستخدمة فيها لا تعني إقرارا أو قبولا رسميا لها من طرف الأمم المتحدة.",
    "zh": "本地图所示边界和名称以及采用的说明性注记并不意味着它们已得到联合国的正式认可或接受",
    "en": "The boundaries and names shown and the designations used on this map do not imply official endorsement or acceptance by the United Nations.",
    "fr": "Les frontières et les noms indiqués et les désignations employées sur cette carte n'impliquent pas reconnaissance ou acceptation officielle par l'Organisation des Nations Unies.",
    "ru": "Показанные границы и географические названия и используемые обозначения не подразумевают официального согласования или признания Организацией Объединенных Наций.",
    "es": "Los Límites y los nombres y las designaciones que figuran en este mapa no implican su apoyo o aceptación oficial por las Naciones Unidas.",
}


@pytest.mark.parametrize(
    ("code", "text", "lang"), [*((c, t, None) for c, t in DISCLAIMERS.items()), ("pt", DISCLAIMERS["en"], "en")]
)
def test_the_un_map_disclaimer_follows_every_map_legend_in_the_page_language(
    code: str, text: str, lang: Optional[str]
) -> None:
    with i18n.use(code):
        maps = [
            choropleth({"KEN": 10.0, "MLT": 50.0}, unit="percent", id_prefix="m", title="t", desc="d"),
            yes_no_map({"KEN": True}, id_prefix="y", title="t", desc="d"),
            count_map({"KEN": 3}, id_prefix="c", title="t", desc="d"),
        ]
        empty = yes_no_map({}, id_prefix="e", title="t", desc="d")
    for html in maps:
        (div,) = list(parse(html))
        assert div.get("class") == "cm-map"
        *_, ul, p = list(div)
        assert ul.get("class") == "cm-legend"
        assert p.tag == "p" and p.attrib == ({"class": "cm-disclaimer"} | ({"lang": lang} if lang else {}))
        assert p.text == text
    assert "cm-disclaimer" not in empty  # no map, no disclaimer


def test_map_bytes_stay_within_budget() -> None:
    """What a map costs a page, in bytes, uncompressed (measured in the commit that added names and links:
    the defs 18,749 -> 35,258 with English names and target-page links, a map of 203 countries 4,324)."""
    assert len(defs().encode()) <= 27_000  # geometry, markers and the names
    assert len(defs(target_links).encode()) <= 36_000  # and a link for every country
    with i18n.use("ru"):
        ru = {iso3: i18n.country_name(iso3, ref.iso2) or ref.name for iso3, ref in refdata.countries().items()}
        assert len(defs(target_links, ru).encode()) <= 38_000  # the longest names (Cyrillic, 2 bytes a letter)
        values = {iso3: 1000.0 * (i + 1) ** 2 for i, iso3 in enumerate(MAP)}
        one_map = choropleth(values, unit="tonnes", id_prefix="ew", title="E-waste", desc="Tonnes", goal_value=5e5)
    assert len(one_map.encode()) <= 5_000  # every country in its own of 5 classes, ru legend and disclaimer


# --- maps --------------------------------------------------------------------------------------


def test_choropleth_percent_classes_legend_and_wiring() -> None:
    values = {"KEN": 10.0, "BRA": 20.0, "IND": 45.5, "EST": 91.0, "EGY": 72.0, "MCO": 99.0, "ZZZ": 50.0}
    html = choropleth(values, unit="percent", id_prefix="m1", title="Internet users", desc="Latest year.")
    root = assert_wired(html, "m1", "Internet users")
    # Monaco has no shape: its marker is painted in its class, after every shape
    assert groups(root) == {
        "cm-c1": ["KEN"],
        "cm-c2": ["BRA"],
        "cm-c3": ["IND"],
        "cm-c4": ["EGY"],
        "cm-c5": ["EST", "MCO"],
    }
    assert legend(root) == [
        "under 20% (1)",
        "20% to under 40% (1)",
        "40% to under 60% (2)",
        "60% to under 80% (1)",
        "80% or more (2)",
        "No data",
    ]
    uses = [u.attrib["href"] for u in root.iter("use")]
    assert uses == ["#w-land", "#w-all", "#w-KEN", "#w-BRA", "#w-IND", "#w-EGY", "#w-EST", "#w-mk", "#w-MCO"]
    assert html.startswith('<div class="cm-map">')


def test_choropleth_every_country_in_exactly_one_class_and_size() -> None:
    extra = [c for c in COUNTRIES if c not in world_iso3()]
    codes = (MAP + extra)[:200]
    assert len(codes) == 200
    values = {iso3: 1000.0 * (i + 1) ** 2 for i, iso3 in enumerate(codes)}
    html = choropleth(values, unit="tonnes", id_prefix="ew", title="E-waste", desc="Tonnes", goal_value=5e5)
    assert len(html.encode()) <= 6_000
    root = assert_wired(html, "ew", "E-waste")
    layers = painted(root)
    assert {iso3 for iso3, layer in layers.items() if layer != "nd"} == set(codes) & world_iso3()
    labels = legend(root)
    assert len(labels) == 7 and labels[-2] == "No data" and labels[-1] == "Goal: 500,000"
    assert sum(int(re.search(r"\((\d+)\)$", s).group(1)) for s in labels[:5]) == 200  # type: ignore[union-attr]


def test_choropleth_paints_every_country_once_with_the_largest_class_as_base() -> None:
    values = {iso3: (95.0 if i % 6 else (i * 7.3) % 80) for i, iso3 in enumerate(MAP)}
    values["ZZZ"] = 10.0  # not on the map
    html = choropleth(values, unit="percent", id_prefix="b", title="t", desc="d")
    root = parse(html)
    expected = {iso3: f"cm-c{1 + min(4, int(v // 20))}" for iso3, v in values.items() if iso3 in world_iso3()}
    assert painted(root) == expected
    bases = svgs(root)[0].findall("use")
    assert [b.get("class") for b in bases] == ["cm-land", "cm-c5", "cm-c5"]
    assert html.count("<use ") == 3 + sum(1 for c in expected.values() if c != "cm-c5")
    assert len(html.encode()) < 2_000


def test_choropleth_breaks_are_nice_quantiles_and_goal_note() -> None:
    values = {iso3: float(i + 1) for i, iso3 in enumerate(SHAPES[:100])}
    root = parse(
        choropleth(values, unit="kg-per-capita", id_prefix="k", title="t", desc="d", goal_value=4, direction="decrease")
    )
    assert legend(root) == [
        "under 21 (20)",
        "21 to under 41 (20)",
        "41 to under 60 (19)",
        "60 to under 80 (20)",
        "80 or more (21)",
        "No data",
        "Goal: 4 or less",
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"KEN": 5.0}, ["5 (1)", "No data"]),
        ({"KEN": 3.0, "BRA": 3.0, "IND": 3.0}, ["3 (3)", "No data"]),
        ({"KEN": 2.0, "BRA": 2.0, "IND": 9.0}, ["under 3.4 (2)", "3.4 or more (1)", "No data"]),
        ({"KEN": 1.2e7, "BRA": 3.4e6, "IND": math.nan}, ["under 5,100,000 (1)", "5,100,000 or more (1)", "No data"]),
    ],
)
def test_choropleth_few_and_equal_values(values: dict[str, float], expected: list[str]) -> None:
    root = assert_wired(choropleth(values, unit="tonnes", id_prefix="x", title="t", desc="d"), "x", "t")
    assert legend(root) == expected
    assert "IND" not in groups(root).get("cm-c3", []) or values["IND"] == 3.0


def test_maps_without_data_return_a_labelled_no_data_svg() -> None:
    for html in (
        choropleth({}, unit="percent", id_prefix="e", title="Empty", desc="None"),
        choropleth({"KEN": math.nan}, unit="percent", id_prefix="e", title="Empty", desc="None"),
        yes_no_map({}, id_prefix="e", title="Empty", desc="None"),
        count_map({"KEN": 0}, id_prefix="e", title="Empty", desc="None"),
    ):
        root = assert_wired(html, "e", "Empty")
        assert "No data available" in "".join(root.itertext())
        assert len(html) < 400


def test_yes_no_map() -> None:
    html = yes_no_map({"KEN": True, "FRA": False, "TUV": True, "ZZZ": True}, id_prefix="yn", title="Plan", desc="d")
    root = assert_wired(html, "yn", "Plan")
    assert groups(root) == {"cm-yes": ["KEN", "TUV"], "cm-no": ["FRA"]}  # Tuvalu as a marker, ZZZ nowhere
    assert legend(root) == ["Yes (3)", "No (1)", "No data"]


def test_count_map_small_and_large_counts() -> None:
    root = parse(count_map({"KEN": 1, "BRA": 3, "IND": 1, "EST": 0}, id_prefix="c", title="t", desc="d"))
    assert legend(root) == ["1 (2)", "3 (1)", "No data"]
    assert groups(root) == {"cm-c2": ["IND", "KEN"], "cm-c4": ["BRA"]}
    many = {iso3: i % 12 for i, iso3 in enumerate(SHAPES)}
    root = parse(count_map(many, id_prefix="c", title="t", desc="d"))
    labels = legend(root)
    assert labels[0].startswith("1 to ") and labels[-2].endswith("to 11 (42)") and labels[-1] == "No data"
    drawn = [iso3 for members in groups(root).values() for iso3 in members]
    assert sorted(drawn) == sorted(k for k, v in many.items() if v > 0)
    gappy = {iso3: (1 if i % 3 else 40 + i % 57) for i, iso3 in enumerate(SHAPES)}
    labels = legend(parse(count_map(gappy, id_prefix="c", title="t", desc="d")))
    ones = sum(1 for value in gappy.values() if value == 1)
    assert labels[0] == f"1 ({ones})" and labels[1].startswith("40 to ")
    assert all(not label.endswith("(0)") for label in labels), labels


# --- charts ------------------------------------------------------------------------------------


def test_distribution_chart_structure_and_size() -> None:
    by_year = {y: [((y - 1999) * 3.1 + i * 7.7) % 100 for i in range(150)] for y in range(2000, 2025)}
    by_year[1999] = [1.0, 2.0]  # too few countries: skipped
    html = distribution_chart(
        by_year, unit="percent", id_prefix="d", title="Internet use", desc="Median and middle half", goal_value=96
    )
    assert len(html.encode()) <= 3_000
    root = assert_wired(html, "d", "Internet use")
    text = " ".join(root.itertext())
    for word in ("Median across countries", "25th to 75th percentile", "Goal: 96%", "Year", "Per cent", "2000", "100"):
        assert word in text
    assert "1999" not in text
    (med,) = [p for p in root.iter("path") if p.get("class") == "cm-med" and p.attrib["d"].count(" ") > 2]
    assert len(path_numbers(med.attrib["d"])) == 2 * 25


def path_numbers(d: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d*\.?\d+", d)]


@pytest.mark.parametrize(
    "by_year",
    [
        {2020: [1.0, 2.0, 3.0]},
        {2019: [5.0, 5.0, 5.0], 2020: [5.0, 5.0, 5.0]},
        {2010: [1.2e7, 3.0e6, 9.9e5, 4.0e4], 2015: [1.5e7, 2.0e6, 1.0e6]},
        {2010: [0.0, 0.0, 0.0]},
        {2010: [-5.0, 2.0, math.inf, 3.0]},
    ],
)
def test_distribution_chart_edge_cases(by_year: dict[int, list[float]]) -> None:
    html = distribution_chart(by_year, unit="tonnes", id_prefix="d", title="t", desc="d", goal_value=1.0)
    root = assert_wired(html, "d", "t")
    for el in root.iter():
        for name in ("d", "x", "y", "cx", "cy"):
            if name in el.attrib:
                assert all(math.isfinite(n) for n in path_numbers(el.attrib[name])), el.attrib
    assert "nan" not in html and "inf" not in html


def test_count_axis_has_whole_ticks() -> None:
    root = parse(distribution_chart({2020: [1.0, 3.0, 9.0]}, unit="count", id_prefix="c", title="t", desc="d"))
    ticks = [t.text for g in root.iter("g") if g.get("text-anchor") == "end" for t in g.iter("text")]
    assert ticks == ["0", "2", "4", "6"]  # up to the 75th percentile, 6


def test_distribution_chart_without_enough_countries() -> None:
    html = distribution_chart({2020: [1.0, 2.0], 2021: []}, unit="percent", id_prefix="d", title="t", desc="d")
    assert "No data available" in html
    assert_wired(distribution_chart({}, unit="percent", id_prefix="d", title="t", desc="d"), "d", "t")


def test_trend_chart_styles_legend_and_lengths() -> None:
    series = {
        "Kenya": [(y, 2.0 + (y - 2000) * 2.5) for y in range(2000, 2024)],
        "Eastern Africa median": [(2010, 10.0), (2015, 20.0), (2020, 30.0)],
        "World median": [(2023, 67.0)],
    }
    html = trend_chart(series, unit="percent", id_prefix="tr", title="Kenya", desc="Kenya and medians", goal_value=70)
    assert len(html.encode()) <= 4_000
    root = assert_wired(html, "tr", "Kenya")
    text = " ".join(root.itertext())
    for word in ("Kenya", "Eastern Africa median", "World median", "Goal: 70%", "Year"):
        assert word in text
    line_groups = {g.attrib["class"]: g for g in root.iter("g") if g.get("class", "").startswith("cm-s")}
    assert set(line_groups) == {"cm-s0", "cm-s1", "cm-s2"}
    # the country: 24 points, more than MAX_MARKED, so the line alone; the single-point median still a marker
    country = [g for g in root.iter("g") if g.get("class") == "cm-s0"]
    assert len(country) == 2 and sum(len(list(g.iter("circle"))) for g in country) == 1  # the key's dot alone
    short = trend_chart(
        {"Kenya": [(y, 2.0 + y - 2000) for y in range(2000, 2000 + MAX_MARKED)]},
        unit="percent",
        id_prefix="sh",
        title="Kenya",
        desc="d",
    )
    assert len(list(parse(short).iter("circle"))) == 1 + MAX_MARKED  # a shorter line: every point marked
    world = [g for g in root.iter("g") if g.get("class") == "cm-s2" and g.find("circle") is not None]
    assert world


def test_trend_chart_single_point_and_empty() -> None:
    html = trend_chart({"Kenya": [(2020, 5.0)]}, unit="per-100", id_prefix="one", title="t", desc="d")
    root = assert_wired(html, "one", "t")
    assert "2020" in " ".join(root.itertext())
    empty = trend_chart({"Kenya": [], "World": [(2020, math.nan)]}, unit="percent", id_prefix="e", title="t", desc="d")
    assert "No data available" in empty


# --- escaping, ids, determinism ----------------------------------------------------------------


def test_text_is_escaped() -> None:
    evil = '<script>alert("x")</script>'
    outputs = [
        choropleth({"KEN": 1.0}, unit="percent", id_prefix="a", title=evil, desc=evil),
        yes_no_map({"KEN": True}, id_prefix="b", title=evil, desc=evil),
        count_map({"KEN": 1}, id_prefix="c", title=evil, desc=evil),
        distribution_chart({2020: [1.0, 2.0, 3.0]}, unit="percent", id_prefix="d", title=evil, desc=evil),
        trend_chart({evil: [(2020, 1.0)]}, unit="percent", id_prefix="e", title=evil, desc=evil, y_label=evil),
        distribution_chart({}, unit="percent", id_prefix="f", title=evil, desc=evil),
        defs(lambda iso3: evil, dict.fromkeys(NAMES, evil)),
    ]
    for html in outputs:
        assert "<script" not in html and "&lt;script&gt;" in html
        parse(html)


def test_bad_id_prefix_is_refused() -> None:
    for bad in ("", "1abc", "a b", 'a"b', "a<b"):
        with pytest.raises(ValueError):
            choropleth({"KEN": 1.0}, unit="percent", id_prefix=bad, title="t", desc="d")


def test_ids_on_a_whole_page_are_unique() -> None:
    page = Markup("").join(
        [
            defs(target_links),
            choropleth(PCT, unit="percent", id_prefix="i1-map", title="t", desc="d"),
            choropleth(PCT, unit="percent", id_prefix="i2-map", title="t", desc="d"),
            distribution_chart({2020: [1.0, 2.0, 3.0]}, unit="percent", id_prefix="i1-dist", title="t", desc="d"),
            trend_chart({"KEN": [(2020, 1.0)]}, unit="percent", id_prefix="i1-trend", title="t", desc="d"),
        ]
    )
    all_ids = ids(parse(page))
    assert len(all_ids) == len(set(all_ids))
    # every reference resolves within the page
    refs = set(re.findall(r'href="#([^"]+)"', page)) | set(re.findall(r"url\(#([^)]+)\)", page))
    assert refs <= set(all_ids)


SAMPLE = """
import hashlib
from connect_site.site.charts import distribution_chart, trend_chart
from connect_site.site.maps import choropleth, count_map, yes_no_map
from connect_site.content import refdata
from connect_site.site.geo import world_defs, world_iso3

NAMES = {iso3: ref.name for iso3, ref in refdata.countries().items()}

def sample_outputs(values):
    by_year = {2000 + i: [v * (1 + i) for v in values.values()] for i in range(5)}
    series = {"Kenya": [(2000 + i, v) for i, (_, v) in enumerate(sorted(values.items()))][:20], "World": [(2010, 5.0)]}
    return [
        choropleth(values, unit="tonnes", id_prefix="a", title="t", desc="d", goal_value=3.0),
        count_map({k: int(v) % 7 for k, v in values.items()}, id_prefix="b", title="t", desc="d"),
        yes_no_map({k: v > 50 for k, v in values.items()}, id_prefix="c", title="t", desc="d"),
        distribution_chart(by_year, unit="tonnes", id_prefix="d", title="t", desc="d"),
        trend_chart(series, unit="tonnes", id_prefix="e", title="t", desc="d"),
        world_defs(names=NAMES, href=lambda iso3: f"c/{iso3}/" if iso3 < "M" else None),
    ]

VALUES = {iso3: (i * 37.1) % 1000 for i, iso3 in enumerate(sorted(world_iso3()))}
"""


def sample_digest(reverse: bool = False) -> str:
    """Run SAMPLE here, as the subprocesses do, optionally with the input dict in reverse order."""
    ns: dict[str, Any] = {}
    exec(SAMPLE, ns)
    values = dict(sorted(ns["VALUES"].items(), reverse=reverse))
    return hashlib.sha256("".join(ns["sample_outputs"](values)).encode()).hexdigest()


def test_output_is_deterministic() -> None:
    assert sample_digest() == sample_digest() == sample_digest(reverse=True)


def test_output_does_not_depend_on_the_hash_seed() -> None:
    code = SAMPLE + "print(hashlib.sha256(''.join(sample_outputs(VALUES)).encode()).hexdigest())"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": seed}
        )
        for seed in ("1", "2")
    ]
    digests = [run.communicate()[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert digests == [sample_digest() + "\n"] * 2


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (29.34, "percent", "29.3"),
        (100.0, "percent", "100"),
        (0.0, "percent", "0"),
        (5.678, "per-100", "5.68"),
        (0.4567, "kg-per-capita", "0.457"),
        (0.001234, "kg-per-capita", "0.00123"),
        (12.0, "score", "12"),
        (999.4, "index", "999"),
        (999.6, "tonnes", "1,000"),
        (1204567.0, "tonnes", "1,204,567"),
        (12345678.9, "tonnes", "12,345,679"),
        (3.0, "count", "3"),
        (1234.0, "count", "1,234"),
        (-0.0001, "percent", "-0.0001"),
        (-0.00000001, "percent", "0"),
        (-2.5, "index", "-2.5"),
        (1.0, "yes-no", "Yes"),
        (0.0, "yes-no", "No"),
        (math.nan, "percent", "n/a"),
        (math.inf, "tonnes", "n/a"),
    ],
)
def test_format_value(value: float, unit: str, expected: str) -> None:
    assert format_value(value, unit) == expected


def test_median_and_percentiles() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 2.0, 3.0]) == 2.5
    assert median([7.0]) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 25) == 2.0
    assert percentile([10.0, 20.0], 75) == 17.5
    assert percentile([1.0, 2.0], 0) == 1.0 and percentile([1.0, 2.0], 100) == 2.0
    with pytest.raises(ValueError):
        median([])


# --- in a browser: the map's links, names and keyboard (real headless Chromium) ----------------

MAP_PAGE = """<!doctype html>
<html lang="{lang}" dir="{dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="style.css"><link rel="stylesheet" href="charts.css"></head>
<body><main id="main" class="wrap"><h1>{title}</h1><p><a id="before" href="#main">{title}</a></p>
{defs}<figure class="map">{map}</figure><p><a id="after" href="#main">{title}</a></p></main></body></html>
"""

# From the node under the pointer, in the <use> clones (what Chromium hit-tests, shows the tooltip
# of and follows the link of): the nearest <title> child of it or an ancestor, and the nearest link.
_WALK = """function () {
  let e = this, title = null, href = null, inUse = false;
  while (e) {
    if (e.nodeType === 1) {
      const t = [...e.children].find(c => c.tagName === 'title');
      if (title === null && t) title = t.textContent;
      if (href === null && e.tagName === 'a' && e.hasAttribute('href')) href = e.getAttribute('href');
      if (e.tagName === 'use') inUse = true;
    }
    e = e.parentNode || e.host || null;
  }
  return {title, href, inUse};
}"""
_TO_SCREEN = """([x, y]) => {
  const q = new DOMPoint(x, y).matrixTransform(document.querySelector('svg.cm-world').getScreenCTM());
  return [q.x, q.y, scrollX, scrollY];
}"""
_MARKER_WIDTH = "() => document.querySelector('svg.cm-world use[href=\"#w-TUV\"]').getBoundingClientRect().width"


def map_site(folder: Path) -> dict[str, dict[str, str]]:
    """English and Arabic pages with the page's defs and one map; the country pages the test clicks.

    Every country links to `countries/<iso3>/` but Greenland (no page). Returns lang -> iso3 -> name."""
    for css in ("style.css", "charts.css"):
        (folder / css).write_bytes((ROOT / "assets" / css).read_bytes())
    values = {iso3: 95.0 for iso3 in SHAPES} | {"KEN": 10.0, "TUV": 30.0, "MLT": 95.0}
    del values["GRL"]

    def link(iso3: str) -> Optional[str]:
        return None if iso3 == "GRL" else f"countries/{iso3.lower()}/"

    names: dict[str, dict[str, str]] = {}
    for lang in ("en", "ar"):
        refs = refdata.countries().items()
        names[lang] = {i: (i18n.country_name(i, r.iso2, lang) if lang != "en" else None) or r.name for i, r in refs}
        with i18n.use(lang):
            title = "Internet" if lang == "en" else "الإنترنت"
            the_map = choropleth(values, unit="percent", id_prefix="m1", title=title, desc=title)
        page = MAP_PAGE.format(
            lang=lang,
            dir=i18n.language(lang).dir,
            title=title,
            defs=world_defs(names=names[lang], href=link),
            map=the_map,
        )
        (folder / f"map-{lang}.html").write_text(page, encoding="utf-8")
    for iso3 in ("KEN", "FRA", "MLT", "TUV"):
        country = folder / "countries" / iso3.lower()
        country.mkdir(parents=True)
        (country / "index.html").write_text(f'<!doctype html><html lang="en"><title>{iso3}</title><h1>{iso3}</h1>')
    return names


def under_pointer(page: Any, cdp: Any, point: tuple[float, float]) -> tuple[float, float, dict[str, Any]]:
    """Where a viewBox point is on the screen, and what Chromium finds there (see _WALK)."""
    x, y, sx, sy = page.evaluate(_TO_SCREEN, list(point))
    cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})
    at = {"x": round(x + sx), "y": round(y + sy), "includeUserAgentShadowDOM": True}
    node = cdp.send("DOM.resolveNode", {"backendNodeId": cdp.send("DOM.getNodeForLocation", at)["backendNodeId"]})
    call = {"objectId": node["object"]["objectId"], "functionDeclaration": _WALK, "returnByValue": True}
    return x, y, cdp.send("Runtime.callFunctionOn", call)["result"]["value"]


def test_in_chromium_each_country_is_named_and_clicks_to_its_page_and_the_links_are_no_tab_stops(
    tmp_path: Path,
) -> None:
    names = map_site(tmp_path)
    # KEN: a shape drawn on top; FRA: a shape of the base layer; MLT: a marker of the base layer;
    # TUV: a marker drawn on top; GRL: no page, so no link
    places = {"KEN": project(37.9, 0.0), "FRA": project(2.5, 46.5), "GRL": project(-40.0, 72.0)}
    places |= {iso3: (x, y) for iso3, x, y in marker_points() if iso3 in ("MLT", "TUV")}
    with gates.serve(tmp_path) as base, gates.browser() as browser:
        pages = [base + "map-en.html", base + "map-ar.html"]
        violations = gates.axe_violations(browser, pages)
        assert all(not v for v in violations.values()), gates.format_violations(violations)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        cdp = page.context.new_cdp_session(page)
        for lang, url in zip(("en", "ar"), pages, strict=True):
            page.goto(url)
            page.focus("#before")
            page.keyboard.press("Tab")  # over the map's ~200 links: none is a tab stop
            assert page.evaluate("document.activeElement.id") == "after", lang
            assert page.evaluate(_MARKER_WIDTH) >= 5  # Tuvalu's marker, 3 units at ~970 px: about 6 px
            for iso3, point in places.items():
                x, y, found = under_pointer(page, cdp, point)
                link = None if iso3 == "GRL" else f"countries/{iso3.lower()}/"
                assert found == {"title": names[lang][iso3], "href": link, "inUse": True}, (lang, iso3)
                if link is None:
                    page.mouse.click(x, y)
                    page.wait_for_timeout(300)
                    assert page.url == url, (lang, iso3)
                    continue
                with page.expect_navigation(url=base + link):
                    page.mouse.click(x, y)
                page.goto(url)
        page.set_viewport_size({"width": 320, "height": 700})
        page.goto(pages[0])
        assert page.evaluate(_MARKER_WIDTH) >= 3.5  # on a phone the marker grows (charts.css): about 4 px, not 2
