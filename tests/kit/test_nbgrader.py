"""`make nbgrader`'s source notebook through nbgrader itself: generate_assignment, then autograde of a
correct and a wrong submission, in .venv-nbgrader (`make nbgrader-env`), with its own kernel."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import pytest

from autograder.bundles import nbgrader
from autograder.bundles.unit import NBGRADER_MARKERS
from tests.kit.conftest import run_cli
from tests.kit.jupyter import HIDDEN_CPU_POINTS, cell_outputs, run_tool, venv

FULL = HIDDEN_CPU_POINTS
NOTEBOOK = f"{nbgrader.ASSIGNMENT}/{nbgrader.ASSIGNMENT}.ipynb"


def source_cells(document: dict) -> dict[str, dict]:
    return {c["metadata"]["nbgrader"]["grade_id"]: c for c in document["cells"] if "nbgrader" in c["metadata"]}


def test_the_source_notebook_uses_nbgraders_cell_format():
    document = json.loads(nbgrader.source_notebook("en"))
    cells = source_cells(document)
    tests = {gid: c for gid, c in cells.items() if c["metadata"]["nbgrader"]["grade"]}
    assert sorted(tests) == sorted(f"{tag}-checks" for tag in ("corr2d", "Conv2D", "corr1d", "corr3d", "learn_kernel"))
    assert sum(c["metadata"]["nbgrader"]["points"] for c in tests.values()) == FULL
    for cell in tests.values():
        meta, source = cell["metadata"]["nbgrader"], "".join(cell["source"])
        assert meta["locked"]
        assert not meta["solution"]
        assert meta["schema_version"] == 3
        assert source.count("### BEGIN HIDDEN TESTS") == source.count("### END HIDDEN TESTS") == 1
        assert source.index("show(globals()") < source.index("### BEGIN HIDDEN TESTS") < source.index("score(globals()")
    solutions = [c for c in cells.values() if c["metadata"]["nbgrader"]["solution"]]
    assert len(solutions) == 5
    for cell in solutions:
        source = "".join(cell["source"])
        assert all(marker in source for marker in NBGRADER_MARKERS)


def _submission(release: dict, source: dict, edit=None) -> dict:
    """The released notebook with each solution cell filled in from the source (or an edit of it)."""
    answers = source_cells(source)
    document = copy.deepcopy(release)
    for cell in document["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            lines = "".join(answers[meta["grade_id"]]["source"]).split("\n")
            code = "\n".join(line for line in lines if line.strip() not in NBGRADER_MARKERS)
            cell["source"] = edit(meta["grade_id"], code) if edit else code
    return document


def flipped(grade_id: str, code: str) -> str:
    return code.replace("* K).sum()", "* K.flip(0, 1)).sum()") if grade_id == "ex1_corr2d-1" else code


def test_nbgrader_generates_and_autogrades_the_assignment(tmp_path):
    folder = venv("nbgrader")
    course = tmp_path / "course"
    result = run_cli("export", "nbgrader", "--lang", "en", "--out", str(course))
    assert result.returncode == 0, result.stderr
    run_tool(folder, ["nbgrader", "generate_assignment", nbgrader.ASSIGNMENT, "--force"], course, tmp_path)
    release = json.loads((course / "release" / NOTEBOOK).read_text())
    released = "\n".join("".join(c["source"]) for c in release["cells"])
    assert "BEGIN HIDDEN TESTS" not in released
    assert "_hidden_checks" not in released
    assert "(X[i : i + k_h, j : j + k_w] * K).sum()" not in released
    source = json.loads((course / "source" / NOTEBOOK).read_text())
    for student, edit in (("correct", None), ("flipped", flipped)):
        path = course / "submitted" / student / NOTEBOOK
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(_submission(release, source, edit)))
    run_tool(folder, ["nbgrader", "autograde", nbgrader.ASSIGNMENT, "--force"], course, tmp_path)
    run_tool(folder, ["nbgrader", "export", "--to", "grades.csv"], course, tmp_path)
    with open(course / "grades.csv", newline="") as handle:
        scores = {row["student_id"]: (float(row["score"]), float(row["max_score"])) for row in csv.DictReader(handle)}
    assert scores["correct"] == (FULL, FULL)
    assert scores["flipped"][0] < FULL - 20
    graded = json.loads((course / "autograded" / "flipped" / NOTEBOOK).read_text())
    corr2d = next(c for c in graded["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "corr2d-checks")
    shown = cell_outputs(corr2d)
    assert "computes a convolution, not a cross-correlation" in shown
    assert "Grading this notebook (autograder)" in shown


@pytest.mark.parametrize("lang", ["en"])
def test_build_writes_an_nbgrader_course_folder(tmp_path, lang):
    path = nbgrader.build(lang, tmp_path)
    assert path == tmp_path / "source" / NOTEBOOK
    assert Path(path).exists()
