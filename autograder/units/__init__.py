"""The registry of units: every unit installed, found without naming any of them.

A unit is a package that defines `UNIT` (an `autograder.unit.Unit`). Two places are searched, in this
order: the sub-packages of this package (the units shipped with the kit, in a checkout, a wheel or a
Gradescope zip alike), then the entry points of the group `conv_autograder.units` (a unit installed as
a package of its own: `[project.entry-points."conv_autograder.units"] mine = "my_unit"`).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from autograder.unit import Unit

ENTRY_POINT_GROUP = "conv_autograder.units"


class UnknownUnit(LookupError):
    """`--unit NAME` names no installed unit."""


@cache
def installed() -> dict[str, Unit]:
    """Every installed unit by name, the kit's own first (in the order of their package names)."""
    found: dict[str, Unit] = {}
    packages = [f"{__name__}.{info.name}" for info in pkgutil.iter_modules(__path__) if info.ispkg]
    packages += [entry.value for entry in entry_points(group=ENTRY_POINT_GROUP)]
    for package in packages:
        unit = getattr(importlib.import_module(package), "UNIT", None)
        if not isinstance(unit, Unit):
            continue
        if unit.name in found and found[unit.name].package != unit.package:
            raise UnknownUnit(f"two units are named {unit.name!r}: {found[unit.name].package} and {unit.package}")
        found.setdefault(unit.name, unit)
    return found


def get(name: str | None = None) -> Unit:
    """The unit called `name`; without a name, the first installed unit."""
    units = installed()
    if not units:
        raise UnknownUnit("no unit is installed")
    if name is None:
        return next(iter(units.values()))
    try:
        return units[name]
    except KeyError:
        raise UnknownUnit(f"no unit named {name!r}; installed: {', '.join(units)}") from None


def names() -> tuple[str, ...]:
    return tuple(installed())


def of_exercise(tag: str) -> Unit:
    """The unit that has an exercise called `tag` (the first, if several do)."""
    for unit in installed().values():
        if tag in unit.tags:
            return unit
    raise UnknownUnit(f"no installed unit has an exercise {tag!r}")


def owning(path: Path) -> Unit | None:
    """The unit whose package holds `path` (a suite or one of its tests), if any."""
    resolved = path.resolve()
    for unit in installed().values():
        if resolved == unit.root or unit.root in resolved.parents:
            return unit
    return None


def all_tags() -> tuple[str, ...]:
    """The exercises of every installed unit, unit by unit in each unit's order: a class of several
    units' students is reported in this order."""
    return tuple(dict.fromkeys(tag for unit in installed().values() for tag in unit.tags))


def all_mistakes() -> frozenset[str]:
    """The named mistakes of every installed unit."""
    return frozenset(m for unit in installed().values() for m in unit.mistakes)


def watched_operators() -> frozenset[str] | None:
    """The operators the installed units' rules read from their calls' traces; None where a unit with
    exercises under a rule does not say which (`Unit.watched_operators`): the recorder then watches all."""
    watched: set[str] = set()
    for unit in installed().values():
        if not unit.ruled:
            continue
        hook = unit.hook("watched_operators")
        if hook is None:
            return None
        watched |= hook()
    return frozenset(watched)
