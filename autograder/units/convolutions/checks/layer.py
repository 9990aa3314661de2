"""Checks of the Conv2D layer: its parameters, initialisation, forward and backward."""

from __future__ import annotations

import dataclasses
from typing import TypedDict, Unpack

import torch

from autograder.feedback import Failure
from autograder.i18n import msg
from autograder.judge.checks.common import (
    UnderTest,
    answering,
    checked,
    expect_dtype_device,
    expect_tensor,
    tolerance,
    values_failure,
)
from autograder.judge.diagnose.autograd import graph_cut
from autograder.judge.failures import feedback_for, is_mixed_devices, meta_mistake, raised_in_file
from autograder.judge.mistakes import fail_with, failure
from autograder.judge.show import comparison, shape_text
from autograder.judge.student import Layer
from autograder.sandbox.client import CallRaised, ImportFailure, StudentFailure
from autograder.sandbox.wire import TensorValue
from autograder.units.convolutions import UNIT, references
from autograder.units.convolutions.checks.correlation import grad_output_for
from autograder.units.convolutions.diagnose.correlation import (
    VARIANTS,
    Diagnosis,
    confirms,
    discriminating_input,
    probe_kind,
    value_mistake,
)

NAME = "Conv2D"
GRADIENTS = ("weight", "bias", "input")
SEED = 1234
"""Layers are built under a fixed seed, so two builds differ only in what the test assigns."""


def constructed(kernel_size: tuple[int, int]) -> str:
    """How the test built the layer, as a student would write it: Conv2D(kernel_size=(1, 2))."""
    return f"{NAME}(kernel_size={shape_text(kernel_size)})"


class LayerOptions(TypedDict, total=False):
    """What a check passes on to `Student.layer` besides the kernel size, input and device."""

    assign: dict[str, torch.Tensor]
    backward: torch.Tensor
    move: bool
    seed: int


def build(judge: UnderTest, kernel_size: tuple[int, int], **kwargs: Unpack[LayerOptions]) -> Layer:
    with answering(NAME, constructed(kernel_size)):
        layer = judge.student.layer(NAME, kernel_size, **kwargs)
    return assigned(layer)


def assigned(layer: Layer) -> Layer:
    """The layer, once the test's weight and bias could be set; else a failure that says why."""
    if layer.unassignable is None:
        return layer
    info = layer.attributes.get(layer.unassignable)
    shape = info.value.shape if info is not None and info.value is not None else None
    raise failure(
        msg(
            "check.layer_unassignable",
            name=NAME,
            attr=layer.unassignable,
            got=info.type_name if info is not None and info.present else "-",
            shape=shape_text(shape) if shape is not None else "-",
        ),
        hint=msg("check.layer_unassignable_hint", name=NAME, attr=layer.unassignable),
    )


def settable(
    judge: UnderTest, kernel_size: tuple[int, ...], weight: torch.Tensor, bias: torch.Tensor
) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """What the test sets, and the bias the layer then adds. A layer without a bias attribute is run
    as it is, and judged without one: the parameters test charges the missing bias, once."""
    try:
        attributes = judge.remember(
            ("attributes", kernel_size), lambda: judge.student.layer(NAME, kernel_size).attributes
        )
    except StudentFailure:
        attributes = {}
    bias_attribute = attributes.get("bias")
    if bias_attribute is not None and not bias_attribute.present:
        return {"weight": weight}, torch.zeros_like(bias)
    return {"weight": weight, "bias": bias}, bias


def check_structure(judge: UnderTest, *kernel_sizes: tuple[int, int]) -> Layer:
    """`weight` and `bias` are nn.Parameters of the contract's shapes, registered with the module,
    for every kernel size given (a non-square one shows a weight of shape (k_w, k_h))."""
    layer = None
    for kernel_size in kernel_sizes:
        layer = _check_structure(judge, kernel_size)
    assert layer is not None
    return layer


def _check_structure(judge: UnderTest, kernel_size: tuple[int, int]) -> Layer:
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


def check_init(judge: UnderTest, kernel_size: tuple[int, int]) -> None:
    """weight ~ U[0, 1) (torch.rand), bias = 0, as in the text. A weight or bias that is missing or
    not a tensor is the parameters test's to charge; this test judges the values that are there."""
    layer = build(judge, kernel_size, seed=0)
    weight, bias = layer.attributes["weight"].value, layer.attributes["bias"].value
    params = {"name": NAME, "kernel_size": shape_text(kernel_size)}
    if weight is not None and weight.data is not None:
        w = weight.data.double()
        if not (bool(((w >= 0) & (w < 1)).all()) and (w.numel() == 1 or float(w.std()) > 0)):
            raise fail_with("init_off_contract", params)
    if bias is not None and bias.data is not None and not bool((bias.data == 0).all()):
        raise fail_with("init_off_contract", params)


