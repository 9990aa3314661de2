"""dist/student-bundle.zip: everything a student needs, and nothing of the grading side.

Inside one folder: a README, the notebook of the unit, the stubs in exercises/, the checker (the
`autograder` package with the public part of its units: their public suites, never the rest), the same checker as a
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
from autograder.bundles.kitfiles import PACKAGE, package, write_zip, write_zip_bytes
from autograder.bundles.language import require
from autograder.bundles.notebooks import student_notebook
from autograder.i18n import BUNDLE_LANGUAGE, catalogue
from autograder.paths import KIT_ROOT
from autograder.unit import Unit

ZIP_NAME = "student-bundle.zip"
GITIGNORE = ".venv/\n__pycache__/\n*.pyc\n.ipynb_checkpoints/\n"
PYPROJECT = """# `python -m pytest` in this folder runs the public checks on exercises/ (--lang, --submission).
[tool.pytest.ini_options]
testpaths = ["{suite}"]
addopts = "-p no:cacheprovider -p autograder.judge.plugin"
"""
"""The plugin is named here, not only in the suite's conftest.py, so that its options work on a bare
`pytest` command line, before the tests are collected."""


def contents(unit: Unit, lang: str, wheel_url: str = "") -> dict[str, bytes]:
    """Path inside the bundle's folder -> content; `wheel_url` goes into the notebook's install cell."""
    suite = unit.suite("public").relative_to(KIT_ROOT).as_posix()
    files = {
        "README.md": (catalogue(lang).text(f"{unit.name}.bundle.readme") + "\n").encode(),
        unit.notebook: student_notebook(unit, lang, wheel_url).encode(),
        CHECKS_PATH: checks_workflow(lang).encode(),
        ".gitignore": GITIGNORE.encode(),
        "pyproject.toml": PYPROJECT.format(suite=suite).encode(),
    }
    files.update({f"exercises/{name}": text.encode() for name, text in stubs(unit, lang).items()})
    files.update(package(public_only=True))
    files[f"{PACKAGE}/i18n/{BUNDLE_LANGUAGE.name}"] = f"{lang}\n".encode()
    files[wheel.FILE_NAME] = write_zip_bytes(wheel.contents(lang))
    return files


def build(unit: Unit, lang: str, out: Path, wheel_url: str = "") -> Path:
    """The bundle of `unit`: one folder named after the unit."""
    require(lang, "bundle.", "notebook.", "stub.", "kernel.")
    return write_zip(out, {f"{unit.name}/{name}": data for name, data in contents(unit, lang, wheel_url).items()})
