"""Hidden suite, ex5_hand_kernels: 20 points (edge_kernel 5, second_derivative_kernel 3,
laplace_kernel 4, blur_kernel 3, derivative_kernel 5). Every kernel is judged by its properties on
images, polynomials and quadratics drawn for the submission, never against one accepted array."""

import torch

from autograder.judge import draws
from autograder.judge.marks import graded
from autograder.units.fc_to_conv.checks.ex5_hand_kernels import (
    BASIC_QUADRATICS,
    Polynomial,
    Quadratic,
    check_blur_kernel,
    check_derivative_kernel,
    check_edge_kernel,
    check_laplace_kernel,
    check_second_derivative_kernel,
)


def integers(label: int, low: int, high: int, count: int) -> list[int]:
    return [int(n) for n in torch.randint(low, high, (count,), generator=draws.generator(label))]


def polynomial(degree: int, label: int) -> Polynomial:
    """Random coefficients up to `degree`, sampled from a random offset."""
    values = draws.randn(degree + 2, label=label, dtype=torch.float64)
    return Polynomial(tuple(round(float(c), 3) for c in values[:-1]), round(float(values[-1]), 2))


def power(d: int, label: int) -> Polynomial:
    """x**d from a random offset."""
    offset = round(float(draws.randn(1, label=label, dtype=torch.float64)), 2)
    return Polynomial(tuple(1.0 if k == d else 0.0 for k in range(d + 1)), offset)


def direction(label: int) -> tuple[float, float]:
    """A direction that is neither an axis nor a diagonal."""
    v0, v1 = (round(float(x), 2) for x in draws.randn(2, label=label, dtype=torch.float64))
    if v0 == 0 or v1 == 0 or abs(v0) == abs(v1):
        return 1.0, 2.5
    return v0, v1


@graded(1, "edge_kernel", "test.edge_kernel.axes")
def test_edge_axes(judge):
    for v in ((1.0, 0.0), (0.0, 1.0)):
        check_edge_kernel(judge, v)


@graded(1, "edge_kernel", "test.edge_kernel.diagonals")
def test_edge_diagonals(judge):
    for v in ((1.0, 1.0), (1.0, -1.0)):
        check_edge_kernel(judge, v)


@graded(1, "edge_kernel", "test.edge_kernel.scaled")
def test_edge_scaled(judge):
    scale = 0.5 + integers(10, 1, 8, 1)[0] / 2
    for v in ((-scale, 0.0), (0.0, -2.0 * scale), (scale, scale), (-scale, scale)):
        check_edge_kernel(judge, v)


@graded(2, "edge_kernel", "test.edge_kernel.general")
def test_edge_general(judge):
    for v in ((1.0, 2.0), (-3.0, 1.0), direction(20), direction(21)):
        check_edge_kernel(judge, v)


@graded(1, "second_derivative_kernel", "test.second_derivative_kernel.linear")
def test_second_derivative_linear(judge):
    check_second_derivative_kernel(judge, [polynomial(0, 30), polynomial(1, 31)])


@graded(1, "second_derivative_kernel", "test.second_derivative_kernel.square")
def test_second_derivative_square(judge):
    check_second_derivative_kernel(judge, [Polynomial((0.0, 0.0, 1.0), 0.0), power(2, 32)])


@graded(1, "second_derivative_kernel", "test.second_derivative_kernel.random")
def test_second_derivative_random(judge):
    check_second_derivative_kernel(judge, [polynomial(2, 33), polynomial(2, 34)])


@graded(1, "laplace_kernel", "test.laplace_kernel.examples")
def test_laplace_examples(judge):
    check_laplace_kernel(judge, BASIC_QUADRATICS[:1])


@graded(1, "laplace_kernel", "test.laplace_kernel.zero")
def test_laplace_zero(judge):
    check_laplace_kernel(judge, BASIC_QUADRATICS[1:])


@graded(2, "laplace_kernel", "test.laplace_kernel.random")
def test_laplace_random(judge):
    quadratics = []
    for label in (40, 41):
        values = [round(float(c), 3) for c in draws.randn(8, label=label, dtype=torch.float64)]
        quadratics.append(
            Quadratic((values[0], values[1], values[2], values[3], values[4], values[5]), (values[6], values[7]))
        )
    check_laplace_kernel(judge, quadratics)


@graded(1, "blur_kernel", "test.blur_kernel.small")
def test_blur_small(judge):
    for size in (2, 3):
        check_blur_kernel(judge, size)


@graded(1, "blur_kernel", "test.blur_kernel.sizes")
def test_blur_sizes(judge):
    for size in (4, 5, 7):
        check_blur_kernel(judge, size)


@graded(1, "blur_kernel", "test.blur_kernel.random")
def test_blur_random(judge):
    for size in integers(50, 2, 12, 2):
        check_blur_kernel(judge, size)


@graded(1, "derivative_kernel", "test.derivative_kernel.first")
def test_derivative_first(judge):
    check_derivative_kernel(judge, 1, [Polynomial((1.0,), 0.0), Polynomial((0.0, 1.0), 0.0), power(1, 60)])


@graded(1, "derivative_kernel", "test.derivative_kernel.second_third")
def test_derivative_second_third(judge):
    for d in (2, 3):
        check_derivative_kernel(judge, d, [polynomial(d - 1, 61 + d), power(d, 63 + d)])


@graded(1, "derivative_kernel", "test.derivative_kernel.fourth_fifth")
def test_derivative_fourth_fifth(judge):
    for d in (4, 5):
        check_derivative_kernel(judge, d, [polynomial(d - 1, 70 + d), power(d, 72 + d)])


@graded(2, "derivative_kernel", "test.derivative_kernel.random")
def test_derivative_random(judge):
    for n, d in enumerate(integers(80, 1, 6, 2)):
        check_derivative_kernel(judge, d, [polynomial(d - 1, 81 + n), polynomial(d, 83 + n), power(d, 85 + n)])
