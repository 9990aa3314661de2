"""`make otter`'s master notebook through Otter itself, with the README's commands: executed,
`otter assign` (which runs the tests on the solutions), `otter run` of a correct and a wrong
submission; the autograder zip's environment and a student's kernel without the kit."""

from __future__ import annotations

import copy
import json
import zipfile
from pathlib import Path

import pytest
import yaml

from autograder.bundles import otter, wheel
from autograder.units.convolutions import UNIT
from tests.kit.conftest import run_cli
from tests.kit.jupyter import HIDDEN_CPU_POINTS, bare_kernel, bare_python, execute, outputs_by_id, run_tool, venv
from tests.kit.test_nbgrader import readme_block

FULL = HIDDEN_CPU_POINTS


def test_the_master_notebook_uses_otter_assigns_format():
    document = json.loads(otter.master_notebook(UNIT, "en"))
    raw = ["".join(c["source"]) for c in document["cells"] if c["cell_type"] == "raw"]
    assert raw[0].startswith("# ASSIGNMENT CONFIG\n")
    config = yaml.safe_load(raw[0])
    assert config["run_tests"] is True
    assert config["tests"] == {"ok_format": False}
    assert config["files"] == [wheel.FILE_NAME]
    assert config["requirements"] == "requirements.txt"
    questions = [text.split("name: ", 1)[1].strip() for text in raw if text.startswith("# BEGIN QUESTION")]
    assert questions == ["corr2d", "Conv2D", "corr1d_corr3d", "learn_kernel"]
    for marker in ("# BEGIN SOLUTION", "# END SOLUTION", "# BEGIN TESTS", "# END TESTS", "# END QUESTION"):
        assert sum(text.strip() == marker for text in raw) == 4, marker
    tests = ["".join(c["source"]) for c in document["cells"] if "# BEGIN TEST CONFIG" in "".join(c["source"])]
    hidden = [t for t in tests if "hidden: true" in t]
    public = [t for t in tests if "hidden: false" in t]
    assert public
    assert all("points: 0\n" in t for t in public)
    assert sum(int(t.split("points: ", 1)[1].split("\n", 1)[0]) for t in hidden) == FULL


def readme_commands() -> list[str]:
    commands = readme_block("Otter-Grader")
    assert commands[:3] == ["make otter otter-env", ". .venv-otter/bin/activate", "cd dist/otter"]
    return commands[3:]


def test_the_readme_gets_otter_on_path_and_runs_it_from_the_masters_folder():
    tools = [c.split()[0] for c in readme_commands()]
    assert tools == ["jupyter", "otter", "otter"]


def otter_score(results: Path) -> float:
    return sum(test.get("score") or 0 for test in json.loads(results.read_text())["tests"])


def zip_environment(autograder_zip: Path) -> dict:
    with zipfile.ZipFile(autograder_zip) as archive:
        assert f"files/{wheel.FILE_NAME}" in archive.namelist()
        return yaml.safe_load(archive.read("environment.yml"))


@pytest.mark.slow
def test_otter_round_trip_as_the_readme_says(tmp_path):
    folder = venv("otter")
    work = tmp_path / "otter"
    result = run_cli("export", "otter", "--lang", "en", "--out", str(work))
    assert result.returncode == 0, result.stderr
    execute_master, assign, run_solutions = readme_commands()
    for line in (execute_master, assign, run_solutions):
        run_tool(folder, ["bash", "-c", line], work, tmp_path)
    assert otter_score(work / "results.json") == FULL

    dist = work / "dist"
    student = json.loads((dist / "student" / UNIT.notebook).read_text())
    shown = "\n".join("".join(c["source"]) for c in student["cells"])
    assert "(X[i : i + k_h, j : j + k_w] * K).sum()" not in shown
    assert "hidden test" not in shown
    assert 'grader.check("corr2d")' in shown
    assert (dist / "student" / wheel.FILE_NAME).is_file()

    autograder_zip = next((dist / "autograder").glob("*.zip"))
    pip = next(d["pip"] for d in zip_environment(autograder_zip)["dependencies"] if isinstance(d, dict))
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in pip
    assert {"torch==2.13.0+cpu", "numpy", f"/autograder/source/files/{wheel.FILE_NAME}"} <= set(pip)
    assert any(p.startswith("otter-grader") for p in pip)

    # Grade as the zip's environment would: a Python with otter and torch, and the kit only from
    # the wheel the zip carries (installed as its requirement line says, from files/).
    python = bare_python(tmp_path, "otter")
    unpacked = tmp_path / "source"
    zipfile.ZipFile(autograder_zip).extractall(unpacked)
    wheel_line = f"/autograder/source/files/{wheel.FILE_NAME}"
    install = [
        str(python),
        "-m",
        "pip",
        "install",
        "--quiet",
        str(unpacked / wheel_line.removeprefix("/autograder/source/")),
    ]
    run_tool(folder, install, tmp_path, tmp_path)
    solved = json.loads((dist / "autograder" / UNIT.notebook).read_text())
    wrong = copy.deepcopy(solved)
    for cell in wrong["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "code" and text.startswith("def corr2d"):
            cell["source"] = text.replace("* K).sum()", "* K.flip(0, 1)).sum()")
    scores = {}
    for name, document in (("correct", solved), ("wrong", wrong)):
        (tmp_path / f"{name}.ipynb").write_text(json.dumps(document))
        (tmp_path / name).mkdir()
        command = [str(python), "-m", "otter", "run", "-a", str(autograder_zip), "-o", name, f"{name}.ipynb"]
        run_tool(folder, command, tmp_path, tmp_path)
        scores[name] = otter_score(tmp_path / name / "results.json")
    assert scores["correct"] == FULL
    assert scores["wrong"] < FULL - 20

    # The student's notebook, in a kernel with torch and otter but not the kit: the first cell installs
    # the wheel beside it, and grader.check runs the public cases.
    notebook = dist / "student" / UNIT.notebook
    filled = copy.deepcopy(student)
    answers = {"".join(c["source"]).split("(", 1)[0]: c["source"] for c in solved["cells"] if c["cell_type"] == "code"}
    for cell in filled["cells"]:
        head = "".join(cell["source"]).split("(", 1)[0]
        if cell["cell_type"] == "code" and head.startswith(("def ", "class ")) and head in answers:
            cell["source"] = answers[head]
    notebook.write_text(json.dumps(filled))
    home = tmp_path / "student"
    shown = outputs_by_id(execute(notebook, home, bare_kernel(home, "otter")))
    assert "The checker is installed from" in shown["install"]
    checks = [text for text in shown.values() if "corr2d results" in text]
    assert checks, shown
    assert "All test cases passed" in checks[0]
