"""Public checks of ex3_strict_conv: the worked example, a random input, gradients, and symmetric kernels."""

import torch

from autograder.judge.marks import graded, needs_cuda
from autograder.units.fc_to_conv.checks.ex3_strict_conv import check_conv2d_strict, check_same_as_correlation

CONV = "conv2d_strict"
SAME = "same_as_correlation"
X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
A = torch.tensor([[1.0, 2.0, 0.0], [5.0, 3.0, 4.0], [6.0, 7.0, 8.0]])


@graded(3, CONV, "test.conv2d_strict.worked_example")
def test_worked_example(judge):
    check_conv2d_strict(judge, X, torch.tensor([[0.0, 1.0], [2.0, 3.0]]))


@graded(3, CONV, "test.conv2d_strict.random_float64")
def test_non_square(judge):
    check_conv2d_strict(judge, torch.arange(30.0, dtype=torch.float64).reshape(5, 6), A[:2].double())


@graded(4, CONV, "test.conv2d_strict.gradients")
def test_gradients(judge):
    check_conv2d_strict(judge, torch.arange(30.0, dtype=torch.float64).reshape(5, 6), A[:, :2].double(), grads=True)


@needs_cuda
@graded(1, CONV, "test.conv2d_strict.cuda")
def test_cuda(judge):
    check_conv2d_strict(judge, X, torch.tensor([[0.0, 1.0], [2.0, 3.0]]), device="cuda", grads=True)


@graded(2, SAME, "test.same_as_correlation.rotation_symmetric")
def test_rotation_symmetric(judge):
    check_same_as_correlation(judge, A + torch.flip(A, dims=(0, 1)))


@graded(1, SAME, "test.same_as_correlation.transpose_symmetric")
def test_transpose_symmetric(judge):
    check_same_as_correlation(judge, A + A.T)


@graded(1, SAME, "test.same_as_correlation.one_axis_symmetric")
def test_one_axis_symmetric(judge):
    check_same_as_correlation(judge, A + torch.flip(A, dims=(1,)))


@graded(1, SAME, "test.same_as_correlation.random")
def test_random(judge):
    check_same_as_correlation(judge, A)
