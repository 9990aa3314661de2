"""Hostile: make every comparison say "equal" at import (the one line that fools nbgrader and otter)."""

import builtins
import math
import operator
import unittest

import numpy
import numpy.testing
import torch
import torch.testing


def _yes(*args, **kwargs):
    return True


def _silent(*args, **kwargs):
    return None


torch.allclose = _yes
torch.equal = _yes
torch.isclose = lambda a, b, *args, **kwargs: torch.ones_like(torch.as_tensor(a), dtype=torch.bool)
torch.testing.assert_close = _silent
torch.testing.assert_allclose = _silent
torch.Tensor.allclose = _yes
torch.Tensor.equal = _yes
torch.Tensor.__eq__ = lambda self, other: torch.ones_like(self, dtype=torch.bool)
torch.Tensor.__ne__ = lambda self, other: torch.zeros_like(self, dtype=torch.bool)
numpy.allclose = _yes
numpy.array_equal = _yes
numpy.isclose = lambda a, b, *args, **kwargs: numpy.ones_like(a, dtype=bool)
numpy.testing.assert_allclose = _silent
numpy.testing.assert_array_equal = _silent
numpy.testing.assert_array_almost_equal = _silent
numpy.testing.assert_equal = _silent
math.isclose = _yes
operator.eq = _yes
unittest.TestCase.assertEqual = _silent
unittest.TestCase.assertTrue = _silent
builtins.isinstance_before_attack = builtins.isinstance


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.ones(x.shape[0] - k.shape[0] + 1, dtype=x.dtype, device=x.device)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.ones(tuple(n - k + 1 for n, k in zip(X.shape, K.shape)), dtype=X.dtype, device=X.device)
