"""Shell scripts and CI files the kit hands out, kept as the files they become (package data).

A template's placeholders are `@NAME@`; `render` fills every one and refuses to leave any behind.
"""

from __future__ import annotations

import re
from importlib import resources

_PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")


def read(name: str) -> str:
    """The template at `name` (a path under this folder, such as "gradescope/setup.sh")."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def render(name: str, **values: str) -> str:
    """The template with each @KEY@ replaced by values["KEY"]; an unfilled placeholder is an error."""

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"template {name} needs a value for @{key}@")
        return values[key]

    return _PLACEHOLDER.sub(fill, read(name))
