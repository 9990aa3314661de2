"""What every check needs: the submission under test as the checks see it, and the debug-order comparison."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar, cast

import torch

from autograder.feedback import Comparison, Failure
from autograder.i18n import Message, msg
from autograder.judge.failures import feedback_for
from autograder.judge.mistakes import fail_with, failure
from autograder.judge.show import comparison, describe, dtype_text, shape_text, tensor_phrase
from autograder.judge.student import Student, Trace
from autograder.sandbox.client import StudentFailure
from autograder.sandbox.wire import OtherValue, TensorValue

TOLERANCES = {torch.float64: (1e-9, 1e-9), torch.float32: (1e-4, 1e-4), torch.float16: (1e-2, 1e-2)}
"""(rtol, atol) per dtype: what another summation order can change in a right answer. Another dtype
(an integer result, bfloat16) is held to float32's."""
T = TypeVar("T")


def tolerance(dtype: torch.dtype, expected: torch.Tensor) -> tuple[float, float]:
    """(rtol, atol) for an answer in `dtype` compared with `expected`: atol grows with the largest
    expected magnitude, since a sum of large terms rounds in absolute terms."""
    rtol, atol = TOLERANCES.get(dtype, TOLERANCES[torch.float32])
    scale = float(expected.abs().max()) if expected.numel() else 1.0
    return rtol, atol * max(1.0, scale)


@dataclass
class UnderTest:
    """The submission under test as the checks see it, and what the `judge` fixture gives every test:
    the student's code behind its workers, the submission's sources, and per-submission memory."""

    student: Student
    sources: dict[str, str]
    """File name -> source text (read judge-side, never executed here)."""
    cuda: bool = False
    memo: dict[Hashable, object] = field(default_factory=dict)
    """Answers of the student's code already computed, under a key that names the call; the key
    decides the value's type, so `remember` hands it back as what its `compute` returns."""

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key not in self.memo:
            self.memo[key] = compute()
        return cast(T, self.memo[key])


@contextmanager
def answering(name: str, shapes: Message | str = "") -> Iterator[None]:
    """Turn student code that did not answer (raised, hung, crashed) into feedback about `name`."""
    try:
        yield
    except StudentFailure as exc:
        raise Failure(feedback_for(exc, name, shapes)) from None


def inputs_phrase(inputs: dict[str, torch.Tensor], device: str) -> Message:
    return msg("check.on_device", inputs=", ".join(tensor_phrase(name, t) for name, t in inputs.items()), device=device)


def checked(name: str, inputs: dict[str, torch.Tensor], device: str) -> Message:
    return msg("check.checked", call=f"{name}({', '.join(inputs)})", inputs=inputs_phrase(inputs, device))


def expect_tensor(value: object, name: str, context: Message) -> TensorValue:
    """Step 1 of the debug order: the answer must be a tensor."""
    if isinstance(value, TensorValue):
        return value
    if value is None:
        raise fail_with("returned_none", {"name": name}, details=(context,))
    if isinstance(value, OtherValue) and value.type_name == "numpy.ndarray":
        raise fail_with("returned_numpy", {"name": name}, details=(context,))
    raise fail_with("not_a_tensor", {"name": name, "got": describe(value)}, details=(context,))


_CASTS = {"Tensor.float": torch.float32, "Tensor.double": torch.float64, "Tensor.half": torch.float16}
_ALLOCATIONS = ("torch.zeros", "torch.ones", "torch.empty", "torch.full", "torch.tensor", "torch.stack", "torch.cat")


def expect_dtype_device(
    got: TensorValue,
    dtype: torch.dtype,
    device: str,
    name: str,
    context: Message,
    trace: Trace | None = None,
    input_name: str = "X",
) -> None:
    """Steps 3 and 4: the output follows the input's dtype and device."""
    params = {
        "name": name,
        "expected": dtype_text(dtype),
        "got": dtype_text(got.dtype),
        "device": device,
        "got_device": got.device,
        "input": input_name,
    }
    if got.dtype != dtype:
        calls = trace.calls if trace is not None else {}
        cast = next((c for c, to in _CASTS.items() if calls.get(c) and to == got.dtype), None)
        if cast is not None:
            raise fail_with("dtype_cast", {**params, "call": cast.split(".", 1)[1]}, details=(context,))
        if got.dtype == torch.float32 and any(calls.get(c) for c in _ALLOCATIONS):
            raise fail_with("fixed_dtype", params, details=(context,))
        raise failure(msg("check.dtype_wrong", **params), context, hint=msg("check.dtype_hint", **params))
    if got.device_type != device.split(":", 1)[0]:
        mistake = "fixed_device_cuda" if got.device_type == "cuda" else "fixed_device"
        round_trip = trace is not None and any(trace.calls.get(c) for c in ("Tensor.cpu", "Tensor.numpy"))
        if got.device_type == "cpu" and device.startswith("cuda") and round_trip:
            mistake = "cpu_round_trip"
        raise fail_with(mistake, params, details=(context,))


def values_failure(
    name: str,
    inputs: dict[str, torch.Tensor],
    expected: torch.Tensor,
    got: TensorValue,
    close: torch.Tensor,
    context: Message,
    hint: Message | None = None,
) -> Failure:
    """A plain 'wrong values' failure with the comparison and the first differences; `hint` says how
    the exercise's entries are made (a general one by default)."""
    bad = int((~close).sum())
    return failure(
        msg("check.values_wrong", name=name, bad=bad, total=close.numel()),
        context,
        comparison=comparison(inputs, expected.to(got.dtype), got, close),
        hint=hint or msg("check.values_hint"),
    )


def expect_shape(got: TensorValue, expected: tuple[int, ...], name: str, context: Message, formula: Message) -> None:
    if got.shape != expected:
        raise failure(
            msg("check.shape_wrong", name=name, expected=shape_text(expected), got=shape_text(got.shape)),
            context,
            formula,
        )


def attach_smallest(error: Failure, smallest: Comparison | None) -> Failure:
    if smallest is None:
        return error
    feedback = error.feedback
    return Failure(type(feedback)(**{**feedback.__dict__, "smallest": smallest}))
