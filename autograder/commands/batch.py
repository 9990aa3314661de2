"""`grade-batch`: every submission of a class, in parallel, resumable, with grades.csv and report.html."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

from autograder.batch.layouts import LayoutError, discover
from autograder.batch.pool import JudgePool, JudgesWontStart, Settings, Task
from autograder.batch.progress import Progress
from autograder.batch.store import Meta, Store, content_hash, grader_fingerprint
from autograder.commands.grade import write_outputs
from autograder.commands.session import Session
from autograder.i18n import catalogue
from autograder.output import write_atomic
from autograder.submission.loader import UnreadableSubmission, load


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("submissions", type=Path, help="folder (or .zip) of submissions, one per student")
    parser.add_argument(
        "--out", type=Path, required=True, help="folder for per-student results, grades.csv, report.html"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel graders (default: all cores)")
    parser.add_argument("--force", action="store_true", help="regrade submissions already graded")
    parser.add_argument("--suite", choices=("hidden", "public"), default="hidden")


def grade_one(grader, task: Task, settings: Settings) -> Meta:
    """Runs in a judge process: grade, write the student's files, then the marker."""
    store = Store(settings.out)
    folder = store.begin(task.student)
    started = time.monotonic()
    try:
        submission = load(task.path)
    except UnreadableSubmission as exc:
        return _unreadable(store, task.student, task.path, exc.message.render(settings.lang), settings.grader)
    report = grader.grade(submission, settings.suite, hide=(settings.out,))
    write_outputs(report, folder, settings.lang)
    meta = Meta(
        student=task.student,
        status="grader_failed" if report.internal_errors else "graded",
        content=task.content,
        grader=settings.grader,
        seconds=round(time.monotonic() - started, 3),
        source=task.path,
        # A graded student's reason is what the operator should know (a GPU the sandbox could not use).
        reason="; ".join(e.splitlines()[0] for e in report.internal_errors or report.notices)[:500],
        score=report.score,
        max_score=report.max_score,
        exercises={tag: list(report.exercise_score(tag)) for tag in report.exercises()},
    )
    store.finish(meta)
    return meta


def _unreadable(store: Store, student: str, source: str, reason: str, grader: str, content: str = "") -> Meta:
    folder = store.begin(student)
    write_atomic(folder / "feedback.md", reason + "\n")
    meta = Meta(
        student=student, status="unreadable", content=content, grader=grader, seconds=0.0, source=source, reason=reason
    )
    store.finish(meta)
    return meta


def _warm_up() -> None:
    """Load, once, what every judge and worker needs, so that forking them is cheap."""
    import gc

    import torch

    from autograder.sandbox.zygote import PRELOAD, warm_up

    torch.set_num_threads(1)
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    warm_up()
    import autograder.grading
    import autograder.judge.plugin  # noqa: F401

    gc.freeze()


def run(args: argparse.Namespace, session: Session) -> int:
    lang, limits = session.lang, session.limits
    cat = catalogue(lang)
    try:
        layout, entries = discover(args.submissions)
    except (LayoutError, OSError) as exc:
        print(f"autograder: {exc}", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print("autograder: --jobs must be at least 1", file=sys.stderr)
        return 2
    store = Store(args.out)
    fingerprint = grader_fingerprint(args.suite, lang)
    progress = Progress(len(entries))
    print(cat.text("batch.found", count=len(entries), layout=layout, path=str(args.submissions)), file=sys.stderr)
    tasks = []
    for entry in entries:
        try:
            submission = load(entry.path)
        except UnreadableSubmission as exc:
            reason = exc.message.render(lang)
            content = content_hash({"unreadable": reason.encode()})
            unchanged = not args.force and store.is_current(entry.student, content, fingerprint)
            if not unchanged:
                _unreadable(store, entry.student, str(entry.path), reason, fingerprint, content)
            progress.advance(failed=True, skipped=unchanged)
            continue
        content = content_hash(submission.files)
        if not args.force and store.is_current(entry.student, content, fingerprint):
            progress.advance(skipped=True)
            continue
        tasks.append(Task(entry.student, str(entry.path), content))
    started = time.monotonic()
    if tasks:
        _warm_up()
        settings = Settings(args.out, args.suite, lang, fingerprint, limits)
        try:
            for meta in JudgePool(min(args.jobs, len(tasks)), settings, grade_one).run(tasks):
                progress.advance(failed=meta.status != "graded")
        except JudgesWontStart as exc:
            progress.close()
            print(f"autograder: {cat.text('report.grader_failed', error=str(exc))}", file=sys.stderr)
            return 1
    progress.close()
    elapsed = time.monotonic() - started
    metas = store.all_meta([e.student for e in entries])
    grades = store.write_grades(metas)
    report = _class_report(store, metas, lang)
    _print_summary(metas, len(tasks), elapsed, grades, report, lang)
    return 1 if any(m.status == "grader_failed" for m in metas) else 0


def _class_report(store: Store, metas: list[Meta], lang: str) -> Path:
    from autograder.report.classroom import render_class_report

    entries = [
        {
            "student": meta.student,
            "status": meta.status,
            "reason": meta.reason or None,
            "seconds": meta.seconds,
            "results": store.results(meta.student) if meta.status != "unreadable" else None,
        }
        for meta in metas
    ]
    path = store.out / "report.html"
    write_atomic(path, render_class_report(entries, lang))
    return path


def _print_summary(metas: list[Meta], graded_now: int, seconds: float, grades: Path, report: Path, lang: str) -> None:
    cat = catalogue(lang)
    counts = {status: sum(m.status == status for m in metas) for status in ("graded", "unreadable", "grader_failed")}
    scores = sorted(m.score for m in metas if m.status == "graded")
    print(
        cat.text(
            "batch.summary", graded=counts["graded"], unreadable=counts["unreadable"], failed=counts["grader_failed"]
        )
    )
    if scores:
        mean = sum(scores) / len(scores)
        maximum = max(m.max_score for m in metas if m.status == "graded")
        print(cat.text("batch.scores", mean=f"{mean:.1f}", median=f"{scores[len(scores) // 2]:g}", max=f"{maximum:g}"))
    if graded_now:
        print(cat.text("batch.timing", count=graded_now, seconds=f"{seconds:.1f}", each=f"{seconds / graded_now:.3f}"))
    for meta in metas:
        if meta.status != "graded":
            print(f"  {meta.student}: {meta.status}: {meta.reason}")
    notices = Counter(m.reason for m in metas if m.status == "graded" and m.reason)
    for notice, students in notices.items():
        print(f"autograder: warning: {notice} (students: {students}; a rerun grades them again)", file=sys.stderr)
    print(cat.text("batch.written", grades=str(grades), report=str(report)))
