"""dist/classroom50/: an autograder folder for Classroom 50's custom autograding.

Classroom 50 grades in the student repository's Actions: its runner calls
CLASSROOM/autograders/ASSIGNMENT/autograder.py (in the course's classroom50 repository) from the
student's checkout, with the folder's other files beside it, and reads ./result.json
(schema classroom50/result/v1). The folder is published on the course's GitHub Pages, so it holds
the checker and the public tests only, never the hidden suite. The script is a template in
autograder/bundles/templates/classroom50/.
"""

from __future__ import annotations

from pathlib import Path

from autograder.bundles import templates
from autograder.bundles.gradescope import DEFAULT_TORCH, DEFAULT_TORCH_INDEX
from autograder.bundles.kitfiles import package
from autograder.unit import Unit

FOLDER = "classroom50"


def contents(unit: Unit) -> dict[str, bytes]:
    """File name -> content: autograder.py (which grades `unit`), the checker and the public tests."""
    script = templates.render(
        "classroom50/autograder.py", TORCH_SPEC=DEFAULT_TORCH, TORCH_INDEX=DEFAULT_TORCH_INDEX, UNIT=unit.name
    )
    files = {"autograder.py": script.encode()}
    files.update(package(public_only=True))
    return files


def build(unit: Unit, out: Path) -> Path:
    for name, data in contents(unit).items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return out
