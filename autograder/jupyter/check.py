"""`check("EXERCISE")` in a notebook: the public checks on the notebook as saved, in a separate process.

The student's kernel is their own environment, with their code already loaded and perhaps changed
by hand since; the checks instead read the saved notebook, exactly as the grader will, and run it
behind the sandbox of `python -m autograder check`. The report printed is that command's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from autograder import units
from autograder.i18n import LANGUAGES, catalogue, resolve_language
from autograder.paths import KIT_ROOT
from autograder.submission.notebook import CELL_KEY
from autograder.unit import Unit

VSCODE_VARIABLE = "__vsc_ipynb_file__"
"""VS Code puts the notebook's path in the kernel's namespace under this name."""
COLAB_REPLY_SECONDS = 30


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
    command = [sys.executable, "-m", "autograder", "check", str(path.resolve())]
    # With no exercise named, the checker reads the notebook for each unit and takes the one it holds.
    command += ["--unit", unit.name] if exercises else []
    command += ["--lang", lang, "--color", "always"]
    for name in exercises:
        command += ["--exercise", name]
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(KIT_ROOT), os.environ.get("PYTHONPATH")])),
    }
    try:
        result = subprocess.run(command, cwd=KIT_ROOT, env=environment, capture_output=True, text=True, check=False)
    except OSError as exc:
        print(cat.text("kernel.failed", error=str(exc)))
        return
    print(result.stdout, end="")
    if result.returncode not in (0, 3) and result.stderr:
        print(result.stderr, end="")
