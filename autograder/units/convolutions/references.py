"""Reference results, computed in the judge with PyTorch's own operators (never with student code).

Everything is computed in float64 and cast at the end, so a float32 reference is as exact as float32
allows; TF32 is switched off where CUDA is present, since cuDNN's TF32 can be 1e-3 off in float32.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F

from autograder.backprop import backward_with

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
NDIM = {"corr1d": 1, "corr2d": 2, "corr3d": 3}


def valid_shape(n: Sequence[int], k: Sequence[int]) -> tuple[int, ...]:
    """The shape of the valid correlation of an input of shape `n` with a kernel of shape `k`: the kernel
    fits in n - k + 1 positions along each dimension (less than 1 where the kernel is the larger)."""
    return tuple(a - b + 1 for a, b in zip(n, k, strict=True))


def full_shape(n: Sequence[int], k: Sequence[int]) -> tuple[int, ...]:
    """The shape of the full correlation, which pads the input so that every overlap counts: n + k - 1."""
    return tuple(a + b - 1 for a, b in zip(n, k, strict=True))


def _no_tf32() -> None:
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False


def correlate(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """Valid n-D cross-correlation of X with K (n = 1, 2, 3), via F.convNd, in float64 on the CPU."""
    _no_tf32()
    x = X.detach().to("cpu", torch.float64)
    k = K.detach().to("cpu", torch.float64)
    return _CONV[x.dim()](x[None, None], k[None, None])[0, 0]


def correlate_with_grads(
    X: torch.Tensor, K: torch.Tensor, grad_output: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Output and the gradients of sum(output * grad_output) with respect to X and K."""
    x = X.detach().to("cpu", torch.float64).requires_grad_(True)
    k = K.detach().to("cpu", torch.float64).requires_grad_(True)
    out = _CONV[x.dim()](x[None, None], k[None, None])[0, 0]
    backward_with(out, grad_output.to(torch.float64))
    assert x.grad is not None
    assert k.grad is not None
    return out.detach(), x.grad, k.grad


def conv2d_layer(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    return correlate(x, weight) + bias.detach().to(torch.float64)


def conv2d_layer_with_grads(
    x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, grad_output: torch.Tensor
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    xs = x.detach().to(torch.float64).requires_grad_(True)
    w = weight.detach().to(torch.float64).requires_grad_(True)
    b = bias.detach().to(torch.float64).requires_grad_(True)
    out = F.conv2d(xs[None, None], w[None, None])[0, 0] + b
    backward_with(out, grad_output.to(torch.float64))
    assert w.grad is not None
    assert b.grad is not None
    assert xs.grad is not None
    return out.detach(), {"weight": w.grad, "bias": b.grad, "input": xs.grad}


def edge_image(dtype: torch.dtype = torch.float32) -> tuple[torch.Tensor, torch.Tensor]:
    """The text's example: a 6x8 image, black in columns 2-5, and its edges under K = [[1, -1]]."""
    X = torch.ones((6, 8), dtype=dtype)
    X[:, 2:6] = 0
    return X, correlate(X, torch.tensor([[1.0, -1.0]], dtype=dtype)).to(dtype)


ReferenceFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
