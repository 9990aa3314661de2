"""The folder layouts instructors have: which entries are submissions, and whose they are.

Supported: a plain folder (one folder, .zip, .py or .ipynb per student, named by student id),
Gradescope's "Export submissions" (a folder or .zip with submission_metadata.yml and one
submission_<n>/ folder each; a group submission gives each member a row), and nbgrader's
submitted/<student>/<assignment>/ tree. A folder of GitHub Classroom clones is a plain folder.

Only names and file types are looked at here, never a file's content: this runs where nothing a
student wrote may be read (see `commands/batch.py`). What a student names a folder cannot switch
the layout, and an entry that cannot be a submission (a link, a pipe, a .rar) still gets a row
that says why.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from autograder import units
from autograder.errors import UsageError
from autograder.i18n import Message, msg
from autograder.submission.loader import is_other_archive, printable

SUBMISSION_SUFFIXES = (".zip", ".py", ".ipynb")
GRADESCOPE_METADATA = "submission_metadata.yml"
RESERVED = frozenset({"grades.csv", "report.html"})
"""What grade-batch writes beside the students' folders: no student id may take these names, nor an
installed unit's (the folder of its gradebook and class report)."""
NBGRADER_FOLDERS = frozenset({"source", "release", "autograded", "feedback", "submitted"})
"""The folders of an nbgrader course besides submitted/ (nbgrader_config.py and gradebook.db are files)."""
MAX_ID_BYTES = 200
_UNSAFE = re.compile(r"[^\w.@+-]")
_SUBMISSION_FOLDER = re.compile(r"^submission_\d+$")


class LayoutError(UsageError, ValueError):
    """The folder holds nothing that looks like submissions."""


@dataclass(frozen=True)
class Entry:
    """One student's submission."""

    student: str
    """Unique, usable as a folder name, readable (non-ASCII letters are kept)."""
    path: Path
    source: str
    """Where the row came from, relative to the class folder, printable: the grades.csv `source`."""
    problem: Message | None = None
    """Why the entry cannot be graded, known from its name and type alone."""


@dataclass(frozen=True)
class Discovery:
    layout: str
    root: Path
    entries: list[Entry]
    ignored: list[str]
    """Files beside the submissions that are none (a README, a spreadsheet): listed, not graded."""


def safe_id(name: str) -> str:
    """A student id usable as a folder name: letters of any script kept, no separators, no leading
    dots, not empty, short enough for any file system."""
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", printable(name))).lstrip(".") or "_"
    while len(cleaned.encode("utf-8")) > MAX_ID_BYTES:
        cleaned = cleaned[:-1]
    return cleaned


def _unique(entries: list[Entry]) -> list[Entry]:
    """Ids made unique (`id~2`), and kept off the batch's own output names."""
    seen: dict[str, int] = {}
    taken = {entry.student.casefold() for entry in entries}
    reserved = RESERVED | {name.casefold() for name in units.names()}
    result = []
    for entry in sorted(entries, key=lambda e: (e.student, e.source)):
        student = entry.student
        if student.casefold() in reserved:
            student = f"{student}_"
            while student.casefold() in taken:
                student += "_"
            taken.add(student.casefold())
        count = seen.get(student, 0)
        seen[student] = count + 1
        if count:
            student = f"{student}~{count + 1}"
        result.append(Entry(student, entry.path, entry.source, entry.problem))
    return result


def _kind(path: Path) -> int:
    """The file type of `path` itself (a link is a link, not what it points to)."""
    return stat.S_IFMT(path.lstat().st_mode)


def _visible(folder: Path) -> list[Path]:
    return sorted(c for c in folder.iterdir() if not c.name.startswith((".", "__MACOSX")))


def _plain(folder: Path, exclude: set[Path]) -> tuple[list[Entry], list[str]]:
    entries, ignored = [], []
    for child in _visible(folder):
        kind, source = _kind(child), printable(child.name)
        if kind == stat.S_IFDIR and child.resolve() in exclude:
            continue
        is_submission_name = child.suffix.lower() in SUBMISSION_SUFFIXES or is_other_archive(child.name)
        student = safe_id(child.name if kind == stat.S_IFDIR else _stem(child.name))
        if kind == stat.S_IFLNK:
            entries.append(Entry(student, child, source, msg("batch.symlink", path=source)))
        elif kind == stat.S_IFDIR:
            entries.append(Entry(student, child, source))
        elif not is_submission_name:
            ignored.append(source)
        elif kind != stat.S_IFREG:
            entries.append(Entry(student, child, source, msg("loader.not_regular", path=source)))
        elif is_other_archive(child.name):
            entries.append(Entry(student, child, source, msg("loader.unsupported_archive", path=source)))
        else:
            entries.append(Entry(student, child, source))
    return entries, ignored


def _stem(name: str) -> str:
    """`alice.tar.gz` -> `alice`, `bob.zip` -> `bob`."""
    lowered = name.lower()
    for suffix in sorted((*SUBMISSION_SUFFIXES, ".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst"), key=len, reverse=True):
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def gradescope_members(metadata: str) -> dict[str, list[str]]:
    """submission folder -> the ids of its submitters (several for a group), from Gradescope's
    metadata, a YAML subset: `submission_<n>:` maps to a block whose `:submitters:` list holds one
    `- :name: ...` item per member, with `:sid:`, `:email:` and `:name:`; the first present names him.
    """
    members: dict[str, list[dict[str, str]]] = {}
    current: list[dict[str, str]] | None = None
    submitters_indent: int | None = None
    for line in metadata.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        text = line.strip()
        if indent == 0 and not text.startswith("-") and text.endswith(":"):
            current = members.setdefault(text[:-1].strip().strip("'\""), [])
            submitters_indent = None
            continue
        if current is None:
            continue
        if text == ":submitters:":
            submitters_indent = indent
            continue
        inside = submitters_indent is not None and (
            indent > submitters_indent or (indent == submitters_indent and text.startswith("-"))
        )
        if not inside:
            submitters_indent = None
            continue
        field = re.match(r"^(-\s*)?(:sid|:email|:name):\s*(.*)$", text)
        if text.startswith("-"):
            current.append({})
        if field and current:
            current[-1].setdefault(field.group(2), field.group(3).strip().strip("'\""))
    ids: dict[str, list[str]] = {}
    for folder, people in members.items():
        named = [next((p[key] for key in (":sid", ":email", ":name") if p.get(key)), "") for p in people]
        ids[folder] = [name for name in named if name]
    return ids


