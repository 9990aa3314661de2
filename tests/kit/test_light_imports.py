"""Commands that grade nothing start at once: the CLI and what builds a bundle import neither torch
nor pytest (torch alone takes seconds to import). Checked in a fresh interpreter, step by step."""

from __future__ import annotations

import json
import subprocess
import sys

from autograder.paths import KIT_ROOT

STEPS = {
    "the command line, every command parsed": "from autograder import cli; cli._parser()",
    **{
        f"bundles.{name}": f"import autograder.bundles.{name}"
        for name in ("gradescope", "student", "wheel", "classroom50", "notebooks")
    },
}
"""What must stay light; bundles that read the suites (nbgrader, otter) need pytest to load them."""

PROBE = """
import json, sys
heavy = {}
for step, code in json.loads(sys.argv[1]).items():
    exec(code)
    heavy[step] = sorted(name for name in ("torch", "pytest") if name in sys.modules)
print(json.dumps(heavy))
"""


def test_the_command_line_and_the_bundles_import_neither_torch_nor_pytest():
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(STEPS)], capture_output=True, text=True, cwd=KIT_ROOT, check=True
    )
    heavy = json.loads(result.stdout.splitlines()[-1])
    assert heavy == {step: [] for step in STEPS}


def test_a_command_imports_no_other_command():
    """`grade` reads neither the batch machinery nor the HTML page's templates unless it writes one."""
    others = {"autograder.commands.batch", "autograder.commands.export", "jinja2"}
    probe = "import sys\nfrom autograder import cli\ncli._parser('grade')\n"
    probe += f"print(sorted({others!r} & sys.modules.keys()))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=KIT_ROOT, check=True)
    assert result.stdout.strip() == "[]"
