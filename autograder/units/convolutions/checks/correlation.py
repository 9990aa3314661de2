"""Checks of corr1d, corr2d and corr3d against F.conv1d/2d/3d."""

from __future__ import annotations

import math
import re

import torch

from autograder.feedback import Failure
from autograder.i18n import Message, msg
from autograder.judge.checks.common import (
    UnderTest,
    answering,
    attach_smallest,
    checked,
    expect_dtype_device,
    expect_tensor,
    inputs_phrase,
    tolerance,
    values_failure,
)
from autograder.judge.diagnose.autograd import graph_cut
from autograder.judge.failures import feedback_for, is_leaf_inplace, meta_mistake
from autograder.judge.mistakes import fail_with, failure
from autograder.judge.show import comparison, shape_text
from autograder.judge.student import Call
from autograder.sandbox.client import CallRaised, StudentFailure
from autograder.sandbox.wire import TensorValue
from autograder.units.convolutions import references
from autograder.units.convolutions.diagnose.correlation import (
    VARIANTS,
    Diagnosis,
    confirms,
    discriminating_input,
    probe_kind,
    shape_mistake,
    value_mistake,
)
from autograder.units.convolutions.shrink import smallest_failure

_SIZE_MISMATCH = re.compile(r"(must match the size|size of tensor|shape mismatch|not broadcastable)", re.I)


def input_names(function: str) -> tuple[str, str]:
    return ("x", "k") if function == "corr1d" else ("X", "K")


def grad_output_for(shape: tuple[int, ...], dtype: torch.dtype) -> torch.Tensor:
    """A gradient with distinct entries, so a wrong gradient cannot pass by symmetry."""
    count = math.prod(shape)
    return (torch.arange(count, dtype=torch.float64).reshape(shape) % 5 - 1.5).to(dtype)


DIMENSIONS = {"corr1d": 1, "corr2d": 2, "corr3d": 3}


def confirmed(judge: UnderTest, function: str, dtype: torch.dtype, device: str, diagnosis: Diagnosis) -> bool:
    """A wrong variant is named only if the function's answer on a discriminating input (where all
    variants differ) is that same variant; the answer is asked once per function, dtype and device."""
    if diagnosis.mistake not in VARIANTS:
        return True
    kind = probe_kind(diagnosis)
    X, K = discriminating_input(DIMENSIONS[function], dtype, kind)

    def answer() -> TensorValue | None:
        try:
            value = judge.student.call(function, X, K, device=device).value
        except StudentFailure:
            return None
        return value if isinstance(value, TensorValue) else None

    got = judge.remember(("discriminating", function, dtype, device, kind), answer)
    return _shows(diagnosis, X, K, got)


def _shows(diagnosis: Diagnosis, X: torch.Tensor, K: torch.Tensor, got: TensorValue | None) -> bool:
    if got is None or got.data is None:
        return False
    expected = references.correlate(X, K)
    compared = got.dtype if got.dtype.is_floating_point else X.dtype
    rtol, atol = tolerance(compared, expected)
    return confirms(diagnosis, X, K, tuple(got.shape), got.data.double(), rtol, atol)


def _square_probe(judge: UnderTest, function: str, K: torch.Tensor, device: str) -> bool:
    """Does the function work for kernels with equal sizes, both as small and as large as K's sides,
    on an input with distinct sizes in every dimension? Then it mixes up the kernel's dimensions.
    (Code with one size fixed works for one of them only; code that swaps the input's or the
    output's sizes fails on such an input whatever the kernel.)"""
    sides = sorted({min(K.shape), max(K.shape)})
    shape = tuple(max(sides) + 2 + 3 * d for d in range(K.dim()))
    generator = torch.Generator().manual_seed(104729)
    X = torch.randn(shape, generator=generator, dtype=torch.float64).to(K.dtype)
    for side in sides:
        count = side ** K.dim()
        square = torch.linspace(-1.0, 1.0, count, dtype=torch.float64).reshape((side,) * K.dim()).to(K.dtype)
        try:
            value = judge.student.call(function, X, square, device=device).value
        except StudentFailure:
            return False
        expected = references.correlate(X, square)
        rtol, atol = tolerance(K.dtype, expected)
        works = (
            isinstance(value, TensorValue)
            and value.data is not None
            and value.shape == tuple(expected.shape)
            and bool(torch.allclose(value.data.double(), expected, rtol=rtol, atol=atol))
        )
        if not works:
            return False
    return True


