"""The trust boundary and the feedback contract of issue 2, on small in-memory submissions."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib

import pytest

from autograder.commands.grade import finish
from autograder.paths import KIT_ROOT
from autograder.report import markdown, text
from autograder.units.convolutions import UNIT
from tests.kit.conftest import cpu_maximum, scores, submission_with

ZEROS = """import torch


def corr2d(X, K):
    return X.new_zeros((X.shape[0] - K.shape[0] + 1, X.shape[1] - K.shape[1] + 1))
"""
PATCH_ALLCLOSE = """import torch
import numpy

torch.allclose = lambda *a, **k: True
torch.equal = lambda *a, **k: True
numpy.allclose = lambda *a, **k: True


def corr2d(X, K):
    return X.new_zeros((X.shape[0] - K.shape[0] + 1, X.shape[1] - K.shape[1] + 1))
"""
ENDLESS = """def corr2d(X, K):
    while True:
        pass
"""
RAISES_AT_IMPORT = """import torch

raise ValueError("a test left at the top of the file")


def corr1d(x, k):
    return x
"""
DEEP_ERROR = """import torch


def helper(X):
    return X[100, 100]


def corr2d(X, K):
    return helper(X)
"""


def test_patching_allclose_scores_no_more_than_returning_zeros(grade):
    zeros = scores(grade(submission_with({"ex1_corr2d.py": ZEROS})))
    patched = scores(grade(submission_with({"ex1_corr2d.py": PATCH_ALLCLOSE})))
    assert patched["corr2d"] <= zeros["corr2d"] < 10
    assert patched["learn_kernel"] == 20, "other exercises are graded as usual"


def test_an_endless_corr2d_fails_on_time_and_the_rest_is_graded(grade):
    report = grade(submission_with({"ex1_corr2d.py": ENDLESS}))
    corr2d = [t for t in report.tests if t.exercise == "corr2d"]
    assert all(t.score == 0 for t in corr2d)
    mistakes = {t.feedback.mistake for t in corr2d if t.feedback}
    assert "too_slow" in mistakes
    assert {t.feedback.summary.key for t in corr2d if t.feedback} <= {"mistake.too_slow.title", "failure.benched"}
    for exercise in ("corr1d", "corr3d", "learn_kernel"):
        assert report.exercise_score(exercise)[0] == report.exercise_score(exercise)[1] > 0


def test_a_missing_file_costs_only_its_exercises(grade):
    report = grade(submission_with({"ex3_variants.py": None}))
    by_exercise = scores(report)
    assert by_exercise["corr1d"] == by_exercise["corr3d"] == 0
    assert by_exercise["corr2d"] == report.exercise_score("corr2d")[1] > 0
    text_report = text.render(report, "en")
    assert "ex3_variants.py was not found in the submission" in text_report


def test_a_file_that_fails_to_import_is_named_with_its_error(grade):
    report = grade(submission_with({"ex3_variants.py": RAISES_AT_IMPORT}))
    variant_tests = [t for t in report.tests if t.exercise in ("corr1d", "corr3d")]
    assert all(t.score == 0 for t in variant_tests)
    feedback = variant_tests[0].feedback
    assert feedback.summary.key == "failure.import.raised"
    assert "ValueError: a test left at the top of the file" in feedback.code
    assert scores(report)["Conv2D"] == report.exercise_score("Conv2D")[1] > 0


def test_tracebacks_show_only_the_students_own_lines(grade):
    report = grade(submission_with({"ex1_corr2d.py": DEEP_ERROR}))
    failing = next(t for t in report.tests if t.exercise == "corr2d" and t.feedback and t.feedback.code)
    code = failing.feedback.code
    assert 'File "ex1_corr2d.py", line 5, in helper' in code
    assert 'File "ex1_corr2d.py", line 9, in corr2d' in code
    assert "autograder" not in code
    assert "site-packages" not in code
    assert "IndexError" in code


def test_feedback_never_shows_hidden_test_source(grade, tmp_path):
    # A copy outside the kit: the heading names the submission's folder, and no other kit path may show.
    submission = shutil.copytree(UNIT.samples / "flipped_kernel", tmp_path / "flipped_kernel")
    report = grade(submission)
    rendered = markdown.render(report, "en") + text.render(report, "en", verbose=True)
    hidden_lines = {
        line.strip()
        for path in (UNIT.suite("hidden")).glob("test_*.py")
        for line in path.read_text().splitlines()
        if len(line.strip()) > 25 and not line.strip().startswith(("#", '"""', "from", "import", "@"))
    }
    leaked = [line for line in hidden_lines if line in rendered]
    assert leaked == []
    assert "Traceback" not in rendered
    assert "autograder/" not in rendered


