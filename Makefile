# Two commands do all set-up on a fresh machine:
#   make demo   builds the delegate pack for the bundled speech into exports/
#   make test   runs the test suite, then ruff and mypy
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
VENV := .venv
TOOLKIT := $(VENV)/bin/toolkit
DEMO_SOURCE := source/2021-05-26-coninsx-civil-society.en.md
# Debian packages the PDFs and tests need: fonts for Arabic (Noto Naskh) and Chinese
# (WenQuanYi Zen Hei), DejaVu for Latin/Cyrillic, poppler-utils for pdftotext/pdffonts;
# Hunspell dictionaries for the segmenter's line-break hyphen decisions.
DEBIAN_PACKAGES := fonts-noto-core fonts-wqy-zenhei fonts-dejavu-core poppler-utils \
	hunspell-en-gb hunspell-en-us hunspell-fr-classical hunspell-es hunspell-ru

# What the reader and EPUB tests drive: Debian's chromium (Playwright never downloads a
# browser here), a Java runtime for EPUBCheck, and axe-core + DAISY Ace from npm, installed
# under tests/a11y/ (Ace's puppeteer is told to use the system chromium, not to fetch one).
A11Y_DIR := tests/a11y

.PHONY: help setup uv sync system-deps a11y-deps demo test lint bench clean

help:
	@echo "make demo   build the delegate pack for $(DEMO_SOURCE) into exports/"
	@echo "make test   run the tests, ruff and mypy"
	@echo "make bench  run the benchmarks in bench/"

uv:
	@command -v uv >/dev/null 2>&1 || [ -x "$(HOME)/.local/bin/uv" ] || { \
		echo "Installing uv from PyPI..."; \
		python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv; }

# Bytecode is compiled at install time: with PYTHONDONTWRITEBYTECODE set (as on our
# machines) Python would otherwise recompile reportlab & co. on every command (~0.5 s).
sync: uv
	@$(or $(shell command -v uv 2>/dev/null),$(HOME)/.local/bin/uv) sync --locked --all-extras --quiet --compile-bytecode
	@$(VENV)/bin/python -m compileall -q toolkit

system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian packages:$$missing"; \
		{ apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 || \
		  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }; }; \
	else \
		echo "Missing Debian packages:$$missing"; \
		echo "Run: sudo apt-get install$$missing"; \
		exit 1; \
	fi

setup: sync system-deps

a11y-deps:
	@missing=""; \
	dpkg-query -W -f='$${Status}' chromium 2>/dev/null | grep -q "ok installed" || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian packages for the browser and EPUB checks:$$missing"; \
			{ apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 || \
			  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }; }; \
		else \
			echo "Missing Debian packages:$$missing"; echo "Run: sudo apt-get install$$missing"; exit 1; \
		fi; \
	fi
	@if [ ! -f $(A11Y_DIR)/node_modules/.installed ] || \
	    [ $(A11Y_DIR)/package-lock.json -nt $(A11Y_DIR)/node_modules/.installed ]; then \
		echo "Installing axe-core and DAISY Ace (npm, $(A11Y_DIR))..."; \
		cd $(A11Y_DIR) && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent && \
		touch node_modules/.installed; \
	fi

demo: setup
	$(TOOLKIT) build $(DEMO_SOURCE)

test: setup a11y-deps
	$(VENV)/bin/python -m pytest -q
	$(VENV)/bin/python -m pytest -q -m slow
	$(VENV)/bin/ruff check toolkit tests bench
	$(VENV)/bin/mypy

bench: setup
	@for script in bench/*.py; do echo "== $$script"; $(VENV)/bin/python $$script || exit 1; done

clean:
	rm -rf exports/*/ .pytest_cache .mypy_cache .ruff_cache
