# `make run` and `make test` set up everything on a fresh machine: virtualenv, install,
# database migration (and demo data for `run` when the database is empty).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
PAYMENT_PROVIDERS ?= sandbox
# The demo takes its online top-ups through the sandbox, which takes no money and says so on
# every page; a real deployment leaves it off (canteen serve's default) or names its provider.

.PHONY: run test lint bench soak browser install

install: $(INSTALLED)

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(INSTALLED)
	$(BIN)/canteen init
	$(BIN)/canteen demo --if-empty
	CANTEEN_DEMO=1 CANTEEN_PAYMENT_PROVIDERS=$(PAYMENT_PROVIDERS) $(BIN)/canteen serve --host $(HOST) --port $(PORT)

# lint first: CI runs `make test`, so the type check and the linters stay at zero. One pytest run
# on both cores: tests go one by one to whichever worker is free, and a module whose tests share a
# fixture (the fuzz's server, a copy of the demo) goes whole to one worker (tests/conftest.py).
test: lint browser
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(INSTALLED)
	$(BIN)/ruff check canteen reports tests migrations benchmarks
	$(BIN)/ruff format --check canteen reports tests benchmarks
	$(BIN)/mypy

bench: $(INSTALLED)
	$(BIN)/python -m benchmarks

# The long runs: 100,000 steps of the ledger model on each database (2,000 histories of 50
# steps), then 20 crash-and-restart rounds on each; one process per database (their tests are
# grouped by database). The soak summary at the end says what ran.
soak: $(INSTALLED)
	CANTEEN_SOAK_STEPS=100000 CANTEEN_CRASH_ROUNDS=20 $(BIN)/python -m pytest -p no:cacheprovider \
	  -n 2 --dist loadgroup -v tests/test_ledger_model.py tests/test_crash.py

# Page tests drive Debian's Chromium, with a CJK font so screenshots show Chinese. Install them
# where we may; with CI=true the page tests themselves fail (never skip) when Chromium is missing.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  echo "installing chromium and fonts-noto-cjk with apt-get"; \
	  apt-get install -y chromium fonts-noto-cjk >/dev/null 2>&1 || \
	  { apt-get update >/dev/null 2>&1 && apt-get install -y chromium fonts-noto-cjk >/dev/null 2>&1; } || \
	  echo "could not install them; page tests will skip (or fail with CI=true)"; \
	fi
