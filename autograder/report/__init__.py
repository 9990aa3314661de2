"""Reporters: the same GradeReport as terminal text, Markdown, HTML, results.json, JUnit XML, CSV."""
