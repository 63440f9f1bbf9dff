"""World and regional figures, computed at build time from the countries' values: population-weighted,
always with their coverage.

For an indicator and a year, the figure of an area (the world, or a UN region) is the mean of the
values of its countries for that year, each weighted by the country's population that year (World
Bank SP.POP.TOTL; for a year after the last one published, the last one). Its coverage is the share
of the area's population living in the countries that have a value. A headline figure is the latest
year whose coverage reaches `MIN_COVERAGE`: an average of a few countries is not the world's.

Only rates are averaged (percent, per 100, index, score, kilogrammes per person): counts and tonnes
of some countries do not add up to an area's. A yes-no indicator's figure is the share of the area's
population in countries that answer yes; a category's is the population share of each category.
Where ITU publishes its own world figure (content/data/<indicator>.world.csv), pages show that one,
labelled as ITU's, beside or instead of this computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Optional

from connect_site.content import refdata
from connect_site.content.fields import Unit
from connect_site.content.graph import Site
from connect_site.content.observations import Observation

MIN_COVERAGE = 0.5
WORLD = ""  # the area code of the world; regions and subregions are their UN M49 English names
AVERAGED = frozenset({Unit.PERCENT, Unit.PER_100, Unit.INDEX, Unit.SCORE, Unit.KG_PER_CAPITA})


@dataclass(frozen=True)
class Aggregate:
    area: str  # WORLD, a UN region ("Africa") or subregion ("Sub-Saharan Africa")
    year: int
    value: float  # the weighted mean; for yes-no, the population share answering yes (0..1)
    coverage: float  # the share of the area's population in countries with a value (0..1)
    countries: int  # how many countries have a value

    @property
    def enough(self) -> bool:
        """Whether the countries with a value are home to enough of the area's people to speak for it."""
        return self.coverage >= MIN_COVERAGE


class Aggregates:
    """The world's, each UN region's and each subregion's figure, per indicator and year (computed when
    first asked)."""

    def __init__(self, site: Site, latest_per_year: dict[str, dict[int, dict[str, Observation]]]) -> None:
        self.site = site
        self._values = latest_per_year  # indicator -> year -> iso3 -> the chosen observation
        self._cache: dict[tuple[str, str, int], Optional[Aggregate]] = {}
        self._totals: dict[tuple[str, int], int] = {}

    @cached_property
    def _areas(self) -> dict[str, tuple[str, str]]:
        """iso3 -> its UN region and subregion, for every country the site knows."""
        return {iso3: (view.ref.region, view.ref.subregion) for iso3, view in self.site.countries.items()}

    def _in(self, iso3: str, area: str) -> bool:
        return area == WORLD or area in self._areas.get(iso3, ())

    def _population(self, iso3: str, year: int) -> int:
        table = refdata.population()
        for y in range(year, 1999, -1):
            found = table.get((iso3, y))
            if found is not None:
                return found
        return 0

    def _total(self, area: str, year: int) -> int:
        """The population of every country of the area (members and territories alike) that year."""
        key = (area, year)
        if key not in self._totals:
            self._totals[key] = sum(self._population(c, year) for c in self._areas if self._in(c, area))
        return self._totals[key]

    def at(self, indicator: str, area: str, year: int) -> Optional[Aggregate]:
        key = (indicator, area, year)
        if key not in self._cache:
            self._cache[key] = self._compute(indicator, area, year)
        return self._cache[key]

    def _compute(self, indicator: str, area: str, year: int) -> Optional[Aggregate]:
        unit = self.site.indicators[indicator].unit
        if unit not in AVERAGED and unit is not Unit.YES_NO:
            return None
        rows = self._values.get(indicator, {}).get(year, {})
        weighted, people, n = 0.0, 0, 0
        for iso3, o in rows.items():
            if not self._in(iso3, area):
                continue
            weight = self._population(iso3, year)
            if weight == 0:
                continue
            value = (1.0 if o.value is True else 0.0) if unit is Unit.YES_NO else float(o.value)
            weighted += value * weight
            people += weight
            n += 1
        total = self._total(area, year)
        if n == 0 or total == 0:
            return None
        return Aggregate(area, year, weighted / people, people / total, n)

    def headline(self, indicator: str, area: str = WORLD) -> Optional[Aggregate]:
        """The latest year whose figure covers at least MIN_COVERAGE of the area's population."""
        for year in sorted(self._values.get(indicator, {}), reverse=True):
            found = self.at(indicator, area, year)
            if found is not None and found.coverage >= MIN_COVERAGE:
                return found
        return None