def _gradescope(folder: Path) -> tuple[list[Entry], list[str]]:
    text = (folder / GRADESCOPE_METADATA).read_bytes()[: 64 << 20].decode("utf-8", "replace")
    members = gradescope_members(text)
    entries = []
    for child in _visible(folder):
        if not _SUBMISSION_FOLDER.match(child.name):
            continue
        source = printable(child.name)
        if _kind(child) == stat.S_IFLNK:
            entries.append(Entry(safe_id(child.name), child, source, msg("batch.symlink", path=source)))
        elif _kind(child) == stat.S_IFDIR:
            for member in members.get(child.name) or [child.name]:
                entries.append(Entry(safe_id(member), child, source))
    return entries, []


def _holds_exercise_files(folder: Path) -> bool:
    """Whether `folder` directly holds an exercise file (or its notebook) of any installed unit."""
    names = {
        name
        for unit in units.installed().values()
        for module in unit.modules
        for name in (f"{module}.py", f"{module}.ipynb")
    }
    return any(c.name in names for c in folder.iterdir())


def _nbgrader_students(submitted: Path) -> list[Path] | None:
    """The student folders of nbgrader's submitted/, or None where this is not that tree: there
    each student folder holds assignment folders, never the exercise files themselves."""
    if _kind(submitted) != stat.S_IFDIR:
        return None
    students = [c for c in _visible(submitted) if _kind(c) == stat.S_IFDIR]
    if not students:
        return None
    for student in students:
        if not any(_kind(c) == stat.S_IFDIR for c in _visible(student)) or _holds_exercise_files(student):
            return None
    return students


def _looks_like_nbgrader_course(folder: Path) -> bool:
    """submitted/ beside no other submission: a class folder in which one student happens to be
    called `submitted` has other submissions beside it (files, or folders holding exercise files
    as the loader finds them: in the folder or one below); nbgrader's own folders do not count."""
    for child in _visible(folder):
        if child.name in NBGRADER_FOLDERS or child.name in ("nbgrader_config.py", "gradebook.db"):
            continue
        kind = _kind(child)
        if kind == stat.S_IFDIR:
            inner = [child, *(c for c in _visible(child) if _kind(c) == stat.S_IFDIR)]
            if any(_holds_exercise_files(place) for place in inner):
                return False
        elif child.suffix.lower() in SUBMISSION_SUFFIXES or is_other_archive(child.name):
            return False
    return True


def _nbgrader(students: list[Path], prefix: str) -> tuple[list[Entry], list[str]]:
    entries = []
    for student in students:
        assignments = [a for a in _visible(student) if _kind(a) == stat.S_IFDIR]
        target = assignments[0] if len(assignments) == 1 else student
        entries.append(Entry(safe_id(student.name), target, printable(f"{prefix}{student.name}")))
    return entries, []


def is_gradescope_export(folder: Path) -> bool:
    """submission_metadata.yml as a regular file beside submission_<n> folders: a student folder of
    that name, or the file alone, is no export."""
    metadata = folder / GRADESCOPE_METADATA
    try:
        if _kind(metadata) != stat.S_IFREG:
            return False
    except OSError:
        return False
    return any(_SUBMISSION_FOLDER.match(c.name) and _kind(c) == stat.S_IFDIR for c in folder.iterdir())


def find_root(folder: Path) -> Path:
    """Gradescope's export zip holds one top folder; look inside it."""
    children = _visible(folder)
    if len(children) == 1 and _kind(children[0]) == stat.S_IFDIR and is_gradescope_export(children[0]):
        return children[0]
    return folder


def discover(path: Path, exclude: tuple[Path, ...] = ()) -> Discovery:
    """The layout's name and its submissions, one per student, ids unique and folder-safe.

    `exclude`: folders never taken for a submission (the output folder, when it lies inside).
    """
    if not path.is_dir():
        raise LayoutError(f"{printable(str(path))} is not a folder (or a .zip of one) of submissions")
    skipped = {p.resolve() for p in exclude}
    submitted = path / "submitted"
    if is_gradescope_export(path):
        layout, (entries, ignored) = "gradescope", _gradescope(path)
    elif submitted.exists() and (students := _nbgrader_students(submitted)) and _looks_like_nbgrader_course(path):
        layout, (entries, ignored) = "nbgrader", _nbgrader(students, "submitted/")
    elif path.name == "submitted" and (students := _nbgrader_students(path)):
        layout, (entries, ignored) = "nbgrader", _nbgrader(students, "")
    else:
        layout, (entries, ignored) = "plain", _plain(path, skipped)
    if not entries:
        raise LayoutError(
            f"no submissions in {printable(str(path))}: expected one folder, .zip, .py or .ipynb per student, "
            "a Gradescope export (submission_metadata.yml), or nbgrader's submitted/ folder"
        )
    return Discovery(layout, path, _unique(entries), ignored)
