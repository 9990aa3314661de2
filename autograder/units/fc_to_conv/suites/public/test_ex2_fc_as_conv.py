"""Public checks of ex2_fc_as_conv: the worked example of each function, on fixed inputs."""

import torch

from autograder.judge.marks import graded, needs_cuda
from autograder.units.fc_to_conv.checks.ex2_fc_as_conv import (
    changed_at,
    check_invariant,
    check_local,
    check_reindex,
    check_weight,
    kernel_weight,
    of_offsets,
    single,
)

K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
WIDE = torch.tensor([[1.0, -1.0, 2.0], [0.5, 3.0, -2.0]])


@graded(3, "fc_weight_of_kernel", "test.fc_weight_of_kernel.worked_example")
def test_weight_worked_example(judge):
    check_weight(judge, K, (3, 3))


@graded(2, "fc_weight_of_kernel", "test.fc_weight_of_kernel.random_float64")
def test_weight_non_square(judge):
    check_weight(judge, WIDE.double(), (3, 5))


@graded(2, "fc_weight_of_kernel", "test.fc_weight_of_kernel.gradients")
def test_weight_gradients(judge):
    check_weight(judge, WIDE.double(), (4, 4), grads=True)


@needs_cuda
@graded(1, "fc_weight_of_kernel", "test.fc_weight_of_kernel.cuda")
def test_weight_cuda(judge):
    check_weight(judge, WIDE, (3, 5), device="cuda", grads=True)


@graded(2, "reindex", "test.reindex.worked_example")
def test_reindex_worked_example(judge):
    check_reindex(judge, kernel_weight(K, (3, 3)))
    check_reindex(judge, torch.arange(1.0, 25.0).reshape(2, 1, 3, 4))


@graded(2, "is_translation_invariant", "test.is_translation_invariant.kernels")
def test_invariant_kernels(judge):
    check_invariant(judge, kernel_weight(WIDE, (3, 5)))
    check_invariant(judge, changed_at(kernel_weight(WIDE, (3, 5)), (1, 2, 1, 2)))
    check_invariant(judge, of_offsets(torch.arange(1.0, 25.0).reshape(4, 6), (2, 3)))


@graded(2, "is_local", "test.is_local.boundary")
def test_local_boundary(judge):
    check_local(judge, kernel_weight(WIDE, (3, 5)), 2)
    check_local(judge, kernel_weight(WIDE, (3, 5)), 1)
    check_local(judge, single((3, 3, 4, 4), (2, 0, 0, 0), 1.0), 2)
    check_local(judge, single((3, 3, 4, 4), (2, 0, 0, 0), 1.0), 1)
