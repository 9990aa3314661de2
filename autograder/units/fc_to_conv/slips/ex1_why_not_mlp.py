"""Slips of ex1_why_not_mlp (placeholder until its checks are written)."""

from autograder.units.fc_to_conv.slips import Slip

SLIPS: tuple[Slip, ...] = ()
PROBES: dict[str, tuple[tuple[object, ...], ...]] = {}
