# Newsdesk: the README's commands. `make run` and `make test` set everything up themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test e2e lint format migrate demo worker scheduler serve loadtest backup restore check-deploy bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Newsdesk needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

migrate: $(VENV)/.runtime-installed
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

## run: set up, load the demo desk, and serve it with the task worker and the scheduler.
run: demo
	@echo "Newsdesk on http://$(HOST):$(PORT)/  (admin: /admin/)  Ctrl-C stops server, worker and scheduler."
	@PYTHON=$(BIN)/python scripts/run-dev.sh $(HOST):$(PORT)

## worker: db_worker, or with TASKS_BACKEND=rq an RQ worker (scripts/worker.sh).
worker: $(VENV)/.runtime-installed
	PYTHON=$(BIN)/python scripts/worker.sh

scheduler: $(VENV)/.runtime-installed
	$(MANAGE) run_scheduler

## serve: production web node (settings from the environment): collectstatic, then gunicorn.
WORKERS ?= 4
serve: $(VENV)/.runtime-installed
	DJANGO_SETTINGS_MODULE=newsdesk.settings.production $(MANAGE) collectstatic --noinput
	DJANGO_SETTINGS_MODULE=newsdesk.settings.production $(BIN)/gunicorn newsdesk.wsgi \
		--workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - --access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)s'

## loadtest: two loopback nodes under wrk for DURATION seconds, with crashes (scripts/loadtest.py).
DURATION ?= 60
loadtest: $(VENV)/.dev-installed
	$(BIN)/python scripts/loadtest.py --duration $(DURATION)

## backup / restore: pg_dump -Fc / pg_restore, or SQLite's online backup (scripts/db_backup.py).
backup: $(VENV)/.runtime-installed
	$(BIN)/python scripts/db_backup.py backup $(FILE)

restore: $(VENV)/.runtime-installed
	@test -n "$(FILE)" || { echo "make restore FILE=backups/<file>: the backup to restore" >&2; exit 2; }
	$(BIN)/python scripts/db_backup.py restore $(FILE)

## test: the whole suite on SQLite, or on whatever DATABASE_URL points at, on every core
## (pytest-xdist; TEST_WORKERS=0 runs it in one process). Each worker has its own test database;
## the browser tests (tests/e2e) share one worker, and run when Debian's chromium is on PATH.
TEST_WORKERS ?= auto
test: $(VENV)/.dev-installed
	@command -v chromium >/dev/null || echo "make test: chromium not found, SKIPPING the browser tests (tests/e2e); apt-get install chromium"
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

## e2e: only the browser tests; fails when chromium is missing or cannot start (docs/testing.md).
e2e: $(VENV)/.dev-installed
	$(BIN)/python -m tests.e2e.check_browser
	$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

# The long fuzz runs (DATABASE_URL picks the database): the API fuzz property (2,500 requests),
# schemathesis against the served schema (200 per operation: 2,200 requests) and the visibility
# matrix over 40 generated newsrooms. CI runs the same tests with small counts.
fuzz: $(VENV)/.dev-installed
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-2500} SCHEMATHESIS_EXAMPLES=$${SCHEMATHESIS_EXAMPLES:-200} \
	VISIBILITY_EXAMPLES=$${VISIBILITY_EXAMPLES:-40} $(BIN)/pytest -q -s -p no:cacheprovider \
	  tests/api/test_fuzz.py tests/security/test_schema_fuzz.py tests/security/test_visibility_matrix.py

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=newsdesk.settings.test $(MANAGE) makemigrations --check --dry-run

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: $(VENV)/.runtime-installed
	DJANGO_SETTINGS_MODULE=newsdesk.settings.production \
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
	ALLOWED_HOSTS=example.org PUBLIC_BASE_URL=https://example.org $(MANAGE) check --deploy --fail-level WARNING

# The benchmark (bench/REPORT.md, docs/adr/0016-performance-at-scale.md), PostgreSQL only: generates
# the 100k-article corpus when the database has none, then stage 1 in process and stage 2 over HTTP
# (gunicorn -w 2 + wrk: apt-get install -y wrk). BENCH_ARGS="--articles 2000 --rounds 5" for a quick one.
BENCH_ARGS ?= --http
bench: $(VENV)/.dev-installed
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "make bench: needs DATABASE_URL=postgres://..."; exit 2;; esac
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@command -v wrk >/dev/null || echo "make bench: wrk not found, stage 2 (HTTP) will be skipped (apt-get install -y wrk)"
	DJANGO_SETTINGS_MODULE=bench.settings $(BIN)/python -m bench.harness $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
