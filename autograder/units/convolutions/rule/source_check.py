"""The rule's reading of the source: the code of an exercise that can run in grading, in every file it imports.

Read judge-side, never executed. Two parts of a file matter, for different reasons:
- code that can run during a graded call: the graded name, what it reaches (its helpers, methods, the
  module-level names it uses and the statements that bind or change them, monkeypatches of anything),
  and in the files it imports what it takes from them (the whole file where a module is passed around);
- code that runs at import (module-level statements, class bodies, decorators, default values and the
  functions they call): it cannot compute an answer for inputs it never sees, but it can blind the
  recorder, patch PyTorch or load code the reading never sees.
Every finding counts in the first part; in the second, only the ways to blind the recorder and the
constructs the reading cannot follow, so a demo of nn.Conv2d at import or in a test class costs
nothing (what it leaves behind for a call is in the first part, and the recorder sees what a call
runs). Not graded: the body of `if __name__ == "__main__":` (the worker imports the module, so
`__name__` is never "__main__"), functions nothing reaches, docstrings and comments.

Findings come in four kinds, in the order of their weight: a PyTorch convolution named (`convolution`),
a Fourier transform named (`fourier`), a way to blind the grader's recorder named (`tampering`), and
code whose effect a reading cannot establish (`unverifiable`: exec, a computed attribute name, native
code, frames, threads, ...). The reading fails closed: a file too large, unparsable or in another
encoding is `unverifiable`, never passed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeGuard

from autograder.units.convolutions import UNIT
from autograder.units.convolutions.rule import forbidden

MAX_SOURCE = 256 * 1024
"""Characters of one file the reading accepts; a longer file cannot be verified (a solution is ~1 KiB)."""
KINDS = ("convolution", "fourier", "tampering", "unverifiable")

UNVERIFIABLE_BUILTINS: dict[str, str] = {
    "exec": "dynamic_code",
    "eval": "dynamic_code",
    "compile": "dynamic_code",
    "__import__": "dynamic_code",
    "breakpoint": "dynamic_code",
    "globals": "introspection",
    "locals": "introspection",
    "vars": "introspection",
    "open": "files",
}
"""Built-in functions whose effect a reading cannot follow (as bare names: `model.eval()` is no eval)."""
UNVERIFIABLE_ATTRIBUTES: dict[str, str] = {
    **dict.fromkeys(
        (
            "_getframe",
            "_current_frames",
            "settrace",
            "setprofile",
            "f_back",
            "f_globals",
            "f_locals",
            "f_builtins",
            "f_code",
            "tb_frame",
            "gi_frame",
            "gi_code",
            "cr_frame",
            "ag_frame",
            "__code__",
            "__globals__",
            "__closure__",
            "__builtins__",
            "__subclasses__",
            "__dict__",
            "__getattribute__",
            "__setattr__",
            "__delattr__",
            "__reduce__",
            "__reduce_ex__",
            "meta_path",
            "path_hooks",
        ),
        "introspection",
    ),
    **dict.fromkeys(("system", "popen", "fork", "forkpty", "posix_spawn", "posix_spawnp"), "processes"),
    **dict.fromkeys(("start_new_thread", "start_new"), "processes"),
    **dict.fromkeys(("_dynamo", "_inductor", "cpp_extension", "load_inline", "load_library"), "compiled"),
    "fdopen": "files",
    "__getattr__": "dynamic_attribute",
}
"""Attributes (and names) whose use the reading cannot follow: frames, other processes, native code."""
UNVERIFIABLE_MODULES: dict[str, str] = {
    **dict.fromkeys(("importlib", "imp", "runpy", "code", "codeop", "pkgutil", "zipimport", "types"), "dynamic_code"),
    **dict.fromkeys(("gc", "inspect", "builtins", "__main__"), "introspection"),
    **dict.fromkeys(("ctypes", "_ctypes", "cffi", "mmap"), "native_code"),
    # torch.library registers kernels for operators, a fallthrough past the recorder among them (the
    # grader's own narrowing, autograder.sandbox.observer): what an operator then runs cannot be read.
    "library": "kernels",
    **dict.fromkeys(
        ("threading", "_thread", "multiprocessing", "concurrent", "asyncio", "subprocess", "pty", "signal"),
        "processes",
    ),
    **dict.fromkeys(
        ("pickle", "_pickle", "cPickle", "marshal", "dill", "cloudpickle", "copyreg", "shelve"), "serialization"
    ),
    **dict.fromkeys(("io", "pathlib", "fcntl", "tempfile", "shutil"), "files"),
}
"""Modules whose use the reading cannot follow, flagged where they are imported."""
COMMON_WORDS = frozenset({"code", "types", "io", "signal", "builtins", "__main__", "library"})
"""Module names that are also everyday attribute names (`error.code`): flagged only when imported."""
UNVERIFIABLE_DOTTED: dict[str, str] = {
    "torch.compile": "compiled",
    "torch.library": "kernels",
    "torch.load": "serialization",
    "torch.jit.load": "serialization",
    "torch.package": "serialization",
    "torch.hub": "serialization",
    "os.open": "files",
    "io.open": "files",
}
"""Qualified names (aliases resolved) that load or compile code the reading never sees."""
_EXEC_PREFIX = re.compile(r"^(exec|spawn)[lv]p?e?$")
DYNAMIC_ATTRIBUTES = frozenset({"getattr", "setattr", "delattr"})
ATTRIBUTE_GETTERS = frozenset({"attrgetter", "methodcaller"})
SYSTEM_PATHS = re.compile(r"/proc/|/dev/|/sys/")
ENCODING_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.MULTILINE)
UTF8_NAMES = frozenset({"utf-8", "utf8", "utf_8", "utf-8-sig", "utf_8_sig", "ascii", "us-ascii"})


@dataclass(frozen=True)
class Finding:
    kind: str
    """convolution, fourier, tampering or unverifiable."""
    name: str
    """The name found (conv2d, exec, ...), or for a file that cannot be read, why (too_large, ...)."""
    file: str
    line: int | None
    reason: str = ""
    """For unverifiable findings: dynamic_code, introspection, native_code, ... (a catalogue key)."""


def graded_name(exercise: str) -> str:
    """The function or class the worker is asked for: the exercise's tag."""
    return exercise


