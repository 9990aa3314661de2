"""The correlation diagnoses and the search for the smallest failing input, driven with plain tensors:
which mistake each wrong shape or wrong values make the judge name, when it names none, and which
small example a student is shown. The code under test is called in process (NamespacePool); no
grader runs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch

from autograder.judge.show import shape_text
from autograder.judge.student import Student, Trace
from autograder.jupyter.namespace import NamespacePool
from autograder.units.convolutions import UNIT, references, shrink
from autograder.units.convolutions.diagnose.correlation import (
    Diagnosis,
    discriminating_input,
    probe_kind,
    shape_mistake,
    value_mistake,
    variant_mistake,
)
from autograder.units.convolutions.shrink import MAX_CALLS, smallest_failure

X = torch.randn(5, 7, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
K = torch.randn(2, 3, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
RIGHT = references.correlate(X, K)
TOLERANCE = (1e-9, 1e-9)


def named(diagnosis: Diagnosis | None) -> str | None:
    return None if diagnosis is None else diagnosis.mistake


# ------------------------------------------------------------------ from the shape


@pytest.mark.parametrize(
    ("got", "mistake"),
    [
        ((3, 4), "off_by_one_short"),
        ((5, 6), "off_by_one_long"),
        ((5, 7), "same_size_output"),
        ((6, 9), "full_size_output"),
        ((3, 6), "kernel_dims_swapped"),
        ((4, 6), "off_by_one_one_dimension"),
        ((1, 1, 4, 5), "extra_dimensions"),
        ((5, 4), "transposed_output"),
        ((20,), None),
        ((2, 2), None),
    ],
)
def test_a_wrong_shape_names_the_mistake_that_gives_it(got, mistake):
    assert named(shape_mistake(X, K, got)) == mistake


def test_the_shape_mistake_says_both_shapes_and_the_dimension():
    diagnosis = shape_mistake(X, K, (4, 6))
    assert diagnosis is not None
    assert diagnosis.params["expected"] == shape_text((4, 5))
    assert diagnosis.params["got"] == shape_text((4, 6))
    assert diagnosis.params["dim"] == "1"


def test_a_transposed_shape_is_a_transposed_output_only_if_the_values_are():
    assert named(shape_mistake(X, K, (5, 4), RIGHT.T.contiguous())) == "transposed_output"
    assert named(shape_mistake(X, K, (5, 4), torch.zeros(5, 4, dtype=torch.float64))) is None


def test_where_two_mistakes_give_the_same_shape_none_is_named():
    square = torch.ones(5, 5, dtype=torch.float64)
    # Swapped kernel sizes and a transposed output both give (3, 4) here.
    assert references.valid_shape((5, 5), (3, 2)) == (3, 4)
    assert shape_mistake(square, K, (3, 4)) is None


def test_one_dimensional_shapes():
    x, k = torch.ones(7, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    assert named(shape_mistake(x, k, (4,))) == "off_by_one_short"
    assert named(shape_mistake(x, k, (7,))) == "same_size_output"
    assert named(shape_mistake(x, k, (9,))) == "full_size_output"
    assert named(shape_mistake(x, k, (1, 1, 5))) == "extra_dimensions"


# ------------------------------------------------------------------ from the values


SQUARE_K = torch.randn(3, 3, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
SQUARE_OUT_X = torch.randn(5, 6, generator=torch.Generator().manual_seed(4), dtype=torch.float64)


def last_zeroed(values: torch.Tensor, dim: int) -> torch.Tensor:
    values = values.clone()
    values.narrow(dim, values.shape[dim] - 1, 1).zero_()
    return values


@pytest.mark.parametrize(
    ("inputs", "wrong", "mistake"),
    [
        ((X, K), lambda: references.correlate(X, K.flip((0, 1))), "flipped_kernel"),
        ((X, SQUARE_K), lambda: references.correlate(X, SQUARE_K.T), "transposed_kernel"),
        ((SQUARE_OUT_X, K), lambda: references.correlate(SQUARE_OUT_X, K).T, "transposed_output"),
        ((X, K), lambda: RIGHT / K.numel(), "mean_instead_of_sum"),
        ((X, K), lambda: references.correlate(X, torch.ones_like(K)), "kernel_not_multiplied"),
        ((X, K), lambda: last_zeroed(RIGHT, 0), "last_row_or_column_missing"),
        ((X, K), lambda: RIGHT + 1, None),
        ((X, K), lambda: RIGHT, None),
    ],
)
def test_wrong_values_of_the_right_shape_name_the_variant_they_equal(inputs, wrong, mistake):
    assert named(variant_mistake(*inputs, wrong(), *TOLERANCE)) == mistake


def test_a_missing_last_column_names_its_dimension():
    diagnosis = variant_mistake(X, K, last_zeroed(RIGHT, 1), *TOLERANCE)
    assert diagnosis is not None
    assert diagnosis.params["dim"] == "1"


def test_a_flip_of_a_symmetric_kernel_is_no_mistake():
    symmetric = torch.tensor([[1.0, 2.0, 1.0]], dtype=torch.float64)
    assert variant_mistake(X, symmetric, references.correlate(X, symmetric), *TOLERANCE) is None


def test_not_finite_values_and_values_left_in_memory():
    nan = RIGHT.clone()
    nan[0, 0] = float("nan")
    assert named(value_mistake(X, K, nan, Trace(), *TOLERANCE)) == "nan_or_inf"
    allocated = Trace(calls={"torch.empty": 1})
    assert named(value_mistake(X, K, nan, allocated, *TOLERANCE)) == "uninitialised_output"
    assert named(value_mistake(X, K, RIGHT + 3, allocated, *TOLERANCE)) == "uninitialised_output"
    # torch.empty filled right is no mistake; a flipped kernel without it is still named as such.
    assert value_mistake(X, K, RIGHT, allocated, *TOLERANCE) is None
    flipped = references.correlate(X, K.flip((0, 1)))
    assert named(value_mistake(X, K, flipped, Trace(), *TOLERANCE)) == "flipped_kernel"


def test_which_input_can_confirm_a_name():
    assert probe_kind(Diagnosis("transposed_kernel", {})) == "square_kernel"
    assert probe_kind(Diagnosis("transposed_output", {})) == "square_output"
    assert probe_kind(Diagnosis("transposed_output", {"got": "(5, 4)"})) == "general"
    assert probe_kind(Diagnosis("flipped_kernel", {})) == "general"
    X1, K1 = discriminating_input(2, torch.float32, "square_kernel")
    X2, K2 = discriminating_input(2, torch.float32, "square_kernel")
    assert torch.equal(X1, X2)
    assert torch.equal(K1, K2)
    assert K1.shape[0] == K1.shape[1]
    assert X1.shape[0] != X1.shape[1]


# ------------------------------------------------------------------ the smallest failing input


def loops(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """The textbook's loop, for any number of dimensions."""
    out = torch.zeros(tuple(n - k + 1 for n, k in zip(X.shape, K.shape, strict=True)), dtype=X.dtype)
    for index in torch.cartesian_prod(*(torch.arange(s) for s in out.shape)).reshape(-1, X.dim()).tolist():
        window = tuple(slice(i, i + k) for i, k in zip(index, K.shape, strict=True))
        out[tuple(index)] = (X[window] * K).sum()
    return out


