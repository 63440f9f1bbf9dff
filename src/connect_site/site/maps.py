"""World maps: countries shaded by their latest value, answer or category, with a text legend and the
UN map disclaimer. Every map paints the page's one geometry block (`geo.world_defs`) through `<use>`:
a map costs about 20 bytes per country drawn outside its largest layer."""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from typing import Optional

from markupsafe import Markup, escape

from connect_site.site import geo, i18n
from connect_site.site.charts import RAMP, format_value, no_data, open_svg, percent_sign, percentile, significant
from connect_site.site.geo import VIEWBOX
from connect_site.site.i18n import N_, _


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
    out = [open_svg(id_prefix, "cm-world", VIEWBOX, title, desc), f'<use href="#{geo.LAND_ID}" class="cm-land"/>']
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
    for b in sorted({significant(percentile(ordered, q)) for q in (20, 40, 60, 80)}):
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
        return no_data(id_prefix, title, desc)
    ordered = sorted(data.values())
    breaks = _breaks(ordered, unit)
    sfx = percent_sign(unit)

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
    classes = RAMP[len(labels)]
    note = ""
    if goal_value is not None and math.isfinite(goal_value):
        goals = {"increase": N_("Goal: {value} or more"), "decrease": N_("Goal: {value} or less")}
        note = _(goals.get(direction or "", N_("Goal: {value}"))).format(value=fv(goal_value))
    groups = [(f"cm-c{c}", label, m) for c, label, m in zip(classes, labels, members, strict=True)]
    return _map(groups, id_prefix, title, desc, note)


def yes_no_map(values: Mapping[str, bool], *, id_prefix: str, title: str, desc: str) -> Markup:
    """A world map in two classes, "Yes" and "No", plus "No data"."""
    if not values:
        return no_data(id_prefix, title, desc)
    yes = [k for k, v in values.items() if v]
    no = [k for k, v in values.items() if not v]
    return _map([("cm-yes", _("Yes"), yes), ("cm-no", _("No"), no)], id_prefix, title, desc)


def category_map(
    values: Mapping[str, str], categories: Sequence[tuple[str, str]], *, id_prefix: str, title: str, desc: str
) -> Markup:
    """A world map of iso3 -> category code, one class per category in the given order (best first,
    darkest), each labelled "A: Extensive GovTech maturity", plus "No data"."""
    if not values:
        return no_data(id_prefix, title, desc)
    classes = RAMP[min(5, len(categories))][::-1]
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
        return no_data(id_prefix, title, desc)
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
    classes = RAMP[len(ranges)]
    for k, (start, end) in enumerate(ranges):
        members = [iso3 for iso3, v in data.items() if start <= v <= end]
        low, high = min(data[m] for m in members), max(data[m] for m in members)  # labels name counts that occur
        one, other = format_value(low, "count"), format_value(high, "count")
        label = one if low == high else _("{low} to {high}").format(low=one, high=other)
        groups.append((f"cm-c{classes[k]}", label, members))
    return _map(groups, id_prefix, title, desc)
