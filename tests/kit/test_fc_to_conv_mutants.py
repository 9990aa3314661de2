"""Mutation testing of the fc_to_conv grader: the mutants, the oracle's verdicts, the name checks, and a run."""

from __future__ import annotations

import ast
import json

import pytest
import torch

from autograder.units.fc_to_conv import UNIT, slips
from autograder.units.fc_to_conv.mutants import names
from autograder.units.fc_to_conv.mutants.corpus import all_mutants, solution_regions, spread
from autograder.units.fc_to_conv.mutants.loading import Subject, load_modules, solution_sources
from autograder.units.fc_to_conv.mutants.oracle import equivalent, warm_up
from autograder.units.fc_to_conv.mutants.properties import PROPERTIES
from tests.kit.conftest import run_cli

SOURCES = solution_sources(UNIT.solutions)
REFERENCE = load_modules(SOURCES, "solutions")


@pytest.fixture(scope="module")
def mutants():
    return all_mutants(UNIT.solutions)


def loaded(mutant) -> dict:
    return load_modules({**SOURCES, mutant.file: mutant.source}, mutant.id)


def by_id(mutants, mutant_id: str):
    return next(m for m in mutants if m.id == mutant_id)


# ----------------------------------------------------------------------------- the corpus


@pytest.mark.slow  # the whole corpus, generated again or compiled mutant by mutant: `make test`
def test_the_same_mutants_every_run(mutants):
    again = all_mutants(UNIT.solutions)
    assert [(m.id, m.source) for m in again] == [(m.id, m.source) for m in mutants]
    assert len({m.id for m in mutants}) == len(mutants)
    assert len({m.source for m in mutants}) == len(mutants)
    assert {m.exercise for m in mutants} == set(UNIT.tags)
    assert len(mutants) >= 500


@pytest.mark.slow  # the whole corpus, generated again or compiled mutant by mutant: `make test`
def test_every_mutant_compiles_and_changes_only_a_solution_body(mutants):
    def outside_bodies(source: str) -> list[str]:
        """Each function's name, arguments and docstring, and the module's other statements."""
        tree = ast.parse(source)
        found = [ast.unparse(n) for n in tree.body if not isinstance(n, ast.FunctionDef)]
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in UNIT.tags:
                found.append(f"{node.name}({ast.unparse(node.args)}) {ast.get_docstring(node)}")
            elif isinstance(node, ast.FunctionDef):
                found.append(ast.unparse(node))  # the given corr2d is not the student's to change
        return found

    for mutant in mutants:
        original = SOURCES[mutant.file]
        compile(mutant.source, mutant.id, "exec")
        assert ast.unparse(ast.parse(mutant.source)) != ast.unparse(ast.parse(original)), mutant.id
        assert outside_bodies(mutant.source) == outside_bodies(original), mutant.id
        assert "\n" not in mutant.description, mutant.id
        assert mutant.id.startswith(f"{mutant.exercise}.{mutant.operator}."), mutant.id


def test_solution_regions_are_the_marked_bodies():
    text = "def f():\n    # BEGIN SOLUTION\n    x = 1\n    return x\n    # END SOLUTION\n"
    assert solution_regions(text) == [(3, 4)]


@pytest.mark.parametrize(
    ("exercise", "changed"),
    [
        ("mlp_parameters", "return inputs * hidden\n"),
        ("mlp_memory_gb", "* bytes_per_float32 * 1000000000.0"),
        ("conv_parameters", "kernel_size * in_channels * out_channels + out_channels"),
        ("fc_weight_of_kernel", "= K.flip(0)"),
        ("fc_weight_of_kernel", "= K.T"),
        ("is_local", "(k - i).abs() >= delta"),
        ("is_local", "(k - i > delta)"),
        ("conv2d_strict", "return corr2d(X, K)"),
        ("conv2d_strict", "return corr2d(X, K.T)"),
        ("conv2d_strict", "torch.flip(K, dims=(0,))"),
        ("conv2d_strict", "return corr2d(torch.flip(K, dims=(0, 1)), X)"),
        ("same_as_correlation", "torch.equal(K, K.T)"),
        ("correlation_input_grad", "return (M @ grad_output"),
        ("edge_kernel", "return v[0] * d_row - v[1] * d_col"),
        ("derivative_kernel", "(-1.0) ** (d - a) for a in"),
        ("blur_kernel", "2.0 / (size * size)"),
        ("diagonal_edge_image", "torch.tril(torch.ones(n, n))"),
        ("diagonal_edge_image", "torch.triu(torch.ones(n, n), 1)"),
        ("edges_of_transposed", "return corr2d(diagonal_edge_image(n), EDGE_KERNEL)"),
        ("edges_with_transposed_kernel", "return corr2d(diagonal_edge_image(n).T, EDGE_KERNEL.T)"),
    ],
)
def test_operators_make_the_typical_mistakes(mutants, exercise, changed):
    sources = [m.source for m in mutants if m.exercise == exercise]
    assert any(changed in source for source in sources), f"no {exercise} mutant with {changed!r}"


