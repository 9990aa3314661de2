"""AST mutation operators: each proposes small edits of one node of a reference solution.

An operator looks at one node (with its place in the tree and what is known about the function
around it) and returns the edits it can make there, each with a one-line description. Edits are
applied to a fresh copy of the tree, so they build their result from the copy's own nodes.
The order of the nodes and of the edits is fixed, which keeps every mutant's id stable.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TypeGuard, TypeVar

TreePath = tuple[tuple[str, int | None], ...]
"""Where a node is in a tree: the field (and index in it) to follow from the root, one step a level."""
Replacement = ast.AST | list[ast.stmt]
N = TypeVar("N", bound=ast.AST)


@dataclass
class Location:
    """A node and where it hangs: `parent.<field>` or `parent.<field>[index]`."""

    parent: ast.AST | None
    field: str
    index: int | None
    node: ast.AST
    path: TreePath
    grandparent: ast.AST | None = None

    def replace(self, new: Replacement) -> None:
        """Put `new` in place of the node; a list of statements is spliced into the block."""
        assert self.parent is not None
        if self.index is None:
            setattr(self.parent, self.field, new)
            return
        block = getattr(self.parent, self.field)
        block[self.index : self.index + 1] = new if isinstance(new, list) else [new]

    def block(self) -> list[ast.stmt] | None:
        """The statement list the node is in, when it is a statement of a block."""
        if self.parent is None or self.index is None:
            return None
        siblings = getattr(self.parent, self.field)
        return siblings if isinstance(self.node, ast.stmt) else None


def locations(tree: ast.AST) -> Iterator[Location]:
    """Every node of `tree` in pre-order, fields in their declared order."""

    def walk(location: Location) -> Iterator[Location]:
        yield location
        node, path = location.node, location.path
        for name, value in ast.iter_fields(node):
            items = enumerate(value) if isinstance(value, list) else [(None, value)]
            for i, item in items:
                if isinstance(item, ast.AST):
                    yield from walk(Location(node, name, i, item, (*path, (name, i)), location.parent))

    yield from walk(Location(None, "", None, tree, ()))


def find(tree: ast.AST, path: TreePath) -> Location:
    """The location at `path` in `tree` (a copy of the tree the path was taken from)."""
    grandparent: ast.AST | None = None
    parent: ast.AST | None = None
    node = tree
    name, index = "", None
    for name, index in path:
        grandparent, parent = parent, node
        value = getattr(node, name)
        node = value[index] if index is not None else value
    return Location(parent, name, index, node, path, grandparent)


@dataclass(frozen=True)
class Context:
    """What an operator may know about the function around a node."""

    ndim: int
    """Dimensions of the tensors the function correlates (0 where it correlates none)."""
    tensors: frozenset[str]
    """Source text of the tensor inputs an operator may flip or transpose (`K`, `self.weight`)."""
    defaults: dict[str, ast.expr] = field(default_factory=dict)
    """Parameters with a default value: a mutant may ignore the argument and use the default."""
    siblings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Names of the same kind (i and j, k_h and k_w): a mutant may use one for the other."""
    correlation_result: bool = False
    """The function returns a correlation: its result may come back flipped or transposed."""


@dataclass(frozen=True)
class Edit:
    description: str
    apply: Callable[[Location], None]


Operator = Callable[[Location, Context], list[Edit]]


def _src(node: Replacement) -> str:
    """One line of source: a compound statement shows only its first line."""
    nodes = node if isinstance(node, list) else [node]
    lines = [ast.unparse(n).splitlines() or [""] for n in nodes]
    return "; ".join(text[0] + (" ..." if len(text) > 1 else "") for text in lines)


