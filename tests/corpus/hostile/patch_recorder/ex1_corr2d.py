"""Hostile: replaces the worker's recorder through sys.modules at import, then convolves with a computed name."""

import sys

import torch

for _name, _module in list(sys.modules.items()):
    if _name.startswith("autograder.sandbox"):
        for _attr in ("Observation", "CallRecorder"):
            if hasattr(_module, _attr):
                _real = getattr(_module, _attr)

                class _Blind(_real):  # a recorder that reports nothing
                    def report(self):
                        return {"dispatched": {}, "profiled": None, "problems": []}

                setattr(_module, _attr, _Blind)

_OP = torch.ops.aten.__getattr__("".join(map(chr, (99, 111, 110, 118, 111, 108, 117, 116, 105, 111, 110))))


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    out = _OP(X[None, None], K[None, None], None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1)
    return out[0, 0]
