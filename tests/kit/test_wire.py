"""The worker channel, tested directly: its framing, and the decoder of what a worker sends.

Everything a worker sends is hostile until decoded: any byte string must end as a message or as the
channel's own ProtocolError (never another exception), and nothing a peer declares may make the
judge allocate more than its limits. No grader process and no fork: sockets in this process only.
"""

from __future__ import annotations

import contextlib
import math
import os
import socket
import struct
import time
import tracemalloc
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.sandbox import framing, wire
from autograder.sandbox.worker import build_value, encode_result

FUZZ = settings(deadline=None, database=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
"""Enough examples to find a decoder that raises the wrong error, few enough for the fast tier."""
MAX_PAYLOAD = 1 << 16
SMALL_ALLOCATION = 1 << 20
"""What decoding a few kilobytes may allocate at most, whatever sizes they declare."""


def channel() -> tuple[socket.socket, socket.socket]:
    return socket.socketpair()


def received(data: bytes, max_payload: int = MAX_PAYLOAD) -> tuple[dict[str, Any], list[bytes]]:
    """`data` as the judge receives it from a worker that wrote it and exited."""
    worker, judge = channel()
    with worker, judge:
        worker.sendall(data)
        worker.shutdown(socket.SHUT_WR)
        return wire.recv_message(judge, time.monotonic() + 5, max_payload)


def sent_back(value: Any) -> Any:
    """`value` as a student's function returns it, through the worker's encoder, the channel and the decoder."""
    buffers: list[bytes] = []
    node = encode_result(value, buffers, MAX_PAYLOAD)
    worker, judge = channel()
    with worker, judge:
        wire.send_message(worker, {"status": "ok", "value": node}, buffers)
        header, buffers = wire.recv_message(judge, time.monotonic() + 5, MAX_PAYLOAD)
    return wire.decode_value(header["value"], buffers)


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


# ----------------------------------------------------------------------------- values a worker returns


def tensors() -> st.SearchStrategy[torch.Tensor]:
    """Tensors of every dtype the channel carries, their bytes arbitrary (NaN payloads included)."""

    @st.composite
    def build(draw: st.DrawFn) -> torch.Tensor:
        dtype = wire.DTYPES[draw(st.sampled_from(sorted(wire.DTYPES)))]
        shape = draw(st.lists(st.integers(0, 4), max_size=3))
        itemsize = torch.empty((), dtype=dtype).element_size()
        raw = draw(st.binary(min_size=math.prod(shape) * itemsize, max_size=math.prod(shape) * itemsize))
        if dtype is torch.bool:
            raw = bytes(b % 2 for b in raw)
        if not raw:
            return torch.empty(shape, dtype=dtype)
        return torch.frombuffer(bytearray(raw), dtype=torch.uint8).view(dtype).reshape(shape)

    return build()


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(1 << 63) + 1, (1 << 63) - 1)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
RETURNED = st.recursive(
    SCALARS | tensors(), lambda items: st.lists(items, max_size=4) | st.tuples(items, items), max_leaves=12
)


def assert_same(decoded: Any, original: Any) -> None:
    if isinstance(original, torch.Tensor):
        assert isinstance(decoded, wire.TensorValue)
        assert (decoded.dtype, decoded.shape, decoded.device) == (original.dtype, tuple(original.shape), "cpu")
        assert decoded.data is not None
        assert wire.tensor_bytes(decoded.data) == wire.tensor_bytes(original)
    elif isinstance(original, (list, tuple)):
        assert type(decoded) is type(original)
        assert len(decoded) == len(original)
        for item, expected in zip(decoded, original, strict=True):
            assert_same(item, expected)
    elif isinstance(original, float) and math.isnan(original):
        assert isinstance(decoded, float)
        assert math.isnan(decoded)
    else:
        assert type(decoded) is type(original)
        assert decoded == original


@FUZZ
@given(RETURNED)
def test_every_value_the_channel_carries_comes_back_as_it_was_returned(value):
    assert_same(sent_back(value), value)


