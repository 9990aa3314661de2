"""The no-torch-convolution rule's parts, without grading: what is forbidden, how the source is read,
what the worker's observer sees, and what the judge makes of a trace. (Whole submissions that attack
the rule are in the hostile corpus; correct vectorised ones in tests/corpus/correct.)"""

from __future__ import annotations

import threading

import pytest
import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import _pop_mode

from autograder.judge.student import Trace
from autograder.report.text import feedback_text
from autograder.sandbox.observer import Observation
from autograder.sandbox.worker import CallRecorder
from autograder.units.convolutions.rule import forbidden, rules
from autograder.units.convolutions.rule.source_check import MAX_SOURCE, read_exercise
from tests.kit.conftest import submission_with

LOOPS = '''
import torch


def corr2d(X, K):
    """Slides K over X. Not F.conv2d, not X.unfold(0, 2, 1): loops."""
    h, w = K.shape  # torch.conv2d would be shorter
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y
'''


def findings(source: str, exercise: str = "corr2d", **others: str) -> list[tuple[str, str]]:
    files = {"ex1_corr2d.py" if exercise == "corr2d" else "ex3_variants.py": source, **others}
    return [(f.kind, f.reason or f.name) for f in read_exercise(files, exercise)]


# ----------------------------------------------------------------------------- what is forbidden


@pytest.mark.parametrize(
    "operator",
    [
        "aten::thnn_conv2d",
        "aten::slow_conv_dilated2d",
        "aten::slow_conv3d",
        "aten::mkldnn_convolution",
        "aten::cudnn_convolution",
        "aten::miopen_convolution",
        "aten::_convolution",
        "aten::convolution_overrideable",
        "aten::convolution_backward",
        "aten::conv_tbc",
        "aten::im2col",
        "aten::col2im",
        "aten::unfold",
        "quantized::conv2d",
        "mkldnn::_convolution_pointwise",
    ],
)
def test_the_registry_yields_every_convolution_operator(operator):
    assert operator in forbidden.convolution_operators()


@pytest.mark.parametrize(
    "name", ["conv2d", "conv2d_weight", "conv3d_input", "thnn_conv2d", "Conv2d", "LazyConv3d", "unfold", "fold"]
)
def test_python_names_of_convolutions_are_forbidden(name):
    assert name in forbidden.convolution_names()


@pytest.mark.parametrize(
    "name", ["matmul", "einsum", "as_strided", "mul", "sum", "bmm", "stack", "convert_element_type", "corrcoef"]
)
def test_what_vectorised_code_uses_is_not(name):
    assert name not in forbidden.convolution_names()
    assert f"aten::{name}" not in forbidden.convolution_operators()
    assert name not in forbidden.fourier_names()


def test_fourier_transforms_are_a_set_of_their_own():
    assert {"aten::_fft_r2c", "aten::_fft_c2r", "aten::fft_rfft2", "aten::stft"} <= forbidden.fourier_operators()
    assert {"rfft2", "irfft2", "fft"} <= forbidden.fourier_names()
    assert "aten::fft_fftfreq" not in forbidden.fourier_operators()


def test_the_ways_to_blind_the_recorder_are_known():
    expected = {"_DisableTorchDispatch", "DisableTorchFunction", "_pop_mode", "_disable_current_modes"}
    assert expected <= forbidden.recorder_names()


# ----------------------------------------------------------------------------- reading the source


def test_loops_with_words_about_conv_in_docstrings_and_comments_pass():
    assert findings(LOOPS) == []


def test_a_self_check_under_the_main_guard_is_not_graded_code():
    source = (
        LOOPS + '\n\nif __name__ == "__main__":\n    print(F.conv2d(torch.ones(1, 1, 3, 3), torch.ones(1, 1, 2, 2)))\n'
    )
    assert findings(source) == []


def test_what_nothing_graded_reaches_is_not_graded_code():
    source = LOOPS + "\n\ndef compare(X, K):\n    return torch.nn.functional.conv2d(X, K)\n"
    assert findings(source) == []
    called = source.replace("    return Y\n", "    compare(X, K)\n    return Y\n", 1)
    assert ("convolution", "conv2d") in findings(called)


