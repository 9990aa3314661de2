"""Malformed submissions: each ends as that student's `unreadable` row (or its own exit 2) with a
reason, never a traceback, a hang, or a halt of the class; odd names cannot fool the layout."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from autograder.batch.layouts import discover
from autograder.paths import KIT_ROOT
from autograder.submission.loader import UnreadableSubmission, load
from tests.kit import malformed
from tests.kit.conftest import SOLUTIONS, run_cli


def full_marks(row: dict[str, str]) -> bool:
    return row["status"] == "graded" and float(row["total"]) == float(row["max"]) > 0


def rows_of(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len({row["student_id"] for row in rows}), "one row per student"
    return {row["student_id"]: row for row in rows}


def reason(path: Path) -> str:
    with pytest.raises(UnreadableSubmission) as caught:
        load(path)
    return caught.value.message.render("en")


# ------------------------------------------------------------------ the loader, in-process


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("a.zip", malformed.corrupt_deflate_zip(), "is not a readable .zip file (Error -3 while decompressing"),
        ("b.zip", malformed.bad_utf8_flag_zip(), "is not a readable .zip file ('utf-8' codec can't decode"),
        ("c.zip", malformed.unsupported_method_zip(), "compression method is not supported"),
        ("d.zip", b"PK\x05\x06" + b"\0" * 18, "no exercise file"),
        ("e.ipynb", malformed.lone_surrogate_notebook(), "holds text that is not valid Unicode"),
        ("f.ipynb", b'{"cells": 5}', "it has no cells"),
        ("g.ipynb", b'{"worksheets": 5}', "it has no cells"),
        ("h.ipynb", b"[1, 2]", "it is not a notebook: list"),
        ("i.ipynb", b"\xff\xfe not even text", "it is not a notebook"),
        ("j.ipynb", malformed.notebook([{"cell_type": "code", "source": {"a": 1}}]), "source is not text"),
        ("k.rar", b"Rar!\x1a\x07\x00", "an archive the grader does not read"),
        ("l.7z", b"7z\xbc\xaf\x27\x1c", "an archive the grader does not read"),
        ("m.tar", b"\0" * 512, "an archive the grader does not read"),
        ("n.docx", b"PK", "is not a folder, .zip, .py or .ipynb"),
    ],
)
def test_a_malformed_file_is_unreadable_with_the_reason(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    assert says.lower() in reason(path).lower()


def test_too_many_files_are_refused_with_the_bound(tmp_path):
    crowded = {f"f{i}.txt": b"" for i in range(2001)}
    path = tmp_path / "crowded.zip"
    path.write_bytes(malformed.zip_bytes({**malformed.solution_files(), **crowded}, zipfile.ZIP_STORED))
    assert "holds more than 2000 files" in reason(path)
    folder = tmp_path / "crowded"
    shutil.copytree(SOLUTIONS, folder)
    for name in crowded:
        (folder / name).touch()
    assert "holds more than 2000 files and folders" in reason(folder)


def test_a_fifo_or_a_device_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / "bob.ipynb"
    os.mkfifo(fifo)
    os.mkfifo(tmp_path / "carol.zip")
    with malformed.hang_guard():  # opening a FIFO to read it would block: refused at once instead
        assert "not a regular file" in reason(fifo)
        assert "not a regular file" in reason(tmp_path / "carol.zip")
        assert "not a regular file" in reason(Path("/dev/zero"))


def test_a_fifo_or_link_inside_a_folder_is_never_read(tmp_path):
    folder = tmp_path / "work"
    shutil.copytree(SOLUTIONS, folder)
    os.mkfifo(folder / "helper.py")
    (tmp_path / "secret.py").write_text("SECRET = 1\n")
    (folder / "linked.py").symlink_to(tmp_path / "secret.py")
    loaded = load(folder)
    assert "helper.py" not in loaded.files
    assert "linked.py" not in loaded.files
    assert set(loaded.exercise_files) == {p.name for p in SOLUTIONS.glob("ex*.py")}


def test_file_names_no_worker_could_hold_are_left_out_with_a_note(tmp_path):
    zipped = tmp_path / "long.zip"
    zipped.write_bytes(malformed.long_name_zip())
    loaded = load(zipped)
    assert len(loaded.files) == 4
    assert "longer than 255 bytes" in loaded.notes[0].render("en")
    loaded = load(malformed.non_utf8_helper_folder(tmp_path / "bytes"))
    assert len(loaded.files) == 4
    note = loaded.notes[0].render("en")
    assert "h\\xff.py" in note
    assert "not valid UTF-8" in note
    note.encode("utf-8")  # printable everywhere


def test_one_script_per_student_is_graded_as_the_whole_unit(tmp_path):
    path = tmp_path / "alice.py"
    path.write_bytes(malformed.one_script())
    loaded = load(path)
    assert set(loaded.exercise_files) == {p.name for p in SOLUTIONS.glob("ex*.py")}
    assert "graded as the whole unit" in loaded.notes[0].render("en")


# ------------------------------------------------------------------ one submission, `grade`


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("corrupt.zip", malformed.corrupt_deflate_zip, "is not a readable .zip file"),
        ("flag.zip", malformed.bad_utf8_flag_zip, "is not a readable .zip file"),
        ("convolutions.ipynb", malformed.lone_surrogate_notebook, "not valid Unicode"),
        ("bob.ipynb", None, "not a regular file"),
        ("eve.rar", lambda: b"Rar!", "an archive the grader does not read"),
    ],
)
def test_grade_exits_2_with_a_message_on_a_malformed_submission(tmp_path, name, make, says):
    path = tmp_path / name
    if make is None:
        os.mkfifo(path)
    else:
        path.write_bytes(make())
    result = run_cli("grade", str(path))
    assert result.returncode == 2, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.slow
def test_grade_gives_correct_work_full_marks_beside_an_impossible_file_name(tmp_path):
    path = tmp_path / "long.zip"
    path.write_bytes(malformed.long_name_zip())
    out = tmp_path / "out"
    result = run_cli("grade", str(path), "--out", str(out))
    assert result.returncode == 0, result.stderr
    results = json.loads((out / "results.json").read_text())
    assert results["score"] == results["extra_data"]["max_score"] > 0
    assert "longer than 255 bytes" in (out / "feedback.md").read_text()


# ------------------------------------------------------------------ a whole class, `grade-batch`


def hostile_class(root: Path) -> Path:
    """Correct work under every odd name, and every kind of malformed entry, side by side."""
    root.mkdir()
    for name in ("alice", "grades.csv", "report.html", "submitted", "submission_metadata.yml", "李明", "王芳"):
        shutil.copytree(SOLUTIONS, root / name)
    (root / "corrupt.zip").write_bytes(malformed.corrupt_deflate_zip())
    (root / "flag.zip").write_bytes(malformed.bad_utf8_flag_zip())
    (root / "long.zip").write_bytes(malformed.long_name_zip())
    malformed.non_utf8_helper_folder(root / "bytes_helper")
    shutil.copytree(SOLUTIONS, Path(os.fsdecode(os.fsencode(root) + b"/stud\xff")))
    (root / "surrogate.ipynb").write_bytes(malformed.lone_surrogate_notebook())
    (root / "cells.ipynb").write_bytes(b'{"cells": 5}')
    os.mkfifo(root / "fifo.ipynb")
    (root / "linked").symlink_to(SOLUTIONS)
    (root / "rar.rar").write_bytes(b"Rar!\x1a\x07\x00")
    (root / "seven.7z").write_bytes(b"7z\xbc\xaf\x27\x1c")
    (root / "tarred.tar").write_bytes(b"\0" * 512)
    (root / "single.py").write_bytes(malformed.one_script())
    (root / "README.txt").write_text("instructions")
    return root


@pytest.mark.slow
def test_grade_batch_gives_every_malformed_entry_its_row_and_grades_the_rest(tmp_path):
    klass = hostile_class(tmp_path / "class")
    out = klass / "out"  # inside the class folder: never taken for a student
    result = run_cli("grade-batch", str(klass), "--out", str(out), "--jobs", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr + result.stdout
    rows = rows_of(out)
    full = {
        "alice",
        "grades.csv_",
        "report.html_",
        "submitted",
        "submission_metadata.yml",
        "李明",
        "王芳",
        "long",
        "bytes_helper",
        "stud_xff",
        "single",
    }
    unreadable = {
        "corrupt": "is not a readable .zip file",
        "flag": "is not a readable .zip file",
        "surrogate": "not valid Unicode",
        "cells": "it has no cells",
        "fifo": "not a regular file",
        "linked": "symbolic link",
        "rar": "an archive the grader does not read",
        "seven": "an archive the grader does not read",
        "tarred": "an archive the grader does not read",
    }
    assert set(rows) == full | set(unreadable)
    for student in full:
        assert full_marks(rows[student]), (student, rows[student])
    for student, says in unreadable.items():
        assert rows[student]["status"] == "unreadable"
        assert says in rows[student]["reason"], (student, rows[student]["reason"])
    assert rows["grades.csv_"]["source"] == "grades.csv"
    assert rows["stud_xff"]["source"] == "stud\\xff"
    assert rows["tarred"]["source"] == "tarred.tar"
    assert rows["single"]["source"] == "single.py"
    assert (out / "grades.csv").is_file()
    assert (out / "report.html").is_file()
    assert "Found 20 submissions (plain layout)" in result.stderr
    assert "Ignored 1 file(s) that are not submissions: README.txt" in result.stderr
    assert "20/20: 11 graded, 9 could not be read, 0 grader failed, 0 unchanged" in result.stderr


def test_names_of_student_folders_cannot_switch_the_layout(tmp_path):
    for name in ("submitted", "submission_metadata.yml", "submission_3", "amy"):
        shutil.copytree(SOLUTIONS, tmp_path / name)
    found = discover(tmp_path)
    assert found.layout == "plain"
    assert {e.student for e in found.entries} == {"submitted", "submission_metadata.yml", "submission_3", "amy"}
    (tmp_path / "work").mkdir()
    shutil.copytree(SOLUTIONS, tmp_path / "work" / "submitted" / "inner")
    (tmp_path / "work" / "bob.zip").write_bytes(malformed.zip_bytes(malformed.solution_files()))
    assert discover(tmp_path / "work").layout == "plain"


def test_links_in_a_class_folder_are_rows_never_followed(tmp_path):
    shutil.copytree(SOLUTIONS, tmp_path / "amy")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "elsewhere.zip").symlink_to("/etc/passwd")
    found = {entry.student: entry for entry in discover(tmp_path).entries}
    assert set(found) == {"amy", "loop", "elsewhere"}
    assert found["amy"].problem is None
    for student in ("loop", "elsewhere"):
        assert "symbolic link" in found[student].problem.render("en")


def gradescope_export_zip(path: Path) -> Path:
    """An export with a group of three, one student alone, and one submission damaged in the zip."""
    metadata = (
        "submission_1:\n  :submitters:\n  - :name: Ann\n    :sid: A1\n  - :name: 李明\n    :sid: '李明'\n"
        "  - :name: Cy\n    :email: cy@x.edu\n  :created_at: 2026-11-01\n"
        "submission_2:\n  :submitters:\n  - :name: Dee\n    :sid: D4\n"
        "submission_3:\n  :submitters:\n  - :name: Eve\n    :sid: E5\n"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export/submission_metadata.yml", metadata)
        for number in (1, 2, 3):
            for name, data in malformed.solution_files().items():
                archive.writestr(f"export/submission_{number}/{name}", data)
        archive.writestr("export/submission_9/../../escape.py", b"x = 1\n")
    data = bytearray(path.read_bytes())
    damaged = data.index(b"export/submission_3/ex1_corr2d.py") + len("export/submission_3/ex1_corr2d.py")
    data[damaged : damaged + 24] = b"\xff" * 24
    path.write_bytes(bytes(data))
    return path


@pytest.mark.slow
def test_a_gradescope_export_zip_gives_each_group_member_a_row_and_leaves_no_scratch(tmp_path):
    export = gradescope_export_zip(tmp_path / "export.zip")
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "out"
    result = run_cli("grade-batch", str(export), "--out", str(out), "--jobs", "2", env={"TMPDIR": str(temp)})
    assert result.returncode == 0, result.stderr[-3000:]
    rows = rows_of(out)
    assert set(rows) == {"A1", "李明", "cy@x.edu", "D4", "E5"}
    for member in ("A1", "李明", "cy@x.edu"):
        assert full_marks(rows[member]), rows[member]
        assert rows[member]["source"] == "submission_1"
    assert rows["E5"]["status"] == "unreadable"
    assert "could not be taken out of the class .zip" in rows["E5"]["reason"]
    assert not (tmp_path / "escape.py").exists()
    assert ours(temp) == [], "the unpacked class and the workers' scratch are removed"


# ------------------------------------------------------------------ an interrupted run


def ours(temp: Path) -> list[Path]:
    """What the kit left in the temporary folder (torch keeps a compiler cache of its own there)."""
    return sorted(p for p in temp.iterdir() if p.name.startswith("autograder"))


def interrupted_run(tmp_path: Path, signum: int) -> tuple[subprocess.Popen, str, Path]:
    klass = tmp_path / "class"
    for index in range(8):
        shutil.copytree(SOLUTIONS, klass / f"s{index}")
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "out"
    command = [sys.executable, "-m", "autograder", "grade-batch", str(klass), "--out", str(out), "--jobs", "2"]
    env = {**os.environ, "TMPDIR": str(temp), "AUTOGRADER_LANG": "en"}
    run = subprocess.Popen(command, cwd=KIT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(out.glob("*/meta.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    scratch = list(temp.glob("autograder-run-*"))
    assert scratch, "the run keeps its files in its own folder"
    assert scratch[0].stat().st_mode & 0o777 == 0o711, "other users cannot list it"
    run.send_signal(signum)
    _, stderr = run.communicate(timeout=60)
    return run, stderr, temp


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_run_leaves_nothing_behind_and_no_traceback(tmp_path, signum):
    run, stderr, temp = interrupted_run(tmp_path, signum)
    assert run.returncode == 128 + signum
    assert "Traceback" not in stderr
    assert "Interrupted: the students graded so far are kept" in stderr
    assert ours(temp) == []


# ------------------------------------------------------------------ unpacking a class .zip


def test_a_zip_bomb_member_costs_only_its_student(tmp_path):
    from autograder.batch.extract import damage_of, extract_class_zip

    klass = tmp_path / "class.zip"
    with zipfile.ZipFile(klass, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bob/ex1_corr2d.py", b"\0" * (9 << 20))  # about 9 KiB compressed
        for name, data in malformed.solution_files().items():
            archive.writestr(f"amy/{name}", data)
        archive.writestr("../outside.py", b"x = 1\n")
        archive.writestr("/absolute.py", b"x = 1\n")
    target = tmp_path / "unpacked"
    target.mkdir()
    damaged = extract_class_zip(klass, target)
    assert set(damaged) == {"bob/ex1_corr2d.py"}
    assert "compressed more than 200:1" in damage_of(target / "bob", target, damaged)
    assert damage_of(target / "amy", target, damaged) is None
    assert (target / "bob" / "ex1_corr2d.py").stat().st_size == 0
    assert len(load(target / "amy").exercise_files) == 4
    assert not (tmp_path / "outside.py").exists()
    assert sorted(p.name for p in target.iterdir()) == ["amy", "bob"]


def test_a_class_zip_over_the_bounds_is_refused_whole(tmp_path, monkeypatch):
    from autograder.batch import extract
    from autograder.batch.layouts import LayoutError

    klass = tmp_path / "class.zip"
    klass.write_bytes(malformed.zip_bytes({f"s{i}/ex1_corr2d.py": b"x = 1\n" * 100 for i in range(5)}))
    monkeypatch.setattr(extract, "MAX_CLASS_MEMBERS", 4)
    with pytest.raises(LayoutError, match="holds more than 4 files"):
        extract.extract_class_zip(klass, tmp_path)
    monkeypatch.setattr(extract, "MAX_CLASS_MEMBERS", 100)
    monkeypatch.setattr(extract, "MAX_CLASS_BYTES", 1000)
    with pytest.raises(LayoutError, match="unpacks to more than"):
        extract.extract_class_zip(klass, tmp_path)


@pytest.mark.slow
def test_a_damaged_class_zip_is_a_usage_error_not_a_traceback(tmp_path):
    klass = tmp_path / "class.zip"
    klass.write_bytes(b"PK\x03\x04 this is not really a zip")
    result = run_cli("grade-batch", str(klass), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "is not a readable .zip file" in result.stderr
    assert "Traceback" not in result.stderr