def test_a_tensor_keeps_its_gradient_facts_and_a_meta_tensor_its_shape_without_data():
    leaf = torch.ones(2, 3, requires_grad=True)
    product = sent_back(leaf * 2)
    assert (product.requires_grad, product.grad_fn) == (True, "MulBackward0")
    assert sent_back(leaf).grad_fn is None
    meta = sent_back(torch.empty(5, 7, device="meta"))
    assert (meta.data, meta.shape, meta.device_type) == (None, (5, 7), "meta")


def test_a_float_of_a_subclass_crosses_as_its_value():
    """numpy.float64 is a Python float: a count divided by 10**9 in NumPy is still a number."""

    class Lying(float):
        def __float__(self) -> float:
            return 0.0

    assert sent_back(np.float64(14.4)) == 14.4
    assert type(sent_back(np.float64(14.4))) is float
    assert sent_back(Lying(2.5)) == 2.5
    assert math.isnan(sent_back(np.float64("nan")))
    assert sent_back(np.int64(3)) == wire.OtherValue("numpy.int64")


def test_an_object_the_channel_does_not_carry_crosses_as_its_type_name_only():
    assert sent_back(object()) == wire.OtherValue("builtins.object")
    assert sent_back(np.zeros((2, 3))) == wire.OtherValue("numpy.ndarray", "shape (2, 3)")
    assert sent_back({"a": 1}) == wire.OtherValue("builtins.dict")
    assert sent_back(1 << 70) == wire.OtherValue("int", "too large")


def test_text_and_nesting_are_cut_at_the_limits_not_refused():
    assert sent_back("x" * (wire.MAX_TEXT + 50)) == "x" * wire.MAX_TEXT
    deep: Any = 1
    for _ in range(wire.MAX_DEPTH + 10):
        deep = [deep]
    inner = sent_back(deep)
    for _ in range(wire.MAX_DEPTH):
        inner = inner[0]
    assert inner == wire.OtherValue("builtins.list")


def test_a_tensor_over_the_result_limit_is_refused_as_a_bad_reply():
    buffers: list[bytes] = []
    node = encode_result(torch.zeros(1000), buffers, max_bytes=100)
    with pytest.raises(wire.ProtocolError, match="missing buffer"):
        wire.decode_value(node, buffers)


def test_the_judge_s_arguments_reach_the_worker_as_they_were_sent():
    x = torch.arange(6, dtype=torch.float64).reshape(2, 3)
    buffers: list[bytes] = []
    node = wire.encode_request_value([wire.TensorSpec(x, requires_grad=True), (1, math.inf), {"k": None}], buffers)
    tensor, pair, mapping = build_value(node, buffers)
    assert torch.equal(tensor, x)
    assert tensor.requires_grad
    assert pair == (1, math.inf)
    assert mapping == {"k": None}
    with pytest.raises(TypeError):
        wire.encode_request_value(object(), [])


# ----------------------------------------------------------------------------- hostile values

LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-(1 << 70), 1 << 70)
    | st.floats()
    | st.text(max_size=6)
    | st.sampled_from([*wire.DTYPES, "nan", "inf", "-inf", "meta", "cpu", "cuda:0"])
)
KEYS = st.sampled_from(
    ["$tensor", "$tuple", "$float", "$other", "dtype", "shape", "device", "requires_grad", "grad_fn", "type_name"]
)
TENSOR_NODES = st.fixed_dictionaries(
    {
        "$tensor": st.integers(-2, 4) | LEAVES,
        "dtype": st.sampled_from(sorted(wire.DTYPES)) | LEAVES | st.lists(LEAVES, max_size=2),
        "shape": st.lists(st.integers(-2, 1 << 40), max_size=10) | LEAVES,
    },
    optional={"device": LEAVES, "requires_grad": LEAVES, "grad_fn": LEAVES | st.lists(LEAVES), "type_name": LEAVES},
)
NODES = st.recursive(
    LEAVES | TENSOR_NODES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS | st.text(max_size=3), children, max_size=4),
    max_leaves=25,
)


@FUZZ
@given(NODES, st.lists(st.binary(max_size=48), max_size=4))
def test_any_value_a_worker_sends_decodes_or_is_refused_with_a_protocol_error(node, buffers):
    with contextlib.suppress(wire.ProtocolError):
        wire.decode_value(node, buffers)


