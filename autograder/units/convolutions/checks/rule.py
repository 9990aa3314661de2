"""The rule tests of corr1d, corr2d, corr3d and Conv2D: the reading of the source, and one observed call.

Every call of every graded test is already held to the rule (autograder.units.convolutions.rule.rules.check_call, run by
`Student` on each reply); the rule test adds the reading of everything the exercise runs in grading,
and one call of its own, so the rule has a test that names it even where every other test failed.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from autograder.feedback import Failure
from autograder.i18n import Message
from autograder.judge.checks.common import UnderTest, answering, inputs_phrase
from autograder.units.convolutions import UNIT
from autograder.units.convolutions.checks.correlation import input_names
from autograder.units.convolutions.rule import rules, source_check

DEFINITE = ("convolution", "fourier", "tampering")
"""Findings of the reading that stand on their own; `unverifiable` ones yield to what a call shows."""


def check_no_torch_conv(judge: UnderTest, function: str, X: torch.Tensor, K: torch.Tensor) -> None:
    """corr1d/corr2d/corr3d: no PyTorch convolution, unfold or FFT in the code, nor in a call."""
    names = input_names(function)
    phrase = inputs_phrase({names[0]: X, names[1]: K}, "cpu")
    _check(judge, function, lambda: judge.student.call(function, X, K), phrase)


def check_layer_no_torch_conv(judge: UnderTest, kernel_size: tuple[int, int], x: torch.Tensor) -> None:
    """Conv2D: its forward (with the student's corr2d) is held to the same rule."""
    phrase = inputs_phrase({"x": x}, "cpu")
    _check(judge, "Conv2D", lambda: judge.student.layer("Conv2D", kernel_size, input=x), phrase)


def _check(judge: UnderTest, exercise: str, call: Callable[[], object], phrase: Message) -> None:
    findings = source_check.read_exercise(judge.sources, exercise)
    definite = rules.source_failure(exercise, findings, DEFINITE)
    if definite is not None:
        raise definite
    crashed: Failure | None = None
    try:
        with answering(exercise, phrase):
            call()
    except Failure as failure:
        if failure.feedback.mistake in UNIT.rule_mistakes:
            raise
        crashed = failure
    unverifiable = rules.source_failure(exercise, findings, ("unverifiable",))
    if unverifiable is not None:
        raise unverifiable
    if crashed is not None:
        raise crashed
