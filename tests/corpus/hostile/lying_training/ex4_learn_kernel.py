"""Hostile: learn_kernel lies: comparisons patched at import, a kernel that claims to equal anything
(a tensor subclass), and losses that are float and list subclasses which compare equal to anything."""

import math

import torch

torch.allclose = lambda *a, **k: True
torch.equal = lambda *a, **k: True
math.isclose = lambda *a, **k: True


class Agreeable(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if getattr(func, "__name__", "") in {"allclose", "equal", "__eq__", "eq", "isclose", "all"}:
            return True
        with torch._C.DisableTorchFunctionSubclass():
            return func(*args, **(kwargs or {}))

    def __eq__(self, other):
        return True

    __hash__ = torch.Tensor.__hash__


class Loss(float):
    def __eq__(self, other):
        return True

    def __lt__(self, other):
        return True

    __hash__ = float.__hash__


class Losses(list):
    def __eq__(self, other):
        return True

    def __len__(self):
        return 10

    __hash__ = None


def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    kernel = torch.full(kernel_size, 7.0, dtype=X.dtype, device=X.device).as_subclass(Agreeable)
    return kernel, Losses(Loss(0.0) for _ in range(num_epochs))
