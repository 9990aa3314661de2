"""Move a zygote's memory into huge pages, so that each fork of it and each worker's exit cost less.

A fork copies one page-table entry for every page the zygote has written (with torch loaded, about
37,000 pages of 4 KiB), and the worker's exit frees them all again: about 10 ms of kernel time per
fork on a 2-core machine, a fifth of a worker's whole cost in a batch. Once that memory lies in pages
of 2 MiB, a fork copies one entry per huge page (about 4 ms per fork there). A page that a worker
writes is still copied on its own: the kernel splits the huge page's mapping in that worker only.

madvise(MADV_COLLAPSE) does the move (Linux 6.1 and newer), whatever the system's transparent huge
page setting says; elsewhere it fails and nothing changes. It copies the memory, about a third of a
second for a warm zygote, so only a zygote that forks many workers (one that stays up) asks for it,
and only while it has nothing else to do.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

MADV_COLLAPSE = 25
_PMD_SIZE = Path("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")
_DEFAULT_HUGE_PAGE = 2 << 20

_libc = ctypes.CDLL(None, use_errno=True)
_libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_libc.madvise.restype = ctypes.c_int


def huge_page_bytes() -> int:
    """The size of a huge page that a page-table entry can map (2 MiB on x86-64)."""
    try:
        return int(_PMD_SIZE.read_text())
    except (OSError, ValueError):
        return _DEFAULT_HUGE_PAGE


def anonymous_ranges(maps: str) -> list[tuple[int, int]]:
    """The private writable anonymous mappings in a /proc/PID/maps text (the heap, Python's arenas,
    torch's allocations): what a fork copies entry by entry. Files, stacks and shared memory are left."""
    ranges = []
    for line in maps.splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) < 5 or fields[1] != "rw-p" or fields[4] != "0":
            continue
        name = fields[5].strip() if len(fields) == 6 else ""
        if name and name != "[heap]" and not name.startswith("[anon:"):
            continue
        start, end = (int(part, 16) for part in fields[0].split("-"))
        ranges.append((start, end))
    return ranges


def collapse_into_huge_pages() -> int:
    """Move this process's anonymous memory into huge pages where the kernel can; returns how many
    bytes it moved (0 on a kernel without MADV_COLLAPSE)."""
    size = huge_page_bytes()
    moved = 0
    for start, end in anonymous_ranges(Path("/proc/self/maps").read_text()):
        first, last = -(-start // size) * size, end // size * size
        if last > first and _libc.madvise(first, last - first, MADV_COLLAPSE) == 0:
            moved += last - first
    return moved
