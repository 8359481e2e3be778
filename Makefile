PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint format messages ci venv

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(STAMP)

## Demo on SQLite with eager Celery: migrate, load the demo district, print the logins, serve :8000.
run: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## The whole suite; uses DATABASE_URL / CELERY_BROKER_URL when they are set.
test: venv
	$(BIN)/pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Refresh the zh_Hans catalog from the source, then compile it (needs GNU gettext).
messages: venv
	$(BIN)/python manage.py makemessages -l zh_Hans --no-location --ignore=.venv --ignore=staticfiles --ignore=tests
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

ci:
	bash .ci/run
