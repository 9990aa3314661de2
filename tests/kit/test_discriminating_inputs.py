"""A wrong variant of the correlation is named only when a discriminating input shows it too."""

from __future__ import annotations

import itertools

import pytest
import torch

from autograder.units.convolutions import references
from autograder.units.convolutions.diagnose.correlation import Diagnosis, confirms, discriminating_input, shape_mistake


def _variants(X: torch.Tensor, K: torch.Tensor) -> dict[str, torch.Tensor]:
    expected = references.correlate(X, K)
    found = {"right": expected, "mean": expected / K.numel(), "ones": references.correlate(X, torch.ones_like(K))}
    for dims in range(1, K.dim() + 1):
        for axes in itertools.combinations(range(K.dim()), dims):
            found[f"flip{axes}"] = references.correlate(X, K.flip(axes))
            found[f"flip window and result {axes}"] = expected.flip(axes)
    return found


@pytest.mark.parametrize("ndim", [1, 2, 3])
def test_every_variant_differs_on_the_discriminating_input(ndim):
    X, K = discriminating_input(ndim, torch.float64)
    assert len(set(X.shape)) == ndim
    assert len(set(K.shape)) == ndim
    values = list(_variants(X, K).items())
    for (a, first), (b, second) in itertools.combinations(values, 2):
        assert first.shape != second.shape or not torch.allclose(first, second, atol=1e-6), (a, b)


def test_a_flip_in_one_axis_is_not_confirmed_as_a_flipped_kernel():
    X, K = discriminating_input(2, torch.float64)
    claim = Diagnosis("flipped_kernel", {})
    for axes, holds in (((0,), False), ((1,), False), ((0, 1), True)):
        got = references.correlate(X, K.flip(axes))
        assert confirms(claim, X, K, tuple(got.shape), got, 1e-9, 1e-9) is holds


def test_swapped_window_slices_are_no_transposed_output_on_distinct_sizes():
    X, K = discriminating_input(2, torch.float64, "square_output")
    expected = references.correlate(X, K)
    assert expected.shape[0] == expected.shape[1]
    claim = Diagnosis("transposed_output", {})
    assert confirms(claim, X, K, tuple(expected.shape), expected.T.contiguous(), 1e-9, 1e-9)
    assert not confirms(claim, X, K, tuple(expected.shape), expected, 1e-9, 1e-9)


def test_a_shape_mistake_holds_only_with_the_same_relation_there():
    X, K = discriminating_input(1, torch.float64)
    valid = X.shape[0] - K.shape[0] + 1
    claim = shape_mistake(torch.zeros(5), torch.zeros(2), (3,))
    assert claim is not None
    assert claim.mistake == "off_by_one_short"
    assert confirms(claim, X, K, (valid - 1,), torch.zeros(valid - 1), 1e-9, 1e-9)
    assert not confirms(claim, X, K, (valid - 2,), torch.zeros(valid - 2), 1e-9, 1e-9)
    assert not confirms(claim, X, K, (valid - 1,), None, 1e-9, 1e-9)
