"""Code from a notebook submission, read as plain JSON: never executed, IPython-only syntax dropped.

Two kinds of notebook are graded. One per exercise file (`<module>.ipynb`) becomes that file. The
notebook of the unit (`Unit.notebook`, as `make notebooks` writes it) holds all its exercises; its
code cells carry the section they belong to in their metadata
(`{"autograder": {"section": "<module>"}}`), and a cell without one belongs to the section above
it. Each exercise file is then built from the setup cells, the cells of the files it depends on and
its own cells, in notebook order: what the kernel would have run before it, and nothing of the
exercises after it, so a broken later cell costs only its own exercise.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from autograder.errors import StudentFault
from autograder.i18n import Message, msg
from autograder.unit import Unit

CELL_KEY = "autograder"
SETUP, CHECK = "setup", "check"
"""Sections besides the exercise files: code every file needs, and cells that only run the checks."""
MAX_CELLS = 5000

_LINE_MAGIC = re.compile(r"^\s*[%!]")
_ASSIGNED_MAGIC = re.compile(r"^\s*[\w.]+(\s*,\s*[\w.]+)*\s*=\s*[%!]")
_HELP = re.compile(r"^\s*(\?{1,2}[\w.]+|[\w.]+\?{1,2})\s*$")
_IPYTHON_CALL = re.compile(r"^\s*get_ipython\(\)")
_CELL_MAGIC = re.compile(r"^\s*%%(\w+)")
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
"""Cell magics whose body is plain Python: the magic line goes, the code stays."""
_CHECKER = re.compile(r"^(from autograder import check\b.*|import autograder\b.*|check\(.*\)\s*(#.*)?)$")
"""The notebook's own `check()` and its import (top level only): they run the checks from Jupyter and
mean nothing in the grader, whose workers cannot import the kit."""


class NotebookError(StudentFault, ValueError):
    """A notebook the grader cannot read; the message says what is wrong with it."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.key)
        self.message = message


@dataclass
class NotebookCode:
    """What a notebook contributes to a submission: exercise file name -> code, and notes."""

    files: dict[str, str] = field(default_factory=dict)
    notes: list[Message] = field(default_factory=list)


def is_unit_notebook(name: str, unit: Unit) -> bool:
    """The unit's notebook, or a copy of it (`NAME (1).ipynb`)."""
    stem = unit.notebook.removesuffix(".ipynb")
    return name.endswith(".ipynb") and name.startswith(stem)


def _cells(data: bytes, name: str) -> list[dict[str, Any]]:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise NotebookError(msg("loader.notebook_not_json", notebook=name, error=str(exc)[:200])) from None
    if not isinstance(document, dict):
        raise NotebookError(msg("loader.notebook_not_json", notebook=name, error=type(document).__name__))
    cells = document.get("cells")
    if cells is None and isinstance(document.get("worksheets"), list):  # nbformat 3
        sheets = [sheet.get("cells") for sheet in document["worksheets"] if isinstance(sheet, dict)]
        cells = [cell for sheet in sheets if isinstance(sheet, list) for cell in sheet]
    if not isinstance(cells, list):
        raise NotebookError(msg("loader.notebook_no_cells", notebook=name))
    if len(cells) > MAX_CELLS:
        raise NotebookError(msg("loader.notebook_too_many_cells", notebook=name, limit=MAX_CELLS))
    return [cell for cell in cells if isinstance(cell, dict) and cell.get("cell_type") == "code"]


def _source(cell: dict[str, Any], name: str) -> str:
    """The cell's code; JSON can carry text no file can hold (a lone surrogate), refused here."""
    source = cell.get("source", cell.get("input", ""))
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        source = "".join(source)
    if not isinstance(source, str):
        raise NotebookError(msg("loader.notebook_bad_source", notebook=name))
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        raise NotebookError(msg("loader.notebook_bad_text", notebook=name)) from None
    return source


def _section(cell: dict[str, Any], unit: Unit) -> str | None:
    metadata = cell.get("metadata")
    info = metadata.get(CELL_KEY) if isinstance(metadata, dict) else None
    section = info.get("section") if isinstance(info, dict) else None
    return section if section in (*unit.modules, SETUP, CHECK) else None


