"""grade-batch forks its judges, zygotes and workers from memory in huge pages (issue 17): which
mappings it moves, and that a class's workers find their memory mapped that way."""

from __future__ import annotations

import os
import re

import pytest

from autograder.sandbox.huge_pages import anonymous_ranges, collapse_into_huge_pages
from tests.kit.conftest import feedback_of_a_class_of_one

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


def test_where_proc_cannot_be_read_nothing_is_moved_and_nothing_raised(monkeypatch, tmp_path):
    """A system without /proc (or one that hides it) grades as before."""
    from autograder.sandbox import huge_pages

    monkeypatch.setattr(huge_pages, "_MAPS", tmp_path / "no-such-file")
    assert collapse_into_huge_pages() == 0


def kernel_moves_memory() -> bool:
    """Asked in a child, which leaves the test process's memory as it is."""
    pid = os.fork()
    if pid == 0:
        os._exit(0 if collapse_into_huge_pages() > 0 else 1)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


HUGE_PAGES = """import re


def corr2d(X, K):
    try:
        with open("/proc/self/smaps_rollup") as handle:
            found = re.search(r"AnonHugePages:\\s+(\\d+)", handle.read())
    except OSError as exc:
        raise RuntimeError(f"huge pages: unreadable ({exc})") from None
    raise RuntimeError(f"huge pages: {found.group(1) if found else 'none'} kB")
"""


@pytest.mark.slow
def test_a_class_s_workers_are_forked_from_memory_in_huge_pages(tmp_path):
    """grade-batch moves what it loaded into huge pages before it forks its judges: their zygotes and
    every worker share them."""
    if not kernel_moves_memory():
        pytest.skip("this kernel cannot move memory into huge pages (MADV_COLLAPSE needs Linux 6.1)")
    found = re.search(r"huge pages: (\w+)", feedback_of_a_class_of_one(tmp_path, "ex1_corr2d.py", HUGE_PAGES))
    assert found is not None, "the probe's message is in the feedback"
    assert found.group(1).isdigit(), found.group(0)
    # Not all of it: the judge, the zygote and the worker each wrote pages of it, and keep small
    # pages wherever they did.
    assert int(found.group(1)) > 0, "the worker inherited huge pages"
