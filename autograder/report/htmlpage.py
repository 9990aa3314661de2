"""What the HTML reports share: the templates' environment, bars and the diverging colour scale.

Both reports are single files that open offline from a mail attachment or an LMS download, so
everything is inline: no fonts, scripts or images are fetched. The markup is in the jinja2
templates of report/templates/ (package data), with autoescaping on: every string a template
prints is escaped unless it is markup the kit built itself.
"""

from __future__ import annotations

import math
from functools import cache
from itertools import pairwise
from typing import Any

import jinja2

HTML_LANG = {"en": "en", "zh": "zh-CN"}
"""`lang` attribute per catalogue language: zh-CN makes browsers pick Simplified Chinese glyphs."""


def grade_class(fraction: float) -> str:
    """CSS class for a share of the points or a pass rate: all, some or (almost) none."""
    if fraction >= 0.999:
        return "good"
    return "mid" if fraction >= 0.5 else "bad"


def points(value: float) -> str:
    return f"{value:g}"


def _formatted(value: float, spec: str) -> str:
    """A template's `value|fmt(".1f")`: Python's format specification, as in an f-string."""
    return format(value, spec)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("autograder.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(fmt=_formatted, points=points, grade_class=grade_class, diverging=diverging, is_dark=is_dark)
    return env


def render_page(template: str, title: str, lang: str, **context: Any) -> str:
    """A complete, self-contained HTML document from one of the report templates."""
    page = environment().get_template(template)
    return page.render(title=title, lang=lang, html_lang=HTML_LANG.get(lang, lang), **context)


_NEGATIVE = ((0.0, (246, 246, 243)), (0.45, (160, 194, 228)), (1.0, (37, 92, 168)))
_POSITIVE = ((0.0, (246, 246, 243)), (0.45, (241, 176, 140)), (1.0, (180, 50, 38)))
NAN_COLOUR = "#9a9a9a"


def diverging(value: float, limit: float) -> str:
    """The colour of `value` on a scale from -limit (blue) through 0 (near white) to +limit (red)."""
    if not math.isfinite(value):
        return NAN_COLOUR
    t = 0.0 if limit <= 0 else min(abs(value) / limit, 1.0)
    stops = _POSITIVE if value >= 0 else _NEGATIVE
    for (t0, c0), (t1, c1) in pairwise(stops):
        if t <= t1:
            w = (t - t0) / (t1 - t0)
            rgb = tuple(round(a + (b - a) * w) for a, b in zip(c0, c1, strict=True))
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#{:02x}{:02x}{:02x}".format(*stops[-1][1])


def is_dark(colour: str) -> bool:
    """Whether text on this background should be white (perceived lightness below the middle)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 140
