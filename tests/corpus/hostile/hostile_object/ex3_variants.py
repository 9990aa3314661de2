"""Hostile: return objects whose methods run code when anything touches them (comparison, conversion,
iteration, attribute access, pickling, finalisation): if the grader ever handled one, it would run
this file's code in the grader. What runs here claims equality, and writes a marker file when it runs
in any process but the one that made the object."""

import os

import torch

MARKER = "/tmp/autograder-hostile/hostile_object"
HOME = os.getpid()


def _touched(what):
    if os.getpid() == HOME:
        return
    os.makedirs(os.path.dirname(MARKER), exist_ok=True)
    with open(MARKER, "a") as handle:
        handle.write(f"{what} ran in pid {os.getpid()}, not {HOME}\n")


class Trap:
    def __getattr__(self, name):
        _touched(f"__getattr__ {name}")
        return lambda *args, **kwargs: True

    def __eq__(self, other):
        _touched("__eq__")
        return True

    def __ne__(self, other):
        return False

    def __bool__(self):
        _touched("__bool__")
        return True

    def __len__(self):
        _touched("__len__")
        return 1

    def __iter__(self):
        _touched("__iter__")
        return iter([])

    def __float__(self):
        _touched("__float__")
        return 0.0

    def __index__(self):
        _touched("__index__")
        return 0

    def __array__(self, *args, **kwargs):
        _touched("__array__")
        raise TypeError("no")

    def __reduce__(self):
        _touched("__reduce__")
        return (print, ("unpickled",))

    def __repr__(self):
        _touched("__repr__")
        return "tensor([...])"

    def __str__(self):
        return self.__repr__()

    def __del__(self):
        _touched("__del__")

    __hash__ = object.__hash__


class TrapList(list):
    def __len__(self):
        _touched("TrapList.__len__")
        return 0


def corr1d(x: torch.Tensor, k: torch.Tensor):
    return Trap()


def corr3d(X: torch.Tensor, K: torch.Tensor):
    return TrapList([Trap()])
