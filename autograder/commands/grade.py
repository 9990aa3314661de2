"""`grade`: one submission, the hidden suite (or the public one), reports to the terminal and --out."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.commands.session import Session
from autograder.errors import ExitCode
from autograder.i18n import catalogue
from autograder.output import write_atomic
from autograder.report import gradescope, markdown, text
from autograder.results import GradeReport
from autograder.scoring import GPU_POINTS_ENV
from autograder.seeding import secret_path
from autograder.submission.loader import UnreadableSubmission, load


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("submission", help="a folder, .zip, .py or .ipynb holding the exercise files")
    parser.add_argument("--out", type=Path, help="folder for results.json, feedback.md and feedback.html")
    parser.add_argument("--suite", choices=("hidden", "public"), default="hidden", help="test suite (default: hidden)")
    parser.add_argument("--fail-under", type=float, metavar="N", help="exit 3 when the score is below N points")
    parser.add_argument("--verbose", action="store_true", help="show passed tests too")
    parser.add_argument("--junit", type=Path, metavar="FILE", help="also write JUnit XML (GitLab, Jenkins) to FILE")
    parser.add_argument(
        "--github",
        action="store_true",
        help="also report to GitHub Actions: the report in the job summary, failures as annotations on "
        "the student's lines, the score as step outputs",
    )
    add_secret_arguments(parser)
    add_scoring_arguments(parser)
    parser.add_argument(
        "--inputs-seed",
        type=int,
        metavar="N",
        help="draw the hidden inputs from seed N (a regrade: results.json records it as extra_data.inputs_seed)",
    )


def add_scoring_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--gpu-points",
        action="store_true",
        help="count the GPU tests' points where CUDA is present (default: they name device bugs for 0 points, "
        f"so the maximum is the same on every machine; also ${GPU_POINTS_ENV}=1)",
    )


def apply_scoring_arguments(args: argparse.Namespace) -> None:
    """The grading session and the processes it forks read the choice from the environment."""
    if args.gpu_points:
        os.environ[GPU_POINTS_ENV] = "1"


def add_secret_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--secret-file",
        type=Path,
        metavar="FILE",
        help="file of the instructor's secret that seeds each submission's hidden inputs "
        "(default: $AUTOGRADER_SECRET_FILE, else ~/.config/conv-autograder/secret, created on first use)",
    )


def write_outputs(report: GradeReport, out: Path, lang: str) -> None:
    from autograder.report import html  # its templates (jinja2) are imported only for a page written

    write_atomic(out / "results.json", gradescope.render(report, lang))
    write_atomic(out / "feedback.md", markdown.render(report, lang))
    write_atomic(out / "feedback.html", html.render(report, lang))


def run(args: argparse.Namespace, session: Session) -> ExitCode:
    apply_scoring_arguments(args)
    if args.suite == "hidden" and args.inputs_seed is None:
        session.secret_file = secret_path(args.secret_file)
    grader = session.grader()
    try:
        submission = load(args.submission, session.unit if args.unit else None)
    except UnreadableSubmission as exc:
        record_unreadable(args, exc.message.render(session.lang), session.lang)
        raise
    written = tuple(path for path in (args.out, args.junit) if path)
    report = grader.grade(submission, args.suite, hide=written, seed=args.inputs_seed)
    if args.out:
        write_outputs(report, args.out, session.lang)
    if args.junit:
        from autograder.report import junit

        write_atomic(args.junit, junit.render(report, session.lang))
    if args.github:
        from autograder.report import github

        files = {tag: submission.unit.file_of(tag) for tag in submission.unit.tags}
        github.publish(report, Path(args.submission), session.lang, args.fail_under, files)
    print(text.render(report, session.lang, colour=session.colour, verbose=args.verbose))
    return finish(report, session.lang, args.fail_under)


def record_unreadable(args: argparse.Namespace, reason: str, lang: str) -> None:
    """A submission that cannot be read still records its score, 0, with the reason, wherever scores go."""
    if args.out:
        write_atomic(args.out / "results.json", gradescope.render_unreadable(reason, lang))
    if args.github:
        from autograder.report import github

        github.publish_unreadable(reason, lang)


def finish(report: GradeReport, lang: str, fail_under: float | None) -> ExitCode:
    """GRADER_FAILED when the grader failed, BELOW_THRESHOLD below --fail-under, else OK (whatever the score)."""
    for notice in report.notices:
        print(f"autograder: warning: {notice}", file=sys.stderr)
    if report.internal_errors:
        for error in report.internal_errors:
            print(f"autograder: internal error: {error}", file=sys.stderr)
        return ExitCode.GRADER_FAILED
    if fail_under is not None and report.score < fail_under:
        print(
            catalogue(lang).text("report.fail_under", score=f"{report.score:g}", limit=f"{fail_under:g}"),
            file=sys.stderr,
        )
        return ExitCode.BELOW_THRESHOLD
    return ExitCode.OK
