"""The learn_kernel diagnosis on runs computed here: loops as learners write them, run in float32 under
the caller's seed, and told apart from the losses and kernel alone (and from a second call, a probe)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
import torch
from torch import nn

from autograder.i18n import catalogue
from autograder.units.convolutions.diagnose.training import (
    TEXT_LOOP,
    Finding,
    Problem,
    Run,
    diagnose,
    none_gradient_at,
    replay,
)
from autograder.units.convolutions.references import edge_image

Loop = Callable[[torch.Tensor, torch.Tensor, tuple[int, int], float, int], tuple[torch.Tensor, list[float]]]


def text_problem(seed: int = 5, lr: float = 3e-2) -> Problem:
    X, Y = edge_image()
    return Problem(X, Y, (1, 2), lr, 10, seed)


def run_of(loop: Loop, problem: Problem) -> Run:
    """The run a student's loop gives when the caller seeds first, as the worker does."""
    torch.manual_seed(problem.seed)
    kernel, losses = loop(problem.X, problem.Y, problem.kernel_size, problem.lr, problem.num_epochs)
    return Run(tuple(losses), kernel.detach().double())


def diagnosed(loop: Loop, problem: Problem | None = None, probe: bool = True) -> Finding | None:
    problem = problem or text_problem()
    return diagnose(problem, run_of(loop, problem), (lambda p: run_of(loop, p)) if probe else None)


def rendered(finding: Finding) -> str:
    cat = catalogue("en")
    lines = [cat.render(m) for m in (finding.summary, *finding.evidence) if m is not None]
    return "\n".join(lines)


def layer_loop(
    *,
    loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] = lambda out, y: ((out - y) ** 2).sum(),
    optimiser: Callable[..., torch.optim.Optimizer] | None = None,
    bias: bool = False,
    zero_grad: bool = True,
    own_seed: int | None = None,
    fixed_lr: float | None = None,
) -> Loop:
    """The loop of the text with one or more of the changes learners make."""

    def learn(X, Y, kernel_size, lr, num_epochs):
        if own_seed is not None:
            torch.manual_seed(own_seed)
        conv = nn.Conv2d(1, 1, kernel_size, bias=bias)
        step = optimiser(conv.parameters(), lr=lr) if optimiser else None
        x, y = X.reshape(1, 1, *X.shape), Y.reshape(1, 1, *Y.shape)
        losses = []
        for _ in range(num_epochs):
            value = loss(conv(x), y)
            losses.append(value.item())
            if zero_grad:
                conv.zero_grad()
            value.backward()
            if step is not None:
                step.step()
            else:
                conv.weight.data[:] -= (fixed_lr or lr) * conv.weight.grad
        return conv.weight.detach().reshape(kernel_size), losses

    return learn


def own_layer_loop(optimiser: Callable[..., torch.optim.Optimizer] | None = None, mean: bool = False) -> Loop:
    """A layer of one's own, as in exercise 2: weight torch.rand, bias zeros."""

    def learn(X, Y, kernel_size, lr, num_epochs):
        weight = nn.Parameter(torch.rand(kernel_size))
        bias = nn.Parameter(torch.zeros(1))
        step = optimiser([weight, bias], lr=lr) if optimiser else None
        losses = []
        for _ in range(num_epochs):
            out = torch.nn.functional.conv2d(X[None, None], weight[None, None])[0, 0] + bias
            value = ((out - Y) ** 2).mean() if mean else ((out - Y) ** 2).sum()
            losses.append(value.item())
            weight.grad = bias.grad = None
            value.backward()
            if step is not None:
                step.step()
            else:
                with torch.no_grad():
                    weight -= lr * weight.grad
        return weight.detach(), losses

    return learn


# ----------------------------------------------------------------------------- correct loops: no diagnosis


