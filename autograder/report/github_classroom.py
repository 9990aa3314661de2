"""The result of a GitHub Classroom test runner, as its grading reporter reads it.

Classroom's reporter action takes, for each runner step, an environment variable
`<RUNNER>_RESULTS` holding base64-encoded JSON: a `max_score` and `tests`, each with a `status`
(pass, fail, error) and a `score`. It adds up the scores and posts "Points X/Y" where Classroom
reads them. This reporter writes that value, so one step reports every test with its own points.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from autograder.report.text import feedback_text
from autograder.results import GradeReport

_STATUS = {"passed": "pass", "failed": "fail", "error": "error"}


def result(report: GradeReport, lang: str) -> dict[str, Any]:
    counted = [t for t in report.tests if t.counted]
    return {
        "version": 1,
        "status": "pass" if all(t.status == "passed" for t in counted) else "fail",
        "max_score": report.max_score,
        "tests": [
            {
                "name": f"{t.exercise}: {t.name.render(lang)}",
                "status": _STATUS.get(t.status, "fail"),
                "score": t.score,
                "message": feedback_text(t.feedback, lang) if t.feedback is not None else "",
                "test_code": f"python -m autograder check --exercise {t.exercise}",
                "filename": "",
                "line_no": 0,
                "duration": round(t.seconds * 1000),
            }
            for t in counted
        ],
    }


def render(report: GradeReport, lang: str) -> str:
    """The runner's `result` output: the JSON, base64-encoded, on one line."""
    payload = json.dumps(result(report, lang), ensure_ascii=False).encode()
    return base64.b64encode(payload).decode() + "\n"
