# Callsheet: `make run` serves the demo studio, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
# Links in e-mails and the iCal feed lead to the port served, unless SITE_URL says otherwise.
SITE_URL ?= http://127.0.0.1:$(PORT)
BIN := $(VENV)/bin
# Callsheet starts in production mode unless told otherwise; these targets are for a
# developer's machine and ask for development mode (`make run DEBUG=false` overrides).
migrate seed run worker beat test test-scale test-fast: export DEBUG = true

.PHONY: run install install-dev test test-scale test-fast worker beat require-redis migrate seed lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo --if-empty

run: seed
	@echo ""
	@echo "Callsheet demo studio: $(SITE_URL)"
	@echo "Demo logins (password: callsheet-demo):"
	@echo "  pm          production manager -> dashboard"
	@echo "  creative    creative           -> my day"
	@echo "  freelancer  freelancer         -> my day"
	@echo "  brand       brand manager      -> requests"
	@echo "  exec        executive          -> dashboard"
	@echo "  admin       superuser          -> Django admin"
	@echo ""
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The whole suite; against PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set.
test: install-dev
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# The demo at scale 1 and 10 side by side: the money pages' queries must not grow (minutes).
test-scale: install-dev
	CALLSHEET_SCALE_TESTS=1 $(BIN)/python -m pytest -m scale $(PYTEST_ARGS)

test-fast: install-dev
	$(BIN)/python -m pytest -x -m "not e2e" $(PYTEST_ARGS)

require-redis:
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0): without it tasks run in-process and need no worker."; exit 2; }

worker: install require-redis
	SITE_URL=$(SITE_URL) $(BIN)/celery -A studio worker --loglevel INFO --concurrency 2

beat: install require-redis
	$(BIN)/celery -A studio beat --loglevel INFO

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