def _replacing(location: Location, node: N, build: Callable[[N], Replacement], label: str) -> Edit:
    """An edit that replaces the node by `build(node)`, described as `before` -> `after`. `node` is
    `location.node` as the operator has narrowed it; the copy of the tree the edit is applied to holds
    a node of the same type at the same place, which `build` receives."""
    kind = type(node)
    after = build(copy.deepcopy(node))
    description = f"{label}: `{_src(node)}` -> `{_src(after)}`"

    def apply(loc: Location) -> None:
        copied = loc.node
        assert isinstance(copied, kind), "a copy of the tree has the same node at the same place"
        loc.replace(build(copied))

    return Edit(description, apply)


def _plus(node: ast.expr, amount: int) -> ast.expr:
    op: ast.operator = ast.Add() if amount > 0 else ast.Sub()
    return ast.BinOp(left=node, op=op, right=ast.Constant(abs(amount)))


def _method(node: ast.expr, name: str, *args: ast.expr) -> ast.expr:
    return ast.Call(func=ast.Attribute(value=node, attr=name, ctx=ast.Load()), args=list(args), keywords=[])


def _is_call_to(node: ast.AST | None, *names: str) -> TypeGuard[ast.Call]:
    return isinstance(node, ast.Call) and ast.unparse(node.func) in names


def _receiver(call: ast.Call) -> ast.expr:
    """`x` of a method call `x.name(...)`."""
    assert isinstance(call.func, ast.Attribute), "a method call"
    return call.func.value


def _method_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


FACTORIES = ("torch.zeros", "torch.empty", "torch.ones")


def _bounds(location: Location) -> bool:
    """Is the node a loop bound, a slice bound, or one dimension of an allocated output?"""
    parent, node = location.parent, location.node
    if not isinstance(node, ast.expr) or parent is None:
        return False
    if _is_call_to(parent, "range") and location.field == "args":
        return True
    if isinstance(parent, ast.Slice) and location.field in ("lower", "upper"):
        return True
    if _is_call_to(parent, *FACTORIES) and location.field == "args" and location.index == 0:
        return not isinstance(node, ast.Tuple)
    return False


def _size_element(location: Location) -> bool:
    """Is the node one entry of the shape tuple given to torch.zeros (one dimension of the output)?"""
    parent, holder = location.parent, location.grandparent
    if not isinstance(parent, ast.Tuple) or location.field != "elts":
        return False
    return _is_call_to(holder, *FACTORIES) and bool(holder.args) and holder.args[0] is parent


def _off_by(amount: int) -> Operator:
    def off_by_one(location: Location, context: Context) -> list[Edit]:
        """A loop bound, slice bound or output size one too large (or one too small)."""
        node = location.node
        if not isinstance(node, ast.expr) or not (_bounds(location) or _size_element(location)):
            return []
        return [_replacing(location, node, lambda n: _plus(n, amount), f"bound {amount:+d}")]

    return off_by_one


def _constant_by(amount: int) -> Operator:
    def constant(location: Location, context: Context) -> list[Edit]:
        """An integer constant one larger (or smaller): a shape index, the `+ 1` of a size, a power."""
        node = location.node
        if not isinstance(node, ast.Constant) or type(node.value) is not int:
            return []
        value = node.value + amount
        return [_replacing(location, node, lambda n: ast.Constant(value), f"constant {amount:+d}")]

    return constant


def _pair_swaps(elements: int) -> list[tuple[int, int]]:
    return [(a, b) for a in range(elements) for b in range(a + 1, elements)]


def swap_indices(location: Location, context: Context) -> list[Edit]:
    """Two indices or slices of a subscript swapped (`Y[j, i]`, `X[j:j + k_w, i:i + k_h]`)."""
    node = location.node
    if not isinstance(node, ast.Subscript) or not isinstance(node.slice, ast.Tuple):
        return []

    def swapped(n: ast.Subscript, a: int, b: int) -> ast.AST:
        assert isinstance(n.slice, ast.Tuple), "as in the node the edit was made for"
        elts = n.slice.elts
        elts[a], elts[b] = elts[b], elts[a]
        return n

    return [
        _replacing(location, node, partial(swapped, a=a, b=b), "indices swapped")
        for a, b in _pair_swaps(len(node.slice.elts))
    ]


