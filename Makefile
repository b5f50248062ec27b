# jobfair: `make run` serves the app on SQLite with demo data (gunicorn and the job
# runner's worker, stopped together); `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export FLASK_APP := jobfair

.PHONY: run test lint translations extract-messages migration clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

translations: $(VENV)/.runtime
	$(BIN)/pybabel compile -d jobfair/translations

run: export JOBFAIR_ENV ?= development
run: export PUBLIC_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.runtime translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo "jobfair is at http://$(HOST):$(PORT)/"
	@# The job runner's worker runs beside gunicorn and is stopped with it.
	$(BIN)/flask jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --no-control-socket --access-logfile - wsgi:app

test: $(VENV)/.dev translations
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

# Developers: refresh the catalogue after adding or changing user-visible strings.
# (flock: scripts/fill_translations.py takes the same lock.)
extract-messages: $(VENV)/.runtime
	flock jobfair/translations/.lock sh -c '\
	  $(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_plural:1,2 -o jobfair/translations/messages.pot . && \
	  $(BIN)/pybabel update -N -i jobfair/translations/messages.pot -d jobfair/translations'
	$(BIN)/pybabel compile -d jobfair/translations

migration: $(VENV)/.runtime
	$(BIN)/flask db migrate -m "$(MESSAGE)"

clean:
	rm -rf $(VENV) instance .pytest_cache
