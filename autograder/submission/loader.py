"""Read a submission without running it: find the exercise files, refuse what is unsafe to copy.

Symbolic links are never followed (a link to a secret file would hand it to the worker), zip members
are checked for paths and sizes before anything is read, and every size is bounded.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder import contract
from autograder.i18n import Message, msg
from autograder.submission.notebook import UNIT_NOTEBOOK, is_unit_notebook

MAX_FILE_BYTES = 1 << 20
MAX_TOTAL_BYTES = 16 << 20
MAX_MEMBERS = 2000
MAX_DEPTH = 4
EXERCISE_FILES = tuple(f"{m}.py" for m in contract.MODULES)
NOTEBOOKS = tuple(f"{m}.ipynb" for m in contract.MODULES)


class UnreadableSubmission(Exception):
    """The submission cannot be graded at all; the message says what to do."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.key)
        self.message = message


@dataclass
class LoadedSubmission:
    """The judge's copy of a submission: Python files by name, and notes for the student."""

    source: str
    files: dict[str, bytes] = field(default_factory=dict)
    notes: list[Message] = field(default_factory=list)

    @property
    def sources(self) -> dict[str, str]:
        return {name: data.decode("utf-8", errors="replace") for name, data in self.files.items()}

    @property
    def exercise_files(self) -> list[str]:
        return [name for name in EXERCISE_FILES if name in self.files]


def _is_candidate(name: str) -> bool:
    return name.endswith((".py", ".ipynb")) and not name.startswith((".", "test_")) and name != "conftest.py"


def _choose(found: dict[PurePosixPath, int]) -> tuple[PurePosixPath | None, list[PurePosixPath]]:
    """The folder holding the exercise files: the shallowest one that has any."""
    holders: dict[PurePosixPath, int] = {}
    for path in found:
        if path.name in EXERCISE_FILES or path.name in NOTEBOOKS or is_unit_notebook(path.name):
            holders[path.parent] = holders.get(path.parent, 0) + 1
    if not holders:
        return None, []
    best = min(holders, key=lambda folder: (len(folder.parts), -holders[folder], str(folder)))
    return best, sorted(p for p in found if p.parent == best)


def _notebooks_first_per_module(chosen: dict[str, bytes]) -> list[tuple[str, bytes]]:
    """The notebooks to read: per-exercise ones before the unit's, and one unit notebook only.

    Of several copies of the unit notebook, the one with its own name wins, else the first by name. A
    notebook given on its own is read as the unit's whatever its name.
    """
    per_module = [(n, d) for n, d in chosen.items() if n in NOTEBOOKS]
    units = sorted(
        (
            n
            for n in chosen
            if n not in NOTEBOOKS and (is_unit_notebook(n) or (len(chosen) == 1 and n.endswith(".ipynb")))
        ),
        key=lambda n: (n != UNIT_NOTEBOOK, n),
    )
    return per_module + [(name, chosen[name]) for name in units[:1]]


def _finish(source: str, chosen: dict[str, bytes], notes: list[Message]) -> LoadedSubmission:
    from autograder.submission import notebook

    submission = LoadedSubmission(source=source, notes=notes)
    for name, data in chosen.items():
        if name.endswith(".ipynb"):
            continue
        submission.files[name] = data
    for name, data in _notebooks_first_per_module(chosen):
        try:
            found = notebook.notebook_code(data, name)
        except notebook.NotebookError as exc:
            raise UnreadableSubmission(msg("loader.bad_notebook", notebook=name, error=str(exc))) from None
        submission.notes.extend(found.notes)
        for file, code in found.files.items():
            if file in submission.files:
                submission.notes.append(msg("loader.notebook_ignored", notebook=name, file=file))
                continue
            submission.files[file] = code.encode()
    if not submission.exercise_files:
        raise UnreadableSubmission(msg("loader.no_exercise_files", path=source, expected=", ".join(EXERCISE_FILES)))
    return submission


def _walk_folder(root: Path) -> dict[PurePosixPath, int]:
    found: dict[PurePosixPath, int] = {}
    for folder, dirs, names in os.walk(root, followlinks=False):
        relative = PurePosixPath(Path(folder).relative_to(root).as_posix())
        depth = 0 if str(relative) == "." else len(relative.parts)
        dirs[:] = [d for d in dirs if not d.startswith((".", "__")) and depth < MAX_DEPTH]
        for name in names:
            if not _is_candidate(name):
                continue
            path = Path(folder) / name
            info = path.lstat()
            if stat.S_ISREG(info.st_mode):
                found[relative / name if depth else PurePosixPath(name)] = info.st_size
    return found