def swap_tuple(location: Location, context: Context) -> list[Edit]:
    """Two entries of a tuple swapped (`k_w, k_h = K.shape`, the output shape `(out_w, out_h)`)."""
    node = location.node
    if not isinstance(node, ast.Tuple) or isinstance(location.parent, ast.Subscript):
        return []

    def swapped(n: ast.Tuple, a: int, b: int) -> ast.AST:
        elts = n.elts
        elts[a], elts[b] = elts[b], elts[a]
        return n

    return [
        _replacing(location, node, partial(swapped, a=a, b=b), "tuple entries swapped")
        for a, b in _pair_swaps(len(node.elts))
    ]


def wrong_name(location: Location, context: Context) -> list[Edit]:
    """A name read where its sibling belongs (`i + k_w` for `i + k_h`, `range(out_w)` for `range(out_h)`)."""
    node = location.node
    if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load):
        return []

    def renamed(n: ast.Name, to: str) -> ast.AST:
        return ast.Name(to, ast.Load())

    return [
        _replacing(location, node, partial(renamed, to=other), "wrong name")
        for other in context.siblings.get(node.id, ())
    ]


def _flip_target(location: Location, context: Context) -> bool:
    node, parent = location.node, location.parent
    if context.ndim == 0:
        return False
    if isinstance(parent, ast.Return) and context.correlation_result:
        return isinstance(node, ast.Name)
    if not isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
        return False
    base = node.value if isinstance(node, ast.Subscript) else node
    if ast.unparse(base) not in context.tensors:
        return False
    if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Mult):
        return True
    return _is_call_to(parent, "corr2d") and location.field == "args"


def flip(location: Location, context: Context) -> list[Edit]:
    """A kernel, a window or the result read backwards along one dimension, or along all."""
    node = location.node
    if not isinstance(node, ast.expr) or not _flip_target(location, context):
        return []
    dims = [ast.Constant(d) for d in range(context.ndim)]

    def flipped(n: ast.expr, d: int) -> ast.AST:
        return _method(n, "flip", ast.Constant(d))

    edits = [_replacing(location, node, partial(flipped, d=d), "flipped") for d in range(context.ndim)]
    if context.ndim > 1:
        edits.append(
            _replacing(location, node, lambda n: _method(n, "flip", ast.Tuple(list(dims), ast.Load())), "flipped")
        )
    return edits


def transpose(location: Location, context: Context) -> list[Edit]:
    """A kernel, a window or the result with two of its axes swapped."""
    node = location.node
    if not isinstance(node, ast.expr) or not _flip_target(location, context) or context.ndim < 2:
        return []

    def transposed(n: ast.expr, a: int, b: int) -> ast.AST:
        return _method(n, "transpose", ast.Constant(a), ast.Constant(b))

    return [
        _replacing(location, node, partial(transposed, a=a, b=b), "transposed") for a, b in _pair_swaps(context.ndim)
    ]


_TERM_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)


def drop_term(location: Location, context: Context) -> list[Edit]:
    """One operand of `+ - * / **` dropped (`* K` forgotten, the bias not added, `lr` ignored)."""
    node = location.node
    if not isinstance(node, ast.BinOp) or not isinstance(node.op, _TERM_OPS):
        return []
    edits = [_replacing(location, node, lambda n: n.left, "term dropped")]
    if not isinstance(node.op, ast.Pow) and not isinstance(node.right, ast.Constant):
        edits.append(_replacing(location, node, lambda n: n.right, "term dropped"))
    return edits


def double_term(location: Location, context: Context) -> list[Edit]:
    """The right operand of `+` or `-` applied twice (the bias added twice)."""
    node = location.node
    if not isinstance(node, ast.BinOp) or not isinstance(node.op, (ast.Add, ast.Sub)):
        return []
    return [
        _replacing(
            location, node, lambda n: ast.BinOp(left=n, op=copy.deepcopy(n.op), right=copy.deepcopy(n.right)), "twice"
        )
    ]


