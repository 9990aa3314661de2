"""How the engine reads an exception a student's call raised: a device mismatch is named, a dtype
mismatch that conv words the same way is not."""

from __future__ import annotations

import pytest

from autograder.judge.failures import feedback_for
from autograder.sandbox.client import CallRaised


def raised(message: str) -> CallRaised:
    return CallRaised("call", {"exc_type": "RuntimeError", "message": message, "traceback": ""})


@pytest.mark.parametrize(
    "message",
    [
        "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!",
        "Input type (torch.cuda.FloatTensor) and weight type (torch.FloatTensor) should be the same",
        "Input type (torch.FloatTensor) and weight type (torch.cuda.FloatTensor) should be the same or input "
        "should be a MKLDNN tensor and weight is a dense tensor",
    ],
)
def test_a_device_mismatch_is_named(message):
    assert feedback_for(raised(message), "correlation_matrix").mistake == "mixed_devices"


@pytest.mark.parametrize(
    "message",
    [
        "Input type (torch.FloatTensor) and weight type (torch.DoubleTensor) should be the same",
        "Input type (torch.cuda.DoubleTensor) and weight type (torch.cuda.FloatTensor) should be the same",
    ],
)
def test_a_dtype_mismatch_on_one_device_is_not_named_a_device_mismatch(message):
    assert feedback_for(raised(message), "correlation_matrix").mistake is None
