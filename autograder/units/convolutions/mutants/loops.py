"""The kernel-learning loop of the text and the ways it goes wrong, written out for the oracle.

Each variant is the loop a named learn_kernel mistake claims the student wrote; the oracle runs it
under the same seed as the mutant and compares the two runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class Task:
    X: torch.Tensor
    Y: torch.Tensor
    kernel_size: tuple[int, int]
    lr: float
    num_epochs: int
    seed: int


@dataclass(frozen=True)
class Loop:
    """How the loop runs: the text's loop is `Loop()`."""

    zero_grad: bool = True
    sign: float = 1.0
    mean: bool = False
    bias: Literal["none", "trained", "frozen"] = "none"
    """"none" (the text), "trained" (updated with the weight) or "frozen" (on, never updated)."""
    record_after_update: bool = False


def run_loop(task: Task, loop: Loop = Loop(), start: torch.Tensor | None = None) -> tuple[torch.Tensor, list[float]]:
    """The loop under the task's seed (from kernel `start` when given): (learned kernel, one loss per epoch)."""
    torch.manual_seed(task.seed)
    layer = torch.nn.Conv2d(1, 1, task.kernel_size, bias=loop.bias != "none").to(task.X.dtype)
    if start is not None:
        with torch.no_grad():
            layer.weight.copy_(start.reshape(layer.weight.shape))
    x = task.X.detach().reshape(1, 1, *task.X.shape)
    y = task.Y.detach().reshape(1, 1, *task.Y.shape)

    def loss_now() -> torch.Tensor:
        squared: torch.Tensor = (layer(x) - y) ** 2
        return squared.mean() if loop.mean else squared.sum()

    losses = []
    for _ in range(task.num_epochs):
        loss = loss_now()
        if not loop.record_after_update:
            losses.append(float(loss.item()))
        if loop.zero_grad:
            layer.zero_grad()
        loss.backward()
        assert layer.weight.grad is not None
        with torch.no_grad():
            layer.weight -= loop.sign * task.lr * layer.weight.grad
            if loop.bias == "trained":
                assert layer.bias is not None
                assert layer.bias.grad is not None
                layer.bias -= loop.sign * task.lr * layer.bias.grad
        if loop.record_after_update:
            with torch.no_grad():
                losses.append(float(loss_now().item()))
    return layer.weight.detach().reshape(task.kernel_size), losses


def initial_kernel(task: Task) -> torch.Tensor:
    """The weight the layer starts from under the task's seed."""
    return run_loop(Task(task.X, task.Y, task.kernel_size, task.lr, 0, task.seed))[0]


def tasks() -> list[Task]:
    """Inputs of several sizes, kernels, learning rates, lengths and dtypes."""
    edge = torch.ones(6, 8)
    edge[:, 2:6] = 0
    generator = torch.Generator().manual_seed(7)
    found = [Task(edge, _correlate(edge, torch.tensor([[1.0, -1.0]])), (1, 2), 3e-2, 10, 3)]
    for shape, kernel, lr, epochs, seed, dtype in (
        ((7, 7), (1, 3), 1e-2, 12, 11, torch.float32),
        ((5, 6), (2, 2), 2e-2, 5, 17, torch.float64),
        ((6, 5), (2, 1), 3e-2, 3, 23, torch.float32),
    ):
        X = torch.randn(shape, generator=generator, dtype=torch.float64).to(dtype)
        true = torch.randn(kernel, generator=generator, dtype=torch.float64).to(dtype)
        found.append(Task(X, _correlate(X, true), kernel, lr, epochs, seed))
    return found


def _correlate(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    return F.conv2d(X[None, None].double(), K[None, None].double())[0, 0].to(X.dtype)
