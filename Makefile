# Two commands matter: `make run` and `make test`. Everything else supports them.
# `make run PORT=5101 HOST=0.0.0.0` serves elsewhere; links follow unless BASE_URL is set.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export SURVEY_APP_ENV ?= development

.PHONY: run test lint typecheck install install-test clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/survey-app db upgrade
	$(BIN)/survey-app demo --no-links
	$(BIN)/survey-app run --host $(HOST) --port $(PORT) --demo-links

lint: install-test
	$(BIN)/ruff check .

# Strict on the pure layers, default on the web app (pyproject.toml [tool.mypy]).
typecheck: install-test
	$(BIN)/mypy --strict instruments analysis
	$(BIN)/mypy survey_app

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
