"""The versions the kit says it works with: one list, in pyproject.toml, that the student wheel repeats
and that `make test-oldest` installs at its floors and checks."""

from __future__ import annotations

import re
import shlex
import tomllib
from typing import Any

from autograder.bundles import wheel
from autograder.paths import KIT_ROOT


def project() -> dict[str, Any]:
    return dict(tomllib.loads((KIT_ROOT / "pyproject.toml").read_text())["project"])


def declared() -> list[str]:
    return list(project()["dependencies"])


def makefile_pins(variable: str) -> list[str]:
    """The packages a Makefile variable pins, as written there."""
    line = re.search(rf"^{variable} :=(.*)$", (KIT_ROOT / "Makefile").read_text(), re.MULTILINE)
    assert line, f"the Makefile has no {variable} line"
    return shlex.split(line.group(1))


def test_the_student_wheel_requires_what_the_kit_declares():
    assert list(wheel.REQUIRES) == declared()


def test_make_test_oldest_pins_every_dependency_at_its_floor():
    floors = []
    for requirement in declared():
        name, _, floor = requirement.partition(">=")
        assert floor, f"{requirement}: a dependency without a floor is checked on no version"
        floors.append(f"{name}=={floor}")
    assert sorted(makefile_pins("OLDEST")) == sorted(floors)


def test_make_test_oldest_tests_with_the_dev_extras_versions():
    assert set(makefile_pins("OLDEST_TEST_TOOLS")) <= set(project()["optional-dependencies"]["dev"])
