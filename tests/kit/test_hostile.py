"""The hostile corpus (tests/corpus/hostile): submissions that attack the grader instead of solving.

Each is graded the way a pipeline grades, `python -m autograder grade SUBMISSION --out DIR`, in a
subprocess of its own (several attacks aim at the grader's process itself), on a copy of the
submission, from a working folder of its own. Then every promise of README's "Security model" is
checked: graded (exit 0) in bounded time, no points beyond honest zeros for the attacked exercises
and no change for the others, results.json the judge's own, nothing changed outside the scratch
folder, no process left behind, nothing hidden leaked into any output.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from autograder import __version__
from autograder.paths import KIT_ROOT
from autograder.sandbox.isolation import WORKER_UID_BASE, landlock_works
from autograder.submission.loader import from_bytes
from autograder.units.convolutions import UNIT
from tests.kit.conftest import SOLUTIONS, solution_files

pytestmark = pytest.mark.slow

CORPUS = KIT_ROOT / "tests" / "corpus" / "hostile"
MANIFEST = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
DEFAULTS = MANIFEST["defaults"]
ATTACKS = [name for name in MANIFEST if name not in ("defaults", "zeros")]
HONEST = "solutions"
AS_ROOT = os.geteuid() == 0
SEPARATED = AS_ROOT or landlock_works() >= 6
"""The worker is kept from the grader's files and processes: a user of its own, or Landlock with signals."""

GRADE_OPTIONS = ("--timeout", "2")
"""A call may take 2 s (a correct call takes milliseconds): keeps the time-outs of the corpus short."""
IMPORT_SECONDS = 4
"""The import limit of these gradings (an attack's `import_seconds` in the manifest may raise it)."""
PARALLEL = 3
RESULTS_MAX_BYTES = 1 << 20
SLEEPERS_WAKE_AFTER = 12.0
"""Seconds after its grading ends by which every sleeper of the corpus would have woken and written."""
KIT_TREES = (UNIT.suite("hidden"), UNIT.suite("public"), UNIT.solutions, UNIT.samples, KIT_ROOT / "exercises")
"""Watched for files appearing or vanishing (not contents: the kit may be edited while this runs).
Anywhere else in the kit, a file a worker made would be its user's: checked once all are graded."""
KIT_CONTENTS = (UNIT.solutions, CORPUS)
"""Watched for any change, contents included."""
OUT_WRITTEN = ("results.json", "feedback.")
"""Files of the --out folder the grader itself writes (results.json, feedback.md, feedback.html, ...)."""
WORLD_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")
OUTPUT_MAX_BYTES = 1 << 20
"""What the grader prints (stdout and stderr together), whatever the submission prints."""
STARTED = time.time()


def _snapshot(roots: tuple[Path, ...], contents: bool = True) -> dict[str, str]:
    """Path -> content digest ('dir' for folders, '' without contents) of everything under `roots`."""
    seen: dict[str, str] = {}
    for root in roots:
        if not root.exists():
            continue
        for path in [root, *root.rglob("*")]:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            if path.is_dir():
                seen[str(path)] = "dir"
            elif path.is_file():
                seen[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest() if contents else ""
    return seen


def _changes(before: dict[str, str], after: dict[str, str], out: Path) -> list[str]:
    """Paths added, removed or changed, but for the files the grader writes into `out`."""
    written = {p for p in after if Path(p).parent == out and Path(p).name.startswith(OUT_WRITTEN)}
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p) and p not in written)


def _status_uid(pid: str) -> int | None:
    """The real uid of a process (/proc/<pid> itself belongs to root once a worker drops privileges)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _processes_of(cli_pid: int, submission: Path) -> list[str]:
    """Live processes of one grading: those of its workers' user, and those naming the submission."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        uid = _status_uid(entry)
        if uid == WORKER_UID_BASE + cli_pid or str(submission) in cmdline:
            found.append(f"pid {entry} uid {uid}: {cmdline[:200]}")
    return found


def _files_of(uids: set[int], since: float, *roots: str) -> list[str]:
    """Files and folders owned by one of `uids` under `roots`, changed after `since` (what a worker left
    behind; the time tells them from a namesake's: a worker's uid follows from a pid, and pids recur)."""
    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            for name in dirs + files:
                path = os.path.join(folder, name)
                try:
                    info = os.lstat(path)
                except OSError:
                    continue
                if info.st_uid in uids and info.st_ctime >= since:
                    found.append(path)
    return found


@dataclass
class Outcome:
    """What grading one submission did, seen from outside."""

    name: str
    cli_pid: int
    returncode: int
    seconds: float
    stdout: str
    stderr: str
    results: dict | None
    results_bytes: int
    feedback: str
    changes: list[str]
    leftovers: list[str]
    ended: float
    scores: dict[str, float] = field(default_factory=dict)

    def text(self) -> str:
        return "\n".join((self.stdout, self.stderr, json.dumps(self.results or {}), self.feedback))


