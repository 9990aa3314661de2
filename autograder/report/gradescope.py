"""results.json in Gradescope's autograder format: the contract other tools read."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from autograder.i18n import catalogue
from autograder.report.markdown import summary_markdown, test_output
from autograder.results import GradeReport

MAX_OUTPUT_CHARS = 20_000
"""Per-test output is cut here, so results.json stays well under Gradescope's 1 MB."""


def _cut(text: str) -> str:
    return text if len(text) <= MAX_OUTPUT_CHARS else text[:MAX_OUTPUT_CHARS] + "\n…"


def results(report: GradeReport, lang: str) -> dict[str, Any]:
    tests = []
    for number, test in enumerate(report.tests, start=1):
        skipped = test.status == "skipped"
        name = f"{test.exercise}: {test.name.render(lang)}"
        if skipped:
            # Gradescope knows only passed and failed: the name says the test did not run.
            reason = test.skip_reason.render(lang) if test.skip_reason else ""
            name = catalogue(lang).text("report.skipped_name", name=name, reason=reason)
        tests.append(
            {
                "name": name,
                "number": str(number),
                "score": test.score,
                "max_score": 0.0 if skipped else test.max_score,
                "status": "failed" if test.status in ("failed", "error") else "passed",
                "output": _cut(test_output(test, lang)),
                "output_format": "md",
                "visibility": test.visibility,
                "tags": [test.exercise],
                "extra_data": {
                    "id": test.test_id,
                    "mistake": test.feedback.mistake if test.feedback else None,
                    "skipped": skipped,
                    "points_if_run": test.max_score if skipped else None,
                    "seconds": round(test.seconds, 4),
                },
            }
        )
    return {
        "score": report.score,
        "execution_time": round(report.seconds, 3),
        "output": visible_summary(report, lang),
        "output_format": "md",
        "test_output_format": "md",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {
            "grader_version": report.grader_version,
            "suite": report.suite,
            "language": lang,
            "max_score": report.max_score,
            "files": report.submission.files,
            "sandbox": report.sandbox,
            "inputs_seed": report.inputs_seed,
            "submission_digest": report.digest,
        },
        "tests": tests,
    }


def visible_summary(report: GradeReport, lang: str) -> str:
    """The summary every student sees at once: only the tests they see at once, so that no total
    gives away the outcome of a test shown after the due date (or never)."""
    cat = catalogue(lang)
    shown = dataclasses.replace(report, tests=[t for t in report.tests if t.visibility == "visible"])
    text = cat.text("report.gs_summary", score=f"{shown.score:g}", max=f"{shown.max_score:g}")
    text += "\n\n" + summary_markdown(shown, lang)
    withheld = sum(t.max_score for t in report.tests if t.visibility != "visible" and t.counted)
    if withheld:
        text += "\n" + cat.text("report.gs_withheld", points=f"{withheld:g}") + "\n"
    return text


def render(report: GradeReport, lang: str) -> str:
    return json.dumps(results(report, lang), ensure_ascii=False, indent=1) + "\n"


def render_unreadable(reason: str, lang: str) -> str:
    """results.json of a submission that could not be read: 0 points, and why."""
    output = f"{catalogue(lang).text('report.unreadable_score')}\n\n{reason}"
    unreadable = {
        "score": 0,
        "output": output,
        "output_format": "md",
        "visibility": "visible",
        "tests": [],
        "extra_data": {"status": "unreadable"},
    }
    return json.dumps(unreadable, ensure_ascii=False, indent=1) + "\n"
