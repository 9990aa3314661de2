"""The real-code corpus: learners' code for this section, graded as a good grader would grade it.

Each case in tests/corpus/real/ is modelled on public code written by readers of the text (see its
manifest for the provenance and for what a good grader says about it). The grader must give full
marks and no name to correct code; on wrong code it must fail the property that is broken, name only
a mistake the evidence shows, keep the points of the properties that hold, and never show the
student its own paths, frames or a raw PyTorch message as advice.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from autograder import results
from autograder.feedback import Feedback
from autograder.i18n import LANGUAGES, Message, catalogue
from autograder.judge.mistakes import known
from autograder.report.text import feedback_text, render
from autograder.units.convolutions import UNIT
from tests.kit.conftest import solution_files

REAL = Path(__file__).parent.parent / "corpus" / "real"
MANIFEST: dict[str, dict[str, Any]] = tomllib.loads((REAL / "manifest.toml").read_text(encoding="utf-8"))
HIDDEN = UNIT.suite("hidden")
CASE_KEYS = {"source", "kind", "what"}
EXPECTATION_KEYS = {"full", "fail", "keep", "not_failed", "named", "require", "forbid", "must_not_say", "why"}

GRADER_PATHS = ("/work/", "site-packages", "autograder/", "suites/hidden", "/.venv", "_pytest", "pluggy")
"""Text that shows where the grader lives: never part of what a student reads."""
FRAME = re.compile(r'File "([^"]+)"')
STUDENT_FILE = re.compile(r"ex\d_\w+\.py")
TORCH_INTERNALS = (
    "Cannot copy out of meta tensor",
    "can't convert meta device type tensor",
    "Can't call numpy() on Tensor",
    "a leaf Variable that requires grad",
    "must match the size of tensor",
    "is invalid for input of size",
    "is out of bounds for dimension",
    "cannot assign parameter before Module.__init__()",
    "Expected all tensors to be on the same device",
    "element 0 of tensors does not require grad",
    "doesn't match the broadcast shape",
    "unsupported operand type",
    "Could not run",
)
"""PyTorch's and Python's own error texts: quoted in the student's traceback at most, never as a hint."""


@dataclass
class Verdict:
    """What the grader said that it should not have, case by case."""

    case: str
    problems: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.problems.append(text)


def submission(case: str) -> dict[str, bytes]:
    files = solution_files()
    files.update({p.name: p.read_bytes() for p in (REAL / case).glob("*.py")})
    return files


def hidden_test_keys() -> set[str]:
    keys: set[str] = set()
    for path in HIDDEN.glob("test_*.py"):
        keys.update(re.findall(r'"(test\.\w+\.\w+)"', path.read_text(encoding="utf-8")))
    return keys


def expectations(case: str) -> dict[str, dict[str, Any]]:
    return {tag: spec for tag, spec in MANIFEST[case].items() if tag in UNIT.tags}


def message_keys(message: Any) -> Iterator[str]:
    """Every catalogue key in a message, its parameters included."""
    if isinstance(message, Message):
        yield message.key
        for value in message.params.values():
            yield from message_keys(value)
    elif isinstance(message, (list, tuple)):
        for item in message:
            yield from message_keys(item)


