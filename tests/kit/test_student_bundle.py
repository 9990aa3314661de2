"""dist/student-bundle.zip: what students need (stubs, notebook, public tests, checker, README, the
GitHub Classroom workflow) and nothing of the grading side; and it works once unzipped."""

from __future__ import annotations

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
from autograder.bundles import github, student
from autograder.grading import KIT_ROOT
from tests.kit.conftest import SOLUTIONS, run_cli

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
        github.CHECKS_PATH,
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
