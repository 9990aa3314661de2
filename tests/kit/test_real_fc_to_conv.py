"""The real-code corpus of the unit fc_to_conv: learners' answers to its exercises, graded as a good grader would.

Each case in tests/corpus/real_fc_to_conv/ is modelled on public code (see its manifest for the provenance
and for what a good grader says about it). Right code by any road (einsum, unfold, loops, Toeplitz blocks
through torch.kron, F.conv2d on one-hot images) gets full marks and no name; wrong code fails, and is named
only with a mistake its evidence shows, never with another one.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from autograder import results
from autograder.grading import Grader
from autograder.judge.mistakes import known
from autograder.submission.loader import from_bytes
from autograder.units.fc_to_conv import UNIT
from tests.kit.test_real_code import Verdict, check_text

REAL = Path(__file__).parent.parent / "corpus" / "real_fc_to_conv"
MANIFEST: dict[str, dict[str, Any]] = tomllib.loads((REAL / "manifest.toml").read_text(encoding="utf-8"))
CASE_KEYS = {"source", "kind", "what"}
EXPECTATION_KEYS = {"outcome", "named", "require", "forbid_on", "why"}
OUTCOMES = {"full", "fail", "any"}
NOT_IMPLEMENTED = "failure.not_implemented"


def submission(case: str) -> dict[str, bytes]:
    """The unit's solutions with the case's files in their place."""
    files = {path.name: path.read_bytes() for path in UNIT.solutions.glob("ex*.py")}
    files.update({path.name: path.read_bytes() for path in (REAL / case).glob("ex*.py")})
    return files


def hidden_test_keys() -> set[str]:
    keys: set[str] = set()
    for path in UNIT.suite("hidden").glob("test_*.py"):
        keys.update(re.findall(r'"(test\.\w+\.\w+)"', path.read_text(encoding="utf-8")))
    return keys


def expectations(case: str) -> dict[str, dict[str, Any]]:
    return {tag: spec for tag, spec in MANIFEST[case].items() if tag in UNIT.tags}


def short(test: results.TestResult) -> str:
    return test.name.key.rsplit(".", 1)[-1]


def said(test: results.TestResult) -> str:
    """One line: what the grader said on this test (for failure messages)."""
    if test.feedback is None:
        return f"{short(test)} {test.status} {test.score:g}/{test.max_score:g}"
    summary = test.feedback.summary.render("en").splitlines()[0][:160]
    name = test.feedback.mistake or "no name"
    return f"{short(test)} {test.status} {test.score:g}/{test.max_score:g} [{name}] {summary!r}"


def check_exercise(verdict: Verdict, report: results.GradeReport, exercise: str, spec: dict[str, Any]) -> None:
    tests = [t for t in report.tests if t.exercise == exercise and t.counted and t.status != "skipped"]
    failing = [t for t in tests if t.status != "passed"]
    names = {t.feedback.mistake for t in failing if t.feedback and t.feedback.mistake}
    outcome = spec.get("outcome", "full")
    where = f"{exercise}:"

    if outcome == "full":
        for test in failing:
            verdict.add(f"{where} right code must pass, but the kit says {said(test)}")
    elif outcome == "fail" and tests and not failing:
        verdict.add(f"{where} wrong code must lose points, but all {len(tests)} tests passed")

    allowed = set(spec.get("named", [])) if outcome != "full" else set()
    for test in failing:
        mistake = test.feedback.mistake if test.feedback else None
        if mistake and mistake not in allowed:
            expected = f"one of {sorted(allowed)}" if allowed else "no name, only what was observed"
            verdict.add(f"{where} wrong name on {said(test)}; should be {expected}")
    for test in failing:
        mistake = test.feedback.mistake if test.feedback else None
        if mistake and mistake in spec.get("forbid_on", {}).get(short(test), []):
            verdict.add(f"{where} wrong name on {said(test)}: that test's evidence is not this mistake")
    for mistake in spec.get("require", []):
        if mistake not in names:
            verdict.add(f"{where} {mistake} must be named; the kit says: " + "; ".join(said(t) for t in failing))
    for test in failing:
        if test.feedback is not None and test.feedback.summary.key == NOT_IMPLEMENTED:
            verdict.add(f"{where} implemented code is called not implemented: {said(test)}")


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(MANIFEST))
def test_real_fc_to_conv_code_is_graded_as_a_good_grader_would(grader: Grader, case: str) -> None:
    report = grader.grade(from_bytes(f"real case {case}", submission(case), UNIT), "hidden")
    assert not report.internal_errors, report.internal_errors
    verdict = Verdict(case)
    specified = expectations(case)
    for exercise in report.exercises():
        check_exercise(verdict, report, exercise, specified.get(exercise, {"outcome": "full"}))
    check_text(verdict, report)
    assert not verdict.problems, f"{case} ({MANIFEST[case]['what']}):\n  " + "\n  ".join(verdict.problems)


def test_manifest_and_folders_agree() -> None:
    folders = {path.name for path in REAL.iterdir() if path.is_dir()}
    assert folders == set(MANIFEST)
    for case in MANIFEST:
        files = {path.name for path in (REAL / case).glob("*.py")}
        assert files, case
        assert files <= set(UNIT.exercise_files), (case, files - set(UNIT.exercise_files))


def test_manifest_names_only_known_exercises_and_mistakes() -> None:
    for case, entry in MANIFEST.items():
        assert set(entry) >= CASE_KEYS, case
        assert set(entry) <= CASE_KEYS | set(UNIT.tags), (case, set(entry) - CASE_KEYS - set(UNIT.tags))
        case_files = {path.stem for path in (REAL / case).glob("ex*.py")}
        for exercise, spec in expectations(case).items():
            assert set(spec) <= EXPECTATION_KEYS, (case, exercise, set(spec) - EXPECTATION_KEYS)
            assert spec.get("outcome", "full") in OUTCOMES, (case, exercise)
            assert UNIT.module_of(exercise) in case_files, (case, exercise, "its file is the reference")
            for mistake in [*spec.get("named", []), *spec.get("require", [])]:
                assert mistake in known(), (case, exercise, mistake)
            assert set(spec.get("require", [])) <= set(spec.get("named", [])), (case, exercise)
            for test_name, mistakes in spec.get("forbid_on", {}).items():
                assert f"test.{exercise}.{test_name}" in hidden_test_keys(), (case, exercise, test_name)
                assert set(mistakes) <= set(spec.get("named", [])), (case, exercise, test_name)


def test_the_corpus_covers_every_file_and_several_roads() -> None:
    """Every exercise file has cases of its own, and right answers come by more than one road."""
    written = {path.stem for path in REAL.glob("*/ex*.py")}
    assert written == set(UNIT.modules)
    text = "\n".join(path.read_text(encoding="utf-8") for path in REAL.glob("*/ex*.py"))
    for road in ("torch.einsum", "F.unfold", "F.fold", "torch.kron", "F.conv2d", "torch.rot90", "torch.roll"):
        assert road in text, road
