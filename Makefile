# The kit's commands. Every target that needs Python sets up .venv first (make setup).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TORCH := torch==2.13.0

.PHONY: setup demo test check exercises lint format clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH)" numpy
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)  ## create .venv with torch 2.13.0 (CPU), numpy and the kit

demo: $(STAMP)  ## grade the bundled sample submissions and print their reports
	$(PY) -m autograder demo

test: $(STAMP)  ## the kit's own tests (fails if no test ran)
	$(PY) -m pytest tests/kit -q

browser:  ## headless Chromium for the HTML report tests (Debian's package; needs root)
	test -x /usr/bin/chromium || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium)

check: $(STAMP)  ## students: run the public checks on exercises/
	$(PY) -m autograder check

exercises: $(STAMP)  ## regenerate exercises/ (and exercises_zh/) from solutions/
	$(PY) -m autograder exercises

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) dist
