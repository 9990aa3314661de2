"""dist/student-bundle.zip: everything a student needs, and nothing of the grading side.

Inside one folder: a README, the notebook of the unit, the stubs in exercises/, the public tests,
the checker (the `autograder` package, which runs the public tests only) and the GitHub Classroom
workflow. Never the solutions, the hidden suite, the sample submissions or the kit's own tests: the
contents are listed explicitly, and a kit test looks for every solution body in the zip.
"""

from __future__ import annotations

from pathlib import Path

from autograder.authoring import stubs
from autograder.bundles.classroom import workflow
from autograder.bundles.kitfiles import package, tree, write_zip
from autograder.bundles.language import require
from autograder.bundles.notebooks import student_notebook
from autograder.grading import KIT_ROOT
from autograder.i18n import catalogue
from autograder.submission.notebook import UNIT_NOTEBOOK

FOLDER = "convolutions"
ZIP_NAME = "student-bundle.zip"
SOLUTIONS = KIT_ROOT / "solutions"
GITIGNORE = ".venv/\n__pycache__/\n*.pyc\n.ipynb_checkpoints/\nclassroom-result.txt\n"


def contents(lang: str) -> dict[str, bytes]:
    """Path inside the bundle's folder -> content."""
    files = {
        "README.md": (catalogue(lang).text("bundle.readme") + "\n").encode(),
        UNIT_NOTEBOOK: student_notebook(lang).encode(),
        ".github/workflows/classroom.yml": workflow(lang).encode(),
        ".gitignore": GITIGNORE.encode(),
        "pyproject.toml": (KIT_ROOT / "pyproject.toml").read_bytes(),
        "tests/__init__.py": (KIT_ROOT / "tests" / "__init__.py").read_bytes(),
    }
    files.update({f"exercises/{name}": text.encode() for name, text in stubs(SOLUTIONS, lang).items()})
    files.update(tree("tests/public"))
    files.update(package())
    return files


def build(lang: str, out: Path) -> Path:
    require(lang, "bundle.", "notebook.", "stub.", "kernel.")
    return write_zip(out, {f"{FOLDER}/{name}": data for name, data in contents(lang).items()})
