"""Workers started ahead of their first call (as CUDA workers are): they import meanwhile, and the
import limit still holds from the moment they started."""

from __future__ import annotations

import dataclasses
import sys
import time
import types

import pytest
import torch

from autograder import units
from autograder.judge.student import Student
from autograder.sandbox.client import ImportFailure, WorkerPool
from autograder.sandbox.limits import Limits
from tests.kit.conftest import SOLUTIONS, dispatched_in_a_worker

IMPORT_TIME = """import time

import torch

IMPORTED_AT = time.time()


def corr2d(X, K):
    return torch.tensor(IMPORTED_AT, dtype=torch.float64)
"""
ENDLESS_IMPORT = "while True:\n    pass\n"
IMPORT_SECONDS = 2.0
"""The import limit of these workers: long enough that the steps of a test on a busy machine take
less, so an order (imported before the call, refused before the limit) decides, not a tight duration."""


@pytest.fixture
def pool_of(grader):
    pools: list[WorkerPool] = []

    def make(source: str, import_seconds: float) -> WorkerPool:
        limits = Limits(call_seconds=3.0, import_seconds=import_seconds)
        pools.append(WorkerPool(grader.zygote, {"ex1_corr2d.py": source.encode()}, limits))
        return pools[-1]

    yield make
    for pool in pools:
        pool.close()


def corr2d(pool: WorkerPool) -> float:
    value = Student(pool, units.of_exercise("corr2d")).call("corr2d", torch.ones(2, 2), torch.ones(1, 1)).value
    return float(value.data)


def test_a_started_worker_imports_before_its_first_call_and_answers_after_the_import_limit(pool_of):
    pool = pool_of(IMPORT_TIME, import_seconds=IMPORT_SECONDS)
    pool.start(["ex1_corr2d"], use_cuda=False)  # returns once forked: the import limit runs from here
    time.sleep(IMPORT_SECONDS + 0.5)  # past the import limit: the answer it gave long ago still counts
    asked_at = time.time()
    assert corr2d(pool) < asked_at, "imported when started, before the first call"


def test_a_started_worker_that_never_finishes_importing_times_out_on_its_first_call(pool_of):
    pool = pool_of(ENDLESS_IMPORT, import_seconds=IMPORT_SECONDS)
    pool.start(["ex1_corr2d"], use_cuda=False)
    time.sleep(IMPORT_SECONDS + 0.5)
    asked_at = time.monotonic()
    with pytest.raises(ImportFailure) as failure:
        corr2d(pool)
    assert failure.value.reason == "timeout"
    # Counted from the first call, the limit would keep this call waiting for all of it.
    assert time.monotonic() - asked_at < IMPORT_SECONDS, "the limit runs from the start, not from the first call"


def test_starting_a_missing_file_is_left_to_its_first_call(pool_of):
    pool = pool_of(IMPORT_TIME, import_seconds=1.0)
    pool.start(["ex3_variants"], use_cuda=False)
    with pytest.raises(ImportFailure) as failure:
        Student(pool, units.of_exercise("corr1d")).call("corr1d", torch.ones(3), torch.ones(2))
    assert failure.value.reason == "missing"


ENTERING_SECONDS = 1.5
CORR1D_OF_ZEROS = "import torch\n\ndef corr1d(x, k):\n    return torch.zeros(2)\n"


