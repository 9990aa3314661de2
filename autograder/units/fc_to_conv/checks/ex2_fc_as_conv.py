"""Checks of ex2_fc_as_conv: the dense weight W of a kernel, its re-indexing V, and the two principles.

The references are the judge's own and follow the definitions, not the solutions: W is the layer's
answer to each one-hot image (F.conv2d of e_kl with K gives W[:, :, k, l]), V is W scattered to the
offsets k - i and l - j, translation invariance is W unchanged by one step down and one step across
(every two entries of one offset are joined by such steps), and locality is zeros beyond the band.

A truth value is thin evidence: a slip of is_translation_invariant or is_local is named only when the
student's answers on a fixed set of discriminating inputs are all the slip's answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

import torch
import torch.nn.functional as F

from autograder.backprop import backward_with
from autograder.feedback import Failure
from autograder.i18n import Message, msg
from autograder.judge.checks.common import UnderTest, answering, expect_dtype_device, expect_tensor, tolerance
from autograder.judge.diagnose.autograd import graph_cut
from autograder.judge.failures import meta_mistake
from autograder.judge.mistakes import fail_with, failure
from autograder.judge.show import comparison, shape_text
from autograder.judge.student import Call
from autograder.sandbox.client import CallRaised, StudentFailure
from autograder.sandbox.wire import TensorValue
from autograder.units.fc_to_conv.checks.answers import (
    ask,
    context,
    expect_kind,
    shown,
    smallest_failing,
    with_detail,
)
from autograder.units.fc_to_conv.slips import matching, of_exercise, same_answer

Args = Sequence[Any]


# ------------------------------------------------------------------ references


def reference_weight(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """W[:, :, k, l] is the layer's output on the one-hot image e_kl; differentiable in K."""
    n_h, n_w = input_shape
    one_hot = torch.eye(n_h * n_w, dtype=K.dtype).reshape(n_h * n_w, 1, n_h, n_w)
    responses = F.conv2d(one_hot, K.reshape(1, 1, *K.shape))
    out_h, out_w = responses.shape[-2:]
    return responses.reshape(n_h, n_w, out_h, out_w).permute(2, 3, 0, 1)


def offset_grid(shape: torch.Size | tuple[int, ...]) -> tuple[torch.Tensor, torch.Tensor]:
    """k - i and l - j for every entry of a weight of `shape` (out_h, out_w, n_h, n_w)."""
    out_h, out_w, n_h, n_w = shape
    i, j, k, m = torch.meshgrid(
        torch.arange(out_h), torch.arange(out_w), torch.arange(n_h), torch.arange(n_w), indexing="ij"
    )
    return k - i, m - j


def reference_reindex(W: torch.Tensor) -> torch.Tensor:
    out_h, out_w, n_h, n_w = W.shape
    a, b = offset_grid(W.shape)
    i, j = torch.meshgrid(torch.arange(out_h), torch.arange(out_w), indexing="ij")
    V = torch.zeros((out_h, out_w, out_h + n_h - 1, out_w + n_w - 1), dtype=W.dtype)
    V[i[..., None, None], j[..., None, None], a + out_h - 1, b + out_w - 1] = W
    return V


def reference_invariant(W: torch.Tensor) -> bool:
    return torch.equal(W[1:, :, 1:, :], W[:-1, :, :-1, :]) and torch.equal(W[:, 1:, :, 1:], W[:, :-1, :, :-1])


def reference_local(W: torch.Tensor, delta: int) -> bool:
    a, b = offset_grid(W.shape)
    far = (a.abs() > delta) | (b.abs() > delta)
    return not bool(W[far].any())


# ------------------------------------------------------------------ inputs


def kernel_weight(K: torch.Tensor, input_shape: tuple[int, int]) -> torch.Tensor:
    """A translation-invariant, local weight: the one the layer of K has (a plain tensor)."""
    return reference_weight(K, input_shape).detach().contiguous()


def of_offsets(v: torch.Tensor, out_shape: tuple[int, int]) -> torch.Tensor:
    """W[i, j, k, l] = v[k - i + out_h - 1, l - j + out_w - 1]: a value for every offset, none zero-forced."""
    out_h, out_w = out_shape
    n_h, n_w = v.shape[0] - out_h + 1, v.shape[1] - out_w + 1
    a, b = offset_grid((out_h, out_w, n_h, n_w))
    return v[a + out_h - 1, b + out_w - 1]


