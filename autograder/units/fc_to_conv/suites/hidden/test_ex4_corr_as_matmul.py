"""Hidden suite, ex4_corr_as_matmul: 15 points (correlation_matrix 9, correlation_input_grad 6); its GPU
tests count only where the instructor opts in."""

import torch

from autograder.judge import draws
from autograder.judge.marks import graded, needs_cuda, on_meta
from autograder.units.fc_to_conv.checks.ex2_fc_as_conv import check_portable
from autograder.units.fc_to_conv.checks.ex4_corr_as_matmul import check_input_grad, check_matrix

NON_SQUARE = ((2, 3), (3, 2), (1, 3), (3, 1), (2, 4), (4, 2))
WORKED_K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])


def drawn(label: int, dtype: torch.dtype = torch.float32) -> tuple[torch.Tensor, tuple[int, int]]:
    """A non-square kernel of drawn values and an input shape of its own drawn sizes."""
    g = draws.generator(label)
    k_h, k_w = NON_SQUARE[int(torch.randint(len(NON_SQUARE), (1,), generator=g))]
    n_h, n_w = k_h + int(torch.randint(1, 3, (1,), generator=g)), k_w + int(torch.randint(2, 4, (1,), generator=g))
    return draws.randn(k_h, k_w, label=label + 1000, dtype=dtype), (n_h, n_w)


def with_gradient(label: int, dtype: torch.dtype = torch.float32) -> tuple[torch.Tensor, tuple[int, int], torch.Tensor]:
    K, n = drawn(label, dtype)
    out = (n[0] - K.shape[0] + 1, n[1] - K.shape[1] + 1)
    return K, n, draws.randn(*out, label=label + 2000, dtype=dtype)


# ------------------------------------------------------------------ correlation_matrix (9)


@graded(2, "correlation_matrix", "test.correlation_matrix.worked_example")
def test_matrix_worked_example(judge):
    check_matrix(judge, WORKED_K, (3, 3))


@graded(2, "correlation_matrix", "test.correlation_matrix.random_float32")
def test_matrix_random_float32(judge):
    for label in (401, 402, 403):
        check_matrix(judge, *drawn(label))


@graded(1, "correlation_matrix", "test.correlation_matrix.random_float64")
def test_matrix_random_float64(judge):
    check_matrix(judge, *drawn(404, torch.float64))


@graded(1, "correlation_matrix", "test.correlation_matrix.kernel_shapes")
def test_matrix_kernel_shapes(judge):
    check_matrix(judge, draws.randn(2, 5, label=405), (2, 5))
    check_matrix(judge, draws.randn(3, 1, label=406), (5, 4))
    check_matrix(judge, draws.randn(1, 1, label=407), (3, 2))


@graded(2, "correlation_matrix", "test.correlation_matrix.gradients")
def test_matrix_gradients(judge):
    check_matrix(judge, *drawn(408, torch.float64), grads=True)
    check_matrix(judge, *drawn(409), grads=True)


@on_meta
@graded(1, "correlation_matrix", "test.correlation_matrix.portable")
def test_matrix_portable(judge):
    check_portable(judge, "correlation_matrix", (torch.ones(2, 3), (3, 5)), "K")


@needs_cuda
@graded(2, "correlation_matrix", "test.correlation_matrix.cuda")
def test_matrix_cuda(judge):
    check_matrix(judge, *drawn(410), device="cuda", grads=True)


# ------------------------------------------------------------------ correlation_input_grad (6)


@graded(2, "correlation_input_grad", "test.correlation_input_grad.worked_example")
def test_input_grad_worked_example(judge):
    check_input_grad(judge, WORKED_K, (3, 3), torch.tensor([[1.0, 2.0], [3.0, 4.0]]))


@graded(2, "correlation_input_grad", "test.correlation_input_grad.random_float32")
def test_input_grad_random_float32(judge):
    for label in (411, 412, 413):
        check_input_grad(judge, *with_gradient(label))


@graded(1, "correlation_input_grad", "test.correlation_input_grad.random_float64")
def test_input_grad_random_float64(judge):
    check_input_grad(judge, *with_gradient(414, torch.float64))
    K = draws.randn(3, 4, label=415, dtype=torch.float64)
    check_input_grad(judge, K, (3, 4), draws.randn(1, 1, label=416, dtype=torch.float64))


@on_meta
@graded(1, "correlation_input_grad", "test.correlation_input_grad.portable")
def test_input_grad_portable(judge):
    check_portable(judge, "correlation_input_grad", (torch.ones(2, 3), (3, 5), torch.ones(2, 3)), "K")


@needs_cuda
@graded(2, "correlation_input_grad", "test.correlation_input_grad.cuda")
def test_input_grad_cuda(judge):
    check_input_grad(judge, *with_gradient(417), device="cuda")