@pytest.mark.parametrize(
    "node",
    [
        {"$tensor": 0, "dtype": ["float32"], "shape": [1]},
        {"$tensor": 0, "dtype": "float32", "shape": [1 << 30, 1 << 30]},
        {"$tensor": 0, "dtype": "float32", "shape": [-1]},
        {"$tensor": 0, "dtype": "float32", "shape": [1] * 9},
        {"$tensor": 0, "dtype": "float32", "shape": [True]},
        {"$tensor": 5, "dtype": "float32", "shape": [1]},
        {"$tensor": 0, "dtype": "object", "shape": [1]},
        {"$tuple": {"a": 1}},
        {"$float": "1e999"},
        {"$other": ["list"]},
        {"?": 1},
    ],
)
def test_a_malformed_value_is_refused_without_allocating_what_it_declares(node):
    tracemalloc.start()
    try:
        with pytest.raises(wire.ProtocolError):
            wire.decode_value(node, [b"\0" * 4])
        assert tracemalloc.get_traced_memory()[1] < SMALL_ALLOCATION
    finally:
        tracemalloc.stop()


def test_too_deep_or_too_many_items_is_refused():
    deep: Any = 1
    for _ in range(wire.MAX_DEPTH + 2):
        deep = [deep]
    with pytest.raises(wire.ProtocolError, match="too"):
        wire.decode_value(deep, [])
    with pytest.raises(wire.ProtocolError, match="too"):
        wire.decode_value([0] * (wire.MAX_ITEMS + 1), [])


# ----------------------------------------------------------------------------- hostile bytes


def frame(header: dict[str, Any], buffers: list[bytes]) -> bytes:
    worker, judge = channel()
    with worker, judge:
        wire.send_message(worker, header, buffers)
        worker.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := judge.recv(1 << 16):
            data += chunk
    return data


HEADERS = st.dictionaries(
    st.text(max_size=5),
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=6),
    max_size=4,
)
"""What a header holds: JSON without NaN or infinities, which the sender refuses."""
BUFFERS = st.lists(st.binary(max_size=64), max_size=3)


@FUZZ
@given(HEADERS, BUFFERS)
def test_a_message_comes_through_the_channel_whole(header, buffers):
    assert received(frame(header, buffers)) == (header, buffers)


@FUZZ
@given(HEADERS, BUFFERS, st.data())
def test_a_message_cut_anywhere_is_a_closed_channel(header, buffers, data):
    whole = frame(header, buffers)
    cut = data.draw(st.integers(0, len(whole) - 1))
    with pytest.raises(wire.ChannelClosed):
        received(whole[:cut])


@FUZZ
@given(HEADERS, BUFFERS, st.data())
def test_a_message_with_any_byte_changed_is_a_message_or_a_protocol_error(header, buffers, data):
    whole = bytearray(frame(header, buffers))
    where = data.draw(st.integers(0, len(whole) - 1))
    whole[where] = data.draw(st.integers(0, 255))
    try:
        got, got_buffers = received(bytes(whole))
    except wire.ProtocolError:
        return
    assert isinstance(got, dict)
    assert sum(map(len, got_buffers)) <= MAX_PAYLOAD


@FUZZ
@given(st.binary(max_size=512))
def test_any_bytes_are_a_message_or_a_protocol_error(data):
    try:
        header, _ = received(data)
    except wire.ProtocolError:
        return
    assert isinstance(header, dict)


PREFIX = struct.Struct("!II")
LENGTH = struct.Struct("!Q")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (PREFIX.pack(wire.MAX_HEADER_BYTES + 1, 0), "header of"),
        (PREFIX.pack(0xFFFFFFFF, 0), "header of"),
        (PREFIX.pack(2, wire.MAX_BUFFERS + 1) + b"{}", "buffers is over"),
        (PREFIX.pack(2, 1) + b"{}" + LENGTH.pack(MAX_PAYLOAD + 1), "payload over"),
        (PREFIX.pack(2, 2) + b"{}" + LENGTH.pack(MAX_PAYLOAD) + b"\0" * MAX_PAYLOAD + LENGTH.pack(1), "payload over"),
        (PREFIX.pack(2, 1) + b"{}" + LENGTH.pack((1 << 64) - 1), "payload over"),
        (PREFIX.pack(4, 0) + b"[1]\n", "not an object"),
        (PREFIX.pack(2, 0) + b"\xff\xfe", "not valid JSON"),
        (PREFIX.pack(6, 0) + b'{"a":1', "not valid JSON"),
        (PREFIX.pack(3000, 0) + b"[" * 3000, "not valid JSON"),
        (PREFIX.pack(8000, 0) + b'{"a":' + b"9" * 7994 + b"}", "not valid JSON"),
    ],
)
def test_an_oversized_or_malformed_message_is_refused_without_reading_what_it_declares(data, error):
    tracemalloc.start()
    try:
        with pytest.raises(wire.ProtocolError, match=error):
            received(data)
        assert tracemalloc.get_traced_memory()[1] < SMALL_ALLOCATION
    finally:
        tracemalloc.stop()


