"""Deterministic inputs for the hidden suite: every run, every machine, the same tensors."""

from __future__ import annotations

import torch


def randn(*shape: int, seed: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator, dtype=torch.float64).to(dtype)