def test_spread_bounds_each_operator_and_keeps_the_ids(mutants):
    kept = spread(mutants, 2)
    per_group: dict[tuple[str, str], int] = {}
    for mutant in kept:
        per_group[(mutant.exercise, mutant.operator)] = per_group.get((mutant.exercise, mutant.operator), 0) + 1
    assert max(per_group.values()) == 2
    assert {m.id for m in kept} <= {m.id for m in mutants}
    assert spread(mutants, None) == mutants


# ----------------------------------------------------------------------------- the oracle


def test_the_reference_is_equivalent_to_itself():
    warm_up(REFERENCE)


@pytest.mark.parametrize(
    ("file", "old", "new", "holds"),
    [
        ("ex1_why_not_mlp.py", "inputs * hidden + hidden", "hidden * (inputs + 1)", True),
        ("ex1_why_not_mlp.py", "inputs * hidden + hidden", "inputs * hidden", False),
        (
            "ex2_fc_as_conv.py",
            "W[i, j, i : i + k_h, j : j + k_w] = K",
            "W[i, j, i : i + k_h, j : j + k_w] = K + 0",
            True,
        ),
        ("ex2_fc_as_conv.py", "dtype=K.dtype, device=K.device)", "dtype=K.dtype)", False),
        ("ex2_fc_as_conv.py", "for k in range(n_h):", "for k in range(out_h):", False),
        ("ex3_strict_conv.py", "corr2d(X, torch.flip(K, dims=(0, 1)))", "corr2d(X, K.flip(0).flip(1))", True),
        ("ex3_strict_conv.py", "corr2d(X, torch.flip(K, dims=(0, 1)))", "corr2d(X, K.detach().flip((0, 1)))", False),
        (
            "ex5_hand_kernels.py",
            "return v[0] * d_row + v[1] * d_col",
            "return -2 * (v[0] * d_row + v[1] * d_col)",
            True,
        ),
        ("ex5_hand_kernels.py", "return v[0] * d_row + v[1] * d_col", "return v[1] * d_row - v[0] * d_col", False),
        ("ex5_hand_kernels.py", "1.0 / (size * size)", "1.0 / size", False),
        ("ex6_diagonal_edges.py", "torch.triu(torch.ones(n, n))", "torch.ones(n, n).triu()", True),
        (
            "ex6_diagonal_edges.py",
            "torch.triu(torch.ones(n, n))",
            "torch.triu(torch.ones(n, n, dtype=torch.float64))",
            False,
        ),
    ],
)
def test_the_oracle_runs_the_code(file, old, new, holds):
    assert old in SOURCES[file]
    verdict = equivalent(file, load_modules({**SOURCES, file: SOURCES[file].replace(old, new)}, "test"), REFERENCE)
    assert verdict.holds is holds, verdict.reason


def test_every_kernel_property_holds_for_the_reference():
    for tag, check in PROPERTIES.items():
        function = Subject(tag, REFERENCE).function()
        arguments = {"edge_kernel": [((1.0, 2.0),)], "blur_kernel": [(3,)], "derivative_kernel": [(4,)]}
        for args in arguments.get(tag, [()]):
            assert check(function(*args), *args) is None, tag


# ----------------------------------------------------------------------------- the name checks


