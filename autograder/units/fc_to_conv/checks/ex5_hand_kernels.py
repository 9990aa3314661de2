"""Checks of ex5: kernels designed by hand, judged by what they do, never against one accepted array.

Each property is computed judge-side in float64 from the returned kernel: its cross-correlation with
images that are constant or change along a direction, with sampled polynomials, with quadratics.
A `*_problem` function returns the first property that fails, as a message with the numbers, or
None; the slips of ex5 ask the same functions about a direction or an order the student mixed up.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn

import torch
import torch.nn.functional as F

from autograder.i18n import Message, msg
from autograder.judge.checks.common import UnderTest, expect_tensor
from autograder.judge.mistakes import fail_with, failure
from autograder.judge.show import dtype_text, shape_text
from autograder.sandbox.wire import TensorValue
from autograder.units.fc_to_conv.checks.answers import ask, context, shown
from autograder.units.fc_to_conv.checks.evidence import shown_throughout
from autograder.units.fc_to_conv.slips import matching

KEY = "fc_to_conv.check.ex5_hand_kernels."
EDGE_LIMIT = 5
"""The largest side an edge or Laplace kernel may have."""
SIDE = 10
"""The side of the images an edge kernel is tried on: larger than the kernel, so each edge is seen whole."""


def convolve(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """corr2d(X, K) in float64 (judge-side)."""
    return F.conv2d(X.double()[None, None], K.double()[None, None])[0, 0]


def rtol_of(dtype: torch.dtype) -> float:
    """How far a right kernel's response may be from exact, relative to sum|K| * max|X|: its entries
    are rounded to their dtype (1/12 is not a float32)."""
    return 1e-12 if dtype == torch.float64 else 1e-6


def slack(K: torch.Tensor, X: torch.Tensor, rtol: float) -> float:
    return rtol * float(K.abs().sum()) * max(1.0, float(X.abs().max())) + 1e-12


def number(value: float) -> str:
    return f"{value:.6g}"


def values_text(R: torch.Tensor, limit: int = 6) -> str:
    """The first few entries of a response, for a message."""
    flat = [number(float(v)) for v in R.reshape(-1)[:limit]]
    return "[" + ", ".join(flat) + (", ...]" if R.numel() > limit else "]")


# -- edges


def linear_text(a: float, b: float) -> str:
    """a·i + b·j as one writes it: '2·i - j', '-0.5·j'."""
    terms = [(c, name) for c, name in ((a, "i"), (b, "j")) if c != 0]
    text = ""
    for n, (c, name) in enumerate(terms):
        size = "" if abs(c) == 1 else f"{number(abs(c))}·"
        sign = ("-" if c < 0 else "") if n == 0 else (" - " if c < 0 else " + ")
        text += f"{sign}{size}{name}"
    return text or "0"


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def lattice(v: Sequence[float]) -> tuple[int, int] | None:
    """The smallest integer step along v when v is an axis or a diagonal, else None."""
    v0, v1 = float(v[0]), float(v[1])
    if v0 == 0 or v1 == 0 or abs(v0) == abs(v1):
        return _sign(v0), _sign(v1)
    return None


def lines_image(p: int, q: int, seed: int = 7) -> torch.Tensor:
    """X[i, j] = f(q*i - p*j) for random values f: constant along the lattice direction (p, q)."""
    f = torch.randn(4 * SIDE, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    i, j = torch.meshgrid(torch.arange(SIDE), torch.arange(SIDE), indexing="ij")
    return f[q * i - p * j + 2 * SIDE]


def grid() -> tuple[torch.Tensor, torch.Tensor]:
    i, j = torch.meshgrid(
        torch.arange(SIDE, dtype=torch.float64), torch.arange(SIDE, dtype=torch.float64), indexing="ij"
    )
    return i, j


def edge_problem(name: str, K: torch.Tensor, v: Sequence[float], rtol: float = 1e-6) -> Message | None:
    """The first edge property `K` fails for direction v: zero on images constant along v, not zero
    on a step across v. None when it has them all."""
    v0, v1 = float(v[0]), float(v[1])
    shown_v = f"({number(v0)}, {number(v1)})"
    if K.dim() != 2 or max(K.shape) > EDGE_LIMIT:
        return msg(KEY + "edge_too_large", name=name, shape=shape_text(K.shape), limit=EDGE_LIMIT)
    i, j = grid()
    ramp = v1 * i - v0 * j
    R = convolve(ramp, K)
    if float(R.abs().max()) > slack(K, ramp, rtol):
        worst = number(float(R.abs().max()))
        return msg(KEY + "edge_ramp", name=name, v=shown_v, ramp=linear_text(v1, -v0), worst=worst)
    step = lattice(v)
    if step is not None:
        X = lines_image(*step)
        R = convolve(X, K)
        if float(R.abs().max()) > slack(K, X, rtol):
            worst = number(float(R.abs().max()))
            return msg(KEY + "edge_lines", name=name, v=shown_v, line=linear_text(step[1], -step[0]), worst=worst)
    middle = (v0 + v1) * (SIDE - 1) / 2
    X = ((v0 * i + v1 * j) >= middle).double()
    R = convolve(X, K)
    if float(R.abs().max()) <= 1e-3 * float(K.abs().sum()) + 1e-12:
        return msg(KEY + "edge_step", name=name, v=shown_v, line=linear_text(v0, v1), c=number(middle))
    return None


# -- derivatives along the columns


@dataclass(frozen=True)
class Polynomial:
    """p(x) = sum of coefficients[k] * x**k, sampled at x = j + offset for column j."""

    coefficients: tuple[float, ...]
    offset: float

    def text(self) -> str:
        terms = [
            f"{number(c)}" + ("" if k == 0 else "·x" if k == 1 else f"·x**{k}")
            for k, c in enumerate(self.coefficients)
            if c != 0
        ]
        return " + ".join(terms) or "0"

    def image(self, width: int) -> torch.Tensor:
        x = torch.arange(width, dtype=torch.float64) + self.offset
        row = sum((c * x**k for k, c in enumerate(self.coefficients)), torch.zeros(width, dtype=torch.float64))
        return row.expand(2, width)

    def derivative(self, d: int) -> float:
        """The d-th derivative, a constant for degree at most d."""
        return self.coefficients[d] * math.factorial(d) if d < len(self.coefficients) else 0.0


def monomials(d: int) -> list[Polynomial]:
    """1, x, ..., x**d at a fixed offset: what the slips' predicates ask about."""
    return [Polynomial(tuple(1.0 if k == n else 0.0 for k in range(n + 1)), -1.5) for n in range(d + 1)]


