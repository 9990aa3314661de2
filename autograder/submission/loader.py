"""Read a submission without running it: find the exercise files, refuse what is unsafe to copy.

Symbolic links are never followed (a link to a secret file would hand it to the worker), zip members
are checked for paths and sizes before anything is read, and every size is bounded.
"""

from __future__ import annotations

import contextlib
import lzma
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder import units
from autograder.errors import StudentFault
from autograder.i18n import Message, msg
from autograder.submission.notebook import is_unit_notebook
from autograder.unit import Unit

MAX_FILE_BYTES = 1 << 20
MAX_TOTAL_BYTES = 16 << 20
MAX_MEMBERS = 2000
"""Files in a zip, or entries in a folder tree, beyond which a submission is refused outright."""
MAX_DEPTH = 4
MAX_NAME_BYTES = 255
"""The longest file name a Linux file system holds: a longer one could never reach a worker."""
OTHER_ARCHIVES: tuple[str, ...] = (".rar", ".7z", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
OTHER_ARCHIVES += (".gz", ".bz2", ".xz", ".zst", ".tar.zst", ".lz", ".lzma", ".cab", ".arj", ".z", ".zipx")
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
    lzma.LZMAError,
    struct.error,
)
"""What reading a damaged zip raises: a bad directory or name encoding (UnicodeDecodeError is a
ValueError), a corrupt deflate stream, an unsupported method, a password, a truncated file."""
READ_ERRORS = (OSError, ValueError, RecursionError)
"""What reading a folder or file may still raise (a file vanishing, a name the system refuses)."""


def printable(text: str) -> str:
    """`text` as valid UTF-8 for messages and reports: bytes of a non-UTF-8 file name, and lone
    surrogates, are shown escaped (`h\\xff.py`) instead of breaking whatever prints them."""
    return text.encode("utf-8", "surrogateescape" if _escaped_bytes_only(text) else "backslashreplace").decode(
        "utf-8", "backslashreplace"
    )


def _escaped_bytes_only(text: str) -> bool:
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


def name_problem(name: str) -> str | None:
    """Why a file of this name cannot be handed to a worker (a catalogue key), or None."""
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:
        return "loader.name_not_utf8"
    if len(encoded) > MAX_NAME_BYTES:
        return "loader.name_too_long"
    if name in (".", "..") or "/" in name or "\x00" in name or any(ord(c) < 32 for c in name):
        return "loader.name_control"
    return None


def is_other_archive(name: str) -> bool:
    """An archive the grader does not read (.rar, .7z, .tar, ...): the student must zip instead."""
    return name.lower().endswith(OTHER_ARCHIVES)


class UnreadableSubmission(StudentFault):
    """The submission cannot be graded at all; the message says what to do."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.key)
        self.message = message

    def describe(self, lang: str) -> str:
        return self.message.render(lang)


@dataclass
class LoadedSubmission:
    """The judge's copy of a submission: Python files by name, and notes for the student."""

    source: str
    unit: Unit
    """The unit it is graded in: its exercise files are what the loader looked for."""
    files: dict[str, bytes] = field(default_factory=dict)
    notes: list[Message] = field(default_factory=list)

    @property
    def sources(self) -> dict[str, str]:
        return {name: data.decode("utf-8", errors="replace") for name, data in self.files.items()}

    @property
    def exercise_files(self) -> list[str]:
        return [name for name in self.unit.exercise_files if name in self.files]


def _is_candidate(name: str) -> bool:
    return name.endswith((".py", ".ipynb")) and not name.startswith((".", "test_")) and name != "conftest.py"


def _notebooks(unit: Unit) -> tuple[str, ...]:
    """Per-exercise notebooks: one per exercise file (`<module>.ipynb`)."""
    return tuple(f"{m}.ipynb" for m in unit.modules)


