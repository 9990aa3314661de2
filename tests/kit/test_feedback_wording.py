"""What a student reads for submissions whose feedback used to be wrong: the exact words, the points."""

from __future__ import annotations

import pytest

from autograder.report.text import feedback_text
from tests.kit.conftest import submission_with

pytestmark = pytest.mark.slow

PRINTS_THEN_FAILS = """
import torch

calls = 0


def corr2d(X, K):
    global calls
    calls += 1
    print("call number", calls)
    if X.dtype == torch.float64:
        raise ValueError("only float32 please")
    k_h, k_w = K.shape
    Y = X.new_zeros((X.shape[0] - k_h + 1, X.shape[1] - k_w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + k_h, j : j + k_w] * K).sum()
    return Y
"""

CRASHES = """
def corr1d(x, k):
    raise ValueError("not finished")


def corr3d(X, K):
    raise ValueError("not finished")
"""

WRONG_ORDER_3D = """
def corr1d(x, k):
    return (x[: x.shape[0] - k.shape[0] + 1] * 0).sum() * 0


def corr3d(X, K):
    w, h, d = K.shape
    Y = X.new_zeros((X.shape[0] - d + 1, X.shape[1] - h + 1, X.shape[2] - w + 1))
    for a in range(Y.shape[0]):
        for i in range(Y.shape[1]):
            for j in range(Y.shape[2]):
                Y[a, i, j] = (X[a : a + d, i : i + h, j : j + w] * K).sum()
    return Y
"""

BIAS_TWICE = """
import torch
from ex1_corr2d import corr2d
from torch import nn


class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = nn.Parameter(torch.rand(kernel_size))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return corr2d(x, self.weight) + 2 * self.bias
"""


def failed(report, test_key):
    return next(t for t in report.tests if t.name.key == test_key and t.status == "failed")


def test_a_failure_shows_only_what_its_own_call_printed(grade):
    report = grade(submission_with({"ex1_corr2d.py": PRINTS_THEN_FAILS}))
    text = feedback_text(failed(report, "test.corr2d.random_float64").feedback, "en")
    printed = text.split("--- printed ---", 1)[1].strip().splitlines()
    assert len(printed) == 1
    assert printed[0].startswith("call number")
    assert "/tmp/" not in text
    assert "autograder" not in text


def test_a_rule_test_on_code_that_crashed_is_not_checked_and_costs_nothing(grade):
    report = grade(submission_with({"ex3_variants.py": CRASHES}))
    rule = next(t for t in report.tests if t.name.key == "test.corr1d.no_torch_conv")
    assert rule.status == "skipped"
    assert rule.skip_reason.render("en").startswith("not checked")
    assert rule.counted


def test_the_layer_is_named_with_its_kernel_size(grade):
    report = grade(submission_with({"ex2_conv2d.py": BIAS_TWICE}))
    feedback = failed(report, "test.Conv2D.forward").feedback
    assert feedback.mistake == "bias_added_twice"
    text = feedback_text(feedback, "en")
    assert "Checked: Conv2D(kernel_size=(1, 2)).forward(x) with x (6, 8) float32 on cpu." in text
    assert "Conv2D.forward adds the bias twice." in feedback_text(feedback, "en")
    assert "Conv2D.forward 把偏置加了两次。" in feedback_text(feedback, "zh")


def test_corr3d_hints_speak_of_three_dimensions(grade):
    report = grade(submission_with({"ex3_variants.py": WRONG_ORDER_3D}))
    named = [t.feedback for t in report.tests if t.exercise == "corr3d" and t.feedback and t.feedback.mistake]
    assert named
    for feedback in named:
        text = feedback_text(feedback, "en")
        assert "k_d, k_h, k_w = K.shape" in text
        assert "k_h, k_w = K.shape" not in text.replace("k_d, k_h, k_w", "")


def test_the_hidden_maximum_is_100_and_gpu_tests_carry_no_points(grade):
    report = grade(submission_with({}))
    assert report.score == report.max_score == 100
    gpu = [t for t in report.tests if t.test_id.endswith("cuda")]
    assert gpu
    assert all(t.max_score == 0 for t in gpu)


def test_the_public_maximum_is_100(grade):
    report = grade(submission_with({}), "public")
    assert report.score == report.max_score == 100


EMPTY_LAST_COLUMN = """
import torch


def corr2d(X, K):
    k_h, k_w = K.shape
    Y = torch.empty((X.shape[0] - k_h + 1, X.shape[1] - k_w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1] - 1):
            Y[i, j] = (X[i : i + k_h, j : j + k_w] * K).sum()
    return Y
"""


def test_an_output_left_partly_unwritten_fails_the_same_way_on_every_run(grade):
    runs = [grade(submission_with({"ex1_corr2d.py": EMPTY_LAST_COLUMN})) for _ in range(2)]
    assert runs[0].score == runs[1].score
    smallest = [next(t.feedback.smallest for t in r.tests if t.feedback and t.feedback.smallest) for r in runs]
    assert repr(smallest[0]) == repr(smallest[1])  # (NaN is not equal to itself)
    assert {t.feedback.mistake for t in runs[0].tests if t.exercise == "corr2d" and t.feedback} == {
        "uninitialised_output"
    }
