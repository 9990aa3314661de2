"""dist/student-bundle.zip: everything a student needs, and nothing of the grading side.

Inside one folder: a README, the notebook of the unit, the stubs in exercises/, the public tests,
the checker (the `autograder` package, which runs the public tests only), the same checker as a
wheel (for the notebook opened elsewhere: Colab, JupyterLab, VS Code) and the GitHub Actions
workflow. Never the solutions, the hidden suite, the sample submissions or the kit's own tests: the
contents are listed explicitly, and a kit test looks for every solution body in the zip. The folder
speaks its language (autograder/i18n/bundle-language), whatever the student's locale.
"""

from __future__ import annotations

from pathlib import Path

from autograder.authoring import stubs
from autograder.bundles import wheel
from autograder.bundles.github import CHECKS_PATH, checks_workflow
from autograder.bundles.kitfiles import PACKAGE, package, tree, write_zip, write_zip_bytes
from autograder.bundles.language import require
from autograder.bundles.notebooks import student_notebook
from autograder.grading import KIT_ROOT
from autograder.i18n import BUNDLE_LANGUAGE, catalogue
from autograder.submission.notebook import UNIT_NOTEBOOK

FOLDER = "convolutions"
ZIP_NAME = "student-bundle.zip"
SOLUTIONS = KIT_ROOT / "solutions"
GITIGNORE = ".venv/\n__pycache__/\n*.pyc\n.ipynb_checkpoints/\n"
PYPROJECT = """# `python -m pytest` in this folder runs the public checks on exercises/ (--lang, --submission).
[tool.pytest.ini_options]
testpaths = ["tests/public"]
addopts = "-p no:cacheprovider -p autograder.judge.plugin"
"""
"""The plugin is named here, not only in tests/public/conftest.py, so that its options work on a bare
`pytest` command line, before the tests are collected."""


def contents(lang: str, wheel_url: str = "") -> dict[str, bytes]:
    """Path inside the bundle's folder -> content; `wheel_url` goes into the notebook's install cell."""
    files = {
        "README.md": (catalogue(lang).text("bundle.readme") + "\n").encode(),
        UNIT_NOTEBOOK: student_notebook(lang, wheel_url).encode(),
        CHECKS_PATH: checks_workflow(lang).encode(),
        ".gitignore": GITIGNORE.encode(),
        "pyproject.toml": PYPROJECT.encode(),
        "tests/__init__.py": (KIT_ROOT / "tests" / "__init__.py").read_bytes(),
    }
    files.update({f"exercises/{name}": text.encode() for name, text in stubs(SOLUTIONS, lang).items()})
    files.update(tree("tests/public"))
    files.update(package())
    files[f"{PACKAGE}/i18n/{BUNDLE_LANGUAGE.name}"] = f"{lang}\n".encode()
    files[wheel.FILE_NAME] = write_zip_bytes(wheel.contents(lang))
    return files


def build(lang: str, out: Path, wheel_url: str = "") -> Path:
    require(lang, "bundle.", "notebook.", "stub.", "kernel.")
    return write_zip(out, {f"{FOLDER}/{name}": data for name, data in contents(lang, wheel_url).items()})
