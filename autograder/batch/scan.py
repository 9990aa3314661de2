"""The first look at a class, taken in a throw-away child process.

Deciding what to grade needs each submission's content (its fingerprint: a rerun skips what did not
change) and whether it can be read at all. Reading it in the main process would leave every
student's code in the memory that all judges, and through their zygotes all workers, inherit: a
submission could then search its own memory for a classmate's work. So a forked child unpacks the
class .zip, finds the layout, loads each submission and reports back names, fingerprints and
reasons only; its memory goes with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import sys
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from autograder.batch.extract import damage_of, extract_class_zip
from autograder.batch.layouts import Discovery, LayoutError, discover, find_root
from autograder.batch.store import content_hash
from autograder.cleanup import default_signals
from autograder.errors import GraderFault
from autograder.i18n import msg
from autograder.sandbox import isolation
from autograder.submission.loader import UnreadableSubmission, load, printable


@dataclass(frozen=True)
class Found:
    """One student as the scan saw it."""

    student: str
    path: str
    source: str
    content: str
    """Fingerprint of what would be graded (or of the reason it cannot be)."""
    reason: str | None = None
    """Why the submission cannot be graded, in the run's language; None when it can."""


@dataclass(frozen=True)
class Scan:
    layout: str
    root: str
    """The folder the submissions are in (the unpacked copy, for a class .zip): hidden from workers."""
    shown_root: str
    """How messages name that folder: the path the instructor gave."""
    found: list[Found]
    ignored: list[str]


class ScanFailed(GraderFault, RuntimeError):
    """The scanning process died: a fault of the grader, not of a submission."""


def _class_folder(path: Path, scratch: Path) -> tuple[Path, Path, dict[str, str]]:
    """(the folder to discover in, the folder unpacked into, damaged members)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        raise LayoutError(f"{printable(str(path))} does not exist") from None
    if stat.S_ISREG(mode) and path.suffix.lower() == ".zip":
        target = scratch / "class"
        target.mkdir()
        damaged = extract_class_zip(path, target)
        return find_root(target), target, damaged
    return path, path, {}


def _scan(path: Path, scratch: Path, exclude: tuple[Path, ...], lang: str) -> Scan:
    folder, unpacked, damaged = _class_folder(path, scratch)
    discovery: Discovery = discover(folder, exclude)
    shown_root = printable(str(path))

    def shown(text: str) -> str:
        return text.replace(printable(str(folder)), shown_root)

    found = []
    for entry in discovery.entries:
        problem = entry.problem
        damage = damage_of(entry.path, unpacked, damaged)
        if problem is None and damage is not None:
            problem = msg("batch.damaged", error=damage)
        if problem is None:
            try:
                submission = load(entry.path)
            except UnreadableSubmission as exc:
                problem = exc.message
            else:
                found.append(Found(entry.student, str(entry.path), entry.source, content_hash(submission.files)))
                continue
        reason = shown(problem.render(lang))
        found.append(
            Found(entry.student, str(entry.path), entry.source, content_hash({"unreadable": reason.encode()}), reason)
        )
    return Scan(discovery.layout, str(folder), shown_root, found, discovery.ignored)


def scan_class(path: Path, scratch: Path, exclude: tuple[Path, ...], lang: str) -> Scan:
    """Scan the class in a child process; LayoutError when it holds no submissions."""
    reader, writer = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        status = 0
        try:
            isolation.prctl(isolation.PR_SET_PDEATHSIG, signal.SIGKILL)
            default_signals()
            try:
                payload: dict[str, Any] = {"scan": asdict(_scan(path, scratch, exclude, lang))}
            except (LayoutError, OSError) as exc:  # OSError: a class folder the grader may not read
                payload = {"error": printable(str(exc))}
            with os.fdopen(writer, "w", encoding="utf-8") as channel:
                json.dump(payload, channel)
        except BaseException:  # noqa: BLE001 - never unwind into the parent's code in a forked child
            traceback.print_exc()
            status = 70
        finally:
            sys.stderr.flush()
            os._exit(status)
    os.close(writer)
    try:
        with os.fdopen(reader, "r", encoding="utf-8") as channel:
            data = channel.read()
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        raise ScanFailed(f"the process reading the submissions ended with status {status}")
    payload = json.loads(data)
    if "error" in payload:
        raise LayoutError(payload["error"])
    raw = payload["scan"]
    return Scan(raw["layout"], raw["root"], raw["shown_root"], [Found(**item) for item in raw["found"]], raw["ignored"])
