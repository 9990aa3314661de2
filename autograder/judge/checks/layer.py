"""Checks of the Conv2D layer: its parameters, initialisation, forward and backward."""

from __future__ import annotations

import torch

from autograder.feedback import Failure
from autograder.i18n import msg
from autograder.judge import references
from autograder.judge.checks.common import (
    Judge,
    answering,
    checked,
    expect_dtype_device,
    expect_tensor,
    tolerance,
    values_failure,
)
from autograder.judge.checks.correlation import grad_output_for
from autograder.judge.diagnose.autograd import graph_cut
from autograder.judge.diagnose.correlation import value_mistake
from autograder.judge.mistakes import fail_with, failure
from autograder.judge.show import comparison, shape_text
from autograder.judge.student import Layer
from autograder.sandbox.client import StudentFailure
from autograder.sandbox.wire import TensorValue

NAME = "Conv2D"
SEED = 1234
"""Layers are built under a fixed seed, so two builds differ only in what the test assigns."""


def build(judge: Judge, kernel_size: tuple[int, int], **kwargs: object) -> Layer:
    with answering(NAME, f"kernel_size={kernel_size}"):
        return judge.student.layer(NAME, kernel_size, **kwargs)  # type: ignore[arg-type]


def check_structure(judge: Judge, kernel_size: tuple[int, int]) -> Layer:
    """`weight` and `bias` are nn.Parameters of the contract's shapes, registered with the module."""
    layer = build(judge, kernel_size)
    params = {"name": NAME, "kernel_size": shape_text(kernel_size)}
    if not layer.is_module:
        raise fail_with("layer_not_module", params)
    expected = {"weight": tuple(kernel_size), "bias": (1,)}
    for attr in ("weight", "bias"):
        info = layer.attributes[attr]
        if not info.present:
            raise fail_with(f"{attr}_missing", params)
        if not info.is_parameter:
            raise fail_with(f"{attr}_not_parameter", {**params, "type": info.type_name})
        shape = info.value.shape if info.value is not None else ()
        if shape != expected[attr]:
            raise fail_with(
                f"{attr}_wrong_shape", {**params, "expected": shape_text(expected[attr]), "got": shape_text(shape)}
            )
    registered = {name for name, _ in layer.parameters}
    if not {"weight", "bias"} <= registered:
        raise fail_with("weight_not_parameter", {**params, "type": ", ".join(sorted(registered)) or "-"})
    return layer


def check_init(judge: Judge, kernel_size: tuple[int, int]) -> None:
    """weight ~ U[0, 1) (torch.rand), bias = 0, as in the text."""
    layer = build(judge, kernel_size, seed=0)
    weight, bias = layer.attributes["weight"].value, layer.attributes["bias"].value
    params = {"name": NAME, "kernel_size": shape_text(kernel_size)}
    if weight is None or bias is None or weight.data is None or bias.data is None:
        raise fail_with("weight_missing" if weight is None else "bias_missing", params)
    w, b = weight.data.double(), bias.data.double()
    uniform = bool(((w >= 0) & (w < 1)).all()) and (w.numel() == 1 or float(w.std()) > 0)
    if not uniform or not bool((b == 0).all()):
        raise fail_with("init_off_contract", params)


def check_forward(
    judge: Judge,
    kernel_size: tuple[int, int],
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor,
    *,
    device: str = "cpu",
    move: bool = False,
) -> None:
    """With weight and bias set, forward(x) = corr2d(x, weight) + bias."""
    inputs = {"x": x, "weight": weight, "bias": bias}
    context = checked(f"{NAME}{tuple(kernel_size)}.forward", {"x": x}, device)
    layer = build(
        judge, kernel_size, assign={"weight": weight, "bias": bias}, input=x, device=device, move=move, seed=SEED
    )
    got = expect_tensor(layer.output, f"{NAME}.forward", context)
    expected = references.conv2d_layer(x, weight, bias)
    if got.shape != tuple(expected.shape):
        own = _own_corr2d(judge, x, weight, device)
        if own is not None and own.shape == got.shape:
            params = {"name": NAME, "n": shape_text(x.shape), "k": shape_text(weight.shape)}
            raise fail_with("corr2d_wrong_in_layer", params, details=(context,))
        raise failure(
            msg(
                "check.shape_wrong",
                name=f"{NAME}.forward",
                expected=shape_text(expected.shape),
                got=shape_text(got.shape),
            ),
            context,
            msg(
                "check.valid_shape_rule",
                n=shape_text(x.shape),
                k=shape_text(weight.shape),
                expected=shape_text(expected.shape),
            ),
        )
    expect_dtype_device(got, x.dtype, device, f"{NAME}.forward", context, layer.trace)
    if got.data is None:
        return
    rtol, atol = tolerance(x.dtype, float(expected.abs().max()))
    values = got.data.double()
    close = torch.isclose(values, expected, rtol=rtol, atol=atol)
    if bool(close.all()):
        return
    shown = comparison(inputs, expected.to(x.dtype), got, close)
    params = {"name": NAME, "n": shape_text(x.shape), "k": shape_text(weight.shape)}
    without_bias = references.correlate(x, weight)
    if float(bias.abs().max()) > 0 and torch.allclose(values, without_bias, rtol=rtol, atol=atol):
        raise fail_with("bias_not_added", params, details=(context,), comparison=shown)
    if _ignores_weight(judge, kernel_size, x, weight, bias, values, device):
        raise fail_with("forward_ignores_weight", params, details=(context,), comparison=shown)
    own = _own_corr2d(judge, x, weight, device)
    if (
        own is not None
        and own.shape == got.shape
        and torch.allclose(values, own.data.double() + bias.double(), rtol=rtol, atol=atol)
    ):
        raise fail_with("corr2d_wrong_in_layer", params, details=(context,), comparison=shown)
    diagnosis = value_mistake(x, weight, values - bias.double(), layer.trace, rtol, atol)
    if diagnosis is not None:
        raise fail_with(diagnosis.mistake, {**params, **diagnosis.params}, details=(context,), comparison=shown)
    raise values_failure(f"{NAME}.forward", inputs, expected, got, close, context)


