"""Hidden suite, corr1d (11 points) and corr3d (14 points); their GPU tests count only where the
instructor opts in."""

import torch

from autograder.judge.marks import graded, needs_cuda, on_meta
from autograder.units.convolutions.checks.correlation import check_correlation, check_portable
from autograder.units.convolutions.checks.rule import check_no_torch_conv
from autograder.units.convolutions.suites.hidden.inputs import randn


@graded(2, "corr1d", "test.corr1d.example")
def test_corr1d_example(judge):
    check_correlation(judge, "corr1d", torch.tensor([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), torch.tensor([1.0, 2.0]))


@graded(2, "corr1d", "test.corr1d.random_float32")
def test_corr1d_random_float32(judge):
    check_correlation(judge, "corr1d", randn(11, seed=40), randn(3, seed=41))


@graded(2, "corr1d", "test.corr1d.random_float64")
def test_corr1d_random_float64(judge):
    check_correlation(judge, "corr1d", randn(9, seed=42, dtype=torch.float64), randn(4, seed=43, dtype=torch.float64))


@graded(1, "corr1d", "test.corr1d.kernel_as_large_as_input")
def test_corr1d_kernel_as_large_as_input(judge):
    check_correlation(judge, "corr1d", randn(5, seed=44), randn(5, seed=45))
    check_correlation(judge, "corr1d", randn(5, seed=46), randn(1, seed=47))


@graded(2, "corr1d", "test.corr1d.gradients")
def test_corr1d_gradients(judge):
    check_correlation(
        judge, "corr1d", randn(8, seed=48, dtype=torch.float64), randn(3, seed=49, dtype=torch.float64), grads=True
    )


@on_meta
@graded(2, "corr1d", "test.corr1d.portable")
def test_corr1d_portable(judge):
    check_portable(judge, "corr1d", torch.ones(7), torch.ones(3))


@graded(0, "corr1d", "test.corr1d.no_torch_conv", gate=True)
def test_corr1d_no_torch_conv(judge):
    check_no_torch_conv(judge, "corr1d", randn(6, seed=50), randn(2, seed=51))


@graded(2, "corr3d", "test.corr3d.example")
def test_corr3d_example(judge):
    check_correlation(
        judge,
        "corr3d",
        torch.arange(27.0).reshape(3, 3, 3),
        torch.tensor([[[1.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, -1.0]]]),
    )


@graded(2, "corr3d", "test.corr3d.random_float32")
def test_corr3d_random_float32(judge):
    check_correlation(judge, "corr3d", randn(4, 5, 6, seed=52), randn(2, 3, 1, seed=53))


@graded(2, "corr3d", "test.corr3d.random_float64")
def test_corr3d_random_float64(judge):
    check_correlation(
        judge, "corr3d", randn(3, 4, 5, seed=54, dtype=torch.float64), randn(1, 2, 3, seed=55, dtype=torch.float64)
    )


@graded(1, "corr3d", "test.corr3d.kernel_as_large_as_input")
def test_corr3d_kernel_as_large_as_input(judge):
    check_correlation(judge, "corr3d", randn(2, 3, 4, seed=56), randn(2, 3, 4, seed=57))


@graded(1, "corr3d", "test.corr3d.one_wide_kernels")
def test_corr3d_one_wide_kernels(judge):
    check_correlation(judge, "corr3d", randn(3, 4, 4, seed=58), randn(1, 1, 3, seed=59))
    check_correlation(judge, "corr3d", randn(3, 4, 4, seed=60), randn(3, 1, 1, seed=61))


@graded(4, "corr3d", "test.corr3d.gradients")
def test_corr3d_gradients(judge):
    X, K = randn(3, 4, 4, seed=62, dtype=torch.float64), randn(2, 2, 3, seed=63, dtype=torch.float64)
    check_correlation(judge, "corr3d", X, K, grads=True)


@on_meta
@graded(2, "corr3d", "test.corr3d.portable")
def test_corr3d_portable(judge):
    check_portable(judge, "corr3d", torch.ones(3, 4, 5), torch.ones(2, 2, 3))


@graded(0, "corr3d", "test.corr3d.no_torch_conv", gate=True)
def test_corr3d_no_torch_conv(judge):
    check_no_torch_conv(judge, "corr3d", randn(3, 3, 3, seed=64), randn(2, 2, 2, seed=65))


@needs_cuda
@graded(1, "corr1d", "test.corr1d.cuda")
def test_corr1d_cuda(judge):
    check_correlation(judge, "corr1d", randn(9, seed=66), randn(3, seed=67), device="cuda", grads=True)


@needs_cuda
@graded(1, "corr3d", "test.corr3d.cuda")
def test_corr3d_cuda(judge):
    check_correlation(judge, "corr3d", randn(3, 4, 5, seed=68), randn(2, 2, 3, seed=69), device="cuda", grads=True)
