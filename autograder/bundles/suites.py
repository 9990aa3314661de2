"""The public and hidden suites as source text, for exports that carry the tests themselves.

nbgrader and Otter run tests inside the notebook, so their test cells hold the kit's own test
functions, verbatim (decorators and all), with what they need from their module: its imports,
constants and helpers, and the definitions it imports from other modules of the unit's suites.
Points, exercise
and gates are read from the @graded markers of the imported test functions, never restated.
"""

from __future__ import annotations

import ast
import importlib
import sys
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.judge.marks import CUDA_MARKER, Grading, grading_of_function
from autograder.paths import KIT_ROOT
from autograder.unit import Suite, Unit

SUITES_PACKAGE = ".suites."
"""Imports from a unit's own suites (`<unit package>.suites.hidden.inputs`) are inlined: a notebook
has the public part of the kit at most."""


@dataclass(frozen=True)
class SuiteTest:
    name: str
    grading: Grading
    cuda: bool
    source: str
    """The function with its decorators, dedented."""


@dataclass(frozen=True)
class SuiteModule:
    path: Path
    preamble: str
    """Imports, constants and helpers of the module, with what it imports from tests/ inlined."""
    tests: tuple[SuiteTest, ...]

    def of(self, exercise: str, cuda: bool = False) -> list[SuiteTest]:
        """The module's tests of one exercise; GPU tests only when asked for."""
        return [t for t in self.tests if t.grading.exercise == exercise and (cuda or not t.cuda)]


def _segment(lines: list[str], node: ast.stmt) -> str:
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return textwrap.dedent("\n".join(lines[start - 1 : node.end_lineno]))


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _inlined(node: ast.ImportFrom, seen: set[str]) -> list[str]:
    """The definitions `from <unit>.suites.x import a, b` brings in, with the imports they need."""
    module_path = KIT_ROOT.joinpath(*(node.module or "").split(".")).with_suffix(".py")
    lines = module_path.read_text(encoding="utf-8").split("\n")
    tree = ast.parse("\n".join(lines), str(module_path))
    wanted = {alias.name for alias in node.names}
    parts = []
    for child in tree.body:
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            parts.extend(_imports(child, lines, seen))
        elif getattr(child, "name", None) in wanted:
            parts.append(_segment(lines, child))
    return parts


def _imports(node: ast.Import | ast.ImportFrom, lines: list[str], seen: set[str]) -> list[str]:
    """An import line, once; `from __future__` is dropped (the code ends up inside a function)."""
    if isinstance(node, ast.ImportFrom) and node.module == "__future__":
        return []
    if isinstance(node, ast.ImportFrom) and SUITES_PACKAGE in f".{node.module or ''}.":
        return _inlined(node, seen)
    text = _segment(lines, node)
    if text in seen:
        return []
    seen.add(text)
    return [text]


def _load(path: Path) -> object:
    if str(KIT_ROOT) not in sys.path:
        sys.path.insert(0, str(KIT_ROOT))
    relative = path.relative_to(KIT_ROOT).with_suffix("")
    with warnings.catch_warnings():
        # Outside a grading session the `graded` marker is not registered, and need not be.
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
        return importlib.import_module(".".join(relative.parts))


def read_module(path: Path) -> SuiteModule:
    lines = path.read_text(encoding="utf-8").split("\n")
    tree = ast.parse("\n".join(lines), str(path))
    module = _load(path)
    preamble: list[str] = []
    tests: list[SuiteTest] = []
    seen: set[str] = set()
    for node in tree.body:
        function = getattr(module, node.name, None) if isinstance(node, ast.FunctionDef) else None
        grading = grading_of_function(function) if function is not None else None
        if grading is not None and isinstance(node, ast.FunctionDef):
            cuda = any(mark.name == CUDA_MARKER for mark in getattr(function, "pytestmark", []))
            tests.append(SuiteTest(node.name, grading, cuda, _segment(lines, node)))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            preamble.extend(_imports(node, lines, seen))
        elif not _is_docstring(node):
            preamble.append(_segment(lines, node))
    return SuiteModule(path, _join(preamble), tuple(tests))


def _join(parts: list[str]) -> str:
    """Import lines one under another, everything else a blank line apart."""
    text = ""
    for previous, part in zip(["", *parts], parts, strict=False):
        both_imports = previous.startswith(("import ", "from ")) and part.startswith(("import ", "from "))
        text += ("\n" if both_imports else "\n\n") + part if text else part
    return text


def read_suite(unit: Unit, suite: Suite) -> list[SuiteModule]:
    return [read_module(path) for path in sorted(unit.suite(suite).glob("test_*.py"))]


def wrapped(name: str, module: SuiteModule, tests: list[SuiteTest]) -> str:
    """A function `name` whose body is the module's preamble and `tests`, returning the tests.

    Keeping the tests inside a function keeps their helpers and constants (`EXERCISE = ...`) out of
    the notebook's namespace, where they could shadow the student's own names.
    """
    body = [module.preamble, *(t.source for t in tests), f"return [{', '.join(t.name for t in tests)}]"]
    return f"def {name}():\n" + textwrap.indent("\n\n".join(body), "    ") + "\n"
