"""The unit "from fully connected layers to convolutions": the reasoning that turns a dense layer into a
convolution, and the exercises at the end of the text's section.

Why an MLP does not scale to images (ex1), a convolution written as a fully connected layer and the
two principles that shrink it, translation invariance and locality (ex2), cross-correlation against
strict convolution (ex3), cross-correlation as a matrix product and its transpose as the gradient
(ex4), kernels designed by hand and checked by their properties (ex5), and the text's edge kernel on
a diagonal edge (ex6). Torch's own operators are allowed here: the unit grades understanding, not
loops, so it has no rule on what a call may run.
"""

from autograder.unit import Exercise, Unit

UNIT = Unit(
    name="fc_to_conv",
    package=__name__,
    exercises=(
        Exercise("mlp_parameters", "ex1_why_not_mlp"),
        Exercise("mlp_memory_gb", "ex1_why_not_mlp"),
        Exercise("conv_parameters", "ex1_why_not_mlp"),
        Exercise("fc_weight_of_kernel", "ex2_fc_as_conv"),
        Exercise("reindex", "ex2_fc_as_conv"),
        Exercise("is_translation_invariant", "ex2_fc_as_conv"),
        Exercise("is_local", "ex2_fc_as_conv"),
        Exercise("conv2d_strict", "ex3_strict_conv"),
        Exercise("same_as_correlation", "ex3_strict_conv"),
        Exercise("correlation_matrix", "ex4_corr_as_matmul"),
        Exercise("correlation_input_grad", "ex4_corr_as_matmul"),
        Exercise("edge_kernel", "ex5_hand_kernels"),
        Exercise("second_derivative_kernel", "ex5_hand_kernels"),
        Exercise("laplace_kernel", "ex5_hand_kernels"),
        Exercise("blur_kernel", "ex5_hand_kernels"),
        Exercise("derivative_kernel", "ex5_hand_kernels"),
        Exercise("diagonal_edge_image", "ex6_diagonal_edges"),
        Exercise("edges_of_diagonal", "ex6_diagonal_edges"),
        Exercise("edges_of_transposed", "ex6_diagonal_edges"),
        Exercise("edges_with_transposed_kernel", "ex6_diagonal_edges"),
    ),
    notebook="fc_to_conv.ipynb",
    mistakes=(
        # ex1: mlp_parameters, mlp_memory_gb, conv_parameters
        # ex2: fc_weight_of_kernel, reindex, is_translation_invariant, is_local
        # ex3: conv2d_strict, same_as_correlation
        "strict_conv_not_flipped",
        "strict_conv_one_axis",
        "strict_conv_transposed",
        "strict_conv_input_flipped",
        "symmetry_as_transpose",
        "symmetry_one_axis",
        "symmetry_assumed",
        # ex4: correlation_matrix, correlation_input_grad
        # ex5: edge_kernel, second_derivative_kernel, laplace_kernel, blur_kernel, derivative_kernel
        "edge_along_v",
        "edge_axes_swapped",
        "derivative_negated",
        "derivative_order_off_by_one",
        "laplace_negated",
        "laplace_one_axis",
        "blur_not_normalised",
        # ex6: diagonal_edge_image, edges_of_diagonal, edges_of_transposed, edges_with_transposed_kernel
    ),
    mutants=f"{__name__}.mutants.command:run",
)
