"""A zygote that forks many workers moves its memory into huge pages (issue 17): which mappings it
moves, that it happens once the zygote is warm, and that workers forked after it grade as before."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from autograder.grading import Grader
from autograder.sandbox.huge_pages import anonymous_ranges, collapse_into_huge_pages
from autograder.submission.loader import from_bytes
from tests.kit.conftest import solution_files

MAPS = """\
55d0c0a00000-55d0c5e00000 rw-p 00000000 00:00 0                          [heap]
7f0000000000-7f0000400000 rw-p 00000000 00:00 0
7f0000400000-7f0000600000 rw-p 00000000 00:00 0                          [anon:glibc malloc]
7f1000000000-7f1000200000 rw-p 00012000 fe:01 4242                       /usr/lib/libtorch_cpu.so
7f1000200000-7f1000400000 r--p 00000000 00:00 0
7f1000400000-7f1000600000 rw-s 00000000 00:01 77                         /memfd:shared (deleted)
7ffd00000000-7ffd00200000 rw-p 00000000 00:00 0                          [stack]
"""


def test_only_the_private_writable_anonymous_memory_is_moved():
    """What a fork copies page by page: the heap and anonymous mappings, not a library's data, a
    read-only mapping, shared memory or the stack."""
    assert anonymous_ranges(MAPS) == [
        (0x55D0C0A00000, 0x55D0C5E00000),
        (0x7F0000000000, 0x7F0000400000),
        (0x7F0000400000, 0x7F0000600000),
    ]


def kernel_moves_memory() -> bool:
    """Asked in a child: the test process itself must stay as it is, since the zygote is its fork."""
    pid = os.fork()
    if pid == 0:
        os._exit(0 if collapse_into_huge_pages() > 0 else 1)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


def anonymous_huge_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("AnonHugePages:"):
            return int(line.split()[1]) * 1024
    return 0


@pytest.mark.slow
def test_a_grader_that_stays_up_moves_its_zygote_into_huge_pages_and_grades_as_before():
    if not kernel_moves_memory():
        pytest.skip("this kernel cannot move memory into huge pages (MADV_COLLAPSE needs Linux 6.1)")
    submission = from_bytes("solutions", solution_files())
    with Grader(stays_up=True) as grader:
        first = grader.grade(submission, "public", exercises=("corr2d",))
        deadline = time.monotonic() + 60
        while anonymous_huge_bytes(grader.zygote.pid) == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert anonymous_huge_bytes(grader.zygote.pid) > 64 << 20, "most of a warm zygote's memory"
        second = grader.grade(submission, "public", exercises=("corr2d",))
    assert first.score == first.max_score > 0
    assert [(t.name, t.status) for t in second.tests] == [(t.name, t.status) for t in first.tests]