def student(function: str, code: Callable[..., object]) -> Student:
    return Student(NamespacePool({function: code}), UNIT)


def test_a_right_correlation_has_no_failing_example():
    assert smallest_failure(student("corr2d", loops), "corr2d", torch.float64) is None


def test_a_flipped_kernel_is_shown_on_the_smallest_input_that_tells():
    found = smallest_failure(student("corr2d", lambda X, K: loops(X, K.flip((0, 1)))), "corr2d", torch.float32)
    assert found is not None
    X_shown, K_shown = found.inputs
    assert (X_shown.name, X_shown.shape, X_shown.values) == ("X", (1, 2), [[1.0, 2.0]])
    assert (K_shown.name, K_shown.shape, K_shown.values) == ("K", (1, 2), [[1.0, 2.0]])
    assert (found.expected.values, found.got.values) == ([[5.0]], [[4.0]])
    assert found.first_differences == (((0, 0), 5.0, 4.0),)


def test_a_wrong_shape_or_dtype_fails_on_the_first_input():
    short = smallest_failure(student("corr1d", lambda x, k: x[: len(x) - len(k)]), "corr1d", torch.float64)
    assert short is not None
    assert [s.name for s in short.inputs] == ["x", "k"]
    assert (short.inputs[0].shape, short.expected.shape, short.got.shape) == ((1,), (1,), (0,))
    single = smallest_failure(student("corr3d", lambda X, K: loops(X, K).float()), "corr3d", torch.float64)
    assert single is not None
    assert (single.expected.dtype, single.got.dtype) == ("float64", "float32")


def test_code_that_raises_is_shown_with_the_input_and_no_answer():
    def raises(X, K):
        raise IndexError("out of range")

    found = smallest_failure(student("corr2d", raises), "corr2d", torch.float32)
    assert found is not None
    assert [s.shape for s in found.inputs] == [(1, 1), (1, 1)]
    assert found.got.values is None


def test_the_search_stops_after_its_budget_of_calls(monkeypatch):
    monkeypatch.setattr(shrink, "MAX_SECONDS", 600.0)  # its other bound, which a busy machine can reach first
    calls = []

    def wrong_only_when_large(X, K):
        calls.append(X.shape)
        return loops(X, K) + (1 if X.numel() > 100 else 0)

    assert smallest_failure(student("corr2d", wrong_only_when_large), "corr2d", torch.float32) is None
    assert len(calls) == MAX_CALLS
