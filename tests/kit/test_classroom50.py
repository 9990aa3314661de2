"""`export classroom50`: Classroom 50's autograder.py, run as its runner runs it, from a student's
checkout with the runner's environment, and the result.json it must leave (classroom50/result/v1)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.bundles import classroom50, student
from autograder.paths import KIT_ROOT
from autograder.unit import Unit
from autograder.units.convolutions import UNIT

RUNNER_ENV = {
    "CLASSROOM": "dl-2026",
    "ASSIGNMENT": "convolutions",
    "SUBMISSION_TAG": "submit/2026-10-01T10-00-00Z-abc1234",
    "COMMIT_URL": "https://github.com/dl-2026/convolutions-ana/commit/abc1234",
    "RELEASE_URL": "https://github.com/dl-2026/convolutions-ana/releases/tag/submit%2F2026",
}
COMMITTED = "2026-10-01T09:59:30Z"


@pytest.fixture(scope="module")
def autograder_folder(tmp_path_factory) -> Path:
    return classroom50.build(UNIT, tmp_path_factory.mktemp("classroom50") / "convolutions")


def checkout(tmp_path: Path, solved: bool, unit: Unit = UNIT) -> Path:
    """A student's repository (the student bundle of `unit`), committed at COMMITTED."""
    with zipfile.ZipFile(student.build(unit, "en", tmp_path / "bundle.zip")) as archive:
        archive.extractall(tmp_path)
    repository = tmp_path / unit.name
    if solved:
        for path in (unit.solutions).glob("ex*.py"):
            shutil.copy(path, repository / "exercises" / path.name)
    dated = {**os.environ, "GIT_COMMITTER_DATE": COMMITTED, "GIT_AUTHOR_DATE": COMMITTED}
    for command in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=Ana", "-c", "user.email=a@b", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *command], cwd=repository, env=dated, check=True)
    return repository


def run(folder: Path, repository: Path, **env: str) -> tuple[int, dict | None]:
    environment = {**os.environ, **RUNNER_ENV, **env}
    environment.pop("AUTOGRADER_LANG", None)
    result = subprocess.run(
        [sys.executable, str(folder / "autograder.py")], cwd=repository, env=environment, timeout=600, check=False
    )
    path = repository / "result.json"
    return result.returncode, json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def test_the_folder_holds_the_checker_and_the_public_tests_only(autograder_folder):
    names = {p.relative_to(autograder_folder).as_posix() for p in autograder_folder.rglob("*") if p.is_file()}
    public = UNIT.suite("public").relative_to(KIT_ROOT).as_posix()
    assert {"autograder.py", "autograder/__main__.py", f"{public}/conftest.py"} <= names
    private = tuple(p.relative_to(KIT_ROOT).as_posix() for p in (UNIT.suite("hidden"), UNIT.solutions, UNIT.samples))
    assert not any(name.startswith((*private, "tests/", "solutions/", "samples/")) for name in names)


def test_a_correct_submission_gets_every_point_in_classroom_50_s_format(autograder_folder, tmp_path):
    status, result = run(autograder_folder, checkout(tmp_path, solved=True))
    assert status == 0
    assert result["schema"] == "classroom50/result/v1"
    assert {key: result[key] for key in ("classroom", "assignment", "submission")} == {
        "classroom": "dl-2026",
        "assignment": "convolutions",
        "submission": RUNNER_ENV["SUBMISSION_TAG"],
    }
    assert result["review"] == result["commit"] == RUNNER_ENV["COMMIT_URL"]
    assert result["datetime"] == COMMITTED
    assert result["score"] == result["max-score"] == 100
    assert isinstance(result["score"], int)
    assert all(test["passed"] and test["score"] == test["max-score"] for test in result["tests"])
    assert sum(test["max-score"] for test in result["tests"]) == 100


def test_the_student_s_copy_of_the_checker_is_not_the_one_that_grades(autograder_folder, tmp_path):
    repository = checkout(tmp_path, solved=False)
    (repository / "autograder" / "__main__.py").write_text("print('100 / 100'); raise SystemExit(0)\n")
    status, result = run(autograder_folder, repository)
    assert status == 0
    assert result["score"] == 0
    assert result["max-score"] == 100
    assert not any(test["passed"] for test in result["tests"])


def test_an_unreadable_submission_scores_0_with_the_reason(autograder_folder, tmp_path):
    repository = checkout(tmp_path, solved=False)
    status, result = run(autograder_folder, repository, SUBMISSION="nothing-here.zip")
    assert status == 0
    assert result["score"] == 0
    assert result["tests"] == []
    assert "could not be graded" in (repository / "release-body.md").read_text()
