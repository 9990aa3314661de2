"""The judge's requests answered from a notebook's own namespace, in the kernel's process.

Inside nbgrader or Otter the student's code already runs in the kernel that grades it, so there is
no sandbox to keep: the trust boundary is theirs. What stays the same as in the sandboxed worker is
everything the checks see: the worker's own request handlers build the inputs, record the torch
calls, encode the answers, and the judge decodes them exactly as it does from a worker. Prints and
warnings of student code are captured, so a test cell shows only the report.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import textwrap
import types
import warnings
from collections.abc import Mapping
from typing import Any

from autograder.feedback import Failure, Feedback
from autograder.i18n import msg
from autograder.sandbox.client import CallRaised
from autograder.sandbox.limits import MIB
from autograder.sandbox.worker import StudentRaised, TruncatingWriter, Worker

OUTPUT_LIMIT = 20_000
MAX_RESULT_BYTES = 64 * MIB


def code_folder(obj: Any) -> str:
    """The folder of the file a function or class was compiled from (a cell's file in IPython)."""
    candidates = [obj] if not isinstance(obj, type) else list(vars(obj).values())
    for candidate in candidates:
        code = getattr(candidate, "__code__", None)
        if isinstance(code, types.CodeType):
            return os.path.dirname(code.co_filename) + os.sep
    return os.sep


def defined_source(namespace: Mapping[str, Any]) -> str:
    """The source of every function and class the notebook defined, for the reading of the rules."""
    parts = []
    for value in list(namespace.values()):
        if isinstance(value, (types.FunctionType, type)) and getattr(value, "__module__", None) == "__main__":
            with contextlib.suppress(OSError, TypeError):
                parts.append(textwrap.dedent(inspect.getsource(value)))
    return "\n\n".join(parts)


class NamespacePool:
    """Stands in for the WorkerPool of a submission (both are a RequestPool): same requests, same replies,
    no process."""

    def __init__(self, namespace: Mapping[str, Any]) -> None:
        self.namespace = namespace
        self.output = TruncatingWriter(OUTPUT_LIMIT)

    def request(
        self,
        module: str,
        function: str,
        header: dict[str, Any],
        buffers: list[bytes],
        use_cuda: bool = False,
        timeout: float | None = None,
        on_meta: bool = False,
    ) -> tuple[dict[str, Any], list[bytes]]:
        """Answer one request; raise CallRaised when the student's code raised, as a worker would."""
        target = self.namespace.get(function)
        if target is None:
            raise Failure(Feedback(summary=msg("kernel.not_defined", name=function)))
        worker = Worker(None, code_folder(target), module, MAX_RESULT_BYTES, self.output)
        worker.module = types.SimpleNamespace(**{function: target})
        handler = {"call": worker.handle_call, "layer": worker.handle_layer}[header["op"]]
        out: list[bytes] = []
        with (
            contextlib.redirect_stdout(self.output),
            contextlib.redirect_stderr(self.output),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            try:
                reply = handler(header, buffers, out)
            except StudentRaised as raised:
                raise CallRaised(raised.stage, raised.report) from None
        return reply, out
