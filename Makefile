# Two entry points for a fresh machine; both create .venv and install what they need.
#   make run   install spinbench and run the bundled benchmark (results/<run-id>/)
#   make test  install the test extras, then lint, type-check and run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

WORDNET_DIR ?= /usr/share/wordnet

.PHONY: run test lint typecheck pytest clean wordnet browser apertium

run: $(VENV)/.installed-run wordnet
	$(BIN)/bench run

test: $(VENV)/.installed-test wordnet browser apertium lint typecheck pytest

# WordNet 3.0 for the synonym spinner, from Debian's wordnet-base package.
wordnet:
	@test -f "$(WORDNET_DIR)/data.noun" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wordnet-base >/dev/null; \
	  else \
	    echo "WordNet 3.0 is missing: sudo apt-get install wordnet-base (or set WORDNET_DIR)"; \
	    exit 1; \
	  fi; }

# Apertium with its English-Spanish and English-Catalan pairs, for the round-trip system's
# tests (they skip without it; the bundled benchmark ships its outputs precomputed).
APERTIUM_PACKAGES := apertium apertium-eng-spa apertium-eng-cat
apertium:
	@missing=""; for p in $(APERTIUM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Apertium is missing (its tests will be skipped): sudo apt-get install$$missing"; \
	  fi; }

lint: $(VENV)/.installed-test
	$(BIN)/ruff check bench metrics tests tools benchmarks
	$(BIN)/ruff format --check bench metrics tests tools benchmarks

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test wordnet browser apertium
	$(BIN)/pytest

# Debian's chromium, for the HTML report's browser test (Playwright drives it; it never
# downloads a browser of its own).
browser:
	@[ "$$SPINBENCH_NO_BROWSER" = 1 ] || command -v chromium >/dev/null || \
	  command -v chromium-browser >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing: sudo apt-get install chromium (or SPINBENCH_NO_BROWSER=1)"; \
	    exit 1; \
	  fi; }

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml constraints.txt | $(VENV)/bin/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(VENV)/bin/python
	$(PIP) -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