def flipped(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.conv2d(X.double()[None, None], K.double()[None, None])[0, 0]


PROBES = (
    (torch.randn(5, 6, generator=torch.Generator().manual_seed(1)), torch.randn(2, 3, generator=torch.Generator())),
    (torch.randn(4, 4, generator=torch.Generator().manual_seed(2)), torch.randn(3, 3, generator=torch.Generator())),
)
THROWAWAY = (
    slips.Slip("kernel_not_flipped", "conv2d_strict", flipped),
    slips.Slip("kernel_transposed", "conv2d_strict", lambda X, K: flipped(X, K.T)),
    slips.Slip("edge_zero", "edge_kernel", lambda v: torch.zeros(3, 3), shows=lambda K, v: not bool(K.any())),
)


@pytest.fixture
def throwaway_slips(monkeypatch):
    """Slips and probes of the test's own, whatever the unit's files hold today."""
    found = {tag: tuple(s for s in THROWAWAY if s.exercise == tag) for tag in ("conv2d_strict", "edge_kernel")}
    monkeypatch.setattr(slips, "of_exercise", lambda tag: found.get(tag, ()))
    probes = {"conv2d_strict": PROBES, "edge_kernel": (((1.0, 0.0),), ((1.0, 1.0),))}
    monkeypatch.setattr(names, "probes", lambda tag: probes.get(tag, ()))


@pytest.mark.usefixtures("throwaway_slips")
@pytest.mark.parametrize(
    ("mutant_id", "mistake", "status"),
    [
        ("conv2d_strict.flip_removed.01", "kernel_not_flipped", "right"),
        ("conv2d_strict.flip_removed.01", "kernel_transposed", "wrong"),
        ("conv2d_strict.flip_removed.02", "kernel_transposed", "right"),
        ("conv2d_strict.flip_removed.02", "kernel_not_flipped", "wrong"),
        ("conv2d_strict.swap_arguments.01", "kernel_not_flipped", "wrong"),
        ("conv2d_strict.flip_removed.01", "a_mistake_without_a_slip", "unverified"),
        ("edge_kernel.drop_term.03", "edge_zero", "wrong"),
    ],
)
def test_a_name_is_right_only_where_the_slip_gives_the_mutants_answers(mutants, mutant_id, mistake, status):
    mutant = by_id(mutants, mutant_id)
    check = names.check_name(mistake, Subject(mutant.exercise, loaded(mutant)), Subject(mutant.exercise, REFERENCE))
    assert check.status == status, check.reason


def test_a_property_slip_must_show_on_every_probe(mutants, throwaway_slips):
    zero = load_modules(
        {
            **SOURCES,
            "ex5_hand_kernels.py": SOURCES["ex5_hand_kernels.py"].replace(
                "return v[0] * d_row + v[1] * d_col", "return 0 * d_row"
            ),
        },
        "zero",
    )
    check = names.check_name("edge_zero", Subject("edge_kernel", zero), Subject("edge_kernel", REFERENCE))
    assert check.status == "right", check.reason


def test_an_engine_mistake_is_checked_on_the_oracles_inputs(mutants):
    mutant = by_id(mutants, "fc_weight_of_kernel.drop_argument.02")
    assert "device=" not in mutant.source.split("def reindex")[0].split("torch.zeros")[1].split("\n")[0]
    mine, theirs = Subject(mutant.exercise, loaded(mutant)), Subject(mutant.exercise, REFERENCE)
    assert names.check_name("fixed_device", mine, theirs).status == "right"
    assert names.check_name("returned_none", mine, theirs).status == "wrong"


# ----------------------------------------------------------------------------- a run


@pytest.mark.slow
def test_the_grader_names_no_mistake_wrongly_and_charges_no_equivalent_mutant(tmp_path):
    result = run_cli("mutants", "--unit", "fc_to_conv", "--per-operator", "1", "--out", str(tmp_path))
    assert result.returncode in (0, 1), result.stderr[-3000:]
    records = json.loads((tmp_path / "mutants.json").read_text())
    assert {r["exercise"] for r in records} == set(UNIT.tags)
    assert any(r["equivalent"] for r in records)
    wrong = [
        f"{r['id']} [{r['description']}]: {n['test']} said {n['mistake']}; {n['why']}"
        for r in records
        for n in r["names"]
        if n["check"] == "wrong"
    ]
    charged = [
        f"{r['id']}: {r['score']}/{r['max_score']}" for r in records if r["equivalent"] and r["score"] < r["max_score"]
    ]
    errors = [f"{r['id']}: {r['grader_errors']}" for r in records if r["grader_errors"]]
    assert not errors, "\n".join(errors)
    assert not charged, "equivalent mutants charged:\n" + "\n".join(charged)
    assert not wrong, f"{len(wrong)} wrong names:\n" + "\n".join(wrong)
    assert result.returncode == 0, result.stdout[-3000:]
