"""The HTML reports: feedback.html for a student and report.html for an instructor.

Structure tests read the markup; the browser tests open both pages in headless Chromium (Debian's
`chromium`, installed by `make browser`) and check that a real picture comes out.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from autograder.feedback import Comparison, Feedback, Shown
from autograder.i18n import catalogue, msg
from autograder.report import gradescope, html
from autograder.report.class_report import render_class_report
from autograder.results import GradeReport, SubmissionInfo
from autograder.results import TestResult as Graded  # not "Test*": pytest would try to collect it
from autograder.units.convolutions import UNIT
from tests.kit.conftest import run_cli

FLIPPED = UNIT.samples / "flipped_kernel"
EVIL = '<script>alert("x")</script>'
# Everything the reports may contain; a student's string that became markup would add a tag.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "section", "article", "div",
    "span", "p", "h1", "h2", "h3", "h4", "ul", "li", "table", "tr", "th", "td", "code", "pre", "b", "small",
    "strong", "a", "figure", "figcaption", "svg", "g", "rect", "text", "line", "input", "label", "thead", "tbody",
}  # fmt: skip


class _Tags(HTMLParser):
    """Collects the start tags of a document, the way a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def tags(document: str) -> list[str]:
    parser = _Tags()
    parser.feed(document)
    return parser.tags


def shown(name: str, values: Any, shape: tuple[int, ...]) -> Shown:
    return Shown(name, values, shape, "float32", "cpu")


def comparison(expected: Any, expected_shape: tuple[int, ...], got: Any, got_shape: tuple[int, ...]) -> Comparison:
    return Comparison(
        inputs=(shown("X", [[0, 1, 2], [3, 4, 5], [6, 7, 8]], (3, 3)), shown("K", [[0, 1], [2, 3]], (2, 2))),
        expected=shown("expected", expected, expected_shape),
        got=shown("got", got, got_shape),
    )


def report_with(*feedbacks: Feedback, source: str = "sub", files: tuple[str, ...] = ("ex1_corr2d.py",)) -> GradeReport:
    """A report of failing corr2d tests, one per feedback, plus one that passed."""
    names = ("worked_example", "edges", "shapes", "random_float32", "random_float64")
    tests = [
        Graded(f"t{i}", msg(f"test.corr2d.{names[i]}"), "corr2d", 3, 0, "failed", feedback=f)
        for i, f in enumerate(feedbacks)
    ]
    tests.append(Graded("ok", msg("test.corr2d.one_wide_kernels"), "corr2d", 2, 2, "passed"))
    return GradeReport("hidden", tests, SubmissionInfo(source, list(files)), seconds=1.5, grader_version="0.1.0")


def flipped_feedback(**changes: Any) -> Feedback:
    fields: dict[str, Any] = {
        "summary": msg("mistake.flipped_kernel.title", name="corr2d"),
        "details": (msg("mistake.flipped_kernel.why", formula="Y[i, j] = Σ_(a, b) X[i + a, j + b] · K[a, b]"),),
        "mistake": "flipped_kernel",
        "hint": msg("mistake.flipped_kernel.fix", pair="K[a, b] · X[i + a, j + b]"),
        "comparison": comparison([[19, 25], [37, 43]], (2, 2), [[5, 11], [23, 29]], (2, 2)),
    }
    return Feedback(**{**fields, **changes})


# ------------------------------------------------------------------ feedback.html


@pytest.fixture
def flipped(grade) -> GradeReport:
    return grade(FLIPPED)


def test_every_failing_test_of_a_real_submission_appears(flipped):
    page = html.render(flipped, "en")
    failing = [t for t in flipped.tests if t.status in ("failed", "error")]
    assert failing
    for test in failing:
        assert escape(test.name.render("en")) in page, test.test_id
    for exercise in flipped.exercises():
        score, maximum = flipped.exercise_score(exercise)
        assert f"{score:g} / {maximum:g}" in page
    assert set(tags(page)) <= ALLOWED_TAGS
    assert "kernel flipped (a convolution)" in page


def test_the_flipped_kernel_is_drawn_as_heatmaps(flipped):
    page = html.render(flipped, "en")
    # The worked example: expected [[19, 25], [37, 43]], got [[5, 11], [23, 29]], each off by -14.
    assert "[0, 0] = 19" in page
    assert "[0, 0] = 5" in page
    assert "[0, 0]: 5 − 19 = -14" in page
    assert page.count('class="heat"') >= 3


