"""The fc_to_conv unit's exercises 1 (why not an MLP) and 6 (a diagonal edge): references, slips, suites.

The judge's references are held to torch's own layers; the solutions score full points; each slip,
written as the small student file that makes it, is graded and named; an answer of the wrong kind
gets a plain failure. The fast tests grade in this process (the kit's own files only, as
test_mistakes_in_process.py does); the slow ones grade through the sandboxed workers.
"""

from __future__ import annotations

import importlib.util
import itertools
import warnings
from pathlib import Path

import pytest
import torch

from autograder.judge import draws
from autograder.judge.checks.common import UnderTest
from autograder.judge.marks import Grading, grading_of_function
from autograder.judge.student import Student
from autograder.jupyter import graded
from autograder.jupyter.namespace import NamespacePool
from autograder.results import GradeReport, SubmissionInfo
from autograder.submission.loader import from_bytes
from autograder.units.fc_to_conv import UNIT
from autograder.units.fc_to_conv.checks import ex1_why_not_mlp as ex1
from autograder.units.fc_to_conv.checks import ex6_diagonal_edges as ex6
from autograder.units.fc_to_conv.slips import _plain_equal, of_exercise
from autograder.units.fc_to_conv.slips import ex1_why_not_mlp as slips1
from autograder.units.fc_to_conv.slips import ex6_diagonal_edges as slips6

MODULES = ("ex1_why_not_mlp", "ex6_diagonal_edges")
EXERCISES = tuple(tag for module in MODULES for tag in UNIT.tags_of(module))
POINTS = {"ex1_why_not_mlp": 15, "ex6_diagonal_edges": 15}


def solution(module: str) -> str:
    return (UNIT.solutions / f"{module}.py").read_text(encoding="utf-8")


def changed(module: str, old: str, new: str) -> dict[str, str]:
    """The solutions with one change in `module`: a student file that makes one mistake."""
    text = solution(module)
    assert text.count(old) == 1, old
    return {f"{m}.py": (text.replace(old, new) if m == module else solution(m)) for m in MODULES}


