# Udvalgsportalen. `make run` and `make test` are the two commands in the README.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev bench messages clean backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Set up and serve the portal on SQLite with in-process tasks, seed data and demo users.
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_seed_data
	DEBUG=1 $(BIN)/python manage.py create_demo_users
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

## Run the whole test suite (SQLite without services; PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set).
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[bench]"
	touch $@

## Benchmarks (not tests): figures are printed and written to bench-results/. Needs PostgreSQL and Redis.
bench: install-dev $(VENV)/.installed-bench
	$(BIN)/python tests/benchmark/bench_goals.py sqlite
	$(BIN)/python tests/benchmark/bench_goals.py postgres
	$(BIN)/python tests/benchmark/bench_import.py sqlite
	$(BIN)/python tests/benchmark/bench_import.py postgres
	$(BIN)/python tests/benchmark/bench_load.py
	$(BIN)/python tests/benchmark/bench_faults.py
	$(BIN)/python tests/benchmark/bench_backup.py
	$(BIN)/python tests/benchmark/bench_fuzz.py postgres
	HYPOTHESIS_PROFILE=bench $(BIN)/python -m pytest tests/test_import_bounds.py -q -p no:cacheprovider

## Back up the database (pg_dump) and the uploaded files with a manifest into BACKUP_DIR (var/backups/).
backup: install
	$(BIN)/python manage.py backup

## Restore a backup into an EMPTY database (DATABASE_URL) and MEDIA_ROOT: make restore BACKUP=var/backups/udvalgsportalen-…
restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=<backup directory>" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)"

## Rebuild the English message catalogue after changing texts (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache
