"""The unit's own mutation operators, beside the first unit's generic ones.

This unit's solutions flip and transpose whole matrices (a kernel, an image, a result), call each other
with several positional arguments, test truth with `|`, `any` and `not`, and write kernels as float
constants: the mistakes a student makes there are a flip or transpose too many or too few, arguments
in the wrong order, the other triangle, a lost `abs`, and a wrong number in a kernel.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeGuard, TypeVar

from autograder.units.convolutions.mutants import operators as generic
from autograder.units.convolutions.mutants.operators import Context, Edit, Location, Operator

N = TypeVar("N", bound=ast.AST)


def _replacing(location: Location, node: N, build: Callable[[N], ast.AST], label: str) -> Edit:
    """An edit that replaces the node by `build(node)` in the copy of the tree it is applied to, which
    holds a node of the same type at the same place; described as `before` -> `after`."""
    kind = type(node)
    after = build(copy.deepcopy(node))
    description = f"{label}: `{ast.unparse(node).splitlines()[0]}` -> `{ast.unparse(after).splitlines()[0]}`"

    def apply(loc: Location) -> None:
        copied = loc.node
        assert isinstance(copied, kind), "a copy of the tree has the same node at the same place"
        loc.replace(build(copied))

    return Edit(description, apply)


def _method(node: ast.expr, name: str, *args: ast.expr) -> ast.expr:
    return ast.Call(func=ast.Attribute(value=node, attr=name, ctx=ast.Load()), args=list(args), keywords=[])


def _method_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _is_call_to(node: ast.AST | None, *names: str) -> TypeGuard[ast.Call]:
    return isinstance(node, ast.Call) and ast.unparse(node.func) in names


def _receiver(call: ast.Call) -> ast.expr:
    """`x` of a method call `x.name(...)`."""
    assert isinstance(call.func, ast.Attribute), "a method call"
    return call.func.value


def _pairs(count: int) -> list[tuple[int, int]]:
    return [(a, b) for a in range(count) for b in range(a + 1, count)]


@dataclass(frozen=True)
class MatrixContext(Context):
    """What the unit's operators know besides the generic context."""

    matrices: frozenset[str] = field(default_factory=frozenset)
    """Names of the function's 2-D tensors (`K`, `X`, `EDGE_KERNEL`)."""
    matrix_calls: frozenset[str] = field(default_factory=frozenset)
    """Functions whose result is a 2-D tensor (`corr2d`, `diagonal_edge_image`, `torch.triu`)."""
    matrix_result: bool = False
    """The function returns a 2-D tensor: its result may come back flipped or transposed."""


def _is_matrix(location: Location, context: Context) -> bool:
    """A 2-D tensor read whole: a matrix name, a call that makes one, or the returned matrix."""
    if not isinstance(context, MatrixContext):
        return False
    node, parent = location.node, location.parent
    if isinstance(parent, ast.Attribute) and parent.attr in ("T", "flip", "transpose", "shape", "dtype", "device"):
        return False
    if isinstance(parent, ast.Subscript) and location.field == "value":
        return False
    if isinstance(parent, ast.Return):
        return context.matrix_result
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        return node.id in context.matrices
    return isinstance(node, ast.Call) and ast.unparse(node.func) in context.matrix_calls


def flip_inserted(location: Location, context: Context) -> list[Edit]:
    """A matrix read backwards along one axis or both (a kernel flipped that should not be)."""
    node = location.node
    if not isinstance(node, ast.expr) or not _is_matrix(location, context):
        return []

    def flipped(n: ast.expr, dims: ast.expr) -> ast.AST:
        return _method(n, "flip", dims)

    axes = [ast.Constant(0), ast.Constant(1), ast.Tuple([ast.Constant(0), ast.Constant(1)], ast.Load())]
    return [_replacing(location, node, partial(flipped, dims=dims), "flipped") for dims in axes]


def transpose_inserted(location: Location, context: Context) -> list[Edit]:
    """A matrix transposed that should not be (the image, the kernel or the result)."""
    node = location.node
    if not isinstance(node, ast.expr) or not _is_matrix(location, context):
        return []
    return [_replacing(location, node, lambda n: ast.Attribute(n, "T", ast.Load()), "transposed")]


def transpose_removed(location: Location, context: Context) -> list[Edit]:
    """A transpose left out: `A.T`, `A.t()` or `A.transpose(0, 1)` read as `A`."""
    node = location.node
    if isinstance(node, ast.Attribute) and node.attr in ("T", "mT") and isinstance(node.ctx, ast.Load):
        return [_replacing(location, node, lambda n: n.value, "transpose left out")]
    if _method_name(node) in ("t", "transpose") and isinstance(node, ast.Call):
        return [_replacing(location, node, _receiver, "transpose left out")]
    return []


def flip_removed(location: Location, context: Context) -> list[Edit]:
    """A flip left out (`torch.flip(K, dims=(0, 1))` read as `K`), or a transpose in its place."""
    node = location.node
    if _is_call_to(node, "torch.flip") and node.args:
        return [
            _replacing(location, node, lambda n: n.args[0], "flip left out"),
            _replacing(location, node, lambda n: ast.Attribute(n.args[0], "T", ast.Load()), "transpose for flip"),
        ]
    if _method_name(node) == "flip" and isinstance(node, ast.Call):
        return [_replacing(location, node, _receiver, "flip left out")]
    return []