def manual_no_grad(X, Y, kernel_size, lr, num_epochs):
    conv = nn.Conv2d(1, 1, kernel_size=kernel_size, bias=False)
    x, y = X[None, None], Y[None, None]
    losses = []
    for _ in range(num_epochs):
        loss = (conv(x) - y).pow(2).sum()
        losses.append(loss.item())
        conv.zero_grad()
        loss.backward()
        with torch.no_grad():
            conv.weight -= lr * conv.weight.grad
    return conv.weight.detach()[0, 0], losses


def mse_sum_zero_grad_at_the_end(X, Y, kernel_size, lr, num_epochs):
    conv = nn.Conv2d(1, 1, kernel_size, bias=False)
    criterion, sgd = nn.MSELoss(reduction="sum"), torch.optim.SGD(conv.parameters(), lr=lr)
    losses = []
    for _ in range(num_epochs):
        loss = criterion(conv(X[None, None]), Y[None, None])
        losses.append(loss.item())
        loss.backward()
        sgd.step()
        sgd.zero_grad()
    return conv.weight.detach().reshape(kernel_size), losses


@pytest.mark.parametrize(
    "loop",
    [
        layer_loop(),
        manual_no_grad,
        mse_sum_zero_grad_at_the_end,
        layer_loop(optimiser=torch.optim.SGD),
        layer_loop(loss=lambda out, y: torch.sum(torch.square(out - y))),
    ],
    ids=["data_update", "no_grad_update", "mse_sum_sgd", "optim_sgd", "square_sum"],
)
def test_the_loop_of_the_text_written_any_way_gets_no_diagnosis(loop):
    assert diagnosed(loop) is None
    assert diagnosed(loop, Problem(*edge_image(), (1, 2), 3e-2, 7, seed=11)) is None


# ----------------------------------------------------------------------------- one change: named, with numbers


def test_a_mean_loss_is_named_from_the_first_loss_divided_by_the_outputs():
    finding = diagnosed(layer_loop(loss=nn.MSELoss()))
    assert finding is not None
    assert finding.mistake == "mean_loss"
    first = finding.evidence[0]
    assert first.key == "learn.evidence.mean_loss_first"
    assert first.params["n"] == 42
    assert float(first.params["got"]) == pytest.approx(float(first.params["other"]) / 42, rel=1e-3)
    assert "divided by 42, the number of outputs" in rendered(finding)


@pytest.mark.parametrize(
    ("optimiser", "named_as"),
    [
        (torch.optim.Adam, "Adam"),
        (torch.optim.AdamW, "AdamW"),
        (lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9), "SGD(momentum=0.9)"),
        (lambda params, lr: torch.optim.SGD(params, lr=lr, weight_decay=0.01), "SGD(weight_decay=0.01)"),
        (torch.optim.RMSprop, "RMSprop"),
    ],
)
def test_an_optimiser_is_named_by_replaying_it_from_the_same_start(optimiser, named_as):
    finding = diagnosed(layer_loop(optimiser=optimiser))
    assert finding is not None
    assert finding.mistake == "other_optimiser"
    assert finding.params["optimiser"] == named_as
    assert f"{named_as} from the same start gives" in rendered(finding)


def test_momentum_departs_after_the_first_step_and_the_epoch_is_said():
    finding = diagnosed(layer_loop(optimiser=lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9)))
    assert finding is not None
    assert finding.evidence[0].params["epoch"] == 3, "the first two losses of momentum SGD are plain SGD's"


def test_a_bias_never_updated_and_one_trained_are_both_a_bias_left_on():
    frozen = diagnosed(layer_loop(bias=True))
    trained = diagnosed(layer_loop(bias=True, optimiser=torch.optim.SGD))
    assert frozen is not None
    assert frozen.mistake == "bias_left_on"
    assert trained is not None
    assert trained.mistake == "bias_left_on"
    assert frozen.evidence[0].key == "learn.evidence.bias_frozen"
    assert trained.evidence[0].key == "learn.evidence.bias_trained"
    assert "never updated" in rendered(frozen)