def grade(name: str, source: Path, scratch: Path) -> Outcome:
    """Grade the solutions with `source`'s files over them, from a working folder of its own;
    snapshot all it might touch."""
    home = scratch / name
    submission, out, cwd = home / "submission", home / "out", home / "cwd"
    shutil.copytree(SOLUTIONS, submission)
    shutil.copytree(source, submission, dirs_exist_ok=True)
    for folder in (out, cwd):
        folder.mkdir(parents=True)
        (folder / "keep.txt").write_text("must survive grading\n")
    (out / "results.json").write_text('{"stale": true}\n')
    private = (submission, out, cwd, *KIT_CONTENTS)
    kit = KIT_TREES
    before = {**_snapshot(kit, contents=False), **_snapshot(private)}
    import_seconds = MANIFEST.get(name, {}).get("import_seconds", IMPORT_SECONDS)
    limits = {"AUTOGRADER_LIMIT_IMPORT_SECONDS": str(import_seconds)}
    environment = {**os.environ, **limits, "AUTOGRADER_LANG": "en", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "autograder", "grade", str(submission), "--out", str(out), *GRADE_OPTIONS]
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=cwd, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=MANIFEST.get(name, {}).get("seconds", DEFAULTS["seconds"]) * 3)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
    seconds = time.monotonic() - started
    leftovers = _processes_of(process.pid, submission)
    changes = _changes(before, {**_snapshot(kit, contents=False), **_snapshot(private)}, out)
    results_path = out / "results.json"
    raw = results_path.read_bytes() if results_path.is_file() else b""
    try:
        results = json.loads(raw)
    except ValueError:
        results = None
    feedback_path = out / "feedback.md"
    outcome = Outcome(
        name=name,
        cli_pid=process.pid,
        returncode=process.returncode,
        seconds=seconds,
        stdout=stdout.decode(errors="replace"),
        stderr=stderr.decode(errors="replace"),
        results=results,
        results_bytes=len(raw),
        feedback=feedback_path.read_text(errors="replace") if feedback_path.is_file() else "",
        changes=changes,
        leftovers=leftovers,
        ended=time.monotonic(),
    )
    if isinstance(results, dict):
        for test in results.get("tests", []):
            tag = test["tags"][0]
            outcome.scores[tag] = outcome.scores.get(tag, 0.0) + test["score"]
    return outcome


def _runnable(name: str) -> bool:
    return SEPARATED or not MANIFEST[name].get("needs_separation", False)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    """Every submission of the corpus graded once, a few at a time, slowest first."""
    scratch = tmp_path_factory.mktemp("hostile")
    jobs = {HONEST: SOLUTIONS, "zeros": CORPUS / "zeros"}
    jobs.update({name: CORPUS / name for name in ATTACKS if _runnable(name)})
    slow_first = sorted(jobs, key=lambda name: "loop" not in name and "sleep" not in name)
    with ThreadPoolExecutor(PARALLEL) as pool:
        futures = {name: pool.submit(grade, name, jobs[name], scratch) for name in slow_first}
        yield {name: future.result() for name, future in futures.items()}


def test_the_baselines_grade_as_expected(outcomes):
    honest, zeros = outcomes[HONEST], outcomes["zeros"]
    assert honest.returncode == 0, honest.stderr
    assert honest.results["score"] == honest.results["extra_data"]["max_score"]
    assert zeros.returncode == 0, zeros.stderr
    assert zeros.results["score"] < honest.results["score"] / 4


@pytest.mark.parametrize("name", ATTACKS)
def test_attack_is_contained(outcomes, name):
    if not _runnable(name):
        pytest.skip("nothing separates the worker from the grader here (README: Security model)")
    spec = {**DEFAULTS, **MANIFEST[name]}
    outcome, honest, zeros = outcomes[name], outcomes[HONEST], outcomes["zeros"]
    assert outcome.returncode == 0, f"not graded (exit {outcome.returncode}):\n{outcome.stderr[-3000:]}"
    # Counted beyond the honest solutions' grading in the same run: a busy machine slows both alike.
    assert outcome.seconds < honest.seconds + spec["seconds"], (
        f"took {outcome.seconds:.1f} s; the honest solutions {honest.seconds:.1f} s"
    )

    assert len(outcome.stdout) + len(outcome.stderr) < OUTPUT_MAX_BYTES, "the grader printed too much"

    results = outcome.results
    assert isinstance(results, dict), "results.json is missing or not JSON"
    assert outcome.results_bytes < RESULTS_MAX_BYTES, f"results.json has {outcome.results_bytes} bytes"
    assert results.get("extra_data", {}).get("grader_version") == __version__
    assert abs(results["score"] - sum(t["score"] for t in results["tests"])) < 1e-9
    assert set(results) >= {"score", "tests", "output"}
    assert "stale" not in results
    assert all(0 <= t["score"] <= t["max_score"] for t in results["tests"])

    for tag in UNIT.tags:
        if tag in spec["attacked"]:
            assert outcome.scores[tag] <= zeros.scores[tag], f"{tag}: {outcome.scores[tag]} > zeros"
        else:
            assert outcome.scores[tag] == honest.scores[tag], f"{tag} changed: {outcome.scores[tag]}"

    for tag in spec["attacked"] if "rule" in spec else ():
        named = {(t.get("extra_data") or {}).get("mistake") for t in results["tests"] if t["tags"][0] == tag}
        assert named & set(spec["rule"]), f"{tag}: named {sorted(filter(None, named))}, not {spec['rule']}"
        assert outcome.scores[tag] == 0, f"{tag} broke the rule and scored {outcome.scores[tag]}"

    assert not outcome.changes, f"changed outside the scratch folder: {outcome.changes[:10]}"
    assert not outcome.leftovers, f"processes outlived grading: {outcome.leftovers[:10]}"
    leaked = [marker for marker in spec["must_not_leak"] if marker in outcome.text()]
    assert not leaked, f"leaked into the output: {leaked}"
    for path in _must_not_exist(name):
        assert not os.path.exists(path), f"{path} exists"


