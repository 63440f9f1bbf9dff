"""What a page says about an indicator in one line, and the footnotes of its figures.

A `Headline` gathers what every page that names an indicator shows of it: how many countries
report, the world figure (ITU's own where it publishes one, else the site's population-weighted
figure with its coverage), how many meet the goal, and for a categorical indicator how many
countries are in each category. `Notes` numbers the quality flags of the figures of one page
("single source") so that each is written once, under the table, and marked beside its figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from connect_site.content import refdata
from connect_site.content.fields import Relation, Scope, Unit
from connect_site.content.schema import Indicator, Target
from connect_site.content.world import WorldFigure
from connect_site.site.aggregates import WORLD, Aggregate
from connect_site.site.facts import Facts, meets_goal


@dataclass(frozen=True)
class Headline:
    indicator: Indicator
    target: Target
    reported: int  # countries with data
    members: int  # of them, UN Member States
    met: int  # countries whose latest value meets the goal value
    yes: int  # yes-no: countries whose latest answer is yes
    world: Optional[Aggregate]  # the site's population-weighted figure (latest year with enough coverage)
    agency: Optional[WorldFigure]  # the agency's own latest world figure (ITU's)
    categories: list[tuple[str, str, int]] = field(default_factory=list)  # (code, label, countries)

    @property
    def proxy(self) -> bool:
        return self.indicator.relation is Relation.PROXY

    @property
    def world_met(self) -> Optional[bool]:
        """For a target of the world as a whole: whether the world figure meets the goal value."""
        if self.target.scope is not Scope.WORLD:
            return None
        value = self.agency.value if self.agency else (self.world.value if self.world else None)
        return None if value is None else meets_goal(self.indicator, value)


def headline(facts: Facts, indicator: Indicator, target: Target) -> Headline:
    latest = facts.latest(indicator.id)
    members = refdata.un_members()
    met, reported = facts.goal_count(indicator.id)
    categories = []
    if indicator.unit is Unit.CATEGORY:
        counts = {c.code: 0 for c in indicator.categories}
        for o in latest.values():
            counts[str(o.value)] = counts.get(str(o.value), 0) + 1
        categories = [(c.code, c.label, counts[c.code]) for c in indicator.categories]
    agency = facts.site.world_figures.get(indicator.id, [])
    return Headline(
        indicator,
        target,
        reported,
        sum(1 for iso3 in latest if members.get(iso3) == "member"),
        met,
        facts.yes_count(indicator.id),
        facts.aggregates.headline(indicator.id, WORLD),
        agency[-1] if agency else None,
        categories,
    )


class Notes:
    """The quality flags of a page's figures, numbered in the order they are first met."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def mark(self, text: Optional[str]) -> int:
        """The footnote number of a flag (0 for none)."""
        if not text:
            return 0
        if text not in self.texts:
            self.texts.append(text)
        return self.texts.index(text) + 1
