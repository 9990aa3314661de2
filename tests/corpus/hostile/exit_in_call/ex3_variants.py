"""Hostile: end the process from inside a call: sys.exit(0) in corr1d, os._exit(0) in corr3d."""

import os
import sys

import torch


def corr1d(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    sys.exit(0)


def corr3d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    os._exit(0)
