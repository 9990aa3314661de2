"""Feedback for student code that produced no answer: it raised, hung, crashed, or would not import."""

from __future__ import annotations

import re
from typing import Any

from autograder import units
from autograder.feedback import Feedback
from autograder.i18n import Message, msg
from autograder.judge.mistakes import named
from autograder.sandbox.client import (
    BadReply,
    Benched,
    CallRaised,
    CallTimeout,
    ImportFailure,
    StudentFailure,
    WorkerDied,
)

_LEAF_INPLACE = re.compile(r"leaf Variable that requires grad is being used in an in-place operation")
_NUMPY_GRAD = re.compile(r"Can't call numpy\(\) on Tensor that requires grad")
_NO_CUDA = re.compile(
    r"(Torch not compiled with CUDA|no NVIDIA driver|CUDA driver|No CUDA GPUs|cuda.*not available|cudaGetDeviceCount)",
    re.I,
)
_MIXED_DEVICES = re.compile(
    r"(Expected all tensors to be on the same device|found at least two devices|is not on the expected device)", re.I
)
_INPUT_AND_WEIGHT = re.compile(r"Input type \((?P<input>[^)]*)\) and weight type \((?P<weight>[^)]*)\) should be")
"""conv's complaint about its input and weight: a device mismatch (torch.cuda.FloatTensor against
torch.FloatTensor), or only a dtype one (torch.FloatTensor against torch.DoubleTensor)."""
_DEVICE_WORDS = ("cuda", "mps", "meta", "xpu")


def _mixes_devices(message: str) -> bool:
    if _MIXED_DEVICES.search(message):
        return True
    types = _INPUT_AND_WEIGHT.search(message)
    if types is None:
        return False
    first, second = types.group("input").lower(), types.group("weight").lower()
    return any((word in first) != (word in second) for word in _DEVICE_WORDS)


_META_DATA = re.compile(r"(meta tensor|data-dependent|_local_scalar_dense|Cannot copy out of meta)", re.I)


def _exit_phrase(exit: dict[str, Any] | None) -> Message:
    if not exit:
        return msg("failure.exit.unknown")
    if exit.get("limit") == "memory":
        return msg("failure.exit.memory")
    if "signal" in exit:
        return msg("failure.exit.signal", signal=exit["signal"])
    return msg("failure.exit.code", code=exit.get("code"))


def raised_code(report: dict[str, str]) -> str:
    """The student's own traceback, then what the code printed before failing."""
    parts = []
    if report.get("traceback"):
        parts.append(report["traceback"])
    parts.append(f"{report.get('exc_type', '')}: {report.get('message', '')}".strip(": "))
    if report.get("printed"):
        parts.append("--- printed ---\n" + report["printed"])
    return "\n".join(parts)


def import_feedback(failure: ImportFailure) -> Feedback:
    file = f"{failure.module}.py"
    report = failure.report
    if failure.reason == "missing":
        return Feedback(
            summary=msg("failure.import.missing", file=file), hint=msg("failure.import.missing_fix", file=file)
        )
    if failure.reason == "raised":
        message = report.get("message", "")
        if is_stub_raise(report):
            return _not_implemented(file, message)
        if "No module named 'd2l'" in message:
            return named("d2l_import", {"file": file}, code=raised_code(report))
        return Feedback(
            summary=msg("failure.import.raised", file=file, error=report.get("exc_type", "")),
            code=raised_code(report),
            hint=msg("failure.import.raised_fix", file=file),
        )
    if failure.reason == "timeout":
        return Feedback(summary=msg("failure.import.timeout", file=file), hint=msg("failure.import.timeout_fix"))
    if failure.reason == "exited":
        return Feedback(summary=msg("failure.import.exited", file=file, how=_exit_phrase(failure.exit)))
    return Feedback(summary=msg("failure.protocol", name=file))


def _not_implemented(name: str, message: str) -> Feedback:
    """The stub's own message says what to write: show it as the thing to do."""
    return Feedback(summary=msg("failure.not_implemented", name=name), hint=msg("failure.todo", todo=message[:500]))


def is_stub_raise(report: dict[str, str]) -> bool:
    """A NotImplementedError raised by a `raise` line of the student's own file (the stub's), not
    one raised inside PyTorch (the meta device's 'Cannot copy out of meta tensor' is one)."""
    return report.get("exc_type", "") == "NotImplementedError" and report.get("raised_by_student") == "yes"


