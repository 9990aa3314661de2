"""A `grade` stopped half-way (Ctrl-C, SIGTERM) says so in one line and leaves no student's code behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from autograder.paths import KIT_ROOT

ENDLESS = "def corr2d(X, K):\n    while True:\n        pass\n"


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_grade_leaves_nothing_behind_and_no_traceback(tmp_path, signum):
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "ex1_corr2d.py").write_text(ENDLESS)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "AUTOGRADER_LANG": "en", "XDG_CONFIG_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "autograder", "grade", str(submission)]
    run = subprocess.Popen(command, cwd=KIT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(run_folder.iterdir() for run_folder in temp.glob("autograder-run-*")):
        time.sleep(0.05)
    [run_folder] = temp.glob("autograder-run-*")
    assert run_folder.stat().st_mode & 0o777 == 0o711, "other users cannot list the students' copies"
    run.send_signal(signum)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 128 + signum
    assert "Traceback" not in stderr
    assert "Interrupted: nothing was recorded" in stderr
    assert sorted(p.name for p in temp.iterdir() if p.name.startswith("autograder")) == []
