"""Notebook documents (nbformat 4.5) as plain JSON, so writing one needs no Jupyter package.

Cell ids are derived from the cell's role, not drawn at random, so a regenerated notebook is
byte-for-byte the same and a kit test can hold the committed notebooks to their sources.
"""

from __future__ import annotations

import json
import re
from typing import Any

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
_ID = re.compile(r"[^a-zA-Z0-9-_]+")


def lines(text: str) -> list[str]:
    """Jupyter's way of storing a cell's text: a list of lines that keep their newlines."""
    return text.splitlines(keepends=True)


def cell_id(*parts: str) -> str:
    return _ID.sub("-", "-".join(parts))[:64]


def markdown(text: str, ident: str, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": cell_id(ident), "metadata": metadata or {}, "source": lines(text)}


def raw(text: str, ident: str, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"cell_type": "raw", "id": cell_id(ident), "metadata": metadata or {}, "source": lines(text)}


def code(text: str, ident: str, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": cell_id(ident),
        "metadata": metadata or {},
        "outputs": [],
        "source": lines(text),
    }


def notebook(cells: list[dict[str, Any]], metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    ids = [cell["id"] for cell in cells]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate cell ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    return {
        "cells": cells,
        "metadata": {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}, **(metadata or {})},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