def test_the_else_branch_of_the_main_guard_and_a_forged_name_are_graded():
    guarded = 'import torch.nn.functional as F\nif __name__ == "__main__":\n    pass\nelse:\n'
    assert ("convolution", "conv2d") in findings(guarded + "    def corr2d(X, K):\n        return F.conv2d(X, K)\n")
    forged = '__name__ = "__main__"\nif __name__ == "__main__":\n    def corr2d(X, K):\n        return X\n'
    assert ("unverifiable", "introspection") in findings(forged)


DEMO = "X = torch.ones((6, 8))\nconv2d = nn.Conv2d(1, 1, kernel_size=(1, 2))\nY = conv2d(X)\nprint(Y, corr2d(X, Y))\n"
"""The text's own demo at module level: runs once at import, outside corr2d, on inputs it made itself."""


def test_a_demo_at_import_is_not_charged():
    source = "import torch.nn as nn\n" + LOOPS + DEMO
    assert findings(source) == []
    called_at_import = "import torch.nn as nn\n" + LOOPS + "\ndef demo():\n    return nn.Conv2d(1, 1, 2)\n\ndemo()\n"
    assert findings(called_at_import) == []


def test_test_classes_nothing_graded_reaches_are_not_charged():
    tests = (
        "\nclass Notes(unittest.TestCase):\n"
        "    def test_padding(self):\n"
        "        nn.LazyConv2d(1, 3)(torch.ones(1, 1, 4, 4))\n"
    )
    source = "import unittest\nimport torch.nn as nn\n" + LOOPS + tests
    assert findings(source) == []
    layer = (
        "import torch.nn as nn\nfrom ex1_corr2d import corr2d\n\n"
        "class Conv2D(nn.Module):\n    def forward(self, x):\n        return corr2d(x, x)\n"
    )
    assert read_exercise({"ex1_corr2d.py": source, "ex2_conv2d.py": layer}, "Conv2D") == []


@pytest.mark.parametrize(
    ("module_level", "body"),
    [
        ("conv = F.conv2d\n", "return conv(X, K)"),
        ("torch.Tensor.sum = F.conv2d\n", "return (X * K).sum()"),
        ("REGISTRY = {}\nREGISTRY['sum'] = F.conv2d\n", "return REGISTRY['sum'](X, K)"),
        ("def patch():\n    torch.Tensor.sum = F.conv2d\n\npatch()\n", "return (X * K).sum()"),
        ("class Patch:\n    torch.Tensor.sum = F.conv2d\n", "return (X * K).sum()"),
        (
            "OPS = {}\n\ndef register(f):\n    OPS['fast'] = f\n    return f\n\n"
            "@register\ndef fast(X, K):\n    return F.conv2d(X, K)\n",
            "return OPS['fast'](X, K)",
        ),
    ],
)
def test_what_import_time_code_leaves_for_a_call_is_charged(module_level, body):
    source = f"import torch\nimport torch.nn.functional as F\n{module_level}\ndef corr2d(X, K):\n    {body}\n"
    assert ("convolution", "conv2d") in findings(source)


@pytest.mark.parametrize(
    ("module_level", "expected"),
    [
        ("exec('import torch')\n", ("unverifiable", "dynamic_code")),
        ("import threading\n", ("unverifiable", "processes")),
        ("torch._C._DisableTorchDispatch().__enter__()\n", ("tampering", "_DisableTorchDispatch")),
        ("def setup():\n    exec('1')\n\nsetup()\n", ("unverifiable", "dynamic_code")),
    ],
)
def test_import_time_code_stays_fail_closed(module_level, expected):
    assert expected in findings("import torch\n" + module_level + LOOPS)


