"""report.html for instructors: where a whole class stands after grading, as one offline page.

It reads only what `grade-batch` keeps per student (status, reason, time, and the results.json
dict), so it can also be rebuilt later from the saved results files.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from autograder import contract
from autograder.batch import figures
from autograder.i18n import Catalogue, catalogue
from autograder.report.htmlpage import bar, grade_class, page, points

EXAMPLES = 5
"""Students named per mistake: enough to find a case to look at, few enough to read."""
SLOWEST = 5
BINS = 10
STATUS_KEYS = ("graded", "unreadable", "grader_failed")
SORT = "so"
SORT_KEYS = ("student", "score-up", "score-down", "status")
SORT_VARIABLES = (("score-up", "--up"), ("score-down", "--down"), ("status", "--status"))
"""The roster's orders: each row carries its rank in each as a CSS variable; "student" is the default."""
CHOSEN = "background: var(--accent); color: #fff; border-color: var(--accent);"

CSS = """
.masthead h1 { margin-bottom: 2px; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 22px; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 14px 16px; }
.stat .value { font-size: 28px; font-weight: 700; line-height: 1.1; font-variant-numeric: tabular-nums; }
.stat .value small { font-size: 15px; font-weight: 500; color: var(--muted); }
.stat .what { color: var(--muted); font-size: 13px; margin-top: 4px; }
.stat.warn .value { color: var(--fail); }
.two { display: grid; grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr); gap: 18px; }
@media (max-width: 860px) { .two { grid-template-columns: minmax(0, 1fr); } }
section.card { margin-top: 20px; }
.two > section.card { margin-top: 0; }
.two { margin-top: 20px; }
.card h2 { margin: 0 0 4px; font-size: 16.5px; }
.card .sub { color: var(--muted); font-size: 13px; margin: 0 0 12px; }
svg.hist text { font: 11px var(--sans); fill: var(--muted); }
svg.hist .count { fill: var(--ink); font-weight: 600; }
td.barcell { width: 24%; }
td .bar { min-width: 80px; }
.examples { color: var(--muted); font-size: 13px; }
.examples code { color: var(--ink); font-size: 12.5px; }
.idname { display: block; color: var(--faint); font: 11.5px var(--mono); }
.timing { display: flex; gap: 26px; flex-wrap: wrap; margin-bottom: 12px; }
.timing div { font-variant-numeric: tabular-nums; }
.timing b { display: block; font-size: 20px; }
.timing span { color: var(--muted); font-size: 12.5px; }
.status { font-size: 12.5px; padding: 2px 8px; border-radius: 999px; white-space: nowrap; }
.status.graded { background: var(--pass-soft); color: var(--pass); }
.status.unreadable { background: var(--partial-soft); color: #8a5a12; }
.status.grader_failed { background: var(--fail-soft); color: var(--fail); }
.empty { color: var(--muted); font-style: italic; }
.reason { font-size: 13.5px; }
.pick { position: absolute; opacity: 0; pointer-events: none; }
.pickbars { display: flex; flex-direction: column; gap: 6px; margin: 4px 0 14px; font-size: 13px; }
.pickbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.pickbar span { color: var(--muted); min-width: 120px; }
.pickbar label { cursor: pointer; padding: 1px 9px; border-radius: 999px; border: 1px solid var(--line); }
table.roster tbody { display: flex; flex-direction: column; }
table.roster thead tr, table.roster tbody tr { display: grid; align-items: center;
  grid-template-columns: minmax(110px, 1.2fr) 130px 90px repeat(5, 90px) minmax(140px, 2fr);
  border-bottom: 1px solid #efede8; }
table.roster thead tr { border-bottom-color: var(--line); }
table.roster td, table.roster th { overflow-wrap: anywhere; border-bottom: none; }
table.roster a { color: inherit; text-decoration: underline dotted var(--faint); }
"""


@dataclass
class _Test:
    """One test across the class."""

    name: str
    exercise: str
    run: int = 0
    passed: int = 0


def _exercise(test: dict[str, Any]) -> str:
    tags = test.get("tags") or ["-"]
    return str(tags[0])


def _skipped(test: dict[str, Any]) -> bool:
    return bool((test.get("extra_data") or {}).get("skipped"))


