"""Fuzzing the loader and the notebook reader: random and mutated zips, folders and notebooks.

A seeded generator (reproducible: a failure names its seed) makes each case; the loader must either
load it, with names a worker can hold and notes that print, or refuse it with a message (exit 2 in
the CLI); never another exception, never a hang. Most cases run in-process; a few go through
`grade` and `grade-batch` end to end.
"""

from __future__ import annotations

import io
import json
import os
import random
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from autograder.batch.store import content_hash
from autograder.submission.loader import LoadedSubmission, UnreadableSubmission, load, name_problem
from tests.kit import malformed
from tests.kit.conftest import run_cli

CASES_PER_KIND = 400
SOLUTIONS = malformed.solution_files()
EXERCISES = sorted(SOLUTIONS)
NAMES = [
    *EXERCISES,
    "convolutions.ipynb",
    "convolutions (1).ipynb",
    "ex1_corr2d.ipynb",
    "helper.py",
    "test_x.py",
    "conftest.py",
    ".hidden.py",
    "__init__.py",
    "h" * 300 + ".py",
    "李明.py",
    "a\nb.py",
    "../escape.py",
    "/abs.py",
    "dir/",
    "work/ex1_corr2d.py",
    "a/b/c/d/e/f/ex1_corr2d.py",
    "__MACOSX/ex1_corr2d.py",
]


def check_outcome(path: Path) -> str:
    """Load `path`; assert the outcome is one a user can act on; return "loaded" or "unreadable"."""
    try:
        with malformed.hang_guard():
            loaded = load(path)
    except UnreadableSubmission as exc:
        for lang in ("en", "zh"):
            exc.message.render(lang).encode("utf-8")
        return "unreadable"
    assert isinstance(loaded, LoadedSubmission)
    assert loaded.exercise_files
    for name in loaded.files:
        assert name_problem(name) is None, name
        assert "/" not in name
    content_hash(loaded.files)
    loaded.source.encode("utf-8")
    for note in loaded.notes:
        for lang in ("en", "zh"):
            note.render(lang).encode("utf-8")
    return "loaded"


# ------------------------------------------------------------------ generators


def random_bytes(rng: random.Random, size: int) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(size))


def mutate(rng: random.Random, data: bytes, rounds: int) -> bytes:
    """Flip, cut, insert, duplicate or zero bytes: what a broken upload or disk does to a file."""
    buffer = bytearray(data)
    for _ in range(rounds):
        if not buffer:
            buffer += random_bytes(rng, 16)
        where = rng.randrange(len(buffer))
        action = rng.randrange(6)
        if action == 0:
            buffer[where] ^= 1 << rng.randrange(8)
        elif action == 1:
            del buffer[where:]
        elif action == 2:
            buffer[where:where] = random_bytes(rng, rng.randrange(1, 64))
        elif action == 3:
            size = rng.randrange(1, 256)
            buffer[where:where] = buffer[max(0, where - size) : where]
        elif action == 4:
            buffer[where : where + rng.randrange(1, 32)] = b"\0" * rng.randrange(1, 32)
        else:
            buffer[where : where + 2] = rng.choice([b"\xff\xff", b"\x00\x08", b"\x63\x00", b"PK"])
    return bytes(buffer)


