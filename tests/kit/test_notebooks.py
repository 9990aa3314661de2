"""The notebook of the unit: generated in step with solutions/, graded like the .py files (magics
dropped with a note in the feedback), and checked from inside a notebook with one call."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import types
import zipfile

import pytest

from autograder.authoring import stubs
from autograder.bundles.language import missing
from autograder.bundles.notebooks import MESSAGES, NOTEBOOK_FOLDERS, out_of_step, student_notebook
from autograder.jupyter import check as kernel_check
from autograder.paths import KIT_ROOT
from autograder.submission.notebook import plain_python
from autograder.units.convolutions import UNIT
from tests.kit.conftest import SOLUTIONS, read_results, run_cli
from tests.kit.jupyter import (
    HIDDEN_CPU_POINTS,
    cell_outputs,
    flip_corr2d,
    run_tool,
    solved_notebook,
    venv,
    with_cells,
    write,
)

FULL = HIDDEN_CPU_POINTS


def exercise_scores(report) -> dict[str, float]:
    return {tag: report.exercise_score(tag)[0] for tag in report.exercises()}


# ------------------------------------------------------------------ generated from solutions/


@pytest.mark.parametrize("lang", sorted(NOTEBOOK_FOLDERS))
def test_notebooks_are_in_step_with_solutions(lang):
    if missing(lang, *MESSAGES):
        pytest.skip(f"{lang}.toml does not have the notebook's messages yet")
    assert not out_of_step(UNIT, lang), f"{NOTEBOOK_FOLDERS[lang]}/{UNIT.notebook} is out of step: run `make notebooks`"


def test_notebook_code_is_the_stub_code():
    """Each exercise cell is a piece of the .py stub, character for character."""
    stub_text = "\n".join(stubs(UNIT, "en").values())
    document = json.loads(student_notebook(UNIT, "en"))
    exercise_cells = [
        c for c in document["cells"] if c["metadata"].get("autograder", {}).get("section") in UNIT.modules
    ]
    assert len(exercise_cells) == 5
    for cell in exercise_cells:
        assert "".join(cell["source"]) in stub_text


def test_the_notebook_explains_each_exercise_and_checks_it():
    document = json.loads(student_notebook(UNIT, "en"))
    markdown = "\n".join("".join(c["source"]) for c in document["cells"] if c["cell_type"] == "markdown")
    assert "translation invariance" in markdown
    assert "[[19, 25], [37, 43]]" in markdown
    code = "\n".join("".join(c["source"]) for c in document["cells"] if c["cell_type"] == "code")
    for call in ('check("corr2d")', 'check("Conv2D")', 'check("corr1d", "corr3d")', 'check("learn_kernel")'):
        assert call in code
    assert "from autograder import check" in code


# ------------------------------------------------------------------ graded like the .py files


def test_the_handed_out_notebook_scores_zero_saying_what_to_write(grade):
    report = grade({UNIT.notebook: student_notebook(UNIT, "en").encode()})
    assert report.score == 0
    for tag in UNIT.tags:
        summaries = {t.feedback.summary.key for t in report.tests if t.exercise == tag and t.feedback}
        assert summaries == {"failure.not_implemented"}, (tag, summaries)


def test_a_solved_notebook_scores_the_maximum(grade):
    report = grade({UNIT.notebook: json.dumps(solved_notebook()).encode()})
    assert report.score == report.max_score == FULL
    assert sorted(report.submission.files) == sorted(f"{m}.py" for m in UNIT.modules)


def test_a_flipped_kernel_in_the_notebook_is_named(grade):
    report = grade({UNIT.notebook: json.dumps(solved_notebook(flip_corr2d)).encode()})
    assert exercise_scores(report)["corr2d"] < 10
    assert "flipped_kernel" in report.mistakes()


def test_a_broken_later_cell_costs_only_its_own_exercise(grade):
    broken = with_cells(solved_notebook(), [(len(solved_notebook()["cells"]) - 1, "def oops(:\n", "ex4_learn_kernel")])
    report = grade({UNIT.notebook: json.dumps(broken).encode()})
    scores = exercise_scores(report)
    assert scores["learn_kernel"] == 0
    for tag in ("corr2d", "Conv2D", "corr1d", "corr3d"):
        assert scores[tag] == report.exercise_score(tag)[1] > 0, tag


def test_magics_and_shell_lines_are_dropped_with_a_note_in_every_report(tmp_path):
    notebook = with_cells(
        solved_notebook(),
        [
            (4, "%matplotlib inline\n!pip install d2l\nfiles = !ls\ncorr2d?\n", "setup"),
            (4, "%%bash\necho hello\n", "setup"),
            (6, "%timeit corr2d(torch.ones(3, 3), torch.ones(2, 2))\n", None),
        ],
    )
    path = write(notebook, tmp_path / "in" / UNIT.notebook)
    result = run_cli("grade", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    note = "7 line(s) of notebook magics or shell commands in convolutions.ipynb were dropped"
    assert note in result.stdout
    assert note in (tmp_path / "out" / "feedback.md").read_text()
    results = read_results(tmp_path / "out")
    assert note in results["output"]
    assert results["score"] == FULL


@pytest.mark.parametrize(
    ("cell", "code", "dropped"),
    [
        ("%%bash\necho hi\nls\n", "", 3),
        ("%%time\nx = 1\n", "pass  # dropped: %%time\nx = 1", 1),
        ("if True:\n    !ls \\\n      -l\n    y = 2", "if True:\n    pass  # dropped: !ls \\\n    y = 2", 2),
        (
            "get_ipython().run_line_magic('pwd', '')\nz = 3",
            "pass  # dropped: get_ipython().run_line_magic('pwd', '')\nz = 3",
            1,
        ),
        ("?corr2d\ncorr2d??\n# what?\n", "pass  # dropped: ?corr2d\npass  # dropped: corr2d??\n# what?", 2),
        ("a, b = %who_ls\nc = 5 % 2", "pass  # dropped: a, b = %who_ls\nc = 5 % 2", 1),
    ],
)
def test_plain_python(cell, code, dropped):
    got, count = plain_python(cell)
    assert count == dropped
    assert got == code


def test_an_untagged_notebook_is_graded_whole_with_a_note(grade):
    document = solved_notebook()
    for cell in document["cells"]:
        cell["metadata"] = {}
    report = grade({"convolutions-Copy1.ipynb": json.dumps(document).encode()})
    assert report.score == FULL
    assert any(note.key == "loader.notebook_untagged" for note in report.submission.notes)


def test_a_notebook_per_exercise_file_is_still_graded(grade):
    cells = [{"cell_type": "code", "metadata": {}, "source": (SOLUTIONS / "ex1_corr2d.py").read_text()}]
    report = grade({"ex1_corr2d.ipynb": json.dumps({"cells": cells}).encode()})
    assert exercise_scores(report)["corr2d"] == report.exercise_score("corr2d")[1] > 0


def test_a_copy_of_the_notebook_in_a_folder_or_zip_is_found(grade, tmp_path):
    write(solved_notebook(), tmp_path / "handed in" / "convolutions (1).ipynb")
    (tmp_path / "handed in" / "Untitled.ipynb").write_text("not a notebook")
    assert grade(tmp_path / "handed in").score == FULL
    with zipfile.ZipFile(tmp_path / "s.zip", "w") as archive:
        archive.writestr("work/convolutions.ipynb", json.dumps(solved_notebook()))
    assert grade(tmp_path / "s.zip").score == FULL


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "is not a notebook"),
        (json.dumps({"cells": {"a": 1}}), "has no cells"),
        (json.dumps({"cells": [{"cell_type": "code", "source": [1, 2]}]}), "source is not text"),
    ],
)
def test_an_unreadable_notebook_exits_2_saying_why(tmp_path, content, says):
    path = tmp_path / UNIT.notebook
    path.write_text(content)
    result = run_cli("grade", str(path))
    assert result.returncode == 2
    assert "is not a readable notebook" in result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ check() inside a notebook


def test_importing_autograder_stays_light():
    probe = (
        "import autograder, sys; print(sorted(m for m in ('torch', 'autograder.jupyter.check') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=KIT_ROOT, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.slow  # runs the checker (a grader process), or a Jupyter kernel
def test_check_prints_the_report_of_the_saved_notebook(tmp_path, capsys):
    path = write(solved_notebook(flip_corr2d), tmp_path / UNIT.notebook)
    kernel_check.check("corr2d", notebook=path)
    shown = capsys.readouterr().out
    assert "Checking convolutions.ipynb, as saved at" in shown
    assert "computes a convolution, not a cross-correlation" in shown
    assert "  learn_kernel" not in shown


@pytest.mark.slow  # runs the checker (a grader process)
def test_check_starts_one_warm_checker_and_asks_it_again(tmp_path, capsys, monkeypatch):
    """The first check() starts the checker; the next ones ask the same process (no new Python, torch
    or zygote), each reading the notebook as saved; a checker that died is started again."""
    monkeypatch.setattr(kernel_check, "_checker", None)
    path = write(solved_notebook(flip_corr2d), tmp_path / UNIT.notebook)
    try:
        kernel_check.check("corr2d", notebook=path)
        first = kernel_check._checker
        assert first is not None
        assert "computes a convolution, not a cross-correlation" in capsys.readouterr().out
        write(solved_notebook(), path)  # the fix, saved
        kernel_check.check("corr2d", notebook=path, lang="zh")
        assert kernel_check._checker is first
        assert first.poll() is None
        shown = capsys.readouterr().out
        assert "正在检查 convolutions.ipynb" in shown
        assert "全部测试通过。" in shown
        first.kill()
        first.wait()
        kernel_check.check("corr2d", notebook=path)
        assert kernel_check._checker is not None
        assert kernel_check._checker.pid != first.pid
        assert "All tests passed." in capsys.readouterr().out
    finally:
        kernel_check.stop_checker()
    assert kernel_check._checker is None


def endless_corr2d(cell: str, code: str) -> str:
    """A corr2d that never returns: each check of it runs until the call's time limit."""
    return code.replace("    Y = ", "    while True:\n        pass\n    Y = ", 1) if cell == "ex1_corr2d-1" else code


