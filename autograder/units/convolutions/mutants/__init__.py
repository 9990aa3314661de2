"""Mutation testing of the grader: mutants of the reference solutions, graded by the hidden suite and
checked by an oracle that runs them, to count the mistakes caught, named, and named wrongly."""
