"""What the no-torch-convolution rule forbids, found in PyTorch's own registries rather than listed by hand.

An operator is forbidden when it computes a convolution, a correlation or an unfolding into windows:
its name says so (conv*, *convolution*, im2col, col2im, unfold, correlate, fold), or its schema does
(it takes a weight and slides it with a stride and a padding). The sets are read from the dispatcher's
registry and from TorchScript's schemas (aten, prims, quantized, mkldnn, cudnn, miopen, onednn, ...), so
an operator a new PyTorch adds is covered without an edit here. Fourier transforms form a set of their
own: the exercise asks for the sliding window itself, and a correlation by the convolution theorem
leaves that to PyTorch (README: "Security model").

The Python-level names (F.conv2d, nn.Conv2d, Tensor.unfold, torch.nn.grad.conv2d_weight, ...) are read
from the namespaces students reach them through, by the same test on the name. The names of the
interfaces that could blind the grader's recorder (dispatch and function modes, the profiler, dispatch
key guards) are read from PyTorch's internals in the same way.
"""

from __future__ import annotations

import importlib
import re
from functools import cache

import torch

COMPUTES_CONVOLUTION = re.compile(
    r"(?:(?<![a-z])q?conv|Conv)(?:\d|_|olution|olve|[A-Z]|$)|[cC]onvolution|im2col|col2im|[uU]nfold|[cC]orrelat"
    r"|^[fF]old$"
)
"""A name that says it computes a convolution, correlation or unfolding (not `convert`, not `corrcoef`)."""
COMPUTES_FOURIER = re.compile(r"(?<![a-z])i?r?h?fft|(?<![a-z])i?stft$")
TRANSFORMS_NOTHING = re.compile(r"freq|shift")
"""fftfreq and fftshift are helpers of the Fourier transforms that transform nothing."""
SLIDING_WEIGHT = frozenset({"weight", "stride", "padding"})
"""A schema with these arguments slides a weight over its input: a convolution whatever its name."""

PYTHON_NAMESPACES = (
    "torch",
    "torch.nn",
    "torch.nn.functional",
    "torch.nn.grad",
    "torch._C._nn",
    "torch._C._VariableFunctions",
    "torch.Tensor",
    "torch.ao.nn.quantized",
    "torch.ao.nn.quantized.functional",
    "torch.ao.nn.intrinsic",
    "torch.ao.nn.qat",
    "numpy",
    "numpy.lib.stride_tricks",
)
"""Where student code finds a convolution by name."""
FOURIER_NAMESPACES = ("torch.fft", "numpy.fft")
NOT_INSTALLED = ("correlate1d", "correlate2d", "convolve1d", "convolve2d", "fftconvolve", "oaconvolve")
"""SciPy's correlation functions (scipy.signal, scipy.ndimage): the kit does not install SciPy, so its
namespaces cannot be read; their names are the only ones given here."""

TAMPERING_NAMESPACES = (
    "torch._C",
    "torch._C._autograd",
    "torch._C._profiler",
    "torch.autograd",
    "torch.autograd.profiler",
    "torch.profiler",
    "torch.overrides",
    "torch.utils._python_dispatch",
    "torch._ops",
)
TOUCHES_RECORDER = re.compile(
    r"(?i)dispatch|torch_?function|_mode|mode_|^mode$|profil|disable|exclude|include|guard|tls|toggle"
    r"|record_?function|RecordFunction|_push_|_pop_|subclass"
)
"""A name of these internals that switches a mode, the profiler or a dispatch key on or off."""
ABOUT_AUTOGRAD = re.compile(r"grad_mode|inference|anomaly|saved_tensors|autocast|Autocast")
"""Names the test above catches that switch autograd features, not the recorder."""
RECORDER_MODULES = frozenset(
    {"_python_dispatch", "overrides", "profiler", "_profiler", "__torch_function__", "__torch_dispatch__"}
)


def _base(op: str) -> str:
    """`aten::conv2d.padding` -> `conv2d`."""
    return op.split("::", 1)[-1].split(".", 1)[0]


def _packet(op: str) -> str:
    """`aten::conv2d.padding` -> `aten::conv2d`: the name the recorder reports."""
    return op.split(".", 1)[0]


@cache
def _registry() -> tuple[tuple[str, frozenset[str]], ...]:
    """Every operator PyTorch knows, as (namespace::name, argument names)."""
    ops: dict[str, set[str]] = {_packet(name): set() for name in torch._C._dispatch_get_all_op_names()}
    for schema in torch._C._jit_get_all_schemas():
        ops.setdefault(_packet(schema.name), set()).update(argument.name for argument in schema.arguments)
    return tuple((name, frozenset(arguments)) for name, arguments in sorted(ops.items()))


@cache
def convolution_operators() -> frozenset[str]:
    """Registered operators (`namespace::name`) that compute a convolution, correlation or unfolding."""
    return frozenset(
        name
        for name, arguments in _registry()
        if COMPUTES_CONVOLUTION.search(_base(name)) or arguments >= SLIDING_WEIGHT
    )


@cache
def fourier_operators() -> frozenset[str]:
    """Registered operators that compute a discrete Fourier transform."""
    return frozenset(name for name, _ in _registry() if _is_fourier(_base(name)))


def watched_operators() -> frozenset[str]:
    """The operators the rule reads from a call's trace: the worker's recorder need see no other."""
    return convolution_operators() | fourier_operators()


def _is_fourier(name: str) -> bool:
    return bool(COMPUTES_FOURIER.search(name)) and not TRANSFORMS_NOTHING.search(name)


def _names_in(namespaces: tuple[str, ...]) -> set[str]:
    names: set[str] = set()
    for dotted in namespaces:
        try:
            owner = _resolve(dotted)
        except (ImportError, AttributeError):
            continue
        names.update(dir(owner))
    return names


def _resolve(dotted: str) -> object:
    """A module or class by its dotted name, through attributes where it is no importable module."""
    top, *rest = dotted.split(".")
    owner: object = importlib.import_module(top)
    for index, part in enumerate(rest, start=1):
        try:
            owner = importlib.import_module(".".join([top, *rest[:index]]))
        except ImportError:
            owner = getattr(owner, part)
    return owner


@cache
def convolution_names() -> frozenset[str]:
    """Python names of the forbidden operators and functions: what the source check looks for."""
    names = {_base(op) for op in convolution_operators()}
    names.update(n for n in _names_in(PYTHON_NAMESPACES) if COMPUTES_CONVOLUTION.search(n))
    names.update(NOT_INSTALLED)
    return frozenset(n for n in names if not n.startswith("__"))


@cache
def fourier_names() -> frozenset[str]:
    """Python names of the Fourier transforms, and of the `fft` modules themselves."""
    names = {_base(op) for op in fourier_operators()}
    names.update(n for n in _names_in(FOURIER_NAMESPACES) if _is_fourier(n))
    names.add("fft")
    return frozenset(names)


@cache
def recorder_names() -> frozenset[str]:
    """Names of PyTorch's internals that switch modes, the profiler or dispatch keys: the ways to blind
    the recorder, and nothing a cross-correlation needs."""
    found = {
        n
        for n in _names_in(TAMPERING_NAMESPACES)
        if TOUCHES_RECORDER.search(n) and not ABOUT_AUTOGRAD.search(n) and not n.startswith("__")
    }
    return frozenset(found | RECORDER_MODULES)


def build_tables() -> None:
    """Every table above, built now: the judge's warm-up (about 0.1 s, reading every operator's
    schema), while its zygote warms up, rather than on a grade's first check."""
    convolution_names()
    fourier_names()
    recorder_names()