_REDUCTIONS = {"sum": "mean", "mean": "sum"}


def reduction(location: Location, context: Context) -> list[Edit]:
    """`.sum()` and `.mean()` exchanged."""
    node = location.node
    name = _method_name(node)
    if isinstance(node, ast.Call) and name in _REDUCTIONS:

        def changed(n: ast.Call, to: str = _REDUCTIONS[name]) -> ast.AST:
            assert isinstance(n.func, ast.Attribute), "a method call, as the node the edit was made for"
            n.func.attr = to
            return n

        return [_replacing(location, node, changed, "reduction changed")]
    if _is_call_to(node, "torch.sum", "torch.mean"):
        to = "torch.mean" if ast.unparse(node.func) == "torch.sum" else "torch.sum"
        return [
            _replacing(
                location, node, lambda n: ast.Call(ast.parse(to, mode="eval").body, n.args, n.keywords), "reduction"
            )
        ]
    return []


_ARITH = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Pow: ast.Mult}
_COMPARE = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}


def operator(location: Location, context: Context) -> list[Edit]:
    """An arithmetic, in-place or comparison operator changed (`-=` to `+=`, `+` to `-`, `<` to `<=`)."""
    node = location.node
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _ARITH:

        def changed(n: ast.BinOp | ast.AugAssign) -> ast.AST:
            n.op = _ARITH[type(n.op)]()
            return n

        return [_replacing(location, node, changed, "operator changed")]
    if isinstance(node, ast.Compare):
        edits = []
        for i, op in enumerate(node.ops):
            if type(op) in _COMPARE:

                def compared(n: ast.Compare, i: int = i) -> ast.AST:
                    n.ops[i] = _COMPARE[type(n.ops[i])]()
                    return n

                edits.append(_replacing(location, node, compared, "comparison changed"))
        return edits
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return [_replacing(location, node, lambda n: n.operand, "sign dropped")]
    return []


def drop_argument(location: Location, context: Context) -> list[Edit]:
    """A keyword argument left out (`dtype=`, `device=`, `bias=False`), or an argument of `.to()`."""
    node = location.node
    if not isinstance(node, ast.Call):
        return []
    edits = []
    for i, keyword in enumerate(node.keywords):

        def without(n: ast.Call, i: int = i) -> ast.AST:
            del n.keywords[i]
            return n

        edits.append(_replacing(location, node, without, f"`{keyword.arg}=` left out"))
    if _method_name(node) == "to" and len(node.args) > 1:
        for i in range(len(node.args)):

            def without_arg(n: ast.Call, i: int = i) -> ast.AST:
                del n.args[i]
                return n

            edits.append(_replacing(location, node, without_arg, "argument of .to() left out"))
    return edits


def flip_bool(location: Location, context: Context) -> list[Edit]:
    """`True` and `False` exchanged (`bias=False` becomes `bias=True`)."""
    node = location.node
    if not isinstance(node, ast.Constant) or type(node.value) is not bool:
        return []
    return [_replacing(location, node, lambda n: ast.Constant(not n.value), "boolean flipped")]


_DROPPABLE_METHODS = ("detach", "to", "reshape", "item", "sum", "clone", "contiguous")


def drop_call(location: Location, context: Context) -> list[Edit]:
    """A call left out: a statement (`zero_grad()`, `backward()`), a method (`.detach()`, `.item()`),
    or the `nn.Parameter` wrapper."""
    node = location.node
    block = location.block()
    if block is not None and isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        return [_replacing(location, node, lambda n: [ast.Pass()] if len(block) == 1 else [], "statement removed")]
    if isinstance(node, ast.Call) and _method_name(node) in _DROPPABLE_METHODS:
        return [_replacing(location, node, _receiver, "call left out")]
    if _is_call_to(node, "nn.Parameter", "torch.nn.Parameter") and len(node.args) == 1:
        return [_replacing(location, node, lambda n: n.args[0], "call left out")]
    return []


