"""Mutation testing of the grader: the mutants, the oracle's verdicts, and the whole run."""

from __future__ import annotations

import ast
import json

import pytest

from autograder.units.convolutions import UNIT
from autograder.units.convolutions.mutants.corpus import all_mutants, solution_regions, spread
from autograder.units.convolutions.mutants.loading import load_modules, solution_sources
from autograder.units.convolutions.mutants.oracle import equivalent, warm_up
from autograder.units.convolutions.mutants.subjects import Subject
from autograder.units.convolutions.mutants.verifiers import verify
from tests.kit.conftest import run_cli

SOLUTIONS = UNIT.solutions
SOURCES = solution_sources(SOLUTIONS)
REFERENCE = load_modules(SOURCES, "solutions")


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_up(REFERENCE, SOURCES)


@pytest.fixture(scope="module")
def mutants():
    return all_mutants(SOLUTIONS)


# ----------------------------------------------------------------------------- the operators


@pytest.mark.slow  # the whole corpus, generated again or compiled mutant by mutant: `make test`
def test_the_same_mutants_every_run(mutants):
    again = all_mutants(SOLUTIONS)
    assert [(m.id, m.source) for m in again] == [(m.id, m.source) for m in mutants]
    assert len({m.id for m in mutants}) == len(mutants)
    assert len({m.source for m in mutants}) == len(mutants)
    assert len(mutants) >= 300


@pytest.mark.slow  # the whole corpus, generated again or compiled mutant by mutant: `make test`
def test_every_mutant_compiles_and_changes_only_a_solution_body(mutants):
    def outside_bodies(source: str) -> list[str]:
        """Each function's name, arguments and docstring: everything but its solution body."""
        found = []
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef):
                found.append(f"{node.name}({ast.unparse(node.args)}) {ast.get_docstring(node)}")
        return found

    for mutant in mutants:
        original = SOURCES[mutant.file]
        assert ast.unparse(ast.parse(mutant.source)) != ast.unparse(ast.parse(original)), mutant.id
        assert outside_bodies(mutant.source) == outside_bodies(original), mutant.id
        assert "\n" not in mutant.description, mutant.id


def test_solution_regions_are_the_marked_bodies():
    text = "def f():\n    # BEGIN SOLUTION\n    x = 1\n    return x\n    # END SOLUTION\n"
    assert solution_regions(text) == [(3, 4)]


@pytest.mark.parametrize(
    ("exercise", "changed"),
    [
        ("corr2d", "for i in range(out_h - 1):"),
        ("corr2d", "for j in range(out_w + 1):"),
        ("corr2d", "X[i:i + k_h - 1, j:j + k_w]"),
        ("corr2d", "X[i:i + k_h, j:j + k_w] * K.flip((0, 1))"),
        ("corr2d", "Y[j, i] = "),
        ("corr2d", "(X[i:i + k_h, j:j + k_w] * K).mean()"),
        ("corr2d", "torch.zeros((out_h, out_w), dtype=X.dtype)\n"),
        ("corr2d", "X.new_zeros((out_h, out_w))"),
        ("corr2d", "return Y.transpose(0, 1)"),
        ("Conv2D", "return corr2d(x, self.weight) + self.bias + self.bias"),
        ("Conv2D", "return corr2d(x, self.weight)\n"),
        ("corr3d", "X[d:d + k_d, i:i + k_h, j:j + k_w] * K.flip(2)"),
        ("learn_kernel", "conv2d.weight += lr * conv2d.weight.grad"),
        ("learn_kernel", "bias=True"),
        ("learn_kernel", "conv2d.weight -= 0.03 * conv2d.weight.grad"),
        ("learn_kernel", "range(10)"),
        ("learn_kernel", "loss = ((Y_hat - Y) ** 2).mean()"),
        ("learn_kernel", "losses.append(loss)"),
        ("learn_kernel", "loss.backward()\n        conv2d.zero_grad()"),
        ("learn_kernel", "return (conv2d.weight.reshape(kernel_size), losses)"),
    ],
)
def test_operators_make_the_typical_mistakes(mutants, exercise, changed):
    sources = [m.source for m in mutants if m.exercise == exercise]
    assert any(changed in source for source in sources), f"no {exercise} mutant with {changed!r}"


def test_the_loss_recorded_after_the_update_is_computed_again(mutants):
    moved = [m for m in mutants if m.operator == "move_to_end" and "losses.append" in m.description]
    assert moved
    body = moved[0].source.split("for _ in range(num_epochs):")[1]
    assert body.index("conv2d.weight -= lr") < body.rindex("Y_hat = conv2d(X)") < body.index("losses.append")


def test_spread_bounds_each_operator_and_keeps_the_ids(mutants):
    kept = spread(mutants, 2)
    per_group: dict[tuple[str, str], int] = {}
    for mutant in kept:
        per_group[(mutant.exercise, mutant.operator)] = per_group.get((mutant.exercise, mutant.operator), 0) + 1
    assert max(per_group.values()) == 2
    assert {m.id for m in kept} <= {m.id for m in mutants}
    assert spread(mutants, None) == mutants


