"""The mistake corpus: every typical mistake is named, and correct code is never diagnosed."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from autograder.judge.mistakes import known
from autograder.units.fc_to_conv import UNIT as FC_TO_CONV
from tests.kit.conftest import solution_files

CORPUS = Path(__file__).parent.parent / "corpus"
MANIFEST = tomllib.loads((CORPUS / "mistakes" / "manifest.toml").read_text())
CORRECT = sorted(p.name for p in (CORPUS / "correct").iterdir() if p.is_dir())
CUDA_ONLY = {"not_on_input_device"}
"""Mistakes that can only show on a GPU; the GPU check covers them."""


def submission(folder: Path) -> dict[str, bytes]:
    files = solution_files()
    files.update({p.name: p.read_bytes() for p in folder.glob("*.py")})
    return files


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_the_mistake_is_named(grade, name):
    case = MANIFEST[name]
    report = grade(submission(CORPUS / "mistakes" / name))
    failing = [t for t in report.tests if t.exercise == case["exercise"] and t.status == "failed"]
    assert failing, f"{name}: no test of {case['exercise']} failed"
    named = {t.feedback.mistake for t in failing if t.feedback}
    assert named & set(case["expect"]), (
        f"{name}: named {sorted(n for n in named if n)}, expected one of {case['expect']}"
    )
    # No false diagnosis: every name in the whole report is one the case allows.
    allowed = set(case["expect"]) | set(case.get("also", ()))
    wrong = sorted({m for m in report.mistakes() if m not in allowed})
    assert not wrong, f"{name}: also named {wrong}, which the submission does not show"
    # Each mistake costs once, where it belongs.
    for exercise in case.get("full_marks", ()):
        score, maximum = report.exercise_score(exercise)
        lost = [t.name.key for t in report.tests if t.exercise == exercise and t.status == "failed"]
        assert score == maximum, f"{name}: {exercise} lost points in {lost}"
    if "failing" in case:
        assert sorted(t.name.key for t in failing) == sorted(case["failing"]), name


@pytest.mark.parametrize("name", CORRECT)
def test_correct_code_gets_full_marks_and_no_diagnosis(grade, name):
    report = grade(submission(CORPUS / "correct" / name))
    assert report.score == report.max_score, [(t.name.key, t.feedback) for t in report.tests if t.status == "failed"]
    assert report.mistakes() == []


def test_every_named_mistake_has_a_fixture():
    """The engine's mistakes and the convolutions unit's (fc_to_conv's have their slips' own tests)."""
    covered = {mistake for case in MANIFEST.values() for mistake in case["expect"]}
    assert set(known()) - set(FC_TO_CONV.mistakes) - covered - CUDA_ONLY == set()
