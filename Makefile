# The verbs people type. `make run` and `make test` are the README's two commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
RUN_CACHE := $(CURDIR)/.cache/run

.PHONY: run test lint format migrations-check bench setup clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the pinned dependencies change. --no-compile: pip would byte-compile every
# module of the 1.9 GB it installs (torch, transformers, sympy), most of them never imported;
# Python compiles the ones imported at their first import instead (a fresh install took 1.5 min
# instead of 3).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-compile -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

run: setup
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py create_local_accounts --url http://$(HOST)/
	@# Background work (retrain, refresh, analysis of uploads) runs in a task worker beside
	@# the dev server, as in production, so pages show its progress; it stops with the server.
	@# They share one cache (a folder): what the worker works out (alignments, explanations)
	@# reaches the pages.
	rm -rf $(RUN_CACHE)
	TASKS_BACKEND=database CACHE_URL=file://$(RUN_CACHE) $(BIN)/python manage.py task_worker & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	TASKS_BACKEND=database CACHE_URL=file://$(RUN_CACHE) $(BIN)/python manage.py runserver $(HOST)

# Runs the whole suite; DATABASE_URL picks PostgreSQL instead of SQLite.
test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: setup
	$(BIN)/python manage.py makemigrations --check --dry-run

# Prints the figures quoted in the issues; each script says what it measures.
bench: setup
	$(BIN)/python bench/attribution.py
	$(BIN)/python bench/classifier.py
	$(BIN)/python bench/actor_sentiment.py
	$(BIN)/python bench/compare.py
	$(BIN)/python bench/loop.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/faults.py
	$(BIN)/python bench/fuzz_upload.py
	$(BIN)/python bench/fuzz_inputs.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
