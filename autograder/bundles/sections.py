"""A unit's exercises as notebooks show them: the imports once, then one section per exercise file, each a list
of definitions, all cut from the rendered solution files (the stubs, or the solutions with markers).

The module docstrings give way to the Markdown of the catalogue, and the import of a sibling exercise
file (`from <module> import <name>`) goes, since in a notebook the earlier cells have defined it.
Everything else is the rendered file itself, so notebook code and `.py` stubs never differ.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from autograder.authoring import make_stub
from autograder.unit import Unit

NBGRADER_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
OTTER_MARKERS = ("# BEGIN SOLUTION", "# END SOLUTION")


@dataclass(frozen=True)
class Section:
    module: str
    tags: tuple[str, ...]
    """The exercises the file defines, in the contract's order."""
    definitions: tuple[str, ...]


@dataclass(frozen=True)
class Sections:
    """The imports of all the unit's files, once, and one section per file."""

    imports: str
    sections: tuple[Section, ...]


Render = Callable[[str, str], str]
"""(solution source, file name) -> the code to show."""


def stub_renderer(lang: str) -> Render:
    return lambda source, name: make_stub(source, lang, name)


def solution_renderer(lang: str, markers: tuple[str, str]) -> Render:
    return lambda source, name: make_stub(source, lang, name, keep_solutions=markers)


def _split(code: str, name: str, siblings: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(import lines, top-level definitions) of a rendered exercise file."""
    lines = code.split("\n")
    tree = ast.parse(code, name)
    starts = [min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) for node in tree.body]
    imports: list[str] = []
    definitions: list[str] = []
    for node, start, end in zip(tree.body, starts, [*starts[1:], len(lines) + 1], strict=True):
        # Up to the next statement: a trailing comment (an end-of-solution marker) stays with its code.
        text = "\n".join(lines[start - 1 : end - 1]).rstrip()
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and node is tree.body[0]:
            continue
        if isinstance(node, ast.ImportFrom) and node.module in siblings:
            continue
        (imports if isinstance(node, (ast.Import, ast.ImportFrom)) else definitions).append(text)
    return imports, definitions


def read_sections(unit: Unit, render: Render) -> Sections:
    imports: list[str] = []
    sections = []
    for module in unit.modules:
        path = unit.solutions / f"{module}.py"
        code = render(path.read_text(encoding="utf-8"), str(path))
        own_imports, definitions = _split(code, str(path), unit.modules)
        imports += [line for line in own_imports if line not in imports]
        sections.append(Section(module, unit.tags_of(module), tuple(definitions)))
    return Sections("\n".join(imports), tuple(sections))
