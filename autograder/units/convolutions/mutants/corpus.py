"""The mutants of the reference solutions: every operator at every site inside a solution body.

Only code between `# BEGIN SOLUTION` and `# END SOLUTION` is mutated, the same code every run, so a
mutant's id (`<exercise>.<operator>.<n>`) always names the same change.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass
from pathlib import Path

from autograder.units.convolutions import UNIT
from autograder.units.convolutions.mutants.operators import OPERATORS, Context, TreePath, find, locations

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
NDIM = {"corr1d": 1, "corr2d": 2, "corr3d": 3, "Conv2D": 2}
"""Dimensions of the tensors each exercise correlates; learn_kernel correlates none itself."""
CLASS_TAGS = {"Conv2D": "Conv2D"}


@dataclass(frozen=True)
class Mutant:
    id: str
    exercise: str
    """The exercise tag of the mutated function."""
    file: str
    operator: str
    description: str
    source: str
    """The whole mutated file."""


def solution_regions(text: str) -> list[tuple[int, int]]:
    """(first, last) line numbers of each solution body, markers excluded."""
    regions, start = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == BEGIN:
            start = number
        elif line.strip() == END and start is not None:
            regions.append((start + 1, number - 1))
            start = None
    return regions


def _siblings(function: ast.FunctionDef) -> dict[str, tuple[str, ...]]:
    """Names of one kind: unpacked together, loop variables, or assigned by the same expression
    up to names and constants (`out_h = X.shape[0] - k_h + 1`, `out_w = X.shape[1] - k_w + 1`)."""
    groups: list[list[str]] = []
    loops = [n.target.id for n in ast.walk(function) if isinstance(n, ast.For) and isinstance(n.target, ast.Name)]
    groups.append(loops)
    shapes: dict[str, list[str]] = {}
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if isinstance(target, ast.Tuple):
            groups.append([e.id for e in target.elts if isinstance(e, ast.Name)])
        elif isinstance(target, ast.Name):
            shapes.setdefault(_shape_of(node.value), []).append(target.id)
    groups.extend(shapes.values())
    found: dict[str, tuple[str, ...]] = {}
    for group in groups:
        for name in group:
            others = tuple(other for other in group if other != name)
            if others:
                found[name] = tuple(dict.fromkeys((*found.get(name, ()), *others)))
    return found


def _shape_of(node: ast.expr) -> str:
    """The expression with its names and constants blanked out."""
    blank = copy.deepcopy(node)
    for child in ast.walk(blank):
        if isinstance(child, ast.Name):
            child.id = "_"
        elif isinstance(child, ast.Constant):
            child.value = 0
    return ast.dump(blank)


def _context(tag: str, function: ast.FunctionDef) -> Context:
    args = function.args.args
    tensors = {a.arg for a in args if a.arg != "self"}
    if tag == "Conv2D":
        tensors |= {"self.weight", "self.bias"}
    defaults = dict(
        zip((a.arg for a in args[len(args) - len(function.args.defaults) :]), function.args.defaults, strict=True)
    )
    return Context(
        ndim=NDIM.get(tag, 0),
        tensors=frozenset(tensors),
        defaults=defaults,
        siblings=_siblings(function),
        correlation_result=tag in ("corr1d", "corr2d", "corr3d"),
    )


def _functions(tree: ast.Module) -> list[tuple[str, ast.FunctionDef]]:
    """(exercise tag, function) for each function of the file, methods under their class's tag."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in UNIT.tags:
            found.append((node.name, node))
        elif isinstance(node, ast.ClassDef) and node.name in CLASS_TAGS:
            found.extend((CLASS_TAGS[node.name], m) for m in node.body if isinstance(m, ast.FunctionDef))
    return found


def mutants_of(path: Path) -> list[Mutant]:
    """Every distinct mutant of one solution file, in a fixed order."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    original = ast.unparse(tree)
    regions = solution_regions(text)
    seen = {original}
    mutants: list[Mutant] = []
    counters: dict[tuple[str, str], int] = {}
    for tag, function in _functions(tree):
        context = _context(tag, function)
        root = _path_of(tree, function)
        for location in locations(function):
            line = getattr(location.node, "lineno", None)
            if line is None or not any(first <= line <= last for first, last in regions):
                continue
            absolute = (*root, *location.path)
            for name, propose in OPERATORS.items():
                for edit in propose(location, context):
                    mutated = copy.deepcopy(tree)
                    edit.apply(find(mutated, absolute))
                    ast.fix_missing_locations(mutated)
                    source = ast.unparse(mutated)
                    if source in seen or not _compiles(source):
                        continue
                    seen.add(source)
                    number = counters.get((tag, name), 0) + 1
                    counters[(tag, name)] = number
                    mutants.append(
                        Mutant(
                            id=f"{tag}.{name}.{number:02d}",
                            exercise=tag,
                            file=path.name,
                            operator=name,
                            description=f"{edit.description} (line {line})",
                            source=source + "\n",
                        )
                    )
    return mutants


def _path_of(tree: ast.Module, function: ast.FunctionDef) -> TreePath:
    """Where `function` is in the module's tree."""
    for location in locations(tree):
        if location.node is function:
            return location.path
    raise LookupError(function.name)


def _compiles(source: str) -> bool:
    try:
        compile(source, "<mutant>", "exec")
    except SyntaxError:
        return False
    return True


def all_mutants(solutions: Path) -> list[Mutant]:
    """The mutants of every solution file, in the order of the contract."""
    found: list[Mutant] = []
    for module in UNIT.modules:
        found.extend(mutants_of(solutions / f"{module}.py"))
    order = {tag: i for i, tag in enumerate(UNIT.tags)}
    return sorted(found, key=lambda m: order[m.exercise])


def spread(mutants: list[Mutant], per_operator: int | None) -> list[Mutant]:
    """At most `per_operator` mutants of each exercise and operator, spread evenly over the sites."""
    if per_operator is None:
        return mutants
    groups: dict[tuple[str, str], list[Mutant]] = {}
    for mutant in mutants:
        groups.setdefault((mutant.exercise, mutant.operator), []).append(mutant)
    kept: set[str] = set()
    for group in groups.values():
        if len(group) <= per_operator:
            kept.update(m.id for m in group)
        else:
            step = len(group) / per_operator
            kept.update(group[int(i * step)].id for i in range(per_operator))
    return [m for m in mutants if m.id in kept]
