"""Mutation testing of this unit's grader: mutants of the reference solutions, graded by the hidden
suite and judged by an oracle that runs them, to count the mistakes caught, named, and named wrongly."""
