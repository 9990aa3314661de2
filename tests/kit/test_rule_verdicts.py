"""The rule's verdicts from hand-built evidence: what a call's trace and what the reading of the source
make the judge say (which mistake, and the names it shows the student). The observer and the reading
themselves are tested in test_rule.py; here only the judgement and its words."""

from __future__ import annotations

from autograder.feedback import Failure
from autograder.judge.student import Trace
from autograder.units.convolutions.rule import forbidden
from autograder.units.convolutions.rule.rules import SHOWN, source_failure, trace_failure
from autograder.units.convolutions.rule.source_check import KINDS, Finding


def said(failure: Failure | None) -> tuple[str | None, str]:
    """The mistake named, and the summary the student reads."""
    if failure is None:
        return None, ""
    return failure.feedback.mistake, failure.feedback.summary.render("en")


# ------------------------------------------------------------------ a call's trace


def test_a_clean_call_passes():
    trace = Trace(observed=True, calls={"Tensor.sum": 4, "Tensor.mul": 4}, dispatched={"aten::mul.Tensor": 4})
    assert trace_failure("corr2d", trace) is None


def test_a_convolution_outweighs_a_fourier_transform_and_tampering():
    trace = Trace(
        observed=True,
        calls={"torch.fft.rfft2": 1, "torch.nn.functional.conv2d": 1},
        dispatched={"aten::_fft_r2c": 1},
        problems=("dispatch_blind",),
    )
    mistake, summary = said(trace_failure("corr1d", trace))
    assert mistake == "torch_conv_used"
    assert summary.startswith("corr1d uses PyTorch's own convolution or unfold (torch.nn.functional.conv2d, run by")
    assert "fft" not in summary


def test_a_fourier_transform_outweighs_tampering():
    trace = Trace(observed=True, dispatched={"aten::_fft_r2c": 2}, problems=("mode_stack_changed",))
    mistake, summary = said(trace_failure("corr3d", trace))
    assert mistake == "fourier_used"
    assert "aten::_fft_r2c, run by the code during this test" in summary


def test_the_function_mode_and_the_dispatcher_each_suffice():
    by_python = Trace(observed=True, calls={"torch.conv2d": 1})
    by_dispatch = Trace(observed=True, dispatched={"aten::convolution": 1})
    assert (
        said(trace_failure("corr2d", by_python))[0]
        == said(trace_failure("corr2d", by_dispatch))[0]
        == "torch_conv_used"
    )


def test_many_operators_are_shown_a_few_and_counted():
    operators = sorted(forbidden.convolution_operators())[: SHOWN + 3]
    trace = Trace(observed=True, dispatched=dict.fromkeys(operators, 1))
    _, summary = said(trace_failure("corr2d", trace))
    assert ", ".join(operators[:SHOWN]) + ", +3, run by the code" in summary
    assert operators[SHOWN] not in summary


def test_each_known_problem_of_the_recorder_is_told_and_an_unknown_one_is_not_repeated():
    trace = Trace(observed=True, problems=("mode_stack_changed", "dispatch_blind", "made_up"))
    mistake, summary = said(trace_failure("Conv2D", trace))
    assert mistake == "recorder_tampering"
    assert (
        "the grader's dispatch mode was taken off PyTorch's mode stack, or buried under another; "
        "the grader's dispatch mode no longer saw PyTorch's operators" in summary
    )
    assert "made_up" not in summary
    _, only_unknown = said(trace_failure("Conv2D", Trace(observed=True, problems=("made_up",))))
    assert "the recorder reported a problem" in only_unknown


def test_a_reply_without_the_recorders_report_is_tampering():
    mistake, summary = said(trace_failure("corr2d", Trace(calls={"Tensor.sum": 1})))
    assert mistake == "recorder_tampering"
    assert "the worker's reply carried no report of the operators it ran" in summary


# ------------------------------------------------------------------ the reading of the source


def reading(*findings: Finding) -> list[Finding]:
    """Findings in the order the reading gives them: by kind, weightiest first."""
    return sorted(findings, key=lambda f: KINDS.index(f.kind))


CONV = Finding("convolution", "conv2d", "ex1_corr2d.py", 7)
UNFOLD = Finding("convolution", "unfold", "helper.py", 3)
FFT = Finding("fourier", "rfft2", "ex1_corr2d.py", 9)
EXEC = Finding("unverifiable", "exec", "ex1_corr2d.py", 4, reason="dynamic_code")
EVAL = Finding("unverifiable", "eval", "ex1_corr2d.py", 5, reason="dynamic_code")
CTYPES = Finding("unverifiable", "ctypes", "ex1_corr2d.py", 1, reason="native_code")


def test_the_weightiest_kind_asked_for_is_the_verdict_with_every_place_of_it():
    findings = reading(FFT, EXEC, UNFOLD, CONV)
    mistake, summary = said(source_failure("corr2d", findings, ("convolution", "fourier", "tampering")))
    assert mistake == "torch_conv_used"
    assert "(unfold (helper.py:3), conv2d (ex1_corr2d.py:7) in the code)" in summary
    assert said(source_failure("corr2d", findings, ("fourier",)))[0] == "fourier_used"


def test_findings_of_kinds_not_asked_for_give_no_verdict():
    assert source_failure("corr2d", reading(EXEC, CTYPES), ("convolution", "fourier", "tampering")) is None
    assert source_failure("corr2d", [], ("unverifiable",)) is None


def test_unverifiable_code_is_told_by_reason():
    mistake, summary = said(source_failure("corr2d", reading(EXEC, CTYPES, EVAL), ("unverifiable",)))
    assert mistake == "rule_unverifiable"
    assert (
        "code run from a string or loaded at run time (exec (ex1_corr2d.py:4), eval (ex1_corr2d.py:5)); "
        "native code (ctypes (ex1_corr2d.py:1))" in summary
    )


def test_a_few_places_are_shown_and_the_rest_counted():
    many = [Finding("convolution", f"conv{i}", "ex1_corr2d.py", i) for i in range(1, SHOWN + 3)]
    _, summary = said(source_failure("corr2d", many, ("convolution",)))
    assert f"conv{SHOWN} (ex1_corr2d.py:{SHOWN}), +2 in the code" in summary
    assert f"conv{SHOWN + 1}" not in summary


def test_a_whole_file_finding_names_the_file_once():
    whole_file = Finding("unverifiable", "ex1_corr2d.py", "ex1_corr2d.py", None, reason="too_large")
    no_line = Finding("convolution", "conv2d", "ex1_corr2d.py", None)
    assert "(ex1_corr2d.py)" in said(source_failure("corr2d", [whole_file], ("unverifiable",)))[1]
    assert "(conv2d (ex1_corr2d.py) in the code)" in said(source_failure("corr2d", [no_line], ("convolution",)))[1]
