"""Public checks of the Conv2D layer."""

import torch

from autograder.judge.checks import layer
from autograder.judge.marks import graded, needs_cuda


@graded(10, "Conv2D", "test.Conv2D.parameters")
def test_parameters(judge):
    layer.check_structure(judge, (1, 2))


@graded(10, "Conv2D", "test.Conv2D.forward")
def test_forward(judge):
    x = torch.ones(6, 8)
    x[:, 2:6] = 0
    layer.check_forward(judge, (1, 2), x, torch.tensor([[1.0, -1.0]]), torch.tensor([0.5]))


@needs_cuda
@graded(5, "Conv2D", "test.Conv2D.cuda")
def test_moved_to_the_gpu(judge):
    x = torch.ones(6, 8)
    x[:, 2:6] = 0
    layer.check_backward(judge, (1, 2), x, torch.tensor([[1.0, -1.0]]), torch.tensor([0.5]), device="cuda", move=True)