def test_a_helper_module_is_read_when_the_exercise_imports_it():
    helper = "from torch.nn import functional\n\ndef go(X, K):\n    return functional.conv2d(X, K)\n"
    source = "from helper import go\n\ndef corr2d(X, K):\n    return go(X, K)\n"
    assert ("convolution", "conv2d") in findings(source, **{"helper.py": helper})
    assert findings(LOOPS, **{"helper.py": helper}) == []
    as_module = "import helper\n\ndef corr2d(X, K):\n    return helper.go(X, K)\n"
    assert ("convolution", "conv2d") in findings(as_module, **{"helper.py": helper})
    checks = helper.replace(
        "def go(X, K):\n    return functional.conv2d(X, K)",
        "def go(X, K):\n    return X\n\ndef check(X, K):\n    return functional.conv2d(X, K)",
    )
    assert findings(as_module, **{"helper.py": checks}) == []
    passed_around = "import helper\n\ndef corr2d(X, K):\n    return vars_of(helper)\n"
    assert ("convolution", "conv2d") in findings(passed_around, **{"helper.py": checks})


def test_one_function_of_a_file_is_not_charged_for_another():
    source = (
        "import torch\n\ndef corr1d(x, k):\n    return x\n\n"
        "def corr3d(X, K):\n    return torch.nn.functional.conv3d(X, K)\n"
    )
    assert findings(source, "corr1d") == []
    assert ("convolution", "conv3d") in findings(source, "corr3d")


def test_a_students_own_helper_named_unfold_is_not_torchs():
    source = "def unfold(X, h):\n    return [X[i : i + h] for i in range(len(X) - h + 1)]\n\n"
    assert findings(source + "def corr2d(X, K):\n    return unfold(X, 2)\n") == []
    assert ("convolution", "unfold") in findings(source + "def corr2d(X, K):\n    return X.unfold(0, 2, 1)\n")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("return getattr(torch.ops.aten, 'convol' + 'ution')(X, K)", ("unverifiable", "dynamic_attribute")),
        ("return getattr(torch.nn.functional, 'conv2d')(X, K)", ("convolution", "conv2d")),
        ("return torch.ops.aten.__getattr__(name)(X, K)", ("unverifiable", "dynamic_attribute")),
        ("exec('y = 1')\n    return X", ("unverifiable", "dynamic_code")),
        ("return vars(torch)['_C']", ("unverifiable", "introspection")),
        ("import ctypes\n    return X", ("unverifiable", "native_code")),
        ("import threading\n    return X", ("unverifiable", "processes")),
        ("return torch.compile(torch.mul)(X, K)", ("unverifiable", "compiled")),
        ("return open('/proc/self/mem').read()", ("unverifiable", "files")),
        (
            "return torch.jit.CompilationUnit('def f(x):\\n    return torch.conv2d(x, x)\\n').f(X)",
            ("convolution", "conv2d"),
        ),
        ("with torch._C._DisableTorchDispatch():\n        return X", ("tampering", "_DisableTorchDispatch")),
        ("import sys\n    sys.modules['x'] = None\n    return X", ("tampering", "sys.modules")),
        ("torch.library.Library('aten', 'IMPL')\n    return X", ("unverifiable", "kernels")),
        ("from torch import library\n    return X", ("unverifiable", "kernels")),
        ("return torch.fft.irfft2(torch.fft.rfft2(X))", ("fourier", "fft")),
    ],
)
def test_what_the_reading_names(body, expected):
    assert expected in findings(f"import torch\n\ndef corr2d(X, K):\n    {body}\n")


def test_a_source_that_cannot_be_read_fails_closed():
    assert findings("x = 1\n" + "#" * MAX_SOURCE) == [("unverifiable", "too_large")]
    failure = rules.source_failure(
        "corr2d", read_exercise({"ex1_corr2d.py": "#" * MAX_SOURCE + "\n"}, "corr2d"), ["unverifiable"]
    )
    assert failure is not None
    assert failure.feedback.mistake == "rule_unverifiable"
    assert "a file too large to read (ex1_corr2d.py)" in feedback_text(failure.feedback, "en")
    assert findings("def corr2d(X, K:\n") == [("unverifiable", "unparsable")]
    assert findings("# coding: utf-7\ndef corr2d(X, K):\n    return X\n") == [("unverifiable", "encoding")]


# ----------------------------------------------------------------------------- the worker's observer


def observe(run) -> dict:
    with Observation() as observed:
        run()
    return observed.report()


