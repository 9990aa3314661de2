"""The second unit, "from fully connected layers to convolutions", end to end as its users run it:
solutions, stubs, samples, the public suite, its stubs and notebook in step, and the CLI with --unit."""

from __future__ import annotations

import pytest

from autograder.authoring import STUB_FOLDERS, out_of_step
from autograder.commands.demo import sample_folder, samples
from autograder.paths import workspace
from autograder.units.fc_to_conv import UNIT, slips
from tests.kit.conftest import cpu_maximum, read_results, run_cli

WORKSPACE = workspace(UNIT)


def test_the_unit_has_its_own_workspace_beside_the_first():
    assert WORKSPACE.name == UNIT.name
    assert (WORKSPACE / "exercises").is_dir()


def test_every_named_mistake_of_the_unit_is_a_slip_and_every_slip_is_listed():
    modelled = {slip.mistake for tag in UNIT.tags for slip in slips.of_exercise(tag)}
    assert modelled == set(UNIT.mistakes)
    assert len(UNIT.mistakes) == len(set(UNIT.mistakes))


@pytest.mark.parametrize("lang", sorted(STUB_FOLDERS))
def test_stubs_are_in_step_with_the_solutions(lang):
    assert not out_of_step(UNIT, WORKSPACE / STUB_FOLDERS[lang], lang), "run `make exercises`"


def test_solutions_score_the_maximum_and_points_add_up_to_100(grade):
    report = grade(UNIT.solutions)
    assert report.exercise_order == list(UNIT.tags)
    assert report.score == report.max_score == cpu_maximum(report)
    assert all(t.status in ("passed", "skipped") for t in report.tests)
    assert sum(t.max_score for t in report.tests) == 100
    assert set(report.exercises()) == set(UNIT.tags)


def test_solutions_pass_the_public_suite(grade):
    report = grade(UNIT.solutions, "public")
    assert report.score == cpu_maximum(report) > 0
    assert set(report.exercises()) == set(UNIT.tags)


def test_stubs_score_zero_with_a_not_implemented_message_per_exercise(grade):
    report = grade(WORKSPACE / "exercises")
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


def test_grade_cli_names_the_unit_and_its_exercises(tmp_path):
    result = run_cli("grade", str(UNIT.samples / "common_slips"), "--unit", UNIT.name, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    results = read_results(tmp_path)
    assert {t["tags"][0] for t in results["tests"]} == set(UNIT.tags)
    assert "mlp_parameters" in result.stdout
