"""The mutants of the unit's reference solutions: every operator at every site inside a solution body.

Only code between `# BEGIN SOLUTION` and `# END SOLUTION` is mutated, the same code every run, so a
mutant's id (`<exercise>.<operator>.<n>`) always names the same change.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass
from pathlib import Path

from autograder.units.convolutions.mutants.operators import TreePath, find, locations
from autograder.units.fc_to_conv import UNIT
from autograder.units.fc_to_conv.mutants.operators import OPERATORS, MatrixContext

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
MATRICES = frozenset({"X", "K", "grad_output", "M", "EDGE_KERNEL", "d_row", "d_col"})
"""The solutions' names for 2-D tensors: a mutant may flip or transpose them."""
MATRIX_CALLS = frozenset({"corr2d", "diagonal_edge_image", "torch.triu", "correlation_matrix"})
"""The calls in the solutions that make a 2-D tensor."""
MATRIX_RESULTS = frozenset(
    {
        "conv2d_strict",
        "correlation_matrix",
        "correlation_input_grad",
        "edge_kernel",
        "second_derivative_kernel",
        "laplace_kernel",
        "blur_kernel",
        "derivative_kernel",
        "diagonal_edge_image",
        "edges_of_diagonal",
        "edges_of_transposed",
        "edges_with_transposed_kernel",
    }
)
"""The exercises that return a 2-D tensor."""


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


def _blank(node: ast.expr) -> str:
    """The expression with its names and constants blanked out."""
    blank = copy.deepcopy(node)
    for child in ast.walk(blank):
        if isinstance(child, ast.Name):
            child.id = "_"
        elif isinstance(child, ast.Constant):
            child.value = 0
    return ast.dump(blank)


def _siblings(function: ast.FunctionDef) -> dict[str, tuple[str, ...]]:
    """Names of one kind: unpacked together, loop variables, parameters of one type, or assigned by
    the same expression up to names and constants (`i = torch.arange(out_h)...`, `j = torch.arange(out_w)...`)."""
    groups: list[list[str]] = [
        [n.target.id for n in ast.walk(function) if isinstance(n, ast.For) and isinstance(n.target, ast.Name)]
    ]
    typed: dict[str, list[str]] = {}
    for parameter in function.args.args:
        if parameter.annotation is not None:
            typed.setdefault(ast.unparse(parameter.annotation), []).append(parameter.arg)
    groups.extend(typed.values())
    shapes: dict[str, list[str]] = {}
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if isinstance(target, ast.Tuple):
            groups.append([e.id for e in target.elts if isinstance(e, ast.Name)])
        elif isinstance(target, ast.Name):
            shapes.setdefault(_blank(node.value), []).append(target.id)
    groups.extend(shapes.values())
    found: dict[str, tuple[str, ...]] = {}
    for group in groups:
        for name in group:
            others = tuple(other for other in group if other != name)
            if others:
                found[name] = tuple(dict.fromkeys((*found.get(name, ()), *others)))
    return found


def _context(tag: str, function: ast.FunctionDef) -> MatrixContext:
    args = function.args.args
    tensors = frozenset(a.arg for a in args if a.annotation is not None and ast.unparse(a.annotation) == "torch.Tensor")
    defaults = dict(
        zip((a.arg for a in args[len(args) - len(function.args.defaults) :]), function.args.defaults, strict=True)
    )
    return MatrixContext(
        ndim=0,
        tensors=tensors,
        defaults=defaults,
        siblings=_siblings(function),
        matrices=MATRICES,
        matrix_calls=MATRIX_CALLS,
        matrix_result=tag in MATRIX_RESULTS,
    )


def _path_of(tree: ast.Module, function: ast.FunctionDef) -> TreePath:
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


def mutants_of(path: Path) -> list[Mutant]:
    """Every distinct mutant of one solution file, in a fixed order."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    regions = solution_regions(text)
    seen = {ast.unparse(tree)}
    mutants: list[Mutant] = []
    counters: dict[tuple[str, str], int] = {}
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in UNIT.tags]
    for function in functions:
        tag, context, root = function.name, _context(function.name, function), _path_of(tree, function)
        for location in locations(function):
            line = getattr(location.node, "lineno", None)
            if line is None or not any(first <= line <= last for first, last in regions):
                continue
            for name, propose in OPERATORS.items():
                for edit in propose(location, context):
                    mutated = copy.deepcopy(tree)
                    edit.apply(find(mutated, (*root, *location.path)))
                    ast.fix_missing_locations(mutated)
                    source = ast.unparse(mutated)
                    if source in seen or not _compiles(source):
                        continue
                    seen.add(source)
                    number = counters[(tag, name)] = counters.get((tag, name), 0) + 1
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


def all_mutants(solutions: Path) -> list[Mutant]:
    """The mutants of every solution file, in the order of the unit's exercises."""
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
        step = max(1.0, len(group) / per_operator)
        kept.update(group[int(i * step)].id for i in range(min(per_operator, len(group))))
    return [m for m in mutants if m.id in kept]