def derivative_problem(
    name: str, K: torch.Tensor, d: int, polynomials: Sequence[Polynomial], rtol: float = 1e-6
) -> Message | None:
    """The first polynomial on which `K` is not the d-th derivative along the columns, or None."""
    if K.dim() != 2 or K.shape[0] != 1:
        return msg(KEY + "not_one_row", name=name, shape=shape_text(K.shape))
    for p in polynomials:
        X = p.image(K.shape[1] + 4)
        R = convolve(X, K)[0]
        expected = p.derivative(d)
        if float((R - expected).abs().max()) > slack(K, X, rtol):
            return msg(
                KEY + "derivative_wrong",
                name=name,
                d=d,
                poly=p.text(),
                offset=number(p.offset),
                got=values_text(R),
                expected=number(expected),
            )
    return None


# -- the Laplacian


@dataclass(frozen=True)
class Quadratic:
    """p(x, y) = a·x² + b·y² + c·xy + d·x + e·y + f at x = i + offset[0], y = j + offset[1]."""

    coefficients: tuple[float, float, float, float, float, float]
    offset: tuple[float, float] = (0.0, 0.0)

    def text(self) -> str:
        names = ("x**2", "y**2", "x·y", "x", "y", "")
        terms = [
            f"{number(c)}·{n}" if n else number(c) for c, n in zip(self.coefficients, names, strict=True) if c != 0
        ]
        return " + ".join(terms) or "0"

    def image(self, side: int) -> torch.Tensor:
        i, j = torch.meshgrid(
            torch.arange(side, dtype=torch.float64), torch.arange(side, dtype=torch.float64), indexing="ij"
        )
        x, y = i + self.offset[0], j + self.offset[1]
        a, b, c, d, e, f = self.coefficients
        return a * x**2 + b * y**2 + c * x * y + d * x + e * y + f

    def laplacian(self) -> float:
        return 2 * self.coefficients[0] + 2 * self.coefficients[1]


