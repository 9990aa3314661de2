"""Is a mutant equivalent to the reference? Decided by running both, never by the grader's diagnosis.

Equivalent means: on many random inputs of many shapes, in float32 and float64, the same type,
shape, dtype, device and values (within the dtype's tolerance), the same gradients, the same
behaviour on PyTorch's `meta` device, and inputs left as they were. For the layer, also the same
parameters under the same seed; for learn_kernel, the same kernel and losses under the same seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from autograder.units.convolutions.mutants import loops
from autograder.units.convolutions.mutants.probes import Attempt, attempt, cases_for, close, is_tensor, unlimited
from autograder.units.convolutions.mutants.subjects import Subject

CORRELATIONS = {"corr1d": 1, "corr2d": 2, "corr3d": 3}


@dataclass(frozen=True)
class Verdict:
    holds: bool
    reason: str
    outside_contract: str = ""
    """How an equivalent mutant differs on input its exercise's contract does not cover, if it does."""


def _grad_output(shape: tuple[int, ...], dtype: torch.dtype, seed: int) -> torch.Tensor:
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(dtype)


def _run_with_grads(function: Any, tensors: list[torch.Tensor], seed: int) -> tuple[Attempt, list[Any]]:
    """Call with inputs that require gradients, then backpropagate a random gradient."""
    inputs = [t.detach().clone().requires_grad_(True) for t in tensors]
    result = attempt(function, *inputs)
    if not result.ok or not is_tensor(result.value) or not result.value.requires_grad:
        return result, [None] * len(inputs)
    out = result.value
    backward = attempt(out.backward, _grad_output(tuple(out.shape), out.dtype, seed))
    if not backward.ok:
        return Attempt(error=backward.error), [None] * len(inputs)
    return result, [t.grad for t in inputs]


def _same_result(got: Attempt, expected: Attempt, dtype: torch.dtype) -> str | None:
    """Why two results differ, or None when they are the same."""
    if not got.ok:
        return f"raised {type(got.error).__name__}: {str(got.error)[:80]}"
    value, reference = got.value, expected.value
    if not is_tensor(value):
        return f"returned {type(value).__name__}"
    checks = (
        ("shape", tuple(value.shape), tuple(reference.shape)),
        ("dtype", value.dtype, reference.dtype),
        ("device", value.device, reference.device),
        ("requires_grad", value.requires_grad, reference.requires_grad),
    )
    for what, mine, theirs in checks:
        if mine != theirs:
            return f"{what} {mine} instead of {theirs}"
    if value.device.type != "meta" and not close(value, reference, dtype):
        return "different values"
    return None


def _same_grads(got: list[Any], expected: list[Any], names: tuple[str, ...], dtype: torch.dtype) -> str | None:
    for name, mine, theirs in zip(names, got, expected, strict=True):
        if (mine is None) != (theirs is None):
            return f"no gradient for {name}" if mine is None else f"a gradient for {name} where there is none"
        if mine is not None and not close(mine, theirs, dtype):
            return f"different gradient for {name}"
    return None


def _correlation_equivalent(mutant: Subject, reference: Subject) -> Verdict:
    ndim = CORRELATIONS[mutant.tag]
    mine, theirs = mutant.function(), reference.function()
    for number, case in enumerate(cases_for(ndim)):
        shapes = f"X {tuple(case.X.shape)}, K {tuple(case.K.shape)}, {str(case.X.dtype).removeprefix('torch.')}"
        X, K = case.X.clone(), case.K.clone()
        got, expected = attempt(mine, X, K), attempt(theirs, case.X.clone(), case.K.clone())
        problem = _same_result(got, expected, case.X.dtype)
        if problem is None and not (torch.equal(X, case.X) and torch.equal(K, case.K)):
            problem = "changed its input"
        if problem is None:
            got_call, got_grads = _run_with_grads(mine, [case.X, case.K], number)
            ref_call, ref_grads = _run_with_grads(theirs, [case.X, case.K], number)
            problem = _same_result(got_call, ref_call, case.X.dtype) or _same_grads(
                got_grads, ref_grads, ("X", "K"), case.X.dtype
            )
        if problem is not None:
            return Verdict(False, f"{problem} for {shapes}")
    case = cases_for(ndim, count=3)[2]
    meta = attempt(mine, case.X.to("meta"), case.K.to("meta"))
    problem = _same_result(meta, attempt(theirs, case.X.to("meta"), case.K.to("meta")), case.X.dtype)
    if problem is not None:
        return Verdict(False, f"on the meta device: {problem}")
    return Verdict(True, "same results, gradients and meta behaviour")


LAYER_SIZES = ((1, 2), (3, 2), (2, 3), (1, 1))


def _parameters(layer: Any) -> dict[str, torch.Tensor]:
    return dict(layer.named_parameters()) if isinstance(layer, torch.nn.Module) else {}