def feedback_keys(feedback: Feedback) -> set[str]:
    keys = set(message_keys(feedback.summary)) | set(message_keys(feedback.details)) | set(message_keys(feedback.hint))
    if feedback.mistake:
        keys.add(feedback.mistake)
    return keys


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
    by_name = {short(t): t for t in tests}
    failing = [t for t in tests if t.status != "passed"]
    names = {t.feedback.mistake for t in failing if t.feedback and t.feedback.mistake}
    where = f"{exercise}:"

    if spec.get("full"):
        for test in failing:
            verdict.add(f"{where} correct code must pass, but the kit says {said(test)}")
    for name in spec.get("fail", []):
        test = by_name.get(name)
        if test is None:
            verdict.add(f"{where} no test {name} in the report (manifest out of step with the suite)")
        elif test.status == "passed":
            verdict.add(f"{where} {name} must fail, but it passed")
    for name in spec.get("keep", []):
        test = by_name.get(name)
        if test is None:
            verdict.add(f"{where} no test {name} in the report (manifest out of step with the suite)")
        elif test.status != "passed":
            verdict.add(f"{where} {name} must keep its points, but the kit says {said(test)}")
    for name in spec.get("not_failed", []):
        test = by_name.get(name)
        if test is not None and test.status == "failed":
            verdict.add(f"{where} {name} was never checked (the code crashed), yet it shows as failed: {said(test)}")

    allowed = set(spec.get("named", [])) if not spec.get("full") else set()
    for test in failing:
        mistake = test.feedback.mistake if test.feedback else None
        if mistake and mistake not in allowed:
            expected = f"one of {sorted(allowed)}" if allowed else "no name, only what was observed"
            verdict.add(f"{where} wrong name on {said(test)}; should be {expected}")
    for mistake in spec.get("require", []):
        if mistake not in names:
            verdict.add(f"{where} {mistake} must be named; the kit says: " + "; ".join(said(t) for t in failing))

    forbidden = set(spec.get("forbid", [])) | {"failure.not_implemented"}
    for test in failing:
        if test.feedback is not None:
            for key in sorted(feedback_keys(test.feedback) & forbidden):
                verdict.add(f"{where} must not say {key}, but it does on {said(test)}")
    for phrase in spec.get("must_not_say", []):
        for test in failing:
            if test.feedback is not None and phrase in feedback_text(test.feedback, "en"):
                verdict.add(f"{where} must not say {phrase!r}, but it does on {said(test)}")


def check_text(verdict: Verdict, report: results.GradeReport) -> None:
    """What any student reads: no grader path, no kit frame, no PyTorch message as a hint."""
    for lang in LANGUAGES:
        texts = [("report", render(report, lang)), *(("notice", notice) for notice in report.notices)]
        texts += [(short(t), feedback_text(t.feedback, lang)) for t in report.tests if t.feedback is not None]
        for where, text in texts:
            for marker in GRADER_PATHS:
                if marker in text:
                    verdict.add(f"{lang} {where}: shows a grader path ({marker!r})")
            for path in FRAME.findall(text):
                if not STUDENT_FILE.fullmatch(path):
                    verdict.add(f"{lang} {where}: shows a frame that is not the student's ({path!r})")
    for test in report.tests:
        if test.feedback is None or test.feedback.hint is None:
            continue
        hint = test.feedback.hint.render("en")
        for phrase in TORCH_INTERNALS:
            if phrase in hint:
                verdict.add(f"{test.exercise}: hint of {said(test)} is a raw error text ({phrase!r})")


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(MANIFEST))
def test_real_code_is_graded_as_a_good_grader_would(grade, case):
    report = grade(submission(case))
    verdict = Verdict(case)
    specified = expectations(case)
    for exercise in report.exercises():
        check_exercise(verdict, report, exercise, specified.get(exercise, {"full": True}))
    check_text(verdict, report)
    assert not verdict.problems, f"{case} ({MANIFEST[case]['what']}):\n  " + "\n  ".join(verdict.problems)


def test_manifest_and_folders_agree():
    folders = {p.name for p in REAL.iterdir() if p.is_dir()}
    assert folders == set(MANIFEST)
    for case in MANIFEST:
        assert list((REAL / case).glob("ex*.py")), case


def test_manifest_names_only_known_tests_and_mistakes():
    keys = hidden_test_keys()
    for case, entry in MANIFEST.items():
        assert set(entry) >= CASE_KEYS, case
        assert set(entry) <= CASE_KEYS | set(UNIT.tags), (case, set(entry) - CASE_KEYS - set(UNIT.tags))
        for exercise, spec in expectations(case).items():
            assert set(spec) <= EXPECTATION_KEYS, (case, exercise, set(spec) - EXPECTATION_KEYS)
            for name in [*spec.get("fail", []), *spec.get("keep", []), *spec.get("not_failed", [])]:
                assert f"test.{exercise}.{name}" in keys, (case, exercise, name)
            for mistake in [*spec.get("named", []), *spec.get("require", [])]:
                assert mistake in known(), (case, exercise, mistake)
            assert set(spec.get("require", [])) <= set(spec.get("named", [])), (case, exercise)
            for said_key in spec.get("forbid", []):
                assert said_key in known() or catalogue("en").has(said_key), (case, exercise, said_key)