def is_mixed_devices(failure: CallRaised) -> bool:
    return _mixes_devices(str(failure.report.get("message", "")))


def _unit_reading(failure: CallRaised, exercise: str) -> Feedback | None:
    """What the exercise's own unit makes of the exception, where it has a reading of its own."""
    try:
        hook = units.of_exercise(exercise).hook("raised_feedback")
    except units.UnknownUnit:
        return None
    reading: Feedback | None = hook(failure, exercise) if hook is not None else None
    return reading


def is_leaf_inplace(failure: CallRaised) -> bool:
    return bool(_LEAF_INPLACE.search(failure.report.get("message", "")))


def raised_feedback(failure: CallRaised, name: str) -> Feedback:
    report = failure.report
    message = report.get("message", "")
    exc_type = report.get("exc_type", "")
    code = raised_code(report)
    if is_stub_raise(report):
        return _not_implemented(name, message)
    own = _unit_reading(failure, name)
    if own is not None:
        return own
    if _LEAF_INPLACE.search(message):
        # Which tensor was changed only a probe of the call can tell (the unit's checks do).
        return Feedback(summary=msg("failure.leaf_inplace", name=name), code=code, hint=msg("failure.leaf_inplace_fix"))
    if report.get("raised_in") == "numpy":
        return named("numpy_on_tensor", {"name": name, "error": exc_type}, code=code)
    if _mixes_devices(message):
        return named("mixed_devices", {"name": name}, code=code)
    if _NUMPY_GRAD.search(message):
        return named("autograd_numpy", {"name": name, "where": ""}, code=code)
    if _NO_CUDA.search(message):
        return named("fixed_device_cuda", {"name": name}, code=code)
    return Feedback(
        summary=msg(
            f"failure.raised.{failure.stage}" if failure.stage in _STAGES else "failure.raised.call",
            name=name,
            error=exc_type,
        ),
        code=code,
        hint=msg("failure.raised_fix"),
    )


_STAGES = (
    "call",
    "import",
    "lookup",
    "result",
    "backward",
    "construct",
    "parameters",
    "attributes",
    "move",
    "assign",
    "forward",
)


def feedback_for(failure: StudentFailure, name: str, shapes: Message | str = "") -> Feedback:
    """Feedback for any way student code can fail to answer; `shapes` describes the input, if known."""
    if isinstance(failure, ImportFailure):
        return import_feedback(failure)
    if isinstance(failure, CallRaised):
        return raised_feedback(failure, name)
    if isinstance(failure, CallTimeout):
        return named("too_slow", {"name": name, "seconds": f"{failure.seconds:g}", "shapes": shapes or "?"})
    if isinstance(failure, Benched):
        return Feedback(summary=msg("failure.benched", name=name, strikes=failure.strikes))
    if isinstance(failure, WorkerDied):
        return Feedback(
            summary=msg("failure.crashed", name=name, how=_exit_phrase(failure.exit)), hint=msg("failure.crashed_fix")
        )
    if isinstance(failure, BadReply):
        return Feedback(summary=msg("failure.protocol", name=name))
    return Feedback(summary=msg("failure.protocol", name=name))


def is_meta_data_error(failure: CallRaised) -> bool:
    return bool(_META_DATA.search(failure.report.get("message", "")))


def meta_mistake(failure: CallRaised) -> str | None:
    """The mistake behind a call that could not run on the meta device, from the calls it made
    before failing; None when the failure says nothing about devices."""
    if not is_meta_data_error(failure):
        return None
    notable = set(failure.report.get("notable", "").split(","))
    if notable & {"Tensor.cpu", "Tensor.numpy"}:
        return "cpu_round_trip"
    if notable & {"Tensor.item", "Tensor.tolist"}:
        return "data_dependent_on_meta"
    if "copy out of meta" in failure.report.get("message", "").lower():
        return "fixed_device"
    return "data_dependent_on_meta"


def raised_in_file(failure: StudentFailure) -> str:
    """The student file whose line raised (the last frame of the student's traceback), or ''."""
    if not isinstance(failure, CallRaised):
        return ""
    files = _FRAME_FILE.findall(failure.report.get("traceback", ""))
    return files[-1] if files else ""


_FRAME_FILE = re.compile(r'^  File "([^"]+)", line \d+', re.M)