def read_exercise(sources: dict[str, str], exercise: str) -> list[Finding]:
    """Every finding in the code of `exercise` that can affect grading, file by file, weightiest first."""
    first = UNIT.file_of(exercise)
    wanted: dict[str, _Roots] = {first: _Roots({graded_name(exercise)}, set())}
    done: dict[str, _Roots] = {}
    readings: dict[str, _FileReading] = {}
    while True:
        pending = [f for f in wanted if f in sources and (f not in done or wanted[f].beyond(done[f]))]
        if not pending:
            break
        file = pending[0]
        done[file] = wanted[file]
        readings[file] = reading = _FileReading(file, sources[file], done[file])
        for imported, roots in reading.imports(set(sources)):
            wanted[imported] = wanted.get(imported, _Roots(set(), set())).merged(roots)
    findings = [finding for reading in readings.values() for finding in reading.findings]
    unique = {(f.kind, f.name, f.file, f.line): f for f in findings}
    return sorted(unique.values(), key=lambda f: (KINDS.index(f.kind), f.file != first, f.file, f.line or 0, f.name))


@dataclass(frozen=True)
class _Roots:
    """The names of one file that graded calls use (`call`) and that importing code uses (`at_import`);
    None: any of its names."""

    call: set[str] | None
    at_import: set[str] | None

    def merged(self, other: _Roots) -> _Roots:
        return _Roots(_union(self.call, other.call), _union(self.at_import, other.at_import))

    def beyond(self, done: _Roots) -> bool:
        """Whether these roots reach beyond those a file was read for."""
        return _wider(self.call, done.call) or _wider(self.at_import, done.at_import)


def _union(first: set[str] | None, second: set[str] | None) -> set[str] | None:
    return None if first is None or second is None else first | second


