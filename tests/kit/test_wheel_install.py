"""The kit as an installed package: its wheel, installed into a fresh virtualenv, grades on its own.

The wheel carries every unit with its suites, solutions, samples and catalogues as package data, so
nothing is found by path arithmetic from a checkout. The new virtualenv gets the wheel from pip; torch,
numpy and pytest come from the kit's own .venv through a path file (installing torch again would cost
minutes and prove nothing about the kit), and the command runs from a folder outside the checkout.
"""

from __future__ import annotations

import json
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.paths import KIT_ROOT
from autograder.units.convolutions import UNIT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh virtualenv with the kit's wheel installed."""
    root = tmp_path_factory.mktemp("wheel")
    build = root / "build"
    shutil.copytree(KIT_ROOT / "autograder", build / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(KIT_ROOT / name, build / name)
    wheels = root / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(build),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
        ],
        check=True,
        capture_output=True,
    )
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    wheel = next(wheels.glob("conv_autograder-*.whl"))
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    packages = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(packages) / "kit_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return python


def run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([python, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_the_installed_kit_is_the_wheels_with_its_units_data(installed: Path, tmp_path: Path):
    probe = (
        "import autograder, autograder.units as u; unit = u.get(); "
        "print(autograder.__file__); print(unit.suite('hidden').is_dir(), unit.solutions.is_dir(), "
        "unit.catalogue('zh').is_file(), (unit.samples / 'manifest.toml').is_file())"
    )
    result = run(installed, "-c", probe, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    location, found = result.stdout.splitlines()
    assert str(installed.parent.parent) in location
    assert str(KIT_ROOT) not in location
    assert found == "True True True True"


def test_the_installed_kit_grades_the_solutions_with_the_hidden_suite(installed: Path, tmp_path: Path):
    submission = tmp_path / "submission"
    shutil.copytree(UNIT.solutions, submission)
    result = run(installed, "-m", "autograder", "grade", str(submission), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert results["score"] == 100
    assert len(results["tests"]) > 30
