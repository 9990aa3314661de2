"""`check --watch` (a warm grader checking again on every save) and `check --serve` (the notebook's warm
checker): what a student sees, and that one process answers again and again."""

from __future__ import annotations

import io
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from autograder.commands.session import Session
from autograder.grading import Grader
from autograder.i18n import catalogue
from autograder.paths import KIT_ROOT, workspace
from autograder.sandbox.limits import Limits
from autograder.units.convolutions import UNIT
from autograder.watch import CLEAR, SEPARATOR, FileState, Watch, affected, candidates, file_state
from tests.kit.conftest import CONFIG_HOME, SOLUTIONS, run_cli
from tests.kit.jupyter import flip_corr2d, solved_notebook, write

SYNTAX_ERROR = "def corr2d(X, K:\n    return X\n"
READ_SECONDS = 120


@pytest.fixture
def stubs(tmp_path: Path) -> Path:
    """A student's exercises/ as handed out: every exercise still to write."""
    folder = tmp_path / "exercises"
    shutil.copytree(workspace(UNIT) / "exercises", folder)
    return folder


def session(folder: Path, grader: Grader | None = None) -> Session:
    """The command's session, with the tests' shared warm grader where one is given."""
    return Session("en", colour=False, limits=Limits(), scratch=folder, _grader=grader)


def solution(name: str) -> str:
    return (SOLUTIONS / name).read_text(encoding="utf-8")


def save(path: Path, text: str) -> Callable[[], None]:
    """A save of `text` into `path`, for the watch to see at one of its polls."""

    def write_it() -> None:
        path.write_text(text, encoding="utf-8")

    return write_it


class Clock:
    """The time the watch shows: the step of the test, so that a line says which save checked it."""

    def __init__(self) -> None:
        self.now = "T0"

    def __call__(self) -> str:
        return self.now


def steps(clock: Clock, *saves: Callable[[], None]) -> Callable[[float], None]:
    """The watch's pause: at each poll the next save, under the next time; then Ctrl-C."""
    pending = list(saves)

    def pause(seconds: float) -> None:
        if not pending:
            raise KeyboardInterrupt
        clock.now = f"T{len(saves) - len(pending) + 1}"
        pending.pop(0)()

    return pause


def screens(out: io.StringIO) -> list[str]:
    return [screen for screen in out.getvalue().split(SEPARATOR + "\n") if screen]


def line(screen: str, tag: str) -> str:
    """The watch's line of exercise `tag` (above the report: its mark, points and time)."""
    return next(row for row in screen.splitlines() if row.startswith(("  ✓ ", "  ✗ ")) and row.split()[1] == tag)


def watch_until_stopped(watch: Watch, pause: Callable[[float], None]) -> list[str]:
    with pytest.raises(KeyboardInterrupt):
        watch.run(pause)
    assert isinstance(watch.out, io.StringIO)
    return screens(watch.out)


# ------------------------------------------------------------------ which save checks what


def test_a_save_checks_its_files_exercises_and_those_of_the_files_that_import_it(stubs: Path) -> None:
    assert affected(stubs / "ex1_corr2d.py", UNIT) == ("corr2d", "Conv2D")  # ex2_conv2d imports ex1_corr2d
    assert affected(stubs / "ex2_conv2d.py", UNIT) == ("Conv2D",)
    assert affected(stubs / "ex3_variants.ipynb", UNIT) == ("corr1d", "corr3d")
    assert affected(stubs / UNIT.notebook, UNIT) is None  # the whole notebook: everything
    assert affected(stubs / "helpers.py", UNIT) is None  # the student's own file: it may be imported anywhere
    assert affected(stubs / "ex1_corr2d.py", None) is None  # no load has said the unit yet


def test_a_save_is_seen_even_where_it_keeps_the_files_time_and_size(stubs: Path, tmp_path: Path) -> None:
    watch = Watch(session(tmp_path), stubs, None, (), known=UNIT)
    states: dict[Path, FileState] = {path: file_state(path) for path in candidates(stubs)}
    assert watch.changed(states) == []
    target = stubs / "ex3_variants.py"
    before = target.stat()
    data = target.read_bytes()
    target.write_bytes(data.replace(b"corr1d", b"CORR1D", 1))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    assert watch.changed(states) == [("corr1d", "corr3d")]
    assert watch.changed(states) == []