def _wider(wanted: set[str] | None, done: set[str] | None) -> bool:
    """Whether `wanted` roots reach beyond `done` (None: the whole file)."""
    if done is None:
        return False
    return wanted is None or not wanted <= done


class _FileReading:
    """One file: its graded code, the names it binds itself, and what it names."""

    def __init__(self, file: str, source: str, roots: _Roots) -> None:
        self.file = file
        self.findings: list[Finding] = []
        self.call_code: list[ast.AST] = []
        self.import_code: list[ast.AST] = []
        tree = self._parse(source)
        if tree is None:
            return
        self.module_aliases = _module_aliases(tree)
        self.own = _bound_names(tree)
        self.call_code, self.import_code = _graded_code(tree, roots)
        for node in self.call_code:
            for child in _walk(node):
                self._inspect(child)
        # Import-time code cannot compute an answer; it can blind the recorder or hide code.
        call_findings = len(self.findings)
        for node in self.import_code:
            for child in _walk(node):
                self._inspect(child)
        self.findings[call_findings:] = [
            f for f in self.findings[call_findings:] if f.kind not in ("convolution", "fourier")
        ]

    def _parse(self, source: str) -> ast.Module | None:
        if len(source) > MAX_SOURCE:
            self._unverifiable(self.file, None, "too_large")
            return None
        encoded = source.encode("utf-8", errors="surrogatepass")
        cookie = ENCODING_COOKIE.search(b"\n".join(encoded.splitlines()[:2]))
        if cookie and cookie.group(1).decode("ascii", "replace").lower() not in UTF8_NAMES:
            self._unverifiable(cookie.group(1).decode("ascii", "replace"), 1, "encoding")
            return None
        try:
            return ast.parse(source.removeprefix("\ufeff"), filename=self.file)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            self._unverifiable(self.file, getattr(error, "lineno", None), "unparsable")
            return None

    def imports(self, files: set[str]) -> Iterator[tuple[str, _Roots]]:
        """The submission's own files that graded or importing code imports, with the names each part
        takes from them (None: the module itself, so any of its names)."""
        for nodes, part in ((self.call_code, "call"), (self.import_code, "at_import")):
            for imported, names in self._imports_of(nodes, files):
                yield imported, _Roots(names, set()) if part == "call" else _Roots(set(), names)

    def _imports_of(self, nodes: list[ast.AST], files: set[str]) -> Iterator[tuple[str, set[str] | None]]:
        for node in nodes:
            for child in _walk(node):
                if isinstance(child, ast.Import):
                    for alias in child.names:
                        bound = alias.asname or alias.name
                        used = self._used_from(bound, nodes) if "." not in alias.name else None
                        yield from ((f, used) for f in _files_of(alias.name, files))
                elif isinstance(child, ast.ImportFrom):
                    names = {alias.name for alias in child.names}
                    if child.module:
                        taken = None if "*" in names else names
                        yield from ((f, taken) for f in _files_of(child.module, files))
                        for name in names:
                            yield from ((f, None) for f in _files_of(f"{child.module}.{name}", files))
                    else:
                        for name in names:
                            yield from ((f, None) for f in _files_of(name, files))

    @staticmethod
    def _used_from(module: str, nodes: list[ast.AST]) -> set[str] | None:
        """The attributes `nodes` take from an imported module (`helper.go` -> {"go"}); None when the
        module itself is passed around, so any of its names may run."""
        names = [n for node in nodes for n in _walk(node) if isinstance(n, ast.Name) and n.id == module]
        taken = [
            n.attr
            for node in nodes
            for n in _walk(node)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == module
        ]
        return set(taken) if len(taken) == len(names) else None

    # -- what a node names
    def _inspect(self, node: ast.AST) -> None:
        line = getattr(node, "lineno", None)
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Store) and node.id == "__name__":
                self._unverifiable("__name__", line, "introspection")
            elif node.id not in self.own:
                self._name(node.id, line, bare=True)
        elif isinstance(node, ast.Attribute):
            self._attribute(node, line)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                self._module(alias.name, line)
        elif isinstance(node, ast.ImportFrom):
            self._module(node.module or "", line)
            for alias in node.names:
                if node.module == "sys" and alias.name == "modules":
                    self._finding("tampering", "sys.modules", line)
                self._name(alias.name, line)
                self._module(alias.name, line)
        elif isinstance(node, ast.Call):
            self._call(node, line)
        elif isinstance(node, ast.MatchClass):
            for attribute in node.kwd_attrs:
                self._name(attribute, line)
        elif isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            self._text(node.value if isinstance(node.value, str) else node.value.decode("latin-1"), line)

    def _module(self, dotted: str, line: int | None) -> None:
        for part in filter(None, dotted.split(".")):
            self._name(part, line)
            if part in UNVERIFIABLE_MODULES:
                self._unverifiable(part, line, UNVERIFIABLE_MODULES[part])

    def _attribute(self, node: ast.Attribute, line: int | None) -> None:
        dotted = self._dotted(node)
        if dotted == "sys.modules":
            self._finding("tampering", "sys.modules", line)
        elif dotted in UNVERIFIABLE_DOTTED:
            self._unverifiable(dotted, line, UNVERIFIABLE_DOTTED[dotted])
        elif isinstance(node.value, ast.Name) and node.value.id in ("self", "cls") and node.attr in self.own:
            return
        else:
            self._name(node.attr, line)
            if node.attr in UNVERIFIABLE_MODULES and node.attr not in COMMON_WORDS:
                self._unverifiable(node.attr, line, UNVERIFIABLE_MODULES[node.attr])

    def _call(self, node: ast.Call, line: int | None) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in self.own:
            return
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if called in DYNAMIC_ATTRIBUTES:
            name = node.args[1] if len(node.args) >= 2 else None
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                self._name(name.value, line)
            else:
                self._unverifiable(called, line, "dynamic_attribute")
        elif called in ATTRIBUTE_GETTERS:
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if not texts or len(texts) != len(node.args):
                self._unverifiable(called, line, "dynamic_attribute")
            for text in texts:
                for part in text.split("."):
                    self._name(part, line)

    def _name(self, name: str, line: int | None, bare: bool = False) -> None:
        """What one name is: a convolution, a Fourier transform, a way to blind the recorder, or a
        construct the reading cannot follow."""
        if name in forbidden.convolution_names():
            self._finding("convolution", name, line)
        elif name in forbidden.fourier_names():
            self._finding("fourier", name, line)
        elif name in forbidden.recorder_names() or name == "autograder":
            self._finding("tampering", name, line)
        elif name == "_C":
            self._unverifiable("torch._C", line, "introspection")
        elif bare and name in UNVERIFIABLE_BUILTINS:
            self._unverifiable(name, line, UNVERIFIABLE_BUILTINS[name])
        elif bare and name in DYNAMIC_ATTRIBUTES | ATTRIBUTE_GETTERS:
            self._unverifiable(name, line, "dynamic_attribute")
        elif name in UNVERIFIABLE_ATTRIBUTES:
            self._unverifiable(name, line, UNVERIFIABLE_ATTRIBUTES[name])
        elif _EXEC_PREFIX.match(name):
            self._unverifiable(name, line, "processes")

    def _text(self, text: str, line: int | None) -> None:
        """A string names what it holds as a whole, or as a call or attribute inside code (`torch.conv2d(`)."""
        stripped = text.strip()
        if stripped.isidentifier():
            if stripped not in self.own:
                self._name(stripped, line)
        else:
            for first, second in _CODE_NAME.findall(text):
                self._name(first or second, line)
        if SYSTEM_PATHS.search(text):
            self._unverifiable(stripped[:60], line, "files")

    def _dotted(self, node: ast.AST) -> str:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name):
            parts.append(self.module_aliases.get(node.id, node.id))
        return ".".join(reversed(parts))

    def _finding(self, kind: str, name: str, line: int | None) -> None:
        self.findings.append(Finding(kind, name, self.file, line))

    def _unverifiable(self, name: str, line: int | None, reason: str) -> None:
        self.findings.append(Finding("unverifiable", name, self.file, line, reason))


