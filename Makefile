# Everything a fresh machine needs is set up by these targets: they create .venv and install
# briefbot (editable) with the pinned versions of constraints.txt on first use, and again when
# pyproject.toml or constraints.txt changes.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed

.PHONY: chat test bench eval lint clean demo

chat: $(RUNTIME)
	@$(PY) -m bot chat

# The bot on a fake Slack, Discord and OpenAI (tests/fakes/), no account needed: see scripts/demo.py.
demo: $(RUNTIME)
	@$(PY) scripts/demo.py

test: $(DEV)
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: $(DEV)
	$(PY) bench/core_bench.py
	$(PY) bench/slack_concurrency.py
	$(PY) bench/grounding_eval.py
	$(PY) bench/streaming.py
	$(PY) bench/knowledge_scale.py

eval: $(RUNTIME)
	$(PY) -m bot eval

lint: $(DEV)
	$(PY) -m ruff check .

$(VENV)/bin/python:
	@$(PYTHON) -m venv $(VENV)

PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt
# A plain path entry for the editable install: no import hook loaded at every start-up.
EDITABLE := --config-settings editable_mode=compat -e

$(RUNTIME): pyproject.toml constraints.txt | $(VENV)/bin/python
	@$(PIP_INSTALL) $(EDITABLE) . >&2
	@touch $@

$(DEV): pyproject.toml constraints.txt | $(VENV)/bin/python
	@$(PIP_INSTALL) $(EDITABLE) ".[dev]" >&2
	@touch $@ $(RUNTIME)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