BASIC_QUADRATICS = (
    Quadratic((1.0, 1.0, 0.0, 0.0, 0.0, 0.0)),
    Quadratic((0.0, 0.0, 1.0, 0.0, 0.0, 0.0)),
    Quadratic((0.0, 0.0, 0.0, 1.0, -2.0, 3.0)),
)
"""x² + y² (Laplacian 4), xy and a linear function (both 0): the examples of the docstring."""


def laplace_shape_problem(name: str, K: torch.Tensor) -> Message | None:
    square = K.dim() == 2 and K.shape[0] == K.shape[1] and K.shape[0] % 2 == 1 and K.shape[0] <= EDGE_LIMIT
    return None if square else msg(KEY + "laplace_shape", name=name, shape=shape_text(K.shape))


def laplace_problem(name: str, K: torch.Tensor, quadratics: Sequence[Quadratic], rtol: float = 1e-6) -> Message | None:
    """The first quadratic whose Laplacian `K` does not give, or None."""
    if K.dim() != 2:
        return msg(KEY + "laplace_shape", name=name, shape=shape_text(K.shape))
    for p in quadratics:
        X = p.image(max(K.shape) + 3)
        R = convolve(X, K)
        if float((R - p.laplacian()).abs().max()) > slack(K, X, rtol):
            return msg(
                KEY + "laplace_wrong",
                name=name,
                poly=p.text(),
                got=values_text(R),
                expected=number(p.laplacian()),
            )
    return None


def second_derivatives(K: torch.Tensor) -> tuple[float, float] | None:
    """(response on x², response on y²) when K gives constants on them and 0 on xy and linear
    functions; None otherwise."""
    zero = (BASIC_QUADRATICS[1], BASIC_QUADRATICS[2])
    if K.dim() != 2 or laplace_problem("", K, zero) is not None:
        return None
    found = []
    for p in (Quadratic((1.0, 0.0, 0.0, 0.0, 0.0, 0.0)), Quadratic((0.0, 1.0, 0.0, 0.0, 0.0, 0.0))):
        R = convolve(p.image(max(K.shape) + 3), K)
        if float((R - R.reshape(-1)[0]).abs().max()) > 1e-6 * float(K.abs().sum()) * 100:
            return None
        found.append(float(R.reshape(-1)[0]))
    return found[0], found[1]


# -- blur


def blur_problem(name: str, K: torch.Tensor) -> Message | None:
    """Non-negative, summing to 1, and spread: no entry holds all the weight."""
    low = float(K.min())
    if low < 0:
        return msg(KEY + "blur_negative", name=name, low=number(low))
    total = float(K.sum())
    if abs(total - 1) > 1e-5:
        return msg(KEY + "blur_sum", name=name, total=number(total))
    if float(K.max()) >= 1 - 1e-5:
        return msg(KEY + "blur_not_spread", name=name, high=number(float(K.max())))
    return None


# -- the reference kernels (the solutions'), for a slip's evidence: a slip is named only where the
# right answer does not show it


def reference_edge(v: Sequence[float]) -> torch.Tensor:
    d_row = torch.tensor([[0.0, -0.5, 0.0], [0.0, 0.0, 0.0], [0.0, 0.5, 0.0]])
    return float(v[0]) * d_row + float(v[1]) * d_row.T


def reference_laplace() -> torch.Tensor:
    return torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def reference_blur(size: int) -> torch.Tensor:
    return torch.full((size, size), 1.0 / (size * size))


def reference_derivative(d: int) -> torch.Tensor:
    return torch.tensor([[(-1.0) ** (d - a) * math.comb(d, a) for a in range(d + 1)]])


# -- what the tests call


def kernel(judge: UnderTest, exercise: str, *args: object) -> tuple[TensorValue, torch.Tensor, Message]:
    """The student's kernel for `args`, as it came back and in float64, with the call's context; a
    value that is no finite 2-D tensor fails here."""
    ctx = context(exercise, args)
    got = expect_tensor(ask(judge, exercise, *args).value, exercise, ctx)
    if got.data is None or got.data.is_complex() or len(got.shape) != 2 or got.data.numel() == 0:
        raise failure(msg(KEY + "not_2d", name=exercise, shape=shape_text(got.shape)), ctx)
    K = got.data.double()
    if not bool(torch.isfinite(K).all()):
        raise failure(msg(KEY + "not_finite", name=exercise, kernel=shown(got)), ctx)
    return got, K, ctx