def unwrap_block(location: Location, context: Context) -> list[Edit]:
    """A `with` statement's body run without it (the update outside `torch.no_grad()`)."""
    node = location.node
    if not isinstance(node, ast.With) or location.block() is None:
        return []
    head = ast.unparse(node).splitlines()[0]

    def unwrap(loc: Location) -> None:
        assert isinstance(loc.node, ast.With), "a copy of the tree has the same node at the same place"
        loc.replace(list(loc.node.body))

    return [Edit(f"block unwrapped: `{head}` removed", unwrap)]


def _in_block(location: Location) -> tuple[list[ast.stmt], int] | None:
    block = location.block()
    return (block, location.index) if block is not None and location.index is not None else None


def swap_statements(location: Location, context: Context) -> list[Edit]:
    """A statement and the next one in its block run in the other order (zero_grad after backward)."""
    found = _in_block(location)
    if found is None or found[1] + 1 >= len(found[0]):
        return []
    block, i = found
    first, second = ast.unparse(block[i]).splitlines()[0], ast.unparse(block[i + 1]).splitlines()[0]

    def swap(loc: Location) -> None:
        siblings = loc.block()
        assert siblings is not None
        assert loc.index is not None
        siblings[loc.index], siblings[loc.index + 1] = siblings[loc.index + 1], siblings[loc.index]

    return [Edit(f"statements swapped: `{first}` now after `{second}`", swap)]


def _assigned(statement: ast.stmt) -> set[str]:
    targets = statement.targets if isinstance(statement, ast.Assign) else []
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _read(statement: ast.stmt) -> set[str]:
    return {n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _inputs_before(block: list[ast.stmt], i: int) -> list[int]:
    """The earlier statements of `block` whose results statement `i` reads, directly or not."""
    needed = _read(block[i])
    chosen: list[int] = []
    for j in range(i - 1, -1, -1):
        if _assigned(block[j]) & needed:
            chosen.insert(0, j)
            needed |= _read(block[j])
    return chosen


def move_to_end(location: Location, context: Context) -> list[Edit]:
    """A statement of a loop body moved to the end of the body; the values it reads from earlier
    statements are computed again just before it (a loss recorded after the update)."""
    found = _in_block(location)
    if found is None or not isinstance(location.parent, ast.For) or found[1] + 1 >= len(found[0]):
        return []
    block, i = found
    head = ast.unparse(block[i]).splitlines()[0]
    again = " (its inputs computed again)" if _inputs_before(block, i) else ""

    def move(loc: Location) -> None:
        siblings = loc.block()
        assert siblings is not None
        assert loc.index is not None
        again = [copy.deepcopy(siblings[j]) for j in _inputs_before(siblings, loc.index)]
        siblings.extend([*again, siblings.pop(loc.index)])

    return [Edit(f"moved to the end of the loop body: `{head}`{again}", move)]


def duplicate_statement(location: Location, context: Context) -> list[Edit]:
    """A statement of a loop body run twice (the update applied twice, a loss appended twice)."""
    found, node = _in_block(location), location.node
    if found is None or not isinstance(location.parent, ast.For) or not isinstance(node, ast.stmt):
        return []
    return [_replacing(location, node, lambda n: [n, copy.deepcopy(n)], "statement run twice")]


def ignore_parameter(location: Location, context: Context) -> list[Edit]:
    """An argument ignored: its default value hard-coded where the parameter is read."""
    node = location.node
    if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load) or node.id not in context.defaults:
        return []
    default = context.defaults[node.id]
    return [_replacing(location, node, lambda n: copy.deepcopy(default), "argument ignored, default hard-coded")]


