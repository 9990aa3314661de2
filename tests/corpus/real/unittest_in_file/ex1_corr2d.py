# coding: utf-8
import unittest

import torch
import torch.nn as nn


def corr2d(x, k):
    kh, kw = k.shape
    y = torch.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for r in range(y.shape[0]):
        for c in range(y.shape[1]):
            y[r, c] = (x[r : r + kh, c : c + kw] * k).sum()
    return y


class KernelTrainer:
    """The kernel-learning loop of the text wrapped in a class, one step per call."""

    def __init__(self, kernel_size, target):
        self.kernel_size = kernel_size
        self.layer = nn.Conv2d(1, 1, kernel_size=kernel_size, bias=False)
        self.target = target
        self.lr = 3e-2

    def step(self, x):
        loss = (self.layer(x) - self.target) ** 2
        self.layer.zero_grad()
        loss.sum().backward()
        self.layer.weight.data[:] -= self.lr * self.layer.weight.grad
        return loss

    def kernel(self):
        return self.layer.weight.data.reshape(self.kernel_size)


class ConvolutionNotes(unittest.TestCase):
    def test_edges(self):
        x = torch.ones((6, 8))
        x[:, 2:6] = 0
        y = corr2d(x, torch.tensor([[1.0, -1.0]]))
        print(y)
        print(corr2d(x.t(), torch.tensor([[1.0, -1.0]])))
        self.assertTrue(True)

    def test_learning(self):
        x = torch.ones((6, 8))
        x[:, 2:6] = 0
        y = corr2d(x, torch.tensor([[1.0, -1.0]])).reshape((1, 1, 6, 7))
        trainer = KernelTrainer((1, 2), y)
        for epoch in range(100):
            loss = trainer.step(x.reshape((1, 1, 6, 8)))
            if (epoch + 1) % 2 == 0:
                print(f"epoch {epoch + 1}, loss {loss.sum():.3f}")
        print(trainer.kernel())

    def test_padding(self):
        layer = nn.Conv2d(1, 1, kernel_size=3, padding=1)
        x = torch.rand(size=(8, 8))
        out = layer(x.reshape((1, 1) + x.shape))
        self.assertEqual(out.reshape(out.shape[2:]).shape, x.shape)

    def test_strides(self):
        layer = nn.LazyConv2d(1, kernel_size=3, padding=1, stride=2)
        x = torch.rand(size=(8, 8))
        out = layer(x.reshape((1, 1) + x.shape))
        self.assertEqual(out.reshape(out.shape[2:]).shape, torch.Size([4, 4]))


if __name__ == "__main__":
    unittest.main(verbosity=True)
