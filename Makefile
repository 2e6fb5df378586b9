# Two commands do everything: `make run` and `make test`. Both build the local
# virtual environment from the pinned lock file when it is missing or stale.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8501

.PHONY: run test bench lint format clean sample-data sweep

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# glibc hands blocks of 128 kB and more straight back to the system when freed (a fixed mmap
# threshold): a server that loads 50 MB lists on a new thread per run keeps ~+50 MB, not +260.
SERVER_ENV := MALLOC_MMAP_THRESHOLD_=131072

run: $(STAMP)
	$(SERVER_ENV) $(PY) -m streamlit run app.py --server.port $(PORT)

# axe-core, the accessibility rules the browser tests run on every page (npm, git-ignored
# folder); without npm the accessibility test skips and says so.
AXE_VERSION := 4.10.3
AXE := tests/browser/vendor/node_modules/axe-core/axe.min.js

$(AXE):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-save --no-audit --no-fund --prefix tests/browser/vendor \
	    axe-core@$(AXE_VERSION); \
	else echo "npm not found: the accessibility test (axe-core) will be skipped"; fi

test: $(STAMP) $(AXE)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m pytest tests/benchmarks -q -s -p no:cacheprovider --override-ini addopts=

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy advisor/advice advisor/model
	$(PY) -m ruff check --select C901 --config 'lint.mccabe.max-complexity=20' advisor/advice advisor/model

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

sample-data: $(STAMP)
	$(PY) data/generate_creators.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis tests/artifacts tests/browser/vendor

# Fuzz ingest: FUZZ_CASES grammar-made hostile files (at least 50,000) on every core, plus
# hypothesis; the invariants are in tests/test_fuzz_ingest.py. `make test` runs a few hundred.
.PHONY: fuzz
FUZZ_CASES ?= 50000
fuzz: $(STAMP)
	FUZZ_CASES=$(FUZZ_CASES) $(PY) -m pytest tests/test_fuzz_ingest.py tests/test_fuzz_links.py -q -s -p no:cacheprovider --timeout=7200

sweep: $(STAMP)
	$(PY) tests/sweep.py 1200
