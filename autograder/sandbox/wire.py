"""Framing and value encoding for the judge <-> worker channel.

Everything the worker sends is untrusted. Nothing is ever unpickled: a message is a JSON header plus
raw byte buffers, and tensors are rebuilt from (dtype, shape, bytes) after strict validation. Any
object the encoder does not know crosses as the name of its type only.
"""

from __future__ import annotations

import json
import math
import socket
import struct
import time
from dataclasses import dataclass
from typing import Any

import torch

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

_PREFIX = struct.Struct("!II")
_BUFFER_LEN = struct.Struct("!Q")


class ProtocolError(Exception):
    """The peer sent something that is not a well-formed message."""


class ChannelClosed(ProtocolError):
    """The peer closed the channel (for a worker: it exited or was killed)."""


class ChannelTimeout(ProtocolError):
    """No complete message arrived before the deadline."""


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


# ----------------------------------------------------------------------------- framing


def send_message(sock: socket.socket, header: dict[str, Any], buffers: list[bytes]) -> None:
    body = json.dumps(header, allow_nan=False).encode()
    parts = [_PREFIX.pack(len(body), len(buffers)), body]
    for buf in buffers:
        parts.append(_BUFFER_LEN.pack(len(buf)))
        parts.append(buf)
    sock.sendall(b"".join(parts))


def _recv_exact(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    chunks = []
    remaining = size
    while remaining:
        # Past the deadline, what has already arrived is still read (a worker started early may have
        # answered long ago); only waiting for more is over.
        sock.settimeout(None if deadline is None else max(deadline - time.monotonic(), 0.0))
        try:
            chunk = sock.recv(min(remaining, 1 << 20))
        except (TimeoutError, BlockingIOError) as exc:
            raise ChannelTimeout("deadline passed") from exc
        except (ConnectionResetError, BrokenPipeError) as exc:
            raise ChannelClosed(str(exc)) from exc
        if not chunk:
            raise ChannelClosed("peer closed the channel")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def recv_message(sock: socket.socket, deadline: float | None, max_payload: int) -> tuple[dict[str, Any], list[bytes]]:
    header_len, n_buffers = _PREFIX.unpack(_recv_exact(sock, _PREFIX.size, deadline))
    if header_len > MAX_HEADER_BYTES:
        raise ProtocolError(f"header of {header_len} bytes is over the limit")
    if n_buffers > MAX_BUFFERS:
        raise ProtocolError(f"{n_buffers} buffers is over the limit")
    try:
        header = json.loads(_recv_exact(sock, header_len, deadline))
    except (ValueError, RecursionError) as exc:
        raise ProtocolError("header is not valid JSON") from exc
    if not isinstance(header, dict):
        raise ProtocolError("header is not an object")
    buffers = []
    total = 0
    for _ in range(n_buffers):
        (length,) = _BUFFER_LEN.unpack(_recv_exact(sock, _BUFFER_LEN.size, deadline))
        total += length
        if total > max_payload:
            raise ProtocolError(f"payload over the limit of {max_payload} bytes")
        buffers.append(_recv_exact(sock, length, deadline))
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
    dtype = DTYPES.get(node.get("dtype"))  # type: ignore[arg-type]
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
