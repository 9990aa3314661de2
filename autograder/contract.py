"""The exercise contract of DESIGN.md: file names, public names and exercise tags. Fixed; one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    tag: str
    """The name results.json uses in `tags`."""
    module: str
    """The file students edit, without `.py`."""


EXERCISES: tuple[Exercise, ...] = (
    Exercise("corr2d", "ex1_corr2d"),
    Exercise("Conv2D", "ex2_conv2d"),
    Exercise("corr1d", "ex3_variants"),
    Exercise("corr3d", "ex3_variants"),
    Exercise("learn_kernel", "ex4_learn_kernel"),
)
TAGS: tuple[str, ...] = tuple(e.tag for e in EXERCISES)
MODULES: tuple[str, ...] = tuple(dict.fromkeys(e.module for e in EXERCISES))
FUNCTIONS: frozenset[str] = frozenset({"corr2d", "corr1d", "corr3d", "learn_kernel"})
LAYER_ATTRIBUTES: tuple[str, ...] = ("weight", "bias")
DEPENDS_ON: dict[str, tuple[str, ...]] = {"ex2_conv2d": ("ex1_corr2d",)}
"""Files an exercise file imports: ex2's Conv2D uses the student's own corr2d."""

_MODULE_OF = {e.tag: e.module for e in EXERCISES}


def module_of(tag: str) -> str:
    """The file that defines exercise `tag`."""
    return _MODULE_OF[tag]


def file_of(tag: str) -> str:
    return f"{module_of(tag)}.py"
