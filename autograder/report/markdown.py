"""Markdown rendering: feedback.md, and the `output` of each test in results.json (Gradescope's md)."""

from __future__ import annotations

from autograder.feedback import Feedback, comparison_lines
from autograder.i18n import catalogue
from autograder.results import GradeReport, TestResult
from autograder.scoring import left_out, left_out_note


def _escape(text: str) -> str:
    """Student-controlled text goes into code blocks; make sure it cannot close them."""
    return text.replace("```", "`\u200b``")


def feedback_markdown(feedback: Feedback, lang: str) -> str:
    cat = catalogue(lang)
    parts = [f"**{feedback.summary.render(lang)}**", ""]
    for detail in feedback.details:
        parts += [detail.render(lang), ""]
    if feedback.hint is not None:
        parts += [cat.text("report.fix_line", label=f"*{cat.text('report.fix')}*", hint=feedback.hint.render(lang)), ""]
    if feedback.comparison is not None:
        parts += ["```", *comparison_lines(feedback.comparison, lang), "```", ""]
    if feedback.smallest is not None:
        parts += [f"*{cat.text('report.smallest')}*", "", "```", *comparison_lines(feedback.smallest, lang), "```", ""]
    if feedback.code:
        parts += [f"*{cat.text('report.your_code')}*", "", "```", _escape(feedback.code), "```", ""]
    return "\n".join(parts).strip() + "\n"


def test_output(test: TestResult, lang: str) -> str:
    """What Gradescope shows under a test."""
    cat = catalogue(lang)
    if test.status == "skipped":
        return cat.text("report.skipped", reason=test.skip_reason.render(lang) if test.skip_reason else "")
    if test.feedback is None:
        return cat.text("report.passed")
    return feedback_markdown(test.feedback, lang)


def summary_markdown(report: GradeReport, lang: str) -> str:
    cat = catalogue(lang)
    lines = [f"| {cat.text('report.exercise')} | {cat.text('report.points')} |", "| --- | ---: |"]
    for exercise in report.exercises():
        score, maximum = report.exercise_score(exercise)
        lines.append(f"| `{exercise}` | {score:g} / {maximum:g} |")
    lines.append(f"| **{cat.text('report.total')}** | **{report.score:g} / {report.max_score:g}** |")
    for reason, points in left_out(report.tests):
        lines += ["", cat.render(left_out_note(reason, points, f"{points:g}"))]
    for note in report.submission.notes:
        lines += ["", "> " + note.render(lang)]
    return "\n".join(lines) + "\n"


def render(report: GradeReport, lang: str) -> str:
    """feedback.md: the summary table, then every test that did not pass."""
    cat = catalogue(lang)
    parts = [
        f"# {cat.text('report.md_title')}",
        "",
        cat.text("report.heading", source=report.submission.source, suite=cat.text(f"report.suite.{report.suite}")),
        "",
        summary_markdown(report, lang),
    ]
    for test in report.tests:
        if test.status in ("failed", "error"):
            parts += [
                f"## ✗ `{test.exercise}` · {test.name.render(lang)} ({test.score:g}/{test.max_score:g})",
                "",
                test_output(test, lang),
            ]
    if not any(t.status in ("failed", "error") for t in report.tests):
        parts.append(cat.text("report.all_passed"))
    return "\n".join(parts).rstrip() + "\n"
