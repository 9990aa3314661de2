"""The notebook of a unit for students (notebooks/<unit.notebook>, and one per language).

One notebook for the unit, not one per exercise: the exercises build on each other (a later file
imports an earlier one), the way the text does in one chapter, and one kernel holds them all. Each
code cell carries its section in its metadata, which is how the grader splits a handed-in notebook
back into the exercise files (see autograder/submission/notebook.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from autograder.authoring import STUB_FOLDERS
from autograder.bundles import ipynb
from autograder.bundles.language import require
from autograder.bundles.sections import read_sections, stub_renderer
from autograder.bundles.wheel import WHEEL_PATTERN
from autograder.i18n import DEFAULT_LANGUAGE, catalogue
from autograder.paths import KIT_ROOT
from autograder.submission.notebook import CELL_KEY, CHECK, SETUP
from autograder.unit import Unit

NOTEBOOK_FOLDERS = {lang: "notebooks" if lang == DEFAULT_LANGUAGE else f"notebooks_{lang}" for lang in STUB_FOLDERS}
"""Where `make notebooks` writes the notebook of each language, relative to the kit root."""
MESSAGES = ("notebook.", "stub.")


def in_section(section: str) -> dict[str, Any]:
    return {CELL_KEY: {"section": section}}


def check_call(tags: tuple[str, ...]) -> str:
    return "check(" + ", ".join(f'"{tag}"' for tag in tags) + ")"


def _literal(text: str) -> str:
    """A Python string literal of `text` (the catalogue's words, any language)."""
    return json.dumps(text, ensure_ascii=False)


def install_cell_source(lang: str, wheel_url: str = "", also: tuple[tuple[str, str], ...] = ()) -> str:
    """The first code cell: installs the checker's wheel when `autograder` cannot be imported.

    The wheel beside the notebook comes first (the bundle's folder, nbgrader's release, files a
    student uploaded to Colab), then `wheel_url`, which the course sets. `also` names other modules the
    notebook imports, with the requirement that provides them (Otter's `otter`). The grader leaves
    this cell out (its section is CHECK); where a notebook lost its cells' metadata, the grader
    imports the cell as part of a module, and the `__main__` guard, true only in the kernel, keeps
    it from running there (and from the reading of the exercise's rules).
    """
    cat = catalogue(lang)
    pip = '[sys.executable, "-m", "pip", "install", "--quiet", '
    failed = _literal(cat.text("notebook.install_failed", wheel="{}"))
    body = [
        f"KIT_WHEEL = {_literal(wheel_url)}  # {cat.text('notebook.install_url')}",
        "import importlib.util, pathlib, subprocess, sys",
        "",
        'if importlib.util.find_spec("autograder") is None:',
        f"    _wheels = sorted(pathlib.Path().glob({_literal(WHEEL_PATTERN)}))",
        "    _wheel = str(_wheels[-1]) if _wheels else KIT_WHEEL",
        "    if not _wheel:",
        f"        raise RuntimeError({_literal(cat.text('notebook.install_missing'))})",
        f"    _pip = subprocess.run({pip}_wheel], capture_output=True, text=True)",
        "    if _pip.returncode:",
        f'        raise RuntimeError({failed}.format(_wheel) + "\\n" + _pip.stdout + _pip.stderr)',
        f"    print({_literal(cat.text('notebook.installed', wheel='{}'))}.format(_wheel))",
    ]
    for module, requirement in also:
        body += [
            f"if importlib.util.find_spec({_literal(module)}) is None:",
            f"    subprocess.run({pip}{_literal(requirement)}], check=True)",
        ]
    body.append("importlib.invalidate_caches()")
    return "\n".join(
        [
            f"# {cat.text('notebook.install_comment')}",
            'if __name__ == "__main__":',
            *(f"    {line}" if line else "" for line in body),
        ]
    )


def student_notebook(unit: Unit, lang: str, wheel_url: str = "") -> str:
    """The notebook's JSON text: the text's context, the stubs cell by cell, a check under each.

    `wheel_url` is where the install cell gets the checker's wheel when none is beside the notebook.
    """
    require(lang, *MESSAGES)
    cat = catalogue(lang)
    sections = read_sections(unit, stub_renderer(lang))
    cells = [
        ipynb.markdown(cat.text(f"{unit.name}.notebook.intro"), "intro"),
        ipynb.markdown(cat.text(f"{unit.name}.notebook.how"), "how"),
        ipynb.markdown(cat.text("notebook.setup"), "setup-text"),
        ipynb.code(install_cell_source(lang, wheel_url), "install", in_section(CHECK)),
        ipynb.code(f"{sections.imports}\n\nfrom autograder import check", "setup", in_section(SETUP)),
    ]
    for section in sections.sections:
        cells.append(ipynb.markdown(cat.text(f"notebook.section.{section.module}"), f"{section.module}-text"))
        for number, definition in enumerate(section.definitions, start=1):
            cells.append(ipynb.code(definition, f"{section.module}-{number}", in_section(section.module)))
        comment = "# " + cat.text("notebook.check_comment", exercises=", ".join(section.tags))
        cells.append(ipynb.code(f"{comment}\n{check_call(section.tags)}", f"{section.module}-check", in_section(CHECK)))
    cells.append(ipynb.markdown(cat.text("notebook.end"), "end"))
    return ipynb.dumps(ipynb.notebook(cells, {CELL_KEY: {"lang": lang}}))


def notebook_path(unit: Unit, lang: str, root: Path = KIT_ROOT) -> Path:
    return root / NOTEBOOK_FOLDERS[lang] / unit.notebook


def write_notebook(unit: Unit, lang: str, root: Path = KIT_ROOT) -> Path:
    path = notebook_path(unit, lang, root)
    text = student_notebook(unit, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def out_of_step(unit: Unit, lang: str, root: Path = KIT_ROOT) -> bool:
    """Whether the committed notebook differs from what `make notebooks` would write."""
    path = notebook_path(unit, lang, root)
    return not path.exists() or path.read_text(encoding="utf-8") != student_notebook(unit, lang)
