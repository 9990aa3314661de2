"""Hidden suite, Conv2D: 22 points; its GPU test counts only where the instructor opts in."""

import torch

from autograder.judge.marks import graded, needs_cuda, on_meta
from autograder.units.convolutions.checks import layer
from autograder.units.convolutions.checks.rule import check_layer_no_torch_conv
from autograder.units.convolutions.suites.hidden.inputs import randn

EXERCISE = "Conv2D"


@graded(5, EXERCISE, "test.Conv2D.parameters")
def test_parameters(judge):
    layer.check_structure(judge, (1, 2), (3, 2))


@graded(2, EXERCISE, "test.Conv2D.init")
def test_init(judge):
    layer.check_init(judge, (3, 4))


@graded(5, EXERCISE, "test.Conv2D.forward")
def test_forward(judge):
    x = torch.ones(6, 8)
    x[:, 2:6] = 0
    layer.check_forward(judge, (1, 2), x, torch.tensor([[1.0, -1.0]]), torch.tensor([0.5]))


@graded(3, EXERCISE, "test.Conv2D.forward_random")
def test_forward_random(judge):
    layer.check_forward(judge, (2, 3), randn(5, 6, seed=30), randn(2, 3, seed=31), randn(1, seed=32))


@graded(5, EXERCISE, "test.Conv2D.backward")
def test_backward(judge):
    layer.check_backward(judge, (2, 3), randn(5, 6, seed=33), randn(2, 3, seed=34), randn(1, seed=35))


@on_meta
@graded(2, EXERCISE, "test.Conv2D.portable")
def test_portable(judge):
    layer.check_portable(judge, (2, 3), torch.ones(4, 5))


@graded(0, EXERCISE, "test.Conv2D.no_torch_conv", gate=True)
def test_no_torch_conv(judge):
    check_layer_no_torch_conv(judge, (2, 2), randn(4, 5, seed=39))


@needs_cuda
@graded(2, EXERCISE, "test.Conv2D.cuda")
def test_cuda(judge):
    layer.check_backward(
        judge, (2, 3), randn(5, 6, seed=36), randn(2, 3, seed=37), randn(1, seed=38), device="cuda", move=True
    )
