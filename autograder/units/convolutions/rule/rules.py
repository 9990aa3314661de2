"""The no-torch-convolution rule: corr1d, corr2d, corr3d and Conv2D's forward are written by hand.

Two kinds of evidence, both judged here, neither trusted to the worker: what the worker's dispatch and
function modes saw during every call of every graded test of these exercises (autograder.sandbox.observer),
and a reading of the source of everything that runs in grading (`source_check` beside this module).
What is forbidden comes from PyTorch's registries (`forbidden`). A call that shows a forbidden
operator, or a recorder that was blinded, fails the test it happened in; scoring then zeroes the
exercise. The reading runs in each exercise's rule test.

The verdicts, weightiest first: torch_conv_used, fourier_used, recorder_tampering, rule_unverifiable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from autograder.feedback import Failure
from autograder.i18n import Message, msg
from autograder.judge.mistakes import fail_with
from autograder.units.convolutions import UNIT
from autograder.units.convolutions.rule import forbidden
from autograder.units.convolutions.rule.source_check import Finding

if TYPE_CHECKING:
    from autograder.judge.student import Trace

MISTAKE_OF_KIND = {
    "convolution": "torch_conv_used",
    "fourier": "fourier_used",
    "tampering": "recorder_tampering",
    "unverifiable": "rule_unverifiable",
}
SHOWN = 4
"""Names shown per verdict; the rest are counted."""


def check_call(exercise: str, trace: Trace) -> None:
    """Raise the rule's failure when one call of a ruled exercise ran a forbidden operator or was not
    observed as it must be. Called for every call the judge makes, by `Student`."""
    if exercise not in UNIT.ruled:
        return
    failure = trace_failure(exercise, trace)
    if failure is not None:
        raise failure


def trace_failure(exercise: str, trace: Trace) -> Failure | None:
    """What one call's trace shows: PyTorch functions called from Python (the function mode's names,
    those a student recognises) and the operators the dispatcher ran."""
    called = {name: name.rsplit(".", 1)[-1] for name in trace.calls}
    for mistake, names, operators in (
        ("torch_conv_used", forbidden.convolution_names(), forbidden.convolution_operators()),
        ("fourier_used", forbidden.fourier_names(), forbidden.fourier_operators()),
    ):
        found = sorted(name for name, last in called.items() if last in names)
        found += sorted(set(trace.dispatched) & operators)
        if found:
            return fail_with(mistake, {"name": exercise, "found": _ran(found)})
    problems = list(trace.problems) if trace.observed else ["report_missing"]
    if problems:
        found_problems = _joined(msg(f"rule.problem.{p}") for p in problems if p in PROBLEMS)
        return fail_with(
            "recorder_tampering", {"name": exercise, "found": found_problems or msg("rule.problem.unknown")}
        )
    return None


PROBLEMS = frozenset({"report_missing", "mode_stack_changed", "dispatch_blind", "function_mode_changed"})
"""What the worker's observer reports as tampered with (catalogue keys rule.problem.*)."""


def source_failure(exercise: str, findings: list[Finding], kinds: Iterable[str]) -> Failure | None:
    """The failure for the weightiest of `findings` whose kind is one of `kinds`, if any."""
    wanted = [f for f in findings if f.kind in set(kinds)]
    if not wanted:
        return None
    kind = wanted[0].kind
    same = [f for f in wanted if f.kind == kind]
    if kind == "unverifiable":
        by_reason: dict[str, list[Finding]] = {}
        for finding in same:
            by_reason.setdefault(finding.reason, []).append(finding)
        found = _joined(msg(f"rule.unverifiable.{reason}", names=_places(group)) for reason, group in by_reason.items())
    else:
        found = msg("rule.in_source", names=_places(same))
    return fail_with(MISTAKE_OF_KIND[kind], {"name": exercise, "found": found})


def _places(findings: list[Finding]) -> str:
    """`conv2d (ex1_corr2d.py:7), unfold (helper.py:3)`, a few of them."""
    shown = [_place(f) for f in findings[:SHOWN]]
    more = len(findings) - SHOWN
    return ", ".join(shown) + (f", +{more}" if more > 0 else "")


def _place(finding: Finding) -> str:
    where = f"{finding.file}:{finding.line}" if finding.line else finding.file
    return where if finding.name == finding.file else f"{finding.name} ({where})"


def _ran(operators: list[str]) -> Message:
    shown = ", ".join(operators[:SHOWN]) + (f", +{len(operators) - SHOWN}" if len(operators) > SHOWN else "")
    return msg("rule.while_running", ops=shown)


def _joined(messages: Iterable[Message]) -> Message | None:
    """Several messages as one: `a; b; c`."""
    joined: Message | None = None
    for message in messages:
        joined = message if joined is None else msg("rule.and", first=joined, rest=message)
    return joined
