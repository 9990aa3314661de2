"""Hidden inputs no one can collect: drawn per submission from the instructor's secret and its files."""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
import torch

from autograder.grading import Grader
from autograder.judge import draws
from autograder.results import GradeReport
from autograder.seeding import SecretUnavailable, inputs_seed, load_secret, submission_digest
from autograder.submission.loader import from_bytes
from tests.kit.conftest import SOLUTIONS, read_results, run_cli, submission_with

SECRET = b"a secret the instructor keeps, 0123456789"
PROBED_TEST = "random_float64"
"""A hidden corr2d test with one call: what a collector sees there is the whole of its input."""

COLLECTOR = """
import base64

import torch


def corr2d(X, K):
    packed = [base64.b64encode(t.double().numpy().tobytes()).decode() for t in (X, K)]
    print("SEEN", *X.shape, *K.shape, *packed)
    raise ValueError("collected")
"""

REPLAY = """
import json

import torch

ANSWERS = json.loads({table!r})


def corr2d(X, K):
    shape = (X.shape[0] - K.shape[0] + 1, X.shape[1] - K.shape[1] + 1)
    answer = ANSWERS.get(json.dumps(X.flatten().tolist()))
    if answer is None:
        return torch.zeros(shape, dtype=X.dtype)
    return torch.tensor(answer, dtype=X.dtype).reshape(shape)
"""


def _test(report: GradeReport, name: str):
    [test] = [t for t in report.tests if t.exercise == "corr2d" and t.test_id.endswith(name)]
    return test


def _collected(report: GradeReport) -> list:
    feedback = _test(report, PROBED_TEST).feedback
    assert feedback is not None
    [line] = [line for line in feedback.code.splitlines() if line.startswith("SEEN ")]
    return line.split()[1:]


def _answers_computed_at_home(seen: list) -> str:
    """What an attacker would hard-code: the true answer for each input the collector printed."""
    n_h, n_w, k_h, k_w = (int(n) for n in seen[:4])
    X, K = (torch.frombuffer(bytearray(base64.b64decode(b)), dtype=torch.float64) for b in seen[4:])
    X, K = X.reshape(n_h, n_w), K.reshape(k_h, k_w)
    answer = torch.nn.functional.conv2d(X[None, None], K[None, None])[0, 0]
    return json.dumps({json.dumps(X.flatten().tolist()): answer.flatten().tolist()})


def _own_seed(files: dict[str, bytes]) -> int:
    return inputs_seed(SECRET, submission_digest(files))


@pytest.mark.slow
def test_answers_collected_from_one_submission_are_useless_to_the_next(grader: Grader):
    collector = submission_with({"ex1_corr2d.py": COLLECTOR})

    def attack(seeded: bool) -> GradeReport:
        seen = _collected(
            grader.grade(from_bytes("collector", collector), seed=_own_seed(collector) if seeded else None)
        )
        replay = submission_with({"ex1_corr2d.py": REPLAY.format(table=_answers_computed_at_home(seen))})
        return grader.grade(from_bytes("replay", replay), seed=_own_seed(replay) if seeded else None)

    # With the same inputs for everyone, the replay would pass the test it collected...
    assert _test(attack(seeded=False), PROBED_TEST).status == "passed"
    # ...but each submission draws its own, so the hard-coded answers miss.
    assert _test(attack(seeded=True), PROBED_TEST).status == "failed"


def test_every_byte_and_name_of_the_submission_changes_the_seed():
    files = {"ex1_corr2d.py": b"def corr2d(X, K): ...\n", "helper.py": b"x = 1\n"}
    base = inputs_seed(SECRET, submission_digest(files))
    assert inputs_seed(SECRET, submission_digest(dict(files))) == base
    assert inputs_seed(SECRET, submission_digest({**files, "helper.py": b"x = 1 \n"})) != base
    assert (
        inputs_seed(SECRET, submission_digest({"ex1_corr2d.py": files["ex1_corr2d.py"], "helper2.py": b"x = 1\n"}))
        != base
    )
    assert inputs_seed(SECRET + b"!", submission_digest(files)) != base


