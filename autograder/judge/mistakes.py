"""The named mistakes: each has a title, an explanation and a fix in the message catalogues.

`mistake.<id>.title`, `.why` and `.fix` are rendered with the same parameters. The ids are stable:
class reports count them, and the kit's mistake corpus asserts them.
"""

from __future__ import annotations

from typing import Any

from autograder.feedback import Comparison, Failure, Feedback
from autograder.i18n import Message, msg

MISTAKES: tuple[str, ...] = (
    # corr1d / corr2d / corr3d
    "flipped_kernel",
    "off_by_one_short",
    "off_by_one_long",
    "same_size_output",
    "full_size_output",
    "kernel_dims_swapped",
    "square_kernels_only",
    "transposed_output",
    "transposed_kernel",
    "last_row_or_column_missing",
    "mean_instead_of_sum",
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
    "input_modified",
    "not_a_tensor",
    "returned_none",
    "returned_numpy",
    "torch_conv_used",
    "fourier_used",
    "recorder_tampering",
    "rule_unverifiable",
    "nan_or_inf",
    "uninitialised_output",
    "too_slow",
    "extra_dimensions",
    "d2l_import",
    "data_dependent_on_meta",
    "own_leaf_written",
    "numpy_on_tensor",
    "dtype_cast",
    "off_by_one_one_dimension",
    "kernel_not_multiplied",
    # Conv2D
    "layer_not_module",
    "weight_missing",
    "bias_missing",
    "weight_not_parameter",
    "bias_not_parameter",
    "weight_wrong_shape",
    "bias_wrong_shape",
    "bias_not_added",
    "forward_ignores_weight",
    "init_off_contract",
    "bias_added_twice",
    # learn_kernel
    "no_zero_grad",
    "wrong_update_sign",
    "mean_loss",
    "bias_left_on",
    "leaf_inplace_update",
    "untrained_kernel",
    "hard_coded_kernel",
    "losses_wrong_count",
    "losses_not_floats",
    "loss_after_update",
    "kernel_wrong_shape",
    "not_on_input_device",
    "reshape_missing",
    "other_optimiser",
    "other_initial_kernel",
    "seeded_inside",
    "parameter_ignored",
    "grad_none_at_update",
    "kernel_not_detached",
)


def named(mistake: str, params: dict[str, Any] | None = None, **extra: Any) -> Feedback:
    """Feedback naming `mistake`, with its explanation and fix."""
    if mistake not in MISTAKES:
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
