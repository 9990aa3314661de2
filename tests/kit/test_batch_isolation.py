"""No student can read a classmate's work out of the memory a grade-batch worker inherits."""

from __future__ import annotations

import json
import secrets
import shutil
from pathlib import Path

import pytest

from tests.kit.conftest import SOLUTIONS, run_cli

THIEF = '''
import ctypes
import gc
import os
import re

import torch

CLASSMATE = re.compile(rb"CLASSMATE_SECRET_[0-9a-f]{{32}}")
SELF = re.compile(rb"SELF_SECRET_[0-9a-f]{{32}}")
MINE = b"SELF_SECRET_{own}" * 100  # the scan must find this one: proof that it reads this memory
CHUNK, PAGE, WINDOW = 1 << 20, 4096, 256 << 20
libc = ctypes.CDLL(None, use_errno=True)
libc.sbrk.restype = ctypes.c_void_p


class Span(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("length", ctypes.c_size_t)]


BUFFER = ctypes.create_string_buffer(CHUNK)


def peek(address, size):
    """Bytes of this process's memory at address (process_vm_readv: no fault on unmapped pages)."""
    local, remote = Span(ctypes.addressof(BUFFER), size), Span(address, size)
    got = libc.process_vm_readv(os.getpid(), ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
    return BUFFER.raw[:got] if got > 0 else b""


def regions():
    """Readable address ranges: from /proc/self/maps where it may be read, else around the heap
    and every object the collector knows (which covers Python's arenas and malloc's heap)."""
    try:
        with open("/proc/self/maps") as maps:
            return [tuple(int(x, 16) for x in line.split()[0].split("-")) for line in maps if " r" in line]
    except OSError:
        pass
    anchors = {{id(o) & ~(WINDOW - 1) for o in gc.get_objects()}} | {{libc.sbrk(0) & ~(WINDOW - 1)}}
    spans = set()
    for anchor in anchors:
        spans.update({{(anchor - WINDOW, anchor), (anchor, anchor + WINDOW)}})
    return sorted(s for s in spans if s[0] > 0)


def scan():
    found_self, found = False, set()
    for start, end in regions():
        tail = b""
        while start < end:
            size = min(CHUNK, end - start)
            block = peek(start, size)
            if not block:
                start, tail = start + PAGE, b""
                continue
            block = tail + block
            found.update(m.group().decode() for m in CLASSMATE.finditer(block))
            found_self = found_self or SELF.search(block) is not None
            tail, start = block[-64:], start + size if len(block) >= size else start + len(block) + PAGE
    return found_self, sorted(found)


FOUND = []


def corr2d(X, K):
    if not FOUND:
        FOUND.append(scan())  # once per worker: every later call reports the same
    found_self, found = FOUND[0]
    raise RuntimeError(f"SCAN self={{found_self}} classmates={{found}}")
'''


def student(folder: Path, marker: str | None = None, thief: str | None = None) -> None:
    shutil.copytree(SOLUTIONS, folder)
    if marker is not None:
        path = folder / "ex1_corr2d.py"
        path.write_text(path.read_text() + f"\n# my own work: CLASSMATE_SECRET_{marker}\n")
    if thief is not None:
        (folder / "ex1_corr2d.py").write_text(THIEF.format(own=thief))


@pytest.mark.slow
def test_no_worker_finds_a_classmates_code_in_its_memory(tmp_path):
    klass = tmp_path / "class"
    markers = {"a_victim": secrets.token_hex(16), "c_victim": secrets.token_hex(16)}
    student(klass / "a_victim", markers["a_victim"])
    student(klass / "b_thief", thief=secrets.token_hex(16))
    student(klass / "c_victim", markers["c_victim"])
    out = tmp_path / "out"
    # One judge grades all three in turn: the thief comes after one victim and before the other.
    result = run_cli("grade-batch", str(klass), "--out", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr[-3000:]
    stolen = (out / "b_thief" / "results.json").read_text()
    assert "SCAN self=True classmates=[]" in stolen, "the scan ran, found its own marker and no classmate's"
    for marker in markers.values():
        assert marker not in stolen
    victim = json.loads((out / "a_victim" / "results.json").read_text())
    assert victim["score"] == victim["extra_data"]["max_score"] > 0
