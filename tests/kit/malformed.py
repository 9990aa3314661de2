"""Malformed submissions, made byte by byte: the cases the loader and grade-batch must survive."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import struct
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.kit.conftest import SOLUTIONS

HANG_SECONDS = 60
"""How long reading one input may take before the loader counts as hung: a guard against blocking (a
FIFO opened for reading, a member read without bound), far above what a busy machine needs; the
loader's speed is not what these tests measure."""


@contextmanager
def hang_guard(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail instead of hanging when the block takes more than `seconds`."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"the loader took more than {seconds} s: it blocked")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def solution_files() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(SOLUTIONS.glob("ex*.py"))}


def zip_bytes(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def corrupt_deflate_zip() -> bytes:
    """The solutions, with the deflate stream of ex1_corr2d.py overwritten: the directory is intact."""
    data = bytearray(zip_bytes(solution_files()))
    header = data.index(b"PK\x03\x04")
    name_length, extra_length = struct.unpack_from("<HH", data, header + 26)
    start = header + 30 + name_length + extra_length
    data[start : start + 24] = b"\xff" * 24
    return bytes(data)


def bad_utf8_flag_zip() -> bytes:
    """A helper name in Latin-1 bytes while the archive's flag says its names are UTF-8."""
    files = {**solution_files(), "h\xe9lper.py": b"x = 1\n"}  # zipfile sets the UTF-8 flag for it
    return zip_bytes(files).replace("h\xe9lper.py".encode(), b"h\xe9\xe9lper.py")


def unsupported_method_zip() -> bytes:
    """Compression method 99 (AES), which no Python reads."""
    data = bytearray(zip_bytes(solution_files(), zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        for match in re.finditer(re.escape(signature), bytes(data)):
            struct.pack_into("<H", data, match.start() + offset, 99)
    return bytes(data)


def notebook(cells: object) -> bytes:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def lone_surrogate_notebook() -> bytes:
    """JSON may spell a character no file can hold: \\ud800 alone."""
    return b'{"cells": [{"cell_type": "code", "metadata": {}, "source": "s = \'\\ud800\'\\n"}], "nbformat": 4}'


def long_name_zip() -> bytes:
    """Correct work with a helper whose name (303 characters) no file system can hold."""
    return zip_bytes({**solution_files(), "h" * 300 + ".py": b"x = 1\n"})


def non_utf8_helper_folder(folder: Path) -> Path:
    """Correct work beside a helper whose name is not UTF-8."""
    folder.mkdir(parents=True)
    for name, data in solution_files().items():
        (folder / name).write_bytes(data)
    with open(os.fsencode(folder) + b"/h\xff.py", "wb") as handle:
        handle.write(b"x = 1\n")
    return folder


def one_script() -> bytes:
    """The four solutions as one script, as a student who keeps everything in one file hands it in."""
    lines = []
    for data in solution_files().values():
        lines += [line for line in data.decode().splitlines() if not line.startswith("from ex")]
    return ("\n".join(lines) + "\n").encode()
