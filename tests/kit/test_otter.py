"""`make otter`'s master notebook through Otter itself: executed, `otter assign`, then `otter run` of
a correct and a wrong submission, in .venv-otter (`make otter-env`, otter-grader[grading])."""

from __future__ import annotations

import copy
import json

from autograder.bundles import otter
from tests.kit.conftest import run_cli
from tests.kit.jupyter import HIDDEN_CPU_POINTS, run_tool, venv

FULL = HIDDEN_CPU_POINTS


def test_the_master_notebook_uses_otter_assigns_format():
    document = json.loads(otter.master_notebook("en"))
    raw = ["".join(c["source"]) for c in document["cells"] if c["cell_type"] == "raw"]
    assert raw[0].startswith("# ASSIGNMENT CONFIG\n")
    assert "ok_format: false" in raw[0]
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


def test_otter_assigns_and_runs_the_assignment(tmp_path):
    folder = venv("otter")
    result = run_cli("export", "otter", "--lang", "en", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    master = tmp_path / f"{otter.ASSIGNMENT}.ipynb"
    run_tool(
        folder, ["jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace", master.name], tmp_path, tmp_path
    )
    run_tool(folder, ["otter", "assign", master.name, "dist"], tmp_path, tmp_path)
    student = json.loads((tmp_path / "dist" / "student" / master.name).read_text())
    shown = "\n".join("".join(c["source"]) for c in student["cells"])
    assert "(X[i : i + k_h, j : j + k_w] * K).sum()" not in shown
    assert "hidden test" not in shown
    assert 'grader.check("corr2d")' in shown
    solved = json.loads((tmp_path / "dist" / "autograder" / master.name).read_text())
    wrong = copy.deepcopy(solved)
    for cell in wrong["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "code" and text.startswith("def corr2d"):
            cell["source"] = text.replace("* K).sum()", "* K.flip(0, 1)).sum()")
    autograder_zip = next((tmp_path / "dist" / "autograder").glob("*.zip"))
    scores = {}
    for name, document in (("correct", solved), ("wrong", wrong)):
        (tmp_path / f"{name}.ipynb").write_text(json.dumps(document))
        (tmp_path / name).mkdir()
        run_tool(folder, ["otter", "run", "-a", str(autograder_zip), "-o", name, f"{name}.ipynb"], tmp_path, tmp_path)
        results = json.loads((tmp_path / name / "results.json").read_text())
        scores[name] = sum(t.get("score") or 0 for t in results["tests"])
    assert scores["correct"] == FULL
    assert scores["wrong"] < FULL - 20
