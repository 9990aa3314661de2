"""Hidden suite, ex3_strict_conv: 15 points (conv2d_strict 10, same_as_correlation 5); the GPU test
counts only where the instructor opts in."""

import torch

from autograder.judge import draws
from autograder.judge.marks import graded, needs_cuda
from autograder.units.fc_to_conv.checks.ex3_strict_conv import check_conv2d_strict, check_same_as_correlation

CONV = "conv2d_strict"
SAME = "same_as_correlation"


def shapes(label: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """An input and a non-square kernel of random sizes, the kernel fitting in the input."""
    rows, cols = (int(s) for s in torch.randint(2, 5, (2,), generator=draws.generator(label)))
    if rows == cols:
        cols += 1
    more = torch.randint(1, 5, (2,), generator=draws.generator(label + 1))
    return (rows + int(more[0]), cols + int(more[1])), (rows, cols)


def pair(label: int, dtype: torch.dtype = torch.float32) -> tuple[torch.Tensor, torch.Tensor]:
    n, k = shapes(label)
    return draws.randn(*n, label=label + 2, dtype=dtype), draws.randn(*k, label=label + 3, dtype=dtype)


@graded(2, CONV, "test.conv2d_strict.worked_example")
def test_worked_example(judge):
    X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    check_conv2d_strict(judge, X, torch.tensor([[0.0, 1.0], [2.0, 3.0]]))


@graded(2, CONV, "test.conv2d_strict.random_float32")
def test_random_float32(judge):
    for label in (10, 20, 30):
        check_conv2d_strict(judge, *pair(label))


@graded(2, CONV, "test.conv2d_strict.random_float64")
def test_random_float64(judge):
    for label in (40, 50):
        check_conv2d_strict(judge, *pair(label, torch.float64))


@graded(1, CONV, "test.conv2d_strict.one_wide_kernels")
def test_one_wide_kernels(judge):
    X = draws.randn(5, 6, label=60)
    for K in (draws.randn(1, 3, label=61), draws.randn(3, 1, label=62), draws.randn(5, 6, label=63)):
        check_conv2d_strict(judge, X, K)


@graded(3, CONV, "test.conv2d_strict.gradients")
def test_gradients_float64(judge):
    check_conv2d_strict(judge, *pair(70, torch.float64), grads=True)


@needs_cuda
@graded(1, CONV, "test.conv2d_strict.cuda")
def test_cuda(judge):
    check_conv2d_strict(judge, *pair(80), device="cuda", grads=True)


def square(label: int) -> torch.Tensor:
    side = int(torch.randint(2, 5, (1,), generator=draws.generator(label)))
    return draws.randn(side, side, label=label + 1)


@graded(2, SAME, "test.same_as_correlation.rotation_symmetric")
def test_rotation_symmetric(judge):
    A, B = square(100), draws.randn(2, 3, label=102)
    for K in (A + torch.flip(A, dims=(0, 1)), B + torch.flip(B, dims=(0, 1)), torch.ones(1, 4)):
        check_same_as_correlation(judge, K)


@graded(1, SAME, "test.same_as_correlation.transpose_symmetric")
def test_transpose_symmetric(judge):
    A = square(110)
    check_same_as_correlation(judge, A + A.T)


@graded(1, SAME, "test.same_as_correlation.one_axis_symmetric")
def test_one_axis_symmetric(judge):
    A, B = square(120), draws.randn(3, 2, label=122)
    check_same_as_correlation(judge, A + torch.flip(A, dims=(0,)))
    check_same_as_correlation(judge, B + torch.flip(B, dims=(1,)))


@graded(1, SAME, "test.same_as_correlation.random")
def test_random(judge):
    for label in (130, 140):
        _, k = shapes(label)
        check_same_as_correlation(judge, draws.randn(*k, label=label + 2))