_CODE_NAME = re.compile(r"\.\s*([A-Za-z_]\w*)|([A-Za-z_]\w*)\s*\(")


def _files_of(module: str, files: set[str]) -> list[str]:
    """The submission's file(s) a dotted module name imports: `a.b` is a/b.py or a/b/__init__.py."""
    path = module.replace(".", "/")
    return [c for c in (f"{path}.py", f"{path}/__init__.py") if c in files]


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    """ast.walk without bare string statements (docstrings): they do nothing."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Expr) and isinstance(current.value, ast.Constant):
            if isinstance(current.value.value, str):
                continue
        yield current
        stack.extend(ast.iter_child_nodes(current))


def _is_main_guard(node: ast.stmt) -> TypeGuard[ast.If]:
    """`if __name__ == "__main__":` (either way round)."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    mains = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return len(names) == 1 and len(mains) == 1


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _graded_code(tree: ast.Module, roots: _Roots) -> tuple[list[ast.AST], list[ast.AST]]:
    """The parts of a module that can run during a graded call of `roots.call`, and those that run when
    the worker imports it (with the functions `roots.at_import` names); None: the whole file."""
    body: list[ast.stmt] = []
    for statement in tree.body:
        if _is_main_guard(statement):
            body.extend(statement.orelse)
        else:
            body.append(statement)
    if roots.call is None:
        return list(body), []
    definitions = {s.name: s for s in body if isinstance(s, DEFINITIONS)}
    statements = [s for s in body if not isinstance(s, DEFINITIONS)]
    at_import = _run_at_import(body, definitions, roots.at_import)
    data = {name for s in statements if not isinstance(s, (ast.Import, ast.ImportFrom)) for name in _binds(s)}
    # Each unit of import-time code: a statement, or what running a def or class statement runs.
    units = [(s, [s]) for s in statements] + [
        (d, [d] if name in at_import else _signature_parts(d)) for name, d in definitions.items()
    ]
    chosen: list[ast.AST] = []
    reached: set[str] = set()
    patchers: set[str] = set()
    pending = list(roots.call)
    while True:
        while pending:
            name = pending.pop()
            if name in reached:
                continue
            reached.add(name)
            for node in [definitions[name]] if name in definitions else []:
                chosen.append(node)
                pending.extend(_loaded_names([node]))
            for statement in statements:
                if name in _binds(statement) and statement not in chosen:
                    chosen.append(statement)
                    pending.extend(_loaded_names([statement]))
        # What import-time code leaves behind for a call: a patched object, a changed global, and what
        # it hands to code that does so (`register(fn)`, `@register`).
        changing = [
            owner
            for owner, nodes in units
            if owner not in chosen
            and (
                any(_changes_state(node, reached & data) for node in nodes)
                or not patchers.isdisjoint(_loaded_names(nodes))
            )
        ]
        if not changing:
            break
        for owner in changing:
            chosen.append(owner)
            if isinstance(owner, DEFINITIONS):
                patchers.add(owner.name)
            pending.extend(_loaded_names([owner]))
    import_code: list[ast.AST] = [s for s in statements if s not in chosen]
    for definition in body:
        if isinstance(definition, DEFINITIONS) and definition not in chosen:
            import_code.extend([definition] if definition.name in at_import else _signature_parts(definition))
    return chosen, import_code