# ----------------------------------------------------------------------------- the oracle


def subject(tag: str, file: str | None = None, text: str | None = None) -> Subject:
    """Exercise `tag` of the solutions with `file` replaced by `text`."""
    sources = dict(SOURCES)
    if file is not None and text is not None:
        sources[file] = text
    return Subject(tag, load_modules(sources, "test"), sources)


def reference(tag: str) -> Subject:
    return Subject(tag, REFERENCE, SOURCES)


def corr2d_returning(expression: str, preamble: str = "") -> Subject:
    """A corr2d that computes the valid correlation `right` and returns `expression`."""
    text = f"""
import torch
import torch.nn.functional as F

def corr2d(X, K):
{preamble}
    right = F.conv2d(X[None, None].double(), K[None, None].double())[0, 0].to(X.dtype)
    return {expression}
"""
    return subject("corr2d", "ex1_corr2d.py", text)


@pytest.mark.parametrize("tag", ["corr1d", "corr2d", "corr3d", "Conv2D", "learn_kernel"])
def test_the_reference_is_equivalent_to_itself(tag):
    assert equivalent(reference(tag), reference(tag)).holds


def test_a_rewritten_but_equal_corr2d_is_equivalent():
    text = """
import torch

def corr2d(X, K):
    rows, cols = X.shape[0] - K.shape[0] + 1, X.shape[1] - K.shape[1] + 1
    Y = X.new_zeros((rows, cols))
    for a in range(K.shape[0]):
        for b in range(K.shape[1]):
            Y = Y + K[a, b] * X[a:a + rows, b:b + cols]
    return Y
"""
    verdict = equivalent(subject("corr2d", "ex1_corr2d.py", text), reference("corr2d"))
    assert verdict.holds, verdict.reason


@pytest.mark.parametrize(
    "expression",
    [
        "right.flip((0, 1))",
        "right.float()",
        "right.detach()",
        "right.cpu()",
        "right + 1e-3",
    ],
)
def test_a_corr2d_that_differs_is_not_equivalent(expression):
    verdict = equivalent(corr2d_returning(expression), reference("corr2d"))
    assert not verdict.holds


FLIPPED = "F.conv2d(X[None, None], K.flip((0, 1))[None, None])[0, 0]"
ROWS_FLIPPED = "F.conv2d(X[None, None], K.flip(0)[None, None])[0, 0]"


@pytest.mark.parametrize(
    ("mistake", "params", "makes_it", "does_not"),
    [
        ("flipped_kernel", {}, FLIPPED, ROWS_FLIPPED),
        ("flipped_kernel", {}, FLIPPED, "right"),
        ("transposed_kernel", {}, "F.conv2d(X[None, None], K.T[None, None])[0, 0]", FLIPPED),
        ("transposed_output", {}, "right.T", "right"),
        ("mean_instead_of_sum", {}, "right / K.numel()", "right / 2"),
        ("kernel_not_multiplied", {}, "F.conv2d(X[None, None], torch.ones_like(K)[None, None])[0, 0]", "right"),
        ("off_by_one_short", {}, "right[:-1, :-1]", "right[:-1, :]"),
        ("off_by_one_long", {}, "F.pad(right, (0, 1, 0, 1))", "F.pad(right, (0, 1, 0, 0))"),
        ("off_by_one_one_dimension", {"dim": "1"}, "right[:, :-1]", "right[:-1, :]"),
        ("same_size_output", {}, "torch.zeros_like(X)", "right"),
        ("last_row_or_column_missing", {"dim": "0"}, "torch.cat([right[:-1], 0 * right[-1:]])", "right"),
        ("extra_dimensions", {}, "right[None, None]", "right"),
        ("nan_or_inf", {}, "right / 0", "right"),
        ("returned_none", {}, "None", "right"),
        ("not_a_tensor", {}, "right.tolist()", "right"),
        ("returned_numpy", {}, "right.numpy()", "right.tolist()"),
        ("fixed_dtype", {}, "right.float()", "right"),
        ("input_modified", {"input": "X"}, "(X.mul_(2), right)[1]", "right"),
        ("autograd_broken", {"input": "X, K"}, "right.detach()", "right"),
        ("autograd_detach", {"input": "X, K"}, "right.detach()", "right + 0 * torch.tensor(1.0)"),
        ("torch_conv_used", {}, "right", None),
    ],
)
def test_a_verifier_agrees_only_with_the_mistake_it_names(mistake, params, makes_it, does_not):
    verdict = verify(mistake, corr2d_returning(makes_it), reference("corr2d"), params)
    assert verdict is not None
    assert verdict.holds, verdict.reason
    if does_not is not None:
        assert not verify(mistake, corr2d_returning(does_not), reference("corr2d"), params).holds
    assert not verify(mistake, reference("corr2d"), reference("corr2d"), params).holds


