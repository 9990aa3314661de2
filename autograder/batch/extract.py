"""Unpacking a class .zip: bounded in size, file count and compression ratio, never outside its
folder, and a damaged member costing only the student it belongs to.

Sizes are counted as the bytes come out, not as the archive declares them, so a member that lies
about its size is stopped at the bound too.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from autograder.batch.layouts import LayoutError
from autograder.submission.loader import ZIP_ERRORS, printable

MAX_CLASS_BYTES = 4 << 30
MAX_CLASS_MEMBERS = 200_000
MAX_RATIO = 200
"""Uncompressed to compressed size beyond which a large member is taken for a zip bomb (source code
compresses about 4:1; a block of zeros, 1000:1)."""
RATIO_FLOOR = 8 << 20
"""Members smaller than this are never refused for their ratio."""
CHUNK = 1 << 20


def _member_path(info: zipfile.ZipInfo) -> PurePosixPath | None:
    """Where a member goes inside the target, or None for what is never extracted: absolute paths,
    `..`, links, and names that are empty once cleaned."""
    member = PurePosixPath(info.filename)
    if member.is_absolute() or ".." in member.parts or stat.S_ISLNK(info.external_attr >> 16):
        return None
    parts = [part for part in member.parts if part not in ("", ".")]
    return PurePosixPath(*parts) if parts else None


def _copy(archive: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path, budget: int) -> int:
    """Copy one member, at most `budget` bytes; returns the bytes written."""
    written = 0
    with archive.open(info) as source, open(destination, "wb") as target:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > budget:
                raise LayoutError(f"the class .zip unpacks to more than {MAX_CLASS_BYTES >> 20} MiB")
            target.write(chunk)
    return written


def extract_class_zip(path: Path, target: Path) -> dict[str, str]:
    """Unpack `path` into `target`; returns the members that could not be unpacked, by path, with why.

    Each of those is left as an empty file (where its name allows one), so the student it belongs to
    is still found, and marked unreadable with the reason. An archive over the bounds is refused
    whole (LayoutError): no class is that large, and half a class graded would mislead.
    """
    shown = printable(str(path))
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise LayoutError(f"{shown} is not a readable .zip file ({printable(str(exc))})") from None
    damaged: dict[str, str] = {}
    with archive:
        members = archive.infolist()
        if len(members) > MAX_CLASS_MEMBERS:
            raise LayoutError(f"{shown} holds more than {MAX_CLASS_MEMBERS} files")
        if sum(info.file_size for info in members) > MAX_CLASS_BYTES:
            raise LayoutError(f"{shown} unpacks to more than {MAX_CLASS_BYTES >> 20} MiB")
        budget = MAX_CLASS_BYTES
        for info in members:
            member = _member_path(info)
            if member is None:
                continue
            destination = target.joinpath(*member.parts)
            try:
                if info.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise ValueError(f"{printable(member.name)} is compressed more than {MAX_RATIO}:1")
                budget -= _copy(archive, info, destination, budget)
            except LayoutError:
                raise
            except ZIP_ERRORS as exc:
                damaged[printable(str(member))] = printable(str(exc))
                _leave_placeholder(destination)
    return damaged


def _leave_placeholder(destination: Path) -> None:
    """An empty file where a damaged member was: its student keeps a row."""
    try:
        if destination.is_dir() and not destination.is_symlink():
            return
        destination.unlink(missing_ok=True)
        destination.touch()
    except OSError:
        return


def damage_of(entry_path: Path, root: Path, damaged: dict[str, str]) -> str | None:
    """Why part of the submission at `entry_path` could not be unpacked, or None."""
    try:
        relative = printable(entry_path.relative_to(root).as_posix())
    except ValueError:
        return None
    for member, error in damaged.items():
        if member == relative or member.startswith(relative + "/"):
            return f"{member}: {error}"
    return None
