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
        "mlp_bias_forgotten",
        "mlp_bias_per_input",
        "mlp_channels_ignored",
        "memory_in_bytes",
        "memory_in_gib",
        "memory_in_bits",
        "memory_float64",
        "memory_count_not_bytes",
        "conv_bias_forgotten",
        "conv_kernel_not_squared",
        "conv_in_channels_ignored",
        # ex2: fc_weight_of_kernel, reindex, is_translation_invariant, is_local
        "dense_kernel_flipped",
        "dense_transposed",
        "dense_same_size",
        "dense_one_short",
        "reindex_unshifted",
        "reindex_offset_reversed",
        "reindex_negative_offsets_dropped",
        "invariance_one_axis",
        "invariance_padding_compared",
        "invariance_of_w",
        "locality_strict_bound",
        "locality_without_abs",
        "locality_one_axis",
        # ex3: conv2d_strict, same_as_correlation
        "strict_conv_not_flipped",
        "strict_conv_one_axis",
        "strict_conv_transposed",
        "strict_conv_input_flipped",
        "symmetry_as_transpose",
        "symmetry_one_axis",
        "symmetry_assumed",
        # ex4: correlation_matrix, correlation_input_grad
        "matrix_column_major",
        "input_grad_kernel_flipped",
        # ex5: edge_kernel, second_derivative_kernel, laplace_kernel, blur_kernel, derivative_kernel
        "edge_along_v",
        "edge_axes_swapped",
        "derivative_negated",
        "derivative_order_off_by_one",
        "laplace_negated",
        "laplace_one_axis",
        "blur_not_normalised",
        # ex6: diagonal_edge_image, edges_of_diagonal, edges_of_transposed, edges_with_transposed_kernel
        "diagonal_below",
        "diagonal_strict",
        "diagonal_values_swapped",
        "edges_kernel_sign",
        "edges_image_transposed",
        "edges_kernel_transposed",
        "edges_output_transposed",
    ),
    warm_up=f"{__name__}.warm_up:warm_up",
    mutants=f"{__name__}.mutants.command:run",
)
