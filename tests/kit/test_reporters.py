"""Every reporter, fed a GradeReport built here in memory: what a student or an instructor reads.

No grader runs: the exercises are made up ("alpha", "beta", "gamma"), which also shows that the
reporters know no unit, and take the order of the exercises from the report.
"""

from __future__ import annotations

import json
import re
import tomllib
import xml.etree.ElementTree as ET
from fnmatch import fnmatch
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from autograder.feedback import Comparison, Feedback, Shown
from autograder.feedback import width as display_width
from autograder.i18n import Message, catalogue, msg
from autograder.judge.show import describe
from autograder.paths import KIT_ROOT, PACKAGE_DIR
from autograder.report import github, gradescope, html, junit, markdown, text
from autograder.report.class_report import render_class_report
from autograder.report.groups import failing_groups
from autograder.results import GradeReport, SubmissionInfo
from autograder.results import TestResult as Graded  # not "Test*": pytest would try to collect it
from autograder.sandbox.wire import OtherValue

EVIL = '<script>alert("x")</script>'
ORDER = ["alpha", "beta", "gamma"]


def words(value: str) -> Message:
    """A message that renders `value` as it is, in every language (as a student's own text does)."""
    return msg("failure.todo", todo=value)


def comparison() -> Comparison:
    def shown(name: str, values: Any) -> Shown:
        return Shown(name, values, (2, 2), "float32", "cpu")

    return Comparison(
        inputs=(shown("X", [[1, 2], [3, 4]]),),
        expected=shown("expected", [[1, 2], [3, 4]]),
        got=shown("got", [[1, 2], [3, 9]]),
        first_differences=(((1, 1), 4.0, 9.0),),
    )


def not_started() -> Feedback:
    return Feedback(msg("failure.not_implemented", name="beta"))


def sample_report(source: str = "class-7/李明") -> GradeReport:
    """beta's tests ran first; alpha lost 2 of 5 points on a wrong value; beta is not started."""
    tests = [
        Graded("t/b.py::one", words("beta first"), "beta", 2, 0, "failed", feedback=not_started()),
        Graded("t/b.py::two", words("beta second"), "beta", 3, 0, "failed", feedback=not_started()),
        Graded("t/a.py::small", words("互相关的小例子"), "alpha", 3, 3, "passed"),
        Graded(
            "t/a.py::values",
            words(f"values {EVIL}"),
            "alpha",
            2,
            0,
            "failed",
            feedback=Feedback(
                words(f"alpha returned {EVIL}"),
                details=(words("卷积核翻转了"),),
                mistake="made_up_mistake",
                hint=words("compare with the worked example"),
                comparison=comparison(),
                code=f'File "a.py", line 3, in alpha\n    {EVIL}\n```\nValueError: 输出错误',
            ),
        ),
    ]
    return GradeReport(
        "hidden",
        tests,
        SubmissionInfo(source, ["a.py", "b.py"]),
        seconds=1.25,
        grader_version="9.9",
        exercise_order=ORDER,
    )


# ------------------------------------------------------------------ the order and the groups


def test_exercises_follow_the_reports_order_then_first_seen():
    report = sample_report()
    assert report.exercises() == ["alpha", "beta"]
    report.exercise_order = []
    assert report.exercises() == ["beta", "alpha"]  # as the tests ran


def test_neighbours_with_the_same_input_free_feedback_form_one_group():
    report = sample_report()
    groups = failing_groups(report.tests)
    assert [[t.test_id for t in group] for group in groups] == [["t/b.py::one", "t/b.py::two"], ["t/a.py::values"]]
    with_passed = failing_groups(report.tests, with_passed=True)
    assert [len(group) for group in with_passed] == [2, 1, 1]


def test_feedback_that_compares_values_is_never_shared():
    report = sample_report()
    twin = report.tests[3]
    report.tests.append(Graded("t/a.py::again", words("values again"), "alpha", 2, 0, "failed", feedback=twin.feedback))
    assert [len(group) for group in failing_groups(report.tests)] == [2, 1, 1]


# ------------------------------------------------------------------ terminal text


def test_the_terminal_report_lists_exercises_in_order_with_their_points():
    page = text.render(sample_report(), "en")
    lines = page.splitlines()
    en = catalogue("en")
    assert lines[0] == en.text("report.heading", source="class-7/李明", suite=en.text("report.suite.hidden"))
    alpha = next(i for i, line in enumerate(lines) if re.match(r"\s+alpha\s+3 / 5 ", line))
    beta = next(i for i, line in enumerate(lines) if re.match(r"\s+beta\s+0 / 5 ", line))
    assert alpha < beta
    assert re.search(r"Total\s+3 / 10", page)
    assert en.text("report.timing", seconds="1.25") in page


def test_the_terminal_report_shows_shared_feedback_once_and_hides_passed_tests():
    page = text.render(sample_report(), "en")
    assert "✗ beta · beta first; beta second  (0/5)" in page
    assert page.count("beta is not implemented yet.") == 1
    assert "互相关的小例子" not in page
    verbose = text.render(sample_report(), "en", verbose=True)
    assert "✓ alpha · 互相关的小例子  (3/3)" in verbose