def _mistake(test: dict[str, Any]) -> str | None:
    return (test.get("extra_data") or {}).get("mistake")


def _test_key(test: dict[str, Any]) -> str:
    return str((test.get("extra_data") or {}).get("id") or test.get("name", ""))


def _short_name(test: dict[str, Any]) -> str:
    """results.json names a test "exercise: name"; the exercise has its own column here."""
    name = str(test.get("name", ""))
    return name.removeprefix(f"{_exercise(test)}: ")


def _ordered(exercises: set[str] | list[str]) -> list[str]:
    known = [tag for tag in contract.TAGS if tag in exercises]
    return known + sorted(e for e in exercises if e not in contract.TAGS)


def _max_score(results: dict[str, Any]) -> float:
    extra = results.get("extra_data") or {}
    if "max_score" in extra:
        return float(extra["max_score"])
    return sum(float(t.get("max_score", 0)) for t in results.get("tests", []) if not _skipped(t))


def _label(cat: Catalogue, mistake: str) -> str:
    key = f"mistake_label.{mistake}"
    return cat.text(key) if cat.has(key) else mistake


def _seconds(cat: Catalogue, value: float) -> str:
    return cat.text("classreport.seconds", seconds=f"{value:.1f}" if value < 100 else f"{value:.0f}")


def _status_text(cat: Catalogue, status: str) -> str:
    key = {"graded": "graded", "unreadable": "unreadable", "grader_failed": "failed"}.get(status)
    return cat.text(f"classreport.{key}") if key else status


def _status(cat: Catalogue, status: str) -> str:
    return f'<span class="status {escape(status)}">{escape(_status_text(cat, status))}</span>'


def _table(head: list[str], rows: list[str], numeric: set[int] = frozenset()) -> str:
    cells = "".join(f'<th class="num">{h}</th>' if i in numeric else f"<th>{h}</th>" for i, h in enumerate(head))
    return f'<table class="grid"><tr>{cells}</tr>{"".join(rows)}</table>'


def _histogram(scores: list[float], maximum: float, cat: Catalogue) -> str:
    """Scores in BINS equal bins from 0 to the maximum (full marks fall in the last), median dashed."""
    width, height, left, right, top, bottom = 500, 220, 30, 10, 24, 38
    plot_w, plot_h = width - left - right, height - top - bottom
    counts = [0] * BINS
    for score in scores:
        counts[min(int(score / maximum * BINS), BINS - 1) if maximum > 0 else 0] += 1
    tallest = max(counts) or 1
    slot = plot_w / BINS
    parts = [
        f'<svg class="hist" xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(cat.text("classreport.histogram_label"))}">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#cfccc4"/>',
    ]
    for level in (0.5, 1.0):
        y = top + plot_h * (1 - level)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ecebe6"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{tallest * level:g}</text>'
        )
    for index, count in enumerate(counts):
        low, high = maximum * index / BINS, maximum * (index + 1) / BINS
        h = plot_h * count / tallest
        x = left + index * slot + 3
        tip = cat.text("classreport.bin_tip", low=f"{low:.3g}", high=f"{high:.3g}", count=count)
        parts.append(
            f"<g><title>{escape(tip)}</title>"
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{slot - 6:.1f}" height="{max(h, 0):.1f}" '
            f'rx="3" fill="#2f5aa8" fill-opacity="{0.35 + 0.6 * (index + 1) / BINS:.2f}"/>'
        )
        if count:
            parts.append(
                f'<text class="count" x="{x + (slot - 6) / 2:.1f}" y="{top + plot_h - h - 6:.1f}" '
                f'text-anchor="middle">{count}</text>'
            )
        parts.append("</g>")
    for index in range(BINS + 1):
        x = left + index * slot
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{maximum * index / BINS:.3g}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle">'
        f"{escape(cat.text('classreport.axis_points'))}</text>"
    )
    if scores and maximum > 0:
        median = figures.median(scores)
        x = left + plot_w * min(median / maximum, 1.0)
        # The label goes on the side of the line with room for it: left of a median near full marks.
        right_half = x > left + plot_w / 2
        label_x, anchor = (x - 5, "end") if right_half else (x + 5, "start")
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{top + plot_h}" stroke="#b8432f" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/>'
            f'<text x="{label_x:.1f}" y="{top - 2}" text-anchor="{anchor}" style="fill:#b8432f">'
            f"{escape(cat.text('classreport.median'))} {median:.1f}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _masthead(entries: list[dict[str, Any]], graded: list[dict[str, Any]], cat: Catalogue) -> str:
    counts = Counter(entry["status"] for entry in entries)
    suites = {(e["results"].get("extra_data") or {}).get("suite") for e in graded}
    suite = ""
    if len(suites) == 1 and cat.has(f"report.suite.{next(iter(suites))}"):
        name = cat.text(f"report.suite.{next(iter(suites))}")
        suite = f'<p class="muted">{escape(cat.text("classreport.suite", suite=name))}</p>'
    stats = [
        ("", str(counts["graded"]), cat.text("classreport.graded")),
        ("warn" if counts["unreadable"] else "", str(counts["unreadable"]), cat.text("classreport.unreadable")),
        ("warn" if counts["grader_failed"] else "", str(counts["grader_failed"]), cat.text("classreport.failed")),
    ]
    if graded:
        scores = [float(e["results"]["score"]) for e in graded]
        maximum = max(_max_score(e["results"]) for e in graded)
        for key, value in (("mean", figures.mean(scores)), ("median", figures.median(scores))):
            stats.append(("", f"{value:.1f}<small> / {points(maximum)}</small>", cat.text(f"classreport.{key}")))
    cards = "".join(
        f'<div class="stat {cls}"><div class="value">{value}</div><div class="what">{escape(what)}</div></div>'
        for cls, value, what in stats
    )
    return (
        f'<header class="masthead"><p class="eyebrow">{escape(cat.text("classreport.eyebrow"))}</p>'
        f"<h1>{escape(cat.text('classreport.heading', count=len(entries)))}</h1>{suite}"
        f'<div class="stats">{cards}</div></header>'
    )