def check_forward(
    judge: UnderTest,
    kernel_size: tuple[int, int],
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor,
    *,
    device: str = "cpu",
    move: bool = False,
) -> None:
    """With weight and bias set, forward(x) = corr2d(x, weight) + bias.

    A layer that computes exactly that with the student's own corr2d passes: a wrong corr2d is
    charged by the corr2d tests, once.
    """
    inputs = {"x": x, "weight": weight, "bias": bias}
    context = checked(f"{constructed(kernel_size)}.forward", {"x": x}, device)
    assign, bias = settable(judge, kernel_size, weight, bias)
    if "bias" not in assign:
        del inputs["bias"]
    layer = _run(judge, kernel_size, x, weight, device, assign=assign, move=move, seed=SEED)
    if layer is None:
        return
    got = expect_tensor(layer.output, f"{NAME}.forward", context)
    expected = references.conv2d_layer(x, weight, bias)
    if _follows_own_corr2d(judge, x, weight, bias, got, device):
        return
    if got.shape != tuple(expected.shape):
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
    expect_dtype_device(got, x.dtype, device, f"{NAME}.forward", context, layer.trace, "x")
    if got.data is None:
        return
    rtol, atol = tolerance(x.dtype, expected)
    values = got.data.double()
    close = torch.isclose(values, expected, rtol=rtol, atol=atol)
    if bool(close.all()):
        return
    shown = comparison(inputs, expected.to(x.dtype), got, close)
    params = {"name": NAME, "n": shape_text(x.shape), "k": shape_text(weight.shape)}
    without_bias = references.correlate(x, weight)
    if float(bias.abs().max()) > 0:
        if torch.allclose(values, without_bias, rtol=rtol, atol=atol):
            raise fail_with("bias_not_added", params, details=(context,), comparison=shown)
        if torch.allclose(values, without_bias + 2 * bias.double(), rtol=rtol, atol=atol):
            raise fail_with("bias_added_twice", params, details=(context,), comparison=shown)
    if _ignores_weight(judge, kernel_size, x, weight, bias, values, device):
        raise fail_with("forward_ignores_weight", params, details=(context,), comparison=shown)
    diagnosis = value_mistake(x, weight, values - bias.double(), layer.trace, rtol, atol)
    if diagnosis is not None and _confirmed(judge, x.dtype, device, diagnosis):
        raise fail_with(diagnosis.mistake, {**params, **diagnosis.params}, details=(context,), comparison=shown)
    raise values_failure(f"{NAME}.forward", inputs, expected, got, close, context, msg("check.correlation_values_hint"))


def _confirmed(judge: UnderTest, dtype: torch.dtype, device: str, diagnosis: Diagnosis) -> bool:
    """A corr2d-level variant is named only if the layer's forward, on a discriminating input and
    weight (where all variants differ), is that same variant plus the bias; asked once per dtype."""
    if diagnosis.mistake not in VARIANTS:
        return True
    kind = probe_kind(diagnosis)
    x, weight = discriminating_input(2, dtype, kind)
    kernel_size = tuple(weight.shape)
    assign, bias = settable(judge, kernel_size, weight, torch.tensor([0.375], dtype=dtype))

    def answer() -> TensorValue | None:
        try:
            layer = judge.student.layer(NAME, kernel_size, assign=assign, input=x, device=device, seed=SEED)
        except StudentFailure:
            return None
        output = layer.output
        if layer.unassignable is not None or not isinstance(output, TensorValue) or output.data is None:
            return None
        return dataclasses.replace(output, data=output.data.double() - bias.double())

    got = judge.remember(("discriminating", NAME, dtype, device, kind), answer)
    if got is None:
        return False
    rtol, atol = tolerance(dtype, references.correlate(x, weight))
    return confirms(diagnosis, x, weight, tuple(got.shape), got.data, rtol, atol)


