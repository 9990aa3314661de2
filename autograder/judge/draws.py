"""Random inputs of the hidden suite, drawn under the grading session's seed.

A test names each input by a label (`randn(5, 7, label=1)`); the tensor depends on the label and on
the session's seed, so two submissions see different values while one submission always sees the
same ones. Without a session seed (the public suite, the kit's own tests) the label alone decides.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator

import torch

_session_seed: int | None = None


@contextlib.contextmanager
def seeded(seed: int | None) -> Iterator[None]:
    """Draw every input inside this block under `seed` (None: the labels alone)."""
    global _session_seed
    previous, _session_seed = _session_seed, seed
    try:
        yield
    finally:
        _session_seed = previous


def generator(label: int) -> torch.Generator:
    if _session_seed is None:
        return torch.Generator().manual_seed(label)
    mixed = hashlib.sha256(f"{_session_seed}:{label}".encode()).digest()
    return torch.Generator().manual_seed(int.from_bytes(mixed[:8], "big") >> 1)


def randn(*shape: int, label: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Standard normal values, drawn in float64 and then cast, so both dtypes share their values."""
    return torch.randn(*shape, generator=generator(label), dtype=torch.float64).to(dtype)
