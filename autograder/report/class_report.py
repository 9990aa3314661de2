"""report.html for instructors: where a whole class stands after grading, as one offline page.

It reads only what `grade-batch` keeps per student (status, reason, time, and the results.json
dict), so it can also be rebuilt later from the saved results files. The markup is
templates/class_report.html; this module counts and ranks what it shows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from autograder.batch import figures
from autograder.i18n import Catalogue, catalogue
from autograder.report.htmlpage import points, render_page
from autograder.results import in_order

EXAMPLES = 5
"""Students named per mistake: enough to find a case to look at, few enough to read."""
SLOWEST = 5
BINS = 10
HIST_WIDTH, HIST_HEIGHT = 500, 220
HIST_LEFT, HIST_RIGHT, HIST_TOP, HIST_BOTTOM = 30, 10, 24, 38
"""The histogram's drawing, in SVG units, and its margins for the axis labels."""
PLOT_WIDTH, PLOT_HEIGHT = HIST_WIDTH - HIST_LEFT - HIST_RIGHT, HIST_HEIGHT - HIST_TOP - HIST_BOTTOM
SLOT = PLOT_WIDTH / BINS
STATUS_KEYS = ("graded", "unreadable", "grader_failed")
SORT = "so"
SORT_KEYS = ("student", "score-up", "score-down", "status")
SORT_VARIABLES = (("score-up", "--up"), ("score-down", "--down"), ("status", "--status"))
"""The roster's orders: each row carries its rank in each as a CSS variable; "student" is the default."""

Entry = dict[str, Any]
"""What grade-batch keeps of one student: student, status, reason, seconds, results (results.json)."""


def _exercise(test: dict[str, Any]) -> str:
    tags = test.get("tags") or ["-"]
    return str(tags[0])


def _skipped(test: dict[str, Any]) -> bool:
    return bool((test.get("extra_data") or {}).get("skipped"))


def _mistake(test: dict[str, Any]) -> str | None:
    mistake = (test.get("extra_data") or {}).get("mistake")
    return str(mistake) if mistake else None


def _test_key(test: dict[str, Any]) -> str:
    return str((test.get("extra_data") or {}).get("id") or test.get("name", ""))


def _short_name(test: dict[str, Any]) -> str:
    """results.json names a test "exercise: name"; the exercise has its own column here."""
    name = str(test.get("name", ""))
    return name.removeprefix(f"{_exercise(test)}: ")


def _max_score(results: dict[str, Any]) -> float:
    extra = results.get("extra_data") or {}
    if "max_score" in extra:
        return float(extra["max_score"])
    return sum(float(t.get("max_score", 0)) for t in results.get("tests", []) if not _skipped(t))


