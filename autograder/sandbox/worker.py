"""The untrusted side: a process that imports one student module and answers the judge's calls.

Everything here runs after the sandbox is in place and may be tampered with by student code; the
judge therefore treats every answer as a claim to check, never as a verdict. Catching BaseException
around student code is deliberate: SystemExit and KeyboardInterrupt are student behaviour to report.
"""

from __future__ import annotations

import importlib
import io
import math
import os
import socket
import sys
import time
import traceback
from collections import Counter
from types import FrameType
from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from autograder.backprop import backward_with
from autograder.errors import StudentFault
from autograder.sandbox import wire
from autograder.sandbox.observer import Observation, merge

NOTABLE_CALLS = frozenset(
    {
        "Tensor.item",
        "Tensor.tolist",
        "Tensor.numpy",
        "Tensor.detach",
        "Tensor.data",
        "Tensor.cpu",
        "Tensor.cuda",
        "torch.tensor",
        "torch.as_tensor",
        "torch.from_numpy",
    }
)
TRACEBACK_LIMIT = 3000


class TruncatingWriter(io.TextIOBase):
    """Stands in for stdout/stderr: keeps the first `limit` characters, drops the rest."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept: list[str] = []
        self.size = 0
        self.dropped = 0
        self.since = 0
        """Where the current request's output starts: an error shows only what its own call printed."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        room = self.limit - self.size
        if room > 0:
            self.kept.append(text[:room])
            self.size += min(len(text), room)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def mark(self) -> None:
        self.since = self.size

    def tail(self, chars: int = 1000) -> str:
        text = "".join(self.kept)[self.since :][-chars:]
        return text + ("\n[... output cut ...]" if self.dropped else "")


def _func_name(func: Any) -> str:
    """A stable, readable name for a function seen by a torch mode."""
    qualname = getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or repr(func)
    module = getattr(func, "__module__", None)
    if qualname.startswith("pybind11_"):  # torch.ops.aten.<op>
        return f"torch.ops.{getattr(func, '__name__', '?')}"
    if qualname == "getset_descriptor.__get__":
        owner = getattr(func, "__self__", None)
        return f"Tensor.{getattr(owner, '__name__', '?')}"
    if qualname.startswith(("Tensor.", "TensorBase.", "_TensorBase.")):  # torch < 2.2 says _TensorBase
        return "Tensor." + qualname.split(".", 1)[1]
    if qualname.startswith("_VariableFunctionsClass."):
        return "torch." + qualname.split(".", 1)[1]
    if module and module.startswith("torch"):
        return f"{module}.{qualname}"
    return qualname


class CallRecorder(TorchFunctionMode):
    """Counts the torch functions a call used, and where in the student's files the notable ones were.

    A function mode sees every torch function and tensor method called from Python, by the name the
    student wrote: what the diagnoses read. The rule's evidence comes from the dispatcher instead
    (autograder.sandbox.observer).
    """

    def __init__(self, student_dir: str) -> None:
        super().__init__()
        self.student_dir = student_dir
        self.counts: Counter[str] = Counter()
        self.where: dict[str, list[int | str]] = {}
        self._names: dict[int, str] = {}

    def __torch_function__(
        self, func: Any, types: Any, args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None
    ) -> Any:
        name = self._names.get(id(func))
        if name is None:
            name = self._names[id(func)] = _func_name(func)
        self.counts[name] += 1
        if name in NOTABLE_CALLS and name not in self.where:
            self.where[name] = self._student_frame()
        return func(*args, **(kwargs or {}))

    def _student_frame(self) -> list[int | str]:
        frame: FrameType | None = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_filename.startswith(self.student_dir):
                return [os.path.basename(frame.f_code.co_filename), frame.f_lineno]
            frame = frame.f_back
        return []


def _notable(calls: CallRecorder) -> str:
    """The notable calls a call made before it raised (a `.cpu()` or `.tolist()` behind a failure)."""
    return ",".join(sorted(name for name in calls.counts if name in NOTABLE_CALLS))


