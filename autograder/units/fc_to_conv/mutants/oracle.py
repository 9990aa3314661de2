"""Is a mutant right? Decided by running it, never by the grader's diagnosis.

A mutant is equivalent when every exercise of its file answers as the reference does on the oracle's
inputs (the slips' PROBES and the suite's kinds of input): the same kind of value, the same shape,
dtype, device and values within what the checks forgive, the same gradients where the reference has
them, the same behaviour on PyTorch's `meta` device, and its inputs left as they were. Exercises
checked by properties (ex5) are equivalent when every answer keeps their contract.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch

from autograder.judge.checks.common import tolerance
from autograder.units.convolutions.mutants.probes import Attempt, attempt
from autograder.units.fc_to_conv import UNIT
from autograder.units.fc_to_conv.mutants.inputs import Arguments, arguments
from autograder.units.fc_to_conv.mutants.loading import Subject
from autograder.units.fc_to_conv.mutants.properties import PROPERTIES


@dataclass(frozen=True)
class Verdict:
    holds: bool
    reason: str


def clone_args(args: Arguments, device: str | None = None, grad: bool = False) -> tuple[Any, ...]:
    """Fresh copies of the tensor arguments (on `device`; float ones requiring gradients if asked)."""
    copied: list[Any] = []
    for arg in args:
        if isinstance(arg, torch.Tensor):
            tensor = arg.detach().clone() if device is None else arg.detach().to(device)
            copied.append(tensor.requires_grad_(True) if grad and tensor.is_floating_point() else tensor)
        else:
            copied.append(arg)
    return tuple(copied)


def _shown(args: Arguments) -> str:
    return ", ".join(f"tensor{tuple(a.shape)}" if isinstance(a, torch.Tensor) else repr(a) for a in args)


def different(got: Attempt, expected: Attempt) -> str | None:
    """Why two answers differ (as the checks compare them), or None when they are the same."""
    if not expected.ok:
        return None if not got.ok else "answered where the reference raised"
    if not got.ok:
        return f"raised {type(got.error).__name__}: {str(got.error)[:80]}"
    value, reference = got.value, expected.value
    if isinstance(reference, torch.Tensor):
        if not isinstance(value, torch.Tensor):
            return f"returned {type(value).__name__}"
        for what, mine, theirs in (
            ("shape", tuple(value.shape), tuple(reference.shape)),
            ("dtype", value.dtype, reference.dtype),
            ("device", value.device, reference.device),
            ("requires_grad", value.requires_grad, reference.requires_grad),
        ):
            if mine != theirs:
                return f"{what} {mine} instead of {theirs}"
        if reference.device.type == "meta":
            return None
        rtol, atol = tolerance(reference.dtype, reference.detach())
        if not torch.allclose(value.detach().double(), reference.detach().double(), rtol=rtol, atol=atol):
            return "different values"
        return None
    if isinstance(reference, bool) or type(reference) is int:
        return None if type(value) is type(reference) and value == reference else f"{value!r} instead of {reference!r}"
    if isinstance(reference, float):
        same = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if same and math.isclose(value, reference, rel_tol=1e-9) else f"{value!r} instead of {reference!r}"
    return None if type(value) is type(reference) and value == reference else f"{value!r} instead of {reference!r}"


def run_with_grads(function: Any, args: Arguments, seed: int) -> tuple[Attempt, list[Any]]:
    """Call with float inputs that require gradients, then backpropagate a random gradient."""
    inputs = clone_args(args, grad=True)
    result = attempt(function, *inputs)
    tensors = [a for a in inputs if isinstance(a, torch.Tensor) and a.requires_grad]
    value = result.value
    if not result.ok or not isinstance(value, torch.Tensor) or not value.requires_grad:
        return result, [None] * len(tensors)
    upstream = torch.randn(value.shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    backward = attempt(value.backward, upstream.to(value.dtype))
    if not backward.ok:
        return Attempt(error=backward.error), [None] * len(tensors)
    return result, [t.grad for t in tensors]


def _same_grads(got: list[Any], expected: list[Any]) -> str | None:
    for number, (mine, theirs) in enumerate(zip(got, expected, strict=True)):
        if (mine is None) != (theirs is None):
            return f"{'no' if mine is None else 'a'} gradient for tensor argument {number}"
        if mine is not None and different(Attempt(mine), Attempt(theirs)) is not None:
            return f"different gradient for tensor argument {number}"
    return None


def _answers_alike(mutant: Subject, reference: Subject) -> Verdict:
    mine, theirs = mutant.function(), reference.function()
    for number, args in enumerate(arguments(mutant.tag)):
        inputs = clone_args(args)
        got, expected = attempt(mine, *inputs), attempt(theirs, *clone_args(args))
        problem = different(got, expected)
        originals = [a for a in args if isinstance(a, torch.Tensor)]
        after = [a for a in inputs if isinstance(a, torch.Tensor)]
        if problem is None and not all(torch.equal(a, b) for a, b in zip(after, originals, strict=True)):
            problem = "changed its input"
        if problem is None and any(isinstance(a, torch.Tensor) and a.is_floating_point() for a in args):
            got_call, got_grads = run_with_grads(mine, args, number)
            ref_call, ref_grads = run_with_grads(theirs, args, number)
            problem = different(got_call, ref_call) or _same_grads(got_grads, ref_grads)
            if problem is None:
                problem = different(
                    attempt(mine, *clone_args(args, "meta")), attempt(theirs, *clone_args(args, "meta"))
                )
                problem = problem and f"on the meta device: {problem}"
        if problem is not None:
            return Verdict(False, f"{mutant.tag}({_shown(args)}): {problem}")
    return Verdict(True, "same answers")


def _keeps_properties(mutant: Subject) -> Verdict:
    check = PROPERTIES[mutant.tag]
    for args in arguments(mutant.tag):
        got = attempt(mutant.function(), *args)
        problem = f"raised {type(got.error).__name__}" if not got.ok else check(got.value, *args)
        if problem is not None:
            return Verdict(False, f"{mutant.tag}({_shown(args)}): {problem}")
    return Verdict(True, "keeps the contract's properties")


def exercise_equivalent(mutant: Subject, reference: Subject) -> Verdict:
    """Does the mutant's exercise behave as the reference's (or keep its properties)?"""
    if mutant.tag in PROPERTIES:
        return _keeps_properties(mutant)
    return _answers_alike(mutant, reference)


def equivalent(file: str, modules: dict[str, Any], reference: dict[str, Any]) -> Verdict:
    """Every exercise of the mutated file: a function another one calls carries its change along."""
    reasons = []
    for tag in UNIT.tags_of(file.removesuffix(".py")):
        verdict = exercise_equivalent(Subject(tag, modules), Subject(tag, reference))
        if not verdict.holds:
            return verdict
        reasons.append(verdict.reason)
    return Verdict(True, "; ".join(dict.fromkeys(reasons)))


def warm_up(reference: dict[str, Any]) -> None:
    """Run the reference once on every input and device the oracle uses (the first use of `meta` imports
    parts of torch, which must not happen under a time limit), and check it agrees with itself."""
    from autograder.units.convolutions.mutants.probes import unlimited

    with unlimited():
        for module in UNIT.modules:
            verdict = equivalent(f"{module}.py", reference, reference)
            if not verdict.holds:
                raise RuntimeError(f"the reference solution is not equivalent to itself: {verdict.reason}")