def test_grade_writes_feedback_html(tmp_path):
    result = run_cli("grade", str(FLIPPED), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "feedback.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert page.rstrip().endswith("</html>")
    assert "the worked example of the text" in page


def test_a_2d_comparison_gets_expected_got_and_difference_maps():
    page = html.render(report_with(flipped_feedback()), "en")
    assert page.count('<svg class="heat"') == 3
    assert 'aria-label="expected"' in page
    assert 'aria-label="got"' in page
    assert 'aria-label="got − expected"' in page
    assert "<title>[1, 1] = 43</title>" in page
    assert "<title>[1, 1]: 29 − 43 = -14</title>" in page


def test_a_transposed_output_is_drawn_without_a_difference():
    transposed = comparison([[1, 2, 3], [4, 5, 6]], (2, 3), [[1, 4], [2, 5], [3, 6]], (3, 2))
    page = html.render(report_with(flipped_feedback(comparison=transposed)), "en")
    assert page.count('<svg class="heat"') == 2
    assert "The shapes differ" in page


def test_1d_values_are_drawn_as_one_row_and_3d_values_as_tables():
    one = Comparison((shown("x", [1, 2, 3], (3,)),), shown("expected", [1, 2], (2,)), shown("got", [2, 1], (2,)))
    three = Comparison(
        (), shown("expected", [[[1, 2]], [[3, 4]]], (2, 1, 2)), shown("got", [[[2, 1]], [[4, 3]]], (2, 1, 2))
    )
    page = html.render(report_with(flipped_feedback(comparison=one, smallest=three)), "en")
    assert page.count('<svg class="heat"') == 3  # only the 1-D comparison is drawn
    assert "<title>[1] = 2</title>" in page
    assert '<div class="plane">[1]</div>' in page


def test_values_not_shown_are_said_so():
    hidden = comparison(None, (30, 30), None, (30, 30))
    page = html.render(report_with(flipped_feedback(comparison=hidden)), "en")
    assert 'class="heat"' not in page
    assert catalogue("en").text("report.not_shown") in page


def test_student_strings_are_escaped():
    feedback = Feedback(
        summary=msg("failure.raised.call", name="corr2d", error=EVIL),
        details=(msg("value.other", type="<img src=x onerror=alert(1)>", detail="&amp;"),),
        code=f'File "ex1_corr2d.py", line 3\n  {EVIL}\n</pre><script>bad()</script>',
    )
    page = html.render(report_with(feedback, source=EVIL, files=(f"{EVIL}.py",)), "en")
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&amp;amp;" in page
    assert set(tags(page)) <= ALLOWED_TAGS


def test_identical_feedback_of_neighbouring_tests_shares_a_card():
    missing = Feedback(msg("failure.import.missing", file="ex1_corr2d.py"))
    page = html.render(report_with(missing, missing, flipped_feedback()), "en")
    assert page.count('<article class="card test"') == 2
    assert "the worked example of the text" in page
    assert "detecting vertical and horizontal edges" in page


def test_a_submission_that_passes_everything_says_so():
    report = report_with()
    page = html.render(report, "en")
    assert catalogue("en").text("report.all_passed") in page
    assert "<article" not in page


# ------------------------------------------------------------------ report.html


def results_of(student_mistakes: dict[str, str | None], seconds: float = 1.0) -> dict[str, Any]:
    """results.json of a corr2d-only submission: tests named after the keys, failing with the mistakes."""
    tests = [
        Graded(
            key,
            msg(f"test.corr2d.{key}"),
            "corr2d",
            4,
            0 if mistake is not None else 4,
            "failed" if mistake is not None else "passed",
            feedback=Feedback(msg("report.passed"), mistake=mistake or None) if mistake is not None else None,
        )
        for key, mistake in student_mistakes.items()
    ]
    report = GradeReport("hidden", tests, SubmissionInfo("x", ["ex1_corr2d.py"]), seconds=seconds)
    return gradescope.results(report, "en")


def graded(student: str, mistakes: dict[str, str | None], seconds: float = 2.0) -> dict[str, Any]:
    return {"student": student, "status": "graded", "reason": None, "seconds": seconds, "results": results_of(mistakes)}


def class_entries() -> list[dict[str, Any]]:
    flipped = {"worked_example": "flipped_kernel", "edges": "flipped_kernel"}
    entries = [graded(f"s{i:02d}", flipped, seconds=2.0 + i) for i in range(7)]
    entries.append(graded("good", {"worked_example": None, "edges": None}))
    entries.append(graded(EVIL, {"worked_example": "transposed_output", "edges": None}, seconds=40.0))
    entries.append(
        {"student": "late", "status": "unreadable", "reason": "bad.zip <not a zip>", "seconds": 0.1, "results": None}
    )
    entries.append(
        {"student": "boom", "status": "grader_failed", "reason": "worker died", "seconds": 9.0, "results": None}
    )
    return entries


def test_the_class_report_counts_and_ranks_mistakes():
    page = render_class_report(class_entries())
    assert set(tags(page)) <= ALLOWED_TAGS
    for count, what in ((9, "graded"), (1, "could not be read"), (1, "grader failed")):
        assert f'<div class="value">{count}</div><div class="what">{what}</div>' in page
    flipped = page.index("kernel flipped (a convolution)")
    transposed = page.index("output transposed")
    assert flipped < transposed  # 7 students before 1
    row = page[flipped : page.index("</tr>", flipped)]
    assert '<td class="num">7 ' in row
    assert "<code>corr2d</code>" in row
    examples = [f"<code>s{i:02d}</code>" for i in range(7)]
    assert all(e in row for e in examples[:5])
    assert not any(e in row for e in examples[5:])
    assert "78%" in row


def test_the_class_report_lists_pass_rates_and_unreadable_submissions():
    page = render_class_report(class_entries())
    worked = page.index("the worked example of the text")
    assert "11%" in page[worked : page.index("</tr>", worked)]  # 1 of 9 passed
    edges = page.index("detecting vertical and horizontal edges")
    assert "22%" in page[edges : page.index("</tr>", edges)]  # 2 of 9 passed
    assert "bad.zip &lt;not a zip&gt;" in page
    assert "worker died" in page
    assert "<script" not in page
    assert "&lt;script&gt;" in page
    slowest = page.index(catalogue("en").text("classreport.slowest_five"))
    assert page.index("&lt;script&gt;", slowest) < page.index("<code>s06</code>", slowest)


def test_a_class_with_nothing_graded_still_renders():
    entries = [e for e in class_entries() if e["status"] != "graded"]
    page = render_class_report(entries)
    assert catalogue("en").text("classreport.nothing_graded") in page
    assert "late" in page
    assert "boom" in page
    assert "No submission" in render_class_report([])


# ------------------------------------------------------------------ in a real browser


def chromium() -> str:
    """The browser, or a skip: only outside CI may it be missing (CI runs `make browser` first)."""
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; CI must run `make browser` before the tests")
    pytest.skip("chromium is not installed (run `make browser`, as root, to install Debian's chromium)")


def screenshot(page: Path, tmp_path: Path) -> bytes:
    png = tmp_path / f"{page.stem}.png"
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={png}",
        "--window-size=1280,2000",
        page.as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert png.exists(), result.stderr[-2000:]
    return png.read_bytes()


def png_rows(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the filtered scanlines of a non-interlaced 8-bit PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks: dict[bytes, list[bytes]] = {}
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        chunks.setdefault(kind, []).append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"][0])
    assert (depth, interlace) == (8, 0), (depth, interlace)
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride = 1 + width * channels
    assert len(raw) == stride * height
    return width, height, [raw[i * stride : (i + 1) * stride] for i in range(height)]


def assert_real_picture(data: bytes) -> None:
    """A screenshot of the page: right size, and far from one flat colour.

    A flat image filters to at most one scanline per PNG filter type (each row equals the one above),
    so a page with text, tables and heatmaps shows many distinct scanlines.
    """
    assert len(data) > 20_000, f"screenshot is only {len(data)} bytes"
    width, height, rows = png_rows(data)
    assert (width, height) == (1280, 2000)
    assert len(set(rows)) > 200, f"only {len(set(rows))} distinct scanlines: the page looks blank"


def test_feedback_html_renders_in_chromium(grade, tmp_path):
    page = tmp_path / "feedback.html"
    page.write_text(html.render(grade(FLIPPED), "en"), encoding="utf-8")
    assert_real_picture(screenshot(page, tmp_path))


def test_class_report_renders_in_chromium(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render_class_report(class_entries()), encoding="utf-8")
    assert_real_picture(screenshot(page, tmp_path))
