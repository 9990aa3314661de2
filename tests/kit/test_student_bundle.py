"""dist/student-bundle.zip: what students need (stubs, notebook, public tests, checker, README, the
GitHub Classroom workflow) and nothing of the grading side; and it works once unzipped."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from autograder.authoring import BEGIN, END, stubs
from autograder.bundles import github, student, wheel
from autograder.bundles.notebooks import install_cell_source
from autograder.paths import KIT_ROOT
from autograder.units.convolutions import UNIT
from tests.kit.conftest import SOLUTIONS, run_cli
from tests.kit.jupyter import (
    bare_kernel,
    execute,
    flip_corr2d,
    outputs_by_id,
    solutions_by_cell,
    write,
)

ROOT = UNIT.name + "/"
PUBLIC_SUITE = UNIT.suite("public").relative_to(KIT_ROOT).as_posix()
"""Where the public suite is, in the bundle's folder and in the wheel alike: inside the unit's package."""
PRIVATE = tuple(p.relative_to(KIT_ROOT).as_posix() + "/" for p in (UNIT.suite("hidden"), UNIT.solutions, UNIT.samples))


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("dist") / student.ZIP_NAME
    result = run_cli("export", "student-bundle", "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return zipfile.ZipFile(out)


@pytest.fixture(scope="module")
def unzipped(bundle, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("student")
    bundle.extractall(target)
    return target / UNIT.name


def names(bundle: zipfile.ZipFile) -> set[str]:
    return {name.removeprefix(ROOT) for name in bundle.namelist()}


def solution_blocks() -> list[str]:
    """Every reference body of solutions/, each as its lines without indentation.

    One-line bodies are left out: Conv2D's forward is stated by the exercise itself, in its docstring.
    """
    blocks = []
    for path in SOLUTIONS.glob("ex*.py"):
        text = path.read_text(encoding="utf-8")
        for body in re.findall(rf"{re.escape(BEGIN)}\n(.*?)\n\s*{re.escape(END)}", text, flags=re.S):
            lines = [line.strip() for line in textwrap.dedent(body).split("\n")]
            if len(lines) > 1:
                blocks.append("\n".join(lines))
    return blocks


def test_the_bundle_holds_what_students_need(bundle):
    inside = names(bundle)
    assert all(name.startswith(ROOT) for name in bundle.namelist())
    expected = {
        "README.md",
        "convolutions.ipynb",
        "pyproject.toml",
        github.CHECKS_PATH,
        f"{PUBLIC_SUITE}/conftest.py",
        "autograder/__main__.py",
        "autograder/i18n/en.toml",
        *(f"exercises/{module}.py" for module in UNIT.modules),
        *(f"{PUBLIC_SUITE}/{p.name}" for p in UNIT.suite("public").glob("test_*.py")),
    }
    assert expected <= inside, expected - inside


def test_no_solution_and_no_hidden_test_is_in_the_bundle(bundle):
    inside = names(bundle)
    for name in inside:
        assert not name.startswith(("solutions/", "samples/", "tests/", *PRIVATE)), name
        assert "__pycache__" not in name
    blocks = solution_blocks()
    assert len(blocks) == 5
    for name in inside:
        text = bundle.read(ROOT + name).decode("utf-8", errors="replace")
        flat = "\n".join(line.strip() for line in text.replace("\\n", "\n").split("\n"))
        for block in blocks:
            assert block not in flat, f"a solution body is in {name}:\n{block}"


def test_the_checker_runs_in_the_unzipped_bundle(unzipped):
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "check", "--color", "never", "--lang", "en"],
        cwd=unzipped,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "is not implemented yet" in result.stdout
    assert "Total" in result.stdout


def test_the_workflow_runs_the_public_checks_with_the_github_report(bundle):
    """The workflow itself is run step by step in test_github.py."""
    workflow = bundle.read(ROOT + github.CHECKS_PATH).decode()
    assert "SUBMISSION: exercises" in workflow
    assert '--index-url "https://download.pytorch.org/whl/cpu"' in workflow
    assert 'python -m autograder grade "$SUBMISSION" --suite public --github --fail-under "$PASS_MARK"' in workflow
    assert "\t" not in workflow


def test_the_readme_says_how_to_check(bundle):
    readme = bundle.read(ROOT + "README.md").decode()
    assert "python -m autograder check --exercise corr2d" in readme
    assert "convolutions.ipynb" in readme
    assert 'check("corr2d")' in readme


# ------------------------------------------------------------------ the student wheel, anywhere


def test_the_bundle_carries_the_wheel_of_the_checker_and_public_tests_only(bundle):
    inside = names(bundle)
    assert wheel.FILE_NAME in inside
    with zipfile.ZipFile(io.BytesIO(bundle.read(ROOT + wheel.FILE_NAME))) as archive:
        packed = set(archive.namelist())
        texts = [archive.read(name).decode("utf-8", errors="replace") for name in packed]
    assert {f"{PUBLIC_SUITE}/{p.name}" for p in UNIT.suite("public").glob("test_*.py")} <= packed
    assert "autograder/__main__.py" in packed
    assert not [name for name in packed if "hidden" in name or "solutions" in name or "__pycache__" in name]
    flat = "\n".join("\n".join(line.strip() for line in text.split("\n")) for text in texts)
    assert not [block for block in solution_blocks() if block in flat]
    metadata = archive_text(bundle, "METADATA")
    assert "Name: conv-autograder-student" in metadata
    assert "Requires-Dist: torch>=2.1" in metadata


def archive_text(bundle: zipfile.ZipFile, suffix: str) -> str:
    with zipfile.ZipFile(io.BytesIO(bundle.read(ROOT + wheel.FILE_NAME))) as archive:
        return archive.read(next(n for n in archive.namelist() if n.endswith(f".dist-info/{suffix}"))).decode()


def test_bare_pytest_in_the_bundle_runs_the_public_checks(unzipped):
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--lang", "en"], cwd=unzipped, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"{PUBLIC_SUITE}/test_ex1_corr2d.py" in result.stdout
    assert "corr2d is not implemented yet" in result.stdout
    assert re.search(r"Total\s+0 / 100", result.stdout), result.stdout[-2000:]


@pytest.fixture(scope="module")
def unzipped_zh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist-zh") / student.ZIP_NAME
    result = run_cli("export", "student-bundle", "--lang", "zh", "--out", str(out))
    assert result.returncode == 0, result.stderr
    target = tmp_path_factory.mktemp("student-zh")
    zipfile.ZipFile(out).extractall(target)
    return target / UNIT.name


def english_system() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("AUTOGRADER_LANG", "LC_ALL", "LC_MESSAGES")}
    return {**environment, "LANG": "en_US.UTF-8"}


def test_the_chinese_bundle_speaks_chinese_on_an_english_system(unzipped_zh):
    check = [sys.executable, "-m", "autograder", "check", "--color", "never", "--exercise", "corr2d"]
    result = subprocess.run(check, cwd=unzipped_zh, env=english_system(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "corr2d 还没有实现" in result.stdout
    assert "总分" in result.stdout
    assert "Total" not in result.stdout
    english = subprocess.run(
        [*check, "--lang", "en"], cwd=unzipped_zh, env=english_system(), capture_output=True, text=True, timeout=600
    )
    assert "corr2d is not implemented yet" in english.stdout
    readme = (unzipped_zh / "README.md").read_text(encoding="utf-8")
    assert "--lang en" in readme
    notebook = (unzipped_zh / "convolutions.ipynb").read_text(encoding="utf-8")
    assert "KIT_WHEEL" in notebook
    assert "检查程序尚未安装" in notebook


@pytest.mark.slow
def test_the_notebook_opened_outside_the_bundle_installs_the_checker_and_checks_itself(tmp_path):
    """As on Colab: the notebook alone, in a kernel with torch but not the kit; its first cell installs
    the wheel from the address the course set, and check() prints the report."""
    published = tmp_path / "course-site"
    assert run_cli("export", "student-wheel", "--lang", "en", "--out", str(published)).returncode == 0
    out = tmp_path / student.ZIP_NAME
    url = str(published / wheel.FILE_NAME)
    result = run_cli("export", "student-bundle", "--lang", "en", "--out", str(out), "--wheel-url", url)
    assert result.returncode == 0, result.stderr
    document = json.loads(zipfile.ZipFile(out).read(ROOT + UNIT.notebook))
    solutions = solutions_by_cell()
    for cell in document["cells"]:
        if cell["id"] in solutions:
            cell["source"] = flip_corr2d(cell["id"], solutions[cell["id"]])
    elsewhere = tmp_path / "home" / "notebooks" / UNIT.notebook
    write(document, elsewhere)
    home = tmp_path / "jupyter"
    shown = outputs_by_id(execute(elsewhere, home, bare_kernel(home)))
    assert f"The checker is installed from {url}." in shown["install"]
    assert "Error" not in shown["setup"]
    assert "Checking convolutions.ipynb, as saved at" in shown["ex1_corr2d-check"]
    assert "computes a convolution, not a cross-correlation" in shown["ex1_corr2d-check"]
    assert re.search(r"corr2d\s+\d+ / 30", shown["ex1_corr2d-check"])
    assert "All tests passed." in shown["ex4_learn_kernel-check"]

    # The same installed wheel on the command line, in a student's folder with the stubs.
    work = tmp_path / "home" / "work"
    (work / "exercises").mkdir(parents=True)
    for name, text in stubs(UNIT, "en").items():
        (work / "exercises" / name).write_text(text)
    python = home / "bare-nbgrader" / "bin" / "python"
    command = [str(python), "-m", "autograder", "check", "--color", "never"]
    result = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    assert "corr2d is not implemented yet" in result.stdout
    assert re.search(r"Total\s+0 / 100", result.stdout)


def run_install_cell(folder: Path, as_main: bool) -> subprocess.CompletedProcess:
    """The install cell in a Python without the kit (-S: no site-packages): run as the kernel runs
    it (`__main__`), or imported as part of an exercise module, as the grader's worker would."""
    cell = folder / "cell.py"
    cell.write_text(install_cell_source("en"))
    run_name = "__main__" if as_main else "ex1_corr2d"
    code = f"import runpy; runpy.run_path({str(cell)!r}, run_name={run_name!r})"
    return subprocess.run([sys.executable, "-S", "-c", code], cwd=folder, capture_output=True, text=True, timeout=60)


