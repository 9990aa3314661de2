"""The limits a worker runs under, with their defaults and environment overrides.

One place for every number of the sandbox, so the README, the CLI and the zygote agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker process (and its children)."""

    call_seconds: float = 10.0
    """Wall time one call into student code may take (import has its own limit)."""
    import_seconds: float = 20.0
    """Wall time importing one exercise file may take."""
    cuda_start_seconds: float = 60.0
    """Wall time a CUDA worker may take to start CUDA, before the import and apart from its limit:
    a slow start is the machine's (a busy GPU), never the student's."""
    memory_mb: int = 2048
    """Address space each process of a CPU worker may map beyond what it has when it starts, torch
    included (RLIMIT_AS; CUDA workers go without), and the memory all the processes of one worker may
    hold together (checked every 50 ms)."""
    cuda_host_mb: int = 4096
    """Host memory a CUDA worker may hold beyond memory_mb: the CUDA driver keeps its own there."""
    processes: int = 32
    """Processes and threads the worker's user may hold (RLIMIT_NPROC, above what it already holds)."""
    file_mb: int = 16
    """Largest file the worker may write (RLIMIT_FSIZE)."""
    cpu_seconds: int = 600
    """CPU time of one worker over its whole life (RLIMIT_CPU), a backstop behind call_seconds."""
    open_files: int = 256
    """Open file descriptors (RLIMIT_NOFILE)."""
    scratch_mb: int = 64
    """Size of the worker's private, memory-backed folders: its work folder, and /tmp (which it also
    sees as /var/tmp and /dev/shm), each; where namespaces are available."""
    output_kb: int = 64
    """Printed output kept from a worker; the rest is dropped."""
    result_mb: int = 64
    """Largest result a worker may send back."""
    strikes: int = 2
    """Time-outs of one function after which its remaining calls fail at once."""

    @classmethod
    def from_env(cls, environ: os._Environ[str] | dict[str, str] | None = None) -> Limits:
        """Defaults, overridden by AUTOGRADER_LIMIT_<NAME> variables (e.g. AUTOGRADER_LIMIT_MEMORY_MB)."""
        environ = os.environ if environ is None else environ
        overrides: dict[str, Any] = {}
        for field in fields(cls):
            raw = environ.get(f"AUTOGRADER_LIMIT_{field.name.upper()}")
            if raw is None:
                continue
            kind = float if field.type in ("float", float) else int
            try:
                value = kind(raw)
            except ValueError:
                raise ValueError(f"AUTOGRADER_LIMIT_{field.name.upper()}={raw!r} is not a number") from None
            if value <= 0:
                raise ValueError(f"AUTOGRADER_LIMIT_{field.name.upper()} must be positive")
            overrides[field.name] = value
        return replace(cls(), **overrides)
