"""Backpropagating a given output gradient, the one way the kit does it (judge and worker alike).

`output.backward(grad_output)` checks the gradient's shape through torch's symbolic-shape module,
whose first use imports sympy: half a second, in every process that does it. The gradients of
`sum(output * grad_output)` are the same, exactly (the product's backward multiplies by ones), and
that path imports nothing.
"""

from __future__ import annotations

import torch


def backward_with(output: torch.Tensor, grad_output: torch.Tensor) -> None:
    """Accumulate into the leaves' `.grad` the gradients of `output` weighted by `grad_output`."""
    (output * grad_output).sum().backward()