def changed_at(W: torch.Tensor, at: tuple[int, int, int, int], by: float = 10.0) -> torch.Tensor:
    changed = W.clone()
    changed[at] += by
    return changed


def single(shape: tuple[int, int, int, int], at: tuple[int, int, int, int], value: float) -> torch.Tensor:
    W = torch.zeros(shape)
    W[at] = value
    return W


def grad_pattern(shape: torch.Size | tuple[int, ...], dtype: torch.dtype) -> torch.Tensor:
    """A gradient with distinct entries, so a wrong gradient cannot pass by symmetry."""
    count = 1
    for size in shape:
        count *= size
    return (torch.arange(count, dtype=torch.float64).reshape(tuple(shape)) % 7 - 2.5).to(dtype)


def small_kernels() -> list[tuple[torch.Tensor, tuple[int, int]]]:
    """Kernels and input shapes, smallest first, for the smallest failing call."""
    shapes = (
        ((1, 1), (1, 2)),
        ((1, 2), (2, 2)),
        ((2, 1), (2, 2)),
        ((1, 2), (2, 3)),
        ((2, 2), (3, 3)),
        ((2, 3), (3, 4)),
    )
    return [(torch.arange(1.0, k[0] * k[1] + 1).reshape(k), n) for k, n in shapes]


# ------------------------------------------------------------------ comparing a tensor answer


def on_cpu(got: TensorValue) -> TensorValue:
    """The answer as the value checks read it, once its device has been checked."""
    return replace(got, device="cpu")


def expect_tensor_answer(
    exercise: str,
    args: Args,
    call: Call,
    right: torch.Tensor,
    ctx: Message,
    *,
    device: str,
    dtype_checked: bool,
    shape_rule: Message,
    hint: Message,
    inputs: dict[str, torch.Tensor],
    input_name: str,
) -> TensorValue:
    """The debug order for a tensor answer: a tensor, its shape (a slip named when one gives that
    shape and those values), its dtype and device, then its values (a slip named on evidence)."""
    got = expect_tensor(call.value, exercise, ctx)
    expected_shape = tuple(right.shape)
    if got.shape != expected_shape:
        slip = matching(exercise, args, on_cpu(got), right) if got.data is not None else None
        if slip is not None:
            raise fail_with(slip.mistake, {"name": exercise}, details=(ctx, _shape_line(exercise, right, got)))
        raise failure(_shape_line(exercise, right, got), ctx, shape_rule)
    expect_dtype_device(got, right.dtype if dtype_checked else got.dtype, device, exercise, ctx, call.trace, input_name)
    if got.data is None or same_answer(on_cpu(got), right):
        return got
    want = right.detach().double()
    rtol, atol = tolerance(got.dtype, want)
    close = torch.isclose(got.data.double(), want, rtol=rtol, atol=atol)
    slip = matching(exercise, args, on_cpu(got), right)
    if slip is not None:
        raise fail_with(
            slip.mistake, {"name": exercise}, details=(ctx,), comparison=comparison(inputs, right.detach(), got, close)
        )
    bad = int((~close).sum())
    raise failure(
        msg("check.values_wrong", name=exercise, bad=bad, total=close.numel()),
        ctx,
        comparison=comparison(inputs, right.detach(), got, close),
        hint=hint,
    )


def _shape_line(exercise: str, right: torch.Tensor, got: TensorValue) -> Message:
    return msg("check.shape_wrong", name=exercise, expected=shape_text(right.shape), got=shape_text(got.shape))


def expect_gradient(
    exercise: str, input_name: str, call: Call, right: torch.Tensor, ctx: Message, hint: Message
) -> None:
    """The gradient that reached the input (the only tensor sent with requires_grad) is autograd's
    through the reference, in the dtype the student returned."""
    if call.backward_skipped is not None or call.grads is None or call.grads[0] is None:
        raise Failure(graph_cut(call.trace, exercise, input_name))
    got = call.grads[0]
    if got.data is None or got.shape != tuple(right.shape):
        raise failure(msg("check.grad_shape", name=exercise, input=input_name), ctx)
    want = right.detach().double()
    rtol, atol = tolerance(got.dtype, want)
    close = torch.isclose(got.data.double(), want, rtol=rtol, atol=atol)
    if not bool(close.all()):
        raise failure(
            msg("check.grad_wrong", name=exercise, input=input_name),
            ctx,
            msg("check.grad_explained", input=input_name),
            comparison=comparison({}, right.detach(), got, close),
            hint=hint,
        )