def test_gate_zeroes_only_the_exercise_that_breaks_the_rule(grade):
    conv = (
        "import torch.nn.functional as F\n\n\n"
        "def corr2d(X, K):\n    return F.conv2d(X[None, None], K[None, None])[0, 0]\n"
    )
    report = grade(submission_with({"ex1_corr2d.py": conv}))
    by_exercise = scores(report)
    assert by_exercise["corr2d"] == 0
    assert by_exercise["corr1d"] == report.exercise_score("corr1d")[1] > 0
    # Every call is held to the rule: each test that called corr2d names the convolution itself.
    assert all(t.feedback.mistake == "torch_conv_used" for t in report.tests if t.exercise == "corr2d" and t.counted)
    # Found by the rule test alone (code the reading cannot check), the rule zeroes tests that passed.
    unreadable = (UNIT.solutions / "ex1_corr2d.py").read_text().replace("K.shape", 'eval("K.shape")')
    report = grade(submission_with({"ex1_corr2d.py": unreadable}))
    gated = [
        t for t in report.tests if t.exercise == "corr2d" and t.feedback and t.feedback.summary.key == "score.gated"
    ]
    assert gated, "tests that passed on values say why they score 0"
    assert scores(report)["corr2d"] == 0


def test_solutions_pass_the_public_suite_too(grade):
    report = grade(UNIT.solutions, suite="public")
    assert report.score == cpu_maximum(report) > 0


def test_students_can_run_pytest_on_the_public_checks():
    stubs = subprocess.run(
        [sys.executable, "-m", "pytest", str(UNIT.suite("public")), "-q", "-p", "no:cacheprovider"],
        cwd=KIT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert stubs.returncode == 1, stubs.stdout[-2000:]
    assert "corr2d is not implemented yet" in stubs.stdout
    assert "Traceback" not in stubs.stdout
    assert "Total" in stubs.stdout
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(UNIT.suite("public")),
            "-q",
            "-p",
            "no:cacheprovider",
            "--submission",
            str(UNIT.solutions),
        ],
        cwd=KIT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:]


def test_the_points_table_in_the_readme_matches_the_suite(grade):
    """The points each test declares: the GPU tests' count only where the instructor opts in."""
    import importlib

    from autograder.judge.marks import CUDA_MARKER, grading_of_function

    declared: dict[tuple[str, bool], float] = {}
    for path in sorted((UNIT.suite("hidden")).glob("test_*.py")):
        module = importlib.import_module(f"autograder.units.convolutions.suites.hidden.{path.stem}")
        for name, function in vars(module).items():
            grading = grading_of_function(function) if name.startswith("test_") else None
            if grading is not None:
                gpu = any(mark.name == CUDA_MARKER for mark in getattr(function, "pytestmark", []))
                declared[grading.exercise, gpu] = declared.get((grading.exercise, gpu), 0) + grading.points
    readme = (KIT_ROOT / "README.md").read_text()
    for exercise in ("corr2d", "Conv2D", "corr1d", "corr3d", "learn_kernel"):
        cpu, gpu = declared.get((exercise, False), 0), declared.get((exercise, True), 0)
        assert f"| `{exercise}` | {cpu:g} | {gpu:g} |" in readme
    assert sum(points for (_, gpu), points in declared.items() if not gpu) == 100
    report = grade(UNIT.solutions)
    assert report.max_score == 100


def test_gpu_corpus_folders_match_their_manifest():
    corpus = KIT_ROOT / "tests" / "corpus" / "gpu"
    manifest = tomllib.loads((corpus / "manifest.toml").read_text())
    assert set(manifest) == {p.name for p in corpus.iterdir() if p.is_dir()}
    assert all(any((corpus / name).glob("*.py")) for name in manifest)