def _per_exercise(results: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Points and maximum per exercise, counted tests only."""
    per: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for test in results.get("tests", []):
        if not _skipped(test):
            per[_exercise(test)][0] += float(test.get("score", 0))
            per[_exercise(test)][1] += float(test.get("max_score", 0))
    return {exercise: (score, maximum) for exercise, (score, maximum) in per.items()}


class _Words:
    """The catalogue as the template reads it: labels of mistakes and statuses, times in seconds."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat

    def text(self, key: str, **params: Any) -> str:
        return self.cat.text(key, **params)

    def label(self, mistake: str) -> str:
        key = f"mistake_label.{mistake}"
        return self.cat.text(key) if self.cat.has(key) else mistake

    def seconds(self, value: float) -> str:
        return self.cat.text("classreport.seconds", seconds=f"{value:.1f}" if value < 100 else f"{value:.0f}")

    def status(self, status: str) -> str:
        key = {"graded": "graded", "unreadable": "unreadable", "grader_failed": "failed"}.get(status)
        return self.cat.text(f"classreport.{key}") if key else status


@dataclass(frozen=True)
class _Stat:
    value: str
    what: str
    of: str = ""
    """The maximum, for a figure in points."""
    warn: bool = False


def _stats(entries: list[Entry], graded: list[Entry], words: _Words) -> list[_Stat]:
    counts = Counter(entry["status"] for entry in entries)
    stats = [
        _Stat(str(counts["graded"]), words.text("classreport.graded")),
        _Stat(str(counts["unreadable"]), words.text("classreport.unreadable"), warn=counts["unreadable"] > 0),
        _Stat(str(counts["grader_failed"]), words.text("classreport.failed"), warn=counts["grader_failed"] > 0),
    ]
    if graded:
        scores = [float(e["results"]["score"]) for e in graded]
        maximum = points(max(_max_score(e["results"]) for e in graded))
        for key, value in (("mean", figures.mean(scores)), ("median", figures.median(scores))):
            stats.append(_Stat(f"{value:.1f}", words.text(f"classreport.{key}"), of=maximum))
    return stats


def _suite(graded: list[Entry], cat: Catalogue) -> str:
    """The suite's name when every graded submission ran the same one, else ""."""
    suites = {(e["results"].get("extra_data") or {}).get("suite") for e in graded}
    if len(suites) == 1 and cat.has(f"report.suite.{next(iter(suites))}"):
        return cat.text("classreport.suite", suite=cat.text(f"report.suite.{next(iter(suites))}"))
    return ""


@dataclass(frozen=True)
class _Bin:
    tip: str
    count: int
    x: float
    height: float
    opacity: float


@dataclass(frozen=True)
class _Histogram:
    """Scores in BINS equal bins from 0 to the maximum (full marks fall in the last), median dashed."""

    bins: list[_Bin]
    ticks: list[float]
    tallest: int
    median: float | None
    median_x: float
    levels: tuple[float, ...] = (0.5, 1.0)
    width: int = HIST_WIDTH
    height: int = HIST_HEIGHT
    left: int = HIST_LEFT
    right: int = HIST_RIGHT
    top: int = HIST_TOP
    plot_width: int = PLOT_WIDTH
    plot_height: int = PLOT_HEIGHT
    slot: float = SLOT

    @property
    def median_on_right(self) -> bool:
        """The median's label goes on the side with room for it: left of a median near full marks."""
        return self.median_x > HIST_LEFT + PLOT_WIDTH / 2


def _histogram(scores: list[float], maximum: float, words: _Words) -> _Histogram:
    counts = [0] * BINS
    for score in scores:
        counts[min(int(score / maximum * BINS), BINS - 1) if maximum > 0 else 0] += 1
    tallest = max(counts) or 1
    bins = []
    for index, count in enumerate(counts):
        low, high = maximum * index / BINS, maximum * (index + 1) / BINS
        tip = words.text("classreport.bin_tip", low=f"{low:.3g}", high=f"{high:.3g}", count=count)
        x = HIST_LEFT + index * SLOT + 3
        bins.append(_Bin(tip, count, x, PLOT_HEIGHT * count / tallest, 0.35 + 0.6 * (index + 1) / BINS))
    median = figures.median(scores) if scores and maximum > 0 else None
    median_x = HIST_LEFT + PLOT_WIDTH * min(median / maximum, 1.0) if median is not None else 0.0
    ticks = [maximum * index / BINS for index in range(BINS + 1)]
    return _Histogram(bins, ticks, tallest, median, median_x)


@dataclass(frozen=True)
class _ExerciseRow:
    exercise: str
    mean: float
    maximum: float
    full: float
    """The share of students with full marks."""

    @property
    def fraction(self) -> float:
        return self.mean / self.maximum if self.maximum else 1.0


def _exercises(graded: list[Entry], order: Sequence[str]) -> list[_ExerciseRow]:
    totals: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for entry in graded:
        for exercise, pair in _per_exercise(entry["results"]).items():
            totals[exercise].append(pair)
    rows = []
    for exercise in in_order(totals, order):
        pairs = totals[exercise]
        full = sum(s >= m for s, m in pairs) / len(pairs)
        rows.append(_ExerciseRow(exercise, figures.mean([s for s, _ in pairs]), max(m for _, m in pairs), full))
    return rows


@dataclass
class _TestRow:
    """One test across the class."""

    name: str
    exercise: str
    run: int = 0
    passed: int = 0
    top_mistake: str = ""
    top_count: int = 0

    @property
    def rate(self) -> float:
        return self.passed / self.run


def _tests(graded: list[Entry], order: Sequence[str]) -> list[_TestRow]:
    tests: dict[str, _TestRow] = {}
    mistakes: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in graded:
        for test in entry["results"].get("tests", []):
            if _skipped(test):
                continue
            key = _test_key(test)
            record = tests.setdefault(key, _TestRow(_short_name(test), _exercise(test)))
            record.run += 1
            record.passed += test.get("status") == "passed"
            mistake = _mistake(test)
            if test.get("status") != "passed" and mistake:
                mistakes[key][mistake] += 1
    for key, counter in mistakes.items():
        tests[key].top_mistake, tests[key].top_count = counter.most_common(1)[0]
    rank = {tag: i for i, tag in enumerate(in_order((t.exercise for t in tests.values()), order))}
    return sorted(tests.values(), key=lambda record: rank[record.exercise])


@dataclass(frozen=True)
class _MistakeRow:
    mistake: str
    exercise: str
    students: list[str]
    share: float


def _mistakes(graded: list[Entry], order: Sequence[str]) -> list[_MistakeRow]:
    """Named mistakes by (mistake, exercise), each student counted once, most students first."""
    students: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entry in graded:
        for test in entry["results"].get("tests", []):
            mistake = _mistake(test)
            if mistake and test.get("status") != "passed":
                who = students[(mistake, _exercise(test))]
                if entry["student"] not in who:
                    who.append(entry["student"])
    rank = {tag: i for i, tag in enumerate(in_order((exercise for _, exercise in students), order))}
    ranked = sorted(students.items(), key=lambda item: (-len(item[1]), rank[item[0][1]], item[0][0]))
    return [
        _MistakeRow(mistake, exercise, [str(s) for s in who], len(who) / len(graded))
        for (mistake, exercise), who in ranked
    ]


@dataclass(frozen=True)
class _Timing:
    fastest: float
    median: float
    slowest: float
    total: float
    entries: list[Entry]
    """The slowest submissions, slowest first."""


def _timing(entries: list[Entry]) -> _Timing | None:
    timed = [e for e in entries if e.get("seconds") is not None and e["status"] in figures.TIMED_STATUSES]
    if not timed:
        return None
    seconds = [float(e["seconds"]) for e in timed]
    slowest = sorted(timed, key=lambda e: -float(e["seconds"]))[:SLOWEST]
    return _Timing(min(seconds), figures.median(seconds), max(seconds), sum(seconds), slowest)


@dataclass(frozen=True)
class _Row:
    """One student in the roster, with what the filters and the sort need."""

    entry: Entry
    score: float | None
    maximum: float
    exercises: dict[str, tuple[float, float]]
    mistakes: list[str]
    not_implemented: list[str]

    @property
    def lost(self) -> list[str]:
        """Exercises with points lost."""
        return [x for x, (got, top) in self.exercises.items() if got < top]


def _row(entry: Entry) -> _Row:
    results = entry.get("results") if entry["status"] == "graded" else None
    if not results:
        return _Row(entry, None, 0.0, {}, [], [])
    named = dict.fromkeys(m for t in results.get("tests", []) if t.get("status") != "passed" and (m := _mistake(t)))
    return _Row(
        entry,
        float(results["score"]),
        _max_score(results),
        _per_exercise(results),
        list(named),
        [str(x) for x in entry.get("not_implemented") or []],
    )


def _ranks(rows: list[_Row]) -> list[str]:
    """Per row, its place in each order but the first (by student, the order rows are written in)."""
    names = [str(row.entry["student"]) for row in rows]
    scored = sorted((i for i, r in enumerate(rows) if r.score is not None), key=lambda i: (rows[i].score, names[i]))
    unscored = [i for i, r in enumerate(rows) if r.score is None]
    status_rank = {"grader_failed": 0, "unreadable": 1, "graded": 2}
    by_status = sorted(range(len(rows)), key=lambda i: (status_rank.get(rows[i].entry["status"], 3), names[i]))
    up = {i: rank for rank, i in enumerate([*scored, *unscored])}
    down = {i: rank for rank, i in enumerate([*reversed(scored), *unscored])}
    status = {i: rank for rank, i in enumerate(by_status)}
    return [f"--up:{up[i]};--down:{down[i]};--status:{status[i]}" for i in range(len(rows))]


@dataclass(frozen=True)
class _Picker:
    """Hidden radio buttons (they precede the table: the rules are `:checked ~` selectors), a bar of
    their labels, and the CSS that shows the choice; a filter's choice hides the rows without its class."""

    group: str
    title: str
    options: list[tuple[str, str]]
    """(key, label); the first is checked."""

    @property
    def filters(self) -> bool:
        return self.group != SORT


@dataclass(frozen=True)
class _Roster:
    """Every student, linked to their feedback page; filters by status, by exercise with points lost
    and by mistake (or "not implemented"), and four orders: all in CSS, so they work without scripts."""

    rows: list[tuple[_Row, str, list[str], str]]
    """Each row with its ranks (CSS variables), its filter classes, and its feedback link ("" if none)."""
    pickers: list[_Picker]
    columns: list[str]
    sort_variables: tuple[tuple[str, str], ...] = SORT_VARIABLES
    sort: str = SORT


def _roster(entries: list[Entry], words: _Words, order: Sequence[str]) -> _Roster:
    rows = [_row(entry) for entry in sorted(entries, key=lambda e: str(e["student"]))]
    statuses = [s for s in STATUS_KEYS if any(r.entry["status"] == s for r in rows)]
    lost = in_order((x for r in rows for x in r.lost), order)
    mistakes = sorted({m for r in rows for m in r.mistakes}, key=words.label)
    everything = [("all", words.text("classreport.all"))]
    lacking = any(r.not_implemented for r in rows)
    pickers = [
        _Picker("fs", "filter_status", everything + [(str(i), words.status(s)) for i, s in enumerate(statuses)]),
        _Picker("fx", "filter_exercise", everything + [(str(i), x) for i, x in enumerate(lost)]),
        _Picker(
            "fm",
            "filter_mistake",
            everything
            + ([("ni", words.text("classreport.not_implemented"))] if lacking else [])
            + [(str(i), words.label(m)) for i, m in enumerate(mistakes)],
        ),
        _Picker(SORT, "sort", [(k, words.text(f"classreport.sort_{k.replace('-', '_')}")) for k in SORT_KEYS]),
    ]
    shown = []
    for row, ranks in zip(rows, _ranks(rows), strict=True):
        classes = [f"fs-{statuses.index(row.entry['status'])}"]
        classes += [f"fx-{lost.index(x)}" for x in row.lost] + [f"fm-{mistakes.index(m)}" for m in row.mistakes]
        classes += ["fm-ni"] if row.not_implemented else []
        link = quote(str(row.entry["feedback"])) if row.entry.get("feedback") else ""
        shown.append((row, ranks, classes, link))
    seen = (x for r in rows for x in [*r.exercises, *r.not_implemented])
    columns = [*order, *(x for x in in_order(seen, order) if x not in order)]
    return _Roster(shown, [p for p in pickers if len(p.options) > 1], columns)


def render_class_report(entries: list[Entry], lang: str = "en", exercise_order: Sequence[str] = ()) -> str:
    """report.html: counts, score distribution, pass rate per test, common mistakes, timing, problems.

    `exercise_order`: the unit's exercise tags, in the order tables list them and the roster's
    columns (every one gets a column); exercises it leaves out follow as first seen.
    """
    cat = catalogue(lang)
    words = _Words(cat)
    graded = [e for e in entries if e["status"] == "graded" and e.get("results")]
    histogram = None
    if graded:
        maximum = max(_max_score(e["results"]) for e in graded)
        histogram = _histogram([float(e["results"]["score"]) for e in graded], maximum, words)
    return render_page(
        "class_report.html",
        cat.text("classreport.eyebrow"),
        lang,
        words=words,
        count=len(entries),
        suite=_suite(graded, cat),
        stats=_stats(entries, graded, words),
        histogram=histogram,
        exercises=_exercises(graded, exercise_order),
        mistakes=_mistakes(graded, exercise_order),
        tests=_tests(graded, exercise_order),
        problems=[e for e in entries if e["status"] != "graded"],
        timing=_timing(entries),
        roster=_roster(entries, words, exercise_order),
        examples=EXAMPLES,
    )
