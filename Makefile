# The one way in: `make demo`, `make test`, `make check`, `make bench`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2
export PODIUM_DATA_DIR ?= $(CURDIR)/data
# Python keeps the bytecode it compiles (__pycache__, git-ignored) even where the environment says not
# to: without it every process compiled all of Podium again, the test workers their test modules too
# (some 5 s of CPU per worker, 0.3 s per `podium` command the tests run; benchmarks/README.md).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo serve test test-sqlite test-postgres test-browser check lint format bench battery deploy-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

# The solver's compiled steps, compiled once into numba's cache (again whenever their source changes).
$(VENV)/.compiled: src/podium/scheduling/solver/timing.py src/podium/scheduling/solver/timing_steps.py $(VENV)/.installed
	$(BIN)/python -c "from podium.scheduling.solver.timing import warm_up; warm_up()"
	touch $@

# The interface's translations: each src/podium/locale/<language>/LC_MESSAGES/django.po compiled to the
# django.mo beside it (again whenever the .po changes) with polib, so no GNU gettext is needed; the .mo
# files are not in git (podium.base.catalogues).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard src/podium/locale/*/LC_MESSAGES/django.po))

src/podium/locale/%/LC_MESSAGES/django.mo: src/podium/locale/%/LC_MESSAGES/django.po | $(VENV)/.installed
	$(BIN)/python -m podium.base.catalogues $<

demo: $(VENV)/.installed $(VENV)/.compiled $(CATALOGUES)
	$(BIN)/podium demo

serve: $(VENV)/.installed $(VENV)/.compiled $(CATALOGUES)
	$(BIN)/podium serve

# The whole suite on the embedded default (SQLite), browser tests included.
test: $(VENV)/.installed-dev $(VENV)/.compiled $(CATALOGUES)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -p no:cacheprovider

# The same suite against PostgreSQL (server at 127.0.0.1:5432, trust auth), with branch coverage: the run
# fails below the floor in pyproject.toml ([tool.coverage.report] fail_under, the ratchet). Measuring
# costs the run about half again its time, so it is here and `make test` stays quick.
test-postgres: $(VENV)/.installed-dev $(VENV)/.compiled $(CATALOGUES)
	PODIUM_DATABASE_URL=$${PODIUM_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/podium} \
	  $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -p no:cacheprovider --cov --cov-report=

test-browser: $(VENV)/.installed-dev $(VENV)/.compiled $(CATALOGUES)
	$(BIN)/pytest -m browser -p no:cacheprovider

check: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/podium makemigrations --check --dry-run
	$(BIN)/pytest -q -p no:cacheprovider tests/test_meta.py tests/test_layers.py tests/test_inline_code.py

format: $(VENV)/.installed-dev
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

# The benchmarks (see benchmarks/README.md); the modules they share are not run on their own.
BENCHMARKS := schedule interop serving attendance solver startup

bench: $(VENV)/.installed-dev
	@for b in $(BENCHMARKS); do echo "== benchmarks/$$b.py"; $(BIN)/python benchmarks/$$b.py || exit 1; done

# Schemathesis and the kill -9 durability loop against a real `podium serve` (about 8 minutes; not part of
# `make test`). PostgreSQL with PODIUM_DATABASE_URL. See docs/reliability.md.
battery: $(VENV)/.installed-dev $(VENV)/.compiled
	$(BIN)/python benchmarks/battery.py

# The shipped deployment (deploy/) run for real: PostgreSQL and Redis (running), two `podium serve`, a
# Celery worker and nginx (installed from Debian's packages if missing) with deploy/nginx.conf; checks
# live updates across servers, exports from the files, log-in and the page cache (about 3 minutes; not
# part of `make test`). See docs/operations.md, "Deployment".
deploy-test: $(VENV)/.installed-dev $(VENV)/.compiled $(CATALOGUES)
	$(BIN)/python deploy/test.py

clean:
	rm -rf $(VENV) data .pytest_cache
