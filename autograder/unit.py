"""A course unit as the engine sees it: a value, never a module the engine imports by name.

The engine (loader, sandbox, judge, scoring, reporters, bundles) knows no exercise. Everything that
belongs to one unit (its exercises and files, the attributes of its layers, its notebook, its named
mistakes, the warm-up of its worker process, the rule its calls are held to, its catalogue half, its
solutions, suites and samples) comes from a `Unit`, found through `autograder.units`.

A unit's package defines `UNIT = Unit(...)` in its `__init__`, which imports nothing heavy: the
hooks are named as `"module:function"` and imported only where they run.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

Suite = Literal["public", "hidden"]
SUITES: tuple[Suite, ...] = ("public", "hidden")


@dataclass(frozen=True)
class Exercise:
    tag: str
    """The name results.json uses in `tags`, and what a student calls."""
    module: str
    """The file students edit, without `.py`."""
    kind: Literal["function", "layer"] = "function"
    """How the judge reaches it: called as a function, or built as an `nn.Module` and described."""


class UnknownExercise(KeyError):
    """An exercise tag that the unit does not have (a test or a command named it)."""


@dataclass(frozen=True)
class Unit:
    name: str
    """Short, stable: `--unit NAME`, the folder of its class report and gradebook."""
    package: str
    """The dotted name of the unit's package, which holds its files (see the paths below)."""
    exercises: tuple[Exercise, ...]
    notebook: str
    """The file name of the unit's one notebook (`NAME.ipynb`)."""
    mistakes: tuple[str, ...]
    """The unit's named mistakes (ids): `mistake.<id>.title|why|fix` in its catalogue."""
    depends_on: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Files an exercise file imports from the submission (module -> modules)."""
    layer_attributes: tuple[str, ...] = ()
    """The attributes the judge asks a layer exercise about (and in this order, their gradients)."""
    rule_mistakes: frozenset[str] = frozenset()
    """Mistakes that break the unit's rule: a failed gate test with one of them zeroes the exercise."""
    warm_up: str | None = None
    """`module:function` run once in the zygote before it forks workers: the imports and first ops
    that every worker would otherwise pay for."""
    judge_warm_up: str | None = None
    """`module:function` run once in the judge, while its zygote warms up: what the judge would
    otherwise compute on its first grade."""
    call_policy: str | None = None
    """`module:function(exercise, trace)` run by the judge on every reply of a call; raises the test's
    Failure when the call broke the unit's rule (what it ran is in the trace)."""
    ruled: frozenset[str] = frozenset()
    """The exercises (tags) under the unit's rule, whose calls `call_policy` reads the operators of.
    Only their files' workers run each call under the dispatch recorder: it costs a loop several
    times its own work."""
    watched_operators: str | None = None
    """`module:function() -> frozenset[str]`: the operators (`namespace::name`) that `call_policy` reads
    from a call's trace. The recorder lets every other one pass by (autograder.sandbox.observer.watch_only);
    a unit with `ruled` exercises and no such hook keeps it watching them all."""
    raised_feedback: str | None = None
    """`module:function(failure, exercise) -> Feedback | None`: the unit's own reading of an exception
    a student's call raised, asked before the engine's general one."""
    mutants: str | None = None
    """`module:function(args, session) -> ExitCode`: the unit's mutation self-test (`autograder mutants`)."""

    def __post_init__(self) -> None:
        unknown = self.ruled - set(self.tags)
        if unknown:
            # A misspelt tag would leave that exercise outside the rule, silently.
            raise UnknownExercise(f"unit {self.name}: ruled names no exercise {sorted(unknown)}")

    # -- exercises
    @cached_property
    def tags(self) -> tuple[str, ...]:
        return tuple(e.tag for e in self.exercises)

    @cached_property
    def modules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.module for e in self.exercises))

    @cached_property
    def functions(self) -> frozenset[str]:
        return frozenset(e.tag for e in self.exercises if e.kind == "function")

    @cached_property
    def ruled_modules(self) -> frozenset[str]:
        """The files that define an exercise under the rule."""
        return frozenset(e.module for e in self.exercises if e.tag in self.ruled)

    @cached_property
    def exercise_files(self) -> tuple[str, ...]:
        return tuple(f"{m}.py" for m in self.modules)

    def module_of(self, tag: str) -> str:
        """The file (without `.py`) that defines exercise `tag`."""
        for exercise in self.exercises:
            if exercise.tag == tag:
                return exercise.module
        raise UnknownExercise(f"unknown exercise {tag!r}; one of {', '.join(self.tags)}")

    def file_of(self, tag: str) -> str:
        return f"{self.module_of(tag)}.py"

    def tags_of(self, module: str) -> tuple[str, ...]:
        return tuple(e.tag for e in self.exercises if e.module == module)

    def ordered(self, tags: Any) -> list[str]:
        """`tags` in the unit's order, unknown ones last (sorted)."""
        present = set(tags)
        return [t for t in self.tags if t in present] + sorted(t for t in present if t not in self.tags)

    # -- where its files are
    @cached_property
    def root(self) -> Path:
        module = importlib.import_module(self.package)
        return Path(module.__file__ or "").resolve().parent

    @property
    def solutions(self) -> Path:
        return self.root / "solutions"

    @property
    def samples(self) -> Path:
        return self.root / "samples"

    def suite(self, suite: Suite) -> Path:
        if suite not in SUITES:
            raise ValueError(f"unknown suite {suite!r}; one of {SUITES}")
        return self.root / "suites" / suite

    def catalogue(self, lang: str) -> Path:
        return self.root / "catalogue" / f"{lang}.toml"

    @property
    def has_hidden_suite(self) -> bool:
        """False where only the public part is installed (the student wheel)."""
        return self.suite("hidden").is_dir()

    def private_paths(self) -> list[Path]:
        """What a worker must never see of the unit: its hidden suite, solutions and samples."""
        return [p for p in (self.suite("hidden"), self.solutions, self.samples) if p.exists()]

    # -- hooks
    def hook(
        self,
        name: Literal["warm_up", "judge_warm_up", "call_policy", "watched_operators", "raised_feedback", "mutants"],
    ) -> Callable[..., Any] | None:
        """The unit's hook `name`, imported now, or None where the unit has none."""
        spec: str | None = getattr(self, name)
        if spec is None:
            return None
        module, _, attribute = spec.partition(":")
        hook: Callable[..., Any] = getattr(importlib.import_module(module), attribute)
        return hook