def _choose(found: dict[PurePosixPath, int], unit: Unit) -> tuple[PurePosixPath | None, list[PurePosixPath]]:
    """The folder holding the exercise files: the shallowest one that has any."""
    holders: dict[PurePosixPath, int] = {}
    for path in found:
        if path.name in unit.exercise_files or path.name in _notebooks(unit) or is_unit_notebook(path.name, unit):
            holders[path.parent] = holders.get(path.parent, 0) + 1
    if not holders:
        return None, []
    best = min(holders, key=lambda folder: (len(folder.parts), -holders[folder], str(folder)))
    return best, sorted(p for p in found if p.parent == best)


def _notebooks_first_per_module(chosen: dict[str, bytes], unit: Unit) -> list[tuple[str, bytes]]:
    """The notebooks to read: per-exercise ones before the unit's, and one unit notebook only.

    Of several copies of the unit notebook, the one with its own name wins, else the first by name. A
    notebook given on its own is read as the unit's whatever its name.
    """
    per_module = [(n, d) for n, d in chosen.items() if n in _notebooks(unit)]
    whole = sorted(
        (
            n
            for n in chosen
            if n not in _notebooks(unit) and (is_unit_notebook(n, unit) or (len(chosen) == 1 and n.endswith(".ipynb")))
        ),
        key=lambda n: (n != unit.notebook, n),
    )
    return per_module + [(name, chosen[name]) for name in whole[:1]]


def _finish(source: str, chosen: dict[str, bytes], notes: list[Message], unit: Unit) -> LoadedSubmission:
    from autograder.submission import notebook

    submission = LoadedSubmission(source=source, unit=unit, notes=notes)
    for name, data in chosen.items():
        if name.endswith(".ipynb"):
            continue
        submission.files[name] = data
    for name, data in _notebooks_first_per_module(chosen, unit):
        try:
            found = notebook.notebook_code(data, name, unit)
        except notebook.NotebookError as exc:
            raise UnreadableSubmission(msg("loader.bad_notebook", notebook=name, error=exc.message)) from None
        submission.notes.extend(found.notes)
        for file, code in found.files.items():
            if file in submission.files:
                submission.notes.append(msg("loader.notebook_ignored", notebook=name, file=file))
                continue
            submission.files[file] = code.encode()
    if not submission.exercise_files:
        raise UnreadableSubmission(
            msg("loader.no_exercise_files", path=printable(source), expected=", ".join(unit.exercise_files))
        )
    return submission


def _walk_folder(root: Path) -> dict[PurePosixPath, int]:
    """Candidate files below `root` by relative path: regular files only, links never followed."""
    found: dict[PurePosixPath, int] = {}
    seen = 0
    for folder, dirs, names in os.walk(root, followlinks=False):
        seen += len(dirs) + len(names)
        if seen > MAX_MEMBERS:
            raise UnreadableSubmission(msg("loader.folder_too_many", path=printable(str(root)), limit=MAX_MEMBERS))
        relative = PurePosixPath(Path(folder).relative_to(root).as_posix())
        depth = 0 if str(relative) == "." else len(relative.parts)
        dirs[:] = [d for d in dirs if not d.startswith((".", "__")) and depth < MAX_DEPTH]
        for name in names:
            if not _is_candidate(name):
                continue
            info = (Path(folder) / name).lstat()
            if stat.S_ISREG(info.st_mode):
                found[relative / name if depth else PurePosixPath(name)] = info.st_size
    return found


