"""What passes `check` builds: every value a page, chart, download or feed uses is checked
with the rule the renderer needs (finite numbers of a size the pages can format, languages
with locale data, Markdown nesting the renderer can take). The pull-request workflow runs
only `check`, so a value that passes it and breaks `build` breaks publishing after the merge.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import TINY, lines, run, write_site
from connect_site.errors import Severity
from connect_site.pipeline import build

TARGET = (TINY / "targets/1.4.yaml").read_text(encoding="utf-8")
SITE = (TINY / "site.yaml").read_text(encoding="utf-8")
PLAN = (TINY / "initiatives/kenya-plan.md").read_text(encoding="utf-8")
CSV_HEADER = "country,year,value,source,note\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (  # YAML reads 1e400 as text; as a number it is infinite
            {"targets/1.4.yaml": TARGET.replace("goal_value: 70", "goal_value: 1e400")},
            "content/targets/1.4.yaml:16:17: error[not-finite]: goal_value: the value must be a finite number",
        ),
        (
            {"targets/1.4.yaml": TARGET.replace("goal_value: 70", "goal_value: 2e15")},
            "content/targets/1.4.yaml:16:17: error[not-finite]: goal_value: the value must be smaller than 10^15",
        ),
        (
            {
                "targets/1.4.yaml": TARGET.replace("unit: percent", "unit: count"),
                "data/internet-users.csv": CSV_HEADER + "KEN,2022,1e28,test-src,\n",
                "countries/KEN.yaml": (TINY / "countries/KEN.yaml").read_text().replace("40.8", "41"),
            },
            "content/data/internet-users.csv:2:10: error[out-of-range]: 1e+28 is too large: values must be"
            " smaller than 10^15",
        ),
        (
            {"site.yaml": SITE.replace("languages: [en]", "languages: [en, pt-BR]")},
            "content/site.yaml:3:17: error[invalid-language]: languages: 'pt-BR' is not a language code like"
            " 'en' or 'fr'",
        ),
        (
            {"site.yaml": SITE.replace("languages: [en]", "languages: [en, xx]")},
            "content/site.yaml:3:17: error[invalid-language]: languages: 'xx' is not a language the site can be"
            " published in (no locale data for it)",
        ),
        (
            {"initiatives/kenya-plan.md": PLAN + "\n" + "- " * 500 + "x\n"},
            "content/initiatives/kenya-plan.md:13:1: error[markdown-too-deep]: this line opens 500 lists or"
            " quotes inside each other",
        ),
        (
            {"initiatives/kenya-plan.md": PLAN + "\n" + "1. > * " * 10 + "x\n"},
            "content/initiatives/kenya-plan.md:13:1: error[markdown-too-deep]: this line opens 30 lists or"
            " quotes inside each other",
        ),
    ],
    ids=["goal-1e400", "goal-2e15", "count-1e28", "pt-BR", "xx", "500-lists", "lists-and-quotes"],
)
def test_what_build_cannot_take_is_refused_by_check(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    found = lines(run(write_site(tmp_path, files)))
    assert expected in found, found


def test_the_largest_accepted_values_build(tmp_path: Path) -> None:
    content = write_site(
        tmp_path,
        {
            "targets/1.4.yaml": TARGET.replace("unit: percent", "unit: count").replace(
                "goal_value: 70", "goal_value: 999999999999999"
            ),
            "data/internet-users.csv": CSV_HEADER + "KEN,2022,999999999999999,test-src,\n",
            "countries/KEN.yaml": (TINY / "countries/KEN.yaml").read_text().replace("40.8", "41"),
            "site.yaml": SITE.replace("languages: [en]", "languages: [en, pt, sw]"),
            "initiatives/kenya-plan.md": PLAN
            + "\n"
            + "- " * 16
            + "x\n\n"
            + "".join("  " * i + "- x\n" for i in range(30)),
        },
    )
    result = build(content, tmp_path / "out", display_root="content", jobs=1)
    assert result.ok, [d.format() for d in result.check.diagnostics]
    assert (tmp_path / "out/sw/initiatives/kenya-plan/index.html").is_file()


# -- the property: generated content that passes check always builds ------------------------

_number = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from(["1e400", "-1e400", "1e15", "9.99e14", "1e-320", "0", "-0.0", "100.0001"]),
)
_markers = st.lists(
    st.sampled_from(["- ", "* ", "+ ", "1. ", "9) ", "> ", "  ", "[", "]", "`", "x", "\n"]), max_size=80
)


def _yaml_number(value: object) -> str:
    return str(value) if not isinstance(value, float) else repr(value).replace("nan", ".nan").replace("inf", ".inf")


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    goal=_number,
    observed=st.lists(_number, min_size=1, max_size=3),
    unit=st.sampled_from(["percent", "count", "per-100", "index", "score", "tonnes"]),
    body=_markers,
    language=st.sampled_from(["fr", "pt", "sw", "xx", "zz", "pt-BR", "EN", "ar"]),
)
@example(goal="1e400", observed=[1e28], unit="count", body=["- "] * 40, language="pt-BR")
def test_content_that_passes_check_builds(
    goal: object, observed: list[object], unit: str, body: list[str], language: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(TINY, content)
        target = TARGET.replace("unit: percent", f"unit: {unit}").replace(
            "goal_value: 70", f"goal_value: {_yaml_number(goal)}"
        )
        (content / "targets/1.4.yaml").write_text(target, encoding="utf-8")
        rows = "".join(f"KEN,{2000 + i},{v},test-src,\n" for i, v in enumerate(observed))
        (content / "data/internet-users.csv").write_text(CSV_HEADER + rows, encoding="utf-8")
        (content / "countries/KEN.yaml").write_text('name: "Kenya"\n', encoding="utf-8")
        (content / "initiatives/kenya-plan.md").write_text(PLAN + "\n" + "".join(body) + "\n", encoding="utf-8")
        (content / "site.yaml").write_text(
            SITE.replace("languages: [en]", f"languages: [en, {language}]"), encoding="utf-8"
        )
        checked = run(content)
        if any(d.severity is Severity.ERROR for d in checked.diagnostics):
            return
        result = build(content, Path(tmp) / "out", display_root="content", jobs=1)
        assert result.ok, [d.format() for d in result.check.diagnostics]
