"""`check("EXERCISE")` in a notebook: the public checks on the notebook as saved, in a separate process.

The student's kernel is their own environment, with their code already loaded and perhaps changed
by hand since; the checks instead read the saved notebook, exactly as the grader will, and run it
behind the sandbox of `python -m autograder check`. The report printed is that command's.

The first check() starts a warm checker (`python -m autograder check --serve`: a fresh Python, never
a fork of the kernel, which has run torch) and keeps it; later calls only ask it, so they pay for the
check and not for Python, torch and the zygote again. Where it cannot start or stops answering, the
call runs the one-shot command instead, and the next call starts a new checker.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from autograder import units
from autograder.errors import ExitCode
from autograder.i18n import LANGUAGES, catalogue, resolve_language
from autograder.paths import KIT_ROOT
from autograder.submission.notebook import CELL_KEY
from autograder.unit import Unit

VSCODE_VARIABLE = "__vsc_ipynb_file__"
"""VS Code puts the notebook's path in the kernel's namespace under this name."""
COLAB_REPLY_SECONDS = 30
CHECKER_START_SECONDS = 120
"""How long the warm checker may take to say it is ready (Python, torch, the zygote's warm-up)."""
CHECKER_EXIT_SECONDS = 2
"""An idle checker ends on its own once its stdin closes; one in the middle of a check is then stopped."""
CHECKER_STOP_SECONDS = 10

_checker: subprocess.Popen[str] | None = None
"""The kernel's warm checker, started by the first check() (see the module's docstring)."""
_request_ids = itertools.count(1)


def colab_notebook(unit: Unit) -> Path | None:
    """On Colab the notebook lives in Google Drive, not beside the kernel: ask Colab's front end for
    its current content, and write it where the checker can read it, under the unit's notebook's
    name (the name the report shows). None elsewhere."""
    if "google.colab" not in sys.modules:
        return None
    try:
        from google.colab import _message
    except ImportError:
        return None
    refused = getattr(_message, "MessageError", TimeoutError)
    try:
        reply = _message.blocking_request("get_ipynb", timeout_sec=COLAB_REPLY_SECONDS)
    except (TimeoutError, refused):
        return None
    document = reply.get("ipynb") if isinstance(reply, dict) else None
    if not isinstance(document, dict):
        return None
    path = Path(tempfile.mkdtemp(prefix="autograder-colab-")) / unit.notebook
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _shell() -> Any:
    """The running IPython shell, or None outside IPython (a script, or the grader's worker)."""
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


def find_notebook(unit: Unit, exercises: tuple[str, ...] = ()) -> Path | None:
    """The notebook this kernel runs: as Colab, Jupyter or VS Code tell it, else the unit's in this folder
    (any unit's, when no exercise is named)."""
    colab = colab_notebook(unit)
    if colab is not None:
        return colab
    session = os.environ.get("JPY_SESSION_NAME")
    candidates = [Path(session), Path.cwd() / Path(session).name] if session else []
    shell = _shell()
    vscode = shell.user_ns.get(VSCODE_VARIABLE) if shell is not None else None
    if isinstance(vscode, str):
        candidates.insert(0, Path(vscode))
    # With no exercise named, the unit is not known yet: any installed unit's notebook here will do.
    named = [unit] if exercises else [unit, *(other for other in units.installed().values() if other != unit)]
    candidates += [Path.cwd() / each.notebook for each in named]
    candidates += [Path.cwd() / f"{unit.module_of(tag)}.ipynb" for tag in exercises]
    return next((path for path in candidates if path.suffix == ".ipynb" and path.is_file()), None)


def _unit_of(exercises: tuple[str, ...]) -> Unit:
    """The unit of the exercises named (the first installed one when none is)."""
    for name in exercises:
        try:
            return units.of_exercise(name)
        except units.UnknownUnit:
            continue
    return units.get()


def _notebook_language(path: Path) -> str | None:
    """The language the notebook was made in (its metadata), if it says one."""
    try:
        metadata = json.loads(path.read_bytes()).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return None
    lang = metadata.get(CELL_KEY, {}).get("lang") if isinstance(metadata, dict) else None
    return lang if lang in LANGUAGES else None


def check(*exercises: str, notebook: str | os.PathLike[str] | None = None, lang: str | None = None) -> None:
    """Run the public checks of `exercises` (all of them by default) on this notebook, as last saved.

    Save the notebook first. `notebook` names its file where it cannot be found on its own.
    """
    unit = _unit_of(exercises)
    unknown = [name for name in exercises if name not in unit.tags]
    if unknown:
        cat = catalogue(lang or resolve_language())
        print(cat.text("kernel.unknown_exercise", name=unknown[0], choices=", ".join(unit.tags)))
        return
    path = Path(notebook) if notebook is not None else find_notebook(unit, exercises)
    lang = lang or (_notebook_language(path) if path is not None else None) or resolve_language()
    cat = catalogue(lang)
    if notebook is None and _shell() is None:
        print(cat.text("kernel.outside"))
        return
    if path is None:
        print(cat.text("kernel.not_found", exercise=unit.tags[0], notebook=unit.notebook))
        return
    if path.suffix != ".ipynb" or not path.is_file():
        print(cat.text("kernel.not_a_notebook", path=str(path)))
        return
    saved = time.strftime("%H:%M:%S", time.localtime(path.stat().st_mtime))
    print(cat.text("kernel.checking", notebook=path.name, time=saved))
    # With no exercise named, the checker reads the notebook for each unit and takes the one it holds.
    request = {
        "path": str(path.resolve()),
        "unit": unit.name if exercises else None,
        "exercises": list(exercises),
        "lang": lang,
    }
    answer = _ask_checker(request)
    if answer is None:
        try:
            answer = _check_once(request)
        except OSError as exc:
            print(cat.text("kernel.failed", error=str(exc)))
            return
    print(answer["report"], end="")
    if answer["status"] not in (0, 3) and answer["messages"]:
        print(answer["messages"], end="")


def _environment() -> dict[str, str]:
    """The kernel's environment, with the kit importable from its own folder."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(KIT_ROOT), os.environ.get("PYTHONPATH")])),
    }


def _check_once(request: dict[str, Any]) -> dict[str, Any]:
    """The request answered by `python -m autograder check`, started for this call alone."""
    command = [sys.executable, "-m", "autograder", "check", request["path"]]
    command += ["--unit", request["unit"]] if request["unit"] else []
    command += ["--lang", request["lang"], "--color", "always"]
    for name in request["exercises"]:
        command += ["--exercise", name]
    result = subprocess.run(command, cwd=KIT_ROOT, env=_environment(), capture_output=True, text=True, check=False)
    return {"report": result.stdout, "messages": result.stderr, "status": result.returncode}


def _ask_checker(request: dict[str, Any]) -> dict[str, Any] | None:
    """The warm checker's answer (started now if it is not running), or None where it cannot give one."""
    global _checker
    checker = _checker if _checker is not None and _checker.poll() is None else _start_checker()
    _checker = checker
    if checker is None or checker.stdin is None or checker.stdout is None:
        return None
    asked = {**request, "id": next(_request_ids)}
    try:
        checker.stdin.write(json.dumps(asked) + "\n")
        checker.stdin.flush()
        answer = _reply(checker.stdout.readline())
    except OSError:  # it stopped between two calls: a broken pipe
        answer = None
    except KeyboardInterrupt:  # the student interrupted the kernel: the check half done is dropped
        stop_checker(busy=True)
        raise
    if answer is None or answer.get("id") != asked["id"]:
        stop_checker()
        return None
    if answer["status"] == ExitCode.GRADER_FAILED:
        stop_checker()  # the checker itself failed: the next call starts a fresh one
    return answer


def _reply(line: str) -> dict[str, Any] | None:
    """One answer line of the checker, or None where it is not one (it died, or wrote something else)."""
    try:
        answer = json.loads(line)
    except ValueError:
        return None
    fields = {"report": str, "messages": str, "status": int}
    if not isinstance(answer, dict) or not all(isinstance(answer.get(k), t) for k, t in fields.items()):
        return None
    return answer


def _start_checker() -> subprocess.Popen[str] | None:
    """`python -m autograder check --serve`, once it says it is ready; None where it does not."""
    command = [sys.executable, "-m", "autograder", "check", "--serve", "--color", "always"]
    try:
        # Its own session: a Ctrl-C meant for the kernel's terminal does not stop it.
        checker = subprocess.Popen(
            command,
            cwd=KIT_ROOT,
            env=_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            start_new_session=True,
        )
    except OSError:
        return None
    assert checker.stdout is not None
    try:
        ready, _, _ = select.select([checker.stdout], [], [], CHECKER_START_SECONDS)
        hello = json.loads(checker.stdout.readline()) if ready else None
    except ValueError:
        hello = None
    except KeyboardInterrupt:
        _stop(checker, busy=True)
        raise
    if not isinstance(hello, dict) or hello.get("ready") is not True:
        _stop(checker)
        return None
    return checker


def _stop(checker: subprocess.Popen[str], busy: bool = False) -> None:
    """End the checker: idle, it ends on its own when its stdin closes; `busy` in a check (or not
    ending), SIGTERM stops it as Ctrl-C would (it closes its zygote and removes its files); failing
    that, it is killed."""
    if checker.stdin is not None:
        with contextlib.suppress(OSError):
            checker.stdin.close()
    steps = [(None, CHECKER_EXIT_SECONDS)] if not busy else []
    for stop, seconds in [*steps, (signal.SIGTERM, CHECKER_STOP_SECONDS), (signal.SIGKILL, None)]:
        if stop is not None:
            with contextlib.suppress(ProcessLookupError):
                checker.send_signal(stop)
        try:
            checker.wait(timeout=seconds)
            break
        except subprocess.TimeoutExpired:
            continue
    if checker.stdout is not None:
        checker.stdout.close()


def stop_checker(busy: bool = False) -> None:
    """Stop the kernel's warm checker, if one runs (the next check() starts another); `busy`: it is in
    the middle of a check, which nobody will read."""
    global _checker
    if _checker is not None:
        _stop(_checker, busy)
        _checker = None


atexit.register(stop_checker)
