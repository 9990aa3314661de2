"""Hidden suite, ex1_why_not_mlp: 15 points (mlp_parameters 6, mlp_memory_gb 5, conv_parameters 4)."""

import torch

from autograder.judge import draws
from autograder.judge.marks import graded
from autograder.units.fc_to_conv.checks.ex1_why_not_mlp import (
    check_conv_parameters,
    check_mlp_memory,
    check_mlp_parameters,
)


def drawn(label: int, low: int, high: int) -> int:
    """An integer in [low, high], drawn per submission."""
    return int(torch.randint(low, high + 1, (1,), generator=draws.generator(label)))


def image_sizes(label: int, channels: bool = False) -> tuple[int, ...]:
    """(height, width, hidden[, channels]) of a random image and hidden layer."""
    sizes = (drawn(label, 2, 4000), drawn(label + 1, 2, 4000), drawn(label + 2, 1, 1000))
    return (*sizes, drawn(label + 3, 2, 4)) if channels else sizes


@graded(2, "mlp_parameters", "test.mlp_parameters.worked_example")
def test_mlp_parameters_worked_example(judge):
    check_mlp_parameters(judge, 6000, 6000, 100)


@graded(2, "mlp_parameters", "test.mlp_parameters.random_sizes")
def test_mlp_parameters_random_sizes(judge):
    for label in (1100, 1110, 1120):
        check_mlp_parameters(judge, *image_sizes(label))


@graded(2, "mlp_parameters", "test.mlp_parameters.channels")
def test_mlp_parameters_channels(judge):
    check_mlp_parameters(judge, 3000, 4000, 100, 3)
    check_mlp_parameters(judge, *image_sizes(1130, channels=True))


@graded(2, "mlp_memory_gb", "test.mlp_memory_gb.worked_example")
def test_mlp_memory_worked_example(judge):
    check_mlp_memory(judge, 6000, 6000, 100)


@graded(2, "mlp_memory_gb", "test.mlp_memory_gb.random_sizes")
def test_mlp_memory_random_sizes(judge):
    for label in (1140, 1150):
        check_mlp_memory(judge, *image_sizes(label))


@graded(1, "mlp_memory_gb", "test.mlp_memory_gb.channels")
def test_mlp_memory_channels(judge):
    check_mlp_memory(judge, *image_sizes(1160, channels=True))


@graded(1, "conv_parameters", "test.conv_parameters.worked_example")
def test_conv_parameters_worked_example(judge):
    check_conv_parameters(judge, 3)


@graded(2, "conv_parameters", "test.conv_parameters.channels")
def test_conv_parameters_channels(judge):
    for label in (1170, 1180):
        check_conv_parameters(judge, drawn(label, 2, 7), drawn(label + 1, 2, 64), drawn(label + 2, 2, 128))


@graded(1, "conv_parameters", "test.conv_parameters.kernel_sizes")
def test_conv_parameters_kernel_sizes(judge):
    check_conv_parameters(judge, 1, 3, 16)
    check_conv_parameters(judge, drawn(1190, 4, 11), 1, drawn(1191, 2, 8))
