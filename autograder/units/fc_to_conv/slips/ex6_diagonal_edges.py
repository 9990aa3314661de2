"""Slips of ex6_diagonal_edges (placeholder until its checks are written)."""

from autograder.units.fc_to_conv.slips import Slip

SLIPS: tuple[Slip, ...] = ()
PROBES: dict[str, tuple[tuple[object, ...], ...]] = {}