MLP_RETURN = "return inputs * hidden + hidden"
MEMORY = "* bytes_per_float32 / 1e9"
CONV = "kernel_size * kernel_size * in_channels * out_channels + out_channels"
IMAGE = "return torch.triu(torch.ones(n, n))"
DIAGONAL = "return corr2d(diagonal_edge_image(n), EDGE_KERNEL)\n"
TRANSPOSED = "return corr2d(diagonal_edge_image(n).T, EDGE_KERNEL)"
KERNEL_T = "return corr2d(diagonal_edge_image(n), EDGE_KERNEL.T)"
SLIP_FILES = {
    # mistake: (module, old, new, the exercises whose tests must name it)
    "mlp_bias_forgotten": ("ex1_why_not_mlp", MLP_RETURN, "return inputs * hidden", ("mlp_parameters",)),
    "mlp_bias_per_input": ("ex1_why_not_mlp", MLP_RETURN, "return inputs * hidden + inputs", ("mlp_parameters",)),
    "mlp_channels_ignored": (
        "ex1_why_not_mlp",
        "inputs = height * width * channels",
        "inputs = height * width",
        ("mlp_parameters",),
    ),
    "memory_in_bytes": ("ex1_why_not_mlp", MEMORY, "* bytes_per_float32", ("mlp_memory_gb",)),
    "memory_in_gib": ("ex1_why_not_mlp", MEMORY, "* bytes_per_float32 / 2**30", ("mlp_memory_gb",)),
    "memory_in_bits": ("ex1_why_not_mlp", "bytes_per_float32 = 4", "bytes_per_float32 = 32", ("mlp_memory_gb",)),
    "memory_float64": ("ex1_why_not_mlp", "bytes_per_float32 = 4", "bytes_per_float32 = 8", ("mlp_memory_gb",)),
    "memory_count_not_bytes": ("ex1_why_not_mlp", MEMORY, "/ 1e9", ("mlp_memory_gb",)),
    "conv_bias_forgotten": (
        "ex1_why_not_mlp",
        CONV,
        "kernel_size * kernel_size * in_channels * out_channels",
        ("conv_parameters",),
    ),
    "conv_kernel_not_squared": (
        "ex1_why_not_mlp",
        CONV,
        "kernel_size * in_channels * out_channels + out_channels",
        ("conv_parameters",),
    ),
    "conv_in_channels_ignored": (
        "ex1_why_not_mlp",
        CONV,
        "kernel_size * kernel_size * out_channels + out_channels",
        ("conv_parameters",),
    ),
    "diagonal_below": ("ex6_diagonal_edges", IMAGE, "return torch.tril(torch.ones(n, n))", ("diagonal_edge_image",)),
    "diagonal_strict": (
        "ex6_diagonal_edges",
        IMAGE,
        "return torch.triu(torch.ones(n, n), diagonal=1)",
        ("diagonal_edge_image",),
    ),
    "diagonal_values_swapped": (
        "ex6_diagonal_edges",
        IMAGE,
        "return 1 - torch.triu(torch.ones(n, n))",
        ("diagonal_edge_image",),
    ),
    "edges_kernel_sign": (
        "ex6_diagonal_edges",
        "EDGE_KERNEL = torch.tensor([[1.0, -1.0]])",
        "EDGE_KERNEL = torch.tensor([[-1.0, 1.0]])",
        ("edges_of_diagonal", "edges_of_transposed", "edges_with_transposed_kernel"),
    ),
    "edges_image_transposed": ("ex6_diagonal_edges", TRANSPOSED, DIAGONAL.strip(), ("edges_of_transposed",)),
    "edges_kernel_transposed": (
        "ex6_diagonal_edges",
        KERNEL_T,
        "return corr2d(diagonal_edge_image(n), EDGE_KERNEL)",
        ("edges_with_transposed_kernel",),
    ),
    "edges_output_transposed": (
        "ex6_diagonal_edges",
        DIAGONAL,
        "return corr2d(diagonal_edge_image(n), EDGE_KERNEL).T\n",
        ("edges_of_diagonal",),
    ),
}
WRONG_KINDS = {
    # a count as a float, a count and an image from numpy: plain failures, no mistake named
    "float_count": ("ex1_why_not_mlp", MLP_RETURN, f"return float({MLP_RETURN.removeprefix('return ')})"),
    "numpy_count": (
        "ex1_why_not_mlp",
        MLP_RETURN,
        f"import numpy\n\n    return numpy.int64({MLP_RETURN.removeprefix('return ')})",
    ),
    "float_conv_count": ("ex1_why_not_mlp", f"return {CONV}", f"return {CONV} + 0.0"),
    "numpy_image": ("ex6_diagonal_edges", IMAGE, "import numpy\n\n    return numpy.triu(numpy.ones((n, n)))"),
    "integer_image": ("ex6_diagonal_edges", IMAGE, "return torch.triu(torch.ones(n, n, dtype=torch.int64))"),
}
LOOKALIKES = {
    # other mistakes that give a slip's answer on one test's call, never on the discriminating one
    "memory_arguments_swapped": (
        "ex1_why_not_mlp",
        "mlp_parameters(height, width, hidden, channels)",
        "mlp_parameters(height, width, channels, hidden)",
    ),
    "conv_kernel_size_as_channels": ("ex1_why_not_mlp", f"return {CONV}", f"return in_channels * {CONV}"),
    "conv_bias_subtracted": ("ex1_why_not_mlp", f"return {CONV}", f"return {CONV.replace('+', '-')}"),
    "boolean_image": ("ex6_diagonal_edges", IMAGE, "return torch.ones(n, n, dtype=torch.bool).triu()"),
    "image_flipped_in_edges": ("ex6_diagonal_edges", DIAGONAL, DIAGONAL.replace("(n)", "(n).flip(1)")),
    "image_flipped_under_transposed_kernel": ("ex6_diagonal_edges", KERNEL_T, KERNEL_T.replace("(n)", "(n).flip(0)")),
}


# ----------------------------------------------------------------------------- references


@pytest.mark.parametrize(("height", "width", "hidden", "channels"), [(1, 1, 1, 1), (3, 4, 5, 1), (2, 5, 7, 3)])
def test_the_mlp_count_is_what_a_linear_layer_holds(height, width, hidden, channels):
    layer = torch.nn.Linear(height * width * channels, hidden)
    held = sum(p.numel() for p in layer.parameters())
    assert ex1.mlp_parameter_count(height, width, hidden, channels) == held
    assert ex1.mlp_memory(height, width, hidden, channels) == pytest.approx(held * 4 / 1e9, rel=1e-12)
    assert layer.weight.element_size() == ex1.FLOAT32_BYTES


@pytest.mark.parametrize(("k", "c_in", "c_out"), [(1, 1, 1), (3, 1, 1), (2, 3, 4), (5, 2, 1)])
def test_the_conv_count_is_what_a_conv_layer_holds(k, c_in, c_out):
    layer = torch.nn.Conv2d(c_in, c_out, k)
    assert ex1.conv_parameter_count(k, c_in, c_out) == sum(p.numel() for p in layer.parameters())


