"""Build-time inline SVG charts (and the shared pieces of maps.py): pure functions, values in, markup out.

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

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Optional

from markupsafe import Markup, escape

from connect_site.site import i18n
from connect_site.site.i18n import N_, _

__all__ = [
    "distribution_chart",
    "format_value",
    "median",
    "percentile",
    "trend_chart",
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
RAMP = {1: (3,), 2: (2, 4), 3: (1, 3, 5), 4: (1, 2, 4, 5), 5: (1, 2, 3, 4, 5)}

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


def significant(x: float, digits: int = 2) -> float:
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


def percent_sign(unit: str) -> str:
    return "%" if unit == "percent" else ""


# --- shared markup ---------------------------------------------------------------------------


def _check_id(id_prefix: str) -> None:
    if not _ID.match(id_prefix):
        raise ValueError(f"id_prefix must be a letter then letters, digits, '-' or '_': {id_prefix!r}")


def open_svg(id_prefix: str, css: str, viewbox: Iterable[float], title: str, desc: str) -> str:
    _check_id(id_prefix)
    box = " ".join(_num(v) for v in viewbox)
    return (
        f'<svg class="{css}" viewBox="{box}" role="img" aria-labelledby="{id_prefix}-t {id_prefix}-d">'
        f'<title id="{id_prefix}-t">{escape(title)}</title><desc id="{id_prefix}-d">{escape(desc)}</desc>'
    )


def no_data(id_prefix: str, title: str, desc: str) -> Markup:
    no_data = _("No data available")
    return Markup(
        open_svg(id_prefix, "cm-chart cm-empty", (0, 0, _W, 40), title, desc)
        + f'<text x="{_W // 2}" y="25" text-anchor="middle">{_words(no_data)}</text></svg>'
    )


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
        label = _("Goal: {value}").format(value=format_value(goal_value, self.unit) + percent_sign(self.unit))
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
        return no_data(id_prefix, title, desc)
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
    return Markup(open_svg(id_prefix, "cm-chart", box, title, desc) + "".join(body) + "</svg>")


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
        return no_data(id_prefix, title, desc)
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
    return Markup(open_svg(id_prefix, "cm-chart", box, title, desc) + "".join(body) + "</svg>")
