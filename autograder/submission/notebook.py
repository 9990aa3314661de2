"""Code from a notebook submission, read as JSON: never executed, magics and shell lines dropped."""

from __future__ import annotations

import json
import re

_MAGIC = re.compile(r"^\s*[%!]")
_CELL_MAGIC = re.compile(r"^\s*%%")


class NotebookError(ValueError):
    pass


def extract_code(data: bytes, name: str) -> tuple[str, int]:
    """The code cells joined into one module; returns (code, number of lines dropped)."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise NotebookError(f"{name} is not a notebook: {exc}") from None
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        raise NotebookError(f"{name} has no cells")
    chunks, dropped = [], 0
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        if _CELL_MAGIC.match(text):
            dropped += text.count("\n") + 1
            continue
        lines = []
        for line in text.splitlines():
            if _MAGIC.match(line):
                dropped += 1
                indent = line[: len(line) - len(line.lstrip())]
                lines.append(f"{indent}pass  # dropped: {line.strip()[:60]}")
            else:
                lines.append(line)
        chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n", dropped
