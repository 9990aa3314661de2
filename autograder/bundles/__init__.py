"""Everything the kit hands out, generated from solutions/ and the two suites, never kept by hand:
notebooks, the Gradescope autograder, the student bundle, and nbgrader and Otter Assign notebooks."""
