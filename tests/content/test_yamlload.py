"""The strict YAML loader: YAML 1.1 surprises neutralised, positions exact, abuse refused."""

from __future__ import annotations

import pytest

from connect_site.content import yamlload
from connect_site.content.read import split_front_matter
from connect_site.content.yamlload import YamlFloat, YamlInt, YamlProblem


def test_yaml_11_surprises_stay_text() -> None:
    doc = yamlload.load("c: [GB, NO, SE]\nt: 1:30\no: 0755\nd: 2024-02-30\ny: yes\nn: off\nv: 3.10\nb: true\nz: ~\n")
    assert doc.data == {
        "c": ["GB", "NO", "SE"],
        "t": "1:30",
        "o": "0755",
        "d": "2024-02-30",
        "y": "yes",
        "n": "off",
        "v": 3.1,
        "b": True,
        "z": None,
    }
    assert isinstance(doc.data["v"], YamlFloat) and doc.data["v"].raw == "3.10"


def test_quoted_values_are_always_text() -> None:
    doc = yamlload.load("a: \"1.4\"\nb: 'true'\nc: 12\n")
    assert doc.data == {"a": "1.4", "b": "true", "c": 12}
    assert isinstance(doc.data["c"], YamlInt) and doc.data["c"].raw == "12"


def test_positions_are_exact_and_one_based() -> None:
    doc = yamlload.load("a: 1\nlist:\n  - x\n  - {k: v}\n")
    assert doc.positions[("a",)] == (1, 4)
    assert doc.key_positions[("list",)] == (2, 1)
    assert doc.positions[("list", 1, "k")] == (4, 9)
    assert doc.where(("list", 1, "missing")) == (4, 5)


def test_front_matter_lines_count_from_the_top_of_the_file() -> None:
    text = "---\r\ntitle: x\r\nkind: y\r\n---\r\nBody\r\n"
    front, body, body_line = split_front_matter(text)  # type: ignore[misc]
    doc = yamlload.load(front, line_offset=1)
    assert doc.positions[("kind",)] == (3, 7)
    assert body == "Body\r\n" and body_line == 5


def test_alias_bomb_is_refused_before_expansion() -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    assert 400 < len(bomb) < 700
    with pytest.raises(YamlProblem) as info:
        yamlload.load(bomb)
    assert (info.value.line, info.value.col, info.value.code) == (1, 4, "yaml-anchor")


@pytest.mark.parametrize(
    "text,code",
    [
        ("a: *x\n", "yaml-alias"),
        ("? [a]\n: 1\n", "yaml-complex-key"),
        ("a: !custom 1\n", "yaml-tag"),
        ("a: 1\na: 1\n", "duplicate-key"),
        ("a:\n  b: 1\n  b: 2\n", "duplicate-key"),
        ("a: " + "[" * 100 + "]" * 100, "yaml-too-deep"),
        ("a: " + "[" * 5000 + "]" * 5000, "yaml-syntax"),  # libyaml stops at 1000 levels by itself
    ],
)
def test_refused(text: str, code: str) -> None:
    with pytest.raises(YamlProblem) as info:
        yamlload.load(text)
    assert info.value.code == code
    assert info.value.line >= 1 and info.value.col >= 1


@pytest.mark.parametrize("text", ["title: x\ncountries:\n\t- KEN\n", "contributor:\n  name: A\n\ttype: academia\n"])
def test_a_tab_is_named_as_the_cause(text: str) -> None:
    with pytest.raises(YamlProblem) as info:
        yamlload.load(text)
    problem = info.value
    assert problem.line == 3 and problem.col == 1 and problem.code == "yaml-syntax"
    assert "tab character" in problem.message and "spaces" in problem.hint
