# The two commands of the quickstart are `make run` and `make test`; everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# `make run` serves this machine only; `make run HOST=0.0.0.0` opens it to the network.
HOST ?= 127.0.0.1

.DEFAULT_GOAL := help
.PHONY: help install run test test-pg test-slow lint fmt migrations-check messages vendor enketo browser

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) vendor ## Create .venv and install the project with its development tools

vendor: $(STAMP) enketo ## Fetch Leaflet and htmx (pinned, checksummed npm tarballs) into static/vendor/
	$(BIN)/python -m backend.web.vendor

# The web forms (docs/forms.md#web-forms): Enketo bundled with esbuild from the pinned
# package-lock.json. Without node the pages say the web forms are not built; nothing else needs it.
ENKETO := backend/web/enketo
ENKETO_OUT := backend/web/static/vendor/enketo/webform.js
enketo: ## Build the web forms' Enketo bundle into static/vendor/enketo/ (needs node and npm)
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(ENKETO_OUT); \
	else echo "node and npm are missing: the web forms (Enketo) are not built"; fi

$(ENKETO_OUT): $(ENKETO)/package.json $(ENKETO)/package-lock.json $(ENKETO)/build.mjs $(wildcard $(ENKETO)/src/*.js)
	cd $(ENKETO) && npm ci --no-audit --no-fund --loglevel=error && node build.mjs

# The browser tests use Debian's chromium; Playwright never downloads a browser of its own.
# A CJK font makes the Chinese pages readable in the screenshots.
browser: ## Install chromium and a Chinese font with apt when missing (needs root)
	@test -x /usr/bin/chromium -a -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || \
		(apt-get update -q && apt-get install -y -q chromium fonts-wqy-microhei)

messages: $(STAMP) ## Compile the translations (zh-hans, en)
	$(BIN)/python manage.py compile_translations

# The embedded default: one process, SQLite, in-process tasks. `--insecure` serves the static
# files without DEBUG; production serves them from nginx (docs/configuration.md). The demo's
# passwords are printed in the README, so the server listens beyond this machine only on request.
run: install messages ## Migrate, load the demo data and serve on 127.0.0.1:8000 (HOST=0.0.0.0 for the network)
	$(BIN)/python manage.py migrate --no-input
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py demo
	@if [ "$(HOST)" != "127.0.0.1" ] && [ "$(HOST)" != "localhost" ]; then \
		echo ""; \
		echo "WARNING: listening on $(HOST): anyone on this network can reach the server, and the"; \
		echo "demo passwords above are public. Use it only on a network you trust."; \
		echo ""; \
	fi
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

test: install messages ## Run the whole test suite on SQLite
	$(BIN)/python -m pytest -n auto -m "not slow"

test-pg: install messages ## Run the suite on PostgreSQL (DATABASE_URL, default: local server, database test)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -n 2 -m "not slow"

test-slow: install messages ## Run the slow tests (ODK Validate needs Java)
	$(BIN)/python -m pytest -m slow

# The interfaces (OpenRosa, the JSON API, the pages and their forms) read and write through
# selectors and services: no ORM query of their own.
INTERFACES := sync/ 'backend/api.py' 'backend/**/api.py' 'backend/**/pages.py' \
	'backend/**/views.py' 'backend/**/*_views.py' 'backend/**/*_page.py' 'backend/**/forms.py' \
	'forms/api.py' 'forms/pages.py' 'forms/views.py' 'forms/forms.py'

lint: install ## ruff, import contracts, mypy, and no ORM queries in sync/, the API and the pages
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	! git grep -n "\.objects\." -- $(INTERFACES)

fmt: install ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install ## Fail when a model change has no migration
	$(BIN)/python manage.py makemigrations --check --dry-run
