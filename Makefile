# Udvalgsportalen. `make run` and `make test` are the two commands in the README.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

# Installs come from the lock files, with hashes: requirements.txt (the portal) and
# requirements-dev.txt (the portal, tests and benchmarks). `make lock` regenerates them from
# pyproject.toml; `make lock-check` (run by CI) fails when they no longer match it.
# requirements-pip.txt pins pip itself, with its hash: the venv's own pip (23.2 on Python 3.11.7) resolves
# an extra such as weasyprint's fonttools[woff] to the newest release and refuses the hashed lock, so every
# venv is moved to this pip before anything else is installed.
PIP_VERSION := 26.3
LOCK_TOOLS := $(VENV)/lock-tools
PIP_TOOLS := pip==$(PIP_VERSION) pip-tools==7.6.2
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(abspath $(LOCK_TOOLS))/bin/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
# requirements-dev.txt is constrained by requirements.txt: both give the same version of a shared package.
COMPILE_LOCKS = echo "pip==$(PIP_VERSION)" | $(PIP_COMPILE) -o requirements-pip.txt - \
	&& $(PIP_COMPILE) -o requirements.txt pyproject.toml \
	&& $(PIP_COMPILE) --extra dev --extra bench -c requirements.txt -o requirements-dev.txt pyproject.toml

.PHONY: run test lint install install-dev bench messages clean backup restore lock lock-upgrade lock-check

# A stamp, not bin/python: that is a link to the system's Python, older than any file here.
$(VENV)/.pip: requirements-pip.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-pip.txt
	touch $@

$(VENV)/.installed: requirements.txt pyproject.toml $(VENV)/.pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt pyproject.toml $(VENV)/.pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Set up and serve the portal on SQLite with in-process tasks, seed data, demo users and demo data.
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_seed_data
	DEBUG=1 $(BIN)/python manage.py create_demo_users
	DEBUG=1 $(BIN)/python manage.py load_demo_data
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

## Run the whole test suite (SQLite without services; PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set).
## Lint and format check (ruff, configured in pyproject.toml); `ruff format .` and `ruff check --fix .` repair.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(VENV)/.installed-bench: $(VENV)/.installed-dev  # the bench extra is in requirements-dev.txt
	touch $@

## Benchmarks (not tests): figures are printed and written to bench-results/. Needs PostgreSQL and Redis.
bench: install-dev $(VENV)/.installed-bench
	$(BIN)/python tests/benchmark/bench_goals.py sqlite
	$(BIN)/python tests/benchmark/bench_goals.py postgres
	$(BIN)/python tests/benchmark/bench_budget.py sqlite
	$(BIN)/python tests/benchmark/bench_budget.py postgres
	$(BIN)/python tests/benchmark/bench_import.py sqlite
	$(BIN)/python tests/benchmark/bench_import.py postgres
	$(BIN)/python tests/benchmark/bench_load.py
	$(BIN)/python tests/benchmark/bench_faults.py
	$(BIN)/python tests/benchmark/bench_backup.py
	$(BIN)/python tests/benchmark/bench_fuzz.py postgres
	HYPOTHESIS_PROFILE=bench $(BIN)/python -m pytest tests/plans/imports/test_reading.py -q -p no:cacheprovider

## Back up the database (pg_dump) and the uploaded files with a manifest into BACKUP_DIR (var/backups/).
backup: install
	$(BIN)/python manage.py backup

## Restore a backup into an EMPTY database (DATABASE_URL) and MEDIA_ROOT: make restore BACKUP=var/backups/udvalgsportalen-…
restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=<backup directory>" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)"

## Regenerate the lock files from pyproject.toml (keeps every pin that still fits; needs PyPI).
lock: $(LOCK_TOOLS)/bin/pip-compile
	$(COMPILE_LOCKS)

## The same, moving every package to its newest version that pyproject.toml allows.
lock-upgrade: LOCK_ARGS = --upgrade
lock-upgrade: lock

## CI: the lock files match pyproject.toml (compiled again in a scratch folder, then compared).
lock-check: $(LOCK_TOOLS)/bin/pip-compile
	@scratch=$$(mktemp -d) && cp pyproject.toml requirements-pip.txt requirements.txt requirements-dev.txt $$scratch/ \
	  && (cd $$scratch && $(COMPILE_LOCKS)) \
	  && diff -u requirements-pip.txt $$scratch/requirements-pip.txt && diff -u requirements.txt $$scratch/requirements.txt && diff -u requirements-dev.txt $$scratch/requirements-dev.txt; \
	  status=$$?; rm -rf $$scratch; \
	  if [ $$status -ne 0 ]; then echo "The lock files do not match pyproject.toml: run 'make lock' and commit them." >&2; exit 1; fi
	@echo "The lock files match pyproject.toml."

$(LOCK_TOOLS)/bin/pip-compile:
	$(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/pip install --quiet $(PIP_TOOLS)

## Rebuild the English message catalogue after changing texts (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache
