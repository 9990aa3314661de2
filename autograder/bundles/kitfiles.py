"""Which of the kit's files a bundle ships, and writing them into a zip the same way every time."""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from autograder.paths import KIT_ROOT

PACKAGE = "autograder"
SKIPPED_PARTS = frozenset({"__pycache__", ".pytest_cache", ".ruff_cache"})
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""A fixed timestamp: the same sources give the same zip, byte for byte."""


def tree(folder: str, root: Path = KIT_ROOT) -> dict[str, bytes]:
    """Archive name -> content of every file under `folder` (relative to the kit root), caches left out."""
    files = {}
    for path in sorted((root / folder).rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not path.is_symlink() and not SKIPPED_PARTS & set(relative.parts):
            if path.suffix != ".pyc":
                files[relative.as_posix()] = path.read_bytes()
    return files


AUTHORING_PARTS = ("solutions", "samples")
"""What a unit's package holds for its authors only (stubs, notebooks, demos, the mutation
self-test): no bundle grades with it, so none ships it."""
GRADING_PARTS = ("suites/hidden",)
"""What the grader needs of a unit and students never get (with the above, Unit.private_paths)."""


def package(public_only: bool = False) -> dict[str, bytes]:
    """The grader itself: the `autograder` package with its units, less their solutions and samples;
    `public_only` leaves out their hidden suites too (what students get)."""
    parts = AUTHORING_PARTS + (GRADING_PARTS if public_only else ())
    left_out = tuple(f"/{part}/" for part in parts)
    return {
        name: data
        for name, data in tree(PACKAGE).items()
        if not (name.startswith(f"{PACKAGE}/units/") and any(part in name for part in left_out))
    }


def _write(target: BinaryIO, files: dict[str, bytes], executables: Iterable[str]) -> None:
    runnable = set(executables)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            mode = 0o755 if name in runnable else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])


def write_zip(path: Path, files: dict[str, bytes], executables: Iterable[str] = ()) -> Path:
    """A zip of `files` (archive name -> content); `executables` get mode 755, the rest 644."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    with open(partial, "wb") as handle:
        _write(handle, files, executables)
    partial.replace(path)
    return path


def write_zip_bytes(files: dict[str, bytes]) -> bytes:
    """The same zip, in memory: for a zip (a wheel) that goes inside another."""
    buffer = io.BytesIO()
    _write(buffer, files, ())
    return buffer.getvalue()
