"""The student wheel: the checker and the public tests as one installable file, for a notebook that
runs anywhere (Colab, JupyterLab or VS Code outside the bundle, nbgrader's and Otter's kernels).

It holds the `autograder` package with the public part of every unit (its public suite, inside the
unit's package, where an installed checker looks for it) and the language it was made for. Never the
solutions or the hidden suites: the Otter autograder carries its hidden tests in its own test files. The wheel is
written directly (a zip with its metadata and RECORD), so building it needs no build tool, and the
same sources give the same file, byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from autograder import __version__
from autograder.bundles.kitfiles import PACKAGE, package, write_zip
from autograder.i18n import BUNDLE_LANGUAGE

DISTRIBUTION = "conv-autograder-student"
FILE_NAME = f"{DISTRIBUTION.replace('-', '_')}-{__version__}-py3-none-any.whl"
WHEEL_PATTERN = f"{DISTRIBUTION.replace('-', '_')}-*.whl"
REQUIRES = ("torch>=2.1.2", "numpy>=1.23.5", "pytest>=7.4.0", "jinja2>=3.0.0")
"""pyproject.toml's dependencies. torch is what the student's kernel already has; pip keeps an
installed build, CPU or CUDA."""
_DIST_INFO = f"{DISTRIBUTION.replace('-', '_')}-{__version__}.dist-info"


def _metadata() -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {DISTRIBUTION}",
        f"Version: {__version__}",
        "Summary: The checker of the kit's units, with their public checks.",
        "Requires-Python: >=3.11",
        *(f"Requires-Dist: {requirement}" for requirement in REQUIRES),
    ]
    return "\n".join(lines) + "\n"


WHEEL = "Wheel-Version: 1.0\nGenerator: conv-autograder\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
ENTRY_POINTS = "[console_scripts]\nautograder = autograder.cli:main\n"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def contents(lang: str) -> dict[str, bytes]:
    """Archive name -> content, RECORD included."""
    files = package(public_only=True)
    files[f"{PACKAGE}/i18n/{BUNDLE_LANGUAGE.name}"] = f"{lang}\n".encode()
    files[f"{_DIST_INFO}/METADATA"] = _metadata().encode()
    files[f"{_DIST_INFO}/WHEEL"] = WHEEL.encode()
    files[f"{_DIST_INFO}/entry_points.txt"] = ENTRY_POINTS.encode()
    record = [_record_line(name, data) for name, data in sorted(files.items())]
    files[f"{_DIST_INFO}/RECORD"] = ("\n".join([*record, f"{_DIST_INFO}/RECORD,,"]) + "\n").encode()
    return files


def build(lang: str, folder: Path) -> Path:
    """Write the wheel into `folder`; its name is fixed by the wheel format."""
    return write_zip(folder / FILE_NAME, contents(lang))
