"""What a grade loads: only what its tests use (issue 17). torch's compiler stays out of every process,
and so does the symbolic-shape module where no test runs on `meta`."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from autograder.backprop import backward_with
from autograder.paths import KIT_ROOT
from autograder.torch_imports import dynamo_can_be_skipped
from tests.kit.conftest import feedback_of_a_class_of_one, submission_with

META_OPS = """
import sys
import torch
import torch.nn.functional as F
from autograder.torch_imports import skip_lazy_dynamo

marked = skip_lazy_dynamo()
X = torch.ones(5, 6, device="meta", requires_grad=True)
K = torch.ones(2, 3, device="meta")
Y = torch.zeros((4, 4), device="meta")
for i in range(4):
    for j in range(4):
        Y[i, j] = (X[i : i + 2, j : j + 3] * K).sum()
Z = F.conv2d(X[None, None], K[None, None])[0, 0] + torch.einsum("ij,jk->ik", X, X.T)[:4, :4] * 2.5
print(marked, tuple(Y.shape), tuple(Z.shape), Z.device, "torch._dynamo" in sys.modules)
"""


def test_meta_ops_run_without_importing_the_compiler():
    ran = subprocess.run(
        [sys.executable, "-c", META_OPS], cwd=KIT_ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    marked, rest = ran.stdout.split(" ", 1)
    # torch 2.1 wraps no kernel lazily (nothing to mark), and imports no compiler for `meta` either.
    assert (marked != "0") == dynamo_can_be_skipped()
    assert rest.strip() == "(4, 4) (4, 4) meta False"


def test_backward_with_gives_the_gradients_of_backward_with_a_gradient():
    torch.manual_seed(0)
    X = torch.randn(5, 6, dtype=torch.float64, requires_grad=True)
    K = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    G = torch.randn(4, 4, dtype=torch.float64)
    out = torch.nn.functional.conv2d(X[None, None], K[None, None])[0, 0]
    out.backward(G)
    expected = (X.grad.clone(), K.grad.clone())
    X.grad, K.grad = None, None
    backward_with(torch.nn.functional.conv2d(X[None, None], K[None, None])[0, 0], G)
    assert torch.equal(X.grad, expected[0])
    assert torch.equal(K.grad, expected[1])


PROBE = """import sys
import torch


def corr2d(X, K):
    loaded = {name: name in sys.modules for name in ("torch._dynamo", "torch._inductor")}
    filled = torch.empty(4).isnan().all().item()
    raise RuntimeError(f"{loaded} deterministic={torch.are_deterministic_algorithms_enabled()} nan={filled}")
"""


def test_a_worker_keeps_deterministic_algorithms_without_the_compiler(grade):
    """The worker sets torch's deterministic flag (an output left unwritten is NaN on every run) without
    torch.use_deterministic_algorithms, which imports the compiler's configuration: 1.5 s per worker."""
    report = grade(submission_with({"ex1_corr2d.py": PROBE}))
    feedback = next(t.feedback for t in report.tests if t.exercise == "corr2d" and t.feedback)
    expected = "{'torch._dynamo': False, 'torch._inductor': False} deterministic=True nan=True"
    assert f"RuntimeError: {expected}" in feedback.code


JUDGE = """
import sys
import torch
from autograder.grading import Grader
from autograder.submission.loader import load
from autograder.units import get

NAMES = ("sympy", "torch._dynamo")
before = {name: name in sys.modules for name in NAMES}  # torch 2.1 imports sympy itself
with Grader() as grader:
    for unit in ("convolutions", "fc_to_conv"):
        report = grader.grade(load(str(get(unit).solutions), get(unit)))
        print(float(report.score), float(report.max_score), end=" ")
print(*(name in sys.modules and not before[name] for name in NAMES))
"""