@pytest.mark.slow  # runs the checker (a grader process)
def test_interrupting_the_kernel_in_a_check_stops_the_checker_and_the_next_check_starts_afresh(
    tmp_path, capsys, monkeypatch
):
    """A check interrupted half-way would answer the next call with its own report: the checker is
    stopped instead, and the next check() gets its own answer from a new one."""
    monkeypatch.setattr(kernel_check, "_checker", None)
    # Ctrl-C raises KeyboardInterrupt in a kernel, as in an interactive Python; a test run started in
    # the background of a shell inherits SIGINT ignored, so the kernel's handler is put in place.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    path = write(solved_notebook(endless_corr2d), tmp_path / UNIT.notebook)
    assert "while True" in path.read_text()
    try:
        kernel_check.check("corr1d", notebook=path)
        first = kernel_check._checker
        assert first is not None
        interrupt = threading.Timer(2.0, os.kill, (os.getpid(), signal.SIGINT))
        interrupt.start()
        with pytest.raises(KeyboardInterrupt):
            kernel_check.check("corr2d", notebook=path)
        interrupt.join()
        assert kernel_check._checker is None
        assert first.poll() is not None
        capsys.readouterr()
        kernel_check.check("corr1d", notebook=path)
        assert kernel_check._checker is not None
        assert kernel_check._checker.pid != first.pid
        shown = capsys.readouterr().out
        assert "  corr1d" in shown
        assert "  corr2d" not in shown
    finally:
        kernel_check.stop_checker()
        signal.signal(signal.SIGINT, previous)