def _exercises(graded: list[dict[str, Any]], cat: Catalogue) -> str:
    totals: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for entry in graded:
        per: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for test in entry["results"].get("tests", []):
            if not _skipped(test):
                per[_exercise(test)][0] += float(test.get("score", 0))
                per[_exercise(test)][1] += float(test.get("max_score", 0))
        for exercise, (score, maximum) in per.items():
            totals[exercise].append((score, maximum))
    rows = []
    for exercise in _ordered(set(totals)):
        pairs = totals[exercise]
        maximum = max(m for _, m in pairs)
        mean = figures.mean([s for s, _ in pairs])
        full = sum(s >= m for s, m in pairs) / len(pairs)
        fraction = mean / maximum if maximum else 1.0
        rows.append(
            f"<tr><td><code>{escape(exercise)}</code></td>"
            f'<td class="num {grade_class(fraction)}">{mean:.1f} / {points(maximum)}</td>'
            f'<td class="barcell">{bar(fraction)}</td><td class="num">{full:.0%}</td></tr>'
        )
    head = [cat.text(f"classreport.{k}") for k in ("exercise", "mean_points")] + [
        "",
        cat.text("classreport.full_marks"),
    ]
    return _table([escape(h) for h in head], rows, numeric={1, 3})


def _tests(graded: list[dict[str, Any]], cat: Catalogue) -> str:
    tests: dict[str, _Test] = {}
    mistakes: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in graded:
        for test in entry["results"].get("tests", []):
            if _skipped(test):
                continue
            key = _test_key(test)
            record = tests.setdefault(key, _Test(_short_name(test), _exercise(test)))
            record.run += 1
            record.passed += test.get("status") == "passed"
            if test.get("status") != "passed" and _mistake(test):
                mistakes[key][_mistake(test)] += 1
    order = {tag: i for i, tag in enumerate(_ordered({t.exercise for t in tests.values()}))}
    rows = []
    for key, record in sorted(tests.items(), key=lambda item: order[item[1].exercise]):
        rate = record.passed / record.run
        top = ""
        if mistakes[key]:
            mistake, count = mistakes[key].most_common(1)[0]
            top = f"{escape(_label(cat, mistake))} <span class='faint'>({count})</span>"
        rows.append(
            f"<tr><td>{escape(record.name)}</td><td><code>{escape(record.exercise)}</code></td>"
            f'<td class="num {grade_class(rate)}">{rate:.0%}</td>'
            f'<td class="barcell">{bar(rate, f"{record.passed} / {record.run}")}</td><td>{top}</td></tr>'
        )
    head = [cat.text(f"classreport.{k}") for k in ("test", "exercise", "passed")] + [
        "",
        cat.text("classreport.top_mistake"),
    ]
    return _table([escape(h) for h in head], rows, numeric={2})


