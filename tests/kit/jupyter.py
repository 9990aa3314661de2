"""Helpers of the notebook tests: solved copies of the generated notebooks, and Jupyter tools run
from their own virtualenvs (`make nbgrader-env`, `make otter-env`), isolated from the user's."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from autograder.bundles.notebooks import student_notebook
from autograder.bundles.sections import read_sections, solution_renderer
from autograder.bundles.suites import read_suite
from autograder.paths import KIT_ROOT
from autograder.submission.notebook import CELL_KEY
from autograder.unit import Unit
from autograder.units.convolutions import UNIT

VENVS = {"nbgrader": KIT_ROOT / ".venv-nbgrader", "otter": KIT_ROOT / ".venv-otter"}


def cpu_points(suite: str, unit: Unit = UNIT) -> float:
    """The points of a suite's CPU tests: the maximum on a machine without CUDA, and in the exports."""
    return sum(t.grading.points for module in read_suite(unit, suite) for t in module.tests if not t.cuda)


HIDDEN_CPU_POINTS = cpu_points("hidden")
Edit = Callable[[str, str], str]
"""(cell id, solution code) -> the code to put in the cell."""


def solutions_by_cell(lang: str = "en") -> dict[str, str]:
    """Cell id of the student notebook -> the reference code of that definition."""
    sections = read_sections(UNIT, solution_renderer(lang, ("# solution:", "# end of solution")))
    return {
        f"{section.module}-{number}": definition
        for section in sections.sections
        for number, definition in enumerate(section.definitions, start=1)
    }


def solved_notebook(edit: Edit | None = None, lang: str = "en") -> dict[str, Any]:
    """The notebook students get, with every exercise cell holding the reference code (or its edit)."""
    document = json.loads(student_notebook(UNIT, lang))
    solutions = solutions_by_cell(lang)
    for cell in document["cells"]:
        if cell["id"] in solutions:
            code = solutions[cell["id"]]
            cell["source"] = (edit(cell["id"], code) if edit else code).splitlines(keepends=True)
    return document


def flip_corr2d(cell: str, code: str) -> str:
    """The classic mistake: a convolution (kernel flipped) instead of a cross-correlation."""
    return code.replace("* K).sum()", "* K.flip(0, 1)).sum()") if cell == "ex1_corr2d-1" else code


def with_cells(document: dict[str, Any], extra: list[tuple[int, str, str | None]]) -> dict[str, Any]:
    """A copy with code cells inserted: (position, source, section or None for an untagged cell)."""
    changed = copy.deepcopy(document)
    for position, source, section in sorted(extra, reverse=True):
        metadata = {CELL_KEY: {"section": section}} if section else {}
        cell = {"cell_type": "code", "metadata": metadata, "source": source, "outputs": [], "execution_count": None}
        changed["cells"].insert(position, cell)
    return changed


def write(document: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def venv(name: str) -> Path:
    """The tool's virtualenv; missing, the test is skipped, except on CI where it must run."""
    folder = VENVS[name]
    if not (folder / ".installed").exists():
        message = f"{folder.name} is missing: run `make {name}-env`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


def run_tool(folder: Path, args: list[str], cwd: Path, home: Path, timeout: float = 600) -> str:
    """Run a command of the virtualenv `folder`, with Jupyter's paths kept inside `home`."""
    environment = {
        **os.environ,
        "PATH": f"{folder / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "AUTOGRADER_LANG": "en",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    for variable in ("VIRTUAL_ENV", "PYTHONPATH", "JUPYTER_PATH"):
        environment.pop(variable, None)
    result = subprocess.run(args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout + result.stderr


def cell_outputs(cell: dict[str, Any]) -> str:
    """The text a cell printed or returned, as one string."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        parts.append("".join(output.get("data", {}).get("text/plain", "")))
        parts.append(f"{output.get('ename', '')} {output.get('evalue', '')}")
    return "\n".join(parts)


def bare_python(home: Path, tools: str = "nbgrader") -> Path:
    """A Python with the packages of .venv-`tools` (torch, numpy, pytest, ipykernel, the tool) but
    not the kit, as a student's or a fresh grading image's is; returns its interpreter.

    A fresh virtualenv borrows the tool's packages through a .pth line (the kit's editable install
    there is not active through such a line), so pip sees torch as installed and a wheel installs in
    seconds, offline.
    """
    folder = venv(tools)
    python = home / f"bare-{tools}"
    subprocess.run([str(folder / "bin" / "python"), "-m", "venv", str(python)], check=True, timeout=300)
    (site,) = python.glob("lib/python3*/site-packages")
    (borrowed,) = folder.glob("lib/python3*/site-packages")
    (site / f"borrowed-from-{folder.name}.pth").write_text(f"{borrowed}\n")
    interpreter = python / "bin" / "python"
    probe = subprocess.run([str(interpreter), "-c", "import autograder"], cwd=home, capture_output=True, check=False)
    assert probe.returncode != 0, "the bare Python must not find the kit"
    return interpreter


def bare_kernel(home: Path, tools: str = "nbgrader") -> str:
    """A Jupyter kernel running bare_python(home, tools); returns its name, registered under `home`."""
    spec = home / "data" / "kernels" / f"bare-{tools}"
    spec.mkdir(parents=True)
    argv = [str(bare_python(home, tools)), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": spec.name, "language": "python"}))
    return spec.name


def execute(path: Path, home: Path, kernel: str, timeout: float = 600) -> dict[str, Any]:
    """Run every cell of the notebook at `path` in `kernel` (nbclient, through nbconvert), from its
    folder, and return the executed document; a cell that raises stops it, as in Jupyter."""
    command = ["jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace", "--allow-errors"]
    command += [f"--ExecutePreprocessor.kernel_name={kernel}", f"--ExecutePreprocessor.timeout={int(timeout)}"]
    run_tool(venv("nbgrader"), [*command, path.name], path.parent, home, timeout=timeout)
    return json.loads(path.read_text(encoding="utf-8"))


def outputs_by_id(document: dict[str, Any]) -> dict[str, str]:
    return {cell.get("id", ""): cell_outputs(cell) for cell in document["cells"] if cell["cell_type"] == "code"}
