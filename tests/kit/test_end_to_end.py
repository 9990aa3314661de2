"""The kit end to end, as its users run it: solutions, stubs, samples, exit codes, the results contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.commands.demo import sample_folder, samples
from autograder.paths import KIT_ROOT
from autograder.units.convolutions import UNIT
from tests.kit.conftest import SOLUTIONS, cpu_maximum, read_results, run_cli, scores

GRADESCOPE_TOP = {"score", "execution_time", "output", "tests"}
GRADESCOPE_TEST = {"name", "score", "max_score", "status", "output", "visibility", "tags"}


def test_solutions_score_the_maximum(grade):
    report = grade(SOLUTIONS)
    assert report.score == report.max_score == cpu_maximum(report)
    assert all(t.status in ("passed", "skipped") for t in report.tests)
    if not any(t.status == "skipped" for t in report.tests):
        assert report.max_score == 100


def test_points_add_up_to_100_with_the_gpu_tests(grade):
    report = grade(SOLUTIONS)
    assert sum(t.max_score for t in report.tests) == 100


def test_stubs_score_zero_with_a_not_implemented_message_per_exercise(grade):
    report = grade(KIT_ROOT / "exercises")
    assert report.score == 0
    for exercise in UNIT.tags:
        summaries = {t.feedback.summary.key for t in report.tests if t.exercise == exercise and t.feedback}
        assert summaries == {"failure.not_implemented"}, (exercise, summaries)


@pytest.mark.parametrize("name", list(samples(UNIT)))
def test_each_sample_gets_its_expected_score(grade, name):
    info = samples(UNIT)[name]
    report = grade(sample_folder(UNIT, name, info))
    cpu_only = sum(t.score for t in report.tests if t.counted and "cuda" not in t.name.key)
    assert cpu_only == info["cpu_score"]


def test_the_demo_shows_every_unit_with_samples_or_the_one_named():
    from autograder import units
    from autograder.commands.demo import has_samples, shown

    everyone = shown(None)
    assert UNIT in everyone
    assert everyone == [unit for unit in units.installed().values() if has_samples(unit)]
    assert shown(UNIT.name) == [UNIT]


def test_the_demo_of_one_unit_is_headed_by_its_name():
    result = run_cli("demo", "--quiet", "--unit", UNIT.name)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith(f"Unit {UNIT.name}\n")
    assert result.stdout.count("Unit ") == 1
    assert "Summary of the sample submissions" in result.stdout


def validate_gradescope(results: dict) -> None:
    """Gradescope's autograder results format: the fields, their types and allowed values."""
    assert results.keys() >= GRADESCOPE_TOP
    assert isinstance(results["score"], (int, float))
    assert isinstance(results["execution_time"], (int, float))
    assert isinstance(results["output"], str)
    assert results.get("output_format", "text") in ("text", "html", "simple_format", "md", "ansi")
    assert results.get("visibility", "visible") in ("visible", "hidden", "after_due_date", "after_published")
    assert abs(results["score"] - sum(t["score"] for t in results["tests"])) < 1e-6
    for test in results["tests"]:
        assert test.keys() >= GRADESCOPE_TEST, test.keys()
        assert isinstance(test["name"], str)
        assert test["name"]
        assert isinstance(test["score"], (int, float))
        assert isinstance(test["max_score"], (int, float))
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert test["visibility"] in ("visible", "hidden", "after_due_date", "after_published")
        assert isinstance(test["output"], str)
        assert len(test["tags"]) == 1
        assert test["tags"][0] in UNIT.tags


def test_grade_cli_writes_the_results_contract_and_exits_0(tmp_path):
    result = run_cli("grade", str(UNIT.samples / "flipped_kernel"), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    results = read_results(tmp_path)
    validate_gradescope(results)
    assert 0 < results["score"] < 50
    assert {t["tags"][0] for t in results["tests"]} == set(UNIT.tags)
    feedback = (tmp_path / "feedback.md").read_text()
    assert "convolution, not a cross-correlation" in feedback
    assert "Smallest input that fails" in feedback
    assert "corr2d" in result.stdout
    assert "Total" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["grade", "/no/such/folder"], "does not exist"),
        (["grade", str(KIT_ROOT / "pyproject.toml")], "is not a folder, .zip, .py or .ipynb"),
        (["grade", str(KIT_ROOT / "autograder" / "report")], "No exercise file was found"),
        (["grade", "--lang", "fr", "x"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_usage_exits_2_with_a_message_that_says_what_to_do(arguments, says):
    result = run_cli(*arguments)
    assert result.returncode == 2
    assert says in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_zip_exits_2(tmp_path: Path):
    broken = tmp_path / "submission.zip"
    broken.write_bytes(b"PK\x03\x04 this is not a zip")
    result = run_cli("grade", str(broken))
    assert result.returncode == 2
    assert "not a readable .zip" in result.stderr


def test_fail_under_fails_a_pipeline_below_the_threshold():
    result = run_cli("grade", str(UNIT.samples / "flipped_kernel"), "--fail-under", "50")
    assert result.returncode == 3
    assert "below the required 50" in result.stderr


def test_scores_per_exercise_of_the_flipped_sample(grade):
    report = grade(UNIT.samples / "flipped_kernel")
    by_exercise = scores(report)
    assert by_exercise["corr2d"] < 10
    assert by_exercise["Conv2D"] == 0
    assert "flipped_kernel" in report.mistakes()


def test_exercises_are_in_step_with_solutions():
    from autograder.authoring import STUB_FOLDERS, out_of_step

    for lang, folder in STUB_FOLDERS.items():
        assert out_of_step(UNIT, KIT_ROOT / folder, lang) == []
