"""The run's private folder, and an end to the run that leaves nothing behind.

Everything a run writes outside --out (the class .zip unpacked, every worker's copy of a student's
files) goes into one folder that other users cannot list, and that is removed when the run ends:
normally, on Ctrl-C, or on SIGTERM (which is turned into an exception, as Ctrl-C is, so the same
clean-up runs).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from autograder.errors import ExitCode

REMOVE_TRIES = 50


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop (Ctrl-C or SIGTERM). A KeyboardInterrupt, so that everything between
    the signal and the command (pytest's session included) stops as it would for Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_received: list[int] = []


def _interrupt(signum: int, frame: object) -> None:
    _received.append(signum)
    raise Interrupted(signum)


def was_interrupted() -> bool:
    """Whether a stop was asked for, even if the exception it raised was swallowed on its way up."""
    return bool(_received)


def exit_status() -> ExitCode:
    """The shell's exit status of a run stopped by a signal: SIGTERM's, or Ctrl-C's (the exception
    may not survive the way up: pytest turns it into an exit code of its own)."""
    return ExitCode.TERMINATED if signal.SIGTERM in _received else ExitCode.INTERRUPTED


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Ctrl-C and SIGTERM raise Interrupted in this process while the block runs, and are recorded:
    a run whose exception was swallowed on its way up (by code between the signal and the command)
    still ends with the signal's exit status. Forked children put back the default (`default_signals`)."""
    previous = {signum: signal.signal(signum, _interrupt) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def default_signals() -> None:
    """In a forked child: SIGTERM ends it, Ctrl-C is for the parent to handle."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def ignore_signals() -> None:
    """Once interrupted: a second Ctrl-C must not cut the last message short."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def private_run_folder() -> Iterator[Path]:
    """A fresh folder under the temp folder: traversable (a worker's own scratch folder inside must
    stay reachable by the worker's user) but not listable by others, and removed at the end."""
    folder = Path(tempfile.mkdtemp(prefix="autograder-run-"))
    os.chmod(folder, 0o711)
    try:
        yield folder
    finally:
        remove_folder(folder)


def remove_folder(folder: Path) -> None:
    """Remove `folder`, trying again while stopped workers may still be writing into it. Ctrl-C and
    SIGTERM wait until it is gone (they are delivered afterwards), so the clean-up is never cut short."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        for _ in range(REMOVE_TRIES):
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                return
            time.sleep(0.1)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