# ----------------------------------------------------------------------------- results


def _type_name(obj: Any) -> str:
    try:
        kind = type(obj)
        return f"{kind.__module__}.{kind.__qualname__}"[:200]
    except BaseException:  # noqa: BLE001 - a hostile metaclass may raise anything
        return "?"


def encode_result(obj: Any, buffers: list[bytes], max_bytes: int, depth: int = 0) -> Any:
    """Turn whatever student code returned into wire data; unknown objects cross as a type name."""
    kind = type(obj)
    if obj is None or kind is bool or kind is str:
        return obj[: wire.MAX_TEXT] if kind is str else obj
    if kind is int:
        return obj if abs(obj) < (1 << 63) else {"$other": "int", "detail": "too large"}
    if isinstance(obj, float):  # numpy.float64 is a float too; float.__float__ reads the value itself
        value = float.__float__(obj)
        return value if math.isfinite(value) else {"$float": repr(value)}
    if kind in (tuple, list) and depth < wire.MAX_DEPTH:
        if len(obj) > 1000:
            return {"$other": _type_name(obj), "detail": f"{len(obj)} items"}
        items = [encode_result(item, buffers, max_bytes, depth + 1) for item in obj]
        return {"$tuple": items} if kind is tuple else items
    if isinstance(obj, torch.Tensor):
        return encode_tensor(obj, buffers, max_bytes)
    detail = ""
    if _type_name(obj) == "numpy.ndarray":
        detail = f"shape {tuple(obj.shape)}"
    return {"$other": _type_name(obj), "detail": detail}


def encode_tensor(obj: torch.Tensor, buffers: list[bytes], max_bytes: int) -> dict[str, Any]:
    with torch._C.DisableTorchFunctionSubclass():
        tensor = obj.as_subclass(torch.Tensor) if type(obj) is not torch.Tensor else obj
        dtype = wire.DTYPE_NAMES.get(tensor.dtype)
        if dtype is None:
            return {"$other": "torch.Tensor", "detail": f"dtype {tensor.dtype}"}
        node: dict[str, Any] = {
            "dtype": dtype,
            "shape": list(tensor.shape),
            "device": str(tensor.device),
            "requires_grad": bool(tensor.requires_grad),
            "grad_fn": None if tensor.grad_fn is None else type(tensor.grad_fn).__name__,
            "type_name": _type_name(obj),
        }
        if tensor.device.type == "meta" or tensor.numel() * tensor.element_size() > max_bytes:
            node["$tensor"] = -1
        else:
            buffers.append(wire.tensor_bytes(tensor))
            node["$tensor"] = len(buffers) - 1
    return node


# ----------------------------------------------------------------------------- requests


def build_value(node: Any, buffers: list[bytes]) -> Any:
    """Rebuild a judge-side argument (trusted input) as real tensors on the requested device."""
    if isinstance(node, list):
        return [build_value(item, buffers) for item in node]
    if not isinstance(node, dict):
        return node
    if "$tuple" in node:
        return tuple(build_value(item, buffers) for item in node["$tuple"])
    if "$dict" in node:
        return {key: build_value(value, buffers) for key, value in node["$dict"].items()}
    if "$float" in node:
        return float(node["$float"])
    dtype = wire.DTYPES[node["dtype"]]
    shape = tuple(node["shape"])
    device = node["device"]
    if device == "meta":
        tensor = torch.empty(shape, dtype=dtype, device="meta")
    else:
        raw = buffers[node["$tensor"]]
        if raw:
            tensor = torch.frombuffer(bytearray(raw), dtype=torch.uint8).view(dtype).reshape(shape)
        else:
            tensor = torch.empty(shape, dtype=dtype)
        tensor = tensor.to(device)
    return tensor.requires_grad_(bool(node.get("requires_grad")))


class StudentRaised(StudentFault):
    """Student code raised during `stage`; carries the trimmed report."""

    def __init__(self, stage: str, report: dict[str, Any]) -> None:
        super().__init__(stage)
        self.stage = stage
        self.report = report