def test_the_observer_sees_a_convolution_however_it_is_reached():
    X, K = torch.randn(1, 1, 5, 6), torch.randn(1, 1, 2, 3)
    for run in (
        lambda: F.conv2d(X, K),
        lambda: torch._C._nn.thnn_conv2d(X, K, (2, 3)),
        lambda: torch.nn.grad.conv2d_weight(X, (1, 1, 4, 4), torch.ones(1, 1, 2, 3)),
        lambda: torch.jit.CompilationUnit("def f(x, k):\n    return torch.conv2d(x, k)\n").f(X, K),
        lambda: torch.ops.aten.__getattr__("convol" + "ution")(X, K, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1),
    ):
        report = observe(run)
        assert set(report["dispatched"]) & forbidden.convolution_operators(), report
        assert report["problems"] == [], report


def test_vectorised_code_runs_no_forbidden_operator():
    X, K = torch.randn(6, 7), torch.randn(2, 3)
    report = observe(lambda: torch.einsum("ijab,ab->ij", X.as_strided((5, 5, 2, 3), (7, 1, 7, 1)), K))
    assert not set(report["dispatched"]) & (forbidden.convolution_operators() | forbidden.fourier_operators())
    assert report["problems"] == []


def test_a_recorder_taken_off_the_stack_is_reported():
    def pop_everything():
        while torch._C._len_torch_dispatch_stack():
            _pop_mode()

    assert "mode_stack_changed" in observe(pop_everything)["problems"]
    assert torch._C._len_torch_dispatch_stack() == 0


def test_the_function_mode_is_watched_too():
    recorder = CallRecorder("/nowhere")
    with Observation(recorder) as observed, observed.function_mode():
        torch._C._pop_torch_function_stack()
    assert "function_mode_changed" in observed.report()["problems"]
    assert torch._C._len_torch_function_stack() == 0


def test_a_thread_runs_out_of_sight_which_is_why_the_reading_refuses_threads():
    X, K = torch.randn(1, 1, 5), torch.randn(1, 1, 2)
    report = observe(lambda: _in_thread(lambda: F.conv1d(X, K)))
    assert not set(report["dispatched"]) & forbidden.convolution_operators()
    assert ("unverifiable", "processes") in findings("import threading\n\ndef corr2d(X, K):\n    return X\n")


def _in_thread(run) -> None:
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


# ----------------------------------------------------------------------------- the judge's verdict


def verdict(trace: Trace) -> str | None:
    failure = rules.trace_failure("corr2d", trace)
    return None if failure is None else failure.feedback.mistake


def test_the_judge_reads_a_trace():
    assert verdict(Trace(observed=True, dispatched={"aten::mul": 9, "aten::sum": 9})) is None
    assert verdict(Trace(observed=True, calls={"torch.nn.functional.conv2d": 1})) == "torch_conv_used"
    assert verdict(Trace(observed=True, dispatched={"aten::slow_conv3d_forward": 1})) == "torch_conv_used"
    assert verdict(Trace(observed=True, dispatched={"aten::_fft_r2c": 1})) == "fourier_used"
    assert verdict(Trace(observed=True, problems=("dispatch_blind",))) == "recorder_tampering"
    assert verdict(Trace(dispatched={"aten::mul": 1})) == "recorder_tampering"


def test_learn_kernel_is_not_under_the_rule():
    trace = Trace(observed=True, calls={"torch.nn.functional.conv2d": 1})
    rules.check_call("learn_kernel", trace)
    with pytest.raises(Exception) as raised:
        rules.check_call("Conv2D", trace)
    assert raised.value.feedback.mistake == "torch_conv_used"


# ----------------------------------------------------------------------------- in grading


def test_the_worker_never_runs_the_main_guard(grade):
    """The worker imports the file, so a self-check under the main guard never runs in grading: one
    that would stop the process costs nothing, and one that calls F.conv2d is no breach of the rule."""
    main = (
        '\n\nif __name__ == "__main__":\n    import torch.nn.functional as F\n\n    F.conv2d\n    raise SystemExit(1)\n'
    )
    report = grade(submission_with({"ex1_corr2d.py": LOOPS + main}))
    corr2d = [t for t in report.tests if t.exercise == "corr2d" and t.counted]
    assert corr2d
    assert all(t.status == "passed" for t in corr2d), [t.feedback for t in corr2d if t.feedback]
