# Bouquet: `make run` serves the whole platform on the embedded default; `make test` runs the suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The first interpreter >= 3.12 found: on PATH, then in pyenv's versions.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 /root/.pyenv/versions/3.1[23]*/bin/python3; do \
	if "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v "$$p"; break; fi; done)

.PHONY: run test bench lint venv demo clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 est nécessaire (python3.12 ou python3.13 introuvable)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --only-binary lxml,xmlsec -e '.[test]'
	touch $@

venv: $(VENV)/.installed

run: venv
	$(BIN)/bouquet migrate --noinput
	$(BIN)/bouquet demo
	$(BIN)/bouquet run

test: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest $(PYTEST_ARGS)

bench: venv
	$(BIN)/python -m bench

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(VENV) var .pytest_cache
