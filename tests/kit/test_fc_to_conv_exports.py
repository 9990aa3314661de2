"""The second unit's exports through the tools themselves, one round trip each: nbgrader and Otter with
the README's commands (for `--unit fc_to_conv`), and Classroom 50's autograder.py as its runner calls it.
The helpers are the first unit's tests'; only the unit and its names change."""

from __future__ import annotations

import csv
import json
import shlex
import shutil
import zipfile

import pytest

from autograder.bundles import nbgrader, wheel
from autograder.bundles.sections import NBGRADER_MARKERS
from autograder.i18n import catalogue
from autograder.submission.notebook import CELL_KEY
from autograder.units.convolutions import UNIT as FIRST
from autograder.units.fc_to_conv import UNIT
from tests.kit.conftest import run_cli
from tests.kit.jupyter import bare_python, cell_outputs, cpu_points, run_tool, venv
from tests.kit.test_classroom50 import RUNNER_ENV, checkout, run
from tests.kit.test_nbgrader import NBGRADER_COMMANDS, _submission, source_cells
from tests.kit.test_otter import otter_score, readme_commands

FULL = cpu_points("hidden", UNIT)
ASSIGNMENT = nbgrader.assignment(UNIT)
NOTEBOOK = f"{ASSIGNMENT}/{UNIT.notebook}"
CORRECT = "inputs * hidden + hidden"
BIAS_FORGOTTEN = "inputs * hidden"
"""mlp_parameters without the hidden units' biases: the mistake mlp_bias_forgotten."""
NAMED = catalogue("en").text("mistake.mlp_bias_forgotten.why")


def for_this_unit(command: str) -> str:
    """A README command, written for the first unit, for this one."""
    return command.replace(nbgrader.assignment(FIRST), ASSIGNMENT)


def without_bias(grade_id: str, code: str) -> str:
    return code.replace(CORRECT, BIAS_FORGOTTEN) if grade_id == "ex1_why_not_mlp-1" else code


def test_the_nbgrader_source_releases_the_code_the_files_give():
    """nbgrader replaces a solution cell without solution markers by its stub: the given corr2d and
    EDGE_KERNEL are read-only cells instead, and every solution cell has its markers."""
    cells = source_cells(json.loads(nbgrader.source_notebook(UNIT, "en")))
    code = {gid: c for gid, c in cells.items() if c["metadata"][CELL_KEY]["section"] in UNIT.modules}
    given = {gid: c for gid, c in code.items() if NBGRADER_MARKERS[0] not in "".join(c["source"])}
    sources = ["".join(c["source"]) for c in given.values()]
    assert sum(source.startswith("def corr2d(") for source in sources) == 2
    assert any(source.startswith("EDGE_KERNEL = ") for source in sources)
    for gid, cell in code.items():
        meta = cell["metadata"]["nbgrader"]
        assert meta["solution"] is (gid not in given), gid
        assert meta["locked"] is (gid in given), gid
        assert not meta["grade"]


@pytest.mark.slow
def test_nbgrader_round_trip_for_the_second_unit(tmp_path):
    folder = venv("nbgrader")
    course = tmp_path / "course"
    result = run_cli("export", "nbgrader", "--unit", UNIT.name, "--lang", "en", "--out", str(course))
    assert result.returncode == 0, result.stderr
    generate, autograde, export = (shlex.split(for_this_unit(c)) for c in NBGRADER_COMMANDS)
    run_tool(folder, generate, course, tmp_path)
    release = json.loads((course / "release" / NOTEBOOK).read_text())
    released = "\n".join("".join(c["source"]) for c in release["cells"])
    assert CORRECT not in released
    assert "_hidden_checks" not in released
    assert released.count("def corr2d(") == 2
    assert "EDGE_KERNEL = torch.tensor([[1.0, -1.0]])" in released
    source = json.loads((course / "source" / NOTEBOOK).read_text())
    for student, edit in (("correct", None), ("no_bias", without_bias)):
        path = course / "submitted" / student / NOTEBOOK
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(_submission(release, source, edit)))
        shutil.copy(course / "release" / ASSIGNMENT / wheel.FILE_NAME, path.parent)

    run_tool(folder, autograde, course, tmp_path)
    run_tool(folder, export, course, tmp_path)
    with open(course / "grades.csv", newline="") as handle:
        scores = {row["student_id"]: (float(row["score"]), float(row["max_score"])) for row in csv.DictReader(handle)}
    assert scores["correct"] == (FULL, FULL)
    assert scores["no_bias"][0] < FULL
    graded = json.loads((course / "autograded" / "no_bias" / NOTEBOOK).read_text())
    checks = next(
        c for c in graded["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "mlp_parameters-checks"
    )
    assert NAMED in cell_outputs(checks)


@pytest.mark.slow
def test_otter_round_trip_for_the_second_unit(tmp_path):
    """The README's commands, then the autograder zip on a wrong notebook, graded as the zip's
    environment would: a Python with otter and torch, and the kit only from the wheel the zip carries."""
    folder = venv("otter")
    work = tmp_path / "otter"
    result = run_cli("export", "otter", "--unit", UNIT.name, "--lang", "en", "--out", str(work))
    assert result.returncode == 0, result.stderr
    for line in readme_commands():
        run_tool(folder, ["bash", "-c", for_this_unit(line)], work, tmp_path)
    assert otter_score(work / "results.json") == FULL

    dist = work / "dist"
    student = "\n".join(
        "".join(c["source"]) for c in json.loads((dist / "student" / UNIT.notebook).read_text())["cells"]
    )
    assert CORRECT not in student
    assert student.count("def corr2d(") == 2
    autograder_zip = next((dist / "autograder").glob("*.zip"))
    python = bare_python(tmp_path, "otter")
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extract(f"files/{wheel.FILE_NAME}", tmp_path / "source")
    run_tool(
        folder,
        [str(python), "-m", "pip", "install", "--quiet", str(tmp_path / "source" / "files" / wheel.FILE_NAME)],
        tmp_path,
        tmp_path,
    )
    wrong = json.loads((dist / "autograder" / UNIT.notebook).read_text())
    for cell in wrong["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "code" and text.startswith("def mlp_parameters"):
            cell["source"] = text.replace(CORRECT, BIAS_FORGOTTEN)
    (tmp_path / "wrong.ipynb").write_text(json.dumps(wrong))
    (tmp_path / "wrong").mkdir()
    command = [str(python), "-m", "otter", "run", "-a", str(autograder_zip), "-o", "wrong", "wrong.ipynb"]
    run_tool(folder, command, tmp_path, tmp_path)
    results = tmp_path / "wrong" / "results.json"
    assert otter_score(results) < FULL
    assert NAMED in "\n".join(test.get("output") or "" for test in json.loads(results.read_text())["tests"])


@pytest.mark.slow
def test_classroom_50_grades_a_correct_submission_with_every_point(tmp_path):
    folder = tmp_path / "classroom50"
    result = run_cli("export", "classroom50", "--unit", UNIT.name, "--out", str(folder))
    assert result.returncode == 0, result.stderr
    status, graded = run(folder, checkout(tmp_path, solved=True, unit=UNIT), ASSIGNMENT=UNIT.name)
    assert status == 0
    assert graded is not None
    assert graded["schema"] == "classroom50/result/v1"
    assert (graded["assignment"], graded["submission"]) == (UNIT.name, RUNNER_ENV["SUBMISSION_TAG"])
    assert graded["score"] == graded["max-score"] == cpu_points("public", UNIT)
    assert all(test["passed"] and test["score"] == test["max-score"] for test in graded["tests"])
