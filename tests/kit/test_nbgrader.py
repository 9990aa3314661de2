"""`make nbgrader`'s source notebook through nbgrader itself: generate_assignment, then autograde of a
correct and a wrong submission, in .venv-nbgrader (`make nbgrader-env`), with its own kernel."""

from __future__ import annotations

import copy
import csv
import json
import shlex
import shutil
from pathlib import Path

import pytest

from autograder.bundles import nbgrader, wheel
from autograder.bundles.sections import NBGRADER_MARKERS
from autograder.paths import KIT_ROOT
from autograder.units.convolutions import UNIT
from tests.kit.conftest import run_cli
from tests.kit.jupyter import HIDDEN_CPU_POINTS, bare_kernel, cell_outputs, execute, outputs_by_id, run_tool, venv

FULL = HIDDEN_CPU_POINTS
NOTEBOOK = f"{nbgrader.assignment(UNIT)}/{UNIT.notebook}"


def source_cells(document: dict) -> dict[str, dict]:
    return {c["metadata"]["nbgrader"]["grade_id"]: c for c in document["cells"] if "nbgrader" in c["metadata"]}


def test_the_source_notebook_uses_nbgraders_cell_format():
    document = json.loads(nbgrader.source_notebook(UNIT, "en"))
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


def readme_block(heading: str) -> list[str]:
    """The commands of the README's first code block under `heading`, comments stripped."""
    text = (KIT_ROOT / "README.md").read_text(encoding="utf-8").split(f"\n## {heading}\n", 1)[1]
    block = text.split("```", 2)[1]
    return [line.split("  #", 1)[0].strip() for line in block.strip().split("\n")]


def test_the_readme_says_how_to_get_nbgrader_on_path():
    commands = readme_block("nbgrader")
    assert commands[:3] == ["make nbgrader nbgrader-env", ". .venv-nbgrader/bin/activate", "cd dist/nbgrader"]
    assert [c for c in commands if c.startswith("nbgrader ")] == NBGRADER_COMMANDS
    assert "\nnbgrader-env:" in MAKEFILE.read_text()
    assert f"`{GRADE_BATCH}`" in (KIT_ROOT / "README.md").read_text(encoding="utf-8")


NBGRADER_COMMANDS = [
    "nbgrader generate_assignment convolutions",
    "nbgrader autograde convolutions",
    "nbgrader export",
]
MAKEFILE = KIT_ROOT / "Makefile"
GRADE_BATCH = "python -m autograder grade-batch submitted --out marks"


@pytest.mark.slow
def test_nbgrader_round_trip_as_the_readme_says_and_grade_batch_agrees(tmp_path):
    """The README's commands (nbgrader from .venv-nbgrader), then grade-batch on submitted/."""
    folder = venv("nbgrader")
    course = tmp_path / "course"
    result = run_cli("export", "nbgrader", "--lang", "en", "--out", str(course))
    assert result.returncode == 0, result.stderr
    generate, autograde, export = (shlex.split(c) for c in NBGRADER_COMMANDS)
    run_tool(folder, generate, course, tmp_path)
    release = json.loads((course / "release" / NOTEBOOK).read_text())
    assert (course / "release" / nbgrader.assignment(UNIT) / wheel.FILE_NAME).is_file()
    released = "\n".join("".join(c["source"]) for c in release["cells"])
    assert "BEGIN HIDDEN TESTS" not in released
    assert "_hidden_checks" not in released
    assert "(X[i : i + k_h, j : j + k_w] * K).sum()" not in released
    source = json.loads((course / "source" / NOTEBOOK).read_text())
    for student, edit in (("correct", None), ("flipped", flipped)):
        path = course / "submitted" / student / NOTEBOOK
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(_submission(release, source, edit)))
        shutil.copy(course / "release" / nbgrader.assignment(UNIT) / wheel.FILE_NAME, path.parent)
    student_copy = tmp_path / "downloaded" / UNIT.notebook
    student_copy.parent.mkdir()
    student_copy.write_text(json.dumps(_submission(release, source, flipped)))
    shutil.copy(course / "release" / nbgrader.assignment(UNIT) / wheel.FILE_NAME, student_copy.parent)
    in_kernel = outputs_by_id(execute(student_copy, tmp_path, bare_kernel(tmp_path)))
    assert "The checker is installed from" in in_kernel["install"]
    assert "computes a convolution, not a cross-correlation" in in_kernel["corr2d-checks"]
    assert "Error" not in in_kernel["Conv2D-checks"]

    run_tool(folder, autograde, course, tmp_path)
    run_tool(folder, export, course, tmp_path)
    with open(course / "grades.csv", newline="") as handle:
        scores = {row["student_id"]: (float(row["score"]), float(row["max_score"])) for row in csv.DictReader(handle)}
    assert scores["correct"] == (FULL, FULL)
    assert scores["flipped"][0] < FULL - 20
    graded = json.loads((course / "autograded" / "flipped" / NOTEBOOK).read_text())
    corr2d = next(c for c in graded["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "corr2d-checks")
    shown = cell_outputs(corr2d)
    assert "computes a convolution, not a cross-correlation" in shown
    assert "Grading this notebook (autograder)" in shown

    run_tool(folder, shlex.split(GRADE_BATCH), course, tmp_path)
    with open(course / "marks" / "grades.csv", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert rows["correct"]["status"] == "graded"
    assert float(rows["correct"]["total"]) == float(rows["correct"]["max"])
    assert float(rows["flipped"]["total"]) < float(rows["flipped"]["max"]) - 20
    assert float(rows["flipped"]["corr2d"]) < 10


@pytest.mark.parametrize("lang", ["en"])
def test_build_writes_an_nbgrader_course_folder(tmp_path, lang):
    path = nbgrader.build(UNIT, lang, tmp_path)
    assert path == tmp_path / "source" / NOTEBOOK
    assert Path(path).exists()
