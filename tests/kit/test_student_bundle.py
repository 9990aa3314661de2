"""dist/student-bundle.zip: what students need (stubs, notebook, public tests, checker, README, the
GitHub Classroom workflow) and nothing of the grading side; and it works once unzipped."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from autograder import contract
from autograder.authoring import BEGIN, END
from autograder.bundles import student
from autograder.grading import KIT_ROOT
from tests.kit.conftest import SOLUTIONS, run_cli
from tests.kit.jupyter import cpu_points

ROOT = student.FOLDER + "/"


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
    return target / student.FOLDER


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
        ".github/workflows/classroom.yml",
        "tests/__init__.py",
        "tests/public/conftest.py",
        "autograder/__main__.py",
        "autograder/i18n/en.toml",
        *(f"exercises/{module}.py" for module in contract.MODULES),
        *(f"tests/public/{p.name}" for p in (KIT_ROOT / "tests" / "public").glob("test_*.py")),
    }
    assert expected <= inside, expected - inside


def test_no_solution_and_no_hidden_test_is_in_the_bundle(bundle):
    inside = names(bundle)
    for name in inside:
        assert not name.startswith(("solutions/", "tests/hidden/", "tests/kit/", "tests/corpus/", "samples/")), name
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


def classroom_result(folder: Path, submission: str, tmp_path: Path) -> dict:
    out = tmp_path / "classroom-result.txt"
    command = [sys.executable, "-m", "autograder", "grade", submission, "--suite", "public", "--classroom", str(out)]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(base64.b64decode(out.read_text().strip()))


def test_the_workflow_step_reports_points_as_classroom_reads_them(unzipped, tmp_path):
    stubs = classroom_result(unzipped, "exercises", tmp_path)
    assert stubs["max_score"] == cpu_points("public") == 100
    assert stubs["status"] == "fail"
    assert sum(t["score"] for t in stubs["tests"]) == 0
    solved = tmp_path / "solved"
    solved.mkdir()
    for path in SOLUTIONS.glob("ex*.py"):
        (solved / path.name).write_bytes(path.read_bytes())
    result = classroom_result(unzipped, str(solved), tmp_path)
    assert result["status"] == "pass"
    assert sum(t["score"] for t in result["tests"]) == result["max_score"]
    assert all(t["status"] == "pass" and t["name"] and "test_code" in t for t in result["tests"])


def test_the_workflow_runs_the_checks_and_feeds_classroom_s_reporter(bundle):
    workflow = bundle.read(ROOT + ".github/workflows/classroom.yml").decode()
    assert 'name: "Autograding Tests"' in workflow
    assert "SUBMISSION: exercises" in workflow
    assert "--index-url https://download.pytorch.org/whl/cpu" in workflow
    assert 'python -m autograder grade "$SUBMISSION" --suite public --classroom classroom-result.txt' in workflow
    assert 'echo "result=$(cat classroom-result.txt)" >> "$GITHUB_OUTPUT"' in workflow
    assert "uses: classroom-resources/autograding-grading-reporter@v1" in workflow
    assert 'CHECKS_RESULTS: "${{ steps.checks.outputs.result }}"' in workflow
    assert "runners: checks" in workflow
    assert "\t" not in workflow


def test_the_readme_says_how_to_check(bundle):
    readme = bundle.read(ROOT + "README.md").decode()
    assert "python -m autograder check --exercise corr2d" in readme
    assert "convolutions.ipynb" in readme
    assert 'check("corr2d")' in readme
