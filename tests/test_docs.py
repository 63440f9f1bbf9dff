"""Documentation stays in step with the code: every command, field and error code."""

from __future__ import annotations

from typing import Any

import click
import pytest
from pydantic import BaseModel

from conftest import ROOT
from connect_site.cli import main
from connect_site.content import schema

README = (ROOT / "README.md").read_text(encoding="utf-8")


def models() -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    todo: list[Any] = list(schema.KINDS.values())
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.append(model)
        for field in model.model_fields.values():
            for candidate in vars(schema).values():
                if (
                    isinstance(candidate, type)
                    and issubclass(candidate, BaseModel)
                    and candidate is not schema.Strict
                    and candidate.__name__ in repr(field.annotation)
                ):
                    todo.append(candidate)
    return seen


def test_every_model_is_reached() -> None:
    names = {m.__name__ for m in models()}
    assert {"Indicator", "Statistic", "Evidence", "CountryStatus", "Contributor", "Source"} <= names


@pytest.mark.parametrize("model", models(), ids=lambda m: m.__name__)
def test_every_schema_field_has_a_description(model: type[BaseModel]) -> None:
    assert model.__doc__, model
    for name, field in model.model_fields.items():
        assert field.description and len(field.description) > 10, f"{model.__name__}.{name}"


@pytest.mark.parametrize("model", list(schema.KINDS.values()), ids=lambda m: m.__name__)
def test_every_top_level_field_is_in_the_readme(model: type[BaseModel]) -> None:
    for name in model.model_fields:
        assert name in README, f"{model.__name__}.{name} is not documented in README.md"


def test_every_command_and_option_is_in_the_readme() -> None:
    assert isinstance(main, click.Group)
    for name, command in main.all_commands.items():
        assert f"connect-site {name}" in README, name
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert opt in README, f"{name} {opt}"


def test_readme_starts_with_the_two_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make site" in quick and "make test" in quick
