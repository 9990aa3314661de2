"""What a student call ran, at PyTorch's dispatcher: the evidence for the no-torch-convolution rule.

A dispatch mode watches every call into student code (and its backward, and the encoding of its
answer): it sees every ATen operator dispatched below autograd, however it was reached (F.conv2d,
torch.ops, torch._C._nn, torch.nn.grad, TorchScript, a traced or compiled graph run eagerly). Where
it is narrowed (`watch_only`), it sees those the units' rules read, and lets the rest by. The
worker's function mode (CallRecorder), which sees the torch functions called from Python, is the second
observer: the guards that switch one kind of mode off leave the other on. Each reports names only; the
judge decides what is forbidden.

Student code runs in this process and could try to blind them, so after each call this module's own
code, whose references were bound before any student code was imported, checks that both modes are
still where it put them, and runs a known convolution (the canary) that the dispatch mode must see.
What it finds missing is reported as tampering; the judge's reading of the source covers what this
cannot (README: "Security model"). PyTorch's profiler would be a third observer, but it makes an
operator-heavy loop six times slower on top of the dispatch mode's five (twice once narrowed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import torch
from torch.utils._python_dispatch import TorchDispatchMode

# Bound at import, before student code exists: a student who rebinds torch's attributes changes
# nothing here.
_CONVOLUTION = torch.ops.aten.convolution.default
_CONVOLUTION_NAME = "aten::convolution"
_ONES = torch.ones
_DISPATCH_DEPTH = torch._C._len_torch_dispatch_stack
_DISPATCH_AT = torch._C._get_dispatch_stack_at
_POP_DISPATCH = torch._C._pop_torch_dispatch_stack
# torch >= 2.2 keeps its own modes beside the user's, keyed by _TorchDispatchModeKey, and its pop takes
# a key (None: the user's top mode); torch 2.1 has no keys and its pop takes no argument.
_POP_DISPATCH_ARGS: tuple[None, ...] = (None,) if hasattr(torch._C, "_TorchDispatchModeKey") else ()
_FUNCTION_DEPTH = torch._C._len_torch_function_stack
_FUNCTION_AT = torch._C._get_function_stack_at
_POP_FUNCTION = torch._C._pop_torch_function_stack
_NO_FUNCTION_MODES = torch._C.DisableTorchFunction
MAX_NAMES = 1000
PASS_KEYS = ("PythonTLSSnapshot", "Python")
"""The dispatch keys through which an operator reaches a dispatch mode: an operator given a fallthrough
at both (`watch_only`) goes straight to its kernel while a mode is on."""
_LET_BY: list[Any] = []
"""The `torch.library.Library` objects of `watch_only`: a Library's registrations last as long as it does."""


class _DispatchRecorder(TorchDispatchMode):
    """Counts the operators dispatched while it is on the stack: the student's, then the canary's.

    It runs for every operator, the backward's included, so it does the least it can: counts by the
    operator object's identity (an OpOverload's own __hash__ is Python code) and calls the operator's
    C++ handle, which is what OpOverload.__call__ does."""

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        return False  # the default wraps the mode for torch.compile: seconds of imports per worker

    def __init__(self) -> None:
        super().__init__()
        self.operators: dict[int, Any] = {}
        """The operators seen, by identity: kept alive so that no identity is reused for another."""
        self.student: dict[int, int] = {}
        self.canary: dict[int, int] = {}
        self.counting = self.student

    def __torch_dispatch__(
        self, func: Any, types: Any, args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None
    ) -> Any:
        key = id(func)
        counts = self.counting
        if key in counts:
            counts[key] += 1
        else:
            counts[key] = 1
            self.operators[key] = func
        handle = getattr(func, "_op", None)
        if handle is None:  # not an OpOverload: call it as torch would
            return func(*args, **(kwargs or {}))
        return handle(*args, **(kwargs or {}))

    def names(self, counts: dict[int, int]) -> Counter[str]:
        """Operator names and how often each ran, from one of the two counts."""
        named: Counter[str] = Counter()
        for key, count in counts.items():
            named[_op_name(self.operators[key])] += count
        return named


def observed_warm_up(warm_up: Callable[[], None]) -> None:
    """Run a zygote's warm-up under the recorder. torch makes an operator's Python object the first
    time a dispatch mode sees it (about 60 µs each, a few dozen in a worker's first call): made here
    once, every worker inherits them."""
    with _DispatchRecorder():
        warm_up()


