"""Classroom 50 autograder for one unit of the kit: the public checks, written as result.json.

Classroom 50's runner calls this once per submission from the student's checkout, with this folder's
files beside it (the kit's checker and public tests, put there by `python -m autograder export
classroom50`). Classroom 50 publishes this folder on the course's GitHub Pages, so it holds the public
checks only: grade with the hidden suite on Gradescope or in the course's own workflow.
Exit 0 when the submission was graded (or could not be read: 0 points, and why); non-zero when the
grader itself failed, which Classroom 50 records as an error, not a score.
SUBMISSION (default: exercises) is what is graded; the unit's notebook for a notebook course.
"""

import datetime
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TORCH = "@TORCH_SPEC@"
TORCH_INDEX = "@TORCH_INDEX@"
UNIT = "@UNIT@"
GRADED, UNREADABLE, BELOW = 0, 2, 3


def install() -> None:
    """torch (the CPU build), numpy and pytest, unless the runner's Python has them already."""
    probe = subprocess.run([sys.executable, "-c", "import numpy, pytest, torch"], capture_output=True)
    if probe.returncode != 0:
        pip = [sys.executable, "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, TORCH, "--index-url", TORCH_INDEX], check=True)
        subprocess.run([*pip, "numpy", "pytest"], check=True)


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def submitted_at() -> str:
    """The graded commit's committer date: the submission's instant, the same on every regrade."""
    log = subprocess.run(["git", "log", "-1", "--format=%ct"], capture_output=True, text=True)
    if log.returncode == 0 and log.stdout.strip():
        return utc(datetime.datetime.fromtimestamp(int(log.stdout), datetime.UTC))
    return utc(datetime.datetime.now(datetime.UTC))


def points(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def main() -> int:
    install()
    submission = Path(os.environ.get("SUBMISSION", "exercises")).resolve()
    out = Path(tempfile.mkdtemp())
    # From this folder, so that the checker run is this one, not the copy in the student's repository.
    command = [sys.executable, "-m", "autograder", "grade", str(submission), "--unit", UNIT, "--suite", "public"]
    command += ["--out", str(out)]
    status = subprocess.run(command, cwd=HERE).returncode
    if status not in (GRADED, UNREADABLE, BELOW) or not (out / "results.json").exists():
        print(f"::error::the grader failed (exit status {status}); see the log above", file=sys.stderr)
        return status or 1
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    tests = [
        {
            "test-name": test["name"],
            "passed": test["status"] == "passed",
            "score": points(test["score"]),
            "max-score": points(test["max_score"]),
            "feedback": test.get("output", ""),
        }
        for test in results["tests"]
        if not (test.get("extra_data") or {}).get("skipped")
    ]
    result = {
        "schema": "classroom50/result/v1",
        "classroom": os.environ["CLASSROOM"],
        "assignment": os.environ["ASSIGNMENT"],
        "submission": os.environ["SUBMISSION_TAG"],
        "commit": os.environ["COMMIT_URL"],
        "release": os.environ["RELEASE_URL"],
        "review": os.environ.get("REVIEW_URL") or os.environ["COMMIT_URL"],
        "datetime": submitted_at(),
        "graded_at": utc(datetime.datetime.now(datetime.UTC)),
        "score": points(results["score"]),
        "max-score": points(sum(test["max-score"] for test in tests)),
        "tests": tests,
    }
    Path("result.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    Path("release-body.md").write_text(results["output"], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
