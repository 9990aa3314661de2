"""The contract of the hand-designed kernels (ex5) as properties: many kernels are right, so a mutant
of these is judged by what its kernel does on images, never by equality with the reference's kernel.

Written from the contract, not from the grader's checks: each function says why an answer breaks
its exercise's contract, or None when it keeps it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F

SIDE = 9
"""The side of the test images: larger than any kernel the contract allows (5 x 5)."""


def _corr(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return F.conv2d(X.double()[None, None], K.double()[None, None])[0, 0]


def _kernel(answer: Any, most: int = 5) -> tuple[torch.Tensor | None, str | None]:
    """The answer as a finite 2-D float kernel of at most `most` x `most`, or why it is not one."""
    if not isinstance(answer, torch.Tensor):
        return None, f"returned {type(answer).__name__}"
    if answer.dim() != 2 or answer.shape[0] > most or answer.shape[1] > most or answer.numel() == 0:
        return None, f"shape {tuple(answer.shape)}"
    if not answer.is_floating_point() or answer.device.type != "cpu":
        return None, f"{answer.dtype} on {answer.device}"
    if not bool(torch.isfinite(answer).all()):
        return None, "not finite"
    return answer.detach(), None


def _grid() -> tuple[torch.Tensor, torch.Tensor]:
    rows = torch.arange(SIDE, dtype=torch.float64).reshape(-1, 1).expand(SIDE, SIDE)
    cols = torch.arange(SIDE, dtype=torch.float64).reshape(1, -1).expand(SIDE, SIDE)
    return rows, cols


def _near(value: torch.Tensor, constant: float, scale: float) -> bool:
    return bool(torch.allclose(value, torch.full_like(value, constant), rtol=0.0, atol=1e-4 * max(1.0, scale)))


def _lattice(v: tuple[float, float]) -> bool:
    """An axis or a diagonal direction: images constant along it exist beyond linear ramps."""
    a, b = float(v[0]), float(v[1])
    return a == 0 or b == 0 or abs(a) == abs(b)


def _constant_along(v: tuple[float, float], seed: int) -> torch.Tensor:
    """A random image constant along the lattice direction v."""
    rows, cols = _grid()
    a, b = (int(math.copysign(1, x)) if x else 0 for x in (float(v[0]), float(v[1])))
    # I(p) = g(b * row - a * col) is constant along (a, b).
    key = (b * rows - a * cols).long()
    values = torch.randn(4 * SIDE + 1, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    return values[key + 2 * SIDE]


def edge_kernel(answer: Any, v: tuple[float, float]) -> str | None:
    K, why = _kernel(answer)
    if K is None:
        return why
    rows, cols = _grid()
    a, b = float(v[0]), float(v[1])
    scale = float(K.abs().sum()) * SIDE * (abs(a) + abs(b))
    flat = [b * rows - a * cols + 3.0]
    if _lattice(v):
        flat.extend(_constant_along(v, seed) for seed in (1, 2))
    for image in flat:
        if not _near(_corr(image, K), 0.0, scale):
            return "not zero on an image constant along v"
    if bool((_corr(a * rows + b * cols, K).abs() < 1e-6).all()):
        return "zero on an image that changes along v"
    return None


def _polynomial_rows(power: int) -> torch.Tensor:
    _, cols = _grid()
    return cols**power


def second_derivative_kernel(answer: Any) -> str | None:
    K, why = _kernel(answer)
    if K is None:
        return why
    if K.shape[0] != 1:
        return f"shape {tuple(K.shape)}, not (1, m)"
    for power, value in ((0, 0.0), (1, 0.0), (2, 2.0)):
        if not _near(_corr(_polynomial_rows(power), K), value, SIDE**2):
            return f"not {value:g} on x**{power}"
    return None


def laplace_kernel(answer: Any) -> str | None:
    K, why = _kernel(answer)
    if K is None:
        return why
    if K.shape[0] != K.shape[1] or K.shape[0] % 2 == 0:
        return f"shape {tuple(K.shape)}, not square of odd size"
    x, y = _grid()
    cases = ((x * x + y * y, 4.0), (x * x, 2.0), (y * y, 2.0), (x * y, 0.0), (x, 0.0), (y, 0.0), (x * 0 + 1, 0.0))
    for image, value in cases:
        if not _near(_corr(image, K), value, SIDE**2):
            return f"not the constant Laplacian {value:g}"
    return None


def blur_kernel(answer: Any, size: int) -> str | None:
    if not isinstance(answer, torch.Tensor):
        return f"returned {type(answer).__name__}"
    if tuple(answer.shape) != (size, size) or answer.dtype != torch.float32 or answer.device.type != "cpu":
        return f"shape {tuple(answer.shape)}, {answer.dtype}"
    if bool((answer < 0).any()) or not math.isclose(float(answer.sum()), 1.0, abs_tol=1e-5):
        return "negative or not summing to 1"
    if float(answer.max()) >= 1.0 - 1e-6:
        return "one entry holds all the weight"
    return None


def derivative_kernel(answer: Any, d: int) -> str | None:
    K, why = _kernel(answer, most=64)
    if K is None:
        return why
    if tuple(K.shape) != (1, d + 1):
        return f"shape {tuple(K.shape)}, not (1, {d + 1})"
    for power in range(d + 1):
        image = _polynomial_rows(power) / SIDE**power
        value = math.factorial(d) / SIDE**d if power == d else 0.0
        if not bool(
            torch.allclose(_corr(image, K), torch.full((SIDE, SIDE - d), value, dtype=torch.float64), atol=1e-6)
        ):
            return f"wrong on x**{power}"
    return None


PROPERTIES: dict[str, Callable[..., str | None]] = {
    "edge_kernel": edge_kernel,
    "second_derivative_kernel": second_derivative_kernel,
    "laplace_kernel": laplace_kernel,
    "blur_kernel": blur_kernel,
    "derivative_kernel": derivative_kernel,
}
"""Exercise -> (answer, *arguments) -> why the answer breaks the contract, or None."""
