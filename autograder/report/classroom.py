"""report.html for instructors: where a whole class stands after grading, as one offline page.

It reads only what `grade-batch` keeps per student (status, reason, time, and the results.json
dict), so it can also be rebuilt later from the saved results files.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from html import escape
from typing import Any

from autograder import contract
from autograder.i18n import Catalogue, catalogue
from autograder.report.htmlpage import bar, grade_class, page, points

EXAMPLES = 5
"""Students named per mistake: enough to find a case to look at, few enough to read."""
SLOWEST = 5
BINS = 10

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


def _status(cat: Catalogue, status: str) -> str:
    key = {"graded": "graded", "unreadable": "unreadable", "grader_failed": "failed"}.get(status)
    text = cat.text(f"classreport.{key}") if key else status
    return f'<span class="status {escape(status)}">{escape(text)}</span>'


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
        median = statistics.median(scores)
        x = left + plot_w * min(median / maximum, 1.0)
        # The label goes on the side of the line with room for it: left of a median near full marks.
        right_half = x > left + plot_w / 2
        label_x, anchor = (x - 5, "end") if right_half else (x + 5, "start")
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{top + plot_h}" stroke="#b8432f" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/>'
            f'<text x="{label_x:.1f}" y="{top - 2}" text-anchor="{anchor}" style="fill:#b8432f">'
            f"{escape(cat.text('classreport.median'))} {median:g}</text>"
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
        for key, value in (("mean", statistics.fmean(scores)), ("median", statistics.median(scores))):
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
        mean = statistics.fmean(s for s, _ in pairs)
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
    timed = [e for e in entries if e.get("seconds") is not None]
    if not timed:
        return f'<p class="empty">{escape(cat.text("classreport.nothing_graded"))}</p>'
    seconds = [float(e["seconds"]) for e in timed]
    figures = (
        ("fastest", min(seconds)),
        ("median_time", statistics.median(seconds)),
        ("slowest", max(seconds)),
        ("total_time", sum(seconds)),
    )
    summary = "".join(
        f"<div><b>{escape(_seconds(cat, value))}</b><span>{escape(cat.text(f'classreport.{key}'))}</span></div>"
        for key, value in figures
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


def _roster(entries: list[dict[str, Any]], cat: Catalogue) -> str:
    rows = []
    for entry in sorted(entries, key=lambda e: str(e["student"])):
        results = entry.get("results")
        score, fraction, mistakes = "", 0.0, ""
        if entry["status"] == "graded" and results:
            maximum = _max_score(results)
            fraction = float(results["score"]) / maximum if maximum else 1.0
            score = f"{points(float(results['score']))} / {points(maximum)}"
            named = dict.fromkeys(m for t in results.get("tests", []) if (m := _mistake(t)))
            mistakes = ", ".join(escape(_label(cat, m)) for m in named)
        rows.append(
            f"<tr><td><code>{escape(entry['student'])}</code></td><td>{_status(cat, entry['status'])}</td>"
            f'<td class="num {grade_class(fraction) if score else ""}">{score}</td>'
            f'<td class="barcell">{bar(fraction) if score else ""}</td>'
            f'<td class="examples">{mistakes}</td></tr>'
        )
    head = [cat.text(f"classreport.{k}") for k in ("student", "status", "score")] + [
        "",
        cat.text("classreport.named"),
    ]
    return _table([escape(h) for h in head], rows, numeric={2})


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
    parts.append(_card(cat.text("classreport.roster"), _roster(entries, cat)))
    return page(cat.text("classreport.eyebrow"), lang, "\n".join(parts), CSS)