def _run_at_import(body: list[ast.stmt], definitions: Mapping[str, ast.stmt], roots: set[str] | None) -> set[str]:
    """The module's functions and classes that importing it runs (or that importing code takes)."""
    import_time: list[ast.AST] = [s for s in body if not isinstance(s, DEFINITIONS)]
    for definition in definitions.values():
        import_time.extend(_signature_parts(definition))
    pending = [*_loaded_names(import_time), *(definitions if roots is None else roots)]
    run: set[str] = set()
    while pending:
        name = pending.pop()
        if name in run or name not in definitions:
            continue
        run.add(name)
        pending.extend(_loaded_names([definitions[name]]))
    return run


def _signature_parts(definition: ast.stmt) -> list[ast.AST]:
    """What runs when a def or class statement runs: decorators, defaults, annotations, base classes,
    and a class body's own statements (its methods' bodies only when called)."""
    parts: list[ast.AST] = list(getattr(definition, "decorator_list", []))
    if isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parts.extend(d for d in (*definition.args.defaults, *definition.args.kw_defaults) if d is not None)
        parts.extend(a.annotation for a in _arguments(definition.args) if a.annotation is not None)
        if definition.returns is not None:
            parts.append(definition.returns)
    elif isinstance(definition, ast.ClassDef):
        parts.extend(definition.bases)
        parts.extend(keyword.value for keyword in definition.keywords)
        for statement in definition.body:
            parts.extend(_signature_parts(statement) if isinstance(statement, DEFINITIONS) else [statement])
    return parts