def test_the_notes_numbers():
    assert ex1.mlp_parameter_count(6000, 6000, 100) == 3_600_000_100
    assert ex1.mlp_memory(6000, 6000, 100) == pytest.approx(14.4000004, rel=1e-12)
    assert ex1.conv_parameter_count(3) == 10


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_the_image_and_edge_references(n):
    image = ex6.diagonal_image(n)
    assert image.dtype == torch.float32
    assert torch.equal(image, torch.triu(torch.ones(n, n)))
    if n < 2:
        return
    # Each edge entry is a pixel minus its right-hand neighbour (K) or the one below it (K.T).
    assert torch.equal(ex6.edges_of("edges_of_diagonal", image), image[:, :-1] - image[:, 1:])
    assert torch.equal(ex6.edges_of("edges_of_transposed", image), image.T[:, :-1] - image.T[:, 1:])
    assert torch.equal(ex6.edges_of("edges_with_transposed_kernel", image), image[:-1, :] - image[1:, :])


# ----------------------------------------------------------------------------- slips


def suite_inputs(exercise: str) -> list[tuple[object, ...]]:
    """The arguments the suites and probes call `exercise` with (random ones under several seeds)."""
    if exercise in slips1.PROBES:
        fixed: list[tuple[object, ...]] = [(6000, 6000, 100), (3000, 4000, 100, 3), *slips1.PROBES[exercise]]
        if exercise == "conv_parameters":
            fixed = [(3,), (1, 3, 16), (2, 57, 49), (5, 1, 3), *slips1.PROBES[exercise]]
        return fixed
    return [(6,), (2,), (5,), (12,), *slips6.PROBES[exercise]]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_slip_differs_from_the_reference_and_from_the_others(exercise):
    """On the suite's inputs a slip's answer is never the right one, and never another mistake's,
    so the evidence names it, and names it alone."""
    reference = {
        "mlp_parameters": ex1.mlp_parameter_count,
        "mlp_memory_gb": ex1.mlp_memory,
        "conv_parameters": ex1.conv_parameter_count,
        "diagonal_edge_image": ex6.diagonal_image,
    }.get(exercise) or ex6.expected_edges(exercise)
    slips = of_exercise(exercise)
    assert slips, exercise
    for args in suite_inputs(exercise):
        right = reference(*args)
        fitting = [s for s in slips if s.applies(*args)]
        for slip in fitting:
            assert not _plain_equal(slip.model(*args), right), (slip.mistake, args)
        for a, b in itertools.combinations(fitting, 2):
            if a.mistake != b.mistake:
                assert not _plain_equal(a.model(*args), b.model(*args)), (a.mistake, b.mistake, args)


def test_every_slip_is_a_mistake_of_the_unit_with_messages():
    from autograder.i18n import catalogue

    for module in (slips1, slips6):
        for slip in module.SLIPS:
            assert slip.mistake in UNIT.mistakes
            assert slip.exercise in EXERCISES
            for lang in ("en", "zh"):
                for part in ("title", "why", "fix"):
                    assert catalogue(lang).has(f"mistake.{slip.mistake}.{part}"), (lang, slip.mistake, part)
    assert set(SLIP_FILES) == {slip.mistake for module in (slips1, slips6) for slip in module.SLIPS}


# ----------------------------------------------------------------------------- in process


def hidden_checks() -> list[graded.Test]:
    checks = []
    for module in MODULES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
            suite = importlib.import_module(f"{UNIT.package}.suites.hidden.test_{module}")
        checks += [f for name, f in vars(suite).items() if name.startswith("test_") and grading_of_function(f)]
    return checks


def grading(check: graded.Test) -> Grading:
    found = grading_of_function(check)
    assert found is not None
    return found


