"""What a test sees of a submission: `student.NAME(*args)` forwards the call to a worker.

Arguments are judge-made tensors; answers come back as plain data (TensorValue, numbers, OtherValue)
that the test compares with references it computed itself. No student object ever reaches the judge.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import torch

from autograder.sandbox import wire
from autograder.sandbox.client import BadReply, RequestPool
from autograder.sandbox.wire import OtherValue, TensorSpec, TensorValue
from autograder.unit import Unit


@dataclass(frozen=True)
class Trace:
    """What a call ran, as the worker reported it: torch functions and where the notable ones were."""

    calls: dict[str, int] = field(default_factory=dict)
    where: dict[str, tuple[str, int]] = field(default_factory=dict)
    dispatched: dict[str, int] = field(default_factory=dict)
    """ATen operators the dispatcher ran for the call (and its backward), by name: the rule's evidence."""
    problems: tuple[str, ...] = ()
    """What the worker found tampered with in its recorder (autograder.sandbox.observer)."""
    observed: bool = False
    """Whether the reply carried the recorder's report at all."""

    @classmethod
    def decode(cls, reply: dict[str, Any]) -> Trace:
        def counts(raw: Any) -> dict[str, int]:
            if not isinstance(raw, dict):
                return {}
            return {str(k)[:200]: v for k, v in list(raw.items())[:2000] if type(v) is int}

        where = {}
        raw_where = reply.get("where")
        if isinstance(raw_where, dict):
            for name, spot in list(raw_where.items())[:50]:
                if isinstance(spot, list) and len(spot) == 2 and isinstance(spot[0], str) and type(spot[1]) is int:
                    where[str(name)[:200]] = (spot[0][:200], spot[1])
        observed = reply.get("observed")
        if not isinstance(observed, dict):
            return cls(counts(reply.get("calls")), where)
        problems = observed.get("problems")
        return cls(
            counts(reply.get("calls")),
            where,
            dispatched=counts(observed.get("dispatched")),
            problems=tuple(str(p)[:40] for p in problems[:20]) if isinstance(problems, list) else ("report_missing",),
            observed=True,
        )


@dataclass(frozen=True)
class Call:
    """The outcome of one call into student code."""

    value: Any
    inputs: tuple[Any, ...]
    trace: Trace
    seconds: float
    inputs_changed: tuple[bool, ...] = ()
    grads: tuple[TensorValue | None, ...] | None = None
    backward_skipped: str | None = None
    """Why no backward pass ran: not_tensor, no_grad or shape."""


@dataclass(frozen=True)
class Attribute:
    present: bool
    type_name: str = ""
    is_parameter: bool = False
    value: TensorValue | None = None


@dataclass(frozen=True)
class Layer:
    """A student layer as the worker described it, with the outcome of an optional forward/backward."""

    is_module: bool
    parameters: tuple[tuple[str, tuple[int, ...]], ...]
    attributes: dict[str, Attribute]
    output: Any = None
    trace: Trace = field(default_factory=Trace)
    grads: dict[str, TensorValue | None] | None = None
    backward_skipped: str | None = None
    unassignable: str | None = None
    """The attribute the test's value could not be set to (a bias that is not a tensor or number)."""


def _decode(function: str, node: Any, buffers: list[bytes]) -> Any:
    try:
        return wire.decode_value(node, buffers)
    except wire.ProtocolError as exc:
        raise BadReply(function, str(exc)) from None


def _decode_backward(function: str, node: Any, buffers: list[bytes]) -> tuple[list[Any] | None, str | None]:
    if not isinstance(node, dict):
        return None, None
    if "skipped" in node:
        return None, str(node["skipped"])[:40]
    grads = _decode(function, node.get("grads"), buffers)
    if not isinstance(grads, list) or not all(g is None or isinstance(g, TensorValue) for g in grads):
        raise BadReply(function, "malformed gradients")
    return grads, None


