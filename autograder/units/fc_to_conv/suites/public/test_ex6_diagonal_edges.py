"""Public checks of ex6_diagonal_edges: the 6 x 6 diagonal image and the edge kernel on it."""

from autograder.judge.marks import graded
from autograder.units.fc_to_conv.checks.ex6_diagonal_edges import check_edges, check_image


@graded(5, "diagonal_edge_image", "test.diagonal_edge_image.worked_example")
def test_image_worked_example(judge):
    check_image(judge, 6, dtype=True)


@graded(5, "edges_of_diagonal", "test.edges_of_diagonal.worked_example")
def test_edges_of_diagonal_worked_example(judge):
    check_edges(judge, "edges_of_diagonal", 6)


@graded(5, "edges_of_transposed", "test.edges_of_transposed.worked_example")
def test_edges_of_transposed_worked_example(judge):
    check_edges(judge, "edges_of_transposed", 6)


@graded(5, "edges_with_transposed_kernel", "test.edges_with_transposed_kernel.worked_example")
def test_edges_with_transposed_kernel_worked_example(judge):
    check_edges(judge, "edges_with_transposed_kernel", 6)
