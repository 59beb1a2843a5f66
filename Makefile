# The public interface: serve, build, check, test, bench. Every target sets itself up on a fresh clone.
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
PYTHON   ?= python3
ADDR     ?= 127.0.0.1:8000
# Material 9.8 prints an end-of-life and a MkDocs 2.0 banner on every build; the README explains the pins.
export NO_MKDOCS_2_WARNING := 1

OFFLINE_SITE ?= .offline-site
OFFLINE_ZIP  ?= dist/guide-offline.zip

.PHONY: setup browser serve build offline check lint test bench clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -e .
	touch $@

setup: $(STAMP)

# Tests drive Debian's Chromium; it is installed from Debian's packages, never downloaded by a test tool.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

serve: setup
	$(BIN)/mkdocs serve --dev-addr $(ADDR)

build: setup
	$(BIN)/mkdocs build --strict

# The guide as one zip that opens from file:// with navigation, language switcher and search.
offline: setup
	KB_OFFLINE=true $(BIN)/mkdocs build --strict --site-dir $(OFFLINE_SITE)
	$(BIN)/python -m kb.offline $(OFFLINE_SITE) $(OFFLINE_ZIP)

check: setup
	$(BIN)/kb check --strict

lint: setup
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests

test: setup browser lint check
	$(BIN)/pytest

# Speed and size goals live here, never in timed tests. Results: .bench/results.json
bench: setup
	$(BIN)/python -m kb.bench

clean:
	rm -rf site dist .bench $(OFFLINE_SITE)
