"""What each kind of fault makes of a command: its exit code and its one line, in-process, no grader.

The CLI maps every KitError with one rule (autograder.errors); these tests run `cli.main` with a
command that raises each kind, and the real commands on inputs they refuse before grading.
"""

from __future__ import annotations

import os
import signal
import tempfile
import zipfile
from collections.abc import Callable

import pytest

from autograder import cleanup, cli
from autograder.batch.layouts import LayoutError
from autograder.batch.pool import JudgesWontStart
from autograder.batch.scan import ScanFailed
from autograder.bundles.language import MissingMessages
from autograder.commands import exercises
from autograder.errors import ExitCode, GraderFault, KitError, MachineFault, StudentFault, UsageError
from autograder.i18n import msg
from autograder.seeding import SecretUnavailable
from autograder.submission.loader import UnreadableSubmission
from autograder.submission.notebook import NotebookError


@pytest.fixture(autouse=True)
def _in_process(monkeypatch):
    """main() points tempfile at its private folder, records signals and, once interrupted, ignores
    them: all undone after each test."""
    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)
    monkeypatch.setattr(cleanup, "_received", [])
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    yield
    for signum, handler in handlers.items():
        signal.signal(signum, handler)


def run_raising(monkeypatch, raise_it: Callable[[], None], *argv: str) -> int:
    """main() on `exercises`, whose run raises what `raise_it` raises."""

    def run(args: object, session: object) -> ExitCode:
        raise_it()
        return ExitCode.OK

    monkeypatch.setattr(exercises, "run", run)
    return cli.main(["exercises", *argv])


def test_exit_codes_keep_the_values_scripts_and_the_readme_rely_on():
    assert [int(code) for code in ExitCode] == [0, 1, 2, 3, 130, 143]
    assert ExitCode.INTERRUPTED == 128 + signal.SIGINT
    assert ExitCode.TERMINATED == 128 + signal.SIGTERM


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        (UsageError("no submissions in class/"), ExitCode.USAGE),
        (LayoutError("class.zip is not a readable .zip file"), ExitCode.USAGE),
        (MissingMessages("the zh catalogue lacks 2 message(s)"), ExitCode.USAGE),
        (SecretUnavailable("cannot read the secret file /x"), ExitCode.USAGE),
        (MachineFault("user namespaces are not available"), ExitCode.GRADER_FAILED),
        (JudgesWontStart("grading processes die before they are ready"), ExitCode.GRADER_FAILED),
        (GraderFault("a reply the judge cannot read"), ExitCode.GRADER_FAILED),
        (ScanFailed("the process reading the submissions ended with status 70"), ExitCode.GRADER_FAILED),
    ],
)
def test_each_fault_ends_the_command_with_its_code_and_one_line(monkeypatch, capsys, fault, code):
    def raise_it() -> None:
        raise fault

    assert run_raising(monkeypatch, raise_it) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert str(fault) in err
    assert "Traceback" not in err
    assert err.startswith("autograder: The grader failed: ") is (code == ExitCode.GRADER_FAILED)


def test_an_unreadable_submission_is_told_in_the_users_language(monkeypatch, capsys):
    def raise_it() -> None:
        raise UnreadableSubmission(msg("loader.not_found", path="/nowhere"))

    assert run_raising(monkeypatch, raise_it, "--lang", "zh") == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "/nowhere" in err
    assert "does not exist" not in err


def test_the_kits_faults_say_whose_fault_they_are():
    assert issubclass(UnreadableSubmission, StudentFault)
    assert issubclass(NotebookError, StudentFault)
    for usage in (LayoutError, MissingMessages):
        assert issubclass(usage, UsageError)
    for machine in (SecretUnavailable, JudgesWontStart):
        assert issubclass(machine, MachineFault)
    assert issubclass(ScanFailed, GraderFault)
    assert all(issubclass(kind, KitError) for kind in (StudentFault, UsageError, MachineFault, GraderFault))


def test_ctrl_c_ends_with_130(monkeypatch, capsys):
    def raise_it() -> None:
        raise KeyboardInterrupt

    assert run_raising(monkeypatch, raise_it) == ExitCode.INTERRUPTED
    assert "Traceback" not in capsys.readouterr().err


def test_sigterm_ends_with_143(monkeypatch, capsys):
    def raise_it() -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # the handler main() installs raises here

    assert run_raising(monkeypatch, raise_it) == ExitCode.TERMINATED
    assert "Traceback" not in capsys.readouterr().err


def test_an_unknown_command_or_option_is_argparses_usage_error(capsys):
    for argv in (["nonsense"], ["grade"], ["grade", "x", "--lang", "fr"], ["grade-batch", "x"]):
        with pytest.raises(SystemExit) as stopped:
            cli.main(argv)
        assert stopped.value.code == ExitCode.USAGE
    assert "usage:" in capsys.readouterr().err


def test_a_language_from_the_environment_that_the_kit_lacks_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setenv("AUTOGRADER_LANG", "fr")
    assert cli.main(["exercises", "--check"]) == ExitCode.USAGE
    assert "AUTOGRADER_LANG='fr'" in capsys.readouterr().err


def test_a_limit_from_the_environment_that_is_no_number_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setenv("AUTOGRADER_LIMIT_MEMORY_MB", "lots")
    assert cli.main(["exercises", "--check"]) == ExitCode.USAGE
    assert "AUTOGRADER_LIMIT_MEMORY_MB='lots' is not a number" in capsys.readouterr().err


def test_grade_batch_of_a_folder_that_does_not_exist(tmp_path, capsys):
    missing = tmp_path / "class"
    assert cli.main(["grade-batch", str(missing), "--out", str(tmp_path / "out")]) == ExitCode.USAGE
    assert f"{missing} does not exist" in capsys.readouterr().err


def test_grade_batch_of_a_folder_without_submissions(tmp_path, capsys):
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "notes.txt").write_text("nothing to grade")
    assert cli.main(["grade-batch", str(tmp_path / "class"), "--out", str(tmp_path / "out")]) == ExitCode.USAGE
    assert "no submissions" in capsys.readouterr().err


def test_grade_batch_of_a_damaged_class_zip(tmp_path, capsys):
    damaged = tmp_path / "class.zip"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    assert cli.main(["grade-batch", str(damaged), "--out", str(tmp_path / "out")]) == ExitCode.USAGE
    assert "not a readable .zip file" in capsys.readouterr().err


def test_grade_batch_with_no_jobs(tmp_path, capsys):
    assert cli.main(["grade-batch", str(tmp_path), "--out", str(tmp_path / "out"), "--jobs", "0"]) == ExitCode.USAGE
    assert "--jobs must be at least 1" in capsys.readouterr().err


def test_grade_batch_with_a_secret_file_it_cannot_read(tmp_path, capsys):
    classroom = tmp_path / "class" / "alice"
    classroom.mkdir(parents=True)
    (classroom / "ex1_corr2d.py").write_text("def corr2d(X, K):\n    raise NotImplementedError\n")
    secret = tmp_path / "no-secret"
    argv = ["grade-batch", str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--secret-file", str(secret)]
    assert cli.main(argv) == ExitCode.USAGE
    assert f"cannot read the secret file {secret}" in capsys.readouterr().err


def test_a_class_zip_is_checked_before_anything_is_written(tmp_path, capsys):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("readme.txt", "no submissions here")
    out = tmp_path / "out"
    assert cli.main(["grade-batch", str(archive), "--out", str(out)]) == ExitCode.USAGE
    assert not out.exists()
    assert "Traceback" not in capsys.readouterr().err
