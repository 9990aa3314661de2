"""Why no gradient flowed: name the call that cut the graph, from the worker's call trace."""

from __future__ import annotations

from autograder.feedback import Feedback
from autograder.i18n import msg
from autograder.judge.mistakes import named
from autograder.judge.student import Trace

# In the order a student most likely wrote them; the first one found is named.
_CUTTERS = (
    ("Tensor.item", "autograd_item"),
    ("Tensor.tolist", "autograd_tolist"),
    ("Tensor.numpy", "autograd_numpy"),
    ("torch.from_numpy", "autograd_numpy"),
    ("torch.tensor", "autograd_new_tensor"),
    ("torch.as_tensor", "autograd_new_tensor"),
    ("Tensor.detach", "autograd_detach"),
    ("Tensor.data", "autograd_detach"),
)


def graph_cut(trace: Trace, name: str, lost: str) -> Feedback:
    """Feedback for an output (or a gradient of input `lost`) that autograd cannot reach."""
    for call, mistake in _CUTTERS:
        if trace.calls.get(call):
            file, line = trace.where.get(call, ("", 0))
            where = msg("check.where", file=file, line=line) if file else ""
            return named(mistake, {"name": name, "call": call.split(".", 1)[1], "where": where, "input": lost})
    return named("autograd_broken", {"name": name, "input": lost})
