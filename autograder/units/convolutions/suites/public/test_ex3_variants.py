"""Public checks of corr1d and corr3d."""

import torch

from autograder.judge.marks import graded, needs_cuda
from autograder.units.convolutions.checks.correlation import check_correlation
from autograder.units.convolutions.checks.rule import check_no_torch_conv


@graded(15, "corr1d", "test.corr1d.example")
def test_corr1d_example(judge):
    check_correlation(judge, "corr1d", torch.tensor([0.0, 1.0, 2.0, 3.0, 4.0]), torch.tensor([1.0, 2.0]))


@graded(15, "corr3d", "test.corr3d.example")
def test_corr3d_example(judge):
    check_correlation(judge, "corr3d", torch.arange(27.0).reshape(3, 3, 3), torch.ones(2, 2, 2))


@graded(0, "corr1d", "test.corr1d.no_torch_conv", gate=True)
def test_corr1d_no_torch_conv(judge):
    check_no_torch_conv(judge, "corr1d", torch.arange(6.0), torch.tensor([1.0, 2.0]))


@graded(0, "corr3d", "test.corr3d.no_torch_conv", gate=True)
def test_corr3d_no_torch_conv(judge):
    check_no_torch_conv(judge, "corr3d", torch.arange(27.0).reshape(3, 3, 3), torch.ones(2, 2, 2))


@needs_cuda
@graded(2, "corr1d", "test.corr1d.cuda")
def test_corr1d_on_the_gpu(judge):
    check_correlation(judge, "corr1d", torch.tensor([0.0, 1.0, 2.0, 3.0, 4.0]), torch.tensor([1.0, 2.0]), device="cuda")


@needs_cuda
@graded(2, "corr3d", "test.corr3d.cuda")
def test_corr3d_on_the_gpu(judge):
    check_correlation(judge, "corr3d", torch.arange(27.0).reshape(3, 3, 3), torch.ones(2, 2, 2), device="cuda")