def kernel_unpacking(function: str) -> str:
    """How the kernel's sizes are written in the text's code, for hints in any dimension."""
    return {"corr1d": "h = k.shape[0]", "corr2d": "k_h, k_w = K.shape", "corr3d": "k_d, k_h, k_w = K.shape"}[function]


def check_correlation(
    judge: UnderTest,
    function: str,
    X: torch.Tensor,
    K: torch.Tensor,
    *,
    device: str = "cpu",
    grads: bool = False,
    timeout: float | None = None,
) -> None:
    """`function(X, K)` must equal the valid cross-correlation, in X's dtype, on X's device.

    A gradient test checks values and gradients in the dtype the student returned, with a tolerance
    fitting it: a fixed dtype is charged once, by the value tests of float64 input.
    """
    names = input_names(function)
    inputs = {names[0]: X, names[1]: K}
    context = checked(function, inputs, device)
    expected = references.correlate(X, K)
    G = grad_output_for(tuple(expected.shape), X.dtype) if grads else None
    with answering(function, inputs_phrase(inputs, device)):
        try:
            call = judge.student.call(function, X, K, device=device, backward=G, timeout=timeout)
        except CallRaised as raised:
            if is_leaf_inplace(raised):
                raise _leaf_inplace(judge, function, X, K, device, raised, context) from None
            square = K.dim() >= 2 and len(set(K.shape)) > 1
            if square and _SIZE_MISMATCH.search(raised.report.get("message", "")):
                if _square_probe(judge, function, K, device):
                    raise fail_with(
                        "square_kernels_only",
                        {"name": function, "k": shape_text(K.shape), "unpack": kernel_unpacking(function)},
                        details=(context,),
                        code=raised.report.get("traceback", ""),
                    ) from None
            raise
    got = expect_tensor(call.value, function, context)
    if got.shape != tuple(expected.shape):
        diagnosis = shape_mistake(X, K, got.shape, got.data)
        if diagnosis is not None and confirmed(judge, function, X.dtype, device, diagnosis):
            params = {"name": function, "unpack": kernel_unpacking(function), **diagnosis.params}
            raise fail_with(diagnosis.mistake, params, details=(context,))
        raise failure(
            msg("check.shape_wrong", name=function, expected=shape_text(expected.shape), got=shape_text(got.shape)),
            context,
            msg(
                "check.valid_shape_rule",
                n=shape_text(X.shape),
                k=shape_text(K.shape),
                expected=shape_text(expected.shape),
            ),
        )
    if grads:
        expect_dtype_device(got, got.dtype, device, function, context, call.trace, names[0])
    else:
        expect_dtype_device(got, X.dtype, device, function, context, call.trace, names[0])
    if got.data is None:
        return
    compared = got.dtype if got.dtype.is_floating_point else X.dtype
    rtol, atol = tolerance(compared, expected)
    values = got.data.double()
    close = torch.isclose(values, expected, rtol=rtol, atol=atol)
    if not bool(close.all()):
        smallest = judge.remember(
            ("smallest", function, X.dtype), lambda: smallest_failure(judge.student, function, X.dtype)
        )
        diagnosis = value_mistake(X, K, values, call.trace, rtol, atol)
        if diagnosis is not None and confirmed(judge, function, X.dtype, device, diagnosis):
            error = fail_with(
                diagnosis.mistake,
                {"name": function, **diagnosis.params},
                details=(context,),
                comparison=comparison(inputs, expected.to(X.dtype), got, close),
            )
        else:
            hint = msg("check.correlation_values_hint")
            error = values_failure(function, inputs, expected, got, close, context, hint)
        raise attach_smallest(error, smallest)
    if any(call.inputs_changed) and _first_time(judge, function, "input_modified"):
        changed = [names[i] for i, flag in enumerate(call.inputs_changed) if flag and i < 2]
        raise fail_with("input_modified", {"name": function, "input": ", ".join(changed)}, details=(context,))
    if grads:
        assert G is not None
        _check_grads(function, names, X, K, G, call, context, compared)