def test_files_created_removed_or_in_a_subfolder_are_seen(stubs: Path, tmp_path: Path) -> None:
    watch = Watch(session(tmp_path), tmp_path, None, (), known=UNIT)
    states: dict[Path, FileState] = {path: file_state(path) for path in candidates(tmp_path)}
    assert stubs / "ex1_corr2d.py" in states  # exercises/ is where the loader finds the files
    (stubs / "helpers.py").write_text("SCALE = 2\n")
    assert watch.changed(states) == [None]
    (stubs / "ex2_conv2d.py").unlink()
    assert watch.changed(states) == [("Conv2D",)]
    (stubs / "__pycache__").mkdir()
    (stubs / "__pycache__" / "ex1_corr2d.py").write_text("")  # not the student's: the loader skips it
    assert watch.changed(states) == []


def test_a_terminal_is_redrawn_in_place_and_a_log_gets_reports_one_after_another(stubs: Path, tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for out, head in ((Terminal(), CLEAR), (io.StringIO(), SEPARATOR + "\n")):
        watch = Watch(session(tmp_path), stubs, UNIT, (), out=out)
        watch.draw()
        watch.draw()
        shown = out.getvalue()
        assert shown.startswith(head)
        assert shown.count(head) == 2
        assert f"Watching {stubs}" in shown
        if head == CLEAR:
            assert SEPARATOR not in shown
        else:
            assert "\033" not in shown


# ------------------------------------------------------------------ the loop, with a warm grader


@pytest.mark.slow  # grades (the shared warm grader)
def test_a_fix_saved_turns_its_line_to_passing_and_checks_only_its_files_exercises(stubs: Path, grader: Grader) -> None:
    clock = Clock()
    watch = Watch(session(stubs, grader), stubs, None, ("corr2d", "Conv2D", "corr1d"), out=io.StringIO(), clock=clock)
    fix_variants = save(stubs / "ex3_variants.py", solution("ex3_variants.py"))
    fix_corr2d = save(stubs / "ex1_corr2d.py", solution("ex1_corr2d.py"))
    first, variants_fixed, corr2d_fixed = watch_until_stopped(watch, steps(clock, fix_variants, fix_corr2d))
    for tag in ("corr2d", "Conv2D", "corr1d"):
        assert line(first, tag).startswith(f"  ✗ {tag}")
        assert line(first, tag).endswith("checked at T0")
    assert line(variants_fixed, "corr1d").startswith("  ✓ corr1d")
    assert line(variants_fixed, "corr1d").endswith("checked at T1")
    assert line(variants_fixed, "corr2d").endswith("checked at T0")  # its file was not saved: not checked again
    assert line(variants_fixed, "Conv2D").endswith("checked at T0")
    assert "corr3d" not in variants_fixed  # not asked for (--exercise)
    assert line(corr2d_fixed, "corr2d").startswith("  ✓ corr2d")
    assert line(corr2d_fixed, "corr2d").endswith("checked at T2")
    assert line(corr2d_fixed, "Conv2D").startswith("  ✗ Conv2D")  # still a stub, checked again: it imports ex1
    assert line(corr2d_fixed, "Conv2D").endswith("checked at T2")
    assert line(corr2d_fixed, "corr1d").startswith("  ✓ corr1d")
    assert line(corr2d_fixed, "corr1d").endswith("checked at T1")
    assert "Conv2D is not implemented yet." in corr2d_fixed  # the report's feedback, below the lines


@pytest.mark.slow  # grades (the shared warm grader)
def test_a_syntax_error_is_reported_and_the_watch_goes_on_to_the_fix(stubs: Path, grader: Grader) -> None:
    clock = Clock()
    target = stubs / "ex1_corr2d.py"
    watch = Watch(session(stubs, grader), stubs, None, ("corr2d",), out=io.StringIO(), clock=clock)
    broken, fixed = save(target, SYNTAX_ERROR), save(target, solution("ex1_corr2d.py"))
    _, after_error, after_fix = watch_until_stopped(watch, steps(clock, broken, fixed))
    assert line(after_error, "corr2d").startswith("  ✗ corr2d")
    assert "SyntaxError: '(' was never closed (ex1_corr2d.py, line 1)" in after_error
    assert line(after_fix, "corr2d").startswith("  ✓ corr2d")
    assert "All tests passed." in after_fix


@pytest.mark.slow  # grades (the shared warm grader)
def test_a_notebook_that_cannot_be_read_keeps_the_last_report_until_it_can(tmp_path: Path, grader: Grader) -> None:
    clock = Clock()
    path = write(solved_notebook(flip_corr2d), tmp_path / UNIT.notebook)
    watch = Watch(session(tmp_path, grader), path, None, ("corr2d",), out=io.StringIO(), clock=clock)
    torn, solved = save(path, '{"cells": ['), save(path, json.dumps(solved_notebook()))
    first, unreadable, recovered = watch_until_stopped(watch, steps(clock, torn, solved))
    assert line(first, "corr2d").startswith("  ✗ corr2d")
    assert "Could not check the files as saved at T1:" in unreadable
    assert UNIT.notebook in unreadable.split("Could not check")[1]
    assert line(unreadable, "corr2d") == line(first, "corr2d")  # the last report stays
    assert line(recovered, "corr2d").startswith("  ✓ corr2d")
    assert "Could not check" not in recovered


# ------------------------------------------------------------------ real processes


def environment() -> dict[str, str]:
    return {**os.environ, "AUTOGRADER_LANG": "en", "NO_COLOR": "1", "XDG_CONFIG_HOME": CONFIG_HOME}


def lines_of(stream: IO[str]) -> queue.Queue[str]:
    """The lines a process writes, as they come, then "" at its end (read by a thread: the test can
    wait with a timeout)."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for each in stream:
            lines.put(each)
        lines.put("")

    threading.Thread(target=read, daemon=True).start()
    return lines


def until(lines: queue.Queue[str], ending: str) -> str:
    """What comes up to and including the line that starts with `ending`."""
    seen: list[str] = []
    while not seen or not seen[-1].startswith(ending):
        seen.append(lines.get(timeout=READ_SECONDS))
    return "".join(seen)


Processes = list[subprocess.Popen[str]]


@pytest.fixture
def process() -> Iterator[Processes]:
    """Processes a test starts: killed at its end if it left them running."""
    started: Processes = []
    yield started
    for each in started:
        if each.poll() is None:
            each.kill()
            each.wait()


def test_ctrl_c_ends_a_real_watch_with_130_its_last_report_kept(stubs: Path, process: Processes) -> None:
    command = [sys.executable, "-m", "autograder", "check", "--watch", str(stubs), "--exercise", "corr2d"]
    watch = subprocess.Popen(
        command, cwd=KIT_ROOT, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    process.append(watch)
    assert watch.stdout is not None
    assert watch.stderr is not None
    lines = lines_of(watch.stdout)
    first = until(lines, "Graded in")
    assert line(first, "corr2d").startswith("  ✗ corr2d")
    (stubs / "ex1_corr2d.py").write_text(solution("ex1_corr2d.py"))
    fixed = until(lines, "Graded in")
    assert line(fixed, "corr2d").startswith("  ✓ corr2d")
    watch.send_signal(signal.SIGINT)
    assert watch.wait(timeout=60) == 130
    assert lines.get(timeout=READ_SECONDS) == ""  # nothing after the last report: it stays on the screen
    assert "Stopped watching; the report above is the last one." in watch.stderr.read()


def test_a_watch_of_a_folder_that_does_not_exist_ends_saying_so(tmp_path: Path) -> None:
    result = run_cli("check", "--watch", str(tmp_path / "exercies"))
    assert result.returncode == 2
    assert "exercies does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_serving_checker_answers_request_after_request(tmp_path: Path, process: Processes) -> None:
    notebook = write(solved_notebook(flip_corr2d), tmp_path / UNIT.notebook)
    command = [sys.executable, "-m", "autograder", "check", "--serve", "--color", "never"]
    server = subprocess.Popen(
        command, cwd=KIT_ROOT, env=environment(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    process.append(server)
    assert server.stdin is not None
    assert server.stdout is not None

    def ask(request: dict[str, Any] | str) -> dict[str, Any]:
        assert server.stdin is not None
        assert server.stdout is not None
        server.stdin.write((request if isinstance(request, str) else json.dumps(request)) + "\n")
        server.stdin.flush()
        answer: dict[str, Any] = json.loads(server.stdout.readline())
        return answer

    hello = json.loads(server.stdout.readline())
    assert hello == {"ready": True, "pid": server.pid}
    request = {"path": str(notebook), "unit": "convolutions", "exercises": ["corr2d"], "lang": "en"}
    flipped = ask({**request, "id": 1})
    assert (flipped["id"], flipped["pid"], flipped["status"]) == (1, server.pid, 0)
    assert "computes a convolution, not a cross-correlation" in flipped["report"]
    assert "  learn_kernel" not in flipped["report"]
    unreadable = ask("not a request")
    assert unreadable["status"] == 2
    assert "The checker could not read a request" in unreadable["messages"]
    write(solved_notebook(), notebook)  # the fix, saved
    solved = ask({**request, "id": 2, "lang": "zh"})
    assert (solved["id"], solved["pid"], solved["status"]) == (2, server.pid, 0)  # the same process
    assert catalogue("zh").text("report.all_passed") in solved["report"]
    server.stdin.close()
    assert server.wait(timeout=60) == 0
