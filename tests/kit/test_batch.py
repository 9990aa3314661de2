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
from autograder.paths import KIT_ROOT
from autograder.units.convolutions import UNIT
from tests.kit.conftest import CONFIG_HOME, SOLUTIONS, run_cli

SAMPLES = UNIT.samples


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
    assert "Traceback" not in result.stderr, "a judge that ends is no crash of its fork server"
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
    env = {**os.environ, "XDG_CONFIG_HOME": CONFIG_HOME}  # the secret of run_cli's runs: the restart's
    run = subprocess.Popen(command, cwd=KIT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while len(list(out.glob("*/meta.json"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    done_before = len(list(out.glob("*/meta.json")))
    assert 4 <= done_before < 14, "killed in the middle of the batch"
    # Its judges and workers see their parent die and stop; on a busy machine that can take a while.
    deadline = time.monotonic() + 60
    while _processes_of_run(str(out)) and time.monotonic() < deadline:
        time.sleep(0.1)
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
    (tmp_path / "submitted" / "bo" / "notes.txt").write_text("a stray file beside the assignment")
    shutil.copytree(SOLUTIONS, tmp_path / "source" / "conv")
    (tmp_path / "downloaded" / "conv").mkdir(parents=True)
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


# ------------------------------------------------------------------ figures: report.html, summary, progress


def results_with(tests: list[tuple[str, float, float, str | None]]) -> dict:
    """results.json of (exercise, score, max, mistake) tests."""
    return {
        "score": sum(t[1] for t in tests),
        "extra_data": {"max_score": sum(t[2] for t in tests)},
        "tests": [
            {
                "name": f"{exercise}: t{i}",
                "score": score,
                "max_score": top,
                "status": "passed" if score == top else "failed",
                "tags": [exercise],
                "extra_data": {"id": f"t{i}", "mistake": mistake},
            }
            for i, (exercise, score, top, mistake) in enumerate(tests)
        ],
    }


def report_entries() -> list[dict]:
    def graded(student, tests, seconds, lacking=()):
        return {
            "student": student,
            "status": "graded",
            "reason": None,
            "seconds": seconds,
            "results": results_with(tests),
            "not_implemented": list(lacking),
            "feedback": f"{student}/feedback.html",
        }

    return [
        graded("amy", [("corr2d", 10, 10, None), ("corr1d", 10, 10, None)], 3.0),
        graded("bob", [("corr2d", 0, 10, "flipped_kernel"), ("corr1d", 10, 10, None)], 2.5),
        graded("李明", [("corr2d", 10, 10, None), ("corr1d", 0, 10, None)], 4.0, lacking=["corr1d"]),
        graded("cy", [("corr2d", 10, 10, None), ("corr1d", 10, 10, None), ("corr3d", 0, 10, "flipped_kernel")], 5.0),
        {"student": "late", "status": "unreadable", "reason": "x.rar is an archive", "seconds": 0.0, "results": None},
    ]


def roster_rows(page: str) -> dict[str, str]:
    """Each roster row's opening tag, by the student it links."""
    roster = page[page.index('<table class="grid roster">') :]
    rows = {}
    for row in roster.split("<tr ")[1:]:
        student = row.split("<code>", 1)[1].split("</code>", 1)[0]
        rows[student] = row.split(">", 1)[0]
    return rows


def label_for(page: str, text: str) -> str:
    """The id of the radio button whose label reads `text`."""
    return page.split(f">{text}</label>")[0].rsplit('<label for="', 1)[1].split('"')[0]


def test_the_class_report_links_feedback_filters_sorts_and_says_not_implemented():
    from autograder.report.class_report import render_class_report

    page = render_class_report(report_entries())
    assert "<script" not in page
    assert 'href="amy/feedback.html"' in page
    assert 'href="%E6%9D%8E%E6%98%8E/feedback.html"' in page
    assert "not implemented: <code>corr1d</code>" in page
    rows = roster_rows(page)
    assert set(rows) == {"amy", "bob", "李明", "cy", "late"}
    flipped = label_for(page, "kernel flipped (a convolution)")
    lacking = label_for(page, "not implemented")
    corr1d = label_for(page, "corr1d")
    unreadable = label_for(page, "could not be read")
    for student, row in rows.items():
        classes = row.split('class="', 1)[1].split('"', 1)[0].split()
        assert (flipped in classes) == (student in ("bob", "cy")), student
        assert (lacking in classes) == (student == "李明"), student
        assert (corr1d in classes) == (student == "李明"), student
        assert (unreadable in classes) == (student == "late"), student
    for choice in (flipped, lacking, corr1d, unreadable):
        assert f"#{choice}:checked ~ table tbody tr:not(.{choice}) {{ display: none; }}" in page
    up = {student: int(row.split("--up:", 1)[1].split(";", 1)[0]) for student, row in rows.items()}
    assert up["bob"] < up["amy"] < up["cy"] < up["late"]
    assert "#so-score-up:checked ~ table tbody tr { order: var(--up); }" in page


def test_the_class_report_and_the_summary_agree_on_the_median_and_skip_unreadable_times(tmp_path, capsys):
    from autograder.batch.store import Meta
    from autograder.commands.batch import _print_summary
    from autograder.report.class_report import render_class_report

    entries = report_entries()
    page = render_class_report(entries)
    # scores 20, 10, 10, 20: the median is 15, not the upper middle value
    assert '<div class="value">15.0<small> / 30</small></div><div class="what">median score</div>' in page
    assert "<b>2.5 s</b><span>fastest</span>" in page  # not the unreadable entry's 0 s
    metas = [
        Meta(e["student"], e["status"], "", "", e["seconds"], "", score=e["results"]["score"] if e["results"] else 0)
        for e in entries
    ]
    for meta in metas:
        meta.max_score = 20.0
    _print_summary(metas, 5, 5.0, tmp_path / "grades.csv", tmp_path / "report.html", "en")
    assert "median 15.0" in capsys.readouterr().out


def test_the_progress_line_counts_by_status_as_the_summary_does():
    import io

    from autograder.batch.progress import Progress

    stream = io.StringIO()
    progress = Progress(4, "en", stream=stream)
    progress.advance("unreadable")
    progress.advance("graded", unchanged=True)
    progress.advance("graded")
    progress.advance("grader_failed")
    assert "4/4: 2 graded, 1 could not be read, 1 grader failed, 1 unchanged" in stream.getvalue()


def test_each_unit_of_a_class_gets_its_own_gradebook_and_class_report(tmp_path):
    import json

    from autograder.batch.store import Meta, Store
    from autograder.commands.batch import _unit_outputs
    from autograder.units.fc_to_conv import UNIT as FC_TO_CONV

    store = Store(tmp_path)
    students = (
        ("amy", UNIT, [(UNIT.tags[0], 10, 10, None)]),
        ("bob", FC_TO_CONV, [(FC_TO_CONV.tags[0], 0, 6, "fc_slip")]),
        ("cy", FC_TO_CONV, [(FC_TO_CONV.tags[0], 6, 6, None)]),
    )
    metas = []
    for student, unit, tests in students:
        folder = store.begin(student)
        results = results_with(tests)
        (folder / "results.json").write_text(json.dumps(results), encoding="utf-8")
        (folder / "feedback.html").write_text("", encoding="utf-8")
        exercises = {t[0]: [t[1], t[2]] for t in tests}
        metas.append(
            Meta(student, "graded", "", "", 1.0, student, "", results["score"], 10.0, exercises, [], unit.name)
        )
    metas.append(Meta("late", "unreadable", "", "", 0.0, "late.rar", "an archive"))
    written = {name: (grades_csv, report) for name, grades_csv, report in _unit_outputs(store, metas, "en")}
    assert set(written) == {UNIT.name, FC_TO_CONV.name}
    for unit, own in ((UNIT, {"amy", "late"}), (FC_TO_CONV, {"bob", "cy", "late"})):
        grades_csv, report = written[unit.name]
        assert grades_csv == tmp_path / unit.name / "grades.csv"
        assert report == tmp_path / unit.name / "report.html"
        with open(grades_csv, newline="") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames == ["student_id", "status", "total", "max", *unit.tags, "reason", "source"]
            assert {row["student_id"] for row in reader} == own, "its students, and the unreadable one"
        page = report.read_text(encoding="utf-8")
        assert set(roster_rows(page)) == own
        assert f'href="../{sorted(own)[0]}/feedback.html"' in page, "links lead out of the unit's folder"
    assert "fc_slip" in written[FC_TO_CONV.name][1].read_text(encoding="utf-8")
    assert "fc_slip" not in written[UNIT.name][1].read_text(encoding="utf-8")
    only_one = _unit_outputs(store, metas[:1], "en")
    assert [name for name, _, _ in only_one] == [UNIT.name], "one unit's class still gets its folder"


def test_no_student_id_takes_the_name_of_a_units_folder(tmp_path):
    from autograder.batch.layouts import discover

    for name in (UNIT.name, "alice"):
        shutil.copytree(SOLUTIONS, tmp_path / "class" / name)
    students = {entry.student for entry in discover(tmp_path / "class").entries}
    assert students == {f"{UNIT.name}_", "alice"}


def test_a_class_of_both_shipped_units_gets_a_gradebook_per_unit(tmp_path):
    from autograder.units.fc_to_conv import UNIT as FC_TO_CONV

    klass = tmp_path / "class"
    shutil.copytree(SOLUTIONS, klass / "grace")
    shutil.copytree(FC_TO_CONV.solutions, klass / "ada")
    out = tmp_path / "out"
    result = run_cli("grade-batch", str(klass), "--out", str(out), "--jobs", "2")
    assert result.returncode == 0, result.stderr[-2000:] + result.stdout[-2000:]
    assert set(grades(out)) == {"grace", "ada"}
    for unit, student in ((UNIT, "grace"), (FC_TO_CONV, "ada")):
        rows = grades(out / unit.name)
        assert set(rows) == {student}
        assert float(rows[student]["total"]) == float(rows[student]["max"]) > 0
        assert sum(float(rows[student][tag]) for tag in unit.tags) == float(rows[student]["total"])
        assert (out / unit.name / "report.html").is_file()
