"""feedback.html: one submission's report as a single offline page.

The same content as feedback.md, plus pictures: wherever a test compares arrays, expected, got and
their difference are drawn as heatmaps on one diverging colour scale, so a flipped kernel (the
picture mirrored), a transposed output (the picture turned) or a missing row stands out before
any number is read.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from autograder.feedback import Comparison, Feedback, Shown
from autograder.i18n import Catalogue, catalogue
from autograder.report.htmlpage import bar, diverging, grade_class, is_dark, page, points
from autograder.results import GradeReport, TestResult
from autograder.scoring import left_out, left_out_note

MAP_SIDE = 180
"""Pixels along the longer side of a heatmap, before the cell size is clamped."""
CELL_MIN, CELL_MAX = 10, 38
CELL_FONT = 11
CODE_LINES = 30
"""Only the end of a long traceback is shown: the line that raised is the last one."""

CSS = """
.masthead { display: flex; gap: 28px; align-items: flex-start; justify-content: space-between; flex-wrap: wrap; }
.masthead .files { font-size: 13.5px; }
.scorebox { min-width: 200px; text-align: right; }
.scorebox .big { font-size: 44px; font-weight: 700; line-height: 1; font-variant-numeric: tabular-nums; }
.scorebox .big small { font-size: 20px; font-weight: 500; color: var(--muted); }
.scorebox .bar { margin: 10px 0 6px auto; width: 200px; }
.mistakes { margin: 14px 0 0; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.mistakes .label { color: var(--muted); font-size: 13px; margin-right: 4px; }
.scores { margin-top: 22px; }
.scores td:first-child a { color: inherit; text-decoration: none; border-bottom: 1px dotted var(--faint); }
.scores td.barcell { width: 38%; }
.test { margin: 16px 0; border-left: 4px solid var(--fail); }
.test-head { display: flex; gap: 12px; align-items: flex-start; }
.test-head .x { flex: none; width: 24px; height: 24px; border-radius: 50%; background: var(--fail-soft);
  color: var(--fail); font-weight: 700; text-align: center; line-height: 24px; font-size: 13px; margin-top: 1px; }
.test-head .names { flex: 1; }
.test-head .names ul { margin: 6px 0 0; padding: 0; list-style: none; }
.test-head .names li { padding: 1px 0 1px 12px; border-left: 2px solid var(--line); }
.test-head .names li h3 { font-weight: 500; }
.test-head .chip { margin-right: 8px; vertical-align: 1px; }
.test-head h3 { display: inline; }
.test-head .pts { flex: none; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
.test .body { margin-left: 36px; }
.summary { font-weight: 600; margin-top: 10px; }
.test .tag { margin-top: 8px; }
.hint { background: var(--hint); border-radius: 8px; padding: 9px 13px; margin: 12px 0; }
.hint strong { color: var(--accent); margin-right: 4px; }
.cmp { margin-top: 12px; }
.arrays, .maps { display: flex; flex-wrap: wrap; gap: 14px 26px; align-items: flex-start; }
figure { margin: 0; }
figcaption { font-size: 12.5px; color: var(--muted); margin-bottom: 4px; white-space: nowrap; }
figcaption b { font-family: var(--mono); color: var(--ink); font-weight: 600; margin-right: 6px; }
table.arr { border-collapse: collapse; font: 12.5px/1.35 var(--mono); font-variant-numeric: tabular-nums; }
table.arr td { padding: 2px 7px; text-align: right; border: 1px solid #ebe9e3; background: #fbfbf9; }
.plane { font: 11.5px var(--mono); color: var(--faint); margin: 4px 0 2px; }
.maps { margin-top: 16px; padding: 14px 16px 10px; background: #fafaf7; border: 1px solid #eeece6;
  border-radius: 10px; }
.mapgroup .pair { display: flex; gap: 14px; flex-wrap: wrap; }
.maps-note { flex-basis: 100%; font-size: 12.5px; color: var(--muted); margin: 0; }
.maps-intro { font-size: 13.5px; margin: -4px 0 14px; }
svg.heat text { font-family: var(--mono); }
svg.legend text { font: 10px var(--mono); fill: var(--muted); }
.diffs { margin: 10px 0 0; padding: 0; list-style: none; font: 12.5px/1.6 var(--mono); color: var(--muted); }
pre.code { background: #22262d; color: #e9e6df; border-radius: 8px; padding: 12px 14px; overflow-x: auto;
  line-height: 1.5; margin: 0; white-space: pre; }
.allpass { margin-top: 22px; background: var(--pass-soft); color: var(--pass); font-weight: 600; border-radius: 10px;
  padding: 14px 18px; }
"""


def _number(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _matrix(values: Any) -> list[list[float]] | None:
    """Rows of numbers for a 2-D value, a single row for a 1-D one; None for anything else."""
    if not isinstance(values, list) or not values:
        return None
    rows = values if all(isinstance(row, list) for row in values) else [values]
    if len({len(row) for row in rows}) != 1 or not rows[0]:
        return None
    if not all(isinstance(v, int | float) for row in rows for v in row):
        return None
    return [[float(v) for v in row] for row in rows]


def _finite_limit(*matrices: list[list[float]]) -> float:
    """The largest finite magnitude: the end of a colour scale centred at 0."""
    return max((abs(v) for m in matrices for row in m for v in row if math.isfinite(v)), default=0.0)


def _fits(rows: list[list[float]], cell: int) -> bool:
    """Whether every value can be printed inside its cell (short numbers: integers, simple decimals)."""
    return all(len(_number(v)) * CELL_FONT * 0.62 + 4 <= cell for row in rows for v in row)


def _heatmap(rows: list[list[float]], limit: float, cell: int, tips: list[list[str]], label: str) -> str:
    """An SVG heatmap; each cell tells its value on hover, and prints it when it fits."""
    height, width = len(rows) * cell, len(rows[0]) * cell
    printed = _fits(rows, cell)
    parts = [
        f'<svg class="heat" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
    ]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            colour = diverging(value, limit)
            x, y = j * cell, i * cell
            parts.append(
                f"<g><title>{escape(tips[i][j])}</title>"
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{colour}" stroke="#ffffff"/>'
            )
            if printed:
                ink = "#ffffff" if is_dark(colour) else "#2a2e35"
                parts.append(
                    f'<text x="{x + cell / 2:g}" y="{y + cell / 2:g}" text-anchor="middle" '
                    f'dominant-baseline="central" font-size="{CELL_FONT}" fill="{ink}">{escape(_number(value))}</text>'
                )
            parts.append("</g>")
    parts.append(f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="none" stroke="#cfccc4"/>')
    parts.append("</svg>")
    return "".join(parts)


def _legend(limit: float) -> str:
    """The colour scale from -limit to +limit, as a strip of small rectangles (no ids, no gradients)."""
    steps, step, left = 30, 4, 18
    width = left * 2 + steps * step
    rects = "".join(
        f'<rect x="{left + k * step}" y="2" width="{step}" height="9" '
        f'fill="{diverging((2 * (k + 0.5) / steps - 1) * limit, limit)}"/>'
        for k in range(steps)
    )
    end = f"{limit:.3g}"
    return (
        f'<svg class="legend" xmlns="http://www.w3.org/2000/svg" width="{width}" height="26" '
        f'viewBox="0 0 {width} 26" aria-hidden="true">{rects}'
        f'<text x="{left}" y="23" text-anchor="middle">−{end}</text>'
        f'<text x="{width / 2:g}" y="23" text-anchor="middle">0</text>'
        f'<text x="{width - left}" y="23" text-anchor="middle">+{end}</text></svg>'
    )


def _tips(rows: list[list[float]]) -> list[list[str]]:
    if len(rows) == 1:
        return [[f"[{j}] = {v:.6g}" for j, v in enumerate(rows[0])]]
    return [[f"[{i}, {j}] = {v:.6g}" for j, v in enumerate(row)] for i, row in enumerate(rows)]


def _shape(shown: Shown) -> str:
    return f"{tuple(shown.shape)} {shown.dtype}".strip() if shown.shape else shown.dtype


def _drawable(comparison: Comparison | None) -> bool:
    return comparison is not None and None not in (_matrix(comparison.expected.values), _matrix(comparison.got.values))


def _maps(comparison: Comparison, cat: Catalogue) -> tuple[str, bool]:
    """Expected, got and got − expected as heatmaps, when both sides are 1-D or 2-D arrays of numbers.

    Also says whether expected and got print their numbers in their cells, which makes their
    tables redundant.
    """
    expected, got = _matrix(comparison.expected.values), _matrix(comparison.got.values)
    if expected is None or got is None:
        return "", False
    same_shape = len(expected) == len(got) and len(expected[0]) == len(got[0])
    difference = (
        [[g - e for e, g in zip(er, gr, strict=True)] for er, gr in zip(expected, got, strict=True)]
        if same_shape
        else None
    )
    longest = max(len(expected), len(expected[0]), len(got), len(got[0]))
    cell = min(max(MAP_SIDE // longest, CELL_MIN), CELL_MAX)
    limit = _finite_limit(expected, got)
    pair = "".join(
        f"<figure><figcaption><b>{escape(cat.text(key))}</b>{escape(_shape(shown))}</figcaption>"
        f"{_heatmap(rows, limit, cell, _tips(rows), cat.text(key))}</figure>"
        for key, shown, rows in (("html.expected", comparison.expected, expected), ("html.got", comparison.got, got))
    )
    groups = [f'<div class="mapgroup"><div class="pair">{pair}</div>{_legend(limit)}</div>']
    if difference is None:
        groups.append(
            '<p class="maps-note">'
            + escape(
                cat.text(
                    "html.shapes_differ", expected=_shape(comparison.expected) or "-", got=_shape(comparison.got) or "-"
                )
            )
            + "</p>"
        )
    else:
        # Rounding noise stays white: the scale never ends below a millionth of the values' own scale.
        spread = max(_finite_limit(difference), limit * 1e-6)
        tips = [
            [f"[{i}, {j}]: {g:.6g} − {e:.6g} = {d:.6g}" for j, (e, g, d) in enumerate(zip(er, gr, dr, strict=True))]
            for i, (er, gr, dr) in enumerate(zip(expected, got, difference, strict=True))
        ]
        label = cat.text("html.difference")
        groups.append(
            f'<div class="mapgroup"><figure><figcaption><b>{escape(label)}</b></figcaption>'
            f"{_heatmap(difference, spread, cell, tips, label)}</figure>{_legend(spread)}</div>"
        )
    return f'<div class="maps">{"".join(groups)}</div>', _fits(expected, cell) and _fits(got, cell)


def _array_table(values: Any, cat: Catalogue) -> str:
    """Numbers as a small table; 3-D values as one table per slice."""
    if values is None:
        return f'<p class="faint">{escape(cat.text("report.not_shown"))}</p>'
    if not isinstance(values, list):
        values = [[values]]
    elif values and all(isinstance(plane, list) and plane and isinstance(plane[0], list) for plane in values):
        return "".join(
            f'<div class="plane">[{index}]</div>{_array_table(plane, cat)}' for index, plane in enumerate(values)
        )
    elif not values or not isinstance(values[0], list):
        values = [values]
    rows = "".join("<tr>" + "".join(f"<td>{escape(_number(v))}</td>" for v in row) + "</tr>" for row in values)
    return f'<table class="arr">{rows}</table>'


def _array_figure(name: str, shown: Shown, cat: Catalogue) -> str:
    return (
        f"<figure><figcaption><b>{escape(name)}</b>{escape(_shape(shown))}</figcaption>"
        f"{_array_table(shown.values, cat)}</figure>"
    )


def _comparison(comparison: Comparison, cat: Catalogue) -> str:
    maps, printed = _maps(comparison, cat)
    figures = [_array_figure(shown.name, shown, cat) for shown in comparison.inputs]
    if not printed:
        figures.append(_array_figure(cat.text("html.expected"), comparison.expected, cat))
        figures.append(_array_figure(cat.text("html.got"), comparison.got, cat))
    differences = "".join(
        "<li>"
        + escape(cat.text("report.difference", index=str(index), expected=_number(e), got=_number(g)).strip())
        + "</li>"
        for index, e, g in comparison.first_differences
    )
    listed = f'<ul class="diffs">{differences}</ul>' if differences else ""
    return f'<div class="cmp"><div class="arrays">{"".join(figures)}</div>{maps}{listed}</div>'


def _feedback(feedback: Feedback, cat: Catalogue, lang: str) -> str:
    parts = []
    label_key = f"mistake_label.{feedback.mistake}"
    if feedback.mistake and cat.has(label_key):
        parts.append(f'<span class="tag">{escape(cat.text(label_key))}</span>')
    parts.append(f'<p class="summary">{escape(feedback.summary.render(lang))}</p>')
    parts.extend(f"<p>{escape(detail.render(lang))}</p>" for detail in feedback.details)
    if feedback.hint is not None:
        parts.append(
            f'<div class="hint"><strong>{escape(cat.text("report.fix"))}</strong>'
            f"{escape(feedback.hint.render(lang))}</div>"
        )
    if feedback.comparison is not None:
        parts.append(_comparison(feedback.comparison, cat))
    if feedback.smallest is not None:
        parts.append(f"<h4>{escape(cat.text('report.smallest'))}</h4>{_comparison(feedback.smallest, cat)}")
    if feedback.code:
        code = "\n".join(feedback.code.splitlines()[-CODE_LINES:])
        parts.append(f'<h4>{escape(cat.text("report.your_code"))}</h4><pre class="code">{escape(code)}</pre>')
    return "".join(parts)


def _failing_groups(tests: list[TestResult]) -> list[list[TestResult]]:
    """Failing tests in order; neighbours of one exercise with the same input-free feedback share a card."""
    groups: list[list[TestResult]] = []
    for test in tests:
        if test.status not in ("failed", "error"):
            continue
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and last.exercise == test.exercise
            and last.feedback is not None
            and last.feedback == test.feedback
            and last.feedback.comparison is None
        ):
            groups[-1].append(test)
        else:
            groups.append([test])
    return groups


def _card(group: list[TestResult], cat: Catalogue, lang: str, anchor: str) -> str:
    first = group[0]
    score = sum(t.score for t in group)
    maximum = sum(t.max_score for t in group)
    names = [escape(t.name.render(lang)) for t in group]
    if len(names) == 1:
        title = f"<h3>{names[0]}</h3>"
    else:
        title = "<ul>" + "".join(f"<li><h3>{name}</h3></li>" for name in names) + "</ul>"
    body = _feedback(first.feedback, cat, lang) if first.feedback is not None else ""
    ident = f' id="{escape(anchor)}"' if anchor else ""
    return (
        f'<article class="card test"{ident}><div class="test-head"><span class="x">✗</span>'
        f'<div class="names"><span class="chip">{escape(first.exercise)}</span>{title}</div>'
        f'<span class="pts bad">{points(score)} / {points(maximum)}</span></div>'
        f'<div class="body">{body}</div></article>'
    )


def _score_table(report: GradeReport, cat: Catalogue, linked: set[str]) -> str:
    rows = []
    for exercise in report.exercises():
        score, maximum = report.exercise_score(exercise)
        counted = [t for t in report.tests if t.exercise == exercise and t.counted and t.status != "skipped"]
        passed = sum(t.status == "passed" for t in counted)
        fraction = score / maximum if maximum else 1.0
        tally = cat.text("html.tests_passed", passed=passed, total=len(counted))
        name = escape(exercise)
        if exercise in linked:
            name = f'<a href="#ex-{escape(exercise)}">{name}</a>'
        rows.append(
            f'<tr><td><code>{name}</code></td><td class="num {grade_class(fraction)}">'
            f"{points(score)} / {points(maximum)}</td>"
            f'<td class="barcell">{bar(fraction)}</td>'
            f'<td class="num muted">{escape(tally)}</td></tr>'
        )
    rows.append(
        f'<tr class="total"><td>{escape(cat.text("report.total"))}</td>'
        f'<td class="num">{points(report.score)} / {points(report.max_score)}</td><td></td><td></td></tr>'
    )
    head = (
        f"<tr><th>{escape(cat.text('report.exercise'))}</th><th class='num'>{escape(cat.text('report.points'))}</th>"
        f"<th></th><th class='num'>{escape(cat.text('html.tests'))}</th></tr>"
    )
    note = "".join(
        f'<p class="faint">{escape(cat.render(left_out_note(reason, total, points(total))))}</p>'
        for reason, total in left_out(report.tests)
    )
    return f'<section class="card scores"><table class="grid">{head}{"".join(rows)}</table>{note}</section>'


def _masthead(report: GradeReport, cat: Catalogue, lang: str) -> str:
    suite = cat.text(f"report.suite.{report.suite}")
    fraction = report.score / report.max_score if report.max_score else 1.0
    files = ", ".join(report.submission.files) or "-"
    notes = "".join(f'<p class="note">{escape(note.render(lang))}</p>' for note in report.submission.notes)
    labels = [cat.text(f"mistake_label.{m}") for m in dict.fromkeys(report.mistakes()) if cat.has(f"mistake_label.{m}")]
    mistakes = ""
    if labels:
        tags = "".join(f'<span class="tag">{escape(label)}</span>' for label in labels)
        mistakes = (
            f'<div class="mistakes"><span class="label">{escape(cat.text("html.named_mistakes"))}</span>{tags}</div>'
        )
    return (
        f'<header class="masthead"><div><p class="eyebrow">{escape(cat.text("report.md_title"))}</p>'
        f"<h1>{escape(cat.text('report.heading', source=report.submission.source, suite=suite))}</h1>"
        f'<p class="muted files">{escape(cat.text("report.files", files=files))}</p>{notes}{mistakes}</div>'
        f'<div class="scorebox"><div class="big {grade_class(fraction)}">{points(report.score)}'
        f"<small> / {points(report.max_score)}</small></div>{bar(fraction)}"
        f'<div class="muted">{escape(cat.text("html.score"))}</div></div></header>'
    )


def render(report: GradeReport, lang: str) -> str:
    """feedback.html: the score table, then every test that did not pass, with its feedback and pictures."""
    cat = catalogue(lang)
    groups = _failing_groups(report.tests)
    anchors: dict[int, str] = {}
    for index, group in enumerate(groups):
        anchor = f"ex-{group[0].exercise}"
        if anchor not in anchors.values():
            anchors[index] = anchor
    linked = {anchor.removeprefix("ex-") for anchor in anchors.values()}
    parts = [_masthead(report, cat, lang), _score_table(report, cat, linked)]
    if groups:
        count = sum(len(group) for group in groups)
        parts.append(f"<h2>{escape(cat.text('html.to_fix', count=count))}</h2>")
        if any(_drawable(t.feedback.comparison) or _drawable(t.feedback.smallest) for t in report.tests if t.feedback):
            parts.append(f'<p class="muted maps-intro">{escape(cat.text("html.maps_note"))}</p>')
        parts.extend(_card(group, cat, lang, anchors.get(index, "")) for index, group in enumerate(groups))
    else:
        parts.append(f'<p class="allpass">{escape(cat.text("report.all_passed"))}</p>')
    version = f" · {escape(cat.text('html.version', version=report.grader_version))}" if report.grader_version else ""
    parts.append(f"<footer>{escape(cat.text('report.timing', seconds=f'{report.seconds:.2f}'))}{version}</footer>")
    title = f"{cat.text('report.md_title')} · {report.submission.source}"
    return page(title, lang, "\n".join(parts), CSS)
