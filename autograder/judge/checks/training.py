"""Checks of learn_kernel: its return contract, and its loss trajectory against seeded reference runs."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from autograder.i18n import msg
from autograder.judge import references
from autograder.judge.checks.common import Judge, answering, checked, inputs_phrase
from autograder.judge.mistakes import fail_with, failure
from autograder.judge.show import describe, shape_text
from autograder.sandbox.wire import TensorValue

NAME = "learn_kernel"
# Known wrong loops, tried in this order when the losses leave the reference trajectory.
VARIANTS = (
    ("no_zero_grad", references.LoopVariant(zero_grad=False)),
    ("wrong_update_sign", references.LoopVariant(sign=-1.0)),
    ("mean_loss", references.LoopVariant(mean=True)),
    ("bias_left_on", references.LoopVariant(bias=True)),
)


@dataclass(frozen=True)
class Learned:
    kernel: torch.Tensor
    losses: list[float]
    device: str


@dataclass(frozen=True)
class Task:
    X: torch.Tensor
    Y: torch.Tensor
    kernel_size: tuple[int, int]
    lr: float
    num_epochs: int
    seed: int

    def reference(self, variant: references.LoopVariant = references.CORRECT_LOOP) -> tuple[torch.Tensor, list[float]]:
        return references.learn_kernel(self.X, self.Y, self.kernel_size, self.lr, self.num_epochs, self.seed, variant)

    def initial_kernel(self) -> torch.Tensor:
        torch.manual_seed(self.seed)
        return torch.nn.Conv2d(1, 1, self.kernel_size, bias=False).weight.detach().reshape(self.kernel_size)


def run(judge: Judge, task: Task, device: str = "cpu") -> Learned:
    """Call learn_kernel under the task's seed and check the shape of what it returns."""
    inputs = {"X": task.X, "Y": task.Y}
    context = checked(NAME, inputs, device)
    params = {"name": NAME, "epochs": task.num_epochs, "kernel_size": shape_text(task.kernel_size)}
    with answering(NAME, inputs_phrase(inputs, device)):
        value = judge.student.call(
            NAME,
            task.X,
            task.Y,
            device=device,
            seed=task.seed,
            timeout=30.0,
            kernel_size=task.kernel_size,
            lr=task.lr,
            num_epochs=task.num_epochs,
        ).value
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise failure(msg("check.learn_returns", got=describe(value)), context)
    kernel, losses = value
    if not isinstance(kernel, TensorValue) or kernel.data is None:
        raise failure(msg("check.learn_kernel_type", got=describe(kernel)), context)
    if kernel.shape == (1, 2) and kernel.data.tolist() == [[1.0, -1.0]] and tuple(task.kernel_size) != (1, 2):
        raise fail_with("hard_coded_kernel", params, details=(context,))
    if kernel.shape != tuple(task.kernel_size):
        if kernel.shape == (1, 1, *tuple(task.kernel_size)):
            raise fail_with("reshape_missing", {**params, "got": shape_text(kernel.shape)}, details=(context,))
        raise fail_with("kernel_wrong_shape", {**params, "got": shape_text(kernel.shape)}, details=(context,))
    if kernel.device_type != device.split(":", 1)[0]:
        raise fail_with("not_on_input_device", {**params, "device": device, "got": kernel.device}, details=(context,))
    if not isinstance(losses, list):
        raise failure(msg("check.learn_losses_type", got=describe(losses)), context)
    if len(losses) != task.num_epochs:
        raise fail_with("losses_wrong_count", {**params, "got": len(losses)}, details=(context,))
    if not all(type(v) is float for v in losses):
        bad = next(v for v in losses if type(v) is not float)
        raise fail_with("losses_not_floats", {**params, "got": describe(bad)}, details=(context,))
    return Learned(kernel.data.double(), losses, kernel.device)


def _same_trajectory(a: list[float], b: list[float], rtol: float = 2e-3) -> bool:
    return len(a) == len(b) and all(
        math.isclose(x, y, rel_tol=rtol, abs_tol=1e-5) or (math.isnan(x) and math.isnan(y))
        for x, y in zip(a, b, strict=True)
    )


def named_loop_mistake(task: Task, learned: Learned) -> str | None:
    """The known wrong loop whose seeded run gives exactly these losses (or this kernel), if any."""
    initial = task.initial_kernel().double()
    if torch.allclose(learned.kernel, initial, atol=1e-6):
        return "untrained_kernel"
    _, ref_losses = task.reference()
    if _same_trajectory(learned.losses[: task.num_epochs - 1], ref_losses[1:]):
        return "loss_after_update"
    for mistake, variant in VARIANTS:
        _, losses = task.reference(variant)
        if _same_trajectory(learned.losses, losses):
            return mistake
    return None


def diagnose_loop(task: Task, learned: Learned) -> None:
    """Fail, naming the mistake, when the losses leave the trajectory of the text's loop."""
    ref_kernel, ref_losses = task.reference()
    params = {"name": NAME, "epochs": task.num_epochs, "kernel_size": shape_text(task.kernel_size)}
    context = checked(NAME, {"X": task.X, "Y": task.Y}, "cpu")
    if _same_trajectory(learned.losses, ref_losses):
        if torch.allclose(learned.kernel, ref_kernel.double(), rtol=1e-3, atol=1e-4):
            return
    mistake = named_loop_mistake(task, learned)
    if mistake is not None:
        raise fail_with(mistake, params, details=(context,))
    raise failure(
        msg("check.learn_trajectory", name=NAME),
        context,
        msg(
            "check.learn_trajectory_detail",
            expected=", ".join(f"{v:.4g}" for v in ref_losses[:4]),
            got=", ".join(f"{v:.4g}" for v in learned.losses[:4]),
        ),
        hint=msg("check.learn_trajectory_hint"),
    )


def check_converges(task: Task, learned: Learned, target: torch.Tensor, within: float, last_loss_below: float) -> None:
    """The learned kernel is within `within` of `target`, and the last loss below `last_loss_below`."""
    context = checked(NAME, {"X": task.X, "Y": task.Y}, learned.device)
    distance = float((learned.kernel - target.double()).abs().max())
    if torch.equal(learned.kernel, torch.tensor([[1.0, -1.0]], dtype=torch.float64)) and not torch.equal(
        target.double(), learned.kernel
    ):
        raise fail_with("hard_coded_kernel", {"name": NAME}, details=(context,))
    if distance > within or not learned.losses[-1] < last_loss_below:
        detail = msg(
            "check.learn_converge_detail",
            target=_fmt(target),
            got=_fmt(learned.kernel),
            distance=f"{distance:.3g}",
            within=f"{within:g}",
            loss=f"{learned.losses[-1]:.4g}",
            below=f"{last_loss_below:g}",
        )
        mistake = named_loop_mistake(task, learned)
        if mistake is not None:
            params = {"name": NAME, "epochs": task.num_epochs, "kernel_size": shape_text(task.kernel_size)}
            raise fail_with(mistake, params, details=(context, detail))
        raise failure(msg("check.learn_converge", name=NAME), context, detail)


def _fmt(kernel: torch.Tensor) -> str:
    return "[" + ", ".join("[" + ", ".join(f"{v:.3f}" for v in row) + "]" for row in kernel.tolist()) + "]"
