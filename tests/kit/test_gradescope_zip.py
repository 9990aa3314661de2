"""dist/gradescope-autograder.zip, unzipped into a folder laid out like Gradescope's /autograder and
run there on submissions, as Gradescope would (AUTOGRADER_ROOT stands in for /autograder)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from autograder.bundles import gradescope
from autograder.bundles.language import MissingMessages, missing
from autograder.paths import KIT_ROOT
from autograder.seeding import inputs_seed, submission_digest
from autograder.units.convolutions import UNIT
from tests.kit.conftest import run_cli
from tests.kit.jupyter import solved_notebook, write
from tests.kit.test_end_to_end import validate_gradescope

SAMPLES = UNIT.samples
SECRET = b"the course's secret, 0123456789abcdef"
SHELLCHECK = shutil.which("shellcheck", path=str(Path(sys.executable).parent)) or shutil.which("shellcheck")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    out, secret = dist / gradescope.ZIP_NAME, dist / "secret"
    secret.write_bytes(SECRET)
    result = run_cli("export", "gradescope", "--lang", "en", "--out", str(out), "--secret-file", str(secret))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def autograder_root(built, tmp_path) -> Path:
    """A fresh /autograder: source/ unzipped, an empty submission/ and results/."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(built) as archive:
        archive.extractall(root / "source")
        for info in archive.infolist():
            os.chmod(root / "source" / info.filename, info.external_attr >> 16 & 0o777)
    (root / "submission").mkdir()
    return root


def run_autograder(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable, **env}
    environment.pop("AUTOGRADER_LANG", None)
    return subprocess.run(
        [str(root / "source" / "run_autograder")], env=environment, capture_output=True, text=True, timeout=600
    )


def graded(root: Path) -> dict:
    """run_autograder on what is in submission/, which must end in a results.json."""
    result = run_autograder(root)
    assert result.returncode == 0, result.stdout
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def test_the_zip_follows_gradescopes_layout(built):
    with zipfile.ZipFile(built) as archive:
        infos = {info.filename: info for info in archive.infolist()}
    for script in ("setup.sh", "run_autograder"):
        assert infos[script].external_attr >> 16 & stat.S_IXUSR, script
    hidden = UNIT.suite("hidden").relative_to(KIT_ROOT).as_posix()
    for needed in ("autograder/__main__.py", "autograder/i18n/en.toml", f"{hidden}/conftest.py"):
        assert needed in infos
    assert {name for name in infos if name.startswith(f"{hidden}/test_")} == {
        f"{hidden}/{p.name}" for p in UNIT.suite("hidden").glob("test_*.py")
    }
    private = tuple(f"{p.relative_to(KIT_ROOT).as_posix()}/" for p in (UNIT.solutions, UNIT.samples))
    for name in infos:
        assert not name.startswith(("solutions/", "samples/", "tests/", "exercises", *private)), name
        assert "__pycache__" not in name


def test_the_scripts_are_valid_bash_and_install_a_cpu_torch(built):
    with zipfile.ZipFile(built) as archive:
        setup = archive.read("setup.sh").decode()
        run = archive.read("run_autograder").decode()
    for text in (setup, run):
        subprocess.run(["bash", "-n"], input=text, text=True, check=True)
        if SHELLCHECK:
            checked = subprocess.run([SHELLCHECK, "-s", "bash", "-"], input=text, capture_output=True, text=True)
            assert checked.returncode == 0, checked.stdout
    assert 'TORCH_SPEC="${TORCH_SPEC:-torch==2.13.0}"' in setup
    assert 'TORCH_INDEX="${TORCH_INDEX-https://download.pytorch.org/whl/cpu}"' in setup
    assert "numpy pytest" in setup
    assert 'AUTOGRADER_LANG="${AUTOGRADER_LANG:-en}"' in run


def test_run_autograder_grades_a_submission_into_results_json(autograder_root):
    for path in (SAMPLES / "flipped_kernel").glob("*.py"):
        (autograder_root / "submission" / path.name).write_bytes(path.read_bytes())
    results = graded(autograder_root)
    validate_gradescope(results)
    expected = tomllib.loads((SAMPLES / "manifest.toml").read_text())["flipped_kernel"]["cpu_score"]
    assert results["score"] == expected
    assert any("convolution, not a cross-correlation" in t["output"] for t in results["tests"])
    assert any(t["visibility"] == "after_due_date" for t in results["tests"])


def test_each_submission_draws_its_inputs_from_the_secret_in_the_zip(built, autograder_root):
    with zipfile.ZipFile(built) as archive:
        assert archive.read(gradescope.SECRET).strip() == SECRET
    files = {path.name: path.read_bytes() for path in (SAMPLES / "flipped_kernel").glob("*.py")}
    for name, data in files.items():
        (autograder_root / "submission" / name).write_bytes(data)
    results = graded(autograder_root)
    assert results["extra_data"]["inputs_seed"] == inputs_seed(SECRET, submission_digest(files))


def test_a_notebook_submission_scores_the_maximum(autograder_root):
    write(solved_notebook(), autograder_root / "submission" / UNIT.notebook)
    results = graded(autograder_root)
    validate_gradescope(results)
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) > 0


def test_an_empty_submission_gets_0_points_and_the_reason(autograder_root):
    (autograder_root / "submission" / "notes.txt").write_text("nothing here")
    results = graded(autograder_root)
    assert results["score"] == 0
    assert results["tests"] == []
    assert "No exercise file was found" in results["output"]


def test_a_grader_failure_is_an_autograder_failure_with_its_cause(autograder_root, tmp_path):
    """The fork server dies in its warm-up (as torch did on Python 3.11.0rc1): no results.json, so
    Gradescope shows an autograder failure, not a 0; the traceback and what to do are in the log."""
    for path in (SAMPLES / "flipped_kernel").glob("*.py"):
        (autograder_root / "submission" / path.name).write_bytes(path.read_bytes())
    breaker = tmp_path / "breaker"
    breaker.mkdir()
    (breaker / "sitecustomize.py").write_text(
        "import autograder.units.convolutions.warm_up as unit\n\n\n"
        "def broken():\n    raise RuntimeError('the warm-up broke')\n\n\n"
        "unit.warm_up = broken\n"
    )
    pythonpath = os.pathsep.join([str(breaker), str(autograder_root / "source")])
    result = run_autograder(autograder_root, PYTHONPATH=pythonpath)
    assert result.returncode == 1, result.stdout
    assert not (autograder_root / "results" / "results.json").exists()
    assert "the worker fork server crashed" in result.stdout
    assert "RuntimeError: the warm-up broke" in result.stdout
    assert "AUTOGRADER FAILURE" in result.stdout
    assert "regrade" in result.stdout


def test_the_grader_runs_from_the_unzipped_source(autograder_root):
    probe = "import autograder, sys; print(autograder.__file__)"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=autograder_root / "source", capture_output=True, text=True, check=True
    )
    assert Path(result.stdout.strip()).is_relative_to(autograder_root / "source")


def test_another_language_is_built_only_from_a_complete_catalogue(tmp_path):
    absent = missing("zh", *gradescope.MESSAGES)
    if absent:
        with pytest.raises(MissingMessages, match=absent[0].replace(".", r"\.")):
            gradescope.build(UNIT, "zh", tmp_path / "zh.zip", SECRET)
    else:
        with zipfile.ZipFile(gradescope.build(UNIT, "zh", tmp_path / "zh.zip", SECRET)) as archive:
            assert 'AUTOGRADER_LANG="${AUTOGRADER_LANG:-zh}"' in archive.read("run_autograder").decode()
