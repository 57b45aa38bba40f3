# Two commands: `make run` serves the app with demo data; `make test` runs every test.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app improvement
PO := improvement/translations/da/LC_MESSAGES/messages.po
MO := $(PO:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install messages lint serve-gunicorn bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed $(MO)

# The Danish catalogue is compiled at setup; .mo files are build output, not committed.
$(MO): $(PO) $(VENV)/.installed
	$(VENV)/bin/pybabel compile --use-fuzzy -d improvement/translations

run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Re-extract message ids after changing texts in code or templates, then translate the
# new entries in $(PO) (English ids, Danish strings).
messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location \
		--sort-output -o improvement/translations/messages.pot improvement templates
	$(VENV)/bin/pybabel update -i improvement/translations/messages.pot \
		-d improvement/translations --width 100 --ignore-obsolete

serve-gunicorn: install
	$(FLASK) db upgrade
	$(VENV)/bin/gunicorn --workers 2 --bind $(HOST):$(PORT) wsgi:app

# Benchmark against a synthetic national-size data set (SQLite in instance/ unless
# DATABASE_URL is set; for PostgreSQL: DATABASE_URL=postgresql://... make bench).
BENCH_DB ?= sqlite:///$(CURDIR)/instance/bench.sqlite
bench: install
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DB)} $(FLASK) db upgrade
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DB)} $(FLASK) seed-scale --size $${SIZE:-national}
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DB)} $(PY) bench/run.py
