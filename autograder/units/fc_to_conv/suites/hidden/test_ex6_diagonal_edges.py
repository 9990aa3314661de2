"""Hidden suite, ex6_diagonal_edges: 15 points (diagonal_edge_image 3, each edge function 4)."""

import torch

from autograder.judge import draws
from autograder.judge.marks import graded
from autograder.units.fc_to_conv.checks.ex6_diagonal_edges import check_edges, check_image


def drawn(label: int, low: int, high: int) -> int:
    """An integer in [low, high], drawn per submission."""
    return int(torch.randint(low, high + 1, (1,), generator=draws.generator(label)))


@graded(1, "diagonal_edge_image", "test.diagonal_edge_image.worked_example")
def test_image_worked_example(judge):
    check_image(judge, 6)


@graded(1, "diagonal_edge_image", "test.diagonal_edge_image.random_sizes")
def test_image_random_sizes(judge):
    for label in (1600, 1601):
        check_image(judge, drawn(label, 3, 12))


@graded(1, "diagonal_edge_image", "test.diagonal_edge_image.small_float32")
def test_image_small_float32(judge):
    for n in (5, 2, 1):
        check_image(judge, n, dtype=True)


@graded(1, "edges_of_diagonal", "test.edges_of_diagonal.worked_example")
def test_edges_of_diagonal_worked_example(judge):
    check_edges(judge, "edges_of_diagonal", 6)


@graded(2, "edges_of_diagonal", "test.edges_of_diagonal.random_sizes")
def test_edges_of_diagonal_random_sizes(judge):
    for label in (1610, 1611):
        check_edges(judge, "edges_of_diagonal", drawn(label, 3, 12))


@graded(1, "edges_of_diagonal", "test.edges_of_diagonal.smallest")
def test_edges_of_diagonal_smallest(judge):
    check_edges(judge, "edges_of_diagonal", 2)


@graded(1, "edges_of_transposed", "test.edges_of_transposed.worked_example")
def test_edges_of_transposed_worked_example(judge):
    check_edges(judge, "edges_of_transposed", 6)


@graded(2, "edges_of_transposed", "test.edges_of_transposed.random_sizes")
def test_edges_of_transposed_random_sizes(judge):
    for label in (1620, 1621):
        check_edges(judge, "edges_of_transposed", drawn(label, 3, 12))


@graded(1, "edges_of_transposed", "test.edges_of_transposed.smallest")
def test_edges_of_transposed_smallest(judge):
    check_edges(judge, "edges_of_transposed", 2)


@graded(1, "edges_with_transposed_kernel", "test.edges_with_transposed_kernel.worked_example")
def test_edges_with_transposed_kernel_worked_example(judge):
    check_edges(judge, "edges_with_transposed_kernel", 6)


@graded(2, "edges_with_transposed_kernel", "test.edges_with_transposed_kernel.random_sizes")
def test_edges_with_transposed_kernel_random_sizes(judge):
    for label in (1630, 1631):
        check_edges(judge, "edges_with_transposed_kernel", drawn(label, 3, 12))


@graded(1, "edges_with_transposed_kernel", "test.edges_with_transposed_kernel.smallest")
def test_edges_with_transposed_kernel_smallest(judge):
    check_edges(judge, "edges_with_transposed_kernel", 2)
