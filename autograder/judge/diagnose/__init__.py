"""Diagnoses: from what came back, name the mistake that most likely produced it."""