def smallest_detail(
    judge: UnderTest, exercise: str, candidates: list[tuple[Any, ...]], reference: Callable[..., Any]
) -> Message | None:
    """The smallest failing call of `exercise`, asked once per submission."""
    return judge.remember(("smallest", exercise), lambda: smallest_failing(judge, exercise, candidates, reference))


def check_portable(judge: UnderTest, exercise: str, args: Args, input_name: str) -> None:
    """On the meta device (shapes, no values) an answer allocated on a fixed device shows at once;
    a wrong shape or dtype is the other tests' to charge."""
    ctx = context(exercise, args)
    with answering(exercise):
        try:
            call = judge.student.call(exercise, *args, device="meta")
        except CallRaised as raised:
            mistake = meta_mistake(raised)
            if mistake is None:
                raise
            params = {"name": exercise, "expected": "", "got": "", "device": "meta", "got_device": "cpu"}
            raise fail_with(
                mistake,
                {**params, "input": input_name},
                details=(ctx, msg("fc_to_conv.check.ex2.on_meta")),
                code=raised.report.get("traceback", ""),
            ) from None
    got = expect_tensor(call.value, exercise, ctx)
    expect_dtype_device(got, got.dtype, "meta", exercise, ctx, call.trace, input_name)


# ------------------------------------------------------------------ fc_weight_of_kernel


def check_weight(
    judge: UnderTest, K: torch.Tensor, input_shape: tuple[int, int], *, grads: bool = False, device: str = "cpu"
) -> None:
    """fc_weight_of_kernel(K, input_shape) is the layer's W; with `grads`, a known gradient on W
    reaches K as autograd's through the one-hot reference."""
    exercise = "fc_weight_of_kernel"
    args = (K, input_shape)
    ctx = context(exercise, args)
    leaf = K.detach().clone().requires_grad_(grads)
    right = reference_weight(leaf, input_shape)
    G = grad_pattern(right.shape, K.dtype) if grads else None
    call = ask(judge, exercise, *args, device=device, backward=G)
    try:
        expect_tensor_answer(
            exercise,
            args,
            call,
            right.detach(),
            ctx,
            device=device,
            dtype_checked=not grads,
            shape_rule=msg("fc_to_conv.check.ex2.weight_shape", n=shape_text(input_shape), k=shape_text(K.shape)),
            hint=msg("fc_to_conv.check.ex2.weight_hint"),
            inputs={"K": K},
            input_name="K",
        )
    except Failure as error:
        raise with_detail(error, smallest_detail(judge, exercise, small_kernels(), kernel_weight)) from None
    if grads:
        assert G is not None
        backward_with(right, G)
        assert leaf.grad is not None
        expect_gradient(exercise, "K", call, leaf.grad, ctx, msg("fc_to_conv.check.ex2.weight_grad_hint"))


# ------------------------------------------------------------------ reindex


def small_weights() -> list[tuple[torch.Tensor]]:
    shapes = ((1, 1, 1, 2), (1, 2, 1, 2), (2, 1, 2, 1), (2, 2, 2, 2), (2, 2, 3, 3))
    return [(torch.arange(1.0, 1 + s[0] * s[1] * s[2] * s[3]).reshape(s),) for s in shapes]


def check_reindex(judge: UnderTest, W: torch.Tensor, *, device: str = "cpu") -> None:
    exercise = "reindex"
    args = (W,)
    ctx = context(exercise, args)
    right = reference_reindex(W)
    call = ask(judge, exercise, *args, device=device)
    out_h, out_w = W.shape[:2]
    try:
        expect_tensor_answer(
            exercise,
            args,
            call,
            right,
            ctx,
            device=device,
            dtype_checked=True,
            shape_rule=msg(
                "fc_to_conv.check.ex2.reindex_shape",
                w=shape_text(W.shape),
                expected=shape_text(right.shape),
            ),
            hint=msg("fc_to_conv.check.ex2.reindex_hint", shift_h=out_h - 1, shift_w=out_w - 1),
            inputs={"W": W},
            input_name="W",
        )
    except Failure as error:
        raise with_detail(error, smallest_detail(judge, exercise, small_weights(), reference_reindex)) from None


