"""GitHub Actions workflows: the student repository's checks, and the course's class grading.

checks.yml ships in the student bundle (.github/workflows/checks.yml): the public checks on every
push, reported with `grade --github`. grade-class.yml is for the course's own private repository,
where the hidden suite is: it grades every student repository of the organisation. Both are
templates in autograder/bundles/templates/github/.
"""

from __future__ import annotations

import json

from autograder.bundles import templates
from autograder.bundles.gradescope import DEFAULT_TORCH, DEFAULT_TORCH_INDEX
from autograder.i18n import catalogue
from autograder.unit import Unit

CHECKS_PATH = ".github/workflows/checks.yml"
PASS_MARK = 100
"""The public checks' points below which the student's check fails: all of them must pass."""


def checks_workflow(lang: str, pass_mark: float = PASS_MARK) -> str:
    """The student repository's workflow, its step names in the student's language."""
    cat = catalogue(lang)
    names = {
        "NAME": "bundle.workflow_checks",
        "CHECKOUT": "bundle.workflow_checkout",
        "PYTHON": "bundle.workflow_python",
        "INSTALL": "bundle.workflow_install",
        "CHECKS": "bundle.workflow_checks",
    }
    return templates.render(
        "github/checks.yml",
        **{key: json.dumps(cat.text(name), ensure_ascii=False) for key, name in names.items()},
        LANG=lang,
        PASS_MARK=f"{pass_mark:g}",
        TORCH_SPEC=DEFAULT_TORCH,
        TORCH_INDEX=DEFAULT_TORCH_INDEX,
    )


def class_workflow(unit: Unit) -> str:
    """The course repository's workflow that grades every student repository of `unit` (named
    `<unit>-<student>`, as an assignment names them) with the hidden suite."""
    return templates.render(
        "github/grade-class.yml", PREFIX=f"{unit.name}-", TORCH_SPEC=DEFAULT_TORCH, TORCH_INDEX=DEFAULT_TORCH_INDEX
    )
