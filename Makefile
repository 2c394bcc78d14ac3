# Two commands on a fresh Debian machine: `make run` and `make test`. Every step is idempotent.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# CPU wheel of torch (on disk here); a GPU host keeps the CUDA build it already has.
TORCH_SPEC ?= torch==2.13.0
APT_PACKAGES := ffmpeg redis-server chromium
HOST ?= 127.0.0.1
PORT ?= 8009

.PHONY: run test system-deps venv frontend lint pytest frontend-test clean

system-deps:
	@missing=""; \
	command -v ffmpeg >/dev/null || missing="$$missing ffmpeg"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo ">> installing system packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@echo ">> installing Python packages into $(VENV)"
	@$(PY) -c "import torch" 2>/dev/null || $(PIP) install -q "$(TORCH_SPEC)"
	@$(PIP) install -q -e ".[generator,dev]"
	@touch $@

venv: $(VENV)/.installed

frontend:
	@if [ -f frontend/package.json ]; then $(MAKE) -C frontend build; fi

run: system-deps venv frontend
	@$(VENV)/bin/dreamverse-server --host $(HOST) --port $(PORT)

lint: venv
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

pytest: venv
	@$(VENV)/bin/pytest -q

frontend-test:
	@if [ -f frontend/package.json ]; then $(MAKE) -C frontend test; fi

test: system-deps venv lint frontend pytest frontend-test

clean:
	rm -rf $(VENV) runtime/static frontend/node_modules frontend/dist
