"""Hidden suite, learn_kernel: 20 points on the CPU, 2 more where CUDA is present."""

import torch

from autograder.judge.marks import graded, needs_cuda
from autograder.units.convolutions import references
from autograder.units.convolutions.checks import training
from autograder.units.convolutions.suites.hidden.inputs import randn

EXERCISE = "learn_kernel"
EDGE = torch.tensor([[1.0, -1.0]])


def text_task(seed: int = 3, epochs: int = 10) -> training.Task:
    X, Y = references.edge_image()
    return training.Task(X, Y, (1, 2), 3e-2, epochs, seed)


def other_task() -> tuple[training.Task, torch.Tensor]:
    """Data and a kernel drawn for this submission, with a step size under which the text's loop converges."""
    X, target = randn(8, 8, seed=70), randn(1, 3, seed=72)
    Y = references.correlate(X, target).float()
    return training.Task(X, Y, (1, 3), training.converging_lr(X, (1, 3)), 20, seed=71), target


@graded(6, EXERCISE, "test.learn_kernel.text_example")
def test_text_example(judge):
    task = text_task()
    learned = training.run(judge, task)
    training.check_converges(judge, task, learned, EDGE, within=0.15, last_loss_below=1.0)


@graded(5, EXERCISE, "test.learn_kernel.follows_the_loop")
def test_follows_the_loop(judge):
    task = text_task(seed=5)
    training.check_follows_the_loop(judge, task, training.run(judge, task))


@graded(5, EXERCISE, "test.learn_kernel.other_kernel", visibility="after_due_date")
def test_other_kernel(judge):
    task, target = other_task()
    learned = training.run(judge, task)
    training.check_converges(judge, task, learned, target, within=0.05, last_loss_below=0.01)


@graded(4, EXERCISE, "test.learn_kernel.losses_contract")
def test_losses_contract(judge):
    task = text_task(seed=6, epochs=7)
    training.check_losses_contract(judge, task, training.run(judge, task))


@needs_cuda
@graded(2, EXERCISE, "test.learn_kernel.cuda")
def test_cuda(judge):
    task = text_task(seed=7)
    learned = training.run(judge, task, device="cuda")
    training.check_converges(judge, task, learned, EDGE, within=0.15, last_loss_below=1.0)
