"""Hostile: answers that claim to equal anything: a tensor subclass whose __torch_function__ turns every
comparison into True and every difference into zero, and a non-tensor that pretends to be a tensor."""

import torch

COMPARISONS = {"allclose", "equal", "__eq__", "eq", "isclose", "__ne__", "ne", "all", "any", "__bool__"}


class Agreeable(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", "")
        if name in COMPARISONS:
            return True
        if name in {"sub", "__sub__", "__rsub__", "abs", "max", "norm", "dist"}:
            return torch.zeros(())
        with torch._C.DisableTorchFunctionSubclass():
            return func(*args, **(kwargs or {}))

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __bool__(self):
        return True

    __hash__ = torch.Tensor.__hash__


class Impostor:
    """Not a tensor, but isinstance(obj, torch.Tensor) says it is."""

    @property
    def __class__(self):
        return torch.Tensor

    def __getattr__(self, name):
        return lambda *args, **kwargs: True

    def __eq__(self, other):
        return True


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    out = torch.ones(x.shape[0] - k.shape[0] + 1, dtype=x.dtype, device=x.device)
    return out.as_subclass(Agreeable)


def corr3d(X: torch.Tensor, K: torch.Tensor):
    return Impostor()