def test_gpu_check_without_cuda_says_so_and_succeeds():
    result = subprocess.run(
        [sys.executable, "scripts/gpu_check.py"], cwd=KIT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    import torch

    if not torch.cuda.is_available():
        assert "No CUDA device here" in result.stdout


@pytest.fixture
def unusable_gpu(monkeypatch):
    """NVML reports a GPU, but CUDA cannot start inside the workers (here: a CPU-only torch build).

    Every GPU test then runs its judge side up to the first call into a CUDA worker, which reports
    the machine's failure before any student code is imported.
    """
    import torch

    if torch.cuda.is_available():
        pytest.skip("CUDA works on this machine: the failure cannot be staged")
    monkeypatch.setattr("autograder.judge.plugin.cuda_available", lambda: True)


def test_a_gpu_the_sandbox_cannot_use_costs_the_student_nothing(grade, unusable_gpu, capsys):
    """The GPU tests are left out of the maximum with a reason that does not blame the student, and
    the operator gets one notice."""
    report = grade(UNIT.solutions)
    gpu_tests = [t for t in report.tests if t.name.key.endswith(".cuda")]
    assert {t.exercise for t in gpu_tests} == {"corr2d", "Conv2D", "corr1d", "corr3d", "learn_kernel"}
    assert {t.status for t in gpu_tests} == {"skipped"}
    assert {t.skip_reason.key for t in gpu_tests} == {"score.skipped_gpu_unusable"}
    cpu_points = sum(t.max_score for t in report.tests if t not in gpu_tests)
    assert report.score == report.max_score == cpu_points
    assert len(report.notices) == 1
    assert "CUDA could not be used inside the sandbox" in report.notices[0]
    assert "GPU tests skipped (the grading machine's GPU could not be used" in markdown.render(report, "en")
    assert finish(report, "en", None) == 0
    assert "autograder: warning: CUDA could not be used inside the sandbox" in capsys.readouterr().err


def test_a_cpu_worker_sees_no_gpu(grade):
    """Hard-coded "cuda" then fails alike on every machine, and cannot reach the CUDA workers' GPU."""
    probe = "import os\nraise RuntimeError(f\"visible={os.environ.get('CUDA_VISIBLE_DEVICES')!r}\")\n"
    report = grade(submission_with({"ex1_corr2d.py": probe}))
    feedback = next(t.feedback for t in report.tests if t.exercise == "corr2d" and t.feedback)
    assert "RuntimeError: visible=''" in feedback.code


def test_gpu_check_rehearsed_without_a_gpu_fails_every_row_and_says_why(grader, unusable_gpu, capsys):
    """The GPU run's table, on this machine: every GPU test reaches a CUDA worker that cannot start
    CUDA, so only the mistake expected outside the GPU tests is found, and each row shows why."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gpu_check", KIT_ROOT / "scripts" / "gpu_check.py")
    gpu_check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gpu_check)
    manifest = tomllib.loads((KIT_ROOT / "tests" / "corpus" / "gpu" / "manifest.toml").read_text())
    on_cpu = [name for name, case in manifest.items() if case.get("on") == "cpu"]
    assert on_cpu == ["hard_coded_cuda"]
    assert gpu_check.grade_corpus(grader) == 2 + len(manifest) - len(on_cpu)
    rows = capsys.readouterr().out.splitlines()
    for name in ["solutions", "solutions/public", *manifest]:
        row = next(line for line in rows if line.startswith(f"{name} "))
        assert row.split()[1] == "0/5", row
        assert (" yes " if name in on_cpu else " NO ") in row, row
        reason = rows[rows.index(row) + 1]
        assert reason.startswith("  ! CUDA could not be used inside the sandbox"), reason
    assert rows[-1].startswith("Workers ran inside: ")


def test_tests_on_meta_run_last_and_the_report_keeps_the_suites_order(grade):
    """The `meta` checks run after the others (their workers wait for the zygote's late warm-up), and
    are still reported where the suite puts them."""
    import ast

    suite = UNIT.suite("hidden")
    expected = [
        f"{path.relative_to(KIT_ROOT)}::{node.name}"
        for path in sorted(suite.glob("test_*.py"))
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    ]
    report = grade(submission_with({}))
    assert [result.test_id for result in report.tests] == expected
    assert any(result.test_id.endswith("::test_portable") and result.status == "passed" for result in report.tests)
