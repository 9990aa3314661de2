"""The loader's size limit: an oversized exercise file is left out with the same note from a folder
and from a .zip, and a lone oversized file is refused in the same words."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from autograder.submission.loader import MAX_FILE_BYTES, UnreadableSubmission, load

BIG = b"x = 1\n" + b"#" * MAX_FILE_BYTES
SMALL = b"def corr1d(x, k):\n    return x\n"
NOTE = f"ex1_corr2d.py is larger than {MAX_FILE_BYTES // 1024} KiB and was left out."


def notes(path: Path) -> list[str]:
    return [note.render("en") for note in load(path).notes]


def test_an_oversized_file_in_a_folder_is_left_out_with_a_note(tmp_path):
    (tmp_path / "ex1_corr2d.py").write_bytes(BIG)
    (tmp_path / "ex3_variants.py").write_bytes(SMALL)
    assert notes(tmp_path) == [NOTE]
    assert list(load(tmp_path).files) == ["ex3_variants.py"]


def test_an_oversized_member_of_a_zip_is_left_out_with_the_same_note(tmp_path):
    archive = tmp_path / "work.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("ex1_corr2d.py", BIG)
        handle.writestr("ex3_variants.py", SMALL)
    assert notes(archive) == [NOTE]


def test_a_lone_oversized_file_is_refused_with_the_same_words(tmp_path):
    path = tmp_path / "ex1_corr2d.py"
    path.write_bytes(BIG)
    with pytest.raises(UnreadableSubmission) as caught:
        load(path)
    assert caught.value.message.render("en") == NOTE
