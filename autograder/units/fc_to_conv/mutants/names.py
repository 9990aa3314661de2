"""Does a mutant make the mistake the grader named? Checked by running the mutant on the slips' PROBES.

A named slip's model must give the mutant's answers on every probe where the slip applies (a slip of
the property form, `Slip.shows`, must see its mistake in the mutant's answer wherever the right answer
does not show it), and some probe must tell the slip from the right answer. The engine's own mistakes
(a None, a dtype, a device, a lost gradient) are checked on the oracle's inputs. Anything else is
unverified: never counted as right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import torch

from autograder.sandbox.wire import TensorValue, decode_value
from autograder.sandbox.worker import encode_result
from autograder.units.convolutions.mutants.probes import Attempt, attempt
from autograder.units.fc_to_conv import slips
from autograder.units.fc_to_conv.mutants.inputs import Arguments, arguments, probes
from autograder.units.fc_to_conv.mutants.loading import Subject
from autograder.units.fc_to_conv.mutants.oracle import clone_args, run_with_grads

MAX_BYTES = 1 << 26


@dataclass(frozen=True)
class NameCheck:
    status: Literal["right", "wrong", "unverified"]
    reason: str


def as_seen(value: Any) -> Any:
    """An answer as the judge receives it from a worker: tensors as TensorValue, other objects by type name."""
    buffers: list[bytes] = []
    return decode_value(encode_result(value, buffers, MAX_BYTES), buffers)


def _call(subject: Subject, args: Arguments) -> Attempt:
    return attempt(subject.function(), *clone_args(args))


def _shows(slip: slips.Slip, answer: Any, args: Arguments) -> bool:
    """Whether the slip's property sees its mistake in an answer (tensors by their values; a property
    that cannot read the answer sees nothing)."""
    shows = slip.shows
    assert shows is not None
    value = answer.data if isinstance(answer, TensorValue) else answer
    if value is None and isinstance(answer, TensorValue):
        return False
    seen = attempt(shows, value, *args)
    return seen.ok and bool(seen.value)


def _slip_fits(slip: slips.Slip, mutant: Subject, reference: Subject) -> tuple[bool, int, str]:
    """(fits every probe, probes that tell the slip from the right answer, why not)."""
    told = 0
    for args in probes(slip.exercise):
        if not slip.applies(*args):
            continue
        right = reference.function()(*clone_args(args))
        got = _call(mutant, args)
        seen = as_seen(got.value) if got.ok else None
        call = f"{slip.exercise}({', '.join(_arg(a) for a in args)})"
        if slip.shows is not None:
            if _shows(slip, as_seen(right), args):
                continue
            told += 1
            if not got.ok or not _shows(slip, seen, args):
                return False, told, f"{call}: the mutant's answer does not show it"
            continue
        modelled = attempt(slip.model, *clone_args(args))
        if not modelled.ok:
            continue  # the slip has no answer here: a student making it would have raised too
        model = modelled.value
        told += not slips.same_answer(as_seen(right), model)
        if not got.ok:
            return False, told, f"{call}: the mutant raised {type(got.error).__name__}"
        if not slips.same_answer(seen, model):
            return False, told, f"{call}: the slip answers {_arg(model)}, the mutant {_arg(got.value)}"
    return True, told, ""


def _arg(value: Any) -> str:
    if isinstance(value, torch.Tensor):
        return f"tensor{list(value.shape)}" if value.numel() > 6 else f"tensor({value.tolist()})"
    return repr(value)


def _by_slips(found: tuple[slips.Slip, ...], mutant: Subject, reference: Subject) -> NameCheck:
    if not probes(found[0].exercise):
        return NameCheck("unverified", "no PROBES for this exercise")
    reasons, told_any = [], False
    for slip in found:
        fits, told, why = _slip_fits(slip, mutant, reference)
        told_any = told_any or told > 0
        if fits and told:
            return NameCheck("right", f"the slip's answer on all {told} probes that tell it apart")
        reasons.append(why or "no probe tells this slip from the right answer")
    if not told_any:
        return NameCheck("unverified", "no probe tells the slip from the right answer")
    return NameCheck("wrong", "; ".join(reasons))


def _on_inputs(claim: Callable[[Subject, Subject, Arguments], str | None], what: str) -> Callable[..., NameCheck]:
    """A claim about the engine's mistake that one of the oracle's inputs must show."""

    def check(mutant: Subject, reference: Subject) -> NameCheck:
        for args in arguments(mutant.tag):
            seen = claim(mutant, reference, args)
            if seen is not None:
                return NameCheck("right", seen)
        return NameCheck("wrong", f"never {what} on the oracle's inputs")

    return check


def _returns(test: Callable[[Any], bool], what: str) -> Callable[..., NameCheck]:
    def claim(mutant: Subject, reference: Subject, args: Arguments) -> str | None:
        got = _call(mutant, args)
        return f"{what} for {mutant.tag}({', '.join(_arg(a) for a in args)})" if got.ok and test(got.value) else None

    return _on_inputs(claim, what)


def _other_dtype(mutant: Subject, reference: Subject, args: Arguments) -> str | None:
    got, right = _call(mutant, args), _call(reference, args)
    if got.ok and isinstance(got.value, torch.Tensor) and isinstance(right.value, torch.Tensor):
        if got.value.dtype != right.value.dtype:
            return f"{got.value.dtype} where the reference gives {right.value.dtype}"
    return None


def _off_meta(mutant: Subject, reference: Subject, args: Arguments) -> str | None:
    tensors = [a for a in args if isinstance(a, torch.Tensor)]
    if not tensors:
        return None
    right = attempt(reference.function(), *clone_args(args, "meta"))
    if not right.ok or not isinstance(right.value, torch.Tensor) or right.value.device.type != "meta":
        return None
    got = attempt(mutant.function(), *clone_args(args, "meta"))
    if not got.ok:
        return f"raised {type(got.error).__name__} on meta inputs"
    if isinstance(got.value, torch.Tensor) and got.value.device.type != "meta":
        return f"answered on {got.value.device} for meta inputs"
    return None


def _lost_gradient(mutant: Subject, reference: Subject, args: Arguments) -> str | None:
    if not any(isinstance(a, torch.Tensor) and a.is_floating_point() for a in args):
        return None
    (_, theirs), (_, mine) = run_with_grads(reference.function(), args, 0), run_with_grads(mutant.function(), args, 0)
    missing = [n for n, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a is None and b is not None]
    return f"no gradient for tensor argument {missing[0]}" if missing else None


GENERAL: dict[str, Callable[..., NameCheck]] = {
    "returned_none": _returns(lambda v: v is None, "returned None"),
    "returned_numpy": _returns(lambda v: type(v).__module__ == "numpy", "returned a numpy value"),
    "not_a_tensor": _returns(lambda v: v is not None and not isinstance(v, torch.Tensor), "returned a non-tensor"),
    "fixed_dtype": _on_inputs(_other_dtype, "answered in another dtype"),
    "dtype_cast": _on_inputs(_other_dtype, "answered in another dtype"),
    "fixed_device": _on_inputs(_off_meta, "left the input's device"),
    "data_dependent_on_meta": _on_inputs(_off_meta, "failed on the meta device"),
    "cpu_round_trip": _on_inputs(_off_meta, "left the input's device"),
    **{
        mistake: _on_inputs(_lost_gradient, "lost a gradient")
        for mistake in ("autograd_broken", "autograd_detach", "autograd_item", "autograd_new_tensor")
    },
}
"""The engine's mistakes this check can confirm on the oracle's inputs."""


def check_name(mistake: str, mutant: Subject, reference: Subject) -> NameCheck:
    """Is `mistake`, named on the mutant's exercise, what the mutant does?"""
    found = tuple(s for s in slips.of_exercise(mutant.tag) if s.mistake == mistake)
    if found:
        return _by_slips(found, mutant, reference)
    general = GENERAL.get(mistake)
    if general is not None:
        return general(mutant, reference)
    return NameCheck("unverified", "no slip and no check for this mistake")