def _first_time(judge: UnderTest, function: str, mistake: str) -> bool:
    """Whether no earlier test of this submission charged `mistake` in `function`: a mistake that is
    a property of its own (leaving the inputs alone) costs one test, not every test that sees it."""
    key = ("charged", function, mistake)
    first = key not in judge.memo
    judge.memo[key] = True
    return first


def _leaf_inplace(
    judge: UnderTest, function: str, X: torch.Tensor, K: torch.Tensor, device: str, raised: CallRaised, context: Message
) -> Failure:
    """PyTorch refused an in-place write into a tensor that requires grad. Which tensor? Probe: with
    no input requiring grad it is the student's own (made with requires_grad=True); else the input
    that alone makes the call fail."""
    names = input_names(function)
    code = raised.report.get("traceback", "")
    G = grad_output_for(references.valid_shape(X.shape, K.shape), X.dtype)
    if _raises_leaf_inplace(judge, function, X, K, device, None, None):
        return fail_with("own_leaf_written", {"name": function}, details=(context,), code=code)
    culprits = [names[i] for i in (0, 1) if _raises_leaf_inplace(judge, function, X, K, device, G, (i,))]
    if len(culprits) == 1:
        return fail_with("input_modified", {"name": function, "input": culprits[0]}, details=(context,), code=code)
    return Failure(feedback_for(raised, function))


def _raises_leaf_inplace(
    judge: UnderTest,
    function: str,
    X: torch.Tensor,
    K: torch.Tensor,
    device: str,
    G: torch.Tensor | None,
    wrt: tuple[int, ...] | None,
) -> bool:
    try:
        judge.student.call(function, X, K, device=device, backward=G, wrt=wrt)
    except CallRaised as raised:
        return is_leaf_inplace(raised)
    except StudentFailure:
        return False
    return False


def _check_grads(
    function: str,
    names: tuple[str, str],
    X: torch.Tensor,
    K: torch.Tensor,
    G: torch.Tensor,
    call: Call,
    context: Message,
    compared: torch.dtype,
) -> None:
    if call.backward_skipped is not None or call.grads is None:
        raise Failure(graph_cut(call.trace, function, ", ".join(names)))
    _, grad_X, grad_K = references.correlate_with_grads(X, K, G)
    for name, got, reference in ((names[0], call.grads[0], grad_X), (names[1], call.grads[1], grad_K)):
        if got is None:
            raise Failure(graph_cut(call.trace, function, name))
        if got.data is None or got.shape != tuple(reference.shape):
            raise failure(msg("check.grad_shape", name=function, input=name), context)
        rtol, atol = tolerance(compared, reference)
        close = torch.isclose(got.data.double(), reference, rtol=rtol, atol=atol)
        if not bool(close.all()):
            raise failure(
                msg("check.grad_wrong", name=function, input=name),
                context,
                msg("check.grad_explained", input=name),
                comparison=comparison({names[0]: X, names[1]: K, "grad_output": G}, reference.to(X.dtype), got, close),
                hint=msg("check.grad_hint"),
            )


def check_portable(judge: UnderTest, function: str, X: torch.Tensor, K: torch.Tensor) -> None:
    """On the `meta` device an output allocated on a fixed device shows at once."""
    names = input_names(function)
    inputs = {names[0]: X, names[1]: K}
    context = checked(function, inputs, "meta")
    with answering(function, inputs_phrase(inputs, "meta")):
        try:
            call = judge.student.call(function, X, K, device="meta")
        except CallRaised as raised:
            mistake = meta_mistake(raised)
            if mistake is not None:
                raise fail_with(
                    mistake,
                    {
                        "name": function,
                        "expected": "",
                        "got": "",
                        "device": "meta",
                        "got_device": "cpu",
                        "input": names[0],
                    },
                    details=(context,),
                    code=raised.report.get("traceback", ""),
                ) from None
            raise
    got = expect_tensor(call.value, function, context)
    # The device is this test's property; a wrong shape or dtype is the other tests' to charge.
    expect_dtype_device(got, got.dtype, "meta", function, context, call.trace, names[0])
