# Luneo — `make run` starts everything on embedded servers; `make test` runs the checks and the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lock lint format bench bench-smoke stop clean widget widget-check

# requirements/*.txt name what we use; requirements/*.lock pin everything with hashes (`make lock`).
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements/dev.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	touch $(STAMP)

install: $(STAMP)

$(BIN)/pip-compile: | $(BIN)/python
	$(BIN)/pip install --quiet "$$(grep '^pip-tools==' requirements/dev.txt)"

lock: $(BIN)/pip-compile  ## after editing requirements/*.txt: requirements/*.lock (LOCK_ARGS="--upgrade-package X")
	$(PIP_COMPILE) $(LOCK_ARGS) --output-file requirements/dev.lock requirements/dev.txt
	$(PIP_COMPILE) $(LOCK_ARGS) --output-file requirements/production.lock requirements/production.txt

run: install  ## start PostgreSQL, Redis, web, worker and beat; seed the demo workspace
	$(BIN)/python -m config.run

test: lint  ## lint, then the whole suite (throwaway embedded servers unless DATABASE_URL/REDIS_URL)
	$(BIN)/python -m config.embedded exec --throwaway -- $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install  ## ruff, import layers, bandit (high severity), installed and locked requirements, migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/bandit --quiet --recursive apps config --severity-level high
	$(BIN)/pip check
	$(BIN)/python requirements/check_locks.py
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m config.embedded exec --throwaway -- \
		$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install  ## every benchmark in bench/, figures printed (docs/performance.md)
	$(BIN)/python -m config.embedded exec --throwaway -- $(BIN)/python -m bench

bench-smoke: install  ## every benchmark with a few iterations and no timing target: fails only if one breaks
	BENCH_SMOKE=1 $(BIN)/python -m config.embedded exec --throwaway -- $(BIN)/python -m bench

bench-%: install  ## one benchmark: make bench-provisioning, make bench-chaos, make bench-soak (BENCH_SOAK_SECONDS)
	$(BIN)/python -m config.embedded exec --throwaway -- $(BIN)/python -m bench $*

widget: install  ## rebuild the widget (widget/src → widget/dist/luneo.js); commit the result
	$(BIN)/python widget/build.py

widget-check: install  ## fail if the committed widget/dist/luneo.js differs from a fresh build
	$(BIN)/python widget/build.py --check

stop:  ## stop embedded servers left running (e.g. after kill -9)
	$(BIN)/python -m config.embedded stop

clean: stop
	rm -rf .data
