"""A unit the kit has never seen joins as a package of its own, and the engine grades it unchanged.

The unit here is written in the test: one exercise (`twice(x)`, a tensor doubled), its solution,
a hidden suite built from the engine's general checks, and its catalogue in both languages. It is
installed the way a course would install one: a distribution on the path whose entry point
(group `conv_autograder.units`) names its package. Nothing of the engine knows it.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autograder.paths import KIT_ROOT
from autograder.units import ENTRY_POINT_GROUP
from autograder.units.convolutions import UNIT as CONVOLUTIONS

pytestmark = pytest.mark.slow

UNIT_INIT = """
from autograder.unit import Exercise, Unit

UNIT = Unit(
    name="doubling",
    package=__name__,
    exercises=(Exercise("twice", "ex1_twice"),),
    notebook="doubling.ipynb",
    mistakes=("added_not_doubled",),
)
"""

SOLUTION = '''
"""{stub.module.ex1_twice}"""

import torch


def twice(x):
    """{doc.twice}"""
    # BEGIN SOLUTION
    return x * 2
    # END SOLUTION
'''

HIDDEN_SUITE = """
import torch

from autograder.judge.checks.common import answering, checked, expect_dtype_device, expect_shape, expect_tensor
from autograder.judge.checks.common import tolerance, values_failure
from autograder.judge.marks import graded
from autograder.judge.mistakes import fail_with
from autograder.i18n import msg

EXERCISE = "twice"


def check_twice(judge, x):
    context = checked(EXERCISE, {"x": x}, "cpu")
    with answering(EXERCISE):
        call = judge.student.twice(x)
    got = expect_tensor(call.value, EXERCISE, context)
    expect_shape(got, tuple(x.shape), EXERCISE, context, msg("test.twice.same_shape"))
    expect_dtype_device(got, x.dtype, "cpu", EXERCISE, context, call.trace, input_name="x")
    expected = x * 2
    rtol, atol = tolerance(x.dtype, expected)
    close = torch.isclose(got.data, expected, rtol=rtol, atol=atol)
    if not bool(close.all()):
        if torch.allclose(got.data, x + 2):
            raise fail_with("added_not_doubled", {"name": EXERCISE}, details=(context,))
        raise values_failure(EXERCISE, {"x": x}, expected, got, close, context)


@graded(60, EXERCISE, "test.twice.values")
def test_values(judge):
    check_twice(judge, torch.arange(6.0).reshape(2, 3))


@graded(40, EXERCISE, "test.twice.float64")
def test_float64(judge):
    check_twice(judge, torch.linspace(-1, 1, 5, dtype=torch.float64))
"""

CATALOGUES = {
    "en": """
[doubling.notebook]
intro = "# Doubling"
how = "Write the function."
[doubling.bundle]
readme = "# Doubling"
[stub.module]
ex1_twice = "Exercise 1: doubling."
[stub.doc]
twice = "Return x doubled."
[stub.todo]
twice = "Write twice."
[notebook.section]
ex1_twice = "## twice"
[test.twice]
values = "twice doubles a tensor"
float64 = "twice keeps float64"
same_shape = "the output has the input's shape"
[mistake.added_not_doubled]
title = "{name} adds 2 instead of multiplying by 2."
why = "Doubling is x * 2; x + 2 shifts every value instead."
fix = "Multiply by 2."
""",
    "zh": """
[doubling.notebook]
intro = "# 加倍"
how = "编写这个函数。"
[doubling.bundle]
readme = "# 加倍"
[stub.module]
ex1_twice = "练习 1：加倍。"
[stub.doc]
twice = "返回 x 的两倍。"
[stub.todo]
twice = "编写 twice。"
[notebook.section]
ex1_twice = "## twice"
[test.twice]
values = "twice 把张量加倍"
float64 = "twice 保持 float64"
same_shape = "输出与输入形状相同"
[mistake.added_not_doubled]
title = "{name} 加了 2，而不是乘以 2。"
why = "加倍是 x * 2；x + 2 只是把每个值平移。"
fix = "乘以 2。"
""",
}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder on PYTHONPATH holding the unit's package and its distribution's entry point."""
    root = tmp_path_factory.mktemp("site")
    package = root / "doubling_unit"
    write(package / "__init__.py", UNIT_INIT)
    write(package / "solutions" / "ex1_twice.py", SOLUTION)
    for suite in ("hidden", "public"):
        write(package / "suites" / "__init__.py", "")
        write(package / "suites" / suite / "__init__.py", "")
        write(package / "suites" / suite / "conftest.py", 'pytest_plugins = ["autograder.judge.plugin"]\n')
        write(package / "suites" / suite / "test_ex1_twice.py", HIDDEN_SUITE)
    for lang, text in CATALOGUES.items():
        write(package / "catalogue" / f"{lang}.toml", text)
    info = root / "doubling_unit-0.1.dist-info"
    write(info / "METADATA", "Metadata-Version: 2.1\nName: doubling-unit\nVersion: 0.1\n")
    write(info / "entry_points.txt", f"[{ENTRY_POINT_GROUP}]\ndoubling = doubling_unit\n")
    return root


def run(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(KIT_ROOT)])}
    command = [sys.executable, "-m", "autograder", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def submission(folder: Path, body: str) -> Path:
    write(folder / "ex1_twice.py", f"def twice(x):\n    return {body}\n")
    return folder


def test_the_new_unit_is_installed_beside_the_first(site: Path, tmp_path: Path):
    result = run(site, "grade", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "doubling" in result.stdout
    assert CONVOLUTIONS.name in result.stdout


def test_the_engine_grades_the_new_unit_and_names_its_mistake(site: Path, tmp_path: Path):
    right = run(site, "grade", str(submission(tmp_path / "right", "x * 2")), "--out", str(tmp_path / "r"), cwd=tmp_path)
    assert right.returncode == 0, right.stdout[-2000:] + right.stderr[-2000:]
    assert json.loads((tmp_path / "r" / "results.json").read_text())["score"] == 100
    wrong = run(site, "grade", str(submission(tmp_path / "wrong", "x + 2")), "--out", str(tmp_path / "w"), cwd=tmp_path)
    assert wrong.returncode == 0, wrong.stderr[-2000:]
    assert "adds 2 instead of multiplying by 2" in wrong.stdout
    assert json.loads((tmp_path / "w" / "results.json").read_text())["score"] == 0


def test_one_batch_grades_students_of_both_units(site: Path, tmp_path: Path):
    klass = tmp_path / "class"
    submission(klass / "ada", "x * 2")
    shutil.copytree(CONVOLUTIONS.solutions, klass / "grace")
    result = run(site, "grade-batch", str(klass), "--out", str(tmp_path / "out"), "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    with open(tmp_path / "out" / "grades.csv", newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert rows["ada"]["total"] == "100"
    assert rows["ada"]["twice"] == "100"
    assert rows["grace"]["total"] == "100"
    assert rows["grace"]["corr2d"] == "33"
    # Each unit has its own gradebook and class report: its students, its exercises' columns.
    for unit, student, tags in (("doubling", "ada", ["twice"]), (CONVOLUTIONS.name, "grace", list(CONVOLUTIONS.tags))):
        with open(tmp_path / "out" / unit / "grades.csv", newline="") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames == ["student_id", "status", "total", "max", *tags, "reason", "source"]
            assert [row["student_id"] for row in reader] == [student]
        assert f'href="../{student}/feedback.html"' in (tmp_path / "out" / unit / "report.html").read_text()
        assert str(tmp_path / "out" / unit / "grades.csv") in result.stdout