def test_the_terminal_report_in_chinese():
    page = text.render(sample_report(), "zh")
    zh = catalogue("zh")
    assert zh.text("report.total") in page
    assert "卷积核翻转了" in page
    assert zh.text("report.fix") in page


def test_the_summary_table_alone_takes_the_order_it_is_given():
    tests = sample_report().tests
    first_seen = text.summary_table(tests, "en")
    ordered = text.summary_table(tests, "en", exercise_order=ORDER)
    assert first_seen.index("beta") < first_seen.index("alpha")
    assert ordered.index("alpha") < ordered.index("beta")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_summary_table_keeps_its_columns_for_long_exercise_names(lang):
    long_name = "edges_with_transposed_kernel"
    tests = [*sample_report().tests, Graded("t/c.py::one", words("long"), long_name, 4, 4, "passed")]
    rows = text.summary_table(tests, lang).splitlines()[:4]
    slashes = {display_width(row[: row.index(" / ")]) for row in rows}
    assert len(slashes) == 1, rows


# ------------------------------------------------------------------ Markdown


def test_markdown_has_the_table_and_every_failing_test():
    page = markdown.render(sample_report(), "en")
    assert "| `alpha` | 3 / 5 |" in page
    assert "| `beta` | 0 / 5 |" in page
    assert page.index("| `alpha`") < page.index("| `beta`")
    assert "| **Total** | **3 / 10** |" in page
    assert f"## ✗ `alpha` · values {EVIL} (0/2)" in page
    assert "卷积核翻转了" in page


def test_a_students_fence_cannot_close_the_code_block():
    page = markdown.render(sample_report(), "en")
    code = page.split(f"*{catalogue('en').text('report.your_code')}*", 1)[1]
    fences = [line for line in code.splitlines() if line.startswith("```")]
    assert len(fences) == 2  # the block's own opening and closing; the student's ``` was broken up


# ------------------------------------------------------------------ feedback.html


class _Markup(HTMLParser):
    """Start tags and text as a browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(page: str) -> _Markup:
    parser = _Markup()
    parser.feed(page)
    return parser


def test_feedback_html_escapes_the_students_strings():
    page = html.render(sample_report(source=EVIL), "en")
    markup = parsed(page)
    assert "script" not in markup.tags
    seen = "".join(markup.text)
    assert f"alpha returned {EVIL}" in seen  # the reader sees the text itself
    assert f"Grading {EVIL}" in seen
    assert "<script>" not in page


def test_feedback_html_shows_scores_groups_and_pictures():
    page = html.render(sample_report(), "en")
    assert "3<small> / 10</small>" in page
    assert page.count('<article class="card test"') == 2  # beta's two tests share a card
    assert '<a href="#ex-alpha">alpha</a>' in page
    assert page.index('href="#ex-alpha"') < page.index('href="#ex-beta"')
    assert page.count('<svg class="heat"') == 3  # expected, got, and their difference
    assert "<title>[1, 1]: 9 − 4 = 5</title>" in page


def test_feedback_html_in_chinese_keeps_the_characters():
    page = html.render(sample_report(), "zh")
    assert '<html lang="zh-CN">' in page
    assert "互相关的小例子" not in page  # passed tests are not listed
    assert "卷积核翻转了" in page
    assert "class-7/李明" in page


# ------------------------------------------------------------------ JUnit XML


def test_junit_has_a_testcase_per_test_and_the_feedback_as_failure():
    root = ET.fromstring(junit.render(sample_report(), "en").encode())
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "3", "0")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["score"] == "3"
    assert properties["max_score"] == "10"
    assert properties["submission"] == "class-7/李明"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    failure = cases[f"values {EVIL}"].find("failure")
    assert failure is not None
    assert failure.get("type") == "made_up_mistake"
    assert failure.get("message") == f"alpha returned {EVIL}"
    assert (failure.text or "").startswith("Points: 0/2\n")
    assert cases["互相关的小例子"].get("classname") == "alpha"
    assert len(cases["互相关的小例子"]) == 0


# ------------------------------------------------------------------ Gradescope's results.json


def test_results_json_states_the_score_and_every_test():
    data = json.loads(gradescope.render(sample_report(), "en"))
    assert data["score"] == 3
    assert data["extra_data"]["max_score"] == 10
    names = [test["name"] for test in data["tests"]]
    assert names[2] == "alpha: 互相关的小例子"
    assert [test["status"] for test in data["tests"]] == ["failed", "failed", "passed", "failed"]
    assert [test["tags"] for test in data["tests"]][:3] == [["beta"], ["beta"], ["alpha"]]
    assert data["tests"][3]["extra_data"]["mistake"] == "made_up_mistake"
    assert "卷积核翻转了" in data["tests"][3]["output"]
    assert "| `alpha` | 3 / 5 |" in data["output"]


def test_results_json_hides_the_points_of_tests_shown_later():
    report = sample_report()
    report.tests[2].visibility = "after_published"
    data = gradescope.results(report, "en")
    assert data["output"].startswith("Score: 0 / 7")
    assert "3 more points" in data["output"]


# ------------------------------------------------------------------ GitHub Actions


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A student's repository: alpha's file with its definition on line 3, beta's not started."""
    (tmp_path / "a.py").write_text("import torch\n\ndef alpha(x):\n    return x\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def beta():\n    raise NotImplementedError\n", encoding="utf-8")
    return tmp_path