def test_check_outside_a_notebook_says_what_to_run(capsys, monkeypatch):
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    kernel_check.check("corr2d")
    assert "python -m autograder check" in capsys.readouterr().out
    kernel_check.check("corr4d")
    assert "There is no exercise called corr4d" in capsys.readouterr().out


def test_check_finds_the_notebook_as_jupyter_or_vs_code_tell_it(tmp_path, monkeypatch):
    jupyter, vscode = write({"cells": []}, tmp_path / "a.ipynb"), write({"cells": []}, tmp_path / "b.ipynb")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JPY_SESSION_NAME", str(jupyter))
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert kernel_check.find_notebook(UNIT) == jupyter
    shell = types.SimpleNamespace(user_ns={kernel_check.VSCODE_VARIABLE: str(vscode)})
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    assert kernel_check.find_notebook(UNIT) == vscode
    monkeypatch.delenv("JPY_SESSION_NAME")
    monkeypatch.delitem(sys.modules, "IPython")
    assert kernel_check.find_notebook(UNIT) is None
    write({"cells": []}, tmp_path / UNIT.notebook)
    assert kernel_check.find_notebook(UNIT) == tmp_path / UNIT.notebook


def test_check_with_no_exercise_finds_a_second_units_notebook_and_lets_it_say_its_unit(tmp_path, monkeypatch, capsys):
    """A bare check() in another unit's notebook: found beside the kernel, and checked in its own unit
    (the checker reads it for each unit), not the first unit's; an exercise named says its unit."""
    from autograder.units.fc_to_conv import UNIT as FC_TO_CONV

    path = write({"cells": []}, tmp_path / FC_TO_CONV.notebook)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.setitem(
        sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: types.SimpleNamespace(user_ns={}))
    )
    commands = []

    def checker(command, **_):
        commands.append(command)
        return subprocess.CompletedProcess(command, 0, "", "")

    def no_warm_checker(command, **_):
        raise OSError("no warm checker here")

    # Where the warm checker cannot start, each call runs the one-shot command.
    monkeypatch.setattr(kernel_check, "_checker", None)
    monkeypatch.setattr(kernel_check.subprocess, "Popen", no_warm_checker)
    monkeypatch.setattr(kernel_check.subprocess, "run", checker)
    kernel_check.check()
    kernel_check.check(FC_TO_CONV.tags[0])
    assert "could not find" not in capsys.readouterr().out
    bare, named = commands
    assert str(path) in bare
    assert "--unit" not in bare
    assert named[named.index("--unit") + 1] == FC_TO_CONV.name


