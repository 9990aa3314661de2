"""This unit's reading of an exception raised by a training loop (learn_kernel), before the engine's.

In a training loop the same PyTorch errors mean something more precise than in a correlation: an
in-place change of a leaf is the manual SGD step written without `torch.no_grad()`, and two devices
are the data left where the loop did not put it.
"""

from __future__ import annotations

from autograder.feedback import Feedback
from autograder.judge.failures import is_leaf_inplace, is_mixed_devices, raised_code
from autograder.judge.mistakes import named
from autograder.sandbox.client import CallRaised
from autograder.units.convolutions.diagnose.training import none_gradient_at

TRAINING_LOOPS = frozenset({"learn_kernel"})


def raised_feedback(failure: CallRaised, exercise: str) -> Feedback | None:
    if exercise not in TRAINING_LOOPS:
        return None
    code = raised_code(failure.report)
    if is_leaf_inplace(failure):
        return named("leaf_inplace_update", {"name": exercise}, code=code)
    if is_mixed_devices(failure):
        return named("not_on_input_device", {"name": exercise, "device": "cuda", "got": "cpu"}, code=code)
    spot = none_gradient_at(failure.report)
    if spot is not None:
        return named("grad_none_at_update", {"name": exercise, "file": spot[0], "line": spot[1]}, code=code)
    return None
