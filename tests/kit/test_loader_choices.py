"""What the loader takes from a folder or a zip, and which unit a submission goes to when no
`--unit` is given: the folder of the exercise files, the files beside them it keeps or leaves, a
notebook against a .py, and the unit chosen by the files it holds. Nothing is graded here."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from autograder import units
from autograder.submission.loader import UnreadableSubmission, from_bytes, load
from autograder.unit import Exercise, Unit
from autograder.units.convolutions import UNIT

CORR2D = b"def corr2d(X, K):\n    return X\n"
VARIANTS = b"def corr1d(x, k):\n    return x\n"


def write_tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def zipped(path: Path, files: dict[str, bytes]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def unit_notebook(**sections: str) -> bytes:
    cells = [
        {"cell_type": "code", "metadata": {"autograder": {"section": module}}, "source": code}
        for module, code in sections.items()
    ]
    return json.dumps({"cells": cells}).encode()


@pytest.fixture(params=["folder", "zip"])
def as_submission(request, tmp_path):
    """The same files handed in as a folder or as a zip: the loader must read both alike."""

    def make(files: dict[str, bytes]) -> Path:
        if request.param == "folder":
            return write_tree(tmp_path / "work", files)
        return zipped(tmp_path / "work.zip", files)

    return make


def test_the_shallowest_folder_with_exercise_files_is_the_submission(as_submission):
    loaded = load(
        as_submission(
            {
                "alice/ex1_corr2d.py": CORR2D,
                "alice/notes.py": b"NOTE = 1\n",
                "alice/old/ex1_corr2d.py": b"def corr2d(X, K):\n    return None\n",
                "alice/old/ex3_variants.py": VARIANTS,
                "readme.txt": b"hello",
            }
        ),
        UNIT,
    )
    assert loaded.files == {"ex1_corr2d.py": CORR2D, "notes.py": b"NOTE = 1\n"}
    assert loaded.exercise_files == ["ex1_corr2d.py"]


def test_of_two_folders_as_deep_the_one_with_more_exercise_files_wins(as_submission):
    loaded = load(
        as_submission({"a/ex1_corr2d.py": CORR2D, "b/ex1_corr2d.py": CORR2D, "b/ex3_variants.py": VARIANTS}), UNIT
    )
    assert loaded.exercise_files == ["ex1_corr2d.py", "ex3_variants.py"]


def test_tests_conftest_hidden_and_tool_folders_are_left_out(as_submission):
    loaded = load(
        as_submission(
            {
                "ex1_corr2d.py": CORR2D,
                "test_ex1_corr2d.py": b"def test_x():\n    pass\n",
                "conftest.py": b"import os\n",
                ".scratch.py": b"x = 1\n",
                ".ipynb_checkpoints/ex3_variants.py": VARIANTS,
                "__MACOSX/ex3_variants.py": VARIANTS,
                "__pycache__/ex3_variants.py": VARIANTS,
            }
        ),
        UNIT,
    )
    assert list(loaded.files) == ["ex1_corr2d.py"]


def test_a_zip_member_outside_the_archive_is_never_taken(tmp_path):
    path = zipped(tmp_path / "work.zip", {"../ex3_variants.py": VARIANTS, "/ex4_learn_kernel.py": b"x = 1\n"})
    with pytest.raises(UnreadableSubmission) as caught:
        load(path, UNIT)
    assert caught.value.describe("en").startswith("No exercise file was found in")
    loaded = load(zipped(tmp_path / "w2.zip", {"ex1_corr2d.py": CORR2D, "../ex3_variants.py": VARIANTS}), UNIT)
    assert list(loaded.files) == ["ex1_corr2d.py"]


def test_a_py_file_beats_the_notebook_section_for_the_same_file_with_a_note(as_submission):
    notebook = unit_notebook(ex1_corr2d="def corr2d(X, K):\n    return K", ex3_variants=VARIANTS.decode())
    loaded = load(as_submission({"ex1_corr2d.py": CORR2D, UNIT.notebook: notebook}), UNIT)
    assert loaded.files["ex1_corr2d.py"] == CORR2D
    assert loaded.files["ex3_variants.py"].decode().strip() == VARIANTS.decode().strip()
    assert [note.render("en") for note in loaded.notes] == [
        "convolutions.ipynb was ignored because ex1_corr2d.py is also present."
    ]


def test_a_per_exercise_notebook_comes_before_the_unit_notebook(as_submission):
    per_file = json.dumps({"cells": [{"cell_type": "code", "source": CORR2D.decode()}]}).encode()
    whole = unit_notebook(ex1_corr2d="def corr2d(X, K):\n    return K")
    loaded = load(as_submission({"ex1_corr2d.ipynb": per_file, UNIT.notebook: whole}), UNIT)
    assert loaded.files["ex1_corr2d.py"].decode().strip() == CORR2D.decode().strip()


def test_of_several_copies_of_the_unit_notebook_the_one_with_its_own_name_is_read(as_submission):
    copies = {
        "convolutions (1).ipynb": unit_notebook(ex1_corr2d="def corr2d(X, K):\n    return 1"),
        "convolutions (2).ipynb": unit_notebook(ex1_corr2d="def corr2d(X, K):\n    return 2"),
    }
    own = unit_notebook(ex1_corr2d="def corr2d(X, K):\n    return 0")
    assert b"return 0" in load(as_submission({**copies, UNIT.notebook: own}), UNIT).files["ex1_corr2d.py"]


def test_without_its_own_name_the_first_copy_by_name_is_read(tmp_path):
    copies = {
        "convolutions (2).ipynb": unit_notebook(ex1_corr2d="def corr2d(X, K):\n    return 2"),
        "convolutions (1).ipynb": unit_notebook(ex1_corr2d="def corr2d(X, K):\n    return 1"),
    }
    assert b"return 1" in load(write_tree(tmp_path / "w", copies), UNIT).files["ex1_corr2d.py"]


def test_a_lone_notebook_is_the_unit_notebook_whatever_its_name(tmp_path):
    path = tmp_path / "Untitled3.ipynb"
    path.write_bytes(unit_notebook(ex1_corr2d=CORR2D.decode(), ex3_variants=VARIANTS.decode()))
    assert load(path, UNIT).exercise_files == ["ex1_corr2d.py", "ex3_variants.py"]


def test_a_submission_built_in_memory_keeps_its_bytes_and_reads_them_leniently():
    loaded = from_bytes("in memory", {"ex1_corr2d.py": b"def corr2d(X, K):\n    return X  # \xff\n"}, UNIT)
    assert loaded.unit is UNIT
    assert loaded.files["ex1_corr2d.py"].endswith(b"\xff\n")
    assert loaded.sources["ex1_corr2d.py"].endswith("# \ufffd\n")
    with pytest.raises(UnreadableSubmission) as caught:
        from_bytes("in memory", {"notes.py": b"x = 1\n"}, UNIT)
    assert caught.value.describe("en").startswith("No exercise file")


# ------------------------------------------------------------------ which unit, by the files


SIGNALS = Unit(
    name="signals",
    package="tests.kit",
    exercises=(Exercise("smooth", "ex1_smooth"), Exercise("corr1d", "ex2_corr1d")),
    notebook="signals.ipynb",
    mistakes=(),
)
"""A second unit, in memory: its files differ from the convolution unit's but for none of them."""


