# The public interface: serve, build, offline, check, test, bench. Every target sets itself up on a fresh clone.
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
PYTHON   ?= python3
ADDR     ?= 127.0.0.1:8000
# Material 9.8 prints an end-of-life and a MkDocs 2.0 banner on every build; the README explains the pins.
export NO_MKDOCS_2_WARNING := 1
# Text is UTF-8 whatever the locale (and `make serve LANG=fr` sets LANG to a code, not a locale).
export PYTHONUTF8 := 1
# `make serve LANG=fr`: preview one language only. LANG from the environment is the locale: ignored.
ifeq ($(origin LANG),command line)
SERVE_LANG := KB_LANG=$(LANG) LANG=C.UTF-8
endif

SITE_DIR     ?= site
OFFLINE_SITE ?= .offline-site
OFFLINE_ZIP  ?= dist/guide-offline.zip

.PHONY: setup browser serve build offline check lint test bench fuzz clean

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
	$(SERVE_LANG) $(BIN)/mkdocs serve --dev-addr $(ADDR)

# Built next to site/ and swapped in only when the whole build succeeded: a failed build leaves
# the previous site untouched.
build: setup
	rm -rf $(SITE_DIR).new
	$(BIN)/mkdocs build --strict --site-dir $(SITE_DIR).new
	rm -rf $(SITE_DIR).old
	if [ -e $(SITE_DIR) ]; then mv $(SITE_DIR) $(SITE_DIR).old; fi
	mv $(SITE_DIR).new $(SITE_DIR)
	rm -rf $(SITE_DIR).old

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

# The fuzz test with 10,000 examples (make test runs 1,000).
fuzz: setup
	KB_FUZZ_EXAMPLES=10000 $(BIN)/pytest tests/test_hardening.py -k fuzz

clean:
	rm -rf site dist .bench $(OFFLINE_SITE)
