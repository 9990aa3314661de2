"""Where the kit's own files are: light to import (no torch, no pytest), one copy of each location.

A unit's files (solutions, suites, samples, catalogue) are the unit's: `autograder.unit.Unit`.
"""

from __future__ import annotations

from pathlib import Path

from autograder import units
from autograder.unit import Unit

PACKAGE_DIR = Path(__file__).resolve().parent
KIT_ROOT = PACKAGE_DIR.parent
"""The kit's folder in a checkout; site-packages where the kit is installed."""
CHECKOUT = (KIT_ROOT / "pyproject.toml").is_file()
"""Run from a folder of the kit's own (a checkout, or a student bundle): all of it is private then."""
STUDENT_WHEEL = not any(unit.has_hidden_suite for unit in units.installed().values())
"""The public part only (the student wheel or bundle): nothing of it is private."""
DIST = KIT_ROOT / "dist"


def workspace(unit: Unit) -> Path:
    """Where a checkout keeps a unit's generated stubs and notebooks (exercises/, notebooks/, ...):
    the kit's folder for the first unit, a folder named after the unit for the others."""
    return KIT_ROOT if unit == units.get() else KIT_ROOT / unit.name
