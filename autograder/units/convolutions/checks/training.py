"""Checks of learn_kernel: what it returns, whether it learns, and whether it runs the loop of the text.

Each check charges its own property: the kernel's type and shape where the kernel is used, the
losses' container, count and type only in the contract check, and the trajectory where the loop is
checked. Deviations from the text's loop are named by autograder.units.convolutions.diagnose.training.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch

from autograder.feedback import Failure
from autograder.i18n import Message, msg
from autograder.judge.checks.common import UnderTest, answering, checked, inputs_phrase
from autograder.judge.mistakes import fail_with, failure, named
from autograder.judge.show import describe, shape_text
from autograder.sandbox.wire import TensorValue
from autograder.units.convolutions import references
from autograder.units.convolutions.diagnose import training as diagnosis
from autograder.units.convolutions.diagnose.training import Finding, Probe, Problem, Run

NAME = "learn_kernel"


@dataclass(frozen=True)
class Learned:
    kernel: torch.Tensor
    """float64, of shape kernel_size."""
    losses: list[float]
    """The losses as numbers, whatever type they came as (the contract check looks at that)."""
    raw_losses: Any
    device: str
    attached: bool = False
    """The kernel came back still requiring grad."""

    @property
    def run(self) -> Run:
        return Run(tuple(self.losses), self.kernel)


Task = Problem
"""One call of learn_kernel that a test makes: the same value the diagnosis replays."""


def converging_lr(X: torch.Tensor, kernel_size: tuple[int, int]) -> float:
    """A learning rate under which the text's loop converges on X, whatever X was drawn: 0.9 over the
    largest curvature of the summed squared loss, to two digits."""
    k_h, k_w = kernel_size
    windows = X.double().unfold(0, k_h, 1).unfold(1, k_w, 1).reshape(-1, k_h * k_w)
    curvature = float(torch.linalg.eigvalsh(2 * windows.T @ windows).max())
    return float(f"{0.9 / curvature:.2g}")


def _params(task: Task) -> dict[str, Any]:
    return {"name": NAME, "epochs": task.num_epochs, "kernel_size": shape_text(task.kernel_size)}


def _context(task: Task, device: str) -> Message:
    return checked(NAME, {"X": task.X, "Y": task.Y}, device)


def _call(judge: UnderTest, task: Task, device: str) -> Any:
    """What learn_kernel returned for the task, called under the task's seed."""
    with answering(NAME, inputs_phrase({"X": task.X, "Y": task.Y}, device)):
        return judge.student.call(
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


def run(judge: UnderTest, task: Task, device: str = "cpu", probing: bool = False) -> Learned:
    """Call learn_kernel under the task's seed; check the kernel it returns and read the losses."""
    context = _context(task, device)
    params = _params(task)
    try:
        value = _call(judge, task, device)
    except Failure as raised:
        if not probing and raised.feedback.code:
            # It raised (a hang or a crash is not probed again): perhaps on the size it was asked for.
            _name_a_fixed_kernel_size(judge, task, device, raised)
        raise
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise failure(msg("check.learn_returns", got=describe(value)), context)
    kernel, raw_losses = value
    if not isinstance(kernel, TensorValue) or kernel.data is None:
        raise failure(msg("check.learn_kernel_type", got=describe(kernel)), context)
    size = tuple(task.kernel_size)
    if kernel.shape == (1, 2) and kernel.data.tolist() == [[1.0, -1.0]] and size != (1, 2):
        raise fail_with("hard_coded_kernel", params, details=(context,))
    if kernel.shape != size:
        got = shape_text(kernel.shape)
        if kernel.shape == (1, 1, *size):
            raise fail_with("reshape_missing", {**params, "got": got}, details=(context,))
        if kernel.shape == diagnosis.DEFAULT_KERNEL_SIZE:
            ignored = {**params, "parameter": "kernel_size", "asked": shape_text(size)}
            evidence = msg("learn.evidence.kernel_size_default", name=NAME, asked=shape_text(size), got=got)
            raise fail_with("parameter_ignored", ignored, details=(context, evidence))
        raise fail_with("kernel_wrong_shape", {**params, "got": got}, details=(context,))
    if kernel.device_type != device.split(":", 1)[0]:
        raise fail_with("not_on_input_device", {**params, "device": device, "got": kernel.device}, details=(context,))
    losses = _numbers(raw_losses)
    if losses is None:
        raise failure(msg("check.learn_losses_type", got=describe(raw_losses)), context)
    return Learned(kernel.data.double(), losses, raw_losses, kernel.device, kernel.requires_grad)


def _name_a_fixed_kernel_size(judge: UnderTest, task: Task, device: str, raised: Failure) -> None:
    """A call that failed with another kernel_size than the default: does the function use it at all?

    Called again with the same kernel_size but a Y sized for the default (1, 2) kernel, a function that
    uses kernel_size cannot fit Y; one that returns a (1, 2) kernel never looked at kernel_size.
    """
    size, default = tuple(task.kernel_size), diagnosis.DEFAULT_KERNEL_SIZE
    out_h, out_w = references.valid_shape(task.X.shape, default)
    if size == default or out_h < 1 or out_w < 1:
        return
    sized_for_default = torch.ones(out_h, out_w, dtype=task.Y.dtype)
    other = Task(task.X, sized_for_default, task.kernel_size, task.lr, task.num_epochs, task.seed)
    try:
        answer = _call(judge, other, device)
    except Failure:
        return
    kernel = answer[0] if isinstance(answer, (tuple, list)) and len(answer) == 2 else None
    if not isinstance(kernel, TensorValue) or kernel.shape != default:
        return
    params = {**_params(task), "parameter": "kernel_size", "asked": shape_text(size)}
    evidence = msg(
        "learn.evidence.kernel_size_probe",
        name=NAME,
        asked=shape_text(size),
        y=shape_text((out_h, out_w)),
        got=shape_text(default),
    )
    feedback = named("parameter_ignored", params, details=(_context(task, device), evidence), code=raised.feedback.code)
    raise Failure(feedback) from None


def _numbers(raw: Any) -> list[float] | None:
    """The losses as floats when they are numbers of any kind (floats, ints, one-element tensors)."""
    if isinstance(raw, TensorValue):
        return None if raw.data is None or raw.data.dim() != 1 else [float(v) for v in raw.data.double().tolist()]
    if not isinstance(raw, (list, tuple)):
        return None
    numbers = []
    for item in raw:
        if type(item) in (float, int):
            numbers.append(float(item))
        elif isinstance(item, TensorValue) and item.data is not None and item.data.numel() == 1:
            numbers.append(float(item.data.double().reshape(())))
        else:
            return None
    return numbers


def check_losses_contract(judge: UnderTest, task: Task, learned: Learned) -> None:
    """What comes back is plain data: a detached kernel and a list of Python floats, one per epoch."""
    context = _context(task, learned.device)
    params = _params(task)
    if learned.attached:
        raise fail_with("kernel_not_detached", params, details=(context,))
    raw = learned.raw_losses
    if not isinstance(raw, list):
        raise failure(msg("check.learn_losses_type", got=describe(raw)), context)
    if len(raw) != task.num_epochs:
        other = Task(task.X, task.Y, task.kernel_size, task.lr, task.num_epochs + 3, task.seed)
        answer = _probe(judge, learned.device)(other)
        # Named only when num_epochs changes nothing at all: the same losses and the same kernel.
        if (
            answer is not None
            and raw
            and answer.losses == tuple(learned.losses)
            and torch.equal(answer.kernel, learned.kernel)
        ):
            ignored = {**params, "parameter": "num_epochs", "asked": task.num_epochs}
            evidence = msg("learn.evidence.epochs_probe", name=NAME, probe=other.num_epochs, got=len(raw))
            raise fail_with("parameter_ignored", ignored, details=(context, evidence))
        raise fail_with("losses_wrong_count", {**params, "got": len(raw)}, details=(context,))
    if not all(type(v) is float for v in raw):
        bad = next(v for v in raw if type(v) is not float)
        raise fail_with("losses_not_floats", {**params, "got": describe(bad)}, details=(context,))


def _probe(judge: UnderTest, device: str) -> Probe:
    """Call the student again on another problem, for evidence; a call that fails gives none."""

    def probe(problem: Problem) -> Run | None:
        try:
            return run(judge, problem, device, probing=True).run
        except Failure:
            return None

    return probe


def _failure(finding: Finding, context: Message, *observed: Message) -> Failure:
    details = (context, *observed, *finding.evidence)
    if finding.mistake is None:
        assert finding.summary is not None
        return failure(finding.summary, *details, hint=finding.hint)
    also = tuple(
        msg(
            "learn.also",
            title=msg(f"mistake.{m}.title", **finding.params),
            fix=msg(f"mistake.{m}.fix", **finding.params),
        )
        for m in finding.also
    )
    return Failure(named(finding.mistake, finding.params, details=(*details, *also)))


def check_follows_the_loop(judge: UnderTest, task: Task, learned: Learned) -> None:
    """The losses and the kernel are those of the text's loop under the same seed."""
    finding = diagnosis.diagnose(task, learned.run, _probe(judge, learned.device))
    if finding is not None:
        raise _failure(finding, _context(task, learned.device))


def check_converges(
    judge: UnderTest, task: Task, learned: Learned, target: torch.Tensor, within: float, last_loss_below: float
) -> None:
    """The learned kernel is within `within` of `target`, and the last loss below `last_loss_below`."""
    context = _context(task, learned.device)
    distance = float((learned.kernel - target.double()).abs().max())
    if torch.equal(learned.kernel, torch.tensor([[1.0, -1.0]], dtype=torch.float64)) and not torch.equal(
        target.double(), learned.kernel
    ):
        raise fail_with("hard_coded_kernel", {"name": NAME}, details=(context,))
    last = learned.losses[-1] if learned.losses else math.nan
    if distance <= within and last < last_loss_below:
        return
    detail = msg(
        "check.learn_converge_detail",
        target=diagnosis.kernel_text(target),
        got=diagnosis.kernel_text(learned.kernel),
        distance=f"{distance:.3g}",
        within=f"{within:g}",
        loss=diagnosis.number(last),
        below=f"{last_loss_below:g}",
    )
    finding = diagnosis.diagnose(task, learned.run, _probe(judge, learned.device))
    if finding is not None and finding.mistake is not None:
        raise _failure(finding, context, detail)
    observed = () if finding is None else (finding.summary, *finding.evidence)
    hint = None if finding is None else finding.hint
    raise failure(msg("check.learn_converge", name=NAME), context, detail, *(m for m in observed if m), hint=hint)
