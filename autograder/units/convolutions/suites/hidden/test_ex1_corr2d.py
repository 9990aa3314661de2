"""Hidden suite, corr2d: 33 points; its GPU test counts only where the instructor opts in."""

import torch

from autograder.judge.marks import graded, needs_cuda, on_meta
from autograder.units.convolutions.checks.correlation import check_correlation, check_portable
from autograder.units.convolutions.checks.rule import check_no_torch_conv
from autograder.units.convolutions.references import edge_image
from autograder.units.convolutions.suites.hidden.inputs import randn

EXERCISE = "corr2d"


@graded(3, EXERCISE, "test.corr2d.worked_example")
def test_worked_example(judge):
    X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    check_correlation(judge, EXERCISE, X, torch.tensor([[0.0, 1.0], [2.0, 3.0]]))


@graded(3, EXERCISE, "test.corr2d.edges")
def test_edges(judge):
    X, _ = edge_image()
    check_correlation(judge, EXERCISE, X, torch.tensor([[1.0, -1.0]]))
    check_correlation(judge, EXERCISE, X.T.contiguous(), torch.tensor([[1.0], [-1.0]]))


@graded(5, EXERCISE, "test.corr2d.random_float32")
def test_random_float32(judge):
    for n, k, seed in (((5, 7), (2, 3), 1), ((8, 6), (3, 2), 2), ((6, 6), (4, 2), 3)):
        check_correlation(judge, EXERCISE, randn(*n, seed=seed), randn(*k, seed=seed + 100))


@graded(4, EXERCISE, "test.corr2d.random_float64")
def test_random_float64(judge):
    X, K = randn(7, 9, seed=4, dtype=torch.float64), randn(3, 2, seed=5, dtype=torch.float64)
    check_correlation(judge, EXERCISE, X, K)


@graded(2, EXERCISE, "test.corr2d.kernel_as_large_as_input")
def test_kernel_as_large_as_input(judge):
    check_correlation(judge, EXERCISE, randn(3, 4, seed=6), randn(3, 4, seed=7))


@graded(2, EXERCISE, "test.corr2d.one_wide_kernels")
def test_one_wide_kernels(judge):
    X = randn(4, 5, seed=8)
    for K in (randn(1, 3, seed=9), randn(3, 1, seed=10), randn(1, 1, seed=11)):
        check_correlation(judge, EXERCISE, X, K)


@graded(6, EXERCISE, "test.corr2d.gradients")
def test_gradients_float64(judge):
    X, K = randn(5, 6, seed=12, dtype=torch.float64), randn(2, 3, seed=13, dtype=torch.float64)
    check_correlation(judge, EXERCISE, X, K, grads=True)


@graded(2, EXERCISE, "test.corr2d.gradients_float32")
def test_gradients_float32(judge):
    check_correlation(judge, EXERCISE, randn(4, 4, seed=14), randn(3, 1, seed=15), grads=True)


@on_meta
@graded(3, EXERCISE, "test.corr2d.portable")
def test_portable(judge):
    check_portable(judge, EXERCISE, torch.ones(5, 6), torch.ones(2, 3))


@graded(3, EXERCISE, "test.corr2d.moderate_size")
def test_moderate_size(judge):
    check_correlation(judge, EXERCISE, randn(32, 32, seed=16), randn(3, 3, seed=17))


@graded(0, EXERCISE, "test.corr2d.no_torch_conv", gate=True)
def test_no_torch_conv(judge):
    check_no_torch_conv(judge, EXERCISE, randn(4, 5, seed=18), randn(2, 2, seed=19))


@needs_cuda
@graded(2, EXERCISE, "test.corr2d.cuda")
def test_cuda(judge):
    check_correlation(judge, EXERCISE, randn(6, 7, seed=20), randn(2, 3, seed=21), device="cuda", grads=True)
