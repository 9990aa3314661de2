"""Generate the student stubs from the reference solutions: solutions/ is their single source.

In a solution file, docstrings are catalogue placeholders ("{doc.<name>}") and each reference body
sits between `# BEGIN SOLUTION` and `# END SOLUTION`. A stub gets the docstrings in the chosen
language and, instead of each body, a NotImplementedError whose message says what to write.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from autograder.i18n import catalogue
from autograder.unit import Unit

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
_PLACEHOLDER = re.compile(r'^(?P<indent>[ \t]*)"""\{(?P<key>[A-Za-z0-9_.]+)\}"""[ \t]*$')
STUB_FOLDERS = {"en": "exercises", "zh": "exercises_zh"}
"""Where `make exercises` writes the stubs of each language, relative to the kit root."""


class AuthoringError(ValueError):
    pass


def _enclosing_function(tree: ast.Module, line: int) -> str:
    """Qualified name (Class.method or function) of the innermost definition holding `line`."""
    best, best_span = "", None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno <= line <= (node.end_lineno or 0):
            span = (node.end_lineno or 0) - node.lineno
            if best_span is None or span < best_span:
                owner = next((c.name for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and node in c.body), None)
                best, best_span = f"{owner}.{node.name}" if owner else node.name, span
    if not best:
        raise AuthoringError(f"line {line}: a solution block must sit inside a function")
    return best


def todo_key(qualname: str) -> str:
    """Catalogue key of a function's NotImplementedError message: Layer.__init__ -> Layer_init."""
    return qualname.replace("__", "").replace(".", "_")


def _docstring(indent: str, text: str) -> list[str]:
    if '"""' in text or "\\" in text:
        raise AuthoringError('docstrings may not contain """ or backslashes')
    lines = text.strip("\n").split("\n")
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""']
    body = [f"{indent}{line}" if line else "" for line in lines[1:]]
    return [f'{indent}"""{lines[0]}', *body, f'{indent}"""']


def make_stub(source: str, lang: str, name: str = "<solution>", keep_solutions: tuple[str, str] | None = None) -> str:
    """The stub of one solution file, in language `lang`.

    With `keep_solutions` (a begin and an end marker), the reference bodies stay, between those
    markers: the instructor's view that nbgrader and Otter Assign turn into stubs themselves.
    """
    cat = catalogue(lang)
    tree = ast.parse(source, name)
    out: list[str] = []
    lines = source.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        placeholder = _PLACEHOLDER.match(line)
        if placeholder:
            out.extend(_docstring(placeholder["indent"], cat.text(f"stub.{placeholder['key']}")))
        elif line.strip() == BEGIN:
            indent = line[: len(line) - len(line.lstrip())]
            function = _enclosing_function(tree, index + 1)
            end = next((j for j in range(index + 1, len(lines)) if lines[j].strip() == END), None)
            if end is None:
                raise AuthoringError(f"{name}:{index + 1}: {BEGIN} without {END}")
            if keep_solutions is None:
                message = cat.text(f"stub.todo.{todo_key(function)}")
                out.append(f"{indent}raise NotImplementedError({message!r})")
            else:
                out += [f"{indent}{keep_solutions[0]}", *lines[index + 1 : end], f"{indent}{keep_solutions[1]}"]
            index = end
        elif line.strip() == END:
            raise AuthoringError(f"{name}:{index + 1}: {END} without {BEGIN}")
        else:
            out.append(line)
        index += 1
    return "\n".join(out)


def stubs(unit: Unit, lang: str) -> dict[str, str]:
    """File name -> stub text for every exercise file of `unit`, from its solutions."""
    result = {}
    for module in unit.modules:
        path = unit.solutions / f"{module}.py"
        result[path.name] = make_stub(path.read_text(encoding="utf-8"), lang, str(path))
    return result


def write_stubs(unit: Unit, target: Path, lang: str) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in stubs(unit, lang).items():
        path = target / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def out_of_step(unit: Unit, target: Path, lang: str) -> list[str]:
    """Exercise files in `target` that differ from what `make exercises` would write."""
    stale = []
    for name, text in stubs(unit, lang).items():
        path = target / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(str(path))
    return stale
