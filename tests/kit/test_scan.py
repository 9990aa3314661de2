"""grade-batch's scan of a class on damaged input, in-process and without grading: one row per
student, a reason for each that cannot be graded, nothing written outside the scratch folder."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from autograder.batch.layouts import LayoutError
from autograder.batch.scan import scan_class
from tests.kit import malformed

STUB = b"def corr2d(X, K):\n    raise NotImplementedError\n"


def damaged_class_zip(path: Path) -> Path:
    """amy is whole; bob's file is damaged inside the zip; a member climbs out; cy sent a notebook
    that is not JSON."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in malformed.solution_files().items():
            archive.writestr(f"amy/{name}", data)
        archive.writestr("bob/ex1_corr2d.py", STUB * 20)
        archive.writestr("../escape.py", b"x = 1\n")
        archive.writestr("cy/ex1_corr2d.ipynb", b"{ not json")
    data = bytearray(path.read_bytes())
    name = b"bob/ex1_corr2d.py"
    start = data.index(name) + len(name)
    data[start : start + 24] = b"\xff" * 24
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_class_zip_gives_every_student_a_row_and_a_reason(tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    scan = scan_class(damaged_class_zip(tmp_path / "class.zip"), scratch, (), "en")
    rows = {found.student: found for found in scan.found}
    assert set(rows) == {"amy", "bob", "cy"}
    assert rows["amy"].reason is None
    assert rows["bob"].reason is not None
    assert "could not be taken out of the class .zip" in rows["bob"].reason
    assert rows["cy"].reason is not None
    assert "ex1_corr2d.ipynb" in rows["cy"].reason
    assert str(scratch) not in rows["bob"].reason, "reasons name the zip the instructor gave, not the scratch copy"
    assert not list(tmp_path.rglob("escape.py"))
    assert Path(scan.root).is_relative_to(scratch)


def test_the_same_files_under_another_reason_fingerprint_differently(tmp_path):
    """A rerun regrades a student whose reason changed, and only then."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    first = {f.student: f.content for f in scan_class(damaged_class_zip(tmp_path / "a.zip"), scratch, (), "en").found}
    again = tmp_path / "scratch2"
    again.mkdir()
    second = {f.student: f.content for f in scan_class(damaged_class_zip(tmp_path / "b.zip"), again, (), "en").found}
    assert first == second
    assert len(set(first.values())) == 3


@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("class.zip", lambda p: p.write_bytes(b"PK\x03\x04 damaged"), "is not a readable .zip file"),
        ("class.txt", lambda p: p.write_text("a file, not a class"), "is not a folder"),
        ("class", lambda p: p.mkdir(), "no submissions"),
    ],
)
def test_what_holds_no_class_is_refused_whole(tmp_path, name, make, says):
    given = tmp_path / name
    make(given)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with pytest.raises(LayoutError, match=says):
        scan_class(given, scratch, (), "en")


def test_a_changed_report_template_makes_the_batch_regrade(tmp_path, monkeypatch):
    """grade-batch regrades when the grader would write other feedback: a report template counts."""
    from autograder.batch import store

    package = tmp_path / "autograder"
    (package / "report" / "templates").mkdir(parents=True)
    (package / "grading.py").write_text("x = 1\n")
    page = package / "report" / "templates" / "page.html"
    page.write_text("<p>{{ score }}</p>\n")
    monkeypatch.setattr(store, "PACKAGE_DIR", package)
    monkeypatch.setattr(store, "KIT_ROOT", tmp_path)
    store.grader_fingerprint.cache_clear()
    before = store.grader_fingerprint("hidden", "en")
    page.write_text("<p>{{ score }} points</p>\n")
    store.grader_fingerprint.cache_clear()
    after = store.grader_fingerprint("hidden", "en")
    store.grader_fingerprint.cache_clear()
    assert before != after
