# The two commands of the README: `make reports` and `make test`.
# Each creates .venv (Python 3.11+), installs opsnb with what it needs, and
# makes sure a CJK font is present for Chinese labels in figures; `make test` also
# installs headless Chromium (Debian's chromium) for the markup-injection test and Java 17
# (Debian's openjdk-17-jre-headless) for the Spark engine's tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.opsnb-installed
OUT    ?= reports

.PHONY: reports test setup fonts browser java airflow clean

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

# Java 17+ for Spark 4: the Spark engine's tests run every report on pyspark local[2]
java:
	@bash .ci/ensure-java

# Apache Airflow 3 with the papermill provider, in its own virtualenv (.venv-airflow, never in
# .venv), for the test that runs the DAG of `opsnb schedule airflow` with `airflow dags test`;
# that test calls it itself (so the install overlaps the other tests), `make airflow` does it ahead
airflow:
	@PYTHON=$(PYTHON) bash .ci/ensure-airflow

reports: setup
	$(BIN)/opsnb run all --out $(OUT)

test: setup browser java
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .venv-airflow $(OUT)