@pytest.fixture
def two_units(monkeypatch):
    monkeypatch.setattr(units, "installed", lambda: {UNIT.name: UNIT, SIGNALS.name: SIGNALS})


def test_without_a_unit_the_files_choose_it(two_units, as_submission):
    smooth = b"def smooth(x):\n    return x\n"
    assert load(as_submission({"ex1_smooth.py": smooth, "ex2_corr1d.py": VARIANTS})).unit is SIGNALS


def test_the_unit_with_the_most_exercise_files_wins(two_units, tmp_path):
    both = write_tree(
        tmp_path / "both", {"ex1_smooth.py": b"x = 1\n", "ex1_corr2d.py": CORR2D, "ex3_variants.py": VARIANTS}
    )
    loaded = load(both)
    assert loaded.unit is UNIT
    assert loaded.exercise_files == ["ex1_corr2d.py", "ex3_variants.py"]


def test_a_tie_goes_to_the_first_installed_unit(two_units, tmp_path):
    tie = write_tree(tmp_path / "tie", {"ex1_smooth.py": b"x = 1\n", "ex1_corr2d.py": CORR2D})
    assert load(tie).unit is UNIT


def test_a_notebook_goes_to_the_unit_it_is_named_after(two_units, tmp_path):
    notebook = json.dumps(
        {"cells": [{"cell_type": "code", "metadata": {"autograder": {"section": "ex1_smooth"}}, "source": "x = 1"}]}
    ).encode()
    folder = write_tree(tmp_path / "nb", {"signals.ipynb": notebook})
    assert load(folder).unit is SIGNALS


def test_files_of_no_unit_are_refused_naming_what_was_expected(two_units, tmp_path):
    folder = write_tree(tmp_path / "none", {"homework.txt": b"", "sub/helper.py": b"x = 1\n"})
    with pytest.raises(UnreadableSubmission) as caught:
        load(folder)
    assert "ex1_corr2d.py" in caught.value.describe("en")
    with pytest.raises(UnreadableSubmission) as caught:
        load(tmp_path / "missing")
    assert caught.value.message.key == "loader.not_found"


def test_a_submission_built_in_memory_goes_to_the_unit_of_its_files(two_units):
    assert from_bytes("in memory", {"ex1_smooth.py": b"def smooth(x):\n    return x\n"}).unit is SIGNALS
    assert from_bytes("in memory", {"ex1_corr2d.py": CORR2D}).unit is UNIT


def test_a_lone_script_goes_to_the_unit_whose_exercises_it_defines(two_units, tmp_path):
    """A lone script is read as every file of each unit: what it defines chooses, not how many files
    a unit has (SIGNALS has two to the convolution unit's four)."""
    smooth = tmp_path / "ada.py"
    smooth.write_bytes(b"import torch\n\n\ndef smooth(x):\n    return x\n")
    assert load(smooth).unit is SIGNALS
    both = tmp_path / "grace.py"
    both.write_bytes(CORR2D + b"\n\nclass Conv2D:\n    pass\n\n\nasync def smooth(x):\n    return x\n")
    assert load(both).unit is UNIT
