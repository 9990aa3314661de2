"""The second unit's Gradescope zip and student bundle, built with --unit and used as their users do."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from autograder.authoring import BEGIN, END
from autograder.bundles import gradescope, student
from autograder.units.fc_to_conv import UNIT
from tests.kit.conftest import run_cli
from tests.kit.test_gradescope_zip import graded

pytestmark = pytest.mark.slow

SECRET = b"a secret of the second unit's course"


@pytest.fixture(scope="module")
def gradescope_zip(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    out, secret = dist / gradescope.ZIP_NAME, dist / "secret"
    secret.write_bytes(SECRET)
    result = run_cli("export", "gradescope", "--unit", UNIT.name, "--out", str(out), "--secret-file", str(secret))
    assert result.returncode == 0, result.stderr
    return out


def unzipped_autograder(built: Path, root: Path) -> Path:
    with zipfile.ZipFile(built) as archive:
        archive.extractall(root / "source")
        for info in archive.infolist():
            (root / "source" / info.filename).chmod(info.external_attr >> 16 & 0o777)
    (root / "submission").mkdir()
    return root


def test_the_gradescope_zip_grades_the_second_unit(gradescope_zip, tmp_path):
    with zipfile.ZipFile(gradescope_zip) as archive:
        run = archive.read("run_autograder").decode()
        names = archive.namelist()
    assert f"--unit {UNIT.name}" in run
    hidden = UNIT.suite("hidden").relative_to(UNIT.root.parents[2]).as_posix()
    assert any(name.startswith(f"{hidden}/test_") for name in names)
    root = unzipped_autograder(gradescope_zip, tmp_path / "autograder")
    for path in UNIT.solutions.glob("ex*.py"):
        (root / "submission" / path.name).write_bytes(path.read_bytes())
    results = graded(root)
    assert results["score"] == 100
    assert {t["tags"][0] for t in results["tests"]} == set(UNIT.tags)


def solution_blocks() -> list[str]:
    """The reference bodies of more than one line, each as its stripped lines."""
    blocks = []
    for path in UNIT.solutions.glob("ex*.py"):
        text = path.read_text(encoding="utf-8")
        for body in re.findall(rf"{re.escape(BEGIN)}\n(.*?)\n\s*{re.escape(END)}", text, flags=re.S):
            lines = [line.strip() for line in textwrap.dedent(body).split("\n")]
            if len(lines) > 1:
                blocks.append("\n".join(lines))
    return blocks


def test_the_student_bundle_holds_the_units_stubs_and_checks_them_bare(tmp_path):
    out = tmp_path / student.ZIP_NAME
    result = run_cli("export", "student-bundle", "--unit", UNIT.name, "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        everything = "\n".join(
            "\n".join(line.strip() for line in archive.read(n).decode("utf-8", "replace").split("\n"))
            for n in names
            if n.endswith((".py", ".ipynb", ".md")) and "/autograder/" not in n
        )
        archive.extractall(tmp_path)
    folder = tmp_path / UNIT.name
    assert {f"{UNIT.name}/exercises/{f}" for f in UNIT.exercise_files} <= names
    assert f"{UNIT.name}/{UNIT.notebook}" in names
    assert not any("/suites/hidden/" in n or "/solutions/" in n or "/samples/" in n for n in names)
    leaked = [block for block in solution_blocks() if block in everything]  # in the stubs, notebook, README
    assert leaked == []
    # A bare `check` in the bundle: the student's files say the unit.
    checked = subprocess.run(
        [sys.executable, "-m", "autograder", "check"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "AUTOGRADER_LANG": "en", "NO_COLOR": "1", "HOME": str(tmp_path)},
    )
    assert "mlp_parameters is not implemented yet" in checked.stdout, checked.stdout[-2000:] + checked.stderr[-2000:]
    assert "ex1_corr2d" not in checked.stdout
