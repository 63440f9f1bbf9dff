# The front door. Every target works on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

.DEFAULT_GOAL := site

.PHONY: site serve check install test lint bench bench-scale schemas golden messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# axe-core and vnu.jar for the quality gates. --ignore-scripts: vnu-jar's postinstall
# would download a Java runtime when java is missing (.ci/run installs Debian's instead).
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NPM_STAMP)

install: $(STAMP)

## make site: install everything and build the real microsite from content/ into _site/
site: $(STAMP)
	SOURCE_DATE_EPOCH="$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct -- content 2>/dev/null)}" \
		$(BIN)/connect-site build --content content --out _site
	@echo "The site is in _site/. Preview it while you edit with: make serve (http://127.0.0.1:8000/)"

## make serve: live preview of content/ on http://127.0.0.1:8000/, rebuilt on every save
serve: $(STAMP)
	$(BIN)/connect-site serve --content content

## make check: check the content (every error at file:line:col) and render every page in memory
check: $(STAMP)
	$(BIN)/connect-site check --content content --render

## make test: run every test, with the accessibility, HTML, link and XSS gates
test: $(STAMP) $(NPM_STAMP) lint
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy

## make bench: measure check, build, writing, serve, the worst inputs and import next to peers, then 1,000 and 10,000
## generated entries next to Hugo, Hugo + Pagefind and MkDocs (see docs/performance.md)
bench: $(STAMP)
	$(BIN)/python bench/check_speed.py
	$(BIN)/python bench/build_speed.py
	$(BIN)/python bench/write_speed.py
	$(BIN)/python bench/serve_speed.py
	$(BIN)/python bench/worst_inputs.py
	$(BIN)/python bench/import_speed.py
	$(BIN)/python bench/scale.py --sizes 1000 --rounds 1
	$(BIN)/python bench/scale.py --sizes 10000 --rounds 1 --peers hugo+pagefind

## make bench-scale: the figures of docs/performance.md "At scale": 1,000, 10,000 and 50,000
## entries, three rounds (50,000: one), and six languages at 1,000 (about 45 minutes)
bench-scale: $(STAMP)
	$(BIN)/python bench/scale.py --sizes 1000 --rounds 3 --languages en
	$(BIN)/python bench/scale.py --sizes 10000 --rounds 3 --languages en --peers hugo+pagefind
	$(BIN)/python bench/scale.py --sizes 1000 --rounds 2 --languages both --peers hugo+pagefind
	$(BIN)/python bench/scale.py --sizes 50000 --rounds 1 --warmup 0 --languages en --peers hugo+pagefind

## make schemas: regenerate the JSON Schemas in schemas/
schemas: $(STAMP)
	$(BIN)/connect-site schema --out schemas

## make golden: regenerate every golden file (pages, downloads, diff reports, schemas, CONTRIBUTING's
## field reference); read the git diff before committing
golden: $(STAMP)
	$(BIN)/python tools/golden.py

## make messages: extract the UI strings (code and templates) and update each language's catalog
LOCALES := src/connect_site/locale
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -c Translators: --sort-by-file --no-wrap \
		--project connect-site --copyright-holder "connect-site contributors" -o $(LOCALES)/messages.pot .
	for lang in ar es fr ru zh; do \
		if [ -f $(LOCALES)/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --no-wrap --ignore-obsolete -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang; \
		else \
			$(BIN)/pybabel init --no-wrap -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang; \
		fi; \
	done

clean:
	rm -rf $(VENV) node_modules build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache _site