def grade_in_process(files: dict[str, str], folder: Path, seed: int | None = None) -> GradeReport:
    """The hidden checks of exercises 1 and 6 on `files`, each module imported here under a name of its own."""
    namespace: dict[str, object] = {}
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(f"_fc_to_conv_kit_{folder.name}_{path.stem}", path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        namespace.update({tag: getattr(module, tag) for tag in UNIT.tags_of(path.stem)})
    under_test = UnderTest(Student(NamespacePool(namespace), UNIT), files)
    with draws.seeded(seed), torch.random.fork_rng(devices=[]):
        results = [graded._run_one(under_test, check) for check in hidden_checks()]
    return GradeReport(suite="hidden", tests=results, submission=SubmissionInfo("in process"))


def test_the_hidden_suites_carry_the_contract_points():
    for module in MODULES:
        tags = UNIT.tags_of(module)
        assert sum(grading(c).points for c in hidden_checks() if grading(c).exercise in tags) == POINTS[module]
    per_exercise = {
        tag: sum(grading(c).points for c in hidden_checks() if grading(c).exercise == tag) for tag in EXERCISES
    }
    assert per_exercise == {
        "mlp_parameters": 6,
        "mlp_memory_gb": 5,
        "conv_parameters": 4,
        "diagonal_edge_image": 3,
        "edges_of_diagonal": 4,
        "edges_of_transposed": 4,
        "edges_with_transposed_kernel": 4,
    }


@pytest.mark.parametrize("seed", [None, 12345])
def test_the_solutions_score_full_points_in_process(seed, tmp_path):
    report = grade_in_process({f"{m}.py": solution(m) for m in MODULES}, tmp_path, seed)
    failed = [(t.name.key, t.feedback) for t in report.tests if t.status != "passed"]
    assert not failed
    assert report.score == report.max_score == 30


@pytest.mark.parametrize("mistake", sorted(SLIP_FILES))
def test_each_slip_is_named_in_process(mistake, tmp_path):
    module, old, new, exercises = SLIP_FILES[mistake]
    report = grade_in_process(changed(module, old, new), tmp_path, seed=777)
    for exercise in exercises:
        failing = [t for t in report.tests if t.exercise == exercise and t.status == "failed"]
        assert failing, exercise
        assert {t.feedback.mistake for t in failing if t.feedback} == {mistake}, exercise
    assert set(report.mistakes()) == {mistake}


def test_a_wrong_count_of_the_students_own_is_charged_once(tmp_path):
    """mlp_memory_gb over the student's own count without biases passes: the count's tests charge it."""
    report = grade_in_process(changed("ex1_why_not_mlp", MLP_RETURN, "return inputs * hidden"), tmp_path)
    assert report.exercise_score("mlp_memory_gb") == (5, 5)
    assert report.exercise_score("mlp_parameters") == (0, 6)


def test_a_wrong_image_of_the_students_own_is_charged_once(tmp_path):
    report = grade_in_process(changed("ex6_diagonal_edges", IMAGE, "return torch.tril(torch.ones(n, n))"), tmp_path)
    assert report.exercise_score("diagonal_edge_image") == (0, 3)
    for exercise in ("edges_of_diagonal", "edges_of_transposed", "edges_with_transposed_kernel"):
        assert report.exercise_score(exercise) == (4, 4), exercise


@pytest.mark.parametrize("case", sorted(WRONG_KINDS) + sorted(LOOKALIKES))
def test_an_answer_of_the_wrong_kind_or_a_lookalike_gets_a_plain_failure(case, tmp_path):
    report = grade_in_process(changed(*{**WRONG_KINDS, **LOOKALIKES}[case]), tmp_path)
    assert any(t.status == "failed" for t in report.tests)
    named = set(report.mistakes()) - {"returned_numpy"}
    assert not named, named


# ----------------------------------------------------------------------------- sandboxed


def files_of(submission: dict[str, str]) -> dict[str, bytes]:
    """All six files of the unit: the solutions, with exercises 1 and 6 as given."""
    files = {path.name: path.read_bytes() for path in UNIT.solutions.glob("ex*.py")}
    return {**files, **{name: text.encode() for name, text in submission.items()}}


@pytest.mark.slow
def test_the_solutions_score_full_points_sandboxed(grader):
    loaded = from_bytes("solutions", files_of({}))
    report = grader.grade(loaded, "hidden", exercises=EXERCISES)
    assert not report.internal_errors, report.internal_errors
    assert report.score == report.max_score == 30, [
        (t.name.key, t.feedback) for t in report.tests if t.status != "passed"
    ]
    public = grader.grade(loaded, "public", exercises=EXERCISES)
    assert not public.internal_errors
    assert public.score == public.max_score > 0


@pytest.mark.slow
@pytest.mark.parametrize("mistake", ["memory_in_gib", "edges_output_transposed"])
def test_a_slip_is_named_sandboxed_in_both_languages(grader, mistake):
    module, old, new, exercises = SLIP_FILES[mistake]
    report = grader.grade(from_bytes(mistake, files_of(changed(module, old, new))), "hidden", exercises=EXERCISES)
    assert not report.internal_errors, report.internal_errors
    assert set(report.mistakes()) == {mistake}
    failing = [t for t in report.tests if t.exercise in exercises and t.status == "failed"]
    assert failing
    for lang in ("en", "zh"):
        feedback = failing[0].feedback
        assert feedback is not None
        assert feedback.summary.render(lang)
        assert all(d.render(lang) for d in feedback.details)