def test_draws_depend_on_the_session_seed_and_are_reproducible():
    with draws.seeded(None):
        fixed = draws.randn(3, 4, label=7)
    assert torch.equal(
        fixed, torch.randn(3, 4, generator=torch.Generator().manual_seed(7), dtype=torch.float64).float()
    )
    with draws.seeded(11):
        first = draws.randn(3, 4, label=7)
        other_label = draws.randn(3, 4, label=8)
    with draws.seeded(11):
        again = draws.randn(3, 4, label=7)
    with draws.seeded(12):
        other_seed = draws.randn(3, 4, label=7)
    assert torch.equal(first, again)
    assert not torch.equal(first, other_seed)
    assert not torch.equal(first, other_label)
    assert not torch.equal(first, fixed)


def test_the_users_own_secret_is_created_once_and_private(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    own = tmp_path / "conv-autograder" / "secret"
    first = load_secret(own)
    assert "created the secret" in capsys.readouterr().err
    assert stat.S_IMODE(own.stat().st_mode) == 0o600
    assert load_secret(own) == first
    assert capsys.readouterr().err == ""


def test_an_unreadable_or_short_secret_says_what_to_do(tmp_path):
    with pytest.raises(SecretUnavailable, match="--secret-file"):
        load_secret(tmp_path / "missing")
    short = tmp_path / "short"
    short.write_text("abc")
    with pytest.raises(SecretUnavailable, match="at least 16"):
        load_secret(short)


@pytest.mark.slow
def test_grade_records_the_seed_and_a_regrade_reproduces_it(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(SECRET.decode())
    submission = tmp_path / "flipped"
    submission.mkdir()
    (submission / "ex1_corr2d.py").write_text(
        "import torch\n\n\ndef corr2d(X, K):\n    K = K.flip(0, 1)\n"
        "    h, w = K.shape\n    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=X.dtype)\n"
        "    for i in range(Y.shape[0]):\n        for j in range(Y.shape[1]):\n"
        "            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()\n    return Y\n"
    )

    def grade(out: str, *options: str) -> dict:
        result = run_cli("grade", str(submission), "--out", str(tmp_path / out), *options)
        assert result.returncode == 0, result.stderr
        return read_results(tmp_path / out)

    first = grade("first", "--secret-file", str(secret))
    seed = first["extra_data"]["inputs_seed"]
    files = {"ex1_corr2d.py": (submission / "ex1_corr2d.py").read_bytes()}
    assert seed == inputs_seed(SECRET, submission_digest(files))
    assert first["extra_data"]["submission_digest"] == submission_digest(files)
    again = grade("again", "--secret-file", str(secret))
    regrade = grade("regrade", "--inputs-seed", str(seed))
    for other in (again, regrade):
        assert [t["output"] for t in other["tests"]] == [t["output"] for t in first["tests"]]
        assert other["score"] == first["score"]
    (submission / "ex1_corr2d.py").write_text((submission / "ex1_corr2d.py").read_text() + "# edited\n")
    edited = grade("edited", "--secret-file", str(secret))
    assert edited["extra_data"]["inputs_seed"] != seed
    assert edited["score"] == first["score"]


@pytest.mark.slow
def test_a_missing_secret_file_is_a_usage_error(tmp_path):
    result = run_cli("grade", str(SOLUTIONS), "--secret-file", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "cannot read the secret file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_student_code_cannot_read_the_secret_file(tmp_path):
    keys = Path(tempfile.mkdtemp(prefix="autograder-secret-"))
    try:
        os.chmod(keys, 0o755)
        secret = keys / "secret"
        secret.write_text(SECRET.decode())
        os.chmod(secret, 0o644)  # readable by everyone: only the grader's masking keeps it from the worker

        def learn_kernel_score(path: str, name: str) -> float:
            folder = tmp_path / "class" / name
            folder.mkdir(parents=True)
            honest = (SOLUTIONS / "ex4_learn_kernel.py").read_text()
            (folder / "ex4_learn_kernel.py").write_text(honest + PROBE.format(path=path))
            out = tmp_path / f"{name}-out"
            result = run_cli("grade", str(folder), "--out", str(out), "--secret-file", str(secret))
            assert result.returncode == 0, result.stderr
            return sum(t["score"] for t in read_results(out)["tests"] if t["tags"] == ["learn_kernel"])

        assert learn_kernel_score(torch.__file__, "control") < 10  # the probe reads a file the worker may read...
        assert learn_kernel_score(str(secret), "attack") == 20  # ...but not the secret
    finally:
        shutil.rmtree(keys)


PROBE = """

_honest = learn_kernel


def learn_kernel(*args, **kwargs):
    from pathlib import Path

    try:
        found = len(Path({path!r}).read_bytes()) > 0
    except OSError:
        found = False
    if found:
        return torch.zeros(1, 2), [0.0]
    return _honest(*args, **kwargs)
"""


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2**40 + 7, 2**62 + 123])
def test_the_reference_solutions_get_full_marks_on_any_draw(grader: Grader, seed: int):
    report = grader.grade(from_bytes("solutions", submission_with({})), seed=seed)
    assert report.score == report.max_score, [(t.test_id, t.feedback) for t in report.tests if t.status == "failed"]


def test_the_unseen_kernel_task_converges_under_the_texts_loop_for_any_draw():
    """The hidden test of learn_kernel draws its data: the text's own loop must learn it every time."""
    from autograder.units.convolutions.suites.hidden.test_ex4_learn_kernel import other_task

    for seed in range(100):
        with draws.seeded(seed * 7919 + 1):
            task, target = other_task()
        torch.manual_seed(task.seed)
        layer = torch.nn.Conv2d(1, 1, task.kernel_size, bias=False)
        X, Y = task.X.reshape(1, 1, *task.X.shape), task.Y.reshape(1, 1, *task.Y.shape)
        for _ in range(task.num_epochs):
            loss = ((layer(X) - Y) ** 2).sum()
            layer.zero_grad()
            loss.backward()
            layer.weight.data[:] -= task.lr * layer.weight.grad
        assert float((layer.weight.data.reshape(target.shape) - target).abs().max()) < 0.01, seed
        assert loss.item() < 0.01, seed


@pytest.mark.slow
def test_grade_batch_draws_each_students_inputs_from_their_own_files(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(SECRET.decode())
    source = (SOLUTIONS / "ex1_corr2d.py").read_bytes()
    for student, text in (("ana", source), ("ben", source + b"# mine\n")):
        (tmp_path / "class" / student).mkdir(parents=True)
        (tmp_path / "class" / student / "ex1_corr2d.py").write_bytes(text)
    out = tmp_path / "out"
    result = run_cli(
        "grade-batch", str(tmp_path / "class"), "--out", str(out), "--secret-file", str(secret), "--jobs", "1"
    )
    assert result.returncode == 0, result.stderr
    seeds = {}
    for student in ("ana", "ben"):
        files = {"ex1_corr2d.py": (tmp_path / "class" / student / "ex1_corr2d.py").read_bytes()}
        seeds[student] = read_results(out / student)["extra_data"]["inputs_seed"]
        assert seeds[student] == inputs_seed(SECRET, submission_digest(files))
    assert seeds["ana"] != seeds["ben"]
    missing = run_cli(
        "grade-batch", str(tmp_path / "class"), "--out", str(out), "--secret-file", str(tmp_path / "nope")
    )
    assert missing.returncode == 2
    assert "cannot read the secret file" in missing.stderr
