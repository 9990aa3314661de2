"""The sandbox's limits: every one documented with its default, and settable from the environment."""

from __future__ import annotations

from dataclasses import fields

import pytest

from autograder.paths import KIT_ROOT
from autograder.sandbox.limits import Limits


def test_the_readme_lists_every_limit_with_its_default():
    readme = (KIT_ROOT / "README.md").read_text()
    for field in fields(Limits):
        assert f"| `{field.name.upper()}` | {getattr(Limits(), field.name):g} |" in readme, field.name


def test_limits_come_from_the_environment_and_bad_values_say_which():
    limits = Limits.from_env({"AUTOGRADER_LIMIT_CUDA_START_SECONDS": "90", "AUTOGRADER_LIMIT_MEMORY_MB": "1024"})
    assert (limits.cuda_start_seconds, limits.memory_mb) == (90.0, 1024)
    with pytest.raises(ValueError, match="AUTOGRADER_LIMIT_CALL_SECONDS"):
        Limits.from_env({"AUTOGRADER_LIMIT_CALL_SECONDS": "soon"})
    with pytest.raises(ValueError, match="must be positive"):
        Limits.from_env({"AUTOGRADER_LIMIT_PROCESSES": "0"})