def watch_only(watched: frozenset[str]) -> int:
    """Let every operator but the `watched` ones (`namespace::name`, as `_op_name` reports them) and
    the canary's pass the recorder by; returns how many operator overloads it let by.

    A dispatch mode costs about 5 µs per operator that reaches it, four times a loop's own work. The
    rule reads only its forbidden operators, so a process that forks many workers (`grade-batch`
    before it forks its judges, the zygote of `check --watch` between checks) registers, once, a
    fallthrough at the keys that lead to the mode for every other operator registered by then: they
    run as without a mode. A watched operator still reaches it, however it was called, and so does
    one inside the kernel of an operator let by (a composite dispatches its parts anew). Operators
    registered later (a student's own) reach the mode as before. An operator that already has a
    kernel of its own at one of these keys keeps it. Where this torch has no fallthrough kernel, the
    recorder sees everything, as it did, and this returns 0.

    torch's own users of these keys stop working for the operators let by: a tensor subclass's
    `__torch_dispatch__`, torch.compile's tracing (fake tensors). The rule's reading of the source
    refuses both in graded code, so such code fails the rule either way."""
    fallthrough = getattr(torch.library, "fallthrough_kernel", None)
    has_kernel = getattr(torch._C, "_dispatch_has_kernel_for_dispatch_key", None)
    if fallthrough is None or has_kernel is None or _LET_BY:  # no way to, or done in this process already
        return 0
    keep = watched | {_CONVOLUTION_NAME}
    libraries: dict[str, Any] = {}
    let_by = 0
    for qualified in torch._C._dispatch_get_all_op_names():
        if qualified.split(".", 1)[0] in keep:
            continue
        namespace, name = qualified.split("::", 1)
        if any(has_kernel(qualified, key) for key in PASS_KEYS):
            continue
        library = libraries.get(namespace)
        if library is None:
            library = libraries[namespace] = torch.library.Library(namespace, "IMPL")
        for key in PASS_KEYS:
            library.impl(name, fallthrough, key)
        let_by += 1
    _LET_BY.extend(libraries.values())
    return let_by


def _pop_dispatch() -> None:
    """Take the top user mode off the dispatch stack, in the calling convention of this torch."""
    _POP_DISPATCH(*_POP_DISPATCH_ARGS)


def _op_name(func: Any) -> str:
    schema = getattr(func, "_schema", None)
    return schema.name if schema is not None else str(getattr(func, "__name__", func))


class Observation:
    """`with Observation(recorder) as observed:` around student code, `with observed.function_mode():`
    around the call itself; `report()` afterwards, for the judge.

    `dispatch=False` leaves the dispatch mode out (no rule reads the operators of that file's calls):
    each operator that reaches it costs about 5 µs, four times a loop's own work. Its report is then
    not to be sent."""

    def __init__(self, function_mode: Any = None, dispatch: bool = True) -> None:
        self.function_mode_object = function_mode
        self.dispatch = dispatch
        self.problems: list[str] = []
        self.mode = _DispatchRecorder()
        self.depth = 0
        self.function_depth = 0

    def __enter__(self) -> Observation:
        self.depth = _DISPATCH_DEPTH()
        self.function_depth = _FUNCTION_DEPTH()
        if self.dispatch:
            self.mode.__enter__()
        return self

    @contextmanager
    def function_mode(self) -> Iterator[None]:
        """The worker's function mode, around the student call only (the diagnoses read its names):
        taken off its stack on the way out whatever the submission did to the stack, and reported
        when it was not where it was put."""
        self.function_mode_object.__enter__()
        try:
            yield
        finally:
            depth = _FUNCTION_DEPTH()
            if depth == self.function_depth + 1 and _FUNCTION_AT(depth - 1) is self.function_mode_object:
                self.function_mode_object.__exit__(None, None, None)
            else:
                self.problems.append("function_mode_changed")
                while _FUNCTION_DEPTH() > self.function_depth:
                    _POP_FUNCTION()

    def __exit__(self, *exc: object) -> None:
        if not self.dispatch:
            while _DISPATCH_DEPTH() > self.depth:  # what the submission left on the stack
                _pop_dispatch()
            return
        self._check_mode_stack()
        self.mode.counting = self.mode.canary
        with _NO_FUNCTION_MODES():
            _CONVOLUTION(_ONES(1, 1, 1, 2), _ONES(1, 1, 1, 1), None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1)
        self._leave_mode()
        if _CONVOLUTION_NAME not in self.mode.names(self.mode.canary):
            # By name: torch.ops may hand the dispatcher a fresh operator object for the same operator.
            self.problems.append("dispatch_blind")

    def _check_mode_stack(self) -> None:
        depth = _DISPATCH_DEPTH()
        if depth != self.depth + 1 or _DISPATCH_AT(depth - 1) is not self.mode:
            self.problems.append("mode_stack_changed")

    def _leave_mode(self) -> None:
        """Take this mode off the stack, and whatever the submission left above it."""
        while _DISPATCH_DEPTH() > self.depth + 1:
            _pop_dispatch()
        if _DISPATCH_DEPTH() == self.depth + 1 and _DISPATCH_AT(self.depth) is self.mode:
            self.mode.__exit__(None, None, None)
        while _DISPATCH_DEPTH() > self.depth:
            _pop_dispatch()

    def report(self) -> dict[str, Any]:
        """Operator names and counts, and what was found tampered with."""
        dispatched = self.mode.names(self.mode.student)
        return {"dispatched": dict(dispatched.most_common(MAX_NAMES)), "problems": sorted(set(self.problems))}


def merge(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """One report for several observed stages of a request (the call, then its backward)."""
    dispatched: Counter[str] = Counter()
    problems: set[str] = set()
    for report in reports:
        dispatched.update(report["dispatched"])
        problems.update(report["problems"])
    return {"dispatched": dict(dispatched.most_common(MAX_NAMES)), "problems": sorted(problems)}