def test_a_worker_slow_to_enter_its_sandbox_still_serves(monkeypatch):
    """On a machine busy enough that entering the sandbox takes a second, the worker still starts and
    answers, and the zygote answers the next request meanwhile: it used to wait for each worker's
    report, and gave up on a late one (the worker then died with exit 70, blamed on the import)."""
    from autograder.sandbox import bootstrap
    from autograder.sandbox.zygote import Zygote

    entering = bootstrap.iso.enter_namespaces

    def entering_slowly(*args, **kwargs):
        time.sleep(ENTERING_SECONDS)
        return entering(*args, **kwargs)

    monkeypatch.setattr(bootstrap.iso, "enter_namespaces", entering_slowly)
    limits = Limits(call_seconds=10.0, import_seconds=20.0)
    zygote = Zygote.start(limits)
    try:
        if not zygote.isolation.namespaces:
            pytest.skip("no namespaces here: a worker enters no namespace")
        files = {"ex1_corr2d.py": IMPORT_TIME.encode(), "ex3_variants.py": CORR1D_OF_ZEROS.encode()}
        pool = WorkerPool(zygote, files, limits)
        try:
            asked_at = time.monotonic()
            pool.start(["ex1_corr2d", "ex3_variants"], use_cuda=False)
            value = Student(pool, units.of_exercise("corr1d")).call("corr1d", torch.ones(3), torch.ones(2)).value
            served_in = time.monotonic() - asked_at
        finally:
            pool.close()
    finally:
        zygote.close()
    assert torch.equal(value.data, torch.zeros(2))
    assert served_in < 2 * ENTERING_SECONDS, "the second worker was forked only once the first had its sandbox"