def test_without_a_wheel_or_an_address_the_install_cell_says_what_to_do(tmp_path):
    result = run_install_cell(tmp_path, as_main=True)
    assert result.returncode == 1
    assert "no wheel conv_autograder_student-*.whl is beside this notebook" in result.stderr
    assert "set KIT_WHEEL in this cell" in result.stderr


def test_imported_as_part_of_a_module_the_install_cell_does_nothing(tmp_path):
    """A notebook whose cells lost their metadata is graded whole, this cell included: in the
    grader's worker it must neither fail nor run pip."""
    result = run_install_cell(tmp_path, as_main=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""


def test_a_bare_check_lets_the_students_files_say_their_unit(tmp_path):
    """A bundle's `check` with no --unit, for a student of a unit other than the first: their stubs
    choose the unit (it was the first unit's, which found none of its files); --unit and --exercise say it."""
    import argparse
    import shutil

    from autograder.commands.check import unit_checked
    from autograder.commands.session import Session
    from autograder.sandbox.limits import Limits
    from autograder.submission.loader import load
    from autograder.units.fc_to_conv import UNIT as FC_TO_CONV

    session = Session("en", False, Limits(), tmp_path)
    assert unit_checked(argparse.Namespace(unit=None, exercise=None), session) is None
    shutil.copytree(FC_TO_CONV.solutions, tmp_path / "exercises")
    assert load(tmp_path / "exercises", None).unit == FC_TO_CONV
    chosen = argparse.Namespace(unit=None, exercise=[FC_TO_CONV.tags[0]])
    assert unit_checked(chosen, session) == FC_TO_CONV
    named = Session("en", False, Limits(), tmp_path, unit_name=UNIT.name)
    assert unit_checked(argparse.Namespace(unit=UNIT.name, exercise=None), named) == UNIT