@pytest.mark.slow
def test_the_judge_loads_neither_sympy_nor_the_compiler():
    """The judge's references and gradients take the paths that import nothing more than torch does
    (the workers' `meta` ops need sympy; the judge only compares what comes back)."""
    ran = subprocess.run(
        [sys.executable, "-c", JUDGE], cwd=KIT_ROOT, capture_output=True, text=True, check=True, timeout=300
    )
    assert ran.stdout.split() == ["100.0", "100.0", "100.0", "100.0", "False", "False"]


def test_kernels_are_marked_once_per_process_tree():
    """grade-batch marks the kernels before it forks its judges: their zygotes do not scan again."""
    probe = (
        "import os, torch; from autograder.torch_imports import skip_lazy_dynamo\n"
        "first = skip_lazy_dynamo()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n    os._exit(skip_lazy_dynamo())\n"
        "print(first > 0, os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), skip_lazy_dynamo())"
    )
    ran = subprocess.run([sys.executable, "-c", probe], cwd=KIT_ROOT, capture_output=True, text=True, check=True)
    assert ran.stdout.split() == [str(dynamo_can_be_skipped()), "0", "0"]


def test_a_grader_builds_the_rules_tables_while_its_zygote_warms_up():
    """The tables the rule's first check reads (every operator's schema) are built as the judge starts,
    not on the first call of the first grade."""
    probe = (
        "from autograder.grading import Grader\n"
        "from autograder.units.convolutions.rule import forbidden\n"
        "with Grader():\n"
        "    print(forbidden.convolution_names.cache_info().currsize, forbidden.recorder_names.cache_info().currsize)"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe], cwd=KIT_ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    assert ran.stdout.split() == ["1", "1"]


COMPILER = """import sys

import torch


def corr2d(X, K):
    raise RuntimeError(f"compiler loaded: {'torch._dynamo' in sys.modules}")
"""


def compiler_loaded(feedback_text: str) -> bool:
    assert "compiler loaded: " in feedback_text, feedback_text
    return "compiler loaded: True" in feedback_text


@pytest.mark.slow
def test_a_class_s_workers_inherit_the_compiler_that_optimizer_steps_import(tmp_path):
    """Every step of a torch.optim optimizer imports torch's compiler: grade-batch loads it once,
    before it forks its judges, rather than once in each worker of a learn_kernel that uses SGD."""
    assert compiler_loaded(feedback_of_a_class_of_one(tmp_path, "ex1_corr2d.py", COMPILER))


STAYS_UP = f"""
import time
from autograder.grading import Grader
from autograder.submission.loader import from_bytes
from tests.kit.conftest import submission_with

submission = from_bytes("test submission", submission_with({{"ex1_corr2d.py": {COMPILER!r}}}))
seen = []
with Grader(stays_up=True) as grader:
    deadline = time.monotonic() + 30
    while not seen or ("compiler loaded: True" not in seen[-1] and time.monotonic() < deadline):
        report = grader.grade(submission, "public", exercises=("corr2d",))
        seen.append(next(t.feedback for t in report.tests if t.feedback).code)
print(*(text.split("RuntimeError: compiler loaded: ")[1].split()[0] for text in (seen[0], seen[-1])))
"""


@pytest.mark.slow
def test_a_checker_that_stays_up_loads_the_compiler_once_idle():
    """`check --watch` and a notebook's checker: the first check does not wait for the compiler, and
    the checks after it find it loaded. In a fresh Python: a test process may have loaded it already."""
    ran = subprocess.run(
        [sys.executable, "-c", STAYS_UP], cwd=KIT_ROOT, capture_output=True, text=True, check=True, timeout=300
    )
    assert ran.stdout.split() == ["False", "True"], ran.stdout + ran.stderr


def test_the_compiler_is_not_loaded_ahead_where_torch_cannot_import_it(monkeypatch):
    """Loading the compiler ahead is a saving, not a need: where the import fails, nothing is raised."""
    from autograder.torch_imports import load_compiler

    monkeypatch.setitem(sys.modules, "torch._dynamo", None)  # `import torch._dynamo` now raises ImportError
    load_compiler()
