"""The unit as an Otter Assign master notebook.

One question per exercise file, each with its prompt (the Markdown of the unit's notebook), its
solution (between `# BEGIN SOLUTION` / `# END SOLUTION`, which Otter turns into `...`) and its test
cases: every public test as a visible case worth 0 points, every hidden CPU test as a hidden case
worth its own points, so the total is the hidden suite's. Test cells are Otter's exception-based
format: one function of `env` (the notebook's globals) holding the kit's test function verbatim,
which `autograder.jupyter.graded.require` runs on the student's objects, together with the
exercise's gates. Each cell also calls its function, so running the master validates the tests on
the solutions; Otter Assign needs the master executed in any case, and runs the tests again on the
solutions itself (`run_tests: true`).

The test cases need the kit, and the notebook needs `otter`: the master's folder holds the student
wheel and a requirements.txt that Otter puts into its autograder's environment (torch from PyTorch's
CPU index, numpy, the wheel, which Otter ships in the zip's files/), and the notebook's first code
cell installs the wheel and otter-grader where the student's kernel has only torch. Otter's own
initialisation cell would import otter before that, so the master writes its own after it.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from autograder.bundles import ipynb, wheel
from autograder.bundles.gradescope import DEFAULT_TORCH, DEFAULT_TORCH_INDEX
from autograder.bundles.language import require
from autograder.bundles.notebooks import install_cell_source
from autograder.bundles.sections import OTTER_MARKERS, Section, read_sections, solution_renderer
from autograder.bundles.suites import SuiteModule, SuiteTest, read_suite
from autograder.i18n import catalogue, msg
from autograder.unit import Unit

MESSAGES = ("notebook.", "stub.", "otter.", "kernel.", "test.")
OTTER_REQUIREMENT = "otter-grader==7.0.0"
"""What the student's kernel needs for `grader.check`, the version `make otter-env` grades with."""
REQUIREMENTS = "requirements.txt"
FILES_IN_ZIP = "/autograder/source/files"
"""Where Gradescope finds the files Otter puts into its autograder zip (`files:` of the config)."""
CONFIG = """# ASSIGNMENT CONFIG
name: {assignment}
init_cell: false
check_all_cell: false
export_cell: false
run_tests: true
requirements: {requirements}
files:
  - {wheel}
tests:
  ok_format: false
"""
INIT = 'import otter\n\ngrader = otter.Notebook("{notebook}")'


CPU_TORCH = f"{DEFAULT_TORCH}+cpu"
"""The CPU build by its own version label: with PyPI still in reach (Otter's own packages come from
there), a bare `torch==X` could resolve to PyPI's CUDA build."""


def requirements() -> str:
    """The grading environment's pip requirements, beyond otter-grader (Otter adds it)."""
    lines = [f"--extra-index-url {DEFAULT_TORCH_INDEX}", CPU_TORCH, "numpy", f"{FILES_IN_ZIP}/{wheel.FILE_NAME}"]
    return "\n".join(lines) + "\n"


def question_name(section: Section) -> str:
    return "_".join(section.tags)


def _identifier(text: str) -> str:
    return re.sub(r"\W+", "_", text).strip("_")


def test_cell(kind: str, module: SuiteModule, test: SuiteTest, gates: list[SuiteTest], lang: str) -> str:
    """One Otter test case: config, then a function of `env` that runs `test` (after `gates`)."""
    name = f"test_{kind}_{_identifier(test.grading.exercise)}_{test.name.removeprefix('test_')}"
    title = msg(test.grading.name).render(lang)
    comment = "# " + catalogue(lang).text(f"otter.{kind}", exercise=test.grading.exercise, title=title)
    body = [
        comment,
        module.preamble,
        *(gate.source for gate in gates),
        test.source,
        "from autograder.jupyter.graded import require",
        f'require(env, {test.name}, gates=[{", ".join(g.name for g in gates)}], lang="{lang}")',
    ]
    hidden = kind == "hidden"
    points = test.grading.points if hidden else 0
    config = f'""" # BEGIN TEST CONFIG\npoints: {points:g}\nhidden: {str(hidden).lower()}\n""" # END TEST CONFIG'
    function = f"def {name}(env):\n" + textwrap.indent("\n\n".join(body), "    ")
    return f"{config}\n{function}\n\n\n{name}(globals())"


def _tests(section: Section, public: list[SuiteModule], hidden: list[SuiteModule], lang: str) -> list[str]:
    cells = []
    for kind, suite in (("public", public), ("hidden", hidden)):
        for tag in section.tags:
            for module in suite:
                tests = module.of(tag)
                gates = [t for t in tests if t.grading.gate] if kind == "hidden" else []
                cells += [test_cell(kind, module, t, gates, lang) for t in tests if not t.grading.gate]
    return cells


def master_notebook(unit: Unit, lang: str, wheel_url: str = "") -> str:
    require(lang, *MESSAGES)
    cat = catalogue(lang)
    sections = read_sections(unit, solution_renderer(lang, OTTER_MARKERS))
    public, hidden = read_suite(unit, "public"), read_suite(unit, "hidden")
    assignment = unit.notebook.removesuffix(".ipynb")
    config = CONFIG.format(assignment=assignment, requirements=REQUIREMENTS, wheel=wheel.FILE_NAME)
    cells = [
        ipynb.raw(config, "config"),
        ipynb.markdown(cat.text(f"{unit.name}.notebook.intro"), "intro"),
        ipynb.code(install_cell_source(lang, wheel_url, (("otter", OTTER_REQUIREMENT),)), "install"),
        ipynb.code(INIT.format(notebook=unit.notebook), "init"),
        ipynb.code(sections.imports, "setup"),
    ]
    for section in sections.sections:
        name, module = question_name(section), section.module
        cells += [
            ipynb.raw(f"# BEGIN QUESTION\nname: {name}\n", f"{module}-begin"),
            ipynb.markdown(cat.text(f"notebook.section.{module}"), f"{module}-text"),
            ipynb.raw("# BEGIN SOLUTION\n", f"{module}-solution-begin"),
            *(ipynb.code(d, f"{module}-{n}") for n, d in enumerate(section.definitions, start=1)),
            ipynb.raw("# END SOLUTION\n", f"{module}-solution-end"),
            ipynb.raw("# BEGIN TESTS\n", f"{module}-tests-begin"),
            *(ipynb.code(t, f"{module}-test-{n}") for n, t in enumerate(_tests(section, public, hidden, lang), 1)),
            ipynb.raw("# END TESTS\n", f"{module}-tests-end"),
            ipynb.raw("# END QUESTION\n", f"{module}-end"),
        ]
    cells.append(ipynb.markdown(cat.text("notebook.end"), "end"))
    return ipynb.dumps(ipynb.notebook(cells))


def build(unit: Unit, lang: str, folder: Path, wheel_url: str = "") -> Path:
    """The master notebook, with the student wheel and requirements.txt beside it."""
    path = folder / unit.notebook
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(master_notebook(unit, lang, wheel_url), encoding="utf-8")
    wheel.build(lang, folder)
    (folder / REQUIREMENTS).write_text(requirements(), encoding="utf-8")
    return path
