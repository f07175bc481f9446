# `make run` and `make test` set up everything on a fresh machine: virtualenv, install,
# database migration (and demo data for `run` when the database is empty).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What is installed, by the checksum of what asked for it: the service's own dependencies for
# `make run`, and the test tools on top for the other targets. Both come pinned, with hashes,
# from the lock files (`make lock` remakes them from pyproject.toml).
RUNTIME := $(VENV)/.runtime-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
DEV := $(VENV)/.dev-$(shell cat requirements-dev.lock pyproject.toml | cksum | cut -d' ' -f1)
PIP := $(BIN)/pip install --quiet --disable-pip-version-check
HOST ?= 127.0.0.1
PORT ?= 8000
PAYMENT_PROVIDERS ?= sandbox
# The demo takes its online top-ups through the sandbox, which takes no money and says so on
# every page; a real deployment leaves it off (canteen serve's default) or names its provider.

.PHONY: run test lint bench soak browser install lock

install: $(DEV)

$(RUNTIME): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r requirements.lock
	$(PIP) --no-deps -e .
	rm -f $(VENV)/.runtime-* $(VENV)/.installed-*
	touch $@

$(DEV): $(RUNTIME) requirements-dev.lock
	$(PIP) --require-hashes -r requirements-dev.lock
	rm -f $(VENV)/.dev-*
	touch $@

# The lock files, from pyproject.toml, with pip-tools in a virtualenv of its own: the dev lock
# first, then the runtime lock held to the same versions.
lock:
	$(PYTHON) -m venv var/lock-tools
	var/lock-tools/bin/pip install --quiet --disable-pip-version-check pip-tools
	var/lock-tools/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml
	var/lock-tools/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --constraint requirements-dev.lock \
	  -o requirements.lock pyproject.toml

run: $(RUNTIME)
	$(BIN)/canteen init
	$(BIN)/canteen demo --if-empty
	CANTEEN_DEMO=1 CANTEEN_PAYMENT_PROVIDERS=$(PAYMENT_PROVIDERS) $(BIN)/canteen serve --host $(HOST) --port $(PORT)

# lint first: CI runs `make test`, so the type check and the linters stay at zero. One pytest run
# on both cores: tests go one by one to whichever worker is free, and a module whose tests share a
# fixture (the fuzz's server, a copy of the demo) goes whole to one worker (tests/conftest.py).
# Python's bytecode cache is on for the run whatever the environment says (PYTHONDONTWRITEBYTECODE
# set empty): each worker, each server and each command a test starts imports the app again, and
# compiled from source every time that was 5 s of each worker's collection and 1 s of each start.
test: lint browser
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(DEV)
	$(BIN)/ruff check canteen reports tests migrations benchmarks
	$(BIN)/ruff format --check canteen reports tests benchmarks
	$(BIN)/mypy

bench: $(DEV)
	$(BIN)/python -m benchmarks

# The long runs: 100,000 steps of the ledger model on each database (2,000 histories of 50
# steps), then 20 crash-and-restart rounds on each; one process per database (their tests are
# grouped by database). The soak summary at the end says what ran. Then the offline counter's
# disconnect-and-replay rounds; the API fuzz with 100 generated cases per operation (make test
# runs 5, beside every coverage case: tests/http/test_fuzz.py); and the deployment drill
# (docs/deploy.md): a streaming replica, the backup and restore scripts, nginx with TLS in
# front of two servers.
soak: $(DEV)
	CANTEEN_SOAK_STEPS=100000 CANTEEN_CRASH_ROUNDS=20 $(BIN)/python -m pytest -p no:cacheprovider \
	  -n 2 --dist loadgroup -v tests/test_ledger_model.py tests/test_crash.py
	CANTEEN_OFFLINE_ROUNDS=1000 $(BIN)/python -m pytest -p no:cacheprovider -n 2 -v tests/offline/test_soak.py
	CANTEEN_FUZZ_EXAMPLES=100 $(BIN)/python -m pytest -p no:cacheprovider -v tests/http/test_fuzz.py
	@command -v nginx >/dev/null 2>&1 || apt-get install -y nginx-light >/dev/null 2>&1 || \
	  echo "could not install nginx; the deployment drill will say so"
	CANTEEN_DEPLOY_DRILL=1 $(BIN)/python -m pytest -p no:cacheprovider -v tests/deploy/test_drill.py

# Page tests drive Debian's Chromium, with a CJK font so screenshots show Chinese. Install them
# where we may; with CI=true the page tests themselves fail (never skip) when Chromium is missing.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  echo "installing chromium and fonts-noto-cjk with apt-get"; \
	  apt-get install -y chromium fonts-noto-cjk >/dev/null 2>&1 || \
	  { apt-get update >/dev/null 2>&1 && apt-get install -y chromium fonts-noto-cjk >/dev/null 2>&1; } || \
	  echo "could not install them; page tests will skip (or fail with CI=true)"; \
	fi
