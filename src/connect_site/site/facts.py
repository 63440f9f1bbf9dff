"""What the pages say about the numbers: latest values, series, medians and goal counts.

Pure functions of the checked `Site`, computed once per build and shared by every page.
Where one country has values from more than one source in a year, the indicator's own
source wins, then the source id that sorts first, so every figure has one source.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from statistics import median
from typing import Optional

from connect_site.content.fields import Direction, Unit
from connect_site.content.graph import Site
from connect_site.content.observations import Observation
from connect_site.content.schema import Indicator
from connect_site.site.aggregates import Aggregates

MIN_COUNTRIES_FOR_MEDIAN = 3


@dataclass(frozen=True)
class Series:
    """One value per year for one country and indicator, oldest first."""

    points: tuple[Observation, ...]

    @property
    def latest(self) -> Observation:
        return self.points[-1]

    def numeric(self) -> list[tuple[int, float]]:
        return [(o.year, float(o.value)) for o in self.points]


def meets_goal(indicator: Indicator, value: float | bool | str) -> Optional[bool]:
    """Whether a value meets the indicator's goal; None when there is no goal value (or it is a category)."""
    if indicator.goal_value is None or isinstance(value, str):
        return None
    if indicator.unit is Unit.YES_NO:
        return bool(value) == bool(indicator.goal_value)
    if indicator.direction is Direction.DECREASE:
        return float(value) <= indicator.goal_value
    return float(value) >= indicator.goal_value


class Facts:
    """Computed when first asked for: `check` plans the site without them."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._medians: dict[tuple[str, Optional[str]], list[tuple[int, float]]] = {}
        self._latest: dict[str, dict[str, Observation]] = {}

    @cached_property
    def series(self) -> dict[tuple[str, str], Series]:
        """Each (indicator, country)'s values, one per year, oldest first."""
        chosen: dict[tuple[str, str, int], Observation] = {}
        for o in self.site.observations:
            key = (o.indicator, o.country, o.year)
            first = chosen.get(key)
            if first is None or self._rank(o) < self._rank(first):
                chosen[key] = o
        grouped: dict[tuple[str, str], list[Observation]] = defaultdict(list)
        for (ind, iso3, _year), o in sorted(chosen.items()):
            grouped[(ind, iso3)].append(o)
        return {k: Series(tuple(v)) for k, v in grouped.items()}

    def _rank(self, o: Observation) -> tuple[bool, str]:
        return (o.source != self.site.indicators[o.indicator].source, o.source)

    @cached_property
    def per_year(self) -> dict[str, dict[int, dict[str, Observation]]]:
        """indicator -> year -> country -> the one value shown for it (the same choice as the series)."""
        out: dict[str, dict[int, dict[str, Observation]]] = {}
        for (ind, iso3), s in self.series.items():
            for o in s.points:
                out.setdefault(ind, {}).setdefault(o.year, {})[iso3] = o
        return out

    @cached_property
    def aggregates(self) -> Aggregates:
        """The world's and the UN regions' population-weighted figures."""
        return Aggregates(self.site, self.per_year)

    @cached_property
    def by_indicator(self) -> dict[str, dict[str, Series]]:
        out: dict[str, dict[str, Series]] = {i: {} for i in self.site.indicators}
        for (ind, iso3), s in self.series.items():
            out[ind][iso3] = s
        return out

    @cached_property
    def by_country(self) -> dict[str, dict[str, Series]]:
        out: dict[str, dict[str, Series]] = defaultdict(dict)
        for (ind, iso3), s in self.series.items():
            out[iso3][ind] = s
        return {k: dict(sorted(v.items(), key=lambda kv: self._indicator_order[kv[0]])) for k, v in out.items()}

    @cached_property
    def _indicator_order(self) -> dict[str, int]:
        order = [i for t in self.site.targets.values() for i in (ind.id for ind in t.indicators)]
        return {ind: n for n, ind in enumerate(order)}

    def latest(self, indicator: str) -> dict[str, Observation]:
        """Each country's latest observation of an indicator (computed once per indicator)."""
        if indicator not in self._latest:
            self._latest[indicator] = {iso3: s.latest for iso3, s in self.by_indicator[indicator].items()}
        return self._latest[indicator]

    def by_year(self, indicator: str, countries: Optional[set[str]] = None) -> dict[int, list[float]]:
        """Every country's value per year (one each), for distributions and medians."""
        out: dict[int, list[float]] = defaultdict(list)
        for iso3, s in self.by_indicator[indicator].items():
            if countries is None or iso3 in countries:
                for year, value in s.numeric():
                    out[year].append(value)
        return {y: sorted(v) for y, v in sorted(out.items())}

    def median_series(self, indicator: str, region: Optional[str] = None) -> list[tuple[int, float]]:
        """The median across countries (of one UN region, or the world) per year.

        Only years with enough countries to mean something are kept. Cached: every
        country page of a region asks for the same series.
        """
        key = (indicator, region)
        if key not in self._medians:
            countries = self.regions.get(region, set()) if region is not None else None
            self._medians[key] = [
                (year, median(values))
                for year, values in self.by_year(indicator, countries).items()
                if len(values) >= MIN_COUNTRIES_FOR_MEDIAN
            ]
        return self._medians[key]

    @cached_property
    def regions(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for iso3, view in self.site.countries.items():
            if view.ref.region:
                out[view.ref.region].add(iso3)
        return dict(out)

    @cached_property
    def coverage(self) -> dict[str, int]:
        """Per country: how many indicators have at least one value."""
        return {iso3: len(by_ind) for iso3, by_ind in sorted(self.by_country.items())}

    def goal_count(self, indicator: str) -> tuple[int, int]:
        """(countries whose latest value meets the goal, countries with data)."""
        ind = self.site.indicators[indicator]
        latest = self.latest(indicator)
        met = sum(1 for o in latest.values() if meets_goal(ind, o.value))
        return met, len(latest)

    def yes_count(self, indicator: str) -> int:
        """For a yes-no indicator: countries whose latest answer is yes."""
        return sum(1 for o in self.latest(indicator).values() if o.value is True)
