"""Inline SVG maps and charts: structure, accessibility wiring, determinism and size budgets."""

from __future__ import annotations

import csv
import hashlib
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import resources
from typing import Any

import pytest
from markupsafe import Markup

from connect_site.site.charts import (
    choropleth,
    count_map,
    distribution_chart,
    format_value,
    median,
    percentile,
    trend_chart,
    yes_no_map,
)
from connect_site.site.geo import VIEWBOX, world_defs, world_iso3


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


def painted(root: ET.Element) -> dict[str, str]:
    """iso3 -> the layer that paints it ("cm-c3", "cm-yes", ... or "nd") for every country on a map."""

    def layer(el: ET.Element) -> str:
        return el.get("class") or ("nd" if el.get("fill") == "url(#w-nd)" else "?")

    (svg,) = svgs(root)
    (base,) = svg.findall("use")
    assert base.attrib["href"] == "#w-all"
    out = dict.fromkeys(MAP, layer(base))
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


MAP = sorted(world_iso3())
COUNTRIES = [row["iso3"] for row in csv.DictReader(open(resources.files("connect_site") / "data/countries.csv"))]
PCT = {iso3: (i * 7.3) % 100 for i, iso3 in enumerate(MAP)}


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


def test_world_defs_is_a_small_hidden_svg_with_one_path_per_country() -> None:
    defs = world_defs()
    assert len(defs.encode()) <= 20_000
    root = parse(defs)
    (svg,) = list(root)
    assert svg.tag == "svg" and svg.get("aria-hidden") == "true" and svg.get("focusable") == "false"
    assert "role" not in svg.attrib
    paths = {p.attrib["id"]: p.attrib["d"] for p in svg.iter("path") if "id" in p.attrib}
    assert sorted(paths) == sorted(f"w-{iso3}" for iso3 in MAP)
    assert len(ids(root)) == len(set(ids(root)))
    assert {"w-all", "w-nd"} <= set(ids(root))
    assert "xlink" not in defs
    x0, y0, w, h = VIEWBOX
    for pid, d in paths.items():
        pts = path_points(d)
        assert len(pts) >= 3, pid
        assert all(x0 <= x <= x0 + w and y0 <= y <= y0 + h for x, y in pts), pid


def test_map_countries_are_real_codes_and_cover_the_big_ones() -> None:
    shapes = world_iso3()
    assert shapes <= set(COUNTRIES)
    assert "ATA" not in shapes and len(shapes) >= 170
    assert {"KEN", "BRA", "IND", "EST", "EGY", "KGZ", "SOM", "CYP", "XKX", "PSE", "USA", "RUS", "FJI"} <= shapes


def test_every_country_with_a_shape_is_referenced_with_its_id() -> None:
    defs = str(world_defs())
    for iso3 in COUNTRIES:
        html = yes_no_map({iso3: True}, id_prefix="one", title="t", desc="d")
        if iso3 in world_iso3():
            assert f'<path id="w-{iso3}" ' in defs
            assert groups(parse(html)) == {"cm-yes": [iso3]}
        else:
            assert f'"#w-{iso3}"' not in html and f'"w-{iso3}"' not in defs


# --- maps --------------------------------------------------------------------------------------


def test_choropleth_percent_classes_legend_and_wiring() -> None:
    values = {"KEN": 10.0, "BRA": 20.0, "IND": 45.5, "EST": 91.0, "EGY": 72.0, "MCO": 99.0, "ZZZ": 50.0}
    html = choropleth(values, unit="percent", id_prefix="m1", title="Internet users", desc="Latest year.")
    root = assert_wired(html, "m1", "Internet users")
    assert groups(root) == {"cm-c1": ["KEN"], "cm-c2": ["BRA"], "cm-c3": ["IND"], "cm-c4": ["EGY"], "cm-c5": ["EST"]}
    assert legend(root) == [
        "under 20% (1)",
        "20% to under 40% (1)",
        "40% to under 60% (2)",
        "60% to under 80% (1)",
        "80% or more (2)",
        "No data",
    ]
    uses = [u.attrib["href"] for u in root.iter("use")]
    assert uses == ["#w-all", "#w-KEN", "#w-BRA", "#w-IND", "#w-EGY", "#w-EST"]
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
    (base,) = svgs(root)[0].findall("use")
    assert base.get("class") == "cm-c5"
    assert html.count("<use ") == 1 + sum(1 for c in expected.values() if c != "cm-c5")
    assert len(html.encode()) < 2_000


def test_choropleth_breaks_are_nice_quantiles_and_goal_note() -> None:
    values = {iso3: float(i + 1) for i, iso3 in enumerate(MAP[:100])}
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
    html = yes_no_map({"KEN": True, "FRA": False, "TUV": True}, id_prefix="yn", title="Plan", desc="d")
    root = assert_wired(html, "yn", "Plan")
    assert groups(root) == {"cm-yes": ["KEN"], "cm-no": ["FRA"]}
    assert legend(root) == ["Yes (2)", "No (1)", "No data"]


def test_count_map_small_and_large_counts() -> None:
    root = parse(count_map({"KEN": 1, "BRA": 3, "IND": 1, "EST": 0}, id_prefix="c", title="t", desc="d"))
    assert legend(root) == ["1 (2)", "3 (1)", "No data"]
    assert groups(root) == {"cm-c2": ["IND", "KEN"], "cm-c4": ["BRA"]}
    many = {iso3: i % 12 for i, iso3 in enumerate(MAP)}
    root = parse(count_map(many, id_prefix="c", title="t", desc="d"))
    labels = legend(root)
    assert labels[0].startswith("1 to ") and labels[-2].endswith("to 11 (42)") and labels[-1] == "No data"
    drawn = [iso3 for members in groups(root).values() for iso3 in members]
    assert sorted(drawn) == sorted(k for k, v in many.items() if v > 0)
    gappy = {iso3: (1 if i % 3 else 40 + i % 57) for i, iso3 in enumerate(MAP)}
    labels = legend(parse(count_map(gappy, id_prefix="c", title="t", desc="d")))
    assert labels[0] == "1 (116)" and labels[1].startswith("40 to ")
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
    # the country: every point marked; the single-point median still visible as a marker
    country = [g for g in root.iter("g") if g.get("class") == "cm-s0" and len(list(g.iter("circle"))) > 1]
    assert len(list(country[0].iter("circle"))) == 24
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
            world_defs(),
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
from connect_site.site.charts import choropleth, count_map, distribution_chart, trend_chart, yes_no_map
from connect_site.site.geo import world_defs, world_iso3

def sample_outputs(values):
    by_year = {2000 + i: [v * (1 + i) for v in values.values()] for i in range(5)}
    series = {"Kenya": [(2000 + i, v) for i, (_, v) in enumerate(sorted(values.items()))][:20], "World": [(2010, 5.0)]}
    return [
        choropleth(values, unit="tonnes", id_prefix="a", title="t", desc="d", goal_value=3.0),
        count_map({k: int(v) % 7 for k, v in values.items()}, id_prefix="b", title="t", desc="d"),
        yes_no_map({k: v > 50 for k, v in values.items()}, id_prefix="c", title="t", desc="d"),
        distribution_chart(by_year, unit="tonnes", id_prefix="d", title="t", desc="d"),
        trend_chart(series, unit="tonnes", id_prefix="e", title="t", desc="d"),
        world_defs(),
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