_FACTORY_SWAPS = {
    "torch.zeros": ("torch.ones", "torch.empty"),
    "torch.rand": ("torch.randn", "torch.zeros"),
}


def factory(location: Location, context: Context) -> list[Edit]:
    """A tensor made by another factory (`torch.empty` for `torch.zeros`, `torch.randn` for `torch.rand`)."""
    node = location.node
    if not isinstance(node, ast.Call) or ast.unparse(node.func) not in _FACTORY_SWAPS:
        return []

    def swapped(n: ast.Call, name: str) -> ast.AST:
        n.func = ast.parse(name, mode="eval").body
        return n

    return [
        _replacing(location, node, partial(swapped, name=name), "other factory")
        for name in _FACTORY_SWAPS[ast.unparse(node.func)]
    ]


# ----------------------------------------------------------------- rewrites that keep the behaviour


def commute(location: Location, context: Context) -> list[Edit]:
    """The operands of `*` or `+` exchanged: the same result, written the other way round."""
    node = location.node
    if not isinstance(node, ast.BinOp) or not isinstance(node.op, (ast.Mult, ast.Add)):
        return []
    return [_replacing(location, node, lambda n: ast.BinOp(left=n.right, op=n.op, right=n.left), "operands exchanged")]


def range_start(location: Location, context: Context) -> list[Edit]:
    """`range(n)` written `range(0, n)`."""
    node = location.node
    if not _is_call_to(node, "range") or len(node.args) != 1:
        return []
    return [_replacing(location, node, lambda n: ast.Call(n.func, [ast.Constant(0), n.args[0]], []), "explicit start")]


def new_zeros(location: Location, context: Context) -> list[Edit]:
    """`torch.zeros(shape, dtype=X.dtype, device=X.device)` written `X.new_zeros(shape)`."""
    node = location.node
    if not _is_call_to(node, "torch.zeros") or len(node.args) != 1:
        return []
    keywords = {k.arg: ast.unparse(k.value) for k in node.keywords}
    owner = keywords.get("dtype", "").removesuffix(".dtype")
    if not owner or keywords != {"dtype": f"{owner}.dtype", "device": f"{owner}.device"}:
        return []
    return [
        _replacing(
            location,
            node,
            lambda n: _method(ast.parse(owner, mode="eval").body, "new_zeros", n.args[0]),
            "same allocation",
        )
    ]


def torch_sum(location: Location, context: Context) -> list[Edit]:
    """`(a * b).sum()` written `torch.sum(a * b)`."""
    node = location.node
    if not isinstance(node, ast.Call) or _method_name(node) != "sum" or node.args or node.keywords:
        return []
    return [
        _replacing(
            location,
            node,
            lambda n: ast.Call(ast.parse("torch.sum", mode="eval").body, [_receiver(n)], []),
            "same reduction",
        )
    ]


OPERATORS: dict[str, Operator] = {
    "bound_plus_one": _off_by(+1),
    "bound_minus_one": _off_by(-1),
    "constant_plus_one": _constant_by(+1),
    "constant_minus_one": _constant_by(-1),
    "swap_indices": swap_indices,
    "swap_tuple": swap_tuple,
    "wrong_name": wrong_name,
    "flip": flip,
    "transpose": transpose,
    "drop_term": drop_term,
    "double_term": double_term,
    "reduction": reduction,
    "operator": operator,
    "drop_argument": drop_argument,
    "flip_bool": flip_bool,
    "drop_call": drop_call,
    "unwrap_block": unwrap_block,
    "swap_statements": swap_statements,
    "move_to_end": move_to_end,
    "duplicate_statement": duplicate_statement,
    "ignore_parameter": ignore_parameter,
    "factory": factory,
    "commute": commute,
    "range_start": range_start,
    "new_zeros": new_zeros,
    "torch_sum": torch_sum,
}
"""Every operator by name, in the order mutants are numbered."""
