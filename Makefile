# The two commands: `make run` (embedded default: SQLite, eager Celery, console e-mail)
# and `make test` (the whole suite in parallel; PostgreSQL and Redis when DATABASE_URL / REDIS_URL
# are set). `make fuzz`: schemathesis over the whole API.
# `make e2e`: the browser journeys against gunicorn, a Celery worker, PostgreSQL and Redis.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
TEST_WORKERS ?= auto

.PHONY: install run test fuzz e2e lint format messages migrations-check clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# In parallel: one pytest-xdist worker per CPU (TEST_WORKERS=0: one process), each with its own
# test database. schemathesis' fuzzing of the whole API is `make fuzz` (.ci/run runs both).
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not api_fuzz" $(PYTEST_ARGS)

fuzz: $(STAMP)
	$(BIN)/python -m pytest -m api_fuzz $(PYTEST_ARGS)

# axe-core, pinned in tests/e2e/package.json, where the browser suite reads it.
AXE := tests/e2e/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/package.json
	cd tests/e2e && npm install --no-package-lock --no-audit --no-fund --ignore-scripts
	@touch $(AXE)

# Needs DATABASE_URL (PostgreSQL), REDIS_URL, CELERY_BROKER_URL and Chromium (/usr/bin/chromium).
e2e: $(STAMP) $(AXE)
	$(BIN)/python -m pytest tests/e2e -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Models against migration files: no database needed (nor the one DATABASE_URL may name, which
# need not exist yet), so an in-memory SQLite one stands in.
migrations-check: $(STAMP)
	DJANGO_DEBUG=1 DATABASE_URL=sqlite:///:memory: $(BIN)/python manage.py makemigrations --check --dry-run

# Regenerate the Spanish catalogues of every app and compile them (needs GNU gettext).
messages: $(STAMP)
	for app in clinic triage education scheduling portal; do \
	  (cd $$app && DJANGO_DEBUG=1 ../$(BIN)/python ../manage.py makemessages -l es --no-obsolete); \
	done
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l es --no-obsolete --ignore='clinic/*' --ignore='triage/*' --ignore='education/*' --ignore='scheduling/*' --ignore='portal/*' --ignore='.venv/*' --ignore='tests/*' --ignore='bench/*'
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --ignore='.venv'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache tests/e2e/node_modules tests/e2e/artifacts
