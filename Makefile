# Every target creates and uses its own virtualenv, so a fresh clone needs only Python >= 3.11 and
# make. Installs come from the committed uv.lock (uv sync --locked): the lock is the truth, and a
# pyproject.toml changed without a new lock fails loudly instead of resolving something new.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The demo's folder; empty: demo/ (demo-se/, demo-no/, demo-dk/ for DEMO_ARGS=--market se …)
DEMO_DIR ?=
# uv itself is bootstrapped from PyPI with Python's own pip into a small venv of its own, at a
# pinned version, so the installer is as reproducible as what it installs.
UV_VERSION := 0.13.10
UV_HOME := .uv
UV := $(UV_HOME)/bin/uv
# uv works on $(VENV) with the machine's Python and never downloads an interpreter.
UV_ENV := UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never UV_PYTHON=$(PYTHON)

.PHONY: sync install tools demo test lint typecheck docs pytest bench lock upgrade clean

$(UV):
	$(PYTHON) -m venv $(UV_HOME)
	$(UV_HOME)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

## sync: make $(VENV) exactly what uv.lock says (the project, editable, and the dev group); a
## no-op in well under a second when it already is. Bytecode is compiled at install, as pip does.
sync: $(UV)
	@$(UV_ENV) $(UV) lock --check --quiet || { \
	    echo "uv.lock does not match pyproject.toml: run 'make lock' (keeps every other version)" \
	         "or 'make upgrade', then commit uv.lock" >&2; exit 1; }
	@$(UV_ENV) $(UV) sync --locked --compile-bytecode --quiet

install: sync tools

## tools: system programs the tests use: pdftoppm (Debian's poppler-utils) to look at PDF pages,
## and Debian's chromium for the browser tests (Playwright drives it; no browser is downloaded)
tools:
	@command -v pdftoppm >/dev/null || (apt-get update -qq && apt-get install -y -qq poppler-utils)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

## demo: generate sample invoices, import them and export them to the built-in emulator; ends
## with the command that opens the same demo in the browser (DEMO_ARGS=--serve does that too)
demo: sync
	$(BIN)/python -m procountor_export.demo $(if $(DEMO_DIR),--dir $(DEMO_DIR)) $(DEMO_ARGS)

## test: the whole quality gate: lint, format check, strict typing, the docs site, then every test
test: lint typecheck docs pytest

lint: sync
	$(BIN)/ruff check src tests benchmarks docs/hooks
	$(BIN)/ruff format --check src tests benchmarks docs/hooks

typecheck: sync
	$(BIN)/mypy --strict src/procountor_export

## docs: build the documentation site strictly (offline; a broken link or page fails) into site/
docs: sync
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir site

# Tests run in parallel processes (pytest-xdist): twice as many as there are cores, because many
# tests wait on subprocesses, servers and the rate limit rather than compute (measured in
# docs/development.md); worksteal evens out the few long tests. TEST_WORKERS=0 runs them in one.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) * 2 )))
# pytest exits 5 when it collected no test: that is a failure here, not a pass.
pytest: sync tools
	@$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --durations=15 $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "no tests were collected: failing" >&2; exit 1; fi; \
	exit $$status

## bench: export throughput against the emulator over loopback (cold, warm, warm + PDF): calls per
## invoice, invoices/s, share of the rate limit, 429s, latency per endpoint, peak memory.
## BENCH_ARGS="--json --invoices 1000 --companies 3"; `python -m benchmarks` runs the others.
bench: sync
	$(BIN)/procountor-export bench $(BENCH_ARGS)

## lock: write uv.lock anew after a change to pyproject.toml, moving no other version
lock: $(UV)
	$(UV_ENV) $(UV) lock

## upgrade: move every locked version to the newest the ranges allow, then run the whole gate;
## commit uv.lock when it passes (docs/development.md: "Upgrading")
upgrade: $(UV)
	$(UV_ENV) $(UV) lock --upgrade
	$(MAKE) test

clean:
	rm -rf $(VENV) $(UV_HOME) $(or $(DEMO_DIR),demo demo-se demo-no demo-dk) site .pytest_cache .mypy_cache .ruff_cache
