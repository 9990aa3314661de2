"""The kit's one exception hierarchy and its exit codes.

Every error the kit raises on purpose is a `KitError`, and says whose fault it is, because that
decides what the user is told and how the command ends:

- `StudentFault`: the submission (unreadable, not a notebook, code that breaks a rule). It is
  reported to the student as their result, in their language; a command that grades still exits
  OK (a batch records the student as unreadable), `grade` of an unreadable submission exits USAGE.
- `UsageError`: the command line or an input file the user named (no submissions found, a bad
  layout, an unknown language). One line saying what to do; exit USAGE.
- `MachineFault`: the machine or its environment (no user namespaces, no memory, a device that is
  missing, an unreadable secret). One line naming what is missing; never the student's fault.
  An unreadable secret file exits USAGE, since the user names it; the others GRADER_FAILED.
- `GraderFault`: a bug in the kit itself (a judge that died, a broken reply). Reported as
  "the grader failed", never as the student's mistake; exit GRADER_FAILED.

Ctrl-C and SIGTERM are not KitErrors: they end a run with INTERRUPTED or TERMINATED (128 plus the
signal's number, as a shell reports it).
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """What a command's exit status tells a script or a CI job (the README's table)."""

    OK = 0  # graded, whatever the score
    GRADER_FAILED = 1  # the grader itself failed: never the student's fault
    USAGE = 2  # bad usage, or a submission that cannot be read: the message says what to do
    BELOW_THRESHOLD = 3  # graded, but below --fail-under
    INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT
    TERMINATED = 143  # SIGTERM: 128 + SIGTERM


class KitError(Exception):
    """An error the kit raises on purpose; catch a subclass, which says whose fault it is."""


class StudentFault(KitError):
    """The submission is at fault: reported to the student as their result."""


class UsageError(KitError):
    """The command line or a file the user named is wrong: one line saying what to do."""


class MachineFault(KitError):
    """The machine or its environment cannot do what grading needs; nobody's code is at fault."""


class GraderFault(KitError):
    """The kit itself failed: reported as the grader's failure, never as the student's."""