def random_zip(rng: random.Random) -> bytes:
    """A zip of random members: odd names, links, directories, methods, contents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for _ in range(rng.randrange(0, 12)):
            name = rng.choice(NAMES)
            if rng.random() < 0.2:
                name = rng.choice(["", "x/", "y/"]) + name
            info = zipfile.ZipInfo(name)
            info.compress_type = rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2])
            if rng.random() < 0.1:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            content = SOLUTIONS.get(Path(name).name) or rng.choice([b"", b"x = 1\n", random_bytes(rng, 64)])
            if name.endswith(".ipynb"):
                content = random_notebook(rng)
            archive.writestr(info, content)
    data = buffer.getvalue()
    return mutate(rng, data, rng.randrange(3)) if rng.random() < 0.3 else data


def random_json(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(8 if depth < 4 else 4)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.choice([0, -1, 5, 1e308, 2**70])
    if kind == 2:
        return rng.choice(["", "x = 1", "%matplotlib inline", "!pip install torch", "\\", "def f(:"])
    if kind == 3:
        return rng.choice(["code", "markdown", "ex1_corr2d", "setup", "check"])
    if kind in (4, 5):
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = ["cells", "cell_type", "source", "metadata", "autograder", "section", "worksheets", "input", "outputs"]
    return {rng.choice(keys): random_json(rng, depth + 1) for _ in range(rng.randrange(5))}


def random_notebook(rng: random.Random) -> bytes:
    """A notebook whose structure, text or bytes went wrong somewhere."""
    cells = []
    for module in rng.sample(EXERCISES, rng.randrange(len(EXERCISES) + 1)):
        source: object = SOLUTIONS[module].decode()
        if rng.random() < 0.3:
            source = source.splitlines(keepends=True)
        cell = {"cell_type": "code", "metadata": {"autograder": {"section": module.removesuffix(".py")}}}
        cells.append({**cell, "source": source})
    if rng.random() < 0.5:
        cells.append(random_json(rng))
    document: object = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    if rng.random() < 0.2:
        document = random_json(rng)
    text = json.dumps(document)
    choice = rng.random()
    if choice < 0.15:
        text = text.replace('"x = 1"', "\"x = '\\ud800'\"").replace("import torch", "import torch\\udfff")
    elif choice < 0.2:
        text = "[" * rng.randrange(1000, 50000) + "]" * rng.randrange(1000)
    data = text.encode()
    return mutate(rng, data, rng.randrange(1, 6)) if rng.random() < 0.3 else data


def random_folder(rng: random.Random, root: Path) -> Path:
    """A tree of exercise files, helpers, FIFOs, links in and out, odd names and depth."""
    root.mkdir()
    for _ in range(rng.randrange(0, 10)):
        depth = rng.choice([0, 0, 0, 1, 2, 5])
        folder = root.joinpath(*[rng.choice(["work", "src", ".git", "__pycache__", "a"]) for _ in range(depth)])
        folder.mkdir(parents=True, exist_ok=True)
        name = rng.choice([n for n in NAMES if "/" not in n and len(n) < 250] + ["x.txt"])
        target = folder / name
        kind = rng.randrange(8)
        if target.exists() or target.is_symlink():
            continue
        if kind == 0:
            os.mkfifo(target)
        elif kind == 1:
            target.symlink_to(rng.choice(["/etc/passwd", "/dev/zero", str(root), "missing.py"]))
        elif kind == 2:
            with open(os.fsencode(folder) + b"/h\xff\xfe.py", "wb") as handle:
                handle.write(b"x = 1\n")
        elif name.endswith(".ipynb"):
            target.write_bytes(random_notebook(rng))
        else:
            target.write_bytes(SOLUTIONS.get(name) or mutate(rng, SOLUTIONS[EXERCISES[0]], 2))
    return root


def make_case(kind: str, rng: random.Random, where: Path) -> Path:
    if kind == "mutated_zip":
        path = where / "case.zip"
        base = rng.choice([malformed.zip_bytes(SOLUTIONS), malformed.corrupt_deflate_zip(), random_zip(rng)])
        path.write_bytes(mutate(rng, base, rng.randrange(1, 8)))
    elif kind == "random_zip":
        path = where / "case.zip"
        path.write_bytes(random_zip(rng))
    elif kind == "notebook":
        path = where / rng.choice(["convolutions.ipynb", "ex1_corr2d.ipynb", "anything.ipynb"])
        path.write_bytes(random_notebook(rng))
    elif kind == "script":
        path = where / rng.choice(["ex1_corr2d.py", "alice.py"])
        path.write_bytes(mutate(rng, malformed.one_script(), rng.randrange(0, 4)))
    else:
        path = random_folder(rng, where / "case")
    return path


KINDS = ("mutated_zip", "random_zip", "notebook", "script", "folder")
MAKERS: dict[str, Callable[[random.Random, Path], Path]] = {
    kind: (lambda rng, where, kind=kind: make_case(kind, rng, where)) for kind in KINDS
}


# ------------------------------------------------------------------ in-process


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("kind", KINDS)
def test_the_loader_loads_or_refuses_every_fuzzed_input(tmp_path, kind):
    outcomes: dict[str, int] = {"loaded": 0, "unreadable": 0}
    for number in range(CASES_PER_KIND):
        seed = f"{kind}-{number}"
        where = tmp_path / str(number)
        where.mkdir()
        path = MAKERS[kind](random.Random(seed), where)
        try:
            outcomes[check_outcome(path)] += 1
        except Exception as exc:
            raise AssertionError(f"seed {seed!r}: {type(exc).__name__}: {exc}") from exc
    # Both paths are exercised, where both can happen: a lone script always loads, and random
    # members seldom form a submission.
    if kind != "script":
        assert outcomes["unreadable"] > 0, outcomes
    if kind != "random_zip":
        assert outcomes["loaded"] > 0, outcomes


# ------------------------------------------------------------------ end to end


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_fuzzed_submissions_through_the_cli_exit_0_or_2_without_a_traceback(tmp_path):
    klass = tmp_path / "class"
    klass.mkdir()
    rng = random.Random("cli")
    for index, kind in enumerate(KINDS):
        where = tmp_path / f"made{index}"
        where.mkdir()
        path = make_case(kind, rng, where)
        path.rename(klass / f"s{index}_{path.name}")
        if kind in ("mutated_zip", "folder"):  # `grade` on two; `grade-batch` below on all of them
            single = run_cli("grade", str(klass / f"s{index}_{path.name}"))
            assert single.returncode in (0, 2), (kind, single.stderr[-2000:])
            assert "Traceback" not in single.stderr + single.stdout
    batch = run_cli("grade-batch", str(klass), "--out", str(tmp_path / "out"), "--jobs", "2")
    assert batch.returncode == 0, batch.stderr[-3000:]
    assert "Traceback" not in batch.stderr + batch.stdout
    rows = (tmp_path / "out" / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + len(KINDS)
