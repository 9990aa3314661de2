"""Batch grading as an instructor runs it: layouts, grades.csv, reruns, and a run killed with -9."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from autograder.batch.layouts import discover, gradescope_members, safe_id
from autograder.grading import KIT_ROOT
from tests.kit.conftest import SOLUTIONS, run_cli

SAMPLES = KIT_ROOT / "samples"


def make_class(root: Path, correct: int = 2) -> Path:
    """A small class: correct students, two typical mistakes, one zip, one unreadable folder."""
    root.mkdir(parents=True)
    for index in range(correct):
        shutil.copytree(SOLUTIONS, root / f"s{index:03d}")
    shutil.copytree(SAMPLES / "flipped_kernel", root / "flipper")
    shutil.copytree(SAMPLES / "textbook_code", root / "textbook")
    with zipfile.ZipFile(root / "zipped.zip", "w") as archive:
        for path in (SAMPLES / "correct_vectorised").glob("*.py"):
            archive.write(path, f"work/{path.name}")
    (root / "empty").mkdir()
    (root / "empty" / "notes.txt").write_text("nothing here")
    return root


def grades(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len({row["student_id"] for row in rows}), "one row per student"
    return {row["student_id"]: row for row in rows}


def test_a_class_is_graded_with_grades_csv_and_a_report(tmp_path):
    klass = make_class(tmp_path / "class")
    out = tmp_path / "out"
    result = run_cli("grade-batch", str(klass), "--out", str(out), "--jobs", "2")
    assert result.returncode == 0, result.stderr + result.stdout
    rows = grades(out)
    assert set(rows) == {"s000", "s001", "flipper", "textbook", "zipped", "empty"}
    assert rows["s000"]["status"] == "graded"
    assert float(rows["s000"]["total"]) == float(rows["s000"]["max"]) > 0
    assert float(rows["flipper"]["corr2d"]) < float(rows["s000"]["corr2d"])
    assert rows["empty"]["status"] == "unreadable"
    assert "No exercise file" in rows["empty"]["reason"]
    for student in ("s000", "flipper", "zipped"):
        assert (out / student / "results.json").exists()
        assert (out / student / "feedback.md").exists()
    assert (out / "report.html").exists()
    assert "empty: unreadable" in result.stdout


def test_a_rerun_skips_what_is_graded_and_force_regrades(tmp_path):
    klass = make_class(tmp_path / "class", correct=1)
    out = tmp_path / "out"
    assert run_cli("grade-batch", str(klass), "--out", str(out)).returncode == 0
    first = {p: p.stat().st_mtime_ns for p in out.glob("*/meta.json")}
    rerun = run_cli("grade-batch", str(klass), "--out", str(out))
    assert rerun.returncode == 0
    assert "5 unchanged" in rerun.stderr
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/meta.json")} == first
    (klass / "s000" / "ex1_corr2d.py").write_text((SAMPLES / "flipped_kernel" / "ex1_corr2d.py").read_text())
    changed = run_cli("grade-batch", str(klass), "--out", str(out))
    assert "4 unchanged" in changed.stderr
    assert float(grades(out)["s000"]["corr2d"]) < 30
    forced = run_cli("grade-batch", str(klass), "--out", str(out), "--force")
    assert "0 unchanged" in forced.stderr


def _processes_of_run(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in cmdline:
                found.append(int(entry))
    return found


def test_a_run_killed_with_sigkill_finishes_on_restart_with_one_row_per_student(tmp_path):
    klass = make_class(tmp_path / "class", correct=10)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "autograder", "grade-batch", str(klass), "--out", str(out), "--jobs", "2"]
    run = subprocess.Popen(command, cwd=KIT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list(out.glob("*/meta.json"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    done_before = len(list(out.glob("*/meta.json")))
    assert 4 <= done_before < 14, "killed in the middle of the batch"
    time.sleep(1.0)
    assert _processes_of_run(str(out)) == [], "nothing of the killed run is left running"
    restart = run_cli("grade-batch", str(klass), "--out", str(out), "--jobs", "2")
    assert restart.returncode == 0, restart.stderr
    rows = grades(out)
    assert len(rows) == 14
    assert all(row["status"] in ("graded", "unreadable") for row in rows.values())
    assert f"{done_before} unchanged" in restart.stderr


def test_gradescope_export_layout(tmp_path):
    export = tmp_path / "assignment_123_export"
    for number in (11, 12):
        shutil.copytree(SOLUTIONS, export / f"submission_{number}")
    (export / "submission_metadata.yml").write_text(
        "submission_11:\n  :submitters:\n  - :name: Ann\n    :sid: A001\n    :email: ann@example.edu\n"
        "  :created_at: 2026-11-01\nsubmission_12:\n  :submitters:\n  - :name: Ben\n    :email: ben@example.edu\n"
    )
    found = discover(export)
    assert found.layout == "gradescope"
    assert {e.student for e in found.entries} == {"A001", "ben@example.edu"}


def test_gradescope_metadata_reader():
    ids = gradescope_members("submission_1:\n  :submitters:\n  - :name: X Y\n    :sid: '42'\n")
    assert ids == {"submission_1": ["42"]}


def test_gradescope_metadata_of_a_group_names_every_member():
    metadata = (
        "submission_7:\n  :submitters:\n  - :name: Ann\n    :sid: A1\n  - :name: Ben\n    :email: ben@x.edu\n"
        "  - :name: Cy\n  :created_at: 2026-11-01\n  :score: 3.0\n"
        "submission_8:\n  :submitters:\n    - :name: Dee\n      :sid: D4\n  :results:\n    :name: not a person\n"
    )
    assert gradescope_members(metadata) == {"submission_7": ["A1", "ben@x.edu", "Cy"], "submission_8": ["D4"]}


def test_nbgrader_submitted_layout(tmp_path):
    for student in ("amy", "bo"):
        shutil.copytree(SOLUTIONS, tmp_path / "submitted" / student / "conv")
    (tmp_path / "source").mkdir()
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    found = discover(tmp_path)
    assert found.layout == "nbgrader"
    assert {e.student: e.path.name for e in found.entries} == {"amy": "conv", "bo": "conv"}
    assert {e.source for e in found.entries} == {"submitted/amy", "submitted/bo"}


@pytest.mark.parametrize(
    ("name", "safe"),
    [("../etc", "_etc"), ("a b/c", "a_b_c"), ("", "_"), ("ok-1.2", "ok-1.2"), ("李明", "李明"), ("王芳", "王芳")],
)
def test_student_ids_are_safe_folder_names(name, safe):
    assert safe_id(name) == safe


def test_nothing_to_grade_is_a_usage_error(tmp_path):
    result = run_cli("grade-batch", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "no submissions" in result.stderr


def test_the_summary_warns_once_of_a_machine_problem_shared_by_students(tmp_path, capsys):
    from autograder.batch.store import Meta
    from autograder.commands.batch import _print_summary

    notice = "CUDA could not be used inside the sandbox: no device"
    metas = [
        Meta(student=f"s{i}", status="graded", content="", grader="", seconds=1.0, source="", reason=notice)
        for i in range(3)
    ]
    metas.append(Meta(student="fine", status="graded", content="", grader="", seconds=1.0, source=""))
    _print_summary(metas, 4, 4.0, tmp_path / "grades.csv", tmp_path / "report.html", "en")
    err = capsys.readouterr().err
    assert err.count("autograder: warning:") == 1
    assert f"{notice} (students: 3; a rerun grades them again)" in err


def test_a_student_the_machine_left_short_is_graded_again_on_a_rerun(tmp_path):
    from autograder.batch.store import Meta, Store

    store = Store(tmp_path)
    for student, status, reason in (
        ("complete", "graded", ""),
        ("gpu_skipped", "graded", "CUDA could not be used inside the sandbox: out of memory"),
        ("broken_zip", "unreadable", "not a readable .zip file"),
    ):
        store.begin(student)
        store.finish(Meta(student, status, "c1", "g1", 1.0, "", reason))
    assert store.is_current("complete", "c1", "g1")
    assert not store.is_current("gpu_skipped", "c1", "g1")
    assert store.is_current("broken_zip", "c1", "g1")
    assert not store.is_current("complete", "c2", "g1")
    assert not store.is_current("complete", "c1", "g2")
