"""The unit "convolutions for images": corr2d, a Conv2D layer, corr1d and corr3d, the kernel-learning loop.

Everything the engine knows of this unit is the value `UNIT` below; the rest of this package (its
checks, diagnoses, rule, references, suites, solutions, samples and catalogue) is read only by the
unit's own tests and hooks.
"""

from autograder.unit import Exercise, Unit

UNIT = Unit(
    name="convolutions",
    package=__name__,
    exercises=(
        Exercise("corr2d", "ex1_corr2d"),
        Exercise("Conv2D", "ex2_conv2d", kind="layer"),
        Exercise("corr1d", "ex3_variants"),
        Exercise("corr3d", "ex3_variants"),
        Exercise("learn_kernel", "ex4_learn_kernel"),
    ),
    notebook="convolutions.ipynb",
    # ex2's Conv2D uses the student's own corr2d.
    depends_on={"ex2_conv2d": ("ex1_corr2d",)},
    layer_attributes=("weight", "bias"),
    mistakes=(
        # corr1d / corr2d / corr3d
        "flipped_kernel",
        "off_by_one_short",
        "off_by_one_long",
        "same_size_output",
        "full_size_output",
        "kernel_dims_swapped",
        "square_kernels_only",
        "transposed_output",
        "transposed_kernel",
        "last_row_or_column_missing",
        "mean_instead_of_sum",
        "input_modified",
        "torch_conv_used",
        "fourier_used",
        "recorder_tampering",
        "rule_unverifiable",
        "nan_or_inf",
        "uninitialised_output",
        "extra_dimensions",
        "own_leaf_written",
        "off_by_one_one_dimension",
        "kernel_not_multiplied",
        # Conv2D
        "layer_not_module",
        "weight_missing",
        "bias_missing",
        "weight_not_parameter",
        "bias_not_parameter",
        "weight_wrong_shape",
        "bias_wrong_shape",
        "bias_not_added",
        "forward_ignores_weight",
        "init_off_contract",
        "bias_added_twice",
        # learn_kernel
        "no_zero_grad",
        "wrong_update_sign",
        "mean_loss",
        "bias_left_on",
        "leaf_inplace_update",
        "untrained_kernel",
        "hard_coded_kernel",
        "losses_wrong_count",
        "losses_not_floats",
        "loss_after_update",
        "kernel_wrong_shape",
        "not_on_input_device",
        "reshape_missing",
        "other_optimiser",
        "other_initial_kernel",
        "seeded_inside",
        "parameter_ignored",
        "grad_none_at_update",
        "kernel_not_detached",
    ),
    rule_mistakes=frozenset({"torch_conv_used", "fourier_used", "recorder_tampering", "rule_unverifiable"}),
    warm_up=f"{__name__}.warm_up:warm_up",
    judge_warm_up=f"{__name__}.rule.forbidden:build_tables",
    call_policy=f"{__name__}.rule.rules:check_call",
    watched_operators=f"{__name__}.rule.forbidden:watched_operators",
    # learn_kernel uses nn.Conv2d, as the text does.
    ruled=frozenset({"corr1d", "corr2d", "corr3d", "Conv2D"}),
    raised_feedback=f"{__name__}.failures:raised_feedback",
    mutants=f"{__name__}.mutants.command:run",
)
