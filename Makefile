# Two commands: `make run` (set up + serve the demo) and `make test` (set up + whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app run
export HMIS_DEMO_MODE ?= 1

.PHONY: run test setup translations compile-translations migrate clean bench-http

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed compile-translations

compile-translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations >/dev/null

migrate: setup
	$(FLASK) db upgrade

# HOST=0.0.0.0 serves the pilot's LAN (the other counter PCs open http://<this PC's IP>:5000).
HOST ?= 127.0.0.1
PORT ?= 5000
run: migrate
	$(FLASK) hmis seed-demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Load over HTTP: gunicorn + PostgreSQL (HMIS_DATABASE_URL, a throw-away database) with
# BENCH_PATIENTS patients; results in bench/results/, table in `python bench/report.py`.
BENCH_PATIENTS ?= 1000000
bench-http: setup
	@test -n "$$HMIS_DATABASE_URL" || (echo "set HMIS_DATABASE_URL to a throw-away PostgreSQL database" && false)
	$(BIN)/python bench/http_load.py $(BENCH_PATIENTS)

# Re-extract messages (ours, Flask-AppBuilder's, WTForms') and merge into the catalogues.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k _ --no-location \
	    --sort-output -o translations/app.pot app
	$(BIN)/python translations/merge_pot.py translations/app.pot translations/fab.pot \
	    "$$($(BIN)/python -c 'from wtforms.i18n import messages_path; print(messages_path())')/wtforms.pot" \
	    > translations/messages.pot
	rm translations/app.pot
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) instance/hmis.sqlite3
