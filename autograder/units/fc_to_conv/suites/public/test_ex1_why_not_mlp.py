"""Public checks of ex1_why_not_mlp: the notes' 36-megapixel example, and a convolution's kernel."""

from autograder.judge.marks import graded
from autograder.units.fc_to_conv.checks.ex1_why_not_mlp import (
    check_conv_parameters,
    check_mlp_memory,
    check_mlp_parameters,
)


@graded(5, "mlp_parameters", "test.mlp_parameters.worked_example")
def test_mlp_parameters_worked_example(judge):
    check_mlp_parameters(judge, 6000, 6000, 100)


@graded(5, "mlp_parameters", "test.mlp_parameters.channels")
def test_mlp_parameters_channels(judge):
    check_mlp_parameters(judge, 3000, 4000, 100, 3)


@graded(5, "mlp_memory_gb", "test.mlp_memory_gb.worked_example")
def test_mlp_memory_worked_example(judge):
    check_mlp_memory(judge, 6000, 6000, 100)


@graded(5, "conv_parameters", "test.conv_parameters.worked_example")
def test_conv_parameters_worked_example(judge):
    check_conv_parameters(judge, 3)
