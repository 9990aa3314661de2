"""Public checks of corr2d: the worked examples of the text, and shapes."""

import torch

from autograder.judge.marks import graded, needs_cuda, on_meta
from autograder.units.convolutions.checks.correlation import check_correlation, check_portable
from autograder.units.convolutions.checks.rule import check_no_torch_conv
from autograder.units.convolutions.references import edge_image


@graded(10, "corr2d", "test.corr2d.worked_example")
def test_worked_example(judge):
    X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
    check_correlation(judge, "corr2d", X, K)


@graded(10, "corr2d", "test.corr2d.edges")
def test_edge_detection(judge):
    X, _ = edge_image()
    check_correlation(judge, "corr2d", X, torch.tensor([[1.0, -1.0]]))


@graded(5, "corr2d", "test.corr2d.shapes")
def test_output_shape_non_square(judge):
    check_correlation(judge, "corr2d", torch.arange(48.0).reshape(6, 8), torch.ones(2, 3))


@on_meta
@graded(5, "corr2d", "test.corr2d.portable")
def test_device_portable(judge):
    check_portable(judge, "corr2d", torch.ones(4, 5), torch.ones(2, 2))


@graded(0, "corr2d", "test.corr2d.no_torch_conv", gate=True)
def test_no_torch_conv(judge):
    check_no_torch_conv(judge, "corr2d", torch.arange(20.0).reshape(4, 5), torch.tensor([[1.0, 2.0], [3.0, 4.0]]))


@needs_cuda
@graded(5, "corr2d", "test.corr2d.cuda")
def test_on_the_gpu(judge):
    check_correlation(judge, "corr2d", torch.arange(48.0).reshape(6, 8), torch.ones(2, 3), device="cuda", grads=True)
