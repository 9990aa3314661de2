"""`grade-batch`: every submission of a class, in parallel, resumable, with grades.csv and report.html
for the whole class, and both again per unit (OUT/<unit>/) for each unit the class has students of."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from autograder import units
from autograder.batch import figures
from autograder.batch.jobs import default_jobs
from autograder.batch.pool import JudgePool, JudgesWontStart, Settings, Task
from autograder.batch.progress import Progress
from autograder.batch.scan import scan_class
from autograder.batch.store import Meta, Store, content_hash, grader_fingerprint
from autograder.cleanup import exit_status, ignore_signals
from autograder.commands.grade import (
    add_scoring_arguments,
    add_secret_arguments,
    apply_scoring_arguments,
    write_outputs,
)
from autograder.commands.session import Session
from autograder.errors import ExitCode
from autograder.i18n import catalogue
from autograder.output import write_atomic
from autograder.results import GradeReport
from autograder.sandbox.limits import Limits
from autograder.seeding import check_secret_file, secret_path
from autograder.submission.loader import UnreadableSubmission, load

if TYPE_CHECKING:
    from autograder.grading import Grader
    from autograder.unit import Unit

NOT_IMPLEMENTED = "failure.not_implemented"
"""The feedback of a test that met the stub's NotImplementedError."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("submissions", type=Path, help="folder (or .zip) of submissions, one per student")
    parser.add_argument(
        "--out", type=Path, required=True, help="folder for per-student results, grades.csv, report.html"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        help="parallel graders (default: one per core, fewer where the memory available holds fewer; see README)",
    )
    parser.add_argument("--force", action="store_true", help="regrade submissions already graded")
    parser.add_argument("--suite", choices=("hidden", "public"), default="hidden")
    add_secret_arguments(parser)
    add_scoring_arguments(parser)


def grade_one(grader: Grader, task: Task, settings: Settings) -> Meta:
    """Runs in a judge process: read this one student's files, grade, write them, then the marker."""
    store = Store(settings.out)
    started = time.monotonic()
    try:
        submission = load(task.path, units.get(settings.unit) if settings.unit else None)
    except UnreadableSubmission as exc:
        reason = exc.message.render(settings.lang)
        return _unreadable(store, task.student, task.source, reason, settings.grader, unit=settings.unit or "")
    submission.source = task.source
    folder = store.begin(task.student)
    report = grader.grade(submission, settings.suite, hide=settings.hide)
    write_outputs(report, folder, settings.lang)
    meta = Meta(
        student=task.student,
        status="grader_failed" if report.internal_errors else "graded",
        content=content_hash(submission.files),
        grader=settings.grader,
        seconds=round(time.monotonic() - started, 3),
        source=task.source,
        # A graded student's reason is what the operator should know (a GPU the sandbox could not use).
        reason="; ".join(e.splitlines()[0] for e in report.internal_errors or report.notices)[:500],
        score=report.score,
        max_score=report.max_score,
        exercises={tag: list(report.exercise_score(tag)) for tag in report.exercises()},
        not_implemented=_not_implemented(report),
        unit=submission.unit.name,
    )
    store.finish(meta)
    return meta


def _not_implemented(report: GradeReport) -> list[str]:
    """Exercises the student has not started: a test of theirs met the stub's NotImplementedError."""
    found = {
        test.exercise
        for test in report.tests
        if test.feedback is not None and test.feedback.summary.key == NOT_IMPLEMENTED
    }
    return [tag for tag in report.exercises() if tag in found]


def _unreadable(
    store: Store, student: str, source: str, reason: str, grader: str, content: str = "", unit: str = ""
) -> Meta:
    folder = store.begin(student)
    write_atomic(folder / "feedback.md", reason + "\n")
    meta = Meta(
        student=student,
        status="unreadable",
        content=content,
        grader=grader,
        seconds=0.0,
        source=source,
        reason=reason,
        unit=unit,
    )
    store.finish(meta)
    return meta


def _warm_up() -> None:
    """Load, once, what every judge and worker needs, so that forking them is cheap, narrow the rule's
    recorder for every worker of the run (a grade's first included: a class is graded alike); then
    move it all into huge pages, so that forking it is cheaper still (autograder.sandbox.huge_pages)."""
    import gc

    from autograder.grading import narrow_the_recorder, warm_up_judge_units, warm_up_units
    from autograder.sandbox.fork_server import preload
    from autograder.sandbox.huge_pages import collapse_into_huge_pages
    from autograder.torch_imports import load_compiler, warm_up_meta

    preload()
    warm_up_units()
    warm_up_meta()
    load_compiler()
    warm_up_judge_units()
    narrow_the_recorder()
    import autograder.judge.plugin  # noqa: F401

    gc.freeze()
    collapse_into_huge_pages()


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    apply_scoring_arguments(args)
    if args.jobs is not None and args.jobs < 1:
        print("autograder: --jobs must be at least 1", file=sys.stderr)
        return ExitCode.USAGE
    try:
        return _grade_class(args, session.lang, session.limits, session.scratch)
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (autograder.cleanup.Interrupted)
        ignore_signals()
        print(f"\nautograder: {catalogue(session.lang).text('batch.interrupted')}", file=sys.stderr)
        return exit_status()