def test_no_sleeper_woke_up_after_grading(outcomes):
    """The detached sleepers would write their files some seconds after grading: wait, then look."""
    last = max(outcome.ended for outcome in outcomes.values())
    time.sleep(max(0.0, last + SLEEPERS_WAKE_AFTER - time.monotonic()))
    for name in ATTACKS:
        for path in _must_not_exist(name):
            assert not os.path.exists(path), f"{name}: {path} exists"
    if AS_ROOT:
        uids = {WORKER_UID_BASE + outcome.cli_pid for outcome in outcomes.values()}
        alive = [pid for pid in os.listdir("/proc") if pid.isdigit() and _status_uid(pid) in uids]
        assert not alive, f"processes of the workers' users still alive: {alive}"
        roots = [p for p in WORLD_WRITABLE if os.path.isdir(p)]
        roots += [str(p) for p in KIT_ROOT.iterdir() if p.is_dir() and p.name != ".venv"]
        left = _files_of(uids, STARTED, *roots)
        assert not left, f"files left by a worker: {left[:10]}"


def _must_not_exist(name: str) -> list[str]:
    return [path.replace("{kit}", str(KIT_ROOT)) for path in MANIFEST[name].get("must_not_exist", [])]


def _how_it_ended(outcome: Outcome, tags: list[str]) -> str:
    """The feedback most of the attacked exercises' failed tests got, on one line."""
    summaries = Counter(
        test["output"].strip().splitlines()[0].strip("*").strip()
        for test in (outcome.results or {}).get("tests", [])
        if test["tags"][0] in tags and test["status"] == "failed" and test["output"].strip()
    )
    if not summaries:
        return "-"
    summary, count = summaries.most_common(1)[0]
    return f"{summary[:90]} ({count}x)"


def test_corpus_table(outcomes, capsys):
    """Print the corpus as a table (attack, outcome, time): `pytest -s` shows it; README quotes it."""
    honest, zeros = outcomes[HONEST], outcomes["zeros"]
    lines = [f"{'attack':22} {'points':>7} {'zeros':>6} {'exit':>4} {'time':>6}  feedback of the attacked tests"]
    for name in ATTACKS:
        if name not in outcomes:
            lines.append(f"{name:22} skipped: nothing separates the worker from the grader here")
            continue
        outcome, tags = outcomes[name], MANIFEST[name]["attacked"]
        lines.append(
            f"{name:22} {sum(outcome.scores.get(t, 0) for t in tags):>7g} {sum(zeros.scores[t] for t in tags):>6g} "
            f"{outcome.returncode:>4} {outcome.seconds:>5.1f}s  {_how_it_ended(outcome, tags)}"
        )
    lines.append(f"honest solutions: {honest.results['score']:g} points in {honest.seconds:.1f} s")
    with capsys.disabled():
        print("\n" + "\n".join(lines))


@pytest.mark.parametrize("name", sorted(name for name in ATTACKS if "rule" in MANIFEST[name]))
def test_the_narrowed_recorder_still_catches_every_rule_attack(narrowed_grader, name):
    """The gradings above run one `grade` each, in workers whose recorder sees every operator;
    `grade-batch` and `check --watch` grade in workers whose recorder sees only the rule's operators."""
    spec = MANIFEST[name]
    files = solution_files()
    files.update({path.name: path.read_bytes() for path in (CORPUS / name).glob("*.py")})
    report = narrowed_grader.grade(from_bytes(name, files))
    assert not report.internal_errors, report.internal_errors
    for tag in spec["attacked"]:
        named = {t.feedback.mistake for t in report.tests if t.exercise == tag and t.feedback is not None}
        assert named & set(spec["rule"]), f"{tag}: named {sorted(filter(None, named))}, not {spec['rule']}"
        assert report.exercise_score(tag)[0] == 0, f"{tag} broke the rule and scored {report.exercise_score(tag)}"