def _run(
    judge: UnderTest,
    kernel_size: tuple[int, int],
    x: torch.Tensor,
    weight: torch.Tensor,
    device: str,
    **kwargs: Unpack[LayerOptions],
) -> Layer | None:
    """Build the layer and run it on x; None when it raised inside the student's corr2d in the same
    way corr2d raises on its own (the corr2d tests charge that)."""
    try:
        layer = judge.student.layer(NAME, kernel_size, input=x, device=device, **kwargs)
        return assigned(layer)
    except CallRaised as raised:
        if _raised_by_own_corr2d(judge, raised, x, weight, device):
            return None
        if device == "meta" and is_mixed_devices(raised):
            # A plain-tensor weight or bias left behind by .to(), or the student's corr2d returning
            # off the meta device: the parameters test or the corr2d tests charge those.
            if _plain_tensor_parameter(judge, kernel_size) or _own_corr2d_off_meta(judge, x, kernel_size):
                return None
        mistake = meta_mistake(raised) if device == "meta" else None
        if mistake is not None:
            params = {"name": NAME, "expected": "", "got": "", "device": "meta", "got_device": "cpu", "input": "x"}
            context = checked(f"{constructed(kernel_size)}.to('meta').forward", {"x": x}, "meta")
            raise fail_with(mistake, params, details=(context,), code=raised.report.get("traceback", "")) from None
        raise Failure(feedback_for(raised, NAME, constructed(kernel_size))) from None
    except StudentFailure as other:
        raise Failure(feedback_for(other, NAME, constructed(kernel_size))) from None


def _plain_tensor_parameter(judge: UnderTest, kernel_size: tuple[int, int]) -> bool:
    """weight or bias is a plain tensor, which .to() leaves behind: the parameters test charges that."""
    try:
        attributes = judge.remember(
            ("attributes", kernel_size), lambda: judge.student.layer(NAME, kernel_size).attributes
        )
    except StudentFailure:
        return False
    return any(a.present and a.value is not None and not a.is_parameter for a in attributes.values())


def _raised_by_own_corr2d(
    judge: UnderTest, raised: CallRaised, x: torch.Tensor, weight: torch.Tensor, device: str
) -> bool:
    """The layer's forward raised on a line of the student's corr2d file, and corr2d called on its own
    with the same input raises the same error."""
    if raised.stage != "forward" or raised_in_file(raised) != UNIT.file_of("corr2d"):
        return False
    # In the layer the weight is a parameter: corr2d gets a kernel that requires grad, here too.
    G = grad_output_for(references.valid_shape(x.shape, weight.shape), x.dtype)
    # (Backpropagation is probed on the CPU: the meta device has nothing to propagate.)
    probes = ((device, None), ("cpu" if device == "meta" else device, (1,)))
    for where, wrt in probes:
        try:
            judge.student.call("corr2d", x, weight, device=where, backward=G if wrt else None, wrt=wrt)
        except CallRaised as own:
            if own.report.get("exc_type") == raised.report.get("exc_type"):
                return True
        except StudentFailure:
            return False
    return False


def _follows_own_corr2d(
    judge: UnderTest, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, got: TensorValue, device: str
) -> bool:
    """The layer returns the student's own corr2d(x, weight) + bias, and that corr2d is wrong."""
    own = _own_corr2d(judge, x, weight, device)
    if own is None or own.shape != got.shape or own.data is None or got.data is None:
        return False
    layer_values, own_values = got.data.double(), own.data.double() + bias.double()
    rtol, atol = tolerance(x.dtype, own_values)
    return bool(torch.allclose(layer_values, own_values, rtol=rtol, atol=atol, equal_nan=True))


def check_portable(judge: UnderTest, kernel_size: tuple[int, int], x: torch.Tensor) -> None:
    """Moved with .to("meta") and run on a meta input: a tensor fixed to the CPU inside shows at once."""
    context = checked(f"{constructed(kernel_size)}.to('meta').forward", {"x": x}, "meta")
    layer = _run(judge, kernel_size, x, torch.ones(kernel_size), "meta", move=True)
    if layer is None:
        return
    got = expect_tensor(layer.output, f"{NAME}.forward", context)
    if got.device_type != "meta" and _own_corr2d_off_meta(judge, x, kernel_size):
        return
    # The device is this test's property; a wrong shape or dtype is the other tests' to charge.
    expect_dtype_device(got, got.dtype, "meta", f"{NAME}.forward", context, layer.trace, "x")


def _own_corr2d_off_meta(judge: UnderTest, x: torch.Tensor, kernel_size: tuple[int, int]) -> bool:
    """The student's corr2d itself leaves the meta device (charged by the corr2d tests)."""
    try:
        value = judge.student.call("corr2d", x, torch.ones(kernel_size), device="meta").value
    except ImportFailure:
        return False  # no corr2d of the student's to blame
    except StudentFailure:
        return True
    return not isinstance(value, TensorValue) or value.device_type != "meta"


def _ignores_weight(
    judge: UnderTest,
    kernel_size: tuple[int, int],
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor,
    values: torch.Tensor,
    device: str,
) -> bool:
    """Same output for a different weight: forward does not read self.weight."""
    try:
        other = judge.student.layer(
            NAME,
            kernel_size,
            assign=settable(judge, kernel_size, weight * -2 + 1, bias)[0],
            input=x,
            device=device,
            seed=SEED,
        )
    except StudentFailure:
        return False
    if not isinstance(other.output, TensorValue) or other.output.data is None:
        return False
    return other.output.shape == tuple(values.shape) and bool(torch.equal(other.output.data.double(), values))