class Worker:
    """Serves calls into one student module over `sock`; without one (None), answers only the
    requests handed to its handlers in-process (autograder.jupyter.namespace)."""

    def __init__(
        self,
        sock: socket.socket | None,
        student_dir: str,
        module_name: str,
        limits_bytes: int,
        output: TruncatingWriter,
        use_cuda: bool = False,
        observe_dispatch: bool = True,
    ) -> None:
        self.sock = sock
        self.use_cuda = use_cuda
        self.observe_dispatch = observe_dispatch
        self.student_dir = student_dir
        self.module_name = module_name
        self.max_bytes = limits_bytes
        self.output = output
        self.module: Any = None

    # -- error reports
    def error_report(self, exc: BaseException) -> dict[str, Any]:
        """Exception type, message and the traceback trimmed to the student's own frames."""
        try:
            every = traceback.extract_tb(exc.__traceback__)
            frames = [frame for frame in every if frame.filename.startswith(self.student_dir)]
            lines = []
            for frame in frames[-8:]:
                lines.append(f'  File "{os.path.basename(frame.filename)}", line {frame.lineno}, in {frame.name}')
                if frame.line:
                    lines.append(f"    {frame.line}")
            message = str(exc)
            # Raised by a `raise` statement of the student's own (a stub's NotImplementedError), or
            # from inside PyTorch or another library on the student's line?
            innermost = every[-1] if every else None
            own_raise = (
                innermost is not None
                and innermost.filename.startswith(self.student_dir)
                and (innermost.line or "").lstrip().startswith("raise")
            )
            raised_in = ""
            if innermost is not None and not innermost.filename.startswith(self.student_dir):
                parts = innermost.filename.replace("\\", "/").split("/")
                raised_in = next((p for p in ("numpy", "torch") if p in parts), "")
        except BaseException:  # noqa: BLE001 - str() of a hostile exception may raise anything
            lines, message, own_raise, raised_in = [], "?", False, ""
        # The scratch folder is the grader's: the student knows their files by name alone.
        scratch = self.student_dir.rstrip(os.sep) + os.sep
        return {
            "exc_type": _type_name(exc).removeprefix("builtins."),
            "message": message.replace(scratch, "")[:1000],
            "traceback": "\n".join(lines)[-TRACEBACK_LIMIT:],
            "printed": self.output.tail().replace(scratch, ""),
            "raised_by_student": "yes" if own_raise else "",
            "raised_in": raised_in,
        }

    def run_student(self, stage: str, func: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - student code: whatever it raises is reported
            raise StudentRaised(stage, self.error_report(exc)) from None

    # -- protocol
    def send(self, header: dict[str, Any], buffers: list[bytes]) -> None:
        assert self.sock is not None, "a worker without a channel answers in-process only"
        wire.send_message(self.sock, header, buffers)

    def import_module(self) -> None:
        sys.path.insert(0, self.student_dir)
        try:
            self.module = self.run_student("import", importlib.import_module, self.module_name)
        except StudentRaised as raised:
            self.send({"status": "import_failed", **raised.report}, [])
            return
        self.send({"status": "ready"}, [])

    def claim_device(self) -> bool:
        """Start CUDA before any student code runs. A failure here is the machine's (no driver, a
        device the sandbox cannot open), never the student's, and the judge is told which it was."""
        try:
            torch.ones(1, device="cuda").add_(1)
            torch.cuda.synchronize()
        except (RuntimeError, AssertionError, torch.cuda.DeferredCudaCallError) as exc:
            self.send({"status": "device_unavailable", "message": str(exc)[:1000] or type(exc).__name__}, [])
            return False
        self.send({"status": "device_ready"}, [])
        return True

    def serve(self) -> None:
        # The first message, before any student code: what ends the process before it is the
        # machine's doing (see WorkerPool._await_sandbox).
        self.send({"status": "sandboxed"}, [])
        if self.use_cuda and not self.claim_device():
            return
        # torch.empty and its kin fill with NaN: an output left partly unwritten then fails the same
        # way on every run, instead of with whatever the memory held. torch 2.1 always fills in this
        # mode; later versions make it a switch (on by default), which a worker keeps on. The flag is
        # set where torch.use_deterministic_algorithms sets it: that function also imports the
        # compiler's configuration (torch._inductor, which pulls in torch._dynamo), 1.5 s per worker.
        torch._C._set_deterministic_algorithms(True, warn_only=True)
        deterministic = getattr(torch.utils, "deterministic", None)
        if deterministic is not None:
            deterministic.fill_uninitialized_memory = True
        self.import_module()
        if self.module is None:
            return
        while True:
            assert self.sock is not None, "a worker without a channel answers in-process only"
            try:
                header, buffers = wire.recv_message(self.sock, None, 1 << 30)
            except wire.ChannelClosed:
                return
            out_buffers: list[bytes] = []
            self.output.mark()
            try:
                handler = {"call": self.handle_call, "layer": self.handle_layer}[header["op"]]
                reply = handler(header, buffers, out_buffers)
                reply["status"] = "ok"
            except StudentRaised as raised:
                out_buffers = []
                reply = {"status": "raised", "stage": raised.stage, **raised.report}
            self.send(reply, out_buffers)

    def lookup(self, name: str) -> Any:
        return self.run_student("lookup", getattr, self.module, name)

    # -- operations
    def handle_call(self, header: dict[str, Any], buffers: list[bytes], out: list[bytes]) -> dict[str, Any]:
        """Call a function, optionally backpropagate through its result, report what it did."""
        func = self.lookup(header["function"])
        args = build_value(header["args"], buffers)
        kwargs = build_value(header.get("kwargs", {"$dict": {}}), buffers)
        if header.get("seed") is not None:
            torch.manual_seed(header["seed"])
        originals = [
            a.detach().clone() if isinstance(a, torch.Tensor) and a.device.type != "meta" else None for a in args
        ]
        calls = CallRecorder(self.student_dir)
        with Observation(calls, self.observe_dispatch) as observed:
            started = time.perf_counter()
            try:
                with observed.function_mode():
                    result = self.run_student("call", func, *args, **kwargs)
            except StudentRaised as raised:
                raised.report["notable"] = _notable(calls)
                raise
            elapsed = time.perf_counter() - started
            value = self.run_student("result", encode_result, result, out, self.max_bytes)
        reports = [observed.report()]
        reply: dict[str, Any] = {
            "value": value,
            "elapsed": elapsed,
            "calls": dict(calls.counts),
            "where": calls.where,
            "inputs_changed": [
                bool(orig is not None and not torch.equal(orig, a.detach()))
                for orig, a in zip(originals, args, strict=False)
            ],
        }
        backward = header.get("backward")
        if backward is not None:
            grad_output = build_value(backward["grad_output"], buffers)
            with Observation(dispatch=self.observe_dispatch) as observed_backward:
                reply["backward"] = self.backward(result, grad_output, [args[i] for i in backward["wrt"]], out)
            reports.append(observed_backward.report())
        if self.observe_dispatch:
            reply["observed"] = merge(reports)
        return reply

    def backward(
        self, result: Any, grad_output: torch.Tensor, inputs: list[torch.Tensor], out: list[bytes]
    ) -> dict[str, Any]:
        if not isinstance(result, torch.Tensor):
            return {"skipped": "not_tensor"}
        if not result.requires_grad:
            return {"skipped": "no_grad"}
        if tuple(result.shape) != tuple(grad_output.shape):
            return {"skipped": "shape"}
        grad_output = grad_output.to(dtype=result.dtype, device=result.device)
        self.run_student("backward", backward_with, result, grad_output)
        return {"grads": [None if t.grad is None else encode_tensor(t.grad, out, self.max_bytes) for t in inputs]}

    def handle_layer(self, header: dict[str, Any], buffers: list[bytes], out: list[bytes]) -> dict[str, Any]:
        """Build a student layer, describe its parameters, optionally set them, run forward and backward."""
        cls = self.lookup(header["class"])
        init_args = build_value(header["init_args"], buffers)
        if header.get("seed") is not None:
            torch.manual_seed(header["seed"])
        layer = self.run_student("construct", cls, *init_args)
        reply: dict[str, Any] = {"is_module": isinstance(layer, nn.Module)}
        reply["parameters"] = self.run_student("parameters", self.describe_parameters, layer)
        reply["attributes"] = {
            name: self.run_student("attributes", self.describe_attribute, layer, name, out)
            for name in header.get("attributes", [])
        }
        device = header.get("device", "cpu")
        if header.get("move"):
            # `.to` itself is the student's: a class that is no nn.Module has none, and says so.
            layer = self.run_student("move", lambda: layer.to(device))
        for name, node in header.get("assign", {}).items():
            value = build_value(node, buffers)
            if not self.run_student("assign", self.assign, layer, name, value):
                reply["unassignable"] = name
                return reply
        if "input" not in header:
            return reply
        x = build_value(header["input"], buffers)
        calls = CallRecorder(self.student_dir)
        with Observation(calls, self.observe_dispatch) as observed:
            try:
                with observed.function_mode():
                    result = self.run_student("forward", layer, x)
            except StudentRaised as raised:
                raised.report["notable"] = _notable(calls)
                raise
            reply["output"] = self.run_student("result", encode_result, result, out, self.max_bytes)
        reports = [observed.report()]
        reply["calls"], reply["where"] = dict(calls.counts), calls.where
        if header.get("backward") is not None:
            grad_output = build_value(header["backward"], buffers)
            with Observation(dispatch=self.observe_dispatch) as observed_backward:
                targets = [
                    self.run_student("attributes", getattr, layer, name, None) for name in header.get("attributes", [])
                ]
                tensors = [t if isinstance(t, torch.Tensor) and t.is_leaf else torch.empty(0) for t in targets]
                reply["backward"] = self.backward(result, grad_output, [*tensors, x], out)
            reports.append(observed_backward.report())
        if self.observe_dispatch:
            reply["observed"] = merge(reports)
        return reply

    @staticmethod
    def describe_parameters(layer: Any) -> list[dict[str, Any]]:
        if not isinstance(layer, nn.Module):
            return []
        return [
            {"name": str(name)[:200], "shape": list(p.shape), "dtype": str(p.dtype), "device": str(p.device)}
            for name, p in list(layer.named_parameters())[:50]
        ]

    def describe_attribute(self, layer: Any, name: str, out: list[bytes]) -> dict[str, Any]:
        missing = object()
        value = getattr(layer, name, missing)
        if value is missing:
            return {"present": False}
        info: dict[str, Any] = {
            "present": True,
            "type_name": _type_name(value),
            "is_parameter": isinstance(value, nn.Parameter),
        }
        if isinstance(value, torch.Tensor):
            info["value"] = encode_tensor(value, out, self.max_bytes)
        return info

    @staticmethod
    def assign(layer: Any, name: str, value: torch.Tensor) -> bool:
        """Set a parameter to the test's value in the form the layer holds it (a 0-d bias gets the
        value as a 0-d tensor, a number bias a number); False when the value cannot fit it."""
        target = getattr(layer, name, None)
        if isinstance(target, torch.Tensor):
            if target.numel() != value.numel():
                return False
            with torch.no_grad():
                target.copy_(value.reshape(target.shape))
            return True
        if isinstance(target, (int, float)) and not isinstance(target, bool) and value.numel() == 1:
            setattr(layer, name, float(value.reshape(())))
            return True
        return False


def serve(
    sock: socket.socket,
    student_dir: str,
    module_name: str,
    max_result_bytes: int,
    output_limit: int,
    use_cuda: bool,
    observe_dispatch: bool = True,
) -> None:
    """Entry point of a worker once the sandbox is in place."""
    output = TruncatingWriter(output_limit)
    sys.stdout = sys.stderr = output
    Worker(sock, student_dir, module_name, max_result_bytes, output, use_cuda, observe_dispatch).serve()
