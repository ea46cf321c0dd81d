# The two commands of the README: `make reports` and `make test`.
# Each creates .venv (Python 3.11+), installs opsnb with what it needs, and
# makes sure a CJK font is present for Chinese labels in figures; `make test` also
# installs headless Chromium (Debian's chromium) for the markup-injection test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.opsnb-installed
OUT    ?= reports

.PHONY: reports test setup fonts browser clean

setup: $(STAMP) fonts

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "opsnb needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (opsnb)" > /dev/null
	touch $(STAMP)

fonts:
	@bash .ci/ensure-cjk-font

# headless Chromium for the test that opens every report with markup injected into its data
browser:
	@bash .ci/ensure-chromium

reports: setup
	$(BIN)/opsnb run all --out $(OUT)

test: setup browser
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(OUT)
