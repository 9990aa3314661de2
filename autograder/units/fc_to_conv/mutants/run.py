"""Grade every mutant with the hidden suite, judge it with the oracle, and tally per exercise."""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from autograder.grading import Grader
from autograder.results import GradeReport
from autograder.sandbox.limits import Limits
from autograder.submission.loader import from_bytes
from autograder.units.fc_to_conv import UNIT
from autograder.units.fc_to_conv.mutants.corpus import Mutant
from autograder.units.fc_to_conv.mutants.loading import Subject, load_modules
from autograder.units.fc_to_conv.mutants.names import NameCheck, check_name
from autograder.units.fc_to_conv.mutants.oracle import Verdict, equivalent, warm_up


@dataclass(frozen=True)
class Naming:
    """One mistake the grader named in a failing test, and what the check found."""

    test: str
    exercise: str
    mistake: str
    check: NameCheck


@dataclass
class Outcome:
    mutant: Mutant
    score: float
    max_score: float
    equivalence: Verdict
    namings: list[Naming] = field(default_factory=list)
    grader_errors: list[str] = field(default_factory=list)

    @property
    def caught(self) -> bool:
        return self.score < self.max_score

    @property
    def wrong(self) -> list[Naming]:
        return [n for n in self.namings if n.check.status == "wrong"]

    @property
    def unverified(self) -> list[Naming]:
        return [n for n in self.namings if n.check.status == "unverified"]

    @property
    def equivalent_charged(self) -> bool:
        return self.equivalence.holds and self.caught

    @property
    def survived(self) -> bool:
        return not self.equivalence.holds and not self.caught


def judge(mutant: Mutant, report: GradeReport, solutions: dict[str, str], reference: dict[str, Any]) -> Outcome:
    """The oracle's verdicts on a graded mutant: equivalence, and each name the grader gave."""
    modules = load_modules({**solutions, mutant.file: mutant.source}, mutant.id)
    outcome = Outcome(
        mutant,
        report.score,
        report.max_score,
        equivalent(mutant.file, modules, reference),
        grader_errors=list(report.internal_errors),
    )
    for test in report.tests:
        feedback = test.feedback
        if test.status != "failed" or feedback is None or not feedback.mistake:
            continue
        check = check_name(feedback.mistake, Subject(test.exercise, modules), Subject(test.exercise, reference))
        outcome.namings.append(Naming(test.name.key, test.exercise, feedback.mistake, check))
    return outcome


def grade_one(grader: Grader, mutant: Mutant, solutions: dict[str, str], reference: dict[str, Any]) -> Outcome:
    """The mutant's file beside the other solutions, graded on every exercise of its file."""
    files = {name: text.encode() for name, text in {**solutions, mutant.file: mutant.source}.items()}
    tags = UNIT.tags_of(mutant.file.removesuffix(".py"))
    report = grader.grade(from_bytes(mutant.id, files, UNIT), "hidden", exercises=tags)
    return judge(mutant, report, solutions, reference)


_judge_state: dict[str, Any] = {}
"""In each judge process of the pool: its Grader, the solutions and their modules."""


def _start_judge(limits: Limits, solutions: dict[str, str]) -> None:
    grader = Grader(limits)  # forks this judge's zygote before the judge computes anything
    multiprocessing.util.Finalize(grader, grader.close, exitpriority=10)
    reference = load_modules(solutions, "solutions")
    warm_up(reference)
    _judge_state.update(grader=grader, solutions=solutions, reference=reference)


def _grade_in_judge(mutant: Mutant) -> Outcome:
    return grade_one(_judge_state["grader"], mutant, _judge_state["solutions"], _judge_state["reference"])


def grade_all(
    mutants: list[Mutant],
    solutions: dict[str, str],
    limits: Limits,
    jobs: int,
    progress: Callable[[int, int, Outcome], None] | None = None,
) -> list[Outcome]:
    """Grade and judge every mutant in `jobs` judge processes forked from this one, which must not
    have computed with torch yet (a fork after a multi-threaded op can hang)."""
    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_start_judge, initargs=(limits, solutions))
    outcomes = []
    try:
        for number, outcome in enumerate(pool.imap(_grade_in_judge, mutants), start=1):
            outcomes.append(outcome)
            if progress is not None:
                progress(number, len(mutants), outcome)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    return outcomes


COLUMNS = (
    "exercise",
    "mutants",
    "equivalent",
    "caught",
    "named",
    "wrong names",
    "unverified",
    "equiv. charged",
    "survivors",
)


def table_rows(outcomes: list[Outcome]) -> list[tuple[str, ...]]:
    """One row per exercise and a total: counts of mutants (a mutant counts once per column)."""
    groups: dict[str, list[Outcome]] = {tag: [] for tag in UNIT.tags}
    for outcome in outcomes:
        groups[outcome.mutant.exercise].append(outcome)
    rows: list[tuple[str, ...]] = []
    for label, group in [*groups.items(), ("total", outcomes)]:
        if not group:
            continue
        counts = (
            len(group),
            sum(o.equivalence.holds for o in group),
            sum(o.caught for o in group),
            sum(bool(o.namings) for o in group),
            sum(bool(o.wrong) for o in group),
            sum(bool(o.unverified) for o in group),
            sum(o.equivalent_charged for o in group),
            sum(o.survived for o in group),
        )
        rows.append((label, *(str(c) for c in counts)))
    return rows


def render_table(outcomes: list[Outcome]) -> str:
    rows = [COLUMNS, *table_rows(outcomes)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        "| "
        + " | ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        + " |"
        for row in rows
    ]
    lines.insert(1, "| " + " | ".join("-" * (w - 1) + (":" if i else "-") for i, w in enumerate(widths)) + " |")
    return "\n".join(lines)


def problems(outcomes: list[Outcome]) -> list[str]:
    """One line per wrong name, per equivalent mutant charged, per grader error."""
    lines = []
    for o in outcomes:
        head = f"{o.mutant.id} [{o.mutant.description}]"
        for naming in o.wrong:
            lines.append(f"WRONG NAME {head}: {naming.test} said {naming.mistake}; check: {naming.check.reason}")
        if o.equivalent_charged:
            lines.append(f"EQUIVALENT CHARGED {head}: {o.score:g}/{o.max_score:g}; oracle: {o.equivalence.reason}")
        for error in o.grader_errors:
            lines.append(f"GRADER ERROR {head}: {error.splitlines()[0] if error else ''}")
    return lines


def notes(outcomes: list[Outcome]) -> list[str]:
    """Names that could not be checked, then mutants that behave differently and still get full marks."""
    return [
        f"UNVERIFIED {o.mutant.id}: {n.test} said {n.mistake}; {n.check.reason}" for o in outcomes for n in o.unverified
    ] + [f"NOT CAUGHT {o.mutant.id} [{o.mutant.description}]: {o.equivalence.reason}" for o in outcomes if o.survived]


def record(outcome: Outcome) -> dict[str, Any]:
    """What --out keeps of one mutant."""
    return {
        "id": outcome.mutant.id,
        "exercise": outcome.mutant.exercise,
        "operator": outcome.mutant.operator,
        "description": outcome.mutant.description,
        "score": outcome.score,
        "max_score": outcome.max_score,
        "equivalent": outcome.equivalence.holds,
        "oracle": outcome.equivalence.reason,
        "names": [
            {
                "test": n.test,
                "exercise": n.exercise,
                "mistake": n.mistake,
                "check": n.check.status,
                "why": n.check.reason,
            }
            for n in outcome.namings
        ],
        "grader_errors": outcome.grader_errors,
        "source": outcome.mutant.source,
    }
