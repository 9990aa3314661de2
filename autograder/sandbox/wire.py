"""Messages and value encoding for the judge <-> worker channel (framed by autograder.sandbox.framing).

Everything the worker sends is untrusted. Nothing is ever unpickled: a message is a JSON header plus
raw byte buffers, and tensors are rebuilt from (dtype, shape, bytes) after strict validation. Any
object the encoder does not know crosses as the name of its type only.
"""

from __future__ import annotations

import math
import socket
from dataclasses import dataclass
from typing import Any

import torch

from autograder.sandbox.framing import ChannelClosed as ChannelClosed
from autograder.sandbox.framing import ChannelTimeout as ChannelTimeout
from autograder.sandbox.framing import FrameLimits, recv_json, send_json
from autograder.sandbox.framing import ProtocolError as ProtocolError

MAX_HEADER_BYTES = 1 << 20
MAX_BUFFERS = 4096
MAX_DEPTH = 16
MAX_ITEMS = 10_000
MAX_TEXT = 4000

DTYPES: dict[str, torch.dtype] = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "uint8": torch.uint8,
    "bool": torch.bool,
}
DTYPE_NAMES = {dtype: name for name, dtype in DTYPES.items()}


@dataclass(frozen=True)
class TensorValue:
    """A tensor as the worker described it; `data` is a fresh CPU tensor (None on `meta`)."""

    data: torch.Tensor | None
    dtype: torch.dtype
    shape: tuple[int, ...]
    device: str
    requires_grad: bool = False
    grad_fn: str | None = None
    type_name: str = "torch.Tensor"

    @property
    def device_type(self) -> str:
        return self.device.split(":", 1)[0]


@dataclass(frozen=True)
class OtherValue:
    """An object the channel does not carry: only its type name crosses."""

    type_name: str
    detail: str = ""


@dataclass(frozen=True)
class TensorSpec:
    """A tensor the judge asks the worker to build on a device of the worker's own."""

    data: torch.Tensor
    device: str = "cpu"
    requires_grad: bool = False


# ----------------------------------------------------------------------------- messages


def send_message(
    sock: socket.socket, header: dict[str, Any], buffers: list[bytes], deadline: float | None = None
) -> None:
    """Send a request or a reply; ChannelTimeout when the peer stops reading past `deadline`."""
    send_json(sock, header, buffers, deadline=deadline)


def recv_message(sock: socket.socket, deadline: float | None, max_payload: int) -> tuple[dict[str, Any], list[bytes]]:
    """Receive a request or a reply, its buffers `max_payload` bytes at most; any descriptor the peer
    sends along is refused."""
    header, buffers, _ = recv_json(sock, deadline, FrameLimits(MAX_HEADER_BYTES, MAX_BUFFERS, max_payload))
    return header, buffers


# ----------------------------------------------------------------------------- encoding


def tensor_bytes(tensor: torch.Tensor) -> bytes:
    flat = tensor.detach().reshape(-1).contiguous().cpu()
    if flat.numel() == 0:
        return b""
    return flat.view(torch.uint8).numpy().tobytes()


def encode_tensor_spec(spec: TensorSpec, buffers: list[bytes]) -> dict[str, Any]:
    data = spec.data.detach()
    buffers.append(tensor_bytes(data))
    return {
        "$tensor": len(buffers) - 1,
        "dtype": DTYPE_NAMES[data.dtype],
        "shape": list(data.shape),
        "device": spec.device,
        "requires_grad": spec.requires_grad,
    }


def encode_request_value(value: Any, buffers: list[bytes]) -> Any:
    """Encode a judge-side argument (trusted: tensors, specs, numbers, tuples)."""
    if isinstance(value, TensorSpec):
        return encode_tensor_spec(value, buffers)
    if isinstance(value, torch.Tensor):
        return encode_tensor_spec(TensorSpec(value), buffers)
    if isinstance(value, tuple):
        return {"$tuple": [encode_request_value(v, buffers) for v in value]}
    if isinstance(value, list):
        return [encode_request_value(v, buffers) for v in value]
    if isinstance(value, dict):
        return {"$dict": {k: encode_request_value(v, buffers) for k, v in value.items()}}
    if isinstance(value, float) and not math.isfinite(value):
        return {"$float": repr(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot send {type(value).__name__} to a worker")


def _check_tensor_header(node: dict[str, Any], buffers: list[bytes]) -> tuple[torch.dtype, tuple[int, ...]]:
    name = node.get("dtype")
    dtype = DTYPES.get(name) if isinstance(name, str) else None
    if dtype is None:
        raise ProtocolError("tensor with an unknown dtype")
    shape = node.get("shape")
    if not isinstance(shape, list) or len(shape) > 8 or not all(type(s) is int and 0 <= s < (1 << 31) for s in shape):
        raise ProtocolError("tensor with a malformed shape")
    return dtype, tuple(shape)


def _tensor_from_buffer(
    node: dict[str, Any], buffers: list[bytes], dtype: torch.dtype, shape: tuple[int, ...]
) -> torch.Tensor:
    index = node.get("$tensor")
    if type(index) is not int or not 0 <= index < len(buffers):
        raise ProtocolError("tensor refers to a missing buffer")
    raw = buffers[index]
    numel = math.prod(shape)
    itemsize = torch.empty((), dtype=dtype).element_size()
    if len(raw) != numel * itemsize:
        raise ProtocolError("tensor buffer size does not match its shape and dtype")
    if numel == 0:
        return torch.empty(shape, dtype=dtype)
    return torch.frombuffer(bytearray(raw), dtype=torch.uint8).view(dtype).reshape(shape)


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ProtocolError(f"{what} is not text")
    return value[:MAX_TEXT]


def decode_value(node: Any, buffers: list[bytes], depth: int = 0, budget: list[int] | None = None) -> Any:
    """Decode an untrusted value from a worker into plain judge-side objects."""
    budget = budget if budget is not None else [MAX_ITEMS]
    budget[0] -= 1
    if depth > MAX_DEPTH or budget[0] < 0:
        raise ProtocolError("value nested too deeply or too large")
    if node is None or isinstance(node, (bool, int, str)):
        return node[:MAX_TEXT] if isinstance(node, str) else node
    if isinstance(node, float):
        return node
    if isinstance(node, list):
        return [decode_value(v, buffers, depth + 1, budget) for v in node]
    if not isinstance(node, dict):
        raise ProtocolError("unknown value")
    if "$tuple" in node:
        items = node["$tuple"]
        if not isinstance(items, list):
            raise ProtocolError("malformed tuple")
        return tuple(decode_value(v, buffers, depth + 1, budget) for v in items)
    if "$float" in node:
        text = node["$float"]
        if text not in ("nan", "inf", "-inf"):
            raise ProtocolError("malformed float")
        return float(text)
    if "$other" in node:
        return OtherValue(_text(node["$other"], "type name"), _text(node.get("detail", ""), "detail"))
    if "$tensor" in node:
        dtype, shape = _check_tensor_header(node, buffers)
        device = _text(node.get("device", "cpu"), "device")
        data = None if device == "meta" else _tensor_from_buffer(node, buffers, dtype, shape)
        grad_fn = node.get("grad_fn")
        return TensorValue(
            data=data,
            dtype=dtype,
            shape=shape,
            device=device,
            requires_grad=node.get("requires_grad") is True,
            grad_fn=None if grad_fn is None else _text(grad_fn, "grad_fn"),
            type_name=_text(node.get("type_name", "torch.Tensor"), "type name"),
        )
    raise ProtocolError("unknown value kind")
