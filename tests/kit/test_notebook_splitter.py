"""The notebook splitter on notebooks built by hand: which code each exercise file gets (its setup,
the sections it depends on, its own cells, nothing after), what an untagged notebook becomes, and
which IPython-only lines are dropped with a note. No grader runs: these are the files it would grade."""

from __future__ import annotations

import json

import pytest

from autograder.submission.notebook import (
    NotebookError,
    extract_code,
    is_unit_notebook,
    notebook_code,
    split_unit,
)
from autograder.units.convolutions import UNIT


def cell(source: str | list[str], section: str | None = None, cell_type: str = "code") -> dict:
    metadata = {"autograder": {"section": section}} if section else {}
    return {"cell_type": cell_type, "metadata": metadata, "source": source}


def notebook(*cells: dict) -> bytes:
    return json.dumps({"cells": list(cells), "nbformat": 4, "nbformat_minor": 5}).encode()


SETUP = cell("import torch", "setup")
CORR2D = cell("def corr2d(X, K):\n    return X", "ex1_corr2d")
HELPER = cell("def window(X, i, j):\n    return X[i, j]")
"""Untagged: it belongs to the section above it."""
CONV2D = cell("class Conv2D:\n    pass", "ex2_conv2d")
VARIANTS = cell("def corr1d(x, k):\n    return x", "ex3_variants")
CHECK = cell('from autograder import check\ncheck("corr2d")', "check")
LEARN = cell("def learn_kernel(X, Y):\n    return None", "ex4_learn_kernel")


def files_of(*cells: dict) -> dict[str, str]:
    return split_unit(notebook(*cells), UNIT.notebook, UNIT).files


def blocks(code: str) -> list[str]:
    """The cells a file was joined from, in order."""
    return [block.strip("\n") for block in code.split("\n\n") if block.strip()]


def test_each_file_gets_the_setup_its_dependencies_and_its_own_cells():
    files = files_of(SETUP, CORR2D, HELPER, CONV2D, VARIANTS, CHECK, LEARN)
    assert sorted(files) == sorted(UNIT.exercise_files)
    setup, corr2d, helper, conv2d = (c["source"] for c in (SETUP, CORR2D, HELPER, CONV2D))
    assert blocks(files["ex1_corr2d.py"]) == [setup, corr2d, helper]
    # Conv2D uses the student's corr2d: its file holds ex1's cells before its own.
    assert blocks(files["ex2_conv2d.py"]) == [setup, corr2d, helper, conv2d]
    # Nothing of another exercise, and no check cell, reaches an independent file.
    assert blocks(files["ex3_variants.py"]) == [setup, VARIANTS["source"]]
    assert blocks(files["ex4_learn_kernel.py"]) == [setup, LEARN["source"]]
    assert all("check(" not in code for code in files.values())


def test_a_broken_cell_reaches_only_the_files_that_would_run_it():
    broken = cell("def corr1d(x, k:\n", "ex3_variants")
    files = files_of(SETUP, CORR2D, CONV2D, broken, LEARN)
    assert [name for name, code in files.items() if "def corr1d(x, k:" in code] == ["ex3_variants.py"]
    compile(files["ex2_conv2d.py"], "ex2_conv2d.py", "exec")
    compile(files["ex4_learn_kernel.py"], "ex4_learn_kernel.py", "exec")


def test_a_section_without_code_gives_no_file():
    files = files_of(SETUP, CORR2D, cell("  \n", "ex3_variants"), cell("", "ex4_learn_kernel"))
    assert sorted(files) == ["ex1_corr2d.py"]


def test_cells_before_any_tag_are_setup_and_unknown_tags_continue_the_section_above():
    files = files_of(cell("import math"), CORR2D, cell("TABLE = 1", "ex9_unknown"), VARIANTS)
    assert blocks(files["ex1_corr2d.py"]) == ["import math", CORR2D["source"], "TABLE = 1"]
    assert blocks(files["ex3_variants.py"]) == ["import math", VARIANTS["source"]]


