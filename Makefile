# Everything a fresh machine needs is set up by these targets: they create .venv and
# install the pinned requirements on first use (and again when a requirements file changes).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed

.PHONY: chat test bench eval lint clean

chat: $(RUNTIME)
	@$(PY) -m bot chat

test: $(DEV)
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: $(DEV)
	$(PY) bench/core_bench.py
	$(PY) bench/slack_concurrency.py
	$(PY) bench/streaming.py

eval: $(RUNTIME)
	$(PY) -m bot eval

lint: $(DEV)
	$(PY) -m ruff check .

$(VENV)/bin/python:
	@$(PYTHON) -m venv $(VENV)

$(RUNTIME): requirements.txt | $(VENV)/bin/python
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt >&2
	@touch $@

$(DEV): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt >&2
	@touch $@ $(RUNTIME)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
