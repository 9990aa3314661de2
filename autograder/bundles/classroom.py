"""The GitHub Classroom workflow of the student bundle (.github/workflows/classroom.yml).

It runs the public checks on every push and hands the points of each test to Classroom's grading
reporter action, which posts the total where Classroom reads it. A student repository holds only
the public tests, so these are the points Classroom shows; the hidden suite grades elsewhere
(Gradescope, or `autograder grade-batch` on the collected repositories).
"""

from __future__ import annotations

import json

from autograder.bundles.gradescope import DEFAULT_TORCH, DEFAULT_TORCH_INDEX
from autograder.i18n import catalogue

RUNNER = "checks"
RESULT_FILE = "classroom-result.txt"
JOB_NAME = "Autograding Tests"
"""The check run Classroom's reporter posts the points to: a name it looks for, in every language."""

TEMPLATE = """# GitHub Classroom autograding: the public checks, with the points of every test.
# SUBMISSION is what is graded: exercises (the .py files) or convolutions.ipynb (the notebook).
name: @name@
on:
  push:
  workflow_dispatch:
  repository_dispatch:
permissions:
  checks: write
  actions: read
  contents: read
env:
  SUBMISSION: exercises
  AUTOGRADER_LANG: @lang@
jobs:
  run-autograding-tests:
    name: @name@
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: @checkout@
        uses: actions/checkout@v4
      - name: @python@
        uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: @install@
        run: |
          python -m pip install "@torch@" --index-url @index@
          python -m pip install numpy pytest
      - name: @checks@
        id: @runner@
        run: |
          python -m autograder grade "$SUBMISSION" --suite public --classroom @result@
          echo "result=$(cat @result@)" >> "$GITHUB_OUTPUT"
      - name: @report@
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          @RUNNER@_RESULTS: "${{ steps.@runner@.outputs.result }}"
        with:
          runners: @runner@
"""


def workflow(lang: str) -> str:
    cat = catalogue(lang)
    values = {
        "name": JOB_NAME,
        "checkout": cat.text("bundle.workflow_checkout"),
        "python": cat.text("bundle.workflow_python"),
        "install": cat.text("bundle.workflow_install"),
        "checks": cat.text("bundle.workflow_checks"),
        "report": cat.text("bundle.workflow_report"),
    }
    text = TEMPLATE
    for key, value in values.items():
        text = text.replace(f"@{key}@", json.dumps(value, ensure_ascii=False))
    for key, value in {
        "lang": lang,
        "torch": DEFAULT_TORCH,
        "index": DEFAULT_TORCH_INDEX,
        "runner": RUNNER,
        "RUNNER": RUNNER.upper(),
        "result": RESULT_FILE,
    }.items():
        text = text.replace(f"@{key}@", value)
    return text
