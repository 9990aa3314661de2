"""The unit as an nbgrader source notebook, in the folder layout of an nbgrader course.

Solution cells hold the reference code between nbgrader's `### BEGIN SOLUTION` / `### END SOLUTION`.
Under each exercise, one autograded test cell worth that exercise's points in the hidden suite (its
CPU tests): the public checks run in the open, printing their report; the hidden tests sit between
`### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS`, and return the points scored, which nbgrader
takes as partial credit. Both are the kit's own test functions, run in the kernel on the student's
objects (autograder/jupyter/graded.py); their points, gates and feedback are the kit's.

The test cells need the kit in the kernel: the assignment's folder holds the student wheel, which
nbgrader releases with the notebook, and the notebook's first code cell installs it where the
student's kernel lacks it. The install cell and the test cells carry the CHECK section, so
`autograder grade-batch` on nbgrader's submitted/ folder grades the student's code alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autograder.bundles import ipynb, wheel
from autograder.bundles.language import require
from autograder.bundles.notebooks import install_cell_source
from autograder.bundles.sections import NBGRADER_MARKERS, read_sections, solution_renderer
from autograder.bundles.suites import SuiteModule, read_suite, wrapped
from autograder.i18n import catalogue
from autograder.submission.notebook import CELL_KEY, CHECK, SETUP
from autograder.unit import Unit

MESSAGES = ("notebook.", "stub.", "nbgrader.", "kernel.")


def nbgrader_metadata(grade_id: str, *, solution: bool = False, points: float | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": points is not None,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _module_of(suite: list[SuiteModule], tag: str) -> SuiteModule:
    return next(module for module in suite if module.of(tag))


def test_cell_source(tag: str, public: SuiteModule, hidden: SuiteModule, lang: str) -> tuple[str, float]:
    """The test cell of one exercise, and its points (the hidden suite's CPU tests of it)."""
    hidden_tests = hidden.of(tag)
    comment = "# " + catalogue(lang).text("nbgrader.checks", exercises=tag)
    parts = [
        f"{comment}\nfrom autograder.jupyter.graded import score, show",
        wrapped("_public_checks", public, public.of(tag)),
        f'show(globals(), _public_checks(), lang="{lang}")\n### BEGIN HIDDEN TESTS',
        wrapped("_hidden_checks", hidden, hidden_tests),
        f'score(globals(), _hidden_checks(), lang="{lang}")\n### END HIDDEN TESTS',
    ]
    return "\n\n\n".join(part.rstrip("\n") for part in parts), sum(t.grading.points for t in hidden_tests)


def assignment(unit: Unit) -> str:
    """The nbgrader assignment's name: the unit notebook's."""
    return unit.notebook.removesuffix(".ipynb")


def source_notebook(unit: Unit, lang: str, wheel_url: str = "") -> str:
    require(lang, *MESSAGES)
    cat = catalogue(lang)
    sections = read_sections(unit, solution_renderer(lang, NBGRADER_MARKERS))
    public, hidden = read_suite(unit, "public"), read_suite(unit, "hidden")
    checks = {CELL_KEY: {"section": CHECK}}
    cells = [
        ipynb.markdown(cat.text(f"{unit.name}.notebook.intro"), "intro"),
        ipynb.code(install_cell_source(lang, wheel_url), "install", {**nbgrader_metadata("install"), **checks}),
        ipynb.code(sections.imports, "setup", {**nbgrader_metadata("setup"), CELL_KEY: {"section": SETUP}}),
    ]
    for section in sections.sections:
        cells.append(ipynb.markdown(cat.text(f"notebook.section.{section.module}"), f"{section.module}-text"))
        for number, definition in enumerate(section.definitions, start=1):
            ident = f"{section.module}-{number}"
            # Code the file gives (a helper, a constant) holds no solution: as a solution cell, nbgrader
            # would release its stub in its place. It is released as it is, read-only.
            solution = NBGRADER_MARKERS[0] in definition
            meta = {**nbgrader_metadata(ident, solution=solution), CELL_KEY: {"section": section.module}}
            cells.append(ipynb.code(definition, ident, meta))
        for tag in section.tags:
            source, points = test_cell_source(tag, _module_of(public, tag), _module_of(hidden, tag), lang)
            meta = {**nbgrader_metadata(f"{tag}-checks", points=points), **checks}
            cells.append(ipynb.code(source, f"{tag}-checks", meta))
    cells.append(ipynb.markdown(cat.text("notebook.end"), "end"))
    return ipynb.dumps(ipynb.notebook(cells, {CELL_KEY: {"lang": lang}}))


def build(unit: Unit, lang: str, course: Path, wheel_url: str = "") -> Path:
    """Write source/<assignment>/<notebook> under the course folder `course`, and the student wheel
    beside it: nbgrader releases both."""
    path = course / "source" / assignment(unit) / unit.notebook
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source_notebook(unit, lang, wheel_url), encoding="utf-8")
    wheel.build(lang, path.parent)
    return path
