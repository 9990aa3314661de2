"""The batch's output folder: per-student results, the marker that makes reruns skip, grades.csv.

Every file is written atomically and `meta.json` last, so a student's folder is either complete or
ignored: a run killed at any moment and started again grades exactly what is missing, and
grades.csv is rebuilt from the folders, one row per student.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from autograder import __version__, units
from autograder.output import write_atomic
from autograder.paths import KIT_ROOT, PACKAGE_DIR
from autograder.unit import Unit

META = "meta.json"
STATUSES = ("graded", "unreadable", "grader_failed")


GRADING_SUFFIXES = (".py", ".toml", ".html", ".css")
"""The files whose change changes a grade or its feedback: code, catalogues, report templates."""


@cache
def grader_fingerprint(suite: str, lang: str, secret_file: Path | None = None) -> str:
    """Changes whenever the grader would grade differently: its code, suite, catalogues, language, and
    the secret that seeds the hidden inputs (known by its file's identity: this process never reads it)."""
    digest = hashlib.sha256(f"{__version__}|{suite}|{lang}".encode())
    if secret_file is not None:
        try:
            info = secret_file.stat()
            digest.update(f"|{secret_file.resolve()}|{info.st_size}|{info.st_mtime_ns}".encode())
        except OSError:
            digest.update(f"|{secret_file}|missing".encode())
    # The package holds the engine and every unit (their suites, solutions and catalogues) and the
    # templates of the pages a grading writes.
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in GRADING_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(KIT_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def content_hash(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


@dataclass
class Meta:
    """What the batch knows about one student's grading, beside results.json."""

    student: str
    status: str
    content: str
    grader: str
    seconds: float
    source: str
    reason: str = ""
    score: float = 0.0
    max_score: float = 0.0
    exercises: dict[str, list[float]] | None = None
    not_implemented: list[str] | None = None
    """Exercises whose tests met the stub's NotImplementedError: never started, not wrong."""
    unit: str = ""
    """The unit the student was graded in; "" where none is known (unreadable, without --unit)."""


class Store:
    def __init__(self, out: Path) -> None:
        self.out = out

    def folder(self, student: str) -> Path:
        return self.out / student

    def meta(self, student: str) -> Meta | None:
        try:
            raw = json.loads((self.folder(student) / META).read_text(encoding="utf-8"))
            return Meta(**raw)
        except (OSError, ValueError, TypeError):
            return None

    def is_current(self, student: str, content: str, grader: str) -> bool:
        """Graded already, by this grader, from this content, and completely: a grading the machine
        left short (a graded student with a reason: GPU tests it could not run) is done again."""
        meta = self.meta(student)
        if meta is None or meta.content != content or meta.grader != grader:
            return False
        return not (meta.status == "graded" and meta.reason)

    def begin(self, student: str) -> Path:
        """Forget the student's old marker before writing new results: a crash leaves no stale pair."""
        folder = self.folder(student)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / META).unlink(missing_ok=True)
        return folder

    def finish(self, meta: Meta) -> None:
        """Written last: from now on the student's results count as complete."""
        write_atomic(self.folder(meta.student) / META, json.dumps(asdict(meta), ensure_ascii=False, indent=1) + "\n")

    def all_meta(self, students: list[str]) -> list[Meta]:
        return [meta for student in students if (meta := self.meta(student)) is not None]

    def results(self, student: str) -> dict[str, Any] | None:
        try:
            results = json.loads((self.folder(student) / "results.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return results if isinstance(results, dict) else None

    def unit_folder(self, unit: Unit) -> Path:
        """Where a unit's own gradebook and class report go (no student id takes a unit's name)."""
        return self.out / unit.name

    def write_grades(self, metas: list[Meta], unit: Unit | None = None) -> Path:
        """grades.csv: one row per student; points per exercise; the status says why a row is empty;
        `source` names the entry of the class folder the row came from. Without a unit, the whole
        class with every unit's exercises; with one, in its folder, its students and its exercises."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        tags = unit.tags if unit is not None else units.all_tags()
        writer.writerow(["student_id", "status", "total", "max", *tags, "reason", "source"])
        for meta in sorted(metas, key=lambda m: m.student):
            points = meta.exercises or {}
            writer.writerow(
                [
                    meta.student,
                    meta.status,
                    f"{meta.score:g}",
                    f"{meta.max_score:g}",
                    *(f"{points[tag][0]:g}" if tag in points else "" for tag in tags),
                    meta.reason,
                    meta.source,
                ]
            )
        path = (self.unit_folder(unit) if unit is not None else self.out) / "grades.csv"
        write_atomic(path, buffer.getvalue())
        return path
