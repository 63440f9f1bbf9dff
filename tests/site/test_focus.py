"""The six focus targets answered for every Member State: coverage, the country's focus table, world
and regional figures (checked against an independent computation), proxies, footnotes, terms of use,
and official texts that stay official."""

from __future__ import annotations

import csv
import re
from html import unescape
from pathlib import Path

import pytest

from conftest import REAL
from connect_site.content import refdata
from connect_site.pipeline import CheckResult

FOCUS = ("1.4", "1.7", "3.1", "3.5", "4.1", "5.1")


def members() -> set[str]:
    return {iso3 for iso3, status in refdata.un_members().items() if status == "member"}


def covered(result: CheckResult, target: str) -> set[str]:
    site = result.site
    assert site is not None
    ids = {i.id for i in site.targets[target].indicators}
    return {o.country for o in site.observations if o.indicator in ids}


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize(("target", "least"), [("1.7", 190), ("3.1", 190), ("1.4", 150), ("4.1", 150), ("5.1", 150)])
def test_focus_targets_have_values_for_most_member_states(real_result: CheckResult, target: str, least: int) -> None:
    assert len(covered(real_result, target) & members()) >= least
    assert len(members()) == 193


def test_at_most_ten_member_states_have_nothing_for_all_six(real_result: CheckResult) -> None:
    nothing = members() - set().union(*(covered(real_result, t) for t in FOCUS))
    assert len(nothing) <= 10, sorted(nothing)


def test_the_country_page_answers_each_focus_target(real_site: Path) -> None:
    page = (real_site / "countries" / "ken" / "index.html").read_text(encoding="utf-8")
    table = page.split('<table class="focus">', 1)[1].split("</table>", 1)[0]
    for target in FOCUS:
        assert f'href="../../targets/{target}/"' in table
    row = text(table.split('href="../../targets/1.7/egdi/"', 1)[1].split("</tr>", 1)[0])
    # latest (with year), the earlier editions, Africa's and the world's figures for 2024
    assert row.startswith(">E-Government Development Index (EGDI) ")
    assert " 0.631 (2024) 0.559 (2022), 0.533 (2020), 0.454 (2018), 0.419 (2016), 0.381 (2014) " in row
    assert "A proxy:" in row  # the caveat beside the figure
    assert "3.5" in table and "No data yet for this target" in text(table.split("targets/3.5/", 1)[1])


def weighted(indicator: str, year: int, region: str = "") -> float:
    """The population-weighted mean, computed here from the CSV and the population table alone."""
    pop = {}
    with (REAL.parent / "src" / "connect_site" / "data" / "population.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            pop[(row["iso3"], int(row["year"]))] = int(row["value"])
    regions = {c.iso3: c.region for c in refdata.countries().values()}
    total = weight = 0.0
    with (REAL / "data" / f"{indicator}.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if int(row["year"]) == year and (not region or regions.get(row["country"]) == region):
                w = pop.get((row["country"], min(year, 2024)), 0)
                total += float(row["value"]) * w
                weight += w
    return total / weight


def test_world_and_regional_figures_are_population_weighted(real_site: Path) -> None:
    page = text((real_site / "targets" / "1.7" / "egdi" / "index.html").read_text(encoding="utf-8"))
    world = re.search(r"World: ([0-9.]+) in 2024, the population-weighted average of 193 countries", page)
    assert world, page[:500]
    assert float(world.group(1)) == pytest.approx(weighted("egdi", 2024), abs=0.0006)
    africa = re.search(r" Africa ([0-9.]+) (\d+) (\d+)% ", page)
    assert africa and float(africa.group(1)) == pytest.approx(weighted("egdi", 2024, "Africa"), abs=0.0006)


def test_a_worldwide_target_is_compared_with_itus_world_figure(real_site: Path) -> None:
    page = text((real_site / "targets" / "1.2" / "index.html").read_text(encoding="utf-8"))
    assert "World: 74% in 2025 (estimate of " in page
    assert "The goal of 70% is met." in page
    assert "countries meet the goal" not in page.split("Individuals using the Internet", 2)[-1].split("Mobile", 1)[0]


def test_single_source_values_carry_a_footnote_and_terms_of_use_show(real_site: Path) -> None:
    page = (real_site / "targets" / "3.1" / "gci-score" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<sup><a href="#q(\d)" class="mark">\1</a></sup>', page)
    notes = page.split('<ol class="notes">', 1)[1].split("</ol>", 1)[0]
    assert '<li id="q1">' in notes and "single source" in notes
    assert "Terms of use</a>: Re-use permitted for educational and non-commercial purposes" in page


def test_a_target_without_a_dataset_says_so(real_site: Path) -> None:
    page = text((real_site / "targets" / "3.5" / "index.html").read_text(encoding="utf-8"))
    assert "No international dataset records national emergency telecommunication plans" in page
    assert "contribution" in page


def test_official_texts_stay_official(real_site: Path) -> None:
    zh = (real_site / "zh" / "goals" / "1" / "index.html").read_text(encoding="utf-8")
    assert "为支持数字经济和社会,促成并推进电信/ICT的获取并加强其使用" in zh  # quoted from ITU's Chinese page
    fr = (real_site / "fr" / "targets" / "1.7" / "index.html").read_text(encoding="utf-8")
    assert (
        '<span lang="en">By 2023, 40% of the population should be interacting with government services online</span>'
        in fr
    )
    assert "The official text" not in text(fr) or "Le texte officiel" in text(fr)
    ar = (real_site / "ar" / "targets" / "1.7" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="en" dir="ltr">By 2023, 40% of the population' in ar