def check_portable(judge: Judge, kernel_size: tuple[int, int], x: torch.Tensor) -> None:
    """Moved with .to("meta") and run on a meta input: a tensor fixed to the CPU inside shows at once."""
    context = checked(f"{NAME}{tuple(kernel_size)}.to('meta').forward", {"x": x}, "meta")
    layer = build(judge, kernel_size, input=x, device="meta", move=True)
    got = expect_tensor(layer.output, f"{NAME}.forward", context)
    expect_dtype_device(got, x.dtype, "meta", f"{NAME}.forward", context, layer.trace)
    expected = tuple(a - b + 1 for a, b in zip(x.shape, kernel_size, strict=True))
    if got.shape != expected:
        raise failure(
            msg("check.shape_wrong", name=f"{NAME}.forward", expected=shape_text(expected), got=shape_text(got.shape)),
            context,
        )


def _ignores_weight(judge, kernel_size, x, weight, bias, values, device) -> bool:
    """Same output for a different weight: forward does not read self.weight."""
    try:
        other = judge.student.layer(
            NAME, kernel_size, assign={"weight": weight * -2 + 1, "bias": bias}, input=x, device=device, seed=SEED
        )
    except StudentFailure:
        return False
    if not isinstance(other.output, TensorValue) or other.output.data is None:
        return False
    return other.output.shape == tuple(values.shape) and bool(torch.equal(other.output.data.double(), values))


def _own_corr2d(judge: Judge, x: torch.Tensor, weight: torch.Tensor, device: str) -> TensorValue | None:
    """The student's own corr2d on the same input, when it answers and its answer is wrong."""
    try:
        value = judge.student.call("corr2d", x, weight, device=device).value
    except StudentFailure:
        return None
    if not isinstance(value, TensorValue) or value.data is None:
        return None
    reference = references.correlate(x, weight)
    if value.shape == tuple(reference.shape) and torch.allclose(value.data.double(), reference, rtol=1e-4, atol=1e-4):
        return None
    return value


def check_backward(
    judge: Judge,
    kernel_size: tuple[int, int],
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor,
    *,
    device: str = "cpu",
    move: bool = False,
) -> None:
    """Backpropagating through forward gives weight, bias and input the gradients torch computes
    (on `device`, the layer moved there with `.to()` when `move`)."""
    # A wrong forward is named as such, not as a gradient.
    check_forward(judge, kernel_size, x, weight, bias, device=device, move=move)
    context = checked(f"{NAME}{tuple(kernel_size)}.forward", {"x": x}, device)
    expected_shape = tuple(a - b + 1 for a, b in zip(x.shape, weight.shape, strict=True))
    G = grad_output_for(expected_shape, x.dtype)
    layer = build(
        judge, kernel_size, assign={"weight": weight, "bias": bias}, input=x, backward=G, device=device, move=move
    )
    expect_tensor(layer.output, f"{NAME}.forward", context)
    if layer.backward_skipped is not None or layer.grads is None:
        raise Failure(graph_cut(layer.trace, f"{NAME}.forward", "self.weight, self.bias, x"))
    _, reference = references.conv2d_layer_with_grads(x, weight, bias, G)
    for name in ("weight", "bias", "input"):
        got = layer.grads.get(name)
        if got is None:
            raise Failure(graph_cut(layer.trace, f"{NAME}.forward", f"self.{name}" if name != "input" else "x"))
        ref = reference[name]
        rtol, atol = tolerance(x.dtype, float(ref.abs().max()))
        if got.data is None or got.shape != tuple(ref.shape):
            raise failure(msg("check.grad_shape", name=NAME, input=name), context)
        close = torch.isclose(got.data.double(), ref, rtol=rtol, atol=atol)
        if not bool(close.all()):
            raise failure(
                msg("check.grad_wrong", name=NAME, input=name),
                context,
                comparison=comparison({"x": x, "weight": weight, "grad_output": G}, ref.to(x.dtype), got, close),
                hint=msg("check.grad_hint"),
            )
