# Two commands on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py

.PHONY: install lock lock-check audit system-deps messages compilemessages migrate seed run test lint check bench bench-search load clean docker-test

# Exactly the locked versions, hash-checked; then the project itself, without dependencies.
# --clear starts from an empty venv, so packages dropped from the lock do not linger.
$(VENV)/.installed: pyproject.toml requirements/dev.txt
	$(PYTHON) -m venv --clear $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements/dev.txt
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

# Regenerate requirements/base.txt and requirements/dev.txt from pyproject.toml with uv,
# keeping current pins where they still fit. Upgrade: make lock LOCK_ARGS="--upgrade-package django"
# (or LOCK_ARGS=--upgrade for everything).
lock: install
	$(PY) scripts/lock.py compile $(LOCK_ARGS)

# Fails when pyproject.toml and the lock files disagree; says so when the index is unreachable.
lock-check: install
	$(PY) scripts/lock.py check

# pip-audit against the locked versions of requirements/dev.txt (runtime and dev packages).
# Exit 0 clean, 1 vulnerabilities, 2 advisory source unreachable. AUDIT_ARGS="--service osv".
audit: install
	$(PY) scripts/audit.py $(AUDIT_ARGS)

# Debian packages the browser tests and gettext tooling need; installed only when missing.
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else echo "Please install:$$missing (e.g. sudo apt-get install$$missing)"; exit 1; fi; \
	fi

compilemessages: install
	$(MANAGE) compilemessages --ignore=.venv -v 0

# Regenerate the Swedish catalogue from templates and code, then compile it.
messages: install
	$(MANAGE) makemessages --locale sv --ignore=.venv --ignore=tests --ignore=bench/node_modules --no-obsolete --add-location file
	$(MANAGE) compilemessages --ignore=.venv -v 0

migrate: install
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo
	$(MANAGE) rebuild_portal_search

run: compilemessages seed
	$(MANAGE) ensure_dev_superuser
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install lock-check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) makemigrations --check --dry-run

# Tests in one process per core (pytest-xdist), each process in pytest-django's order (tests
# that empty the database last); modules marked xdist_group stay in one process, so their
# costly fixtures are built once. TEST_WORKERS=0 runs them all in this process.
TEST_WORKERS ?= auto
test: install system-deps compilemessages lint check
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) static_collected test-artifacts

# Page speed per page type against a bare view: gunicorn with production settings and wrk
# over a throwaway database with 1 000 stories (SQLite; PostgreSQL with DATABASE_URL=
# postgres://…:5432). Exit 1 only on a 5xx or failed request. BENCH_ARGS="--quick".
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk; } || { echo "Please install wrk"; exit 1; }
	$(PY) bench/page_bench.py $(BENCH_ARGS)

# Search latency over 1 000 generated pages per language, in a throwaway PostgreSQL
# database (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432).
bench-search: install
	$(PY) bench/search_bench.py $(BENCH_SEARCH_ARGS)

# Growth from 1 000 to 10 000 and 100 000 pages against the scaling targets: throwaway
# PostgreSQL databases on DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432),
# one Markdown table. BENCH_SCALE_ARGS="--sizes 1000 10000" (quicker), "--sqlite", "--keep".
.PHONY: bench-scale
bench-scale: install
	$(PY) bench/scale_bench.py $(BENCH_SCALE_ARGS)

# 60 s of wrk at 32 connections against gunicorn with production settings on PostgreSQL;
# fails on any 5xx or failed request. LOAD_ARGS="--duration 30 --connections 16".
load: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk; } || { echo "Please install wrk"; exit 1; }
	$(PY) bench/load.py $(LOAD_ARGS)

# Builds the production image and runs docker-compose.yml (with docker-compose.test.yml)
# here, checked over HTTP; installs docker.io, debootstrap and docker-compose when missing
# (as root). Needs no virtualenv: system Python. See scripts/docker_test.py.
docker-test:
	python3 scripts/docker_test.py

.PHONY: backup restore
BACKUP_DIR ?= backups

# One archive with the database dump, the uploaded media and a manifest:
# $(BACKUP_DIR)/portal-YYYYmmdd-HHMMSS.tar.gz (see README, Backups).
backup: install
	$(MANAGE) backup --output-dir "$(BACKUP_DIR)" $(BACKUP_ARGS)

# Into the (empty) database of DATABASE_URL and MEDIA_ROOT, then migrate and reindex.
# make restore BACKUP=backups/portal-….tar.gz [RESTORE_ARGS=--force]
restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=backups/portal-YYYYmmdd-HHMMSS.tar.gz [RESTORE_ARGS=--force]"; exit 2; }
	$(MANAGE) restore "$(BACKUP)" $(RESTORE_ARGS)

# Lighthouse (mobile, simulated throttling) on one page of every page type in both
# languages, against gunicorn with production settings on a throwaway SQLite database;
# fails when a median performance score is below 0.95. LIGHTHOUSE_ARGS="--runs 5".
.PHONY: lighthouse
bench/node_modules/.installed: bench/package.json bench/package-lock.json
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq nodejs npm; } || { echo "Please install Node.js and npm"; exit 1; }
	cd bench && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

lighthouse: install system-deps bench/node_modules/.installed
	$(PY) bench/lighthouse.py $(LIGHTHOUSE_ARGS)

# A contact sheet of the look: every page type in both languages at 390 and 1280 px, in
# the light and the dark colour scheme, from gunicorn with production settings on a
# throwaway SQLite database, into test-artifacts/look/index.html (see scripts/screenshots.py).
# SCREENSHOTS_ARGS="--only StoryPage HomePage --widths 1280".
.PHONY: screenshots
screenshots: install system-deps compilemessages
	$(PY) scripts/screenshots.py $(SCREENSHOTS_ARGS)
