"""The hidden suite run through the kit's grading plugin: student code runs in a sandboxed worker."""

pytest_plugins = ["autograder.judge.plugin"]