def test_a_layer_of_ones_own_is_a_correct_loop_from_another_start():
    finding = diagnosed(own_layer_loop())
    assert finding is not None
    assert finding.mistake == "other_initial_kernel"
    assert finding.also == ()
    assert "which torch.rand draws under the caller's seed" in rendered(finding)


def test_a_layer_of_ones_own_trained_with_its_bias_names_both():
    finding = diagnosed(own_layer_loop(torch.optim.SGD))
    assert finding is not None
    assert (finding.mistake, finding.also) == ("other_initial_kernel", ("bias_left_on",))


def test_gradients_that_add_up_are_named():
    finding = diagnosed(layer_loop(zero_grad=False))
    assert finding is not None
    assert finding.mistake == "no_zero_grad"


def test_zero_grad_between_backward_and_step_leaves_the_kernel_untrained():
    def cleared_before_step(X, Y, kernel_size, lr, num_epochs):
        conv = nn.Conv2d(1, 1, kernel_size, bias=False)
        sgd = torch.optim.SGD(conv.parameters(), lr=lr)
        losses = []
        for _ in range(num_epochs):
            loss = ((conv(X[None, None]) - Y[None, None]) ** 2).sum()
            losses.append(loss.item())
            loss.backward()
            sgd.zero_grad()
            sgd.step()
        return conv.weight.detach().reshape(kernel_size), losses

    finding = diagnosed(cleared_before_step)
    assert finding is not None
    assert finding.mistake == "untrained_kernel"


def test_two_changes_at_once_are_both_named():
    finding = diagnosed(layer_loop(loss=nn.MSELoss(), optimiser=torch.optim.Adam))
    assert finding is not None
    assert (finding.mistake, finding.also) == ("mean_loss", ("other_optimiser",))


# ----------------------------------------------------------------------------- probes: seed and lr


def test_a_seed_set_inside_is_named_with_the_seed_once_a_second_call_shows_it():
    finding = diagnosed(layer_loop(own_seed=42))
    assert finding is not None
    assert finding.mistake == "seeded_inside"
    assert finding.evidence[0].params["found"] == 42


def test_without_the_probe_a_seed_set_inside_is_only_another_start():
    finding = diagnosed(layer_loop(own_seed=42), probe=False)
    assert finding is not None
    assert finding.mistake == "other_initial_kernel"


def test_an_unusual_seed_set_inside_is_observed_without_a_name():
    finding = diagnosed(layer_loop(own_seed=987_654))
    assert finding is not None
    assert finding.mistake is None
    assert finding.summary is not None
    assert finding.summary.key == "learn.first_differs"
    keys = [m.key for m in finding.evidence]
    assert "learn.evidence.seed_ignored" in keys
    assert "learn.evidence.start_fitted" in keys


def test_a_learning_rate_written_into_the_loop_is_named_and_found():
    finding = diagnosed(layer_loop(fixed_lr=0.1))
    assert finding is not None
    assert finding.mistake == "parameter_ignored"
    assert finding.params["parameter"] == "lr"
    assert "with lr=0.1" in rendered(finding)


def test_the_default_lr_written_in_is_named_where_the_caller_asks_for_another():
    problem = replace(text_problem(), lr=1e-2)
    finding = diagnosed(layer_loop(fixed_lr=3e-2), problem)
    assert finding is not None
    assert finding.mistake == "parameter_ignored"
    assert finding.params["used"] == "0.03"


def test_a_constant_answer_is_not_said_to_ignore_lr():
    def constant(X, Y, kernel_size, lr, num_epochs):
        return torch.tensor([[1.0, -1.0]]), [1.0 / (epoch + 1) for epoch in range(num_epochs)]

    finding = diagnosed(constant)
    assert finding is not None
    assert finding.mistake is None


# ----------------------------------------------------------------------------- no name without the evidence


def test_three_changes_at_once_are_all_named():
    finding = diagnosed(own_layer_loop(torch.optim.Adam))
    assert finding is not None
    assert (finding.mistake, finding.also) == ("other_initial_kernel", ("bias_left_on", "other_optimiser"))


