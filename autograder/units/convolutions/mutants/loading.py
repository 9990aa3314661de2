"""Exercise files run as modules in this process: a mutant's files, or the reference solutions.

The oracle runs the kit's own code (the reference solutions and their mutants), never a student's, so
it may run in-process. ex2_conv2d imports `corr2d` from ex1_corr2d: it gets the ex1 of the same set.
"""

from __future__ import annotations

import contextlib
import sys
import types
from collections.abc import Iterator
from pathlib import Path

from autograder.units.convolutions import UNIT


@contextlib.contextmanager
def _importable(modules: dict[str, types.ModuleType]) -> Iterator[None]:
    """Let `import <module>` find `modules` while the block runs, and restore sys.modules after it."""
    saved = {name: sys.modules.get(name) for name in modules}
    sys.modules.update(modules)
    try:
        yield
    finally:
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous


def load_modules(sources: dict[str, str], label: str) -> dict[str, types.ModuleType]:
    """Execute each exercise file (name -> source), in the order of the contract."""
    modules: dict[str, types.ModuleType] = {}
    for name in UNIT.modules:
        source = sources.get(f"{name}.py")
        if source is None:
            continue
        module = types.ModuleType(name)
        module.__file__ = f"<{label}>/{name}.py"
        with _importable(modules):
            exec(compile(source, module.__file__, "exec"), module.__dict__)
        modules[name] = module
    return modules


def solution_sources(solutions: Path) -> dict[str, str]:
    return {f"{name}.py": (solutions / f"{name}.py").read_text(encoding="utf-8") for name in UNIT.modules}
