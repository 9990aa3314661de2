"""The named mistakes: each has a title, an explanation and a fix in the message catalogues.

`mistake.<id>.title`, `.why` and `.fix` are rendered with the same parameters. The ids are stable:
class reports count them, and the kit's mistake corpus asserts them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from autograder import units
from autograder.feedback import Comparison, Failure, Feedback
from autograder.i18n import Message, msg

GENERAL: tuple[str, ...] = (
    # what any exercise written with PyTorch can get wrong: the engine's checks name them
    "fixed_dtype",
    "fixed_device",
    "fixed_device_cuda",
    "cpu_round_trip",
    "mixed_devices",
    "autograd_item",
    "autograd_tolist",
    "autograd_numpy",
    "autograd_new_tensor",
    "autograd_detach",
    "autograd_broken",
    "not_a_tensor",
    "returned_none",
    "returned_numpy",
    "too_slow",
    "d2l_import",
    "data_dependent_on_meta",
    "numpy_on_tensor",
    "dtype_cast",
)
"""The mistakes the engine itself names; each unit adds its own (autograder.unit.Unit.mistakes)."""


@cache
def known() -> frozenset[str]:
    return frozenset(GENERAL) | units.all_mistakes()


def named(mistake: str, params: dict[str, Any] | None = None, **extra: Any) -> Feedback:
    """Feedback naming `mistake`, with its explanation and fix."""
    if mistake not in known():
        raise KeyError(f"unknown mistake {mistake!r}")
    params = params or {}
    details = tuple(extra.pop("details", ()))
    return Feedback(
        summary=msg(f"mistake.{mistake}.title", **params),
        details=(*details, msg(f"mistake.{mistake}.why", **params)),
        mistake=mistake,
        hint=msg(f"mistake.{mistake}.fix", **params),
        **extra,
    )


def fail_with(mistake: str, params: dict[str, Any] | None = None, **extra: Any) -> Failure:
    return Failure(named(mistake, params, **extra))


def failure(
    summary: Message, *details: Message, comparison: Comparison | None = None, hint: Message | None = None
) -> Failure:
    """A failure that names no mistake (the values are simply wrong in no way we recognise)."""
    return Failure(Feedback(summary=summary, details=details, hint=hint, comparison=comparison))
