"""Code that runs inside a Jupyter kernel: `check()` for students, and the in-kernel test runner that
the nbgrader and Otter exports call. Imported only there: core grading never needs it."""