def _own_corr2d_grads_wrong(
    judge: UnderTest, x: torch.Tensor, weight: torch.Tensor, G: torch.Tensor, device: str
) -> bool:
    """The student's own corr2d, called alone, gives no gradient or a wrong one for X or K."""

    def probe() -> bool:
        try:
            call = judge.student.call("corr2d", x, weight, device=device, backward=G)
        except ImportFailure:
            return False  # no corr2d of the student's to blame
        except StudentFailure:
            return True
        if call.grads is None or len(call.grads) < 2:
            return True
        _, grad_x, grad_k = references.correlate_with_grads(x, weight, G)
        for got, reference in zip(call.grads[:2], (grad_x, grad_k), strict=True):
            if got is None or got.data is None or got.shape != tuple(reference.shape):
                return True
            rtol, atol = tolerance(x.dtype, reference)
            if not bool(torch.allclose(got.data.double(), reference, rtol=rtol, atol=atol)):
                return True
        return False

    key = ("own corr2d gradients", tuple(x.shape), float(x.double().sum()), float(weight.double().sum()), device)
    return judge.remember(key, probe)


def _own_corr2d(judge: UnderTest, x: torch.Tensor, weight: torch.Tensor, device: str) -> TensorValue | None:
    """The student's own corr2d on the same input, when it answers and its answer is wrong."""
    try:
        value = judge.student.call("corr2d", x, weight, device=device).value
    except StudentFailure:
        return None
    if not isinstance(value, TensorValue) or value.data is None:
        return None
    reference = references.correlate(x, weight)
    rtol, atol = tolerance(x.dtype, reference)
    if value.shape == tuple(reference.shape) and torch.allclose(value.data.double(), reference, rtol=rtol, atol=atol):
        return None
    return value


def check_backward(
    judge: UnderTest,
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
    context = checked(f"{constructed(kernel_size)}.forward", {"x": x}, device)
    expected_shape = references.valid_shape(x.shape, weight.shape)
    G = grad_output_for(expected_shape, x.dtype)
    assign, bias = settable(judge, kernel_size, weight, bias)
    layer = _run(judge, kernel_size, x, weight, device, assign=assign, backward=G, move=move)
    if layer is None:
        return
    output = expect_tensor(layer.output, f"{NAME}.forward", context)
    if output.shape != expected_shape:
        return  # the layer follows a wrong corr2d of the student's, charged by the corr2d tests
    # Over a wrong corr2d of the student's (charged by its own tests) only the bias is the layer's.
    checked_grads: tuple[str, ...] = (
        ("bias",) if _follows_own_corr2d(judge, x, weight, bias, output, device) else GRADIENTS
    )
    # A bias that is no tensor parameter has no gradient: the parameters test charges that.
    bias_info = layer.attributes.get("bias")
    if bias_info is None or not bias_info.is_parameter:
        checked_grads = tuple(name for name in checked_grads if name != "bias")
    if not checked_grads:
        return
    if "bias" not in checked_grads and _own_corr2d_grads_wrong(judge, x, weight, G, device):
        return  # no gradient through a corr2d whose own gradients are wrong: its tests charge that
    if layer.backward_skipped is not None or layer.grads is None:
        raise Failure(graph_cut(layer.trace, f"{NAME}.forward", "self.weight, self.bias, x"))
    _, reference = references.conv2d_layer_with_grads(x, weight, bias, G)
    for name in checked_grads:
        got = layer.grads.get(name)
        through_corr2d = name in ("weight", "input")
        if through_corr2d and _own_corr2d_grads_wrong(judge, x, weight, G, device):
            continue  # the layer passes its corr2d's gradients on; the corr2d tests charge them
        if got is None:
            raise Failure(graph_cut(layer.trace, f"{NAME}.forward", f"self.{name}" if name != "input" else "x"))
        ref = reference[name]
        rtol, atol = tolerance(x.dtype, ref)
        data = got.data
        if data is None or data.numel() != ref.numel():
            raise failure(msg("check.grad_shape", name=NAME, input=name), context)
        if got.shape != tuple(ref.shape):  # a bias of another shape (charged by the parameters test)
            data = data.reshape(ref.shape)
            got = dataclasses.replace(got, data=data, shape=tuple(ref.shape))
        close = torch.isclose(data.double(), ref, rtol=rtol, atol=atol)
        if not bool(close.all()):
            raise failure(
                msg("check.grad_wrong", name=NAME, input=name),
                context,
                comparison=comparison({"x": x, "weight": weight, "grad_output": G}, ref.to(x.dtype), got, close),
                hint=msg("check.grad_hint"),
            )