def flip_axes(location: Location, context: Context) -> list[Edit]:
    """A flip along one axis only where both are meant (`dims=(0, 1)` written `dims=(0,)`)."""
    node = location.node
    if not isinstance(node, ast.keyword) or node.arg != "dims" or not isinstance(node.value, ast.Tuple):
        return []
    if len(node.value.elts) < 2:
        return []

    def kept(n: ast.keyword, index: int) -> ast.AST:
        assert isinstance(n.value, ast.Tuple), "as in the node the edit was made for"
        n.value.elts = [n.value.elts[index]]
        return n

    return [_replacing(location, node, partial(kept, index=i), "one axis flipped") for i in range(len(node.value.elts))]


def swap_arguments(location: Location, context: Context) -> list[Edit]:
    """Two positional arguments of a call exchanged (`corr2d(K, X)`, `mlp_parameters(width, height, ...)`)."""
    node = location.node
    if not isinstance(node, ast.Call) or ast.unparse(node.func) == "range" or len(node.args) < 2:
        return []

    def swapped(n: ast.Call, a: int, b: int) -> ast.AST:
        n.args[a], n.args[b] = n.args[b], n.args[a]
        return n

    return [
        _replacing(location, node, partial(swapped, a=a, b=b), "arguments swapped") for a, b in _pairs(len(node.args))
    ]


_TRIANGLES = {"torch.triu": "torch.tril", "torch.tril": "torch.triu"}


def triangle(location: Location, context: Context) -> list[Edit]:
    """The other triangle (`tril` for `triu`), or the diagonal moved (`triu(A, 1)`, `triu(A, -1)`)."""
    node = location.node
    if not isinstance(node, ast.Call) or ast.unparse(node.func) not in _TRIANGLES or len(node.args) != 1:
        return []
    other = _TRIANGLES[ast.unparse(node.func)]

    def renamed(n: ast.Call) -> ast.AST:
        n.func = ast.parse(other, mode="eval").body
        return n

    def moved(n: ast.Call, by: int) -> ast.AST:
        n.args.append(ast.Constant(by))
        return n

    return [
        _replacing(location, node, renamed, "other triangle"),
        _replacing(location, node, partial(moved, by=1), "diagonal moved"),
        _replacing(location, node, partial(moved, by=-1), "diagonal moved"),
    ]


_BITWISE: dict[type[ast.operator], type[ast.operator]] = {ast.BitOr: ast.BitAnd, ast.BitAnd: ast.BitOr}
_REDUCE = {"any": "all", "all": "any"}


def logic(location: Location, context: Context) -> list[Edit]:
    """A truth test changed: `|` and `&` exchanged, `any` and `all` exchanged, a `not` left out."""
    node = location.node
    if isinstance(node, ast.BinOp) and type(node.op) in _BITWISE:

        def exchanged(n: ast.BinOp) -> ast.AST:
            n.op = _BITWISE[type(n.op)]()
            return n

        return [_replacing(location, node, exchanged, "logic changed")]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return [_replacing(location, node, lambda n: n.operand, "not left out")]
    name = _method_name(node)
    if isinstance(node, ast.Call) and name in _REDUCE:

        def reduced(n: ast.Call, to: str) -> ast.AST:
            assert isinstance(n.func, ast.Attribute), "a method call, as the node the edit was made for"
            n.func.attr = to
            return n

        return [_replacing(location, node, partial(reduced, to=_REDUCE[name]), "logic changed")]
    return []


def drop_abs(location: Location, context: Context) -> list[Edit]:
    """A distance taken without its absolute value (`(k - i).abs()` read as `k - i`)."""
    node = location.node
    if _method_name(node) == "abs" and isinstance(node, ast.Call):
        return [_replacing(location, node, _receiver, "abs left out")]
    if _is_call_to(node, "abs") and len(node.args) == 1:
        return [_replacing(location, node, lambda n: n.args[0], "abs left out")]
    return []


def float_constant(location: Location, context: Context) -> list[Edit]:
    """A float constant doubled, halved or negated (a kernel entry, the bytes of a gigabyte); a zero made one."""
    node = location.node
    if not isinstance(node, ast.Constant) or type(node.value) is not float:
        return []
    value = node.value
    changed = [1.0] if value == 0 else [value * 2, value / 2, -value]

    def constant(n: ast.Constant, to: float) -> ast.AST:
        return ast.Constant(to)

    return [_replacing(location, node, partial(constant, to=v), "constant changed") for v in changed]


OPERATORS: dict[str, Operator] = {
    **{name: op for name, op in generic.OPERATORS.items() if name not in ("flip", "transpose")},
    "flip_inserted": flip_inserted,
    "transpose_inserted": transpose_inserted,
    "transpose_removed": transpose_removed,
    "flip_removed": flip_removed,
    "flip_axes": flip_axes,
    "swap_arguments": swap_arguments,
    "triangle": triangle,
    "logic": logic,
    "drop_abs": drop_abs,
    "float_constant": float_constant,
}
"""Every operator by name, in the order mutants are numbered: the first unit's (its flip and transpose,
which know only its correlations, replaced by this unit's), then this unit's own."""
