"""Public checks of ex5_hand_kernels: each kernel judged by its properties on a few fixed images,
polynomials and quadratics (the hidden suite draws its own)."""

from autograder.judge.marks import graded
from autograder.units.fc_to_conv.checks.ex5_hand_kernels import (
    BASIC_QUADRATICS,
    Polynomial,
    check_blur_kernel,
    check_derivative_kernel,
    check_edge_kernel,
    check_laplace_kernel,
    check_second_derivative_kernel,
)


@graded(2, "edge_kernel", "test.edge_kernel.axes")
def test_edge_axes(judge):
    for v in ((1.0, 0.0), (0.0, 1.0)):
        check_edge_kernel(judge, v)


@graded(1, "edge_kernel", "test.edge_kernel.diagonals")
def test_edge_diagonals(judge):
    check_edge_kernel(judge, (1.0, 1.0))


@graded(2, "edge_kernel", "test.edge_kernel.general")
def test_edge_general(judge):
    check_edge_kernel(judge, (1.0, 2.0))


@graded(3, "second_derivative_kernel", "test.second_derivative_kernel.square")
def test_second_derivative(judge):
    polynomials = [Polynomial((2.0,), 0.0), Polynomial((1.0, -3.0), 0.5), Polynomial((0.0, 0.0, 1.0), 0.0)]
    check_second_derivative_kernel(judge, polynomials)


@graded(4, "laplace_kernel", "test.laplace_kernel.examples")
def test_laplace(judge):
    check_laplace_kernel(judge, BASIC_QUADRATICS)


@graded(3, "blur_kernel", "test.blur_kernel.small")
def test_blur(judge):
    for size in (2, 3, 5):
        check_blur_kernel(judge, size)


@graded(2, "derivative_kernel", "test.derivative_kernel.first")
def test_derivative_first(judge):
    check_derivative_kernel(judge, 1, [Polynomial((1.0,), 0.0), Polynomial((0.0, 1.0), 0.0)])


@graded(3, "derivative_kernel", "test.derivative_kernel.second_third")
def test_derivative_higher(judge):
    for d in (2, 3):
        check_derivative_kernel(judge, d, [Polynomial((1.0,) * d, 0.5), Polynomial((0.0,) * d + (1.0,), 0.0)])
