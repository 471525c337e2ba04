# Two commands matter: `make run` and `make test`. Everything else supports them.
# `make run PORT=5101 HOST=0.0.0.0` serves elsewhere; links follow unless BASE_URL is set.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export SURVEY_APP_ENV ?= development

.PHONY: run test test-installed lint typecheck lock install install-test clean bench plotly-cartesian

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Versions come from requirements.lock (`make lock` writes it from pyproject.toml).
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e .
	@$(MAKE) --no-print-directory plotly-cartesian
	touch $@

# plotly.js's cartesian-only bundle (bar, scatter, heat map: every trace the app draws; 1.4 MB
# instead of 4.85 MB) from the npm registry, of the plotly.js version inside the plotly package.
# Without npm or the registry pages keep that package's full bundle (survey_app/charts/routes.py).
VENDOR := $(VENV)/share/survey-app/vendor
plotly-cartesian:
	@v=$$($(BIN)/python -c 'import plotly.offline as o; print(o.get_plotlyjs_version())') && \
	f=$(VENDOR)/plotly-cartesian-$$v.min.js && \
	if [ -f "$$f" ]; then exit 0; fi; \
	if ! command -v npm >/dev/null 2>&1; then \
	  echo "npm not found: charts use plotly's full bundle"; exit 0; fi; \
	tmp=$$(mktemp -d) && \
	if (cd "$$tmp" && npm pack --silent "plotly.js-cartesian-dist-min@$$v" >/dev/null && \
	    tar xzf plotly.js-cartesian-dist-min-$$v.tgz); then \
	  mkdir -p $(VENDOR) && cp "$$tmp/package/plotly-cartesian.min.js" "$$f.part" && \
	  mv "$$f.part" "$$f" && echo "plotly.js $$v cartesian bundle: $$f"; \
	else echo "npm could not fetch plotly.js-cartesian-dist-min@$$v: charts use the full bundle"; fi; \
	rm -rf "$$tmp"

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/survey-app db upgrade
	$(BIN)/survey-app demo --no-links
	$(BIN)/survey-app run --host $(HOST) --port $(PORT) --demo-links

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory typecheck

# Strict on the pure layers, default on the web app (pyproject.toml [tool.mypy]).
typecheck: install-test
	$(BIN)/mypy --strict instruments analysis
	$(BIN)/mypy survey_app

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

# The suite against a non-editable install (`pip install .` into a fresh virtualenv), run from
# another folder, so that nothing is read from the checkout that an installed copy lacks.
INSTALLED := build/installed
test-installed:
	rm -rf $(INSTALLED) && mkdir -p $(INSTALLED) && $(PYTHON) -m venv $(INSTALLED)/venv
	$(INSTALLED)/venv/bin/pip install --quiet --upgrade pip
	$(INSTALLED)/venv/bin/pip install --quiet -c requirements.lock '.[test]'
	rm -rf build/lib build/bdist* *.egg-info
	cp -r tests $(INSTALLED)/tests
	cd $(INSTALLED) && EXPECT_INSTALLED=1 venv/bin/python -m pytest -c $(CURDIR)/pyproject.toml \
		--rootdir . tests $(PYTEST_ARGS)

lock: install-test
	$(BIN)/uv pip compile --quiet pyproject.toml --extra test --python-version 3.11 -o requirements.lock

bench: install-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
