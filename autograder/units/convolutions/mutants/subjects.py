"""One exercise of a set of loaded files, seen the way the oracle runs it."""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from autograder.units.convolutions import UNIT

LAYER_BIAS = 0.75
"""The bias a layer gets when the oracle runs it as a correlation: nonzero, so a lost bias shows."""
LAYER_SEED = 0


@dataclass(frozen=True)
class Subject:
    tag: str
    modules: dict[str, types.ModuleType]
    sources: dict[str, str]

    @property
    def module(self) -> types.ModuleType:
        return self.modules[UNIT.module_of(self.tag)]

    @property
    def source(self) -> str:
        return self.sources.get(UNIT.file_of(self.tag), "")

    def function(self) -> Callable[..., Any]:
        """What the module defines under the exercise's name, called as the grader calls it (whatever it is:
        a mutant that breaks the call shows when it is made)."""
        function: Callable[..., Any] = getattr(self.module, self.tag)
        return function

    def build_layer(self, kernel_size: tuple[int, ...], seed: int = LAYER_SEED) -> Any:
        torch.manual_seed(seed)
        return getattr(self.module, self.tag)(tuple(kernel_size))

    def layer_with(self, weight: torch.Tensor, bias: torch.Tensor) -> Any:
        """A layer built for `weight`'s shape, then given `weight` and `bias` (as the grader assigns them)."""
        layer = self.build_layer(tuple(weight.shape))
        with torch.no_grad():
            layer.weight.data = weight.detach().clone()
            layer.bias.data = bias.detach().clone()
        return layer

    def correlation(self) -> Callable[[torch.Tensor, torch.Tensor], Any]:
        """X, K -> the correlation this exercise computes: the function itself, or for the layer its
        forward with weight K minus its bias."""
        if self.tag != "Conv2D":
            return self.function()

        def through_layer(X: torch.Tensor, K: torch.Tensor) -> Any:
            bias = torch.tensor([LAYER_BIAS], dtype=X.dtype)
            out = self.layer_with(K, bias)(X)
            return out - bias if isinstance(out, torch.Tensor) and out.device.type == "cpu" else out

        return through_layer
