# Quick start: `make sync` (sample workspace) and `make test` (whole suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: sync test gettext lint bench

$(BIN)/l10n: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# Bytecode once, here: pip skips it where PYTHONDONTWRITEBYTECODE is set, and then every
	@# command compiles what it imports anew (0.3 s to start instead of 0.15 s).
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib l10n > /dev/null || true
	@touch $@

sync: $(BIN)/l10n
	$(BIN)/l10n sync

# GNU gettext (msgcat, msgfmt) is what our PO files are checked against.
gettext:
	@command -v msgcat >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq gettext; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo apt-get install -y -qq gettext; \
	  elif command -v brew >/dev/null 2>&1; then brew install gettext; \
	  else echo "Install GNU gettext (msgcat, msgfmt) and rerun." >&2; exit 1; fi; }

test: $(BIN)/l10n gettext
	$(BIN)/python -m pytest -q

lint: $(BIN)/l10n
	$(BIN)/ruff check l10n tests bench
	$(BIN)/mypy l10n

bench: $(BIN)/l10n
	$(BIN)/python bench/run.py