def test_four_changes_at_once_are_observed_precisely_without_a_name():
    finding = diagnosed(own_layer_loop(torch.optim.Adam, mean=True))
    assert finding is not None
    assert finding.mistake is None
    assert finding.summary is not None
    assert finding.summary.key == "learn.first_differs"
    assert "differs from the text's" in rendered(finding)


def test_an_unusual_momentum_is_located_but_not_named():
    finding = diagnosed(layer_loop(optimiser=lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.7)))
    assert finding is not None
    assert finding.mistake is None
    assert finding.summary is not None
    assert finding.summary.key == "learn.departs"
    assert finding.summary.params["same"] == 2
    assert finding.summary.params["epoch"] == 3


def test_a_kernel_returned_before_the_last_update_is_observed():
    def early_copy(X, Y, kernel_size, lr, num_epochs):
        kernel, _ = manual_no_grad(X, Y, kernel_size, lr, num_epochs - 1)
        torch.manual_seed(5)
        _, all_losses = manual_no_grad(X, Y, kernel_size, lr, num_epochs)
        return kernel, all_losses

    finding = diagnosed(early_copy, probe=False)
    assert finding is not None
    assert finding.mistake is None
    assert finding.summary is not None
    assert finding.summary.key == "learn.kernel_differs"


def test_a_gradient_that_is_none_at_the_update_is_found_on_the_students_line():
    report = {
        "exc_type": "TypeError",
        "message": "unsupported operand type(s) for *: 'float' and 'NoneType'",
        "traceback": '  File "ex4_learn_kernel.py", line 15, in learn_kernel\n'
        "    conv2d.weight.data[:] -= lr * conv2d.weight.grad",
    }
    assert none_gradient_at(report) == ("ex4_learn_kernel.py", 15)
    elsewhere = {**report, "traceback": '  File "ex4_learn_kernel.py", line 9, in learn_kernel\n    total = lr * None'}
    assert none_gradient_at(elsewhere) is None
    assert none_gradient_at({**report, "exc_type": "RuntimeError"}) is None


@pytest.mark.parametrize(
    ("changes", "optimiser"),
    [
        ({"step": "adam"}, lambda p, lr: torch.optim.Adam(p, lr=lr)),
        ({"step": "adamw"}, lambda p, lr: torch.optim.AdamW(p, lr=lr)),
        ({"step": "rmsprop"}, lambda p, lr: torch.optim.RMSprop(p, lr=lr)),
        ({"step": "adagrad"}, lambda p, lr: torch.optim.Adagrad(p, lr=lr)),
        ({"momentum": 0.9, "nesterov": True}, lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9, nesterov=True)),
        (
            {"weight_decay": 0.01, "ascent": True},
            lambda p, lr: torch.optim.SGD(p, lr=lr, weight_decay=0.01, maximize=True),
        ),
    ],
)
def test_the_replayed_steps_are_torch_optims_own(changes, optimiser):
    """The replay writes the optimisers out; in float64 they must give torch.optim's very numbers."""
    problem = text_problem()
    loop = replace(TEXT_LOOP, bias="trained", reduction="mean", **changes)
    replayed = replay(problem, loop)
    torch.manual_seed(problem.seed)
    conv = nn.Conv2d(1, 1, problem.kernel_size).double()
    step = optimiser(conv.parameters(), problem.lr)
    x, y = problem.X.double()[None, None], problem.Y.double()[None, None]
    losses = []
    for _ in range(problem.num_epochs):
        loss = ((conv(x) - y) ** 2).mean()
        losses.append(loss.item())
        step.zero_grad()
        loss.backward()
        step.step()
    assert replayed is not None
    assert replayed.losses == pytest.approx(losses, rel=1e-9)
    assert torch.allclose(replayed.kernel, conv.weight.detach().reshape(problem.kernel_size), rtol=1e-9, atol=1e-12)
