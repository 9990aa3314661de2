"""Public check of the kernel-learning loop on the text's edge image."""

import torch

from autograder.judge.marks import graded, needs_cuda
from autograder.units.convolutions.checks import training
from autograder.units.convolutions.references import edge_image


@graded(20, "learn_kernel", "test.learn_kernel.text_example")
def test_learns_the_edge_kernel(judge):
    X, Y = edge_image()
    task = training.Task(X, Y, (1, 2), 3e-2, 10, seed=1)
    learned = training.run(judge, task)
    training.check_converges(judge, task, learned, torch.tensor([[1.0, -1.0]]), within=0.15, last_loss_below=1.0)


@needs_cuda
@graded(5, "learn_kernel", "test.learn_kernel.cuda")
def test_trains_on_the_gpu(judge):
    X, Y = edge_image()
    task = training.Task(X, Y, (1, 2), 3e-2, 10, seed=1)
    learned = training.run(judge, task, device="cuda")
    training.check_converges(judge, task, learned, torch.tensor([[1.0, -1.0]]), within=0.15, last_loss_below=1.0)
