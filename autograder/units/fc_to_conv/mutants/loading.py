"""Exercise files run as modules in this process: a mutant's file, or the reference solutions.

The oracle runs the kit's own code (the reference solutions and their mutants), never a student's, so
it may run in-process. This unit's files import none of each other.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.units.fc_to_conv import UNIT


def load_modules(sources: dict[str, str], label: str) -> dict[str, types.ModuleType]:
    """Execute each exercise file (name -> source) as a module of its own."""
    modules: dict[str, types.ModuleType] = {}
    for name in UNIT.modules:
        source = sources.get(f"{name}.py")
        if source is None:
            continue
        module = types.ModuleType(name)
        module.__file__ = f"<{label}>/{name}.py"
        exec(compile(source, module.__file__, "exec"), module.__dict__)
        modules[name] = module
    return modules


def solution_sources(solutions: Path) -> dict[str, str]:
    return {f"{name}.py": (solutions / f"{name}.py").read_text(encoding="utf-8") for name in UNIT.modules}


@dataclass(frozen=True)
class Subject:
    """One exercise of a set of loaded files."""

    tag: str
    modules: dict[str, types.ModuleType]

    def function(self) -> Callable[..., Any]:
        """What the file defines under the exercise's name (whatever it is: a broken call shows when made)."""
        function: Callable[..., Any] = getattr(self.modules[UNIT.module_of(self.tag)], self.tag)
        return function
