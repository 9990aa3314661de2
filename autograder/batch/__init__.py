"""Grading a whole class: discover the submissions, grade them in parallel, resume after a crash."""
