"""`check --serve`: a warm checker that a notebook's kernel starts once and asks again and again.

`python -m autograder check` pays for Python, torch and the zygote on every call; the kernel instead
keeps this process: it reads one JSON request a line on stdin and answers each with one JSON line
on stdout, as `check` would have printed and exited. Every check still loads the notebook afresh
and runs it in fresh sandboxed workers of the one zygote.

Request: {"id": N, "path": "...", "unit": NAME or null, "exercises": [TAG, ...], "lang": "en"}.
Answer: {"id": N, "pid": PID, "status": EXIT CODE, "report": what check prints on stdout,
"messages": what it prints on stderr}. The first line, before any request: {"ready": true, "pid": PID}.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from dataclasses import dataclass
from typing import Any, TextIO

from autograder import units
from autograder.commands.grade import finish
from autograder.commands.session import Session
from autograder.errors import ExitCode, KitError, UsageError
from autograder.i18n import LANGUAGES, catalogue
from autograder.report import text
from autograder.submission.loader import load


class BadRequest(UsageError):
    """A request line the checker cannot read: the kernel's side of the protocol is at fault."""


@dataclass(frozen=True)
class Request:
    id: int
    path: str
    unit: str | None
    exercises: tuple[str, ...]
    lang: str

    @classmethod
    def parse(cls, line: str) -> Request:
        try:
            raw: Any = json.loads(line)
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        if not isinstance(raw, dict):
            raise BadRequest("a request is a JSON object")
        ident, path, unit, exercises, lang = (raw.get(k) for k in ("id", "path", "unit", "exercises", "lang"))
        if not isinstance(ident, int) or not isinstance(path, str) or not path:
            raise BadRequest("a request needs an integer id and a path")
        if unit is not None and unit not in units.names():
            raise BadRequest(f"unknown unit {unit!r}; one of {', '.join(units.names())}")
        if not isinstance(exercises, list) or not all(isinstance(tag, str) for tag in exercises):
            raise BadRequest("exercises is a list of exercise names")
        unknown = [tag for tag in exercises if tag not in units.all_tags()]
        if unknown:
            raise BadRequest(f"unknown exercise {unknown[0]!r}")
        if lang not in LANGUAGES:
            raise BadRequest(f"lang is one of {', '.join(LANGUAGES)}")
        return cls(ident, path, unit, tuple(exercises), lang)


def answer(line: str, session: Session) -> dict[str, Any]:
    """What `check` would print and exit with for this request."""
    from autograder.cli import describe

    ident: Any = None
    lang = session.lang
    messages = io.StringIO()
    try:
        request = Request.parse(line)
        ident, lang = request.id, request.lang
        unit = units.get(request.unit) if request.unit else None
        if unit is None and request.exercises:
            unit = units.of_exercise(request.exercises[0])
        submission = load(request.path, unit)
        report = session.grader().grade(submission, "public", exercises=request.exercises)
        shown = text.render(report, lang, colour=session.colour) + "\n"
        with contextlib.redirect_stderr(messages):
            status = finish(report, lang, None)
    except BadRequest as fault:
        shown, status = "", fault.exit_code
        messages.write(f"autograder: {catalogue(lang).text('watch.bad_request', error=str(fault))}\n")
    except KitError as fault:
        shown, status = "", fault.exit_code
        messages.write(f"autograder: {describe(fault, lang)}\n")
    return {"id": ident, "pid": os.getpid(), "status": int(status), "report": shown, "messages": messages.getvalue()}


def serve(session: Session, requests: TextIO) -> ExitCode:
    """Answer requests until stdin ends (the kernel went away), then end with OK; after a failure of
    the grader itself, end with it: the kernel starts a fresh checker for its next request.

    The answers go to what stdout was; stdout itself (file descriptor 1, inherited by the zygote and
    its workers) is pointed at stderr first, so that nothing printed by anyone breaks a JSON line."""
    from autograder.cleanup import was_interrupted

    sys.stdout.flush()
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    session.grader()
    with answers:
        answers.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
        answers.flush()
        for line in requests:
            if not line.strip():
                continue
            reply = answer(line, session)
            answers.write(json.dumps(reply) + "\n")
            answers.flush()
            if reply["status"] == ExitCode.GRADER_FAILED:
                return ExitCode.GRADER_FAILED
            if was_interrupted():
                raise KeyboardInterrupt  # a Ctrl-C swallowed inside the check: the run stops
    return ExitCode.OK
