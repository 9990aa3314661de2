"""dist/gradescope-autograder.zip, laid out as Gradescope's autograder specification asks.

Gradescope unzips it into /autograder/source, runs setup.sh once to build the image, and then, for
every submission, run_autograder with the student's files in /autograder/submission; it reads
/autograder/results/results.json. The grader runs from the unzipped source (nothing of it is
installed), with the hidden suite next to it; setup.sh installs only the core dependencies. Both
scripts are templates in autograder/bundles/templates/gradescope/. The zip carries the instructor's
secret (`secret`), so that every submission draws its own hidden inputs and a regrade, on Gradescope
or on the instructor's machine, reproduces them; workers never see it (the source folder is hidden).
"""

from __future__ import annotations

from pathlib import Path

from autograder.bundles import templates
from autograder.bundles.kitfiles import package, write_zip
from autograder.bundles.language import require
from autograder.unit import Unit

DEFAULT_TORCH = "torch==2.13.0"
DEFAULT_TORCH_INDEX = "https://download.pytorch.org/whl/cpu"
"""PyTorch's index of CPU-only wheels: a fraction of the size of the default CUDA build."""

PYTHON_SOURCE_URL = "https://deb.debian.org/debian/pool/main/p/python3.11/python3.11_3.11.2.orig.tar.gz"
PYTHON_SOURCE_SHA256 = "2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849"
"""CPython 3.11.2's source, as Debian 12 keeps it: what setup.sh builds where no packaged Python
3.11+ exists (Ubuntu 22.04). Pinned by digest, so the archive cannot change under it."""

ZIP_NAME = "gradescope-autograder.zip"
SCRIPTS = ("setup.sh", "run_autograder")
SECRET = "secret"
"""The archive name of the secret that seeds each submission's hidden inputs."""
MESSAGES = ("report.", "check.", "mistake.", "failure.", "test.", "loader.", "score.", "value.")
"""The catalogue sections the grader's feedback is made of."""


def setup_script(torch: str = DEFAULT_TORCH, index: str = DEFAULT_TORCH_INDEX) -> str:
    return templates.render(
        "gradescope/setup.sh",
        TORCH_SPEC=torch,
        TORCH_INDEX=index,
        PYTHON_SOURCE_URL=PYTHON_SOURCE_URL,
        PYTHON_SOURCE_SHA256=PYTHON_SOURCE_SHA256,
    )


def run_script(unit: Unit, lang: str) -> str:
    return templates.render("gradescope/run_autograder", LANG=lang, UNIT=unit.name)


def contents(
    unit: Unit, lang: str, secret: bytes, torch: str = DEFAULT_TORCH, index: str = DEFAULT_TORCH_INDEX
) -> dict[str, bytes]:
    """Archive name -> content: the two scripts, the secret, and the grader with its units (their
    hidden suites included, never their solutions or samples)."""
    files = {
        "setup.sh": setup_script(torch, index).encode(),
        "run_autograder": run_script(unit, lang).encode(),
        SECRET: secret + b"\n",
    }
    files.update(package())
    return files


def build(
    unit: Unit, lang: str, out: Path, secret: bytes, torch: str = DEFAULT_TORCH, index: str = DEFAULT_TORCH_INDEX
) -> Path:
    """The zip grades the submissions of `unit` (one Gradescope assignment per unit)."""
    require(lang, *MESSAGES)
    return write_zip(out, contents(unit, lang, secret, torch, index), executables=SCRIPTS)
