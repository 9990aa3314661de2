"""Inputs of the hidden suite: each `seed` labels one input, and the grading session's seed (from the
instructor's secret and the submission's files) decides its values, so no two submissions share them."""

from __future__ import annotations

import torch

from autograder.judge import draws


def randn(*shape: int, seed: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    return draws.randn(*shape, label=seed, dtype=dtype)