LOOP = """
import torch
from torch import nn

def corr2d(X, K):
    raise NotImplementedError

def loop(X, Y, kernel_size, lr, num_epochs):
    conv2d = nn.Conv2d(1, 1, kernel_size=kernel_size, bias=False).to(X.dtype)
    X, Y = X.reshape((1, 1, *X.shape)), Y.reshape((1, 1, *Y.shape))
    losses = []
    for _ in range(num_epochs):
        loss = LOSS
        losses.append(loss.item())
        ZERO
        loss.backward()
        with torch.no_grad():
            conv2d.weight -= SIGN lr * conv2d.weight.grad
    return conv2d.weight.detach().reshape(kernel_size), losses

def learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, num_epochs=10):
    return loop(X, Y, kernel_size, lr, num_epochs)
"""


def learn_kernel_with(loss: str = "((conv2d(X) - Y) ** 2).sum()", zero: bool = True, sign: str = "") -> Subject:
    text = LOOP.replace("LOSS", loss).replace("ZERO", "conv2d.zero_grad()" if zero else "pass").replace("SIGN", sign)
    return subject("learn_kernel", "ex4_learn_kernel.py", text)


def test_a_loop_written_differently_but_equal_is_equivalent():
    verdict = equivalent(learn_kernel_with(), reference("learn_kernel"))
    assert verdict.holds, verdict.reason


@pytest.mark.parametrize(
    ("mistake", "makes_it", "does_not"),
    [
        ("no_zero_grad", {"zero": False}, {"sign": "-"}),
        ("wrong_update_sign", {"sign": "-"}, {"zero": False}),
        ("mean_loss", {"loss": "((conv2d(X) - Y) ** 2).mean()"}, {"zero": False}),
    ],
)
def test_a_loop_verifier_agrees_only_with_its_own_loop(mistake, makes_it, does_not):
    assert verify(mistake, learn_kernel_with(**makes_it), reference("learn_kernel"), {}).holds
    assert not verify(mistake, learn_kernel_with(**does_not), reference("learn_kernel"), {}).holds
    assert not verify(mistake, reference("learn_kernel"), reference("learn_kernel"), {}).holds


LAYER = """
import torch
from ex1_corr2d import corr2d
from torch import nn

class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = nn.Parameter(torch.rand(kernel_size))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return FORWARD
"""


@pytest.mark.parametrize(
    ("mistake", "makes_it", "does_not"),
    [
        ("bias_not_added", "corr2d(x, self.weight)", "corr2d(x, self.weight) + 2 * self.bias"),
        ("bias_added_twice", "corr2d(x, self.weight) + 2 * self.bias", "corr2d(x, self.weight)"),
        ("forward_ignores_weight", "x[:-1, :-1].clone() + self.bias", "corr2d(x, self.weight)"),
    ],
)
def test_a_layer_verifier_agrees_only_with_its_own_mistake(mistake, makes_it, does_not):
    def layer(forward: str) -> Subject:
        return subject("Conv2D", "ex2_conv2d.py", LAYER.replace("FORWARD", forward))

    assert verify(mistake, layer(makes_it), reference("Conv2D"), {}).holds
    assert not verify(mistake, layer(does_not), reference("Conv2D"), {}).holds
    assert not verify(mistake, reference("Conv2D"), reference("Conv2D"), {}).holds


def test_a_mistake_without_a_verifier_is_unverified():
    assert verify("not_on_input_device", reference("learn_kernel"), reference("learn_kernel"), {}) is None


# ----------------------------------------------------------------------------- the whole run


@pytest.mark.slow
def test_the_grader_names_no_mistake_wrongly_and_charges_no_equivalent_mutant(tmp_path):
    result = run_cli("mutants", "--out", str(tmp_path))
    assert result.returncode in (0, 1), result.stderr[-3000:]
    records = json.loads((tmp_path / "mutants.json").read_text())
    assert len(records) >= 200
    assert any(r["equivalent"] for r in records)
    wrong = [
        f"{r['id']} [{r['description']}]: {n['test']} said {n['mistake']}; {n['verifier']}"
        for r in records
        for n in r["names"]
        if n["verified"] is False
    ]
    charged = [
        f"{r['id']}: {r['score']}/{r['max_score']}" for r in records if r["equivalent"] and r["score"] < r["max_score"]
    ]
    errors = [f"{r['id']}: {r['grader_errors']}" for r in records if r["grader_errors"]]
    assert not errors, "\n".join(errors)
    assert not charged, "equivalent mutants charged:\n" + "\n".join(charged)
    assert not wrong, f"{len(wrong)} wrong names:\n" + "\n".join(wrong)
    assert result.returncode == 0, result.stdout[-3000:]