def _read_regular(path: Path, limit: int, follow: bool = False) -> bytes:
    """At most `limit` + 1 bytes of a regular file; anything else (a FIFO, a device, a socket, a link
    when `follow` is off) is refused before a byte is read, so nothing can block or leak."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnreadableSubmission(msg("loader.not_regular", path=printable(str(path))))
        return handle.read(limit + 1)


def _keep(name: str, notes: list[Message]) -> bool:
    """Whether a file of this name can be handed to a worker; a note says why one cannot."""
    reason = name_problem(name)
    if reason is not None:
        notes.append(msg("loader.name_left_out", file=printable(name)[:80], reason=msg(reason)))
    return reason is None


def _too_large(name: str) -> Message:
    return msg("loader.too_large", file=printable(name), limit=MAX_FILE_BYTES // 1024)


def _fits(name: str, size: int, total: int, notes: list[Message]) -> bool:
    """Whether a file of `size` bytes can be kept beside `total` bytes already kept; a note says when not."""
    if size > MAX_FILE_BYTES or total + size > MAX_TOTAL_BYTES:
        notes.append(_too_large(name))
        return False
    return True


def load_folder(root: Path, unit: Unit) -> LoadedSubmission:
    notes: list[Message] = []
    folder, paths = _choose(_walk_folder(root), unit)
    if folder is None:
        raise UnreadableSubmission(
            msg("loader.no_exercise_files", path=printable(str(root)), expected=", ".join(unit.exercise_files))
        )
    chosen: dict[str, bytes] = {}
    total = 0
    for path in paths:
        if not _keep(path.name, notes):
            continue
        try:
            data = _read_regular(root / path, MAX_FILE_BYTES)
        except UnreadableSubmission:
            continue  # replaced by something else than a regular file since the walk: not the student's work
        if not _fits(path.name, len(data), total, notes):
            continue
        chosen[path.name] = data
        total += len(data)
    return _finish(printable(str(root)), chosen, notes, unit)


def _zip_members(archive: zipfile.ZipFile, shown: str) -> dict[PurePosixPath, zipfile.ZipInfo]:
    """The archive's candidate files by path: no links, nothing absolute, above or hidden."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise UnreadableSubmission(msg("loader.zip_too_many", path=shown, limit=MAX_MEMBERS))
    found: dict[PurePosixPath, zipfile.ZipInfo] = {}
    for info in members:
        if not info.filename:
            continue  # a nameless member (a damaged directory) is no file
        member = PurePosixPath(info.filename)
        is_link = stat.S_ISLNK(info.external_attr >> 16)
        unsafe = member.is_absolute() or ".." in member.parts or is_link
        hidden = any(part.startswith((".", "__")) for part in member.parts[:-1])
        if info.is_dir() or unsafe or hidden or len(member.parts) > MAX_DEPTH + 1 or not _is_candidate(member.name):
            continue
        found[member] = info
    return found


def load_zip(path: Path, unit: Unit) -> LoadedSubmission:
    shown = printable(str(path))
    with _open_zip(path) as archive:
        by_path = _zip_members(archive, shown)
        folder, paths = _choose({member: info.file_size for member, info in by_path.items()}, unit)
        if folder is None:
            raise UnreadableSubmission(
                msg("loader.no_exercise_files", path=shown, expected=", ".join(unit.exercise_files))
            )
        chosen: dict[str, bytes] = {}
        notes: list[Message] = []
        total = 0
        for member in paths:
            info = by_path[member]
            if not _keep(member.name, notes):
                continue
            if not _fits(member.name, info.file_size, total, notes):
                continue
            try:
                with archive.open(info) as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)
            except ZIP_ERRORS as exc:
                raise UnreadableSubmission(msg("loader.bad_zip", path=shown, error=printable(str(exc)))) from None
            if not _fits(member.name, len(data), total, notes):  # the archive's stated size can lie
                continue
            chosen[member.name] = data
            total += len(data)
    return _finish(shown, chosen, notes, unit)


