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

.PHONY: setup kb browser nginx gettext poppler npm serve serve-prod build build-local offline handouts check release-check lint test bench fuzz clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -e .
	touch $@

setup: $(STAMP)

# Tests drive Debian's Chromium; it is installed from Debian's packages, never downloaded by a test
# tool, with a font for each script the tests draw (the smallest Debian has: Thai fonts-thai-tlwg,
# Khmer fonts-khmeros, Arabic fonts-kacst-one), so that their pages render as on readers' machines.
FONTS := fonts-thai-tlwg fonts-khmeros fonts-kacst-one
browser:
	@{ command -v chromium >/dev/null 2>&1 && dpkg -s $(FONTS) >/dev/null 2>&1; } || { \
	  echo "Installing Debian's chromium and $(FONTS) (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium $(FONTS) >/dev/null; }

# The production server's tests and `make serve-prod` use Debian's nginx, installed the same way.
nginx:
	@test -x /usr/sbin/nginx || command -v nginx >/dev/null 2>&1 || { \
	  echo "Installing Debian's nginx (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

# npm packages the browser tests use (axe-core), pinned in package.json and package-lock.json.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --silent --no-audit --no-fund --omit=optional
	touch $@

npm: $(NODE_STAMP)

# gettext's msgfmt checks the PO files kb export writes (tests), as translators' tools would.
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "Installing Debian's gettext (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

# poppler-utils' pdftoppm, pdftotext and pdffonts read the printed handouts back (tests).
poppler:
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  echo "Installing Debian's poppler-utils (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }

serve: setup
	@echo "Live preview: http://$(ADDR)/ ($(if $(SERVE_LANG),$(LANG) only,every language)); Ctrl+C stops"
	$(SERVE_LANG) $(BIN)/mkdocs serve --dev-addr $(ADDR)

# `kb` without activating the virtual environment: make kb ARGS="check --lang fr"
kb: setup
	@$(BIN)/kb $(ARGS)

# The guide as it will be published: a build for this address, served by nginx with deploy/nginx.conf.
PROD_ADDR ?= 127.0.0.1:8080
serve-prod: setup nginx
	KB_SITE_URL=http://$(PROD_ADDR)/ $(BIN)/kb build --site-dir $(abspath $(SITE_DIR))
	$(BIN)/kb nginx-config --serve --site-dir $(abspath $(SITE_DIR)) --listen $(PROD_ADDR)

# A strict build in a new folder, swapped in whole with one rename (site is a link to it) under a
# lock: a failed or interrupted build leaves the previous site as it was; a second build waits.
# KB_SITE_URL, the address readers will open, is required: canonical links and the sitemap use it.
build: setup
	$(BIN)/kb build --site-dir $(abspath $(SITE_DIR))

# The same build for this machine only (mkdocs.yml's preview address, http://127.0.0.1:8000/).
build-local: setup
	KB_SITE_URL=local $(BIN)/kb build --site-dir $(abspath $(SITE_DIR))

# The guide as one zip that opens from file:// with navigation, language switcher and search.
offline: setup
	$(BIN)/kb build --offline --site-dir $(abspath $(OFFLINE_SITE))
	$(BIN)/python -m kb.site.offline $(OFFLINE_SITE) $(OFFLINE_ZIP)

# Handouts for trainers: the site built (KB_SITE_URL, as make build), each topic printed in each
# language by Chromium to dist/handouts/<lang>/<topic>.pdf (A4; PAPER=letter for Letter), and the
# site built again with them (the trainers' page links each topic's PDF in its language).
PAPER ?= a4
handouts: setup browser
	$(BIN)/kb handouts --site-dir $(abspath $(SITE_DIR)) --paper $(PAPER)

# Errors fail; missing or outdated translations never do; text warnings fail only in strings
# changed since KB_SINCE (CI passes the branch's base), or in `make release-check`.
check: setup
	$(BIN)/kb check $(if $(KB_SINCE),--since $(KB_SINCE))

release-check: setup
	$(BIN)/kb check --strict

# ruff, and the package's layers (tests/test_layers.py: no import cycle, no upward import).
lint: setup
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests
	$(BIN)/pytest -q -p no:cacheprovider tests/test_layers.py

# The tests in two pytest-xdist workers (each file in one: --dist loadgroup, tests/conftest.py),
# then the live preview's, alone: they wait on a server with time limits, and want a quiet machine.
test: setup browser nginx gettext poppler npm lint check
	$(BIN)/pytest -n 2 --dist loadgroup -m "not alone"
	$(BIN)/pytest -m alone

# Speed and size goals live here, never in timed tests. Results: .bench/results.json
bench: setup browser
	npm ci --silent --no-audit --no-fund  # with Lighthouse (an optional dependency: not for make test)
	touch $(NODE_STAMP)
	$(BIN)/python -m kb.dev.bench

# The fuzz tests with 10,000 examples each (make test runs 1,000 of the Markdown one, 250 of the YAML one).
fuzz: setup
	KB_FUZZ_EXAMPLES=10000 $(BIN)/pytest tests/test_hardening.py tests/test_markdown_safety.py -k "fuzz or markdown_safety"

clean:
	rm -rf site .site.builds .site.lock dist .bench $(OFFLINE_SITE) .offline-site.builds .offline-site.lock
