# The front door. Every target works on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := site

.PHONY: site check install test lint bench schemas clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## make site: install everything and check the real microsite content in content/
site: $(STAMP)
	$(BIN)/connect-site check --content content

check: site

## make test: run every test
test: $(STAMP) lint
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy

## make bench: measure check time on the real content (see docs/performance.md)
bench: $(STAMP)
	$(BIN)/python bench/check_speed.py

## make schemas: regenerate the JSON Schemas in schemas/
schemas: $(STAMP)
	$(BIN)/connect-site schema --out schemas

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache _site