def _mistakes(graded: list[dict[str, Any]], cat: Catalogue) -> str:
    """Named mistakes by (mistake, exercise), each student counted once, with example students."""
    students: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entry in graded:
        for test in entry["results"].get("tests", []):
            mistake = _mistake(test)
            if mistake and test.get("status") != "passed":
                who = students[(mistake, _exercise(test))]
                if entry["student"] not in who:
                    who.append(entry["student"])
    if not students:
        return f'<p class="empty">{escape(cat.text("classreport.no_mistakes"))}</p>'
    order = {tag: i for i, tag in enumerate(_ordered({exercise for _, exercise in students}))}
    ranked = sorted(students.items(), key=lambda item: (-len(item[1]), order[item[0][1]], item[0][0]))
    rows = []
    for (mistake, exercise), who in ranked:
        share = len(who) / len(graded)
        examples = ", ".join(f"<code>{escape(student)}</code>" for student in who[:EXAMPLES])
        more = " …" if len(who) > EXAMPLES else ""
        rows.append(
            f'<tr><td>{escape(_label(cat, mistake))}<span class="idname">{escape(mistake)}</span></td>'
            f"<td><code>{escape(exercise)}</code></td>"
            f'<td class="num">{len(who)} <span class="faint">({share:.0%})</span></td>'
            f'<td class="barcell">{bar(share, tone="bad")}</td>'
            f'<td class="examples">{examples}{more}</td></tr>'
        )
    head = [cat.text(f"classreport.{k}") for k in ("mistake", "exercise", "students")] + [
        "",
        cat.text("classreport.examples"),
    ]
    return _table([escape(h) for h in head], rows, numeric={2})


def _timing(entries: list[dict[str, Any]], cat: Catalogue) -> str:
    timed = [e for e in entries if e.get("seconds") is not None and e["status"] in figures.TIMED_STATUSES]
    if not timed:
        return f'<p class="empty">{escape(cat.text("classreport.nothing_graded"))}</p>'
    seconds = [float(e["seconds"]) for e in timed]
    shown = (
        ("fastest", min(seconds)),
        ("median_time", figures.median(seconds)),
        ("slowest", max(seconds)),
        ("total_time", sum(seconds)),
    )
    summary = "".join(
        f"<div><b>{escape(_seconds(cat, value))}</b><span>{escape(cat.text(f'classreport.{key}'))}</span></div>"
        for key, value in shown
    )
    slowest = sorted(timed, key=lambda e: -float(e["seconds"]))[:SLOWEST]
    longest = max(seconds) or 1.0
    rows = [
        f"<tr><td><code>{escape(e['student'])}</code></td><td>{_status(cat, e['status'])}</td>"
        f'<td class="num">{escape(_seconds(cat, float(e["seconds"])))}</td>'
        f'<td class="barcell">{bar(float(e["seconds"]) / longest, tone="mid")}</td></tr>'
        for e in slowest
    ]
    head = [cat.text(f"classreport.{k}") for k in ("student", "status", "time")] + [""]
    return f'<div class="timing">{summary}</div><h4>{escape(cat.text("classreport.slowest_five"))}</h4>' + _table(
        [escape(h) for h in head], rows, numeric={2}
    )


def _problems(entries: list[dict[str, Any]], cat: Catalogue) -> str:
    problems = [e for e in entries if e["status"] != "graded"]
    if not problems:
        return f'<p class="empty">{escape(cat.text("classreport.no_problems"))}</p>'
    rows = [
        f"<tr><td><code>{escape(e['student'])}</code></td><td>{_status(cat, e['status'])}</td>"
        f'<td class="reason">{escape(e.get("reason") or cat.text("classreport.no_reason"))}</td></tr>'
        for e in problems
    ]
    head = [cat.text(f"classreport.{k}") for k in ("student", "status", "reason")]
    return _table([escape(h) for h in head], rows)


