"""An autograding exercise kit: course units (autograder.units) graded against PyTorch in a sandbox."""

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """`from autograder import check` in a notebook, without importing anything heavy before."""
    if name == "check":
        from autograder.jupyter.check import check

        return check
    raise AttributeError(f"module 'autograder' has no attribute {name!r}")
