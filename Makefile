# Two entry points for a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
# The constraints file pins the verified framework versions (torch 2.13.0 CPU build).
PIP     = PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: report test lint setup bench profile check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e ".[frameworks,dev]"
	touch $@

setup: $(VENV)/.installed

# The main job: run every shipped spec and write reports/ (pages, JSON, index.md).
report: setup
	$(BIN)/apicompat report specs --out reports

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check apicompat tests
	$(BIN)/mypy
	$(BIN)/lint-imports

# The whole test suite, lint first.
test: lint
	$(BIN)/pytest -n 2

# The CI conformance job: fail when measured differences leave the baseline.
check: setup
	$(BIN)/apicompat check specs --junit reports/junit.xml

# The benchmark: apicompat against a naive one-process loop, stage costs, every spec.
# Exits 1 when a target is missed (docs/performance.md). Not part of `make test`.
bench: setup
	$(BIN)/python benchmarks/run.py --ci

# Where one run's time goes, per process (py-spy, from the dev extra).
profile: setup
	$(BIN)/python benchmarks/profile_run.py --cases 2000