def test_a_worker_whose_sandbox_fails_is_the_machines_fault_not_the_students(monkeypatch, capfd):
    """A step of the sandbox that the machine refuses ends the worker before any student code runs:
    the judge says so (a MachineFault), rather than that the student's file stopped the process while
    being imported, and the operator reads why on the grader's stderr."""
    from autograder.sandbox import bootstrap
    from autograder.sandbox.client import SandboxFailed
    from autograder.sandbox.zygote import Zygote

    def refused(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted", "setrlimit")

    monkeypatch.setattr(bootstrap.iso, "apply_limits", refused)
    limits = Limits(call_seconds=10.0, import_seconds=20.0)
    zygote = Zygote.start(limits)
    try:
        pool = WorkerPool(zygote, {"ex1_corr2d.py": IMPORT_TIME.encode()}, limits)
        try:
            with pytest.raises(SandboxFailed) as first:
                corr2d(pool)
            with pytest.raises(SandboxFailed) as second:  # remembered: no other worker is tried
                corr2d(pool)
        finally:
            pool.close()
    finally:
        zygote.close()
    assert "code 70" in str(first.value)
    assert second.value is first.value
    assert "setrlimit" in capfd.readouterr().err


LOOP_CORR2D = (SOLUTIONS / "ex1_corr2d.py").read_bytes()
"""The reference's loop, which makes its output with torch.zeros."""
UNFOLDING_LOOP = (
    LOOP_CORR2D
    + b"""

_loop = corr2d


def corr2d(X, K):
    X.unfold(0, 1, 1)  # an operator the rule reads, beside the loop's, which it does not
    return _loop(X, K)
"""
)


def test_workers_started_together_serve_in_any_order(grader):
    """The zygote forks the workers asked for at the start while the judge goes on; each answers
    whichever is called first, and a pool closed before any call leaves nothing behind."""
    files = {path.name: path.read_bytes() for path in SOLUTIONS.glob("ex*.py")}
    pool = WorkerPool(grader.zygote, files, Limits(call_seconds=5.0))
    try:
        pool.start(["ex1_corr2d", "ex2_conv2d", "ex3_variants"], use_cuda=False)
        later = Student(pool, units.of_exercise("corr1d")).call("corr1d", torch.ones(4), torch.ones(2))
        first = Student(pool, units.of_exercise("corr2d")).call("corr2d", torch.ones(3, 3), torch.ones(2, 2))
    finally:
        pool.close()
    assert torch.equal(later.value.data, torch.full((3,), 2.0))
    assert torch.equal(first.value.data, torch.full((2, 2), 4.0))
    unused = WorkerPool(grader.zygote, files, Limits(call_seconds=5.0))
    unused.start(["ex1_corr2d", "ex3_variants"], use_cuda=False)
    unused.close()
    assert unused.strays == 0


@pytest.mark.parametrize("observe", [True, False])
def test_the_dispatch_recorder_runs_only_where_asked(grader, observe):
    """A unit without a rule spares its workers the dispatch recorder: its calls report the functions
    they called (the diagnoses read them) and no operators."""
    observed = None if observe else frozenset()
    pool = WorkerPool(grader.zygote, {"ex1_corr2d.py": UNFOLDING_LOOP}, Limits(call_seconds=5.0), [], observed)
    try:
        without_rule = dataclasses.replace(units.get("convolutions"), call_policy=None)
        call = Student(pool, without_rule).call("corr2d", torch.ones(4, 4), torch.ones(2, 2))
    finally:
        pool.close()
    assert torch.equal(call.value.data, torch.full((3, 3), 4.0))
    assert call.trace.calls.get("torch.zeros") == 1
    assert call.trace.observed is observe
    assert ("aten::unfold" in call.trace.dispatched) is observe


def test_a_checker_that_stays_up_narrows_the_recorder_to_the_operators_the_rule_reads():
    """A checker's first check sees every operator; once its workers are gone, its zygote lets pass by
    all but those the units' rules read (autograder.sandbox.observer.watch_only): later workers still
    record torch's unfold, and no longer the multiplication."""
    from autograder.grading import warm_up_between_checks
    from autograder.sandbox.zygote import Zygote

    zygote = Zygote.start(Limits(), warm_up_later=warm_up_between_checks)
    try:
        first = dispatched_in_a_worker(zygote)
        later = dispatched_in_a_worker(zygote)
        deadline = time.monotonic() + 30
        while "aten::mul" in later and time.monotonic() < deadline:
            later = dispatched_in_a_worker(zygote)
    finally:
        zygote.close()
    assert {"aten::mul", "aten::unfold"} <= set(first)
    assert "aten::unfold" in later
    assert "aten::mul" not in later


def test_a_rule_without_the_recorders_report_fails_closed(grader):
    """Were a unit with a rule ever given workers without the recorder, its rule would not pass them."""
    from autograder.feedback import Failure

    pool = WorkerPool(grader.zygote, {"ex1_corr2d.py": LOOP_CORR2D}, Limits(call_seconds=5.0), [], frozenset())
    try:
        with pytest.raises(Failure) as failed:
            Student(pool, units.get("convolutions")).call("corr2d", torch.ones(4, 4), torch.ones(2, 2))
    finally:
        pool.close()
    assert "report_missing" in repr(failed.value.feedback)


def test_a_submissions_workers_run_the_recorder_only_for_the_files_under_the_rule(grader):
    """learn_kernel trains an nn.Conv2d, as the text does: no rule reads its operators, so its worker
    runs without the recorder, while corr2d's runs under it."""
    from autograder.submission.loader import from_bytes
    from tests.kit.conftest import solution_files

    unit = units.get("convolutions")
    pool = WorkerPool.for_submission(grader.zygote, from_bytes("solutions", solution_files()), Limits(call_seconds=5.0))
    try:
        student = Student(pool, unit)
        corr2d = student.call("corr2d", torch.ones(4, 4), torch.ones(2, 2))
        X = torch.ones(6, 8)
        learned = student.call("learn_kernel", X, X[:, :-1] * 0, (1, 2), 3e-2, 2)
    finally:
        pool.close()
    assert corr2d.trace.observed
    assert not learned.trace.observed
    assert learned.trace.dispatched == {}
    assert learned.trace.calls, "the function mode still records what the diagnoses read"


@pytest.fixture
def cold_zygote():
    """A zygote that has yet to load what calls on `meta` need: it does so, a quarter second here, once
    it has forked its first workers and has nothing else to do."""
    from autograder.sandbox.zygote import Zygote

    zygote = Zygote.start(Limits(), warm_up_when_idle=lambda: time.sleep(0.25))
    yield zygote
    zygote.close()


def imported_at(pool: WorkerPool, device: str = "cpu") -> float:
    call = Student(pool, units.of_exercise("corr2d")).call("corr2d", torch.ones(2, 2), torch.ones(1, 1), device=device)
    return float(call.value.data)


def test_calls_on_meta_get_a_worker_forked_after_the_zygote_loaded_what_they_need(cold_zygote):
    files = {"ex1_corr2d.py": IMPORT_TIME.encode()}
    first = WorkerPool(cold_zygote, files, Limits(call_seconds=5.0))
    try:
        first.start(["ex1_corr2d"], use_cuda=False)
        first.start_on_meta(["ex1_corr2d"])  # the zygote has said nothing yet: a worker of their own
        on_cpu, on_meta = imported_at(first), imported_at(first, "meta")
        assert imported_at(first) == on_cpu
        assert imported_at(first, "meta") == on_meta
    finally:
        first.close()
    assert on_meta != on_cpu
    later = WorkerPool(cold_zygote, files, Limits(call_seconds=5.0))
    try:
        later.start_on_meta(["ex1_corr2d"])  # the zygote is ready now: the module's one worker serves both
        assert imported_at(later) == imported_at(later, "meta")
    finally:
        later.close()


def test_a_worker_forked_too_early_for_a_call_on_meta_is_replaced(cold_zygote):
    pool = WorkerPool(cold_zygote, {"ex1_corr2d.py": IMPORT_TIME.encode()}, Limits(call_seconds=5.0))
    try:
        early = imported_at(pool)
        replaced = imported_at(pool, "meta")
        assert replaced > early
        assert imported_at(pool) == replaced  # the new worker serves every call from then on
    finally:
        pool.close()


LATER = "autograder_test_later_warm_up"
"""A module only the zygote's later warm-up puts in sys.modules (a name no test process imports)."""
LOADED = f"""import sys

import torch


def corr2d(X, K):
    return torch.tensor(float({LATER!r} in sys.modules))
"""


def load_later() -> None:
    sys.modules[LATER] = types.ModuleType(LATER)


def test_a_zygote_runs_its_later_warm_up_once_a_grades_workers_are_gone():
    """What a zygote that stays up loads for later grades (torch's compiler for `check --watch`) waits
    until no worker is alive: no grade waits for it, and every worker forked after it inherits it."""
    from autograder.sandbox.zygote import Zygote

    zygote = Zygote.start(Limits(), warm_up_later=load_later)

    def pool() -> WorkerPool:
        return WorkerPool(zygote, {"ex1_corr2d.py": LOADED.encode()}, Limits(call_seconds=5.0))

    try:
        first = pool()
        try:
            assert corr2d(first) == 0.0
            second = pool()
            try:
                assert corr2d(second) == 0.0, "forked while the first grade's worker was alive"
            finally:
                second.close()
        finally:
            first.close()
        seen: list[float] = []
        deadline = time.monotonic() + 10
        while not seen or (seen[-1] == 0.0 and time.monotonic() < deadline):
            later = pool()
            try:
                seen.append(corr2d(later))
            finally:
                later.close()
        assert seen[-1] == 1.0, seen
    finally:
        zygote.close()


def test_a_unit_that_rules_an_exercise_it_does_not_have_is_refused():
    """A misspelt tag would leave the exercise it meant outside the rule, and its recorder off."""
    from autograder.unit import UnknownExercise

    with pytest.raises(UnknownExercise, match="Conv2d"):
        dataclasses.replace(units.get("convolutions"), ruled=frozenset({"corr2d", "Conv2d"}))


def test_a_rule_that_does_not_say_which_operators_it_reads_keeps_the_recorder_watching_them_all(monkeypatch):
    """The grader narrows the recorder to the operators the rules read only where every unit with a
    rule names them: a rule that reads operators nobody listed would otherwise never see them."""
    watched = units.watched_operators()
    assert watched is not None
    assert {"aten::convolution", "aten::im2col", "aten::_fft_r2c"} <= watched
    assert "aten::mul" not in watched
    silent = dataclasses.replace(units.get("convolutions"), watched_operators=None)
    installed = {**units.installed(), silent.name: silent}
    monkeypatch.setattr(units, "installed", lambda: installed)
    assert units.watched_operators() is None
