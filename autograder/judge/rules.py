"""The no-torch-convolution rule: corr1d/corr2d/corr3d (and Conv2D's forward) must be written by hand.

Two independent nets, both judge-side: the torch functions the worker saw during the call (a function
mode catches F.conv2d, Tensor.unfold, torch.ops.aten.convolution, ... however they were reached),
and a reading of the student's source (which also catches getattr tricks and attempts to switch the
recorder off). Either finding fails the rule; the scoring then zeroes the exercise.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

FORBIDDEN = re.compile(
    r"^(conv[123]d|conv_transpose[123]d|convolution|_convolution\w*|\w*_convolution\w*|conv_tbc"
    r"|im2col|col2im|unfold|fold|Conv[123]d|ConvTranspose[123]d|Unfold|Fold|LazyConv[123]d"
    r"|correlate2d|convolve2d|sliding_window_view)$"
)
TAMPERING = re.compile(
    r"^(DisableTorchFunction\w*|_pop_mode\w*|_pop_torch_function_stack|_set_torch_function_mode"
    r"|_disable_current_modes|_len_torch_function_stack|_get_current_function_mode\w*)$"
)
MAX_SOURCE = 1 << 20


@dataclass(frozen=True)
class Finding:
    name: str
    line: int | None
    tampering: bool = False


def forbidden_calls(calls: dict[str, int]) -> list[str]:
    """Torch functions from the call trace that compute a convolution or its unfolding."""
    return sorted(name for name in calls if FORBIDDEN.match(name.rsplit(".", 1)[-1]))


def _names_in(node: ast.AST) -> list[tuple[str, int]]:
    found = []
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute):
            found.append((child.attr, child.lineno))
        elif isinstance(child, ast.Name):
            found.append((child.id, child.lineno))
        elif isinstance(child, ast.alias):
            found.append((child.name.rsplit(".", 1)[-1], getattr(child, "lineno", 0)))
            if child.asname:
                found.append((child.asname, getattr(child, "lineno", 0)))
        elif isinstance(child, ast.Constant) and isinstance(child.value, str) and len(child.value) < 80:
            found.append((child.value.strip(), child.lineno))
    return found


def _relevant_nodes(tree: ast.Module, function: str) -> list[ast.AST]:
    """The function itself, the top-level helpers it calls (transitively), and module-level code."""
    defs = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))}
    chosen: list[ast.AST] = [
        n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
    ]
    pending, seen = [function], set()
    while pending:
        name = pending.pop()
        if name in seen or name not in defs:
            continue
        seen.add(name)
        chosen.append(defs[name])
        pending.extend(n.id for n in ast.walk(defs[name]) if isinstance(n, ast.Name))
    return chosen


def forbidden_in_source(source: str, function: str) -> list[Finding]:
    """Names of torch convolution/unfold operators (or of ways to blind the recorder) in the code of `function`."""
    if len(source) > MAX_SOURCE:
        return []
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    _strip_docstrings(tree)
    findings = []
    own = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))}
    for node in _relevant_nodes(tree, function):
        for name, line in _names_in(node):
            if name in own:
                continue
            if FORBIDDEN.match(name):
                findings.append(Finding(name, line))
            elif TAMPERING.match(name):
                findings.append(Finding(name, line, tampering=True))
    unique = {(f.name, f.line, f.tampering): f for f in findings}
    return sorted(unique.values(), key=lambda f: (f.line or 0, f.name))


def _strip_docstrings(tree: ast.Module) -> None:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
                if isinstance(body[0].value.value, str):
                    body[0] = ast.Pass()