@pytest.mark.slow  # runs the checker (a grader process), or a Jupyter kernel
def test_check_in_a_real_kernel_shows_the_command_line_report(tmp_path):
    """The student's notebook, executed in Jupyter: each check cell prints the `check` report."""
    folder = venv("nbgrader")
    path = write(solved_notebook(flip_corr2d), tmp_path / UNIT.notebook)
    run_tool(
        folder, ["jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace", path.name], tmp_path, tmp_path
    )
    cells = {c["id"]: cell_outputs(c) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"}
    assert "computes a convolution, not a cross-correlation" in cells["ex1_corr2d-check"]
    assert "corr2d" in cells["ex1_corr2d-check"]
    assert "Total" in cells["ex1_corr2d-check"]
    assert "All tests passed." in cells["ex4_learn_kernel-check"]
    assert "Error" not in cells["setup"]


@pytest.mark.slow  # runs the checker (a grader process), or a Jupyter kernel
def test_check_on_colab_asks_colab_for_the_notebook(monkeypatch, tmp_path, capsys):
    """Colab keeps the notebook in Google Drive: check() gets its content from Colab's front end."""
    document = solved_notebook(flip_corr2d)
    asked = []

    def blocking_request(request, timeout_sec=None):
        asked.append(request)
        return {"ipynb": document}

    message = types.SimpleNamespace(blocking_request=blocking_request, MessageError=RuntimeError)
    colab = types.ModuleType("google.colab")
    colab._message = message
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab._message", message)
    monkeypatch.setitem(
        sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: types.SimpleNamespace(user_ns={}))
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    kernel_check.check("corr2d")
    shown = capsys.readouterr().out
    assert asked == ["get_ipynb"]
    assert "Checking convolutions.ipynb, as saved at" in shown
    assert "computes a convolution, not a cross-correlation" in shown