def load_folder(root: Path) -> LoadedSubmission:
    notes: list[Message] = []
    folder, paths = _choose(_walk_folder(root))
    if folder is None:
        raise UnreadableSubmission(msg("loader.no_exercise_files", path=str(root), expected=", ".join(EXERCISE_FILES)))
    chosen: dict[str, bytes] = {}
    total = 0
    for path in paths:
        full = root / path
        if full.is_symlink() or not full.is_file():
            continue
        size = full.lstat().st_size
        if size > MAX_FILE_BYTES or total + size > MAX_TOTAL_BYTES:
            notes.append(msg("loader.too_large", file=path.name, limit=MAX_FILE_BYTES // 1024))
            continue
        fd = os.open(full, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as handle:
            chosen[path.name] = handle.read(MAX_FILE_BYTES + 1)[:MAX_FILE_BYTES]
        total += size
    return _finish(str(root), chosen, notes)


def load_zip(path: Path) -> LoadedSubmission:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableSubmission(msg("loader.bad_zip", path=str(path), error=str(exc))) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UnreadableSubmission(msg("loader.zip_too_many", path=str(path), limit=MAX_MEMBERS))
        found: dict[PurePosixPath, int] = {}
        by_path: dict[PurePosixPath, zipfile.ZipInfo] = {}
        for info in members:
            member = PurePosixPath(info.filename)
            is_link = stat.S_ISLNK(info.external_attr >> 16)
            unsafe = member.is_absolute() or ".." in member.parts or is_link
            hidden = any(part.startswith((".", "__")) for part in member.parts[:-1])
            if info.is_dir() or unsafe or hidden or len(member.parts) > MAX_DEPTH + 1 or not _is_candidate(member.name):
                continue
            found[member] = info.file_size
            by_path[member] = info
        folder, paths = _choose(found)
        if folder is None:
            raise UnreadableSubmission(
                msg("loader.no_exercise_files", path=str(path), expected=", ".join(EXERCISE_FILES))
            )
        chosen: dict[str, bytes] = {}
        notes: list[Message] = []
        total = 0
        for member in paths:
            info = by_path[member]
            if info.file_size > MAX_FILE_BYTES or total + info.file_size > MAX_TOTAL_BYTES:
                notes.append(msg("loader.too_large", file=member.name, limit=MAX_FILE_BYTES // 1024))
                continue
            try:
                with archive.open(info) as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
                raise UnreadableSubmission(msg("loader.bad_zip", path=str(path), error=str(exc))) from None
            if len(data) > MAX_FILE_BYTES:
                notes.append(msg("loader.too_large", file=member.name, limit=MAX_FILE_BYTES // 1024))
                continue
            chosen[member.name] = data
            total += len(data)
    return _finish(str(path), chosen, notes)


def load_file(path: Path) -> LoadedSubmission:
    if path.name not in EXERCISE_FILES and path.suffix != ".ipynb":
        raise UnreadableSubmission(msg("loader.unknown_file", path=str(path), expected=", ".join(EXERCISE_FILES)))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise UnreadableSubmission(msg("loader.too_large", file=path.name, limit=MAX_FILE_BYTES // 1024))
    return _finish(str(path), {path.name: path.read_bytes()}, [])


def load(path: str | os.PathLike[str]) -> LoadedSubmission:
    """Load a submission from a folder, a .zip, one exercise .py or .ipynb."""
    target = Path(path)
    if target.is_symlink() and not target.exists():
        raise UnreadableSubmission(msg("loader.not_found", path=str(target)))
    if not target.exists():
        raise UnreadableSubmission(msg("loader.not_found", path=str(target)))
    if target.is_dir():
        return load_folder(target)
    if target.suffix == ".zip":
        return load_zip(target)
    if target.suffix in (".py", ".ipynb"):
        return load_file(target)
    raise UnreadableSubmission(msg("loader.unknown_kind", path=str(target)))


def from_bytes(source: str, files: dict[str, bytes]) -> LoadedSubmission:
    """A submission built in memory (tests, notebooks)."""
    return _finish(source, dict(files), [])


__all__ = ["LoadedSubmission", "UnreadableSubmission", "load"]