@contextlib.contextmanager
def _open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """The archive, or a clear refusal: corrupt directories, bad name encodings and FIFOs included."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnreadableSubmission(msg("loader.not_regular", path=printable(str(path))))
        try:
            archive = zipfile.ZipFile(handle)
        except ZIP_ERRORS as exc:
            raise UnreadableSubmission(
                msg("loader.bad_zip", path=printable(str(path)), error=printable(str(exc)))
            ) from None
        with archive:
            yield archive


def _lone_script(source: str, name: str, data: bytes, unit: Unit) -> LoadedSubmission:
    """One .py not named after an exercise (`alice.py`): it holds the whole unit, like a notebook
    without sections, so each exercise is graded on all of its code."""
    chosen = {file: data for file in unit.exercise_files}
    return _finish(source, chosen, [msg("loader.single_script", file=printable(name))], unit)


def load_file(path: Path, unit: Unit) -> LoadedSubmission:
    shown = printable(str(path))
    data = _read_regular(path, MAX_FILE_BYTES, follow=True)
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableSubmission(_too_large(path.name))
    if path.suffix == ".py" and path.name not in unit.exercise_files:
        return _lone_script(shown, path.name, data, unit)
    return _finish(shown, {printable(path.name): data}, [], unit)


def load(path: str | os.PathLike[str], unit: Unit | None = None) -> LoadedSubmission:
    """Load a submission to `unit` from a folder, a .zip, one .py or .ipynb; anything else is refused
    with a message that says what to hand in (UnreadableSubmission), never a crash and never a hang.

    Without a unit, the submission's files choose: the installed unit of which it defines the most
    exercises, then holds the most exercise files (the first installed on a tie, or when it holds
    none of any)."""
    if unit is not None:
        return _load(path, unit)
    candidates = list(units.installed().values())
    if len(candidates) == 1:
        return _load(path, candidates[0])
    loaded: list[LoadedSubmission] = []
    refusal: UnreadableSubmission | None = None
    for candidate in candidates:
        try:
            loaded.append(_load(path, candidate))
        except UnreadableSubmission as exc:
            refusal = refusal or exc
    if not loaded:
        raise refusal or UnreadableSubmission(msg("loader.not_found", path=printable(str(path))))
    return max(loaded, key=_evidence)


_DEFINED = re.compile(rb"^(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)", re.MULTILINE)
"""A name defined at the top of a module."""


def _evidence(submission: LoadedSubmission) -> tuple[int, int]:
    """How much of its unit a submission is: the unit's exercises its files define, then how many of
    the unit's files it holds. Names alone cannot tell a lone script (`alice.py`), read as every
    file of each unit, so the unit with more files would take it whatever it holds."""
    defined = {m.decode() for name in submission.exercise_files for m in _DEFINED.findall(submission.files[name])}
    return len(defined & set(submission.unit.tags)), len(submission.exercise_files)


def _load(path: str | os.PathLike[str], unit: Unit) -> LoadedSubmission:
    target = Path(path)
    shown = printable(str(target))
    try:
        info = target.stat()  # the path given is followed once; nothing inside a submission is
    except OSError:
        raise UnreadableSubmission(msg("loader.not_found", path=shown)) from None
    try:
        if stat.S_ISDIR(info.st_mode):
            return load_folder(target, unit)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableSubmission(msg("loader.not_regular", path=shown))
        if target.suffix.lower() == ".zip":
            return load_zip(target, unit)
        if target.suffix in (".py", ".ipynb"):
            return load_file(target, unit)
        if is_other_archive(target.name):
            raise UnreadableSubmission(msg("loader.unsupported_archive", path=shown))
        raise UnreadableSubmission(msg("loader.unknown_kind", path=shown))
    except READ_ERRORS as exc:
        raise UnreadableSubmission(msg("loader.cannot_read", path=shown, error=printable(str(exc)))) from None


def from_bytes(source: str, files: dict[str, bytes], unit: Unit | None = None) -> LoadedSubmission:
    """A submission built in memory (tests, notebooks); without a unit, its file names choose as in `load`."""
    if unit is None:
        names = set(files)
        unit = max(units.installed().values(), key=lambda u: len(names & set(u.exercise_files)))
    return _finish(source, dict(files), [], unit)


__all__ = ["LoadedSubmission", "UnreadableSubmission", "load"]