def _layer_equivalent(mutant: Subject, reference: Subject) -> Verdict:
    for size in LAYER_SIZES:
        built = attempt(mutant.build_layer, size, seed=5)
        if not built.ok:
            return Verdict(False, f"Conv2D{size} raised {type(built.error).__name__}")
        mine, theirs = _parameters(built.value), _parameters(reference.build_layer(size, seed=5))
        if not isinstance(built.value, torch.nn.Module) or mine.keys() != theirs.keys():
            return Verdict(False, f"Conv2D{size} parameters {sorted(mine)} instead of {sorted(theirs)}")
        for name, value in theirs.items():
            if type(mine[name]) is not type(value) or not torch.equal(mine[name].detach(), value.detach()):
                return Verdict(False, f"Conv2D{size}.{name} differs after the same seed")
    for number, case in enumerate(cases_for(2, count=6, seed=40)):
        bias = torch.randn(1, generator=torch.Generator().manual_seed(number), dtype=torch.float64).to(case.X.dtype)
        shapes = f"x {tuple(case.X.shape)}, weight {tuple(case.K.shape)}, {str(case.X.dtype).removeprefix('torch.')}"
        outcomes: list[tuple[Attempt, list[Any]]] = []
        for subject in (mutant, reference):
            layer = attempt(subject.layer_with, case.K, bias)
            if not layer.ok:
                outcomes.append((layer, []))
                continue
            x = case.X.clone().requires_grad_(True)
            out = attempt(layer.value, x)
            grads: list[Any] = []
            if out.ok and is_tensor(out.value) and out.value.requires_grad:
                backward = attempt(out.value.backward, _grad_output(tuple(out.value.shape), out.value.dtype, number))
                if not backward.ok:
                    out = Attempt(error=backward.error)
                grads = [layer.value.weight.grad, layer.value.bias.grad, x.grad]
            outcomes.append((out, grads))
        (got, got_grads), (expected, ref_grads) = outcomes
        problem = _same_result(got, expected, case.X.dtype) or _same_grads(
            got_grads or [None] * 3, ref_grads, ("weight", "bias", "x"), case.X.dtype
        )
        if problem is not None:
            return Verdict(False, f"forward: {problem} for {shapes}")
    x = torch.ones(4, 5)
    got = attempt(lambda: mutant.build_layer((2, 3)).to("meta")(x.to("meta")))
    problem = _same_result(got, attempt(lambda: reference.build_layer((2, 3)).to("meta")(x.to("meta"))), x.dtype)
    if problem is not None:
        return Verdict(False, f"moved to the meta device: {problem}")
    return Verdict(True, "same parameters, forward, gradients and meta behaviour")


def _describe_run(result: Attempt) -> str | None:
    """None when learn_kernel returned a (kernel tensor, list of floats) pair."""
    if not result.ok:
        return f"raised {type(result.error).__name__}: {str(result.error)[:80]}"
    value = result.value
    if not isinstance(value, tuple) or len(value) != 2 or not is_tensor(value[0]) or not isinstance(value[1], list):
        return f"returned {type(value).__name__}"
    return None


def seeded(function: Any, task: loops.Task, **kwargs: Any) -> Attempt:
    """Call learn_kernel as the grader does: right after seeding torch with the task's seed."""
    X, Y = task.X.clone(), task.Y.clone()

    def call() -> Any:
        torch.manual_seed(task.seed)
        return function(X, Y, **kwargs)

    result = attempt(call)
    if result.ok and not (torch.equal(X, task.X) and torch.equal(Y, task.Y)):
        return Attempt(error=ValueError("changed its input"))
    return result


def _full_arguments(task: loops.Task) -> dict[str, Any]:
    return {"kernel_size": task.kernel_size, "lr": task.lr, "num_epochs": task.num_epochs}


def _same_run(got: Attempt, expected: Attempt, dtype: torch.dtype) -> str | None:
    """None when two answered runs give the same kernel and losses."""
    kernel, losses = got.value
    ref_kernel, ref_losses = expected.value
    problem = _same_result(Attempt(kernel), Attempt(ref_kernel), dtype)
    if problem is None and [type(v) for v in losses] != [type(v) for v in ref_losses]:
        problem = "losses of other types or count"
    if problem is None and not close(torch.tensor(losses), torch.tensor(ref_losses), dtype):
        problem = "different losses"
    return problem


def _within_contract(task: loops.Task) -> bool:
    """learn_kernel's contract (DESIGN.md) fixes the device it runs on, not a dtype: it must handle the
    text's float32 input; float64 input is outside it, so a difference there is noted, not counted."""
    return task.X.dtype == torch.float32


def _training_equivalent(mutant: Subject, reference: Subject) -> Verdict:
    runs = [(task, _full_arguments(task)) for task in loops.tasks()]
    runs.append((loops.tasks()[0], {}))
    outside = ""
    for task, arguments in runs:
        label = f"X {tuple(task.X.shape)}, {arguments or 'default arguments'}"
        got, expected = seeded(mutant.function(), task, **arguments), seeded(reference.function(), task, **arguments)
        problem = _describe_run(got) or _same_run(got, expected, task.X.dtype)
        if problem is not None:
            if not _within_contract(task):
                outside = outside or f"{problem} for {label}, {str(task.X.dtype).removeprefix('torch.')}"
                continue
            return Verdict(False, f"{problem} for {label}")
    return Verdict(True, "same kernel and losses under the same seed", outside)


def warm_up(reference: dict[str, Any], sources: dict[str, str]) -> None:
    """Run the reference once on every device and path the oracle uses. The first use of the meta
    device imports parts of torch, which takes seconds: it must not happen under a time limit."""
    with torch.device("meta"):
        torch.zeros(1) + 1
    for tag in (*CORRELATIONS, "Conv2D", "learn_kernel"):
        subject = Subject(tag, reference, sources)
        with unlimited():
            verdict = equivalent(subject, subject)
        if not verdict.holds:
            raise RuntimeError(f"the reference solution of {tag} is not equivalent to itself: {verdict.reason}")


def equivalent(mutant: Subject, reference: Subject) -> Verdict:
    """Does the mutant behave exactly like the reference solution?"""
    if mutant.tag in CORRELATIONS:
        return _correlation_equivalent(mutant, reference)
    if mutant.tag == "Conv2D":
        return _layer_equivalent(mutant, reference)
    return _training_equivalent(mutant, reference)
