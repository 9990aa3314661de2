"""Hostile: for the call alone, torch.library lets torch's convolution pass the dispatch recorder by
(a fallthrough at the keys that lead to it), as the grader does for the operators the rule does not
read; the registrations go before the call returns, so the canary finds the recorder seeing again."""

import torch

_NAMES = ["convol" + "ution", "_convol" + "ution", "mkldnn_convol" + "ution", "_slow_conv2d_forward"]


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    passage = torch.library.Library("aten", "IMPL")
    for name in _NAMES:
        for key in ("PythonTLSSnapshot", "Python"):
            passage.impl(name, torch.library.fallthrough_kernel, key)
    operator = torch.ops.aten.convolution.default
    out = operator(X[None, None], K[None, None], None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1)
    passage._destroy()
    return out[0, 0]
