"""Slips of ex1_why_not_mlp: the usual ways a parameter count, or its memory, comes out wrong.

Each model is the number a student who made that mistake would give; the memory slips are the
right count with a wrong unit, and the count slips carried into the memory.
"""

from __future__ import annotations

from collections.abc import Callable

from autograder.units.fc_to_conv.slips import Slip

MLP, MEMORY, CONV = "mlp_parameters", "mlp_memory_gb", "conv_parameters"
Count = Callable[..., int]


def _mlp(height: int, width: int, hidden: int, channels: int = 1) -> int:
    return height * width * channels * hidden + hidden


def _mlp_without_bias(height: int, width: int, hidden: int, channels: int = 1) -> int:
    return height * width * channels * hidden


def _mlp_bias_per_input(height: int, width: int, hidden: int, channels: int = 1) -> int:
    return height * width * channels * hidden + height * width * channels


def _mlp_channels_ignored(height: int, width: int, hidden: int, channels: int = 1) -> int:
    return height * width * hidden + hidden


def _with_channels(height: int, width: int, hidden: int, channels: int = 1) -> bool:
    return channels != 1


def _inputs_not_hidden(height: int, width: int, hidden: int, channels: int = 1) -> bool:
    return height * width * channels != hidden


def _memory(count: Count, bytes_per_value: float, unit: float) -> Callable[..., float]:
    """The memory of `count` parameters, `bytes_per_value` each, in units of `unit` bytes."""
    return lambda *args: count(*args) * bytes_per_value / unit


def _conv_without_bias(kernel_size: int, in_channels: int = 1, out_channels: int = 1) -> int:
    return kernel_size * kernel_size * in_channels * out_channels


def _conv_kernel_not_squared(kernel_size: int, in_channels: int = 1, out_channels: int = 1) -> int:
    return kernel_size * in_channels * out_channels + out_channels


def _conv_in_channels_ignored(kernel_size: int, in_channels: int = 1, out_channels: int = 1) -> int:
    return kernel_size * kernel_size * out_channels + out_channels


GB, GIB = 1e9, 2.0**30

SLIPS: tuple[Slip, ...] = (
    Slip("mlp_bias_forgotten", MLP, _mlp_without_bias),
    Slip("mlp_bias_per_input", MLP, _mlp_bias_per_input, _inputs_not_hidden),
    Slip("mlp_channels_ignored", MLP, _mlp_channels_ignored, _with_channels),
    Slip("mlp_bias_forgotten", MEMORY, _memory(_mlp_without_bias, 4, GB)),
    Slip("mlp_bias_per_input", MEMORY, _memory(_mlp_bias_per_input, 4, GB), _inputs_not_hidden),
    Slip("mlp_channels_ignored", MEMORY, _memory(_mlp_channels_ignored, 4, GB), _with_channels),
    Slip("memory_in_bytes", MEMORY, _memory(_mlp, 4, 1)),
    Slip("memory_in_gib", MEMORY, _memory(_mlp, 4, GIB)),
    Slip("memory_in_bits", MEMORY, _memory(_mlp, 32, GB)),
    Slip("memory_float64", MEMORY, _memory(_mlp, 8, GB)),
    Slip("memory_count_not_bytes", MEMORY, _memory(_mlp, 1, GB)),
    Slip("conv_bias_forgotten", CONV, _conv_without_bias),
    Slip("conv_kernel_not_squared", CONV, _conv_kernel_not_squared, lambda k, *channels: k != 1),
    Slip("conv_in_channels_ignored", CONV, _conv_in_channels_ignored, lambda k, c_in=1, c_out=1: c_in != 1),
)
PROBES: dict[str, tuple[tuple[object, ...], ...]] = {
    MLP: ((7, 5, 3), (4, 9, 11, 3), (1, 1, 1), (2, 3, 5, 2)),
    MEMORY: ((7, 5, 3), (4, 9, 11, 3), (1, 1, 1), (2, 3, 5, 2)),
    CONV: ((2,), (5, 3, 7), (4, 2, 1), (1, 6, 4)),
}