def _grade_class(args: argparse.Namespace, lang: str, limits: Limits, scratch: Path) -> ExitCode:
    """Raises LayoutError (usage), ScanFailed (the grader's), SecretUnavailable, JudgesWontStart."""
    cat = catalogue(lang)
    try:
        scan = scan_class(args.submissions, scratch, (args.out,), lang)
    except OSError as exc:
        print(f"autograder: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    store = Store(args.out)
    secret = secret_path(args.secret_file) if args.suite == "hidden" else None
    if secret is not None:
        check_secret_file(secret)
    fingerprint = grader_fingerprint(args.suite, lang, secret)
    print(cat.text("batch.found", count=len(scan.found), layout=scan.layout, path=scan.shown_root), file=sys.stderr)
    if scan.ignored:
        names = ", ".join(scan.ignored[:10]) + (" …" if len(scan.ignored) > 10 else "")
        print(f"autograder: {cat.text('batch.ignored', count=len(scan.ignored), names=names)}", file=sys.stderr)
    progress = Progress(len(scan.found), lang)
    tasks = []
    for found in scan.found:
        unchanged = not args.force and store.is_current(found.student, found.content, fingerprint)
        if found.reason is not None:
            if not unchanged:
                reason, content = found.reason, found.content
                _unreadable(store, found.student, found.source, reason, fingerprint, content, args.unit or "")
            progress.advance("unreadable", unchanged=unchanged)
        elif unchanged:
            previous = store.meta(found.student)
            progress.advance(previous.status if previous else "graded", unchanged=True)
        else:
            tasks.append(Task(found.student, found.path, found.source, found.content))
    started = time.monotonic()
    if tasks:
        _warm_up()
        settings = Settings(
            args.out,
            args.suite,
            lang,
            fingerprint,
            limits,
            hide=(str(args.out), scan.root),
            scratch=str(scratch),
            secret_file=secret,
            unit=args.unit,
        )
        progress.started_grading()
        try:
            for meta in JudgePool(min(args.jobs or default_jobs(limits), len(tasks)), settings, grade_one).run(tasks):
                progress.advance(meta.status)
        except JudgesWontStart:
            progress.close()  # the message goes on a line of its own
            raise
    progress.close()
    elapsed = time.monotonic() - started
    metas = store.all_meta([found.student for found in scan.found])
    grades = store.write_grades(metas)
    report = _class_report(store, metas, lang)
    _print_summary(metas, len(tasks), elapsed, grades, report, lang)
    for name, unit_grades, unit_report in _unit_outputs(store, metas, lang):
        print(catalogue(lang).text("batch.written_unit", unit=name, grades=unit_grades, report=unit_report))
    return ExitCode.GRADER_FAILED if any(m.status == "grader_failed" for m in metas) else ExitCode.OK


def _unit_outputs(store: Store, metas: list[Meta], lang: str) -> list[tuple[str, Path, Path]]:
    """Each unit's own grades.csv and report.html, in OUT/<unit>/, for every unit the class has
    students of: its exercises' columns, its maximum, its mistakes. (name, grades, report) each."""
    written = []
    for unit in _units_of(metas):
        students = _students_of(metas, unit)
        written.append((unit.name, store.write_grades(students, unit), _class_report(store, students, lang, unit)))
    return written


def _units_of(metas: list[Meta]) -> list[Unit]:
    """The installed units the class has students of, in the registry's order."""
    named = {meta.unit for meta in metas}
    return [unit for unit in units.installed().values() if unit.name in named]


def _students_of(metas: list[Meta], unit: Unit) -> list[Meta]:
    """A unit's students, and those of no known unit (unreadable, or whose judge died): each unit's
    instructor should see them, since nothing says which unit they were meant for."""
    return [meta for meta in metas if meta.unit in (unit.name, "")]


def _class_report(store: Store, metas: list[Meta], lang: str, unit: Unit | None = None) -> Path:
    """The whole class's report.html, with every unit's exercises; or, for a unit, its folder's."""
    from autograder.report.class_report import render_class_report

    folder = store.unit_folder(unit) if unit is not None else store.out
    up = "../" if unit is not None else ""

    entries = [
        {
            "student": meta.student,
            "status": meta.status,
            "reason": meta.reason or None,
            "seconds": meta.seconds,
            "results": store.results(meta.student) if meta.status != "unreadable" else None,
            "not_implemented": meta.not_implemented or [],
            "feedback": _feedback_page(store, meta.student, up),
        }
        for meta in metas
    ]
    path = folder / "report.html"
    order = unit.tags if unit is not None else units.all_tags()
    write_atomic(path, render_class_report(entries, lang, exercise_order=order))
    return path


def _feedback_page(store: Store, student: str, up: str = "") -> str | None:
    """The student's feedback page, relative to the report.html (`up` leads from its folder to OUT)."""
    for name in ("feedback.html", "feedback.md"):
        if (store.folder(student) / name).is_file():
            return f"{up}{student}/{name}"
    return None


def _print_summary(metas: list[Meta], graded_now: int, seconds: float, grades: Path, report: Path, lang: str) -> None:
    cat = catalogue(lang)
    counts = {status: sum(m.status == status for m in metas) for status in ("graded", "unreadable", "grader_failed")}
    scores = [m.score for m in metas if m.status == "graded"]
    print(
        cat.text(
            "batch.summary", graded=counts["graded"], unreadable=counts["unreadable"], failed=counts["grader_failed"]
        )
    )
    if scores:
        maximum = max(m.max_score for m in metas if m.status == "graded")
        mean, median = f"{figures.mean(scores):.1f}", f"{figures.median(scores):.1f}"
        print(cat.text("batch.scores", mean=mean, median=median, max=f"{maximum:g}"))
    if graded_now:
        print(cat.text("batch.timing", count=graded_now, seconds=f"{seconds:.1f}", each=f"{seconds / graded_now:.3f}"))
    for meta in metas:
        if meta.status != "graded":
            print(f"  {meta.student}: {meta.status}: {meta.reason}")
    notices = Counter(m.reason for m in metas if m.status == "graded" and m.reason)
    for notice, students in notices.items():
        print(f"autograder: warning: {notice} (students: {students}; a rerun grades them again)", file=sys.stderr)
    print(cat.text("batch.written", grades=str(grades), report=str(report)))
