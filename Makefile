# Kyora developer commands. `make run` and `make test` set everything up themselves.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
PG_TEST_DB := kyora_test_$(shell date +%s%N)

.PHONY: run install install-dev translations migrate demo test test-postgres lint format chromium extract-messages bench clean trim-css

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: install
	$(BIN)/pybabel compile --use-fuzzy -d kyora/translations

migrate: install translations
	$(BIN)/flask db upgrade

demo: migrate
	$(BIN)/flask kyora demo

run: demo
	@echo "Kyora is starting on http://127.0.0.1:5000"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Debian's Chromium drives the browser tests (Playwright cannot download browsers here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "chromium is missing and cannot be installed here: browser tests will be skipped"; fi; \
	fi

test: install-dev translations chromium
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: install-dev translations chromium
	@command -v createdb >/dev/null || { echo "PostgreSQL client tools are missing"; exit 1; }
	createdb -h $${PGHOST:-/var/run/postgresql} -U $${PGUSER:-postgres} $(PG_TEST_DB)
	KYORA_TEST_DATABASE_URL="postgresql+psycopg://$${PGUSER:-postgres}@/$(PG_TEST_DB)?host=$${PGHOST:-/var/run/postgresql}" \
	  $(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS); status=$$?; \
	  dropdb -h $${PGHOST:-/var/run/postgresql} -U $${PGUSER:-postgres} --if-exists $(PG_TEST_DB); exit $$status

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o kyora/translations/messages.pot --no-location --omit-header --sort-output --ignore-dirs ".*" .
	$(BIN)/pybabel update -i kyora/translations/messages.pot -d kyora/translations -l en --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel update -i kyora/translations/messages.pot -d kyora/translations -l ar --no-fuzzy-matching --ignore-obsolete -w 100

bench: install-dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/kyora.db

# Pico without the rules Kyora never uses (needs `npm install -g purgecss@6`).
# Rerun after adding Pico classes or elements to templates, then commit the result.
trim-css:
	NODE_PATH="$$(npm root -g)" node static/vendor/trim-pico.cjs