def test_markdown_cells_and_sources_given_as_lists_of_lines():
    files = files_of(
        cell("# Corr2d\nsome words", cell_type="markdown"), cell(["def corr2d(X, K):\n", "    return X"], "ex1_corr2d")
    )
    assert files == {"ex1_corr2d.py": "def corr2d(X, K):\n    return X\n"}


def test_an_untagged_notebook_gives_every_file_all_its_code_with_a_note():
    untagged = [cell(c["source"]) for c in (SETUP, CORR2D, CONV2D, VARIANTS, LEARN)]
    untagged.append(cell('check("corr2d")'))
    found = split_unit(notebook(*untagged), "convolutions-Copy1.ipynb", UNIT)
    assert sorted(found.files) == sorted(UNIT.exercise_files)
    assert len(set(found.files.values())) == 1
    whole = found.files["ex1_corr2d.py"]
    for source in (SETUP, CORR2D, CONV2D, VARIANTS, LEARN):
        assert source["source"] in whole
    # Untagged, a check cell cannot be told apart, but its call is dropped (the worker has no kit).
    assert 'pass  # checker: check("corr2d")' in whole
    assert [note.key for note in found.notes] == ["loader.notebook_untagged"]
    assert "every exercise was graded on all of its code" in found.notes[0].render("en")


def test_magics_shell_lines_and_help_are_dropped_and_counted_across_cells():
    found = split_unit(
        notebook(
            cell("%matplotlib inline\nimport torch", "setup"),
            cell("%%bash\npip list\necho done", "setup"),
            cell("def corr2d(X, K):\n    !echo inside\n    return X\ncorr2d?", "ex1_corr2d"),
            cell("%%time\ncorr2d(1, 2)", "ex1_corr2d"),
        ),
        UNIT.notebook,
        UNIT,
    )
    code = found.files["ex1_corr2d.py"]
    compile(code, "ex1_corr2d.py", "exec")
    assert "matplotlib" not in code.replace("pass  # dropped: %matplotlib inline", "")
    assert "pip list" not in code
    assert "    pass  # dropped: !echo inside\n    return X" in code
    assert "corr2d(1, 2)" in code  # %%time runs its body: only the magic line goes
    # 1 + 3 (a whole %%bash cell) + 2 + 1
    assert [note.render("en") for note in found.notes] == [
        "7 line(s) of notebook magics or shell commands in convolutions.ipynb were dropped; "
        "the grader runs plain Python only."
    ]


def test_a_notebook_per_exercise_file_becomes_that_file_only():
    data = notebook(cell("import torch"), CORR2D, CHECK, cell("%pwd"))
    found = notebook_code(data, "ex1_corr2d.ipynb", UNIT)
    assert list(found.files) == ["ex1_corr2d.py"]
    assert blocks(found.files["ex1_corr2d.py"]) == ["import torch", CORR2D["source"], "pass  # dropped: %pwd"]
    assert [note.key for note in found.notes] == ["loader.notebook_dropped"]
    assert extract_code(data, "ex1_corr2d.ipynb", UNIT) == (found.files["ex1_corr2d.py"], 1)


def test_a_version_3_notebook_with_worksheets_is_read():
    document = {"worksheets": [{"cells": [{"cell_type": "code", "input": "def corr2d(X, K):\n    return X"}]}]}
    found = notebook_code(json.dumps(document).encode(), "ex1_corr2d.ipynb", UNIT)
    assert found.files == {"ex1_corr2d.py": "def corr2d(X, K):\n    return X\n"}


def test_a_notebook_that_is_not_one_says_why():
    with pytest.raises(NotebookError) as caught:
        split_unit(b'{"cells": [{"cell_type": "code", "source": 7}]}', UNIT.notebook, UNIT)
    assert caught.value.message.render("en") == "it has a code cell whose source is not text"


@pytest.mark.parametrize(
    ("name", "is_it"),
    [
        ("convolutions.ipynb", True),
        ("convolutions (1).ipynb", True),
        ("convolutions-Copy1.ipynb", True),
        ("ex1_corr2d.ipynb", False),
        ("convolutions.py", False),
        ("my_convolutions.ipynb", False),
    ],
)
def test_which_names_are_the_unit_notebook(name, is_it):
    assert is_unit_notebook(name, UNIT) is is_it
