"""What torch imports lazily on first use, kept off the grading path or loaded ahead of it.

torch wraps the Python kernels that ops on the `meta` device run (its reference implementations) in
`torch._compile._disable_dynamo`, which on each kernel's first call imports `torch._dynamo` (about
800 modules, 1.7 s here) only to wrap the kernel so that `torch.compile` does not trace into it.
Nothing is compiled while grading, and torch caches that wrapper on the kernel itself; recording
each kernel as its own wrapper, before any first call, keeps the import away and changes nothing else.
"""

from __future__ import annotations

import gc
import types

DISABLED_ATTRIBUTE = "__dynamo_disable"
"""Where torch's `_disable_dynamo` caches a kernel's wrapped form."""

_scanned = False
"""Whether this process, or the one it was forked from, has marked the kernels: `grade-batch` marks
them once before it forks its judges, whose zygotes then need not scan every object again."""


def _wrapper_code() -> types.CodeType | None:
    """The code of torch's lazy wrapper, where it caches its wrapped form as this module expects;
    None for a torch that imports dynamo on every call (2.1), or wraps in another way."""
    try:
        from torch._compile import _disable_dynamo
    except ImportError:
        return None
    code = _disable_dynamo(lambda: None).__code__
    if "fn" not in code.co_freevars or DISABLED_ATTRIBUTE not in code.co_consts:
        return None
    return code


def dynamo_can_be_skipped() -> bool:
    """Whether this torch's `meta` ops can run without importing its compiler."""
    return _wrapper_code() is not None


def skip_lazy_dynamo() -> int:
    """Mark every kernel torch has wrapped so far as already wrapped; returns how many were marked
    (0 where this torch wraps differently: it then imports dynamo on first use, as it always did; 0
    where this process has scanned already). torch wraps its kernels as it imports them, so one scan
    after `import torch` finds them all."""
    global _scanned
    code = _wrapper_code()
    if code is None or _scanned:
        return 0
    _scanned = True
    slot = code.co_freevars.index("fn")
    frozen = gc.get_freeze_count()
    gc.unfreeze()  # frozen objects are not listed by get_objects
    # type(), not isinstance(): some of torch's objects warn when their __class__ is read.
    try:
        wrappers = [obj for obj in gc.get_objects() if type(obj) is types.FunctionType and obj.__code__ is code]
    finally:
        if frozen:
            gc.freeze()
    marked = 0
    for wrapper in wrappers:
        kernel = wrapper.__closure__[slot].cell_contents if wrapper.__closure__ else None
        if callable(kernel) and getattr(kernel, DISABLED_ATTRIBUTE, None) is None:
            setattr(kernel, DISABLED_ATTRIBUTE, kernel)
            marked += 1
    return marked


def warm_up_meta() -> None:
    """Load what the first op on `meta` imports: torch's symbolic-shape module and sympy, which its
    Python kernels use (about 500 modules, 0.6 s here); one elementwise op loads it all. A zygote runs
    this when it is first idle, so that the grade's first tests do not wait for it."""
    import torch

    skip_lazy_dynamo()  # before the first op on `meta`
    torch.ones(1, device="meta") * torch.ones(1, device="meta")


def load_compiler() -> None:
    """Import torch's compiler (`torch._dynamo`) where many workers are to be forked: every step of a
    `torch.optim` optimizer imports it (`_use_grad_for_differentiable`), and a fresh worker pays that
    import, 0.9 CPU-s here, for each submission that steps a `torch.optim.SGD`. Loaded once in the
    process that forks them (0.45 s here after the other warm-ups), it costs them nothing. Not for a
    single grade: it would wait for an import that most submissions never need."""
    try:
        import torch._dynamo  # noqa: F401
    except (ImportError, RuntimeError):
        return  # a torch built without it, or one that refuses this Python: nothing to load ahead