def test_annotations_point_at_the_students_file_and_line(checkout):
    lines = github.annotation_commands(
        sample_report(), checkout, "en", {"alpha": "a.py", "beta": "b.py"}, base=checkout
    )
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 3
    assert errors[0].startswith("::error file=b.py,line=1,title=beta%3A beta first (0/2)::")
    alpha = errors[2]
    assert alpha.startswith("::error file=a.py,line=3,title=alpha%3A values")  # the traceback's line
    assert alpha.endswith(f"::alpha returned {EVIL}")
    assert lines[-1] == "::notice title=Feedback::Score: 3 / 10"


def test_an_exercise_without_a_known_file_is_annotated_without_one(checkout):
    lines = github.annotation_commands(sample_report(), checkout, "en", {}, base=checkout)
    assert all("file=" not in line for line in lines)


def test_the_job_summary_leads_with_the_score_and_the_threshold():
    summary = github.summary(sample_report(), "en", fail_under=5)
    assert summary.startswith("## Score: 3 / 10\n")
    assert summary.splitlines()[2] == "> " + catalogue("en").text("report.fail_under", score="3", limit="5")
    assert "| `alpha` | 3 / 5 |" in summary


# ------------------------------------------------------------------ the class report


def entry(student: str, report: GradeReport, seconds: float = 2.0) -> dict[str, Any]:
    return {
        "student": student,
        "status": "graded",
        "reason": None,
        "seconds": seconds,
        "results": gradescope.results(report, "en"),
    }


def class_entries() -> list[dict[str, Any]]:
    perfect = sample_report()
    for test in perfect.tests:
        test.score, test.status, test.feedback = test.max_score, "passed", None
    return [
        entry("王芳", sample_report()),
        entry(EVIL, sample_report(), seconds=30.0),
        entry("zoe", perfect),
        {"student": "late", "status": "unreadable", "reason": "<not a zip>", "seconds": 0.0, "results": None},
    ]


def test_the_class_report_counts_the_class():
    page = render_class_report(class_entries(), "en", exercise_order=ORDER)
    assert '<div class="value">3</div><div class="what">graded</div>' in page
    assert '<div class="value">1</div><div class="what">could not be read</div>' in page
    # scores 3, 3, 10: the median is 3
    assert '<div class="value">3.0<small> / 10</small></div><div class="what">median score</div>' in page
    mistake = page.index('<span class="idname">made_up_mistake</span>')
    row = page[mistake : page.index("</tr>", mistake)]
    assert '<td class="num">2 <span class="faint">(67%)</span></td>' in row
    assert "<code>王芳</code>" in row


def test_the_class_report_escapes_student_names_and_reasons():
    page = render_class_report(class_entries(), "en", exercise_order=ORDER)
    markup = parsed(page)
    assert "script" not in markup.tags
    assert EVIL in "".join(markup.text)
    assert "&lt;not a zip&gt;" in page


def test_the_roster_has_a_column_per_exercise_of_the_unit_in_its_order():
    page = render_class_report(class_entries(), "zh", exercise_order=ORDER)
    head = page[page.index('<table class="grid roster">') :]
    head = head[: head.index("</thead>")]
    assert re.findall(r'<th class="num">(\w+)</th>', head) == ORDER  # gamma too, though nobody has it
    assert "table.roster { --exercises: 3; }" in page
    assert '<html lang="zh-CN">' in page
    assert "王芳" in page


# ------------------------------------------------------------------ the templates travel with the package


def test_every_template_is_package_data():
    """A built wheel holds what pyproject's package-data names: every template must be matched."""
    with open(KIT_ROOT / "pyproject.toml", "rb") as handle:
        patterns = tomllib.load(handle)["tool"]["setuptools"]["package-data"]["autograder"]
    folders = [PACKAGE_DIR / "report" / "templates", PACKAGE_DIR / "bundles" / "templates"]
    files = [path.relative_to(PACKAGE_DIR) for folder in folders for path in folder.rglob("*") if path.is_file()]
    # Modules of a package (bundles/templates/__init__.py) ship as code, not as data.
    files = [
        path
        for path in files
        if "__pycache__" not in path.parts
        and not (path.suffix == ".py" and (PACKAGE_DIR / path.parent / "__init__.py").exists())
    ]
    assert any(path.suffix == ".html" for path in files)
    missing = [str(path) for path in files if not any(fnmatch(str(path), pattern) for pattern in patterns)]
    assert missing == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_object_without_detail_is_described_without_a_dangling_space(lang):
    cat = catalogue(lang)
    bare = cat.render(describe(OtherValue("numpy.int64")))
    assert "numpy.int64" in bare
    assert not bare.endswith(" ")
    assert "  " not in bare
    assert "7" in cat.render(describe(OtherValue("numpy.int64", "7")))
