# JTVC: `make run` to try it, `make test` to check it. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: help install run test serve lint format bench bench-churn bench-import clean

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@PYTHON="$${PYTHON:-$$(scripts/find-python)}" || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  echo "Creating $(VENV) with $$PYTHON"; rm -rf $(VENV); "$$PYTHON" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check \
	  --config-settings editable_mode=compat -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install JTVC with its test tools

run: export DJANGO_DEBUG ?= 1
run: export JTVC_TASKS ?= immediate
run: $(STAMP) ## set up, load demo content and serve on http://127.0.0.1:8000/
	$(PY) manage.py migrate --noinput -v 1
	$(PY) manage.py seed_demo
	$(PY) manage.py ensure_local_admin
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP) ## lint, checks, the suite on SQLite and PostgreSQL, browser tests
	scripts/test.sh

serve: $(STAMP) ## production-like: gunicorn, DEBUG off, hashed static files
	scripts/serve.sh

lint: $(STAMP) ## ruff check and format check
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(STAMP) ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

bench: $(STAMP) ## the reader site on the shared corpus (BENCH_POSTS=10000): four rows, five pages
	scripts/bench.sh

bench-churn: $(STAMP) ## edge-cache hit ratio while an editor edits once a minute (CHURN_MINUTES=10)
	scripts/bench.sh churn

bench-import: $(STAMP) ## time the WordPress import of ../shared/wxr/bench-1000 (per post, peak RSS)
	scripts/bench_import.sh

clean: ## remove the virtualenv, local database, media and collected static files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles
