"""Public checks of the Conv2D layer."""

import torch

from autograder.judge.marks import graded, needs_cuda
from autograder.units.convolutions.checks import layer
from autograder.units.convolutions.checks.rule import check_layer_no_torch_conv


@graded(10, "Conv2D", "test.Conv2D.parameters")
def test_parameters(judge):
    layer.check_structure(judge, (1, 2))


@graded(10, "Conv2D", "test.Conv2D.forward")
def test_forward(judge):
    x = torch.ones(6, 8)
    x[:, 2:6] = 0
    layer.check_forward(judge, (1, 2), x, torch.tensor([[1.0, -1.0]]), torch.tensor([0.5]))


@graded(0, "Conv2D", "test.Conv2D.no_torch_conv", gate=True)
def test_no_torch_conv(judge):
    check_layer_no_torch_conv(judge, (2, 2), torch.arange(20.0).reshape(4, 5))


@needs_cuda
@graded(5, "Conv2D", "test.Conv2D.cuda")
def test_moved_to_the_gpu(judge):
    x = torch.ones(6, 8)
    x[:, 2:6] = 0
    layer.check_backward(judge, (1, 2), x, torch.tensor([[1.0, -1.0]]), torch.tensor([0.5]), device="cuda", move=True)
