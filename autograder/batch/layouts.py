"""The folder layouts instructors have: which entries are submissions, and whose they are.

Supported: a plain folder (one folder, .zip, .py or .ipynb per student, named by student id),
Gradescope's "Export submissions" (a folder or .zip with submission_metadata.yml and one
submission_<n>/ folder each), and nbgrader's submitted/<student>/<assignment>/ tree. A folder of
GitHub Classroom clones is a plain folder.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

SUBMISSION_SUFFIXES = (".zip", ".py", ".ipynb")
_SAFE = re.compile(r"[^A-Za-z0-9._@+-]")
GRADESCOPE_METADATA = "submission_metadata.yml"


class LayoutError(ValueError):
    """The folder holds nothing that looks like submissions."""


@dataclass(frozen=True)
class Entry:
    """One student's submission."""

    student: str
    path: Path


def safe_id(name: str) -> str:
    """A student id usable as a folder name: no separators, no leading dots, not empty."""
    cleaned = _SAFE.sub("_", name).lstrip(".") or "_"
    return cleaned[:120]


def _unique(entries: list[Entry]) -> list[Entry]:
    seen: dict[str, int] = {}
    result = []
    for entry in sorted(entries, key=lambda e: (e.student, str(e.path))):
        count = seen.get(entry.student, 0)
        seen[entry.student] = count + 1
        student = entry.student if count == 0 else f"{entry.student}~{count + 1}"
        result.append(Entry(student, entry.path))
    return result


def _plain(folder: Path) -> list[Entry]:
    entries = []
    for child in folder.iterdir():
        if child.name.startswith(".") or child.is_symlink():
            continue
        if child.is_dir():
            entries.append(Entry(safe_id(child.name), child))
        elif child.suffix in SUBMISSION_SUFFIXES:
            entries.append(Entry(safe_id(child.stem), child))
    return entries


def _gradescope_ids(metadata: str) -> dict[str, str]:
    """submission folder -> student id, read from Gradescope's metadata (a YAML subset).

    The file maps `submission_<n>:` to a block whose `:submitters:` list holds `:sid:`,
    `:email:` and `:name:`; the first of those present names the student.
    """
    ids: dict[str, str] = {}
    current: str | None = None
    fields: dict[str, str] = {}

    def close() -> None:
        if current is not None:
            for key in (":sid", ":email", ":name"):
                if fields.get(key):
                    ids[current] = fields[key]
                    return

    for line in metadata.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith((" ", "-")) and line.rstrip().endswith(":"):
            close()
            current, fields = line.rstrip()[:-1].strip().strip("'\""), {}
            continue
        match = re.match(r"^\s*-?\s*(:sid|:email|:name):\s*(.*)$", line)
        if match and current is not None and match.group(1) not in fields:
            fields[match.group(1)] = match.group(2).strip().strip("'\"")
    close()
    return ids


def _gradescope(folder: Path) -> list[Entry]:
    ids = _gradescope_ids((folder / GRADESCOPE_METADATA).read_text(encoding="utf-8", errors="replace"))
    entries = []
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink() and child.name.startswith("submission_"):
            entries.append(Entry(safe_id(ids.get(child.name, child.name)), child))
    return entries


def _nbgrader(submitted: Path) -> list[Entry]:
    entries = []
    for student in submitted.iterdir():
        if not student.is_dir() or student.is_symlink():
            continue
        assignments = [a for a in student.iterdir() if a.is_dir() and not a.is_symlink()]
        target = assignments[0] if len(assignments) == 1 else student
        entries.append(Entry(safe_id(student.name), target))
    return entries


def _find_root(folder: Path) -> Path:
    """Gradescope's export zip holds one top folder; look inside it."""
    children = [c for c in folder.iterdir() if not c.name.startswith((".", "__MACOSX"))]
    if len(children) == 1 and children[0].is_dir() and (children[0] / GRADESCOPE_METADATA).exists():
        return children[0]
    return folder


def discover(path: Path, scratch: Path | None = None) -> tuple[str, list[Entry]]:
    """The layout's name and its submissions, one per student, ids unique and folder-safe."""
    if path.is_file() and path.suffix == ".zip":
        target = Path(tempfile.mkdtemp(prefix="autograder-class-", dir=scratch))
        with zipfile.ZipFile(path) as archive:
            _safe_extract(archive, target)
        path = _find_root(target)
    if not path.is_dir():
        raise LayoutError(f"{path} is not a folder (or a .zip of one) of submissions")
    if (path / GRADESCOPE_METADATA).exists():
        layout, entries = "gradescope", _gradescope(path)
    elif (path / "submitted").is_dir():
        layout, entries = "nbgrader", _nbgrader(path / "submitted")
    elif path.name == "submitted":
        layout, entries = "nbgrader", _nbgrader(path)
    else:
        layout, entries = "plain", _plain(path)
    if not entries:
        raise LayoutError(
            f"no submissions in {path}: expected one folder, .zip, .py or .ipynb per student, "
            "a Gradescope export (submission_metadata.yml), or nbgrader's submitted/ folder"
        )
    return layout, _unique(entries)


def _safe_extract(archive: zipfile.ZipFile, target: Path) -> None:
    """Extract without following absolute paths, '..', or links out of `target`."""
    root = target.resolve()
    for info in archive.infolist():
        destination = (target / info.filename).resolve()
        if not destination.is_relative_to(root) or (info.external_attr >> 16) & 0o170000 == 0o120000:
            continue
        archive.extract(info, target)