def _binds(statement: ast.stmt) -> set[str]:
    """The module-level names a statement binds (imports, assignments, loops, defs nested in blocks)."""
    bound: set[str] = set()
    stack: list[ast.AST] = [statement]
    while stack:
        node = stack.pop()
        if isinstance(node, DEFINITIONS) and node is not statement:
            bound.add(node.name)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        if not isinstance(node, ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))
    return bound


def _changes_state(node: ast.AST, globals_used: set[str]) -> bool:
    """Whether import-time code can leave something behind for a call: it stores into an attribute or
    an item of an object it does not own, calls setattr, declares a global, or touches a module-level
    variable the graded code uses."""
    local: set[str] = set()
    if isinstance(node, DEFINITIONS):
        local = {n.arg for n in ast.walk(node) if isinstance(n, ast.arg)}
        local |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    for child in ast.walk(node):
        if isinstance(child, (ast.Global, ast.Nonlocal)):
            return True
        if isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id == "setattr":
            return True
        if isinstance(child, (ast.Attribute, ast.Subscript)) and isinstance(child.ctx, (ast.Store, ast.Del)):
            base = child.value
            while isinstance(base, (ast.Attribute, ast.Subscript)):
                base = base.value
            if not (isinstance(base, ast.Name) and base.id in local):
                return True
        if isinstance(child, ast.Name) and child.id in globals_used and child.id not in local:
            return True
    return False


def _arguments(arguments: ast.arguments) -> list[ast.arg]:
    extra = [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, *extra]


SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _loaded_names(nodes: Sequence[ast.AST]) -> list[str]:
    """The names `nodes` take from the module or the built-ins: what a function loads and does not bind
    itself (its arguments and local variables are not the module's)."""
    return [name for node in nodes for name in _free_names(node)]


def _free_names(node: ast.AST) -> set[str]:
    loaded: set[str] = set()
    bound: set[str] = set()
    declared: set[str] = set()
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        if isinstance(child, SCOPES):
            loaded |= _free_names(child)
            if not isinstance(child, ast.Lambda):
                bound.add(child.name)
            continue
        if isinstance(child, ast.Name):
            (loaded if isinstance(child.ctx, ast.Load) else bound).add(child.id)
        elif isinstance(child, ast.arg):
            bound.add(child.arg)
        elif isinstance(child, (ast.Global, ast.Nonlocal)):
            declared.update(child.names)
        stack.extend(ast.iter_child_nodes(child))
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        loaded.add(node.id)
    if not isinstance(node, SCOPES):
        return loaded
    return loaded - (bound - declared)


def _bound_names(tree: ast.Module) -> set[str]:
    """Names the student's code binds itself (functions, classes, variables, arguments, attributes it
    sets): a student's own `unfold` helper is not PyTorch's. Imports from other modules bind nothing
    of the student's."""
    own: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            own.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            own.add(node.id)
        elif isinstance(node, ast.arg):
            own.add(node.arg)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                own.add(node.attr)
    own.discard("__name__")
    return own


def _module_aliases(tree: ast.Module) -> dict[str, str]:
    """`import torch as t` -> {"t": "torch"}; `from torch import jit as j` -> {"j": "torch.jit"}."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases
