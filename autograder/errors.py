"""The kit's one exception hierarchy and its exit codes.

Every error the kit raises on purpose is a `KitError`, and says whose fault it is, because that
decides what the user is told and how the command ends:

- `StudentFault`: the submission (unreadable, not a notebook, a check it fails). Reported to the
  student as their result, in their language: a failed check costs that test's points, a batch
  records an unreadable student and goes on; only `grade` of an unreadable submission exits USAGE.
- `UsageError`: the command line or a file the user named (no submissions found, a bad class
  layout, an unknown language, a catalogue that lacks messages). One line saying what to do; USAGE.
- `MachineFault`: the machine or its environment (no user namespaces, no memory, a missing device,
  an unreadable secret). One line naming what is missing, never the student's fault; GRADER_FAILED,
  except an unreadable secret file, which the user names: USAGE.
- `GraderFault`: a bug in the kit itself (a judge that died, a broken reply). Shown as "The grader
  failed: ...", never as the student's mistake; GRADER_FAILED.

Each class carries its exit code (`exit_code`) and its one-line message (`describe`), so that the
CLI maps every fault with one rule. Ctrl-C and SIGTERM are not KitErrors: they end a run with
INTERRUPTED or TERMINATED (128 plus the signal's number, as a shell reports it).
"""

from __future__ import annotations

import enum
from typing import ClassVar


class ExitCode(enum.IntEnum):
    """What a command's exit status tells a script or a CI job (the README's table)."""

    OK = 0  # graded, whatever the score
    GRADER_FAILED = 1  # the grader itself failed (never the student's fault), or a self-check of the kit did
    USAGE = 2  # bad usage, or a submission that cannot be read: the message says what to do
    BELOW_THRESHOLD = 3  # graded, but below --fail-under
    INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT
    TERMINATED = 143  # SIGTERM: 128 + SIGTERM


class KitError(Exception):
    """An error the kit raises on purpose; catch a subclass, which says whose fault it is."""

    exit_code: ClassVar[ExitCode] = ExitCode.GRADER_FAILED

    def describe(self, lang: str) -> str:
        """The one line a user reads, in `lang` where the fault carries a catalogue message."""
        return str(self)


class StudentFault(KitError):
    """The submission is at fault: reported to the student as their result."""

    exit_code = ExitCode.USAGE


class UsageError(KitError):
    """The command line or a file the user named is wrong: one line saying what to do."""

    exit_code = ExitCode.USAGE


class MachineFault(KitError):
    """The machine or its environment cannot do what grading needs; nobody's code is at fault."""


class GraderFault(KitError):
    """The kit itself failed: reported as the grader's failure, never as the student's."""