class Student:
    """The submission under test; calls run in sandboxed workers."""

    def __init__(self, pool: RequestPool, unit: Unit) -> None:
        self.pool = pool
        self.unit = unit
        self._policy = unit.hook("call_policy")

    def _hold_to_rule(self, exercise: str, trace: Trace) -> None:
        """The unit's rule, applied to every call's trace (raises the test's Failure)."""
        if self._policy is not None:
            self._policy(exercise, trace)

    def call(
        self,
        function: str,
        *args: Any,
        device: str = "cpu",
        backward: torch.Tensor | None = None,
        wrt: tuple[int, ...] | None = None,
        seed: int | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> Call:
        """Call `function(*args, **kwargs)` in the worker, tensors placed on `device`.

        With `backward`, the output is backpropagated with that gradient and the gradients of the
        tensor arguments in `wrt` (all tensor arguments by default) come back in `Call.grads`.
        """
        module = self.unit.module_of(function)
        tensor_positions = tuple(i for i, a in enumerate(args) if isinstance(a, torch.Tensor))
        if backward is not None and wrt is None:
            wrt = tensor_positions
        grad_needed = set(wrt or ())
        buffers: list[bytes] = []
        sent_args = [
            TensorSpec(a, device, requires_grad=i in grad_needed) if isinstance(a, torch.Tensor) else a
            for i, a in enumerate(args)
        ]
        sent_kwargs = {k: TensorSpec(v, device) if isinstance(v, torch.Tensor) else v for k, v in kwargs.items()}
        header: dict[str, Any] = {
            "op": "call",
            "function": function,
            "args": wire.encode_request_value(sent_args, buffers),
            "kwargs": wire.encode_request_value(sent_kwargs, buffers),
            "seed": seed,
        }
        if backward is not None:
            header["backward"] = {
                "grad_output": wire.encode_request_value(TensorSpec(backward, device), buffers),
                "wrt": list(wrt or ()),
            }
        started = time.perf_counter()
        reply, reply_buffers = self.pool.request(
            module, function, header, buffers, device.startswith("cuda"), timeout, on_meta=device == "meta"
        )
        seconds = time.perf_counter() - started
        trace = Trace.decode(reply)
        self._hold_to_rule(function, trace)
        grads, skipped = _decode_backward(function, reply.get("backward"), reply_buffers)
        changed = reply.get("inputs_changed")
        return Call(
            value=_decode(function, reply.get("value"), reply_buffers),
            inputs=args,
            trace=trace,
            seconds=seconds,
            inputs_changed=tuple(bool(c) for c in changed[: len(args)]) if isinstance(changed, list) else (),
            grads=None if grads is None else tuple(grads),
            backward_skipped=skipped,
        )

    def layer(
        self,
        class_name: str,
        *init_args: Any,
        assign: dict[str, torch.Tensor] | None = None,
        input: torch.Tensor | None = None,
        backward: torch.Tensor | None = None,
        device: str = "cpu",
        move: bool = False,
        seed: int | None = None,
        timeout: float | None = None,
    ) -> Layer:
        """Build `class_name(*init_args)`, describe it, optionally set parameters and run it on `input`."""
        module = self.unit.module_of(class_name)
        buffers: list[bytes] = []
        header: dict[str, Any] = {
            "op": "layer",
            "class": class_name,
            "init_args": wire.encode_request_value(list(init_args), buffers),
            "attributes": list(self.unit.layer_attributes),
            "seed": seed,
            "device": device,
            "move": move,
            "assign": {
                name: wire.encode_request_value(TensorSpec(value, device), buffers)
                for name, value in (assign or {}).items()
            },
        }
        if input is not None:
            header["input"] = wire.encode_request_value(
                TensorSpec(input, device, requires_grad=backward is not None), buffers
            )
        if backward is not None:
            header["backward"] = wire.encode_request_value(TensorSpec(backward, device), buffers)
        reply, reply_buffers = self.pool.request(
            module, class_name, header, buffers, device.startswith("cuda"), timeout, on_meta=device == "meta"
        )
        layer = self._decode_layer(class_name, reply, reply_buffers, self.unit.layer_attributes)
        if "output" in reply:
            self._hold_to_rule(class_name, layer.trace)
        return layer

    @staticmethod
    def _decode_layer(
        name: str, reply: dict[str, Any], buffers: list[bytes], attributes_asked: tuple[str, ...]
    ) -> Layer:
        parameters = []
        raw_params = reply.get("parameters")
        for item in raw_params if isinstance(raw_params, list) else []:
            if isinstance(item, dict) and isinstance(item.get("shape"), list):
                shape = tuple(s for s in item["shape"] if type(s) is int)
                parameters.append((str(item.get("name", ""))[:200], shape))
        attributes = {}
        raw_attrs = reply.get("attributes")
        for attr in attributes_asked:
            info = raw_attrs.get(attr) if isinstance(raw_attrs, dict) else None
            if not isinstance(info, dict) or not info.get("present"):
                attributes[attr] = Attribute(present=False)
                continue
            value = _decode(name, info["value"], buffers) if "value" in info else None
            attributes[attr] = Attribute(
                present=True,
                type_name=str(info.get("type_name", ""))[:200],
                is_parameter=info.get("is_parameter") is True,
                value=value if isinstance(value, TensorValue) else None,
            )
        grads, skipped = _decode_backward(name, reply.get("backward"), buffers)
        named_grads = None
        if grads is not None:
            named_grads = dict(zip((*attributes_asked, "input"), grads, strict=False))
        return Layer(
            is_module=reply.get("is_module") is True,
            parameters=tuple(parameters),
            attributes=attributes,
            output=_decode(name, reply.get("output"), buffers) if "output" in reply else None,
            trace=Trace.decode(reply),
            grads=named_grads,
            backward_skipped=skipped,
            unassignable=str(reply["unassignable"])[:40] if "unassignable" in reply else None,
        )

    def __getattr__(self, name: str) -> Any:
        if name in self.unit.functions:
            return lambda *args, **kwargs: self.call(name, *args, **kwargs)
        raise AttributeError(name)


__all__ = ["Attribute", "Call", "Layer", "OtherValue", "Student", "TensorValue", "Trace"]