def _points_lost(results: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Points and maximum per exercise, counted tests only."""
    per: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for test in results.get("tests", []):
        if not _skipped(test):
            per[_exercise(test)][0] += float(test.get("score", 0))
            per[_exercise(test)][1] += float(test.get("max_score", 0))
    return {exercise: (score, maximum) for exercise, (score, maximum) in per.items()}


@dataclass
class _Row:
    """One student in the roster, with what the filters and the sort need."""

    entry: dict[str, Any]
    score: float | None
    maximum: float
    exercises: dict[str, tuple[float, float]]
    mistakes: list[str]
    not_implemented: list[str]


def _row(entry: dict[str, Any]) -> _Row:
    results = entry.get("results") if entry["status"] == "graded" else None
    if not results:
        return _Row(entry, None, 0.0, {}, [], [])
    named = dict.fromkeys(m for t in results.get("tests", []) if t.get("status") != "passed" and (m := _mistake(t)))
    return _Row(
        entry,
        float(results["score"]),
        _max_score(results),
        _points_lost(results),
        list(named),
        list(entry.get("not_implemented") or []),
    )


def _radios(group: str, options: list[tuple[str, str]], title: str) -> tuple[str, str, list[str]]:
    """Hidden radio buttons (they precede the table: the rules are `:checked ~` selectors), a bar of
    their labels, and the CSS that shows the choice. options: (key, label); the first is checked."""
    inputs = "".join(
        f'<input type="radio" class="pick" name="{group}" id="{group}-{key}"{" checked" if i == 0 else ""}>'
        for i, (key, _) in enumerate(options)
    )
    labels = "".join(f'<label for="{group}-{key}">{escape(text)}</label>' for key, text in options)
    bar_html = f'<div class="pickbar"><span>{escape(title)}</span>{labels}</div>'
    css = [f'#{group}-{key}:checked ~ .pickbars label[for="{group}-{key}"] {{ {CHOSEN} }}' for key, _ in options]
    if group != SORT:
        css += [f"#{group}-{k}:checked ~ table tbody tr:not(.{group}-{k}) {{ display: none; }}" for k, _ in options[1:]]
    return inputs, bar_html, css


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


def _roster_row(row: _Row, keys: dict[str, list[str]], order: str, cat: Catalogue) -> str:
    entry, lacking = row.entry, cat.text("classreport.not_implemented")
    lost = [x for x, (got, top) in row.exercises.items() if got < top]
    classes = [f"fs-{keys['fs'].index(entry['status'])}"]
    classes += [f"fx-{keys['fx'].index(x)}" for x in lost] + [f"fm-{keys['fm'].index(m)}" for m in row.mistakes]
    classes += ["fm-ni"] if row.not_implemented else []
    name = f"<code>{escape(str(entry['student']))}</code>"
    if entry.get("feedback"):
        link = escape(quote(str(entry["feedback"])))
        name = f'<a href="{link}" title="{escape(cat.text("classreport.feedback"))}">{name}</a>'
    score = ""
    if row.score is not None:
        fraction = row.score / row.maximum if row.maximum else 1.0
        score = f'<span class="{grade_class(fraction)}">{points(row.score)} / {points(row.maximum)}</span>'
    cells = []
    for tag in contract.TAGS:
        if tag in row.not_implemented:
            cells.append(f'<td class="num faint" title="{escape(lacking)}">–</td>')
        elif tag in row.exercises:
            got, top = row.exercises[tag]
            cells.append(f'<td class="num {grade_class(got / top if top else 1.0)}">{points(got)}</td>')
        else:
            cells.append("<td></td>")
    notes = []
    if row.not_implemented:
        notes.append(f"{escape(lacking)}: " + ", ".join(f"<code>{escape(x)}</code>" for x in row.not_implemented))
    if row.mistakes:
        notes.append(", ".join(escape(_label(cat, m)) for m in row.mistakes))
    if entry["status"] != "graded":
        notes.append(escape(entry.get("reason") or cat.text("classreport.no_reason")))
    return (
        f'<tr class="{" ".join(classes)}" style="{order}"><td>{name}</td><td>{_status(cat, entry["status"])}</td>'
        f'<td class="num">{score}</td>{"".join(cells)}<td class="examples">{"; ".join(notes)}</td></tr>'
    )


def _roster(entries: list[dict[str, Any]], cat: Catalogue) -> str:
    """Every student, linked to their feedback page; filters by status, by exercise with points lost
    and by mistake (or "not implemented"), and four orders: all in CSS, so they work without scripts."""
    rows = [_row(entry) for entry in sorted(entries, key=lambda e: str(e["student"]))]
    keys = {
        "fs": [s for s in STATUS_KEYS if any(r.entry["status"] == s for r in rows)],
        "fx": _ordered({x for r in rows for x, (got, top) in r.exercises.items() if got < top}),
        "fm": sorted({m for r in rows for m in r.mistakes}, key=lambda m: _label(cat, m)),
    }
    everything = [("all", cat.text("classreport.all"))]
    lacking = [("ni", cat.text("classreport.not_implemented"))] if any(r.not_implemented for r in rows) else []
    groups = [
        ("fs", "filter_status", everything + [(str(i), _status_text(cat, s)) for i, s in enumerate(keys["fs"])]),
        ("fx", "filter_exercise", everything + [(str(i), x) for i, x in enumerate(keys["fx"])]),
        ("fm", "filter_mistake", everything + lacking + [(str(i), _label(cat, m)) for i, m in enumerate(keys["fm"])]),
        (SORT, "sort", [(k, cat.text(f"classreport.sort_{k.replace('-', '_')}")) for k in SORT_KEYS]),
    ]
    inputs, bars, css = [], [], []
    for group, title, options in groups:
        if len(options) > 1:
            radios, labels, rules = _radios(group, options, cat.text(f"classreport.{title}"))
            inputs.append(radios)
            bars.append(labels)
            css += rules
    css += [f"#{SORT}-{key}:checked ~ table tbody tr {{ order: var({var}); }}" for key, var in SORT_VARIABLES]
    body = [_roster_row(row, keys, order, cat) for row, order in zip(rows, _ranks(rows), strict=True)]
    head = [cat.text(f"classreport.{k}") for k in ("student", "status", "score")]
    head_cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    head_cells += "".join(f'<th class="num">{escape(t)}</th>' for t in contract.TAGS)
    head_cells += f"<th>{escape(cat.text('classreport.named'))}</th>"
    return (
        f"<style>{chr(10).join(css)}</style>{''.join(inputs)}"
        f'<div class="pickbars">{"".join(bars)}</div>'
        f'<table class="grid roster"><thead><tr>{head_cells}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def _card(title: str, body: str, sub: str = "") -> str:
    note = f'<p class="sub">{escape(sub)}</p>' if sub else ""
    return f'<section class="card"><h2>{escape(title)}</h2>{note}{body}</section>'


def render_class_report(entries: list[dict[str, Any]], lang: str = "en") -> str:
    """report.html: counts, score distribution, pass rate per test, common mistakes, timing, problems."""
    cat = catalogue(lang)
    graded = [e for e in entries if e["status"] == "graded" and e.get("results")]
    parts = [_masthead(entries, graded, cat)]
    if graded:
        maximum = max(_max_score(e["results"]) for e in graded)
        scores = [float(e["results"]["score"]) for e in graded]
        parts.append(
            '<div class="two">'
            + _card(
                cat.text("classreport.distribution"),
                _histogram(scores, maximum, cat),
                cat.text("classreport.distribution_note"),
            )
            + _card(cat.text("classreport.exercises"), _exercises(graded, cat))
            + "</div>"
        )
        parts.append(
            _card(cat.text("classreport.mistakes"), _mistakes(graded, cat), cat.text("classreport.mistakes_note"))
        )
        parts.append(_card(cat.text("classreport.tests"), _tests(graded, cat)))
    else:
        parts.append(f'<p class="empty">{escape(cat.text("classreport.nothing_graded"))}</p>')
    parts.append(
        '<div class="two">'
        + _card(cat.text("classreport.problems"), _problems(entries, cat))
        + _card(cat.text("classreport.timing"), _timing(entries, cat))
        + "</div>"
    )
    parts.append(_card(cat.text("classreport.roster"), _roster(entries, cat), cat.text("classreport.roster_note")))
    return page(cat.text("classreport.eyebrow"), lang, "\n".join(parts), CSS)