BATTERIES: dict[str, tuple[tuple[object, ...], ...]] = {
    "edge_kernel": (((1.0, 2.0),), ((-3.0, 1.0),)),
    "derivative_kernel": ((5,),),
}
"""Arguments on which a mistake shows apart from others that fit one answer alone. On an axis, an
edge kernel for the orthogonal direction and one for the swapped components are the same kernel;
a kernel that ignores d is one order off for d = 1 and 3, but not for 5."""
REFERENCES: dict[str, Callable[..., torch.Tensor]] = {
    "edge_kernel": reference_edge,
    "second_derivative_kernel": lambda: reference_derivative(2),
    "laplace_kernel": reference_laplace,
    "blur_kernel": reference_blur,
    "derivative_kernel": reference_derivative,
}


def fail_on(
    judge: UnderTest, exercise: str, args: Sequence[object], got: TensorValue, problem: Message, ctx: Message
) -> NoReturn:
    """Fail the test on `problem`, naming a slip where the kernel shows one (where the exercise has a
    battery, only a slip that the student's kernels for the battery's arguments show too)."""
    reference = REFERENCES[exercise]
    right = reference(*args)
    if exercise in BATTERIES:
        mistake = shown_throughout(judge, exercise, args, got, reference, BATTERIES[exercise])
    else:
        slip = matching(exercise, args, got, right)
        mistake = slip.mistake if slip else None
    if mistake is not None:
        params = {"name": exercise, "got": shown(got), "expected": shown(right)}
        raise fail_with(mistake, params, details=(problem, ctx))
    raise failure(problem, ctx, msg(KEY + "your_kernel", kernel=shown(got)))


def check_edge_kernel(judge: UnderTest, v: tuple[float, float]) -> None:
    got, K, ctx = kernel(judge, "edge_kernel", v)
    problem = edge_problem("edge_kernel", K, v, rtol_of(got.dtype))
    if problem is not None:
        fail_on(judge, "edge_kernel", (v,), got, problem, ctx)


def check_second_derivative_kernel(judge: UnderTest, polynomials: Sequence[Polynomial]) -> None:
    name = "second_derivative_kernel"
    got, K, ctx = kernel(judge, name)
    problem = derivative_problem(name, K, 2, polynomials, rtol_of(got.dtype))
    if problem is not None:
        fail_on(judge, name, (), got, problem, ctx)


def check_derivative_kernel(judge: UnderTest, d: int, polynomials: Sequence[Polynomial]) -> None:
    name = "derivative_kernel"
    got, K, ctx = kernel(judge, name, d)
    right = reference_derivative(d)
    problem: Message | None
    if got.shape != tuple(right.shape):
        problem = msg("check.shape_wrong", name=name, expected=shape_text(right.shape), got=shape_text(got.shape))
    else:
        problem = derivative_problem(name, K, d, polynomials, rtol_of(got.dtype))
    if problem is not None:
        fail_on(judge, name, (d,), got, problem, ctx)


def check_laplace_kernel(judge: UnderTest, quadratics: Sequence[Quadratic]) -> None:
    name = "laplace_kernel"
    got, K, ctx = kernel(judge, name)
    problem = laplace_shape_problem(name, K) or laplace_problem(name, K, quadratics, rtol_of(got.dtype))
    if problem is not None:
        fail_on(judge, name, (), got, problem, ctx)


def check_blur_kernel(judge: UnderTest, size: int) -> None:
    name = "blur_kernel"
    got, K, ctx = kernel(judge, name, size)
    right = reference_blur(size)
    if got.shape != (size, size):
        wrong = msg("check.shape_wrong", name=name, expected=shape_text(right.shape), got=shape_text(got.shape))
        fail_on(judge, name, (size,), got, wrong, ctx)
    if got.dtype != torch.float32:
        raise failure(msg(KEY + "blur_dtype", name=name, got=dtype_text(got.dtype)), ctx)
    problem = blur_problem(name, K)
    if problem is not None:
        fail_on(judge, name, (size,), got, problem, ctx)
