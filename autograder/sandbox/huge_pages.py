"""Move a process's memory into huge pages, so that each fork of it and each child's exit cost less.

A fork copies one page-table entry for every page the process has written (with torch loaded, tens
of thousands of pages of 4 KiB), and the child's exit frees them all again: about 10 ms of kernel
time for each worker a batch's zygote forks on a 2-core machine. Once that memory lies in pages of
2 MiB, a fork copies one entry per huge page: about 4 ms. A page that a child writes is still copied
on its own, and the process that wrote it keeps small pages there from then on.

`grade-batch` asks for it once, in its main process, after it has loaded what every judge and worker
needs and before it forks its judges: the judges, their zygotes and every worker then share those
huge pages. A zygote that moved its own memory would copy it, no longer sharing it with its judge
(about 190 MiB more per judge, measured). madvise(MADV_COLLAPSE) does the move (Linux 6.1 and
newer), whatever the system's transparent huge page setting says, in about a third of a second;
elsewhere it fails and nothing changes.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

MADV_COLLAPSE = 25
_PMD_SIZE = Path("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")
_MAPS = Path("/proc/self/maps")
_DEFAULT_HUGE_PAGE = 2 << 20

_libc = ctypes.CDLL(None, use_errno=True)
_libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_libc.madvise.restype = ctypes.c_int


def _huge_page_bytes() -> int:
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
    bytes it moved (0 on a kernel without MADV_COLLAPSE, or where /proc cannot be read)."""
    try:
        maps = _MAPS.read_text()
    except OSError:
        return 0
    size = _huge_page_bytes()
    moved = 0
    for start, end in anonymous_ranges(maps):
        first, last = -(-start // size) * size, end // size * size
        if last > first and _libc.madvise(first, last - first, MADV_COLLAPSE) == 0:
            moved += last - first
    return moved
