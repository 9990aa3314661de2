"""Public checks of ex4_corr_as_matmul: the worked example, a non-square kernel, and the gradient."""

import torch

from autograder.judge.marks import graded, needs_cuda
from autograder.units.fc_to_conv.checks.ex4_corr_as_matmul import check_input_grad, check_matrix

K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
WIDE = torch.tensor([[1.0, -1.0, 2.0], [0.5, 3.0, -2.0]])


@graded(3, "correlation_matrix", "test.correlation_matrix.worked_example")
def test_matrix_worked_example(judge):
    check_matrix(judge, K, (3, 3))


@graded(2, "correlation_matrix", "test.correlation_matrix.random_float64")
def test_matrix_non_square(judge):
    check_matrix(judge, WIDE.double(), (3, 5))


@graded(2, "correlation_matrix", "test.correlation_matrix.gradients")
def test_matrix_gradients(judge):
    check_matrix(judge, WIDE.double(), (4, 4), grads=True)


@needs_cuda
@graded(1, "correlation_matrix", "test.correlation_matrix.cuda")
def test_matrix_cuda(judge):
    check_matrix(judge, WIDE, (3, 5), device="cuda", grads=True)


@graded(3, "correlation_input_grad", "test.correlation_input_grad.worked_example")
def test_input_grad_worked_example(judge):
    check_input_grad(judge, K, (3, 3), torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    check_input_grad(judge, WIDE.double(), (3, 5), torch.arange(1.0, 7.0, dtype=torch.float64).reshape(2, 3))