def test_a_descriptor_a_worker_sends_along_never_reaches_the_judge():
    worker, judge = channel()
    read_end, write_end = os.pipe()
    with worker, judge:
        before = open_descriptors()
        framing.send_frame(worker, b"{}", fds=[read_end])
        header, _ = wire.recv_message(judge, time.monotonic() + 5, MAX_PAYLOAD)
        assert header == {}
        assert open_descriptors() == before
    os.close(read_end)
    os.close(write_end)


# ----------------------------------------------------------------------------- the framing itself

LIMITS = framing.FrameLimits(head_bytes=1 << 10, buffers=4, payload_bytes=1 << 10)


@FUZZ
@given(st.binary(max_size=1 << 10), st.lists(st.binary(max_size=256), max_size=4))
def test_a_frame_comes_back_as_sent(head, buffers):
    sender, receiver = channel()
    with sender, receiver:
        framing.send_frame(sender, head, buffers)
        got = framing.recv_frame(receiver, time.monotonic() + 5, LIMITS)
    assert (got.head, got.buffers, got.fds) == (head, buffers, [])


def test_a_descriptor_travels_with_its_frame_to_a_receiver_that_accepts_one():
    sender, receiver = channel()
    read_end, write_end = os.pipe()
    with sender, receiver:
        framing.send_json(sender, {"op": "spawn"}, fds=[write_end])
        head, buffers, fds = framing.recv_json(receiver, time.monotonic() + 5, LIMITS, max_fds=1)
    assert (head, buffers, len(fds)) == ({"op": "spawn"}, [], 1)
    os.write(fds[0], b"through the copy")
    assert os.read(read_end, 100) == b"through the copy"
    for fd in (*fds, read_end, write_end):
        os.close(fd)


def test_a_descriptor_that_came_with_a_malformed_head_is_closed():
    sender, receiver = channel()
    read_end, write_end = os.pipe()
    with sender, receiver:
        before = open_descriptors()
        framing.send_frame(sender, b"not json", fds=[write_end])
        with pytest.raises(framing.ProtocolError):
            framing.recv_json(receiver, time.monotonic() + 5, LIMITS, max_fds=1)
        assert open_descriptors() == before
    os.close(read_end)
    os.close(write_end)


def test_what_arrived_before_the_deadline_is_read_after_it_and_waiting_for_more_is_a_timeout():
    sender, receiver = channel()
    with sender, receiver:
        framing.send_frame(sender, b"early", [b"answer"])
        got = framing.recv_frame(receiver, time.monotonic() - 1, LIMITS)
        assert (got.head, got.buffers) == (b"early", [b"answer"])
        sender.sendall(framing.encode(b"half of it")[:7])
        with pytest.raises(framing.ChannelTimeout):
            framing.recv_frame(receiver, time.monotonic() - 1, LIMITS)


def test_a_peer_that_stops_reading_is_a_timeout_and_a_peer_gone_a_closed_channel():
    sender, receiver = channel()
    with sender:
        with receiver, pytest.raises(framing.ChannelTimeout):
            framing.send_frame(sender, b"", [b"\0" * (16 << 20)], deadline=time.monotonic() + 0.2)
        with pytest.raises(framing.ChannelClosed):
            framing.send_frame(sender, b"after the end")


def test_a_head_that_is_not_a_json_object_is_a_protocol_error():
    for head in (b"[]", b"1", b"nul", b"\x80"):
        with pytest.raises(framing.ProtocolError):
            framing.decode_head(head)
    assert framing.decode_head(b'{"ready": true}') == {"ready": True}
