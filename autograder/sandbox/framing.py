"""The one framing of every socket in the kit: judge <-> worker, judge <-> fork server, batch <-> judge.

A frame is a head (a JSON object, for every channel of the kit) followed by raw buffers:

    !I head length, !I buffer count, head, then for each buffer: !Q length, bytes

Every length is checked against the receiver's limits before anything is read, and what is read is
read in bounded chunks, so a peer cannot make the receiver allocate more than its limits. Sockets'
descriptors travel with a frame's first bytes (SCM_RIGHTS), only to a receiver that accepts some.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_PREFIX = struct.Struct("!II")
_BUFFER_LENGTH = struct.Struct("!Q")
_CHUNK = 1 << 20


class ProtocolError(Exception):
    """The peer sent something that is not a well-formed message. Never leaves the kit's own code:
    whoever receives turns it into whose fault it is (a worker's BadReply, ZygoteLost, a judge that
    died), so it is no autograder.errors.KitError itself."""


class ChannelClosed(ProtocolError):
    """The peer closed the channel (for a worker: it exited or was killed)."""


class ChannelTimeout(ProtocolError):
    """No complete message arrived before the deadline."""


@dataclass(frozen=True)
class FrameLimits:
    """The most a receiver accepts in one frame."""

    head_bytes: int
    buffers: int = 0
    payload_bytes: int = 0
    """All buffers together."""


@dataclass(frozen=True)
class Frame:
    head: bytes
    buffers: list[bytes]
    fds: list[int]
    """Descriptors that came with the frame: the receiver owns (and must close) them."""


def encode(head: bytes, buffers: Sequence[bytes] = ()) -> bytes:
    """The bytes of one frame."""
    parts = [_PREFIX.pack(len(head), len(buffers)), head]
    for buffer in buffers:
        parts += [_BUFFER_LENGTH.pack(len(buffer)), buffer]
    return b"".join(parts)


def send_frame(
    sock: socket.socket,
    head: bytes,
    buffers: Sequence[bytes] = (),
    fds: Sequence[int] = (),
    deadline: float | None = None,
) -> None:
    """Send one frame; a peer that stops reading raises ChannelTimeout once `deadline` has passed."""
    data = encode(head, buffers)
    _set_deadline(sock, deadline)
    try:
        sent = socket.send_fds(sock, [data], list(fds)) if fds else 0
        sock.sendall(data[sent:])
    except (TimeoutError, BlockingIOError) as exc:
        raise ChannelTimeout("the peer did not read before the deadline") from exc
    except (ConnectionResetError, BrokenPipeError) as exc:
        raise ChannelClosed(str(exc)) from exc


def recv_frame(sock: socket.socket, deadline: float | None, limits: FrameLimits, max_fds: int = 0) -> Frame:
    """Receive one frame within `limits`. Past the deadline, what has already arrived is still read (a
    worker started early may have answered long ago); only waiting for more is over."""
    fds: list[int] = []
    try:
        head_length, count = _PREFIX.unpack(_recv_exact(sock, _PREFIX.size, deadline, fds, max_fds))
        if head_length > limits.head_bytes:
            raise ProtocolError(f"header of {head_length} bytes is over the limit")
        if count > limits.buffers:
            raise ProtocolError(f"{count} buffers is over the limit")
        head = _recv_exact(sock, head_length, deadline)
        buffers = []
        total = 0
        for _ in range(count):
            (length,) = _BUFFER_LENGTH.unpack(_recv_exact(sock, _BUFFER_LENGTH.size, deadline))
            total += length
            if total > limits.payload_bytes:
                raise ProtocolError(f"payload over the limit of {limits.payload_bytes} bytes")
            buffers.append(_recv_exact(sock, length, deadline))
    except ProtocolError:
        _close_all(fds)
        raise
    return Frame(head, buffers, fds)


def send_json(
    sock: socket.socket,
    head: dict[str, Any],
    buffers: Sequence[bytes] = (),
    fds: Sequence[int] = (),
    deadline: float | None = None,
) -> None:
    """Send a JSON object (finite numbers only) as a frame's head."""
    send_frame(sock, json.dumps(head, allow_nan=False).encode(), buffers, fds, deadline)


def recv_json(
    sock: socket.socket, deadline: float | None, limits: FrameLimits, max_fds: int = 0
) -> tuple[dict[str, Any], list[bytes], list[int]]:
    """Receive a frame whose head must be a JSON object; ProtocolError if it is anything else."""
    frame = recv_frame(sock, deadline, limits, max_fds)
    try:
        head = decode_head(frame.head)
    except ProtocolError:
        _close_all(frame.fds)
        raise
    return head, frame.buffers, frame.fds


def decode_head(data: bytes) -> dict[str, Any]:
    """A frame's head as a JSON object; ProtocolError for anything else (bad UTF-8 included)."""
    try:
        head = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError("header is not valid JSON") from exc
    if not isinstance(head, dict):
        raise ProtocolError("header is not an object")
    return head


def _set_deadline(sock: socket.socket, deadline: float | None) -> None:
    sock.settimeout(None if deadline is None else max(deadline - time.monotonic(), 0.0))


def _recv_exact(
    sock: socket.socket, size: int, deadline: float | None, fds: list[int] | None = None, max_fds: int = 0
) -> bytes:
    chunks = []
    remaining = size
    while remaining:
        _set_deadline(sock, deadline)
        try:
            if max_fds and fds is not None:
                chunk, received, _, _ = socket.recv_fds(sock, remaining, max_fds)
                fds += received
            else:
                chunk = sock.recv(min(remaining, _CHUNK))
        except (TimeoutError, BlockingIOError) as exc:
            raise ChannelTimeout("deadline passed") from exc
        except (ConnectionResetError, BrokenPipeError) as exc:
            raise ChannelClosed(str(exc)) from exc
        if not chunk:
            raise ChannelClosed("peer closed the channel")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _close_all(fds: list[int]) -> None:
    for fd in fds:
        os.close(fd)
