"""What the HTML reports share: the page shell, the stylesheet, bars and the diverging colour scale.

Both reports are single files that open offline from a mail attachment or an LMS download, so
everything is inline: no fonts, scripts or images are fetched.
"""

from __future__ import annotations

import math
from html import escape
from itertools import pairwise

HTML_LANG = {"en": "en", "zh": "zh-CN"}
"""`lang` attribute per catalogue language: zh-CN makes browsers pick Simplified Chinese glyphs."""

BASE_CSS = """
:root {
  --ink: #1d2127; --muted: #636a75; --faint: #8a919c; --line: #e3e1dc; --paper: #f6f5f1;
  --card: #ffffff; --accent: #2f5aa8; --pass: #2e7d4f; --partial: #b7791f; --fail: #b8432f;
  --pass-soft: #e4f1e8; --partial-soft: #f8ecd6; --fail-soft: #f8e3de; --hint: #eef3fb;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans",
    "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
    "WenQuanYi Micro Hei", sans-serif;
  --mono: ui-monospace, "SFMono-Regular", "Cascadia Mono", Menlo, Consolas, "DejaVu Sans Mono",
    "Noto Sans Mono CJK SC", "Sarasa Mono SC", monospace;
}
* { box-sizing: border-box; }
html { background: var(--paper); }
body { margin: 0; color: var(--ink); font: 15px/1.6 var(--sans); -webkit-font-smoothing: antialiased; }
.page { max-width: 1080px; margin: 0 auto; padding: 36px 28px 56px; }
h1 { font-size: 26px; line-height: 1.25; margin: 4px 0 6px; font-weight: 650; letter-spacing: -0.01em; }
h2 { font-size: 18px; margin: 36px 0 12px; font-weight: 650; }
h3 { font-size: 15.5px; margin: 0; font-weight: 600; }
h4 { font-size: 14px; margin: 20px 0 8px; font-weight: 600; color: var(--muted); }
p { margin: 6px 0; }
code, pre, .mono { font-family: var(--mono); font-size: 13px; }
.eyebrow { margin: 0; color: var(--accent); font-size: 12.5px; font-weight: 600;
  letter-spacing: 0.08em; text-transform: uppercase; }
.muted { color: var(--muted); }
.faint { color: var(--faint); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 18px 22px;
  box-shadow: 0 1px 2px rgba(30, 30, 20, 0.04); }
.note { background: var(--partial-soft); border-radius: 8px; padding: 8px 12px; margin: 8px 0; }
table.grid { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.grid th { text-align: left; font-size: 12.5px; font-weight: 600; color: var(--muted);
  border-bottom: 1px solid var(--line); padding: 6px 10px; }
table.grid td { border-bottom: 1px solid #efede8; padding: 7px 10px; vertical-align: middle; }
table.grid tr:last-child td { border-bottom: none; }
table.grid .num { text-align: right; white-space: nowrap; }
table.grid tr.total td { font-weight: 650; border-top: 1px solid var(--line); }
.bar { position: relative; height: 8px; min-width: 120px; border-radius: 4px; background: #ecebe6; overflow: hidden; }
.bar > span { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 4px; }
.good { color: var(--pass); } .mid { color: var(--partial); } .bad { color: var(--fail); }
.bar .good { background: var(--pass); } .bar .mid { background: var(--partial); } .bar .bad { background: var(--fail); }
.chip { display: inline-block; font: 600 12px/1.2 var(--mono); padding: 3px 8px; border-radius: 999px;
  background: #eceff5; color: #34405a; white-space: nowrap; }
.tag { display: inline-block; font-size: 12.5px; padding: 2px 9px; border-radius: 999px;
  background: var(--fail-soft); color: #8a2f1f; white-space: nowrap; }
footer { margin-top: 40px; color: var(--faint); font-size: 13px; }
@media print { html { background: #fff; } .card { box-shadow: none; break-inside: avoid; } }
"""


def page(title: str, lang: str, body: str, css: str = "") -> str:
    """A complete, self-contained HTML document."""
    return (
        "<!doctype html>\n"
        f'<html lang="{HTML_LANG.get(lang, lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n"
        f'<body>\n<main class="page">\n{body}\n</main>\n</body>\n</html>\n'
    )


def grade_class(fraction: float) -> str:
    """CSS class for a share of the points or a pass rate: all, some or (almost) none."""
    if fraction >= 0.999:
        return "good"
    return "mid" if fraction >= 0.5 else "bad"


def bar(fraction: float, label: str = "", tone: str = "") -> str:
    """A horizontal bar filled to `fraction` (0..1); `label` becomes its tooltip.

    Its colour says how good the fraction is (see grade_class) unless `tone` names one: a bar of
    how many made a mistake is not better when it is longer.
    """
    fraction = min(max(fraction, 0.0), 1.0)
    title = f' title="{escape(label)}"' if label else ""
    return (
        f'<div class="bar"{title}><span class="{tone or grade_class(fraction)}" '
        f'style="width:{fraction * 100:.1f}%"></span></div>'
    )


def points(value: float) -> str:
    return f"{value:g}"


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
