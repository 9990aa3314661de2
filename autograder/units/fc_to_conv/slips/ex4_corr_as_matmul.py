"""Slips of ex4_corr_as_matmul (placeholder until its checks are written)."""

from autograder.units.fc_to_conv.slips import Slip

SLIPS: tuple[Slip, ...] = ()
PROBES: dict[str, tuple[tuple[object, ...], ...]] = {}
