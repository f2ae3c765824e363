# Every target creates and uses its own virtualenv, so a fresh clone needs only Python >= 3.11.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo

.PHONY: install tools demo test lint typecheck docs pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e . --group dev
	touch $(STAMP)

install: $(STAMP) tools

## tools: system programs the tests use: pdftoppm (Debian's poppler-utils) to look at PDF pages,
## and Debian's chromium for the browser tests (Playwright drives it; no browser is downloaded)
tools:
	@command -v pdftoppm >/dev/null || (apt-get update -qq && apt-get install -y -qq poppler-utils)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

## demo: generate sample invoices, import them and export them to the built-in emulator
demo: $(STAMP)
	$(BIN)/python -m procountor_export.demo --dir $(DEMO_DIR) $(DEMO_ARGS)

## test: the whole quality gate: lint, format check, strict typing, the docs site, then every test
test: lint typecheck docs pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs/hooks
	$(BIN)/ruff format --check src tests benchmarks docs/hooks

typecheck: $(STAMP)
	$(BIN)/mypy --strict src/procountor_export

## docs: build the documentation site strictly (offline; a broken link or page fails) into site/
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir site

# pytest exits 5 when it collected no test: that is a failure here, not a pass.
pytest: $(STAMP) tools
	@$(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "no tests were collected: failing" >&2; exit 1; fi; \
	exit $$status

## bench: export throughput against the emulator over loopback (cold, warm, warm + PDF): calls per
## invoice, invoices/s, share of the rate limit, 429s, latency per endpoint, peak memory.
## BENCH_ARGS="--json --invoices 1000 --companies 3"; `python -m benchmarks` runs the others.
bench: $(STAMP)
	$(BIN)/procountor-export bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(DEMO_DIR) site .pytest_cache .mypy_cache .ruff_cache
