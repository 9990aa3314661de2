"""dist/gradescope-autograder.zip, laid out as Gradescope's autograder specification asks.

Gradescope unzips it into /autograder/source, runs setup.sh once to build the image, and then, for
every submission, run_autograder with the student's files in /autograder/submission; it reads
/autograder/results/results.json. The grader runs from the unzipped source (nothing of it is
installed), with the hidden suite next to it; setup.sh installs only the core dependencies.
"""

from __future__ import annotations

from pathlib import Path

from autograder.bundles.kitfiles import package, tree, write_zip
from autograder.bundles.language import require
from autograder.grading import KIT_ROOT

DEFAULT_TORCH = "torch==2.13.0"
DEFAULT_TORCH_INDEX = "https://download.pytorch.org/whl/cpu"
"""PyTorch's index of CPU-only wheels: a fraction of the size of the default CUDA build."""

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu). It makes sure
# of a Python 3.11 or newer, and installs the grader's only dependencies, torch, numpy and pytest, in
# /autograder/venv. TORCH_SPEC and TORCH_INDEX choose the PyTorch build (empty index: PyPI's default).
set -euo pipefail
TORCH_SPEC="${{TORCH_SPEC:-{torch}}}"
TORCH_INDEX="${{TORCH_INDEX-{index}}}"
VENV=/autograder/venv
export DEBIAN_FRONTEND=noninteractive

recent() {{ "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }}
PYTHON=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null && recent "$candidate"; then PYTHON="$candidate"; break; fi
done
if [ -z "$PYTHON" ]; then
  apt-get update
  apt-get install -y --no-install-recommends python3.11 python3.11-venv
  PYTHON=python3.11
fi
if ! "$PYTHON" -m venv "$VENV"; then
  apt-get update
  venv_package="$("$PYTHON" -c 'import sys; print(f"python3.{{sys.version_info.minor}}-venv")')"
  apt-get install -y --no-install-recommends "$venv_package"
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --upgrade pip
"$VENV/bin/python" -m pip install "$TORCH_SPEC" ${{TORCH_INDEX:+--index-url "$TORCH_INDEX"}}
"$VENV/bin/python" -m pip install numpy pytest
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission: the hidden tests on /autograder/submission, results in
# /autograder/results/results.json. AUTOGRADER_ROOT and AUTOGRADER_PYTHON move it elsewhere (the
# kit's own test does); AUTOGRADER_LANG (en or zh) overrides the language the zip was built for.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
export AUTOGRADER_LANG="${{AUTOGRADER_LANG:-{lang}}}"
mkdir -p "$ROOT/results"
errors="$(mktemp)"
cd "$ROOT/source"
"$PYTHON" -m autograder grade "$ROOT/submission" --out "$ROOT/results" 2> "$errors"
status=$?
cat "$errors" >&2
if [ ! -s "$ROOT/results/results.json" ]; then
  # Nothing could be graded (no exercise file, an unreadable zip): say why, for 0 points.
  "$PYTHON" - "$ROOT/results/results.json" "$errors" <<'PYTHON'
import json
import sys

with open(sys.argv[2], encoding="utf-8", errors="replace") as handle:
    message = handle.read().strip().removeprefix("autograder: ")
with open(sys.argv[1], "w", encoding="utf-8") as handle:
    json.dump({{"score": 0, "output": message, "tests": []}}, handle, ensure_ascii=False)
PYTHON
fi
rm -f "$errors"
# Gradescope reads results.json; the status matters only when there is none.
[ -s "$ROOT/results/results.json" ] && exit 0
exit "$status"
"""

ZIP_NAME = "gradescope-autograder.zip"
MESSAGES = ("report.", "check.", "mistake.", "failure.", "test.", "loader.", "score.", "value.")
"""The catalogue sections the grader's feedback is made of."""


def contents(lang: str, torch: str = DEFAULT_TORCH, index: str = DEFAULT_TORCH_INDEX) -> dict[str, bytes]:
    """Archive name -> content: the two scripts, the grader and the hidden suite (with tests/ itself)."""
    files = {
        "setup.sh": SETUP.format(torch=torch, index=index).encode(),
        "run_autograder": RUN.format(lang=lang).encode(),
        "tests/__init__.py": (KIT_ROOT / "tests" / "__init__.py").read_bytes(),
    }
    files.update(package())
    files.update(tree("tests/hidden"))
    return files


def build(lang: str, out: Path, torch: str = DEFAULT_TORCH, index: str = DEFAULT_TORCH_INDEX) -> Path:
    require(lang, *MESSAGES)
    return write_zip(out, contents(lang, torch, index), executables=("setup.sh", "run_autograder"))
