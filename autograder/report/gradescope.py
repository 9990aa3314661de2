"""results.json in Gradescope's autograder format: the contract other tools read."""

from __future__ import annotations

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
    cat = catalogue(lang)
    tests = []
    for number, test in enumerate(report.tests, start=1):
        skipped = test.status == "skipped"
        tests.append(
            {
                "name": f"{test.exercise}: {test.name.render(lang)}",
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
    summary = cat.text("report.gs_summary", score=f"{report.score:g}", max=f"{report.max_score:g}")
    return {
        "score": report.score,
        "execution_time": round(report.seconds, 3),
        "output": summary + "\n\n" + summary_markdown(report, lang),
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


def render(report: GradeReport, lang: str) -> str:
    return json.dumps(results(report, lang), ensure_ascii=False, indent=1) + "\n"
