"""Build-time inline SVG maps and charts: pure functions, values in, markup out.

Every map and chart is an `<svg role="img" aria-labelledby="P-t P-d">` with `<title id="P-t">`
and `<desc id="P-d">`, where P is the caller's `id_prefix` (unique per page); those are the
only ids made here. Maps reuse the page's one `geo.world_defs()` block through `<use>` (which
also names each country and links it to its page) and come with a text legend
(`<ul class="cm-legend">`) and the UN map disclaimer in a `<div class="cm-map">`. Charts carry
their legend and labelled axes inside the SVG. Colours are classes styled by `assets/charts.css`.

Empty input: when there is nothing to draw (no finite value, no country, no year with
enough countries), every function returns a small "No data" SVG with the same title and
desc wiring, never an empty string, so a page's layout and accessible names do not change.

Output is deterministic: inputs are sorted, numbers are formatted without the locale.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Optional

from markupsafe import Markup, escape

from connect_site.site import geo, i18n
from connect_site.site.geo import VIEWBOX
from connect_site.site.i18n import N_, _

__all__ = [
    "choropleth",
    "count_map",
    "distribution_chart",
    "format_value",
    "median",
    "percentile",
    "trend_chart",
    "yes_no_map",
]

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_AXIS_LABEL = {
    "percent": N_("Per cent"),
    "per-100": N_("Per 100 people"),
    "count": N_("Number"),
    "score": N_("Score"),
    "index": N_("Index"),
    "kg-per-capita": N_("kg per person"),
    "tonnes": N_("Tonnes"),
    "yes-no": N_("Share"),
}
MAX_MARKED = 12  # a country's line marks each point up to this many (longer series: the line alone, lighter pages)
# colour classes used for 1 to 5 classes, spread over the 5-step ramp (cm-c1 light .. cm-c5 dark)
_RAMP = {1: (3,), 2: (2, 4), 3: (1, 3, 5), 4: (1, 2, 4, 5), 5: (1, 2, 3, 4, 5)}

# chart geometry, in viewBox units (rendered at about 1 unit = 1 CSS px at full width)
_W = 560
_PLOT_H = 200
_ROW = 20  # legend row height
_BOTTOM = 46  # x tick labels and the "Year" title
_RIGHT = 16
_CHAR = 8.0  # approximate width of a digit at the 14px chart font


# --- numbers ---------------------------------------------------------------------------------


def format_value(value: float, unit: str) -> str:
    """The number as text in the active language, without unit words: "29.3", "0.456", "1,204,567", "Yes".

    Three significant digits below 1,000 (trailing zeros trimmed), whole numbers with digit
    grouping from 1,000 up; counts are always whole. The separators are the language's
    (CLDR, through Babel): "29,3" and "1 204 567" in French.
    """
    if not math.isfinite(value):
        return _("n/a")
    if unit == "yes-no":
        return _("Yes") if value >= 0.5 else _("No")
    decimals = 0
    if unit != "count" and abs(value) < 999.5 and value != 0:
        decimals = min(6, max(0, 2 - math.floor(math.log10(abs(value)))))
        text = format(value, f".{decimals}f")
        decimals = len(text.rstrip("0").partition(".")[2]) if "." in text else 0
    return i18n.number(round(value, decimals) + 0.0, decimals)  # + 0.0: no "-0"


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100), linear between closest ranks (as numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * min(100.0, max(0.0, p)) / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    """The median; raises ValueError for no values."""
    return percentile(values, 50)


def _sig(x: float, digits: int = 2) -> float:
    if x == 0:
        return 0.0
    step = 10.0 ** (math.floor(math.log10(abs(x))) - digits + 1)
    return float(f"{round(x / step) * step:.12g}")


def _num(x: float) -> str:
    """A coordinate with at most one decimal."""
    text = f"{x:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _words(text: str) -> str:
    """Text for an SVG label, escaped. Charts are drawn left to right in every language; in a
    right-to-left language the words are isolated (FSI ... PDI), so that a label such as
    "القيمة المستهدفة: 70%" keeps its own order inside the left-to-right drawing."""
    if i18n.language(i18n.active()).dir == "rtl":
        return str(escape("\u2068" + text + "\u2069"))
    return str(escape(text))


def _pct(unit: str) -> str:
    return "%" if unit == "percent" else ""


# --- shared markup ---------------------------------------------------------------------------


def _check_id(id_prefix: str) -> None:
    if not _ID.match(id_prefix):
        raise ValueError(f"id_prefix must be a letter then letters, digits, '-' or '_': {id_prefix!r}")


def _open(id_prefix: str, css: str, viewbox: Iterable[float], title: str, desc: str) -> str:
    _check_id(id_prefix)
    box = " ".join(_num(v) for v in viewbox)
    return (
        f'<svg class="{css}" viewBox="{box}" role="img" aria-labelledby="{id_prefix}-t {id_prefix}-d">'
        f'<title id="{id_prefix}-t">{escape(title)}</title><desc id="{id_prefix}-d">{escape(desc)}</desc>'
    )


def _no_data(id_prefix: str, title: str, desc: str) -> Markup:
    no_data = _("No data available")
    return Markup(
        _open(id_prefix, "cm-chart cm-empty", (0, 0, _W, 40), title, desc)
        + f'<text x="{_W // 2}" y="25" text-anchor="middle">{_words(no_data)}</text></svg>'
    )


# --- maps ------------------------------------------------------------------------------------


def _map(
    groups: Sequence[tuple[str, str, Sequence[str]]], id_prefix: str, title: str, desc: str, note: str = ""
) -> Markup:
    """groups: (css class, legend label, iso3 codes with data); countries off the map are skipped.

    The layer (a class or "no data") with the most countries on the map is painted by one
    `<use href="#w-all">` (the shapes) and one `<use href="#w-mk">` (the markers, on top of every
    shape); every other country is drawn once more, on top, in its own layer. So each country on
    the map is painted by exactly one layer, at ~20 bytes per country outside the largest layer.
    The UN map disclaimer follows the legend, in the active language (else in English).
    """
    drawn = geo.world_iso3()
    layers: list[tuple[str, list[str]]] = []  # (attribute, iso3 codes on the map)
    legend = []
    with_data: set[str] = set()
    for css, label, members in groups:
        unique = set(members)
        with_data |= unique
        layers.append((f'class="{css}"', sorted(unique & drawn)))
        count = i18n.number(len(unique), 0)
        legend.append(f'<li><span class="cm-sw {css}"></span><bdi>{escape(label)}</bdi> ({count})</li>')
    layers.append((f'fill="url(#{geo.NO_DATA_ID})"', sorted(drawn - with_data)))
    no_data = _("No data")
    legend.append(f'<li><span class="cm-sw cm-nd"></span>{escape(no_data)}</li>')
    if note:
        legend.append(f'<li class="cm-note">{escape(note)}</li>')
    base = max(range(len(layers)), key=lambda k: (len(layers[k][1]), -k))
    out = [_open(id_prefix, "cm-world", VIEWBOX, title, desc)]
    for group, kind in ((geo.ALL_ID, geo.shape_iso3()), (geo.MARKERS_ID, geo.marker_iso3())):
        out.append(f'<use href="#{group}" {layers[base][0]}/>')
        for k, (attr, codes) in enumerate(layers):
            on_top = [i for i in codes if i in kind] if k != base else []
            if on_top:
                out.append(f"<g {attr}>" + "".join(f'<use href="#{geo.shape_id(i)}"/>' for i in on_top) + "</g>")
    out.append("</svg>")
    text, lang = geo.map_disclaimer(i18n.active())
    note_lang = f' lang="{lang}"' if lang else ""
    legend_html = '<ul class="cm-legend">' + "".join(legend) + "</ul>"
    disclaimer = f'<p class="cm-disclaimer"{note_lang}>{escape(text)}</p>'
    return Markup('<div class="cm-map">' + "".join(out) + legend_html + disclaimer + "</div>")


def _finite(values: Mapping[str, float]) -> dict[str, float]:
    return {k: float(v) for k, v in values.items() if math.isfinite(v)}


def _breaks(ordered: Sequence[float], unit: str) -> list[float]:
    """Class breaks: 20-40-60-80 for percentages, else rounded quintiles inside the data."""
    low, high = ordered[0], ordered[-1]
    if unit == "percent" and low >= 0 and high <= 100:
        return [20.0, 40.0, 60.0, 80.0]
    breaks: list[float] = []
    for b in sorted({_sig(percentile(ordered, q)) for q in (20, 40, 60, 80)}):
        # keep a break only if it leaves a value in the class below it: no empty classes
        start = breaks[-1] if breaks else -math.inf
        if low < b <= high and any(start <= v < b for v in ordered):
            breaks.append(b)
    return breaks


def choropleth(
    values: Mapping[str, float],
    *,
    unit: str,
    id_prefix: str,
    title: str,
    desc: str,
    goal_value: Optional[float] = None,
    direction: Optional[str] = None,
) -> Markup:
    """A world map of iso3 -> latest value in up to 5 sequential classes, plus a text legend.

    Legend labels read "under 20%", "20% to under 40%", ..., "80% or more" with the number of
    countries in each class (countries too small for the map are counted). `goal_value` and
    `direction` ("increase" or "decrease") add a legend line such as "Goal: 96% or more".
    """
    data = _finite(values)
    if not data:
        return _no_data(id_prefix, title, desc)
    ordered = sorted(data.values())
    breaks = _breaks(ordered, unit)
    sfx = _pct(unit)

    def fv(x: float) -> str:
        return format_value(x, unit) + sfx

    members: list[list[str]] = [[] for _ in range(len(breaks) + 1)]
    for iso3, v in data.items():
        members[bisect.bisect_right(breaks, v)].append(iso3)
    if not breaks:
        one = ordered[0] == ordered[-1]
        labels = [fv(ordered[0]) if one else _("{low} to {high}").format(low=fv(ordered[0]), high=fv(ordered[-1]))]
    else:
        labels = [_("under {value}").format(value=fv(breaks[0]))]
        labels += [
            _("{low} to under {high}").format(low=fv(a), high=fv(b)) for a, b in zip(breaks, breaks[1:], strict=False)
        ]
        labels.append(_("{value} or more").format(value=fv(breaks[-1])))
    classes = _RAMP[len(labels)]
    note = ""
    if goal_value is not None and math.isfinite(goal_value):
        goals = {"increase": N_("Goal: {value} or more"), "decrease": N_("Goal: {value} or less")}
        note = _(goals.get(direction or "", N_("Goal: {value}"))).format(value=fv(goal_value))
    groups = [(f"cm-c{c}", label, m) for c, label, m in zip(classes, labels, members, strict=True)]
    return _map(groups, id_prefix, title, desc, note)


def yes_no_map(values: Mapping[str, bool], *, id_prefix: str, title: str, desc: str) -> Markup:
    """A world map in two classes, "Yes" and "No", plus "No data"."""
    if not values:
        return _no_data(id_prefix, title, desc)
    yes = [k for k, v in values.items() if v]
    no = [k for k, v in values.items() if not v]
    return _map([("cm-yes", _("Yes"), yes), ("cm-no", _("No"), no)], id_prefix, title, desc)


def category_map(
    values: Mapping[str, str], categories: Sequence[tuple[str, str]], *, id_prefix: str, title: str, desc: str
) -> Markup:
    """A world map of iso3 -> category code, one class per category in the given order (best first,
    darkest), each labelled "A: Extensive GovTech maturity", plus "No data"."""
    if not values:
        return _no_data(id_prefix, title, desc)
    classes = _RAMP[min(5, len(categories))][::-1]
    groups = [
        (f"cm-c{classes[min(k, len(classes) - 1)]}", f"{code}: {label}", [i for i, v in values.items() if v == code])
        for k, (code, label) in enumerate(categories)
    ]
    return _map(groups, id_prefix, title, desc)


def count_map(counts: Mapping[str, int], *, id_prefix: str, title: str, desc: str) -> Markup:
    """A world map of how many items each country reports; 0 or absent counts as no data.

    Up to 5 distinct counts get a class each ("1", "2", ...); more are grouped by quintiles
    (with 1 class for the smallest count alone) and labelled by the smallest and largest count
    that occurs in each, e.g. "3 to 5", so no class is empty.
    """
    data = {k: int(v) for k, v in counts.items() if v > 0}
    if not data:
        return _no_data(id_prefix, title, desc)
    distinct = sorted(set(data.values()))
    if len(distinct) <= 5:
        ranges = [(v, v) for v in distinct]
    else:
        ordered = sorted(data.values())
        # each class starts at a count that occurs, so no class is empty
        cuts = [max(distinct[0] + 1, math.ceil(percentile(ordered, q))) for q in (20, 40, 60, 80)]
        starts = sorted({distinct[0]} | {min(v for v in distinct if v >= c) for c in cuts if c <= distinct[-1]})
        ranges = [(s, e - 1) for s, e in zip(starts, starts[1:], strict=False)] + [(starts[-1], distinct[-1])]
    groups = []
    classes = _RAMP[len(ranges)]
    for k, (start, end) in enumerate(ranges):
        members = [iso3 for iso3, v in data.items() if start <= v <= end]
        low, high = min(data[m] for m in members), max(data[m] for m in members)  # labels name counts that occur
        one, other = format_value(low, "count"), format_value(high, "count")
        label = one if low == high else _("{low} to {high}").format(low=one, high=other)
        groups.append((f"cm-c{classes[k]}", label, members))
    return _map(groups, id_prefix, title, desc)


# --- charts ----------------------------------------------------------------------------------


def _nice_step(span: float, target: int, whole: bool) -> float:
    raw = max(span / target, 1.0) if whole else span / target
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= m * power and not (whole and m * power % 1):
            return m * power
    return 10.0 * power  # pragma: no cover - the loop always returns


class _Frame:
    """Scales and axes for a chart of years (x) against values (y)."""

    def __init__(self, years: Sequence[int], values: Sequence[float], unit: str, top: float) -> None:
        lo_y, hi_y = min(years), max(years)
        self.data_years = (lo_y, hi_y)
        if lo_y == hi_y:
            lo_y, hi_y = lo_y - 1, hi_y + 1
        self.years = (lo_y, hi_y)
        lo = min(0.0, min(values))
        hi = max(values)
        if unit == "percent" and lo >= 0 and hi <= 100:
            hi = 100.0
        if hi <= lo:
            hi = lo + 1
        step = _nice_step(hi - lo, 4, whole=unit == "count")
        lo = math.floor(lo / step) * step
        hi = math.ceil(hi / step - 1e-9) * step
        count = round((hi - lo) / step)
        self.ticks = [float(f"{lo + i * step:.10g}") for i in range(count + 1)]
        self.vals = (lo, hi)
        self.unit = unit
        self.labels = [format_value(t, "index" if unit == "yes-no" else unit) for t in self.ticks]
        self.left = 14 + _CHAR * max(len(s) for s in self.labels)
        self.top = top
        self.right = _W - _RIGHT

    def x(self, year: float) -> float:
        a, b = self.years
        return self.left + 10 + (year - a) / (b - a) * (self.right - self.left - 20)

    def y(self, value: float) -> float:
        a, b = self.vals
        return self.top + _PLOT_H - (value - a) / (b - a) * _PLOT_H

    def height(self) -> float:
        return self.top + _PLOT_H + _BOTTOM

    def axes(self, y_label: str) -> str:
        year = _("Year")
        bottom = self.top + _PLOT_H
        grid = "".join(f"M{_num(self.left)} {_num(self.y(t))}H{_num(self.right)}" for t in self.ticks)
        ylab = "".join(
            f'<text x="{_num(self.left - 6)}" y="{_num(self.y(t) + 5)}">{s}</text>'
            for t, s in zip(self.ticks, self.labels, strict=True)
        )
        a, b = self.data_years
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if (b - a) // s <= 6)
        xs = [yr for yr in range(a, b + 1) if yr % step == 0]
        xlab = "".join(f'<text x="{_num(self.x(yr))}" y="{_num(bottom + 20)}">{yr}</text>' for yr in xs)
        ticks = "".join(f"M{_num(self.x(yr))} {_num(bottom)}v5" for yr in xs)
        return (
            f'<path class="cm-grid" d="{grid}"/>'
            f'<path class="cm-axis" d="M{_num(self.left)} {_num(bottom)}H{_num(self.right)}{ticks}"/>'
            f'<g text-anchor="end">{ylab}</g><g text-anchor="middle">{xlab}'
            f'<text x="{_num((self.left + self.right) / 2)}" y="{_num(bottom + 40)}">{_words(year)}</text></g>'
            f'<text x="{_num(self.left)}" y="{_num(self.top - 10)}">{_words(y_label)}</text>'
        )

    def goal(self, goal_value: Optional[float]) -> str:
        if goal_value is None or not math.isfinite(goal_value):
            return ""
        y = self.y(goal_value)
        label = _("Goal: {value}").format(value=format_value(goal_value, self.unit) + _pct(self.unit))
        return (
            f'<path class="cm-goal" d="M{_num(self.left)} {_num(y)}H{_num(self.right)}"/>'
            f'<text x="{_num(self.right)}" y="{_num(y - 5)}" text-anchor="end">{_words(label)}</text>'
        )

    def line(self, points: Sequence[tuple[float, float]]) -> str:
        return "M" + " ".join(f"{_num(self.x(a))} {_num(self.y(b))}" for a, b in points)


def _legend(entries: Sequence[tuple[str, str]]) -> str:
    """Rows of (sample markup at x 0-24, label) from the top of the chart."""
    rows = []
    for k, (sample, label) in enumerate(entries):
        y = 14 + k * _ROW
        rows.append(f'<g transform="translate(8 {y})">{sample}<text x="32" y="5">{_words(label)}</text></g>')
    return '<g class="cm-key">' + "".join(rows) + "</g>"


def _finite_goal(values: Iterable[float], goal_value: Optional[float]) -> list[float]:
    out = [v for v in values if math.isfinite(v)]
    if out and goal_value is not None and math.isfinite(goal_value):
        out.append(goal_value)
    return out


def distribution_chart(
    by_year: Mapping[int, Sequence[float]],
    *,
    unit: str,
    id_prefix: str,
    title: str,
    desc: str,
    goal_value: Optional[float] = None,
    y_label: Optional[str] = None,
    min_countries: int = 3,
) -> Markup:
    """Median across countries per year, with the interquartile band (25th-75th percentile).

    Years with fewer than `min_countries` finite values are skipped. A dashed goal line is
    drawn when `goal_value` is given. `y_label` defaults to a label for `unit`.
    """
    stats: list[tuple[int, float, float, float]] = []
    for year in sorted(by_year):
        vals = [float(v) for v in by_year[year] if math.isfinite(v)]
        if len(vals) >= min_countries:
            stats.append((year, percentile(vals, 25), median(vals), percentile(vals, 75)))
    if not stats:
        return _no_data(id_prefix, title, desc)
    key = [
        ('<path class="cm-med" d="M0 0h24"/>', _("Median across countries")),
        (
            '<rect class="cm-band" x="0" y="-6" width="24" height="12"/>',
            _("Middle half of countries (25th to 75th percentile)"),
        ),
    ]
    if goal_value is not None and math.isfinite(goal_value):
        key.append(('<path class="cm-goal" d="M0 0h24"/>', _("Goal")))
    frame = _Frame(
        [s[0] for s in stats],
        _finite_goal((v for s in stats for v in s[1:]), goal_value),
        unit,
        top=len(key) * _ROW + 30,
    )
    band = [(s[0], s[1]) for s in stats] + [(s[0], s[3]) for s in reversed(stats)]
    body = [
        frame.axes(y_label or _(_AXIS_LABEL.get(unit, unit))),
        f'<path class="cm-band" d="{frame.line(band)}Z"/>',
        f'<path class="cm-med" d="{frame.line([(s[0], s[2]) for s in stats])}"/>',
    ]
    if len(stats) == 1:
        body.append(
            f'<circle class="cm-dot" cx="{_num(frame.x(stats[0][0]))}" cy="{_num(frame.y(stats[0][2]))}" r="4"/>'
        )
    body.append(frame.goal(goal_value))
    body.append(_legend(key))
    box = (0, 0, _W, frame.height())
    return Markup(_open(id_prefix, "cm-chart", box, title, desc) + "".join(body) + "</svg>")


def trend_chart(
    series: Mapping[str, Sequence[tuple[int, float]]],
    *,
    unit: str,
    id_prefix: str,
    title: str,
    desc: str,
    goal_value: Optional[float] = None,
    y_label: Optional[str] = None,
) -> Markup:
    """Lines over time: the first series (the country) solid with point markers, the others
    dashed, dotted or dash-dotted (`cm-s1`..`cm-s3`, repeating), with a text legend on top.

    Series keep the mapping's order (the first is emphasised); points are sorted by year and
    non-finite values dropped; an empty series is left out of the chart and legend.
    """
    cleaned: list[tuple[int, str, list[tuple[int, float]]]] = []
    for k, (label, points) in enumerate(series.items()):
        pts = sorted((int(y), float(v)) for y, v in points if math.isfinite(v))
        if pts:
            cleaned.append((0 if k == 0 else 1 + (k - 1) % 3, label, pts))
    if not cleaned:
        return _no_data(id_prefix, title, desc)
    key = []
    for style, label, _points in cleaned:
        dot = '<circle cx="12" cy="0" r="3.5"/>' if style == 0 else ""
        key.append((f'<g class="cm-s{style}"><path d="M0 0h24"/>{dot}</g>', label))
    frame = _Frame(
        [y for _, _, pts in cleaned for y, _ in pts],
        _finite_goal((v for _, _, pts in cleaned for _, v in pts), goal_value),
        unit,
        top=len(key) * _ROW + 30,
    )
    body = [frame.axes(y_label or _(_AXIS_LABEL.get(unit, unit))), frame.goal(goal_value)]
    for style, _label, pts in reversed(cleaned):  # the country last, on top
        marks = ""
        if (style == 0 and len(pts) <= MAX_MARKED) or len(pts) == 1:
            marks = "".join(f'<circle cx="{_num(frame.x(y))}" cy="{_num(frame.y(v))}" r="3.5"/>' for y, v in pts)
        body.append(f'<g class="cm-s{style}"><path d="{frame.line(pts)}"/>{marks}</g>')
    body.append(_legend(key))
    box = (0, 0, _W, frame.height())
    return Markup(_open(id_prefix, "cm-chart", box, title, desc) + "".join(body) + "</svg>")
