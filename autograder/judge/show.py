"""Turning tensors and values into what feedback shows: short shapes, small arrays, descriptions."""

from __future__ import annotations

from typing import Any

import torch

from autograder.feedback import Comparison, Shown
from autograder.i18n import Message, msg
from autograder.sandbox.wire import OtherValue, TensorValue

MAX_SHOWN = 64
"""Arrays with more elements are summarised, not printed."""


def shape_text(shape: tuple[int, ...] | torch.Size) -> str:
    dims = tuple(shape)
    return "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


def dtype_text(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def device_text(device: str | torch.device) -> str:
    return str(device)


def describe(value: Any) -> Message:
    """A phrase for what came back: 'a float32 tensor of shape (5, 7) on cpu', 'None', ..."""
    if isinstance(value, TensorValue):
        return msg("value.tensor", shape=shape_text(value.shape), dtype=dtype_text(value.dtype), device=value.device)
    if isinstance(value, OtherValue):
        if not value.detail:
            return msg("value.other_bare", type=value.type_name)
        return msg("value.other", type=value.type_name, detail=value.detail)
    if value is None:
        return msg("value.none")
    if isinstance(value, (tuple, list)):
        return msg("value.sequence", type=type(value).__name__, count=len(value))
    return msg("value.other", type=type(value).__name__, detail=repr(value)[:60])


def tensor_phrase(name: str, tensor: torch.Tensor) -> str:
    return f"{name} {shape_text(tensor.shape)} {dtype_text(tensor.dtype)}"


def _values(tensor: torch.Tensor | None) -> Any:
    if tensor is None or tensor.numel() > MAX_SHOWN:
        return None
    data = tensor.detach().cpu()
    if data.is_floating_point():
        data = data.double()
        return [_round(v) for v in data.tolist()] if data.dim() == 1 else _round(data.tolist())
    return data.tolist()


def _round(value: Any) -> Any:
    if isinstance(value, list):
        return [_round(v) for v in value]
    if isinstance(value, float):
        return value if value != value or value in (float("inf"), float("-inf")) else round(value, 6)
    return value


def shown(name: str, value: torch.Tensor | TensorValue | None) -> Shown:
    if isinstance(value, TensorValue):
        return Shown(name, _values(value.data), value.shape, dtype_text(value.dtype), value.device)
    if value is None:
        return Shown(name)
    return Shown(name, _values(value), tuple(value.shape), dtype_text(value.dtype), str(value.device))


def first_differences(
    expected: torch.Tensor, got: torch.Tensor, close: torch.Tensor, limit: int = 5
) -> tuple[tuple[tuple[int, ...], float, float], ...]:
    positions = (~close).nonzero().tolist()[:limit]
    return tuple((tuple(p), float(expected[tuple(p)]), float(got[tuple(p)])) for p in positions)


def comparison(
    inputs: dict[str, torch.Tensor], expected: torch.Tensor, got: TensorValue, close: torch.Tensor | None = None
) -> Comparison:
    differences: tuple[tuple[tuple[int, ...], float, float], ...] = ()
    if close is not None and got.data is not None:
        differences = first_differences(expected, got.data.double(), close)
    return Comparison(
        inputs=tuple(shown(name, tensor) for name, tensor in inputs.items()),
        expected=shown("expected", expected),
        got=shown("got", got),
        first_differences=differences,
    )