# ------------------------------------------------------------------ the two principles


def invariance_battery() -> list[tuple[torch.Tensor]]:
    """Weights on which every slip of is_translation_invariant answers both True and False somewhere,
    and differently from the right answer somewhere: a student's answers on all of them tell a
    constant answer, or another slip, apart."""
    K = torch.tensor([[1.0, -2.0], [3.0, 0.5]])
    W = kernel_weight(K, (3, 4))
    v = torch.arange(1.0, 1 + 4 * 6).reshape(4, 6)
    return [
        (W,),
        (changed_at(W, (1, 0, 0, 0)),),
        (W * torch.arange(1.0, 4.0).reshape(1, 3, 1, 1),),
        (W * torch.arange(1.0, 3.0).reshape(2, 1, 1, 1),),
        (of_offsets(v, (2, 3)),),
        (torch.arange(1.0, 13.0).reshape(1, 1, 3, 4).expand(2, 3, 3, 4).contiguous(),),
        (torch.zeros(2, 3, 3, 4),),
    ]


def locality_battery() -> list[tuple[torch.Tensor, int]]:
    """The same for is_local: entries at exactly delta and just beyond, of both signs, in both axes."""
    shape = (3, 3, 5, 5)
    W = kernel_weight(torch.tensor([[1.0, 2.0, -1.0], [0.5, 3.0, 1.0]]), (4, 5))
    return [
        (W, 2),
        (W, 1),
        (single(shape, (0, 0, 2, 0), 1.5), 2),
        (single(shape, (2, 0, 0, 0), -1.0), 1),
        (single(shape, (0, 2, 0, 0), 2.0), 1),
        (single(shape, (0, 0, 0, 2), 0.5), 1),
        (single(shape, (0, 0, 2, 0), 1.0), 1),
        (torch.zeros(shape), 0),
    ]


def _answer(judge: UnderTest, exercise: str, args: Args, device: str) -> Any:
    try:
        return judge.student.call(exercise, *args, device=device).value
    except StudentFailure:
        return None


def confirmed(judge: UnderTest, exercise: str, mistake: str, battery: Sequence[Args], device: str) -> bool:
    """Whether the student's answers on the whole battery are the answers of one of the slips of
    `mistake` (each battery input asked once per submission)."""
    answers = [
        judge.remember(("battery", exercise, n, device), partial(_answer, judge, exercise, args, device))
        for n, args in enumerate(battery)
    ]
    models = [slip for slip in of_exercise(exercise) if slip.mistake == mistake]
    return any(
        all(same_answer(got, slip.model(*args)) for got, args in zip(answers, battery, strict=True)) for slip in models
    )


def check_truth(
    judge: UnderTest,
    exercise: str,
    args: Args,
    right: bool,
    battery: Sequence[Args],
    hint: Message,
    *,
    device: str = "cpu",
) -> None:
    """A yes/no answer: a Python bool, the right one; a slip named only when the battery confirms it."""
    ctx = context(exercise, args)
    got = ask(judge, exercise, *args, device=device).value
    if same_answer(got, right):
        return
    expect_kind(exercise, got, right, ctx)
    fitting = {
        slip.mistake
        for slip in of_exercise(exercise)
        if slip.applies(*args) and slip.model(*args) != right and same_answer(got, slip.model(*args))
    }
    shown_by_all = [mistake for mistake in sorted(fitting) if confirmed(judge, exercise, mistake, battery, device)]
    if len(shown_by_all) == 1:
        raise fail_with(shown_by_all[0], {"name": exercise}, details=(ctx,))
    raise failure(
        msg("fc_to_conv.check.answer_wrong", name=exercise, got=shown(got), expected=shown(right)), ctx, hint=hint
    )


def check_invariant(judge: UnderTest, W: torch.Tensor, *, device: str = "cpu") -> None:
    check_truth(
        judge,
        "is_translation_invariant",
        (W,),
        reference_invariant(W),
        invariance_battery(),
        msg("fc_to_conv.check.ex2.invariant_hint"),
        device=device,
    )


def check_local(judge: UnderTest, W: torch.Tensor, delta: int, *, device: str = "cpu") -> None:
    check_truth(
        judge,
        "is_local",
        (W, delta),
        reference_local(W, delta),
        locality_battery(),
        msg("fc_to_conv.check.ex2.local_hint", delta=delta),
        device=device,
    )
