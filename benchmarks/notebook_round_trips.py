"""Time the notebook round trips step by step, with the commands the README gives.

nbgrader: export, `nbgrader generate_assignment`, `nbgrader autograde` of two students (a correct
and a flipped-kernel notebook), `python -m autograder grade-batch submitted`. Otter: export, the
master executed, `otter assign` (which grades the solutions), `otter run` of the solutions. Student:
a Python with torch but not the kit installs the student wheel, then `python -m autograder check`
runs on the stubs, and the bundle's notebook runs from a folder outside the bundle (its first cell
installs the wheel; every check cell prints its report).

Needs `make nbgrader-env otter-env`. Prints seconds per step. Usage:
python benchmarks/notebook_round_trips.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

KIT = Path(__file__).resolve().parent.parent
NBGRADER, OTTER = KIT / ".venv-nbgrader", KIT / ".venv-otter"
NOTEBOOK = "convolutions.ipynb"
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def run(command: list[str], cwd: Path, home: Path, tools: Path | None = None) -> None:
    environment = {**os.environ, "JUPYTER_DATA_DIR": str(home / "data"), "JUPYTER_CONFIG_DIR": str(home / "config")}
    environment.update(IPYTHONDIR=str(home / "ipython"), AUTOGRADER_LANG="en")
    if tools is not None:
        environment["PATH"] = f"{tools / 'bin'}{os.pathsep}{environment['PATH']}"
    result = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def timed(label: str, rows: list[tuple[str, float]], step: object) -> None:
    started = time.perf_counter()
    step()  # type: ignore[operator]
    rows.append((label, time.perf_counter() - started))
    print(f"  {label:<58} {rows[-1][1]:7.1f} s", flush=True)


def kit(*args: str) -> list[str]:
    return [sys.executable, "-m", "autograder", *args]


def solved(release: dict[str, Any], source: dict[str, Any], flip: bool) -> dict[str, Any]:
    answers = {c["metadata"]["nbgrader"]["grade_id"]: c for c in source["cells"] if "nbgrader" in c["metadata"]}
    for cell in release["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            lines = "".join(answers[meta["grade_id"]]["source"]).split("\n")
            code = "\n".join(line for line in lines if line.strip() not in MARKERS)
            cell["source"] = code.replace("* K).sum()", "* K.flip(0, 1)).sum()") if flip else code
    return release


def nbgrader_trip(work: Path, rows: list[tuple[str, float]]) -> None:
    course = work / "course"
    timed(
        "nbgrader: export (source notebook and wheel)",
        rows,
        lambda: run(kit("export", "nbgrader", "--out", str(course)), KIT, work),
    )
    timed(
        "nbgrader generate_assignment convolutions",
        rows,
        lambda: run(["nbgrader", "generate_assignment", "convolutions"], course, work, NBGRADER),
    )
    release = course / "release" / "convolutions" / NOTEBOOK
    source = json.loads((course / "source" / "convolutions" / NOTEBOOK).read_text())
    for student, flip in (("correct", False), ("flipped", True)):
        path = course / "submitted" / student / "convolutions" / NOTEBOOK
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(solved(json.loads(release.read_text()), source, flip)))
    timed(
        "nbgrader autograde convolutions (2 students)",
        rows,
        lambda: run(["nbgrader", "autograde", "convolutions"], course, work, NBGRADER),
    )
    batch = ["python", "-m", "autograder", "grade-batch", "submitted", "--out", "marks"]
    timed("python -m autograder grade-batch submitted (2 students)", rows, lambda: run(batch, course, work, NBGRADER))


def otter_trip(work: Path, rows: list[tuple[str, float]]) -> None:
    folder = work / "otter"
    timed(
        "otter: export (master, wheel, requirements.txt)",
        rows,
        lambda: run(kit("export", "otter", "--out", str(folder)), KIT, work),
    )
    execute = ["jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace", NOTEBOOK]
    timed("jupyter nbconvert --execute the master", rows, lambda: run(execute, folder, work, OTTER))
    timed(
        "otter assign (grades the solutions: run_tests)",
        rows,
        lambda: run(["otter", "assign", NOTEBOOK, "dist"], folder, work, OTTER),
    )
    autograder_zip = str(next((folder / "dist" / "autograder").glob("*.zip")))
    grade = ["otter", "run", "-a", autograder_zip, f"dist/autograder/{NOTEBOOK}"]
    timed("otter run of the solutions", rows, lambda: run(grade, folder, work, OTTER))


def student_trip(work: Path, rows: list[tuple[str, float]]) -> None:
    python = work / "bare" / "bin" / "python"

    def make_python() -> None:
        run([str(NBGRADER / "bin" / "python"), "-m", "venv", str(work / "bare")], work, work)
        (site,) = (work / "bare").glob("lib/python3*/site-packages")
        (borrowed,) = NBGRADER.glob("lib/python3*/site-packages")
        (site / "borrowed.pth").write_text(f"{borrowed}\n")

    timed("student: a Python with torch, without the kit (venv)", rows, make_python)
    bundle = work / "bundle.zip"
    run(kit("export", "student-bundle", "--out", str(bundle)), KIT, work)
    shutil.unpack_archive(bundle, work / "unzipped")
    folder = work / "unzipped" / "convolutions"
    wheel = next(folder.glob("*.whl"))
    timed(
        "pip install the student wheel",
        rows,
        lambda: run([str(python), "-m", "pip", "install", "-q", str(wheel)], work, work),
    )
    (work / "mine").mkdir()
    shutil.copytree(folder / "exercises", work / "mine" / "exercises")
    timed(
        "python -m autograder check (stubs, from the wheel)",
        rows,
        lambda: run([str(python), "-m", "autograder", "check"], work / "mine", work),
    )
    # The notebook alone elsewhere, the wheel beside it, in a fresh Python: install, then every cell.
    shutil.rmtree(work / "bare")
    make_python()
    elsewhere = work / "colab-like"
    elsewhere.mkdir()
    shutil.copy(folder / NOTEBOOK, elsewhere)
    shutil.copy(wheel, elsewhere)
    spec = work / "data" / "kernels" / "bare"
    spec.mkdir(parents=True)
    argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "bare", "language": "python"}))
    execute = ["jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace", "--allow-errors"]
    execute += ["--ExecutePreprocessor.kernel_name=bare", NOTEBOOK]
    timed(
        "the bundle's notebook outside it: install cell and 4 checks",
        rows,
        lambda: run(execute, elsewhere, work, NBGRADER),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="keep the work folder here")
    args = parser.parse_args()
    for folder in (NBGRADER, OTTER):
        if not (folder / ".installed").exists():
            sys.exit(f"{folder.name} is missing: run `make nbgrader-env otter-env`")
    work = args.keep or Path(tempfile.mkdtemp(prefix="round-trips-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, trip in (("nbgrader", nbgrader_trip), ("otter", otter_trip), ("student", student_trip)):
        rows: list[tuple[str, float]] = []
        print(f"{name}:")
        (work / name).mkdir()
        trip(work / name, rows)
        print(f"  {'total':<58} {sum(seconds for _, seconds in rows):7.1f} s")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if args.keep is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