def _is_ipython_only(line: str) -> bool:
    return bool(
        _LINE_MAGIC.match(line) or _ASSIGNED_MAGIC.match(line) or _HELP.match(line) or _IPYTHON_CALL.match(line)
    )


def plain_python(text: str) -> tuple[str, int]:
    """The cell as plain Python: magics, shell lines, help and get_ipython() calls become `pass`.

    Returns the code and the number of lines dropped. A line is replaced at its own indentation, so a
    magic inside a block leaves the block valid; a dropped line ending in a backslash takes its
    continuation lines with it. Calls of the kit's `check()` go too, uncounted: they are no one's work.
    """
    lines = text.splitlines()
    cell_magic = _CELL_MAGIC.match(lines[0]) if lines else None
    if cell_magic:
        if cell_magic[1] not in _PYTHON_CELL_MAGICS:
            return "", len(lines)
        lines = ["pass  # dropped: " + lines[0].strip()[:60], *lines[1:]]
        dropped = 1
    else:
        dropped = 0
    out: list[str] = []
    continuing = False
    for line in lines:
        if continuing or _is_ipython_only(line):
            dropped += 1
            if not continuing:
                indent = line[: len(line) - len(line.lstrip())]
                out.append(f"{indent}pass  # dropped: {line.strip()[:60]}")
            continuing = line.rstrip().endswith("\\")
        elif _CHECKER.match(line):
            out.append(f"pass  # checker: {line.strip()[:60]}")
        else:
            out.append(line)
    return "\n".join(out), dropped


def _join(chunks: list[str]) -> str:
    return "\n\n".join(chunk for chunk in chunks if chunk.strip()) + "\n"


def extract_code(data: bytes, name: str, unit: Unit) -> tuple[str, int]:
    """All code cells joined into one module (check cells left out); returns (code, lines dropped)."""
    chunks, dropped = [], 0
    for cell in _cells(data, name):
        if _section(cell, unit) == CHECK:
            continue
        code, count = plain_python(_source(cell, name))
        chunks.append(code)
        dropped += count
    return _join(chunks), dropped


def _needs(module: str, unit: Unit) -> set[str]:
    """The sections whose cells run before `module`'s in its file: setup, its dependencies, itself."""
    needed, pending = {SETUP}, [module]
    while pending:
        current = pending.pop()
        if current not in needed:
            needed.add(current)
            pending.extend(unit.depends_on.get(current, ()))
    return needed


def split_unit(data: bytes, name: str, unit: Unit) -> NotebookCode:
    """The exercise files of the unit notebook, one per section that has code of its own."""
    sections: list[tuple[str, str]] = []
    current, tagged, dropped = SETUP, False, 0
    for cell in _cells(data, name):
        section = _section(cell, unit)
        if section == CHECK:
            continue
        if section is not None:
            current, tagged = section, True
        code, count = plain_python(_source(cell, name))
        dropped += count
        sections.append((current, code))
    result = NotebookCode()
    if not tagged:
        whole = _join([code for _, code in sections])
        result.files = {f"{module}.py": whole for module in unit.modules}
        result.notes.append(msg("loader.notebook_untagged", notebook=name))
    else:
        for module in unit.modules:
            if any(section == module and code.strip() for section, code in sections):
                needed = _needs(module, unit)
                result.files[f"{module}.py"] = _join([code for section, code in sections if section in needed])
    result.notes.extend(_dropped_notes(name, dropped))
    return result


def _dropped_notes(name: str, dropped: int) -> list[Message]:
    """The note that `dropped` lines of magics or shell commands were left out of `name`, if any were."""
    return [msg("loader.notebook_dropped", notebook=name, count=dropped)] if dropped else []


def notebook_code(data: bytes, name: str, unit: Unit) -> NotebookCode:
    """The exercise files a notebook stands for: its own module's, or every section of the unit's."""
    module = name.removesuffix(".ipynb")
    if module in unit.modules:
        code, dropped = extract_code(data, name, unit)
        return NotebookCode({f"{module}.py": code}, _dropped_notes(name, dropped))
    return split_unit(data, name, unit)
