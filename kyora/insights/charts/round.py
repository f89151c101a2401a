"""Charts without a value axis: the donut (shares of a whole) and the sparkline (the
shape of a figure over time, small enough to sit in a tile).

Neither takes labels along an axis, so by default they follow the reading direction of
the viewer's language; `rtl` overrides it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup

from kyora.insights.charts import describe
from kyora.insights.charts.base import (
    FONT,
    WIDTH,
    Chart,
    Frame,
    el,
    fit,
    isolate,
    join,
    label_text,
    locale_is_rtl,
    number,
    numbers,
    svg_root,
    text_width,
    tone_class,
)

# The donut sits at the reading start, its legend beside it.
CENTRE_X, CENTRE_Y, RADIUS, RING = 96.0, 100.0, 70.0, 28.0
LEGEND_X, LEGEND_ROW = 186.0, 24.0
MAX_SLICES = 6  # beyond this the smallest ones are drawn together as "Other"
SPARK_W, SPARK_H, SPARK_PAD = 120, 32, 3.0


def _drawn_slices(slices: list[tuple[str, Decimal | None]]) -> list[tuple[str, Decimal]]:
    """The positive slices, largest first, the smallest merged into 'Other' so that
    no more than MAX_SLICES colours are needed."""
    positive = sorted(
        ((name, value) for name, value in slices if value is not None and value > 0),
        key=lambda item: item[1],
        reverse=True,
    )
    if len(positive) <= MAX_SLICES:
        return positive
    kept = positive[: MAX_SLICES - 1]
    rest = sum((value for _name, value in positive[MAX_SLICES - 1 :]), Decimal(0))
    return [*kept, (_("Other"), rest)]


def _arc(start: float, end: float, frame: Frame) -> str:
    """An arc of the ring's centre line from `start` to `end` (fractions of a turn,
    clockwise from the top; mirrored, it runs anticlockwise)."""

    def point(turn: float) -> str:
        angle = 2 * math.pi * turn
        x = frame.x(CENTRE_X + RADIUS * math.sin(angle))
        y = CENTRE_Y - RADIUS * math.cos(angle)
        return f"{x:.2f},{y:.2f}"

    large = 1 if end - start > 0.5 else 0
    sweep = 0 if frame.rtl else 1
    return f"M{point(start)} A{RADIUS},{RADIUS} 0 {large} {sweep} {point(end)}"


def _ring(drawn: list[tuple[str, Decimal]], whole: Decimal, frame: Frame) -> Markup:
    marks = [
        el(
            "circle",
            cx=frame.x(CENTRE_X),
            cy=CENTRE_Y,
            r=RADIUS,
            fill="none",
            stroke="#e5e7eb",
            stroke_width=RING,
            class_="chart-track",
        )
    ]
    start = 0.0
    for index, (name, value) in enumerate(drawn):
        part = float(value / whole)
        tooltip = el(
            "title", _("%(name)s: %(share)s", name=name, share=describe.share(value, whole))
        )
        common = {
            "fill": "none",
            "stroke": "currentColor",
            "stroke_width": RING,
            "class_": f"chart-slice chart-c{index + 1}",
        }
        if part >= 0.9999:
            marks.append(
                el("circle", tooltip, cx=frame.x(CENTRE_X), cy=CENTRE_Y, r=RADIUS, **common)
            )
        else:
            marks.append(el("path", tooltip, d=_arc(start, start + part, frame), **common))
        start += part
    return join(marks)


def _donut_legend(drawn: list[tuple[str, Decimal]], whole: Decimal, frame: Frame) -> Markup:
    """Swatch, name and share per slice, centred beside the ring."""
    marks = []
    top = CENTRE_Y - LEGEND_ROW * (len(drawn) - 1) / 2
    for index, (name, value) in enumerate(drawn):
        y = top + index * LEGEND_ROW
        percent = describe.share(value, whole)
        room = WIDTH - 6 - (LEGEND_X + 18) - text_width(percent) - 8
        marks += [
            el(
                "rect",
                x=frame.box_x(LEGEND_X, 12),
                y=y - 6,
                width=12,
                height=12,
                rx=2,
                fill="currentColor",
                class_=f"chart-c{index + 1}",
            ),
            label_text(
                isolate(fit(name, room)), frame.x(LEGEND_X + 18), y + FONT * 0.35, anchor="start"
            ),
            label_text(
                percent, frame.x(WIDTH - 6), y + FONT * 0.35, anchor="end", class_="chart-strong"
            ),
        ]
    return el("g", join(marks), class_="chart-legend")


def donut_chart(
    slices: list[tuple[str, object]],
    *,
    title: str,
    fmt: Callable[[Decimal], str],
    summary: str | None = None,
    rtl: bool | None = None,
    label_header: str | None = None,
) -> Chart:
    """Shares of a whole (sales by channel, by product). Zero and negative parts are in
    the table but not in the ring."""
    slices = [(str(name), number(value)) for name, value in slices]
    rtl = locale_is_rtl() if rtl is None else rtl
    frame = Frame(WIDTH, rtl)
    if summary is None:
        summary = describe.donut_summary(slices)
    columns, rows = describe.donut_table(slices, fmt, label_header)
    drawn = _drawn_slices(slices)
    whole = sum((value for _name, value in drawn), Decimal(0))
    if drawn:
        body = join([_ring(drawn, whole, frame), _donut_legend(drawn, whole, frame)])
    else:
        body = join(
            [
                _ring([], Decimal(1), frame),
                label_text(
                    describe.nothing_yet(),
                    frame.x(LEGEND_X),
                    CENTRE_Y,
                    anchor="start",
                    class_="chart-empty",
                ),
            ]
        )
    svg = svg_root("donut", title, summary, body, rtl=rtl)
    return Chart("donut", title, summary, svg, columns, rows)


def _spark_path(
    values: list[Decimal | None], frame: Frame
) -> tuple[str, tuple[float, float] | None]:
    """The path through the values (lifted over gaps) and where the last value sits."""
    present = [value for value in values if value is not None]
    low, high = min(present), max(present)
    span = high - low
    step = (SPARK_W - 2 * SPARK_PAD) / (len(values) - 1) if len(values) > 1 else 0
    path, last = [], None
    for i, value in enumerate(values):
        if value is None:
            continue
        share = float((value - low) / span) if span else 0.5
        x = frame.x(SPARK_PAD + i * step if len(values) > 1 else SPARK_W / 2)
        y = SPARK_H - SPARK_PAD - share * (SPARK_H - 2 * SPARK_PAD)
        joined = i > 0 and values[i - 1] is not None
        path.append(f"{'L' if joined else 'M'}{x:.2f},{y:.2f}")
        last = (x, y)
    return " ".join(path), last


def sparkline(
    values: list,
    *,
    title: str,
    fmt: Callable[[Decimal], str],
    summary: str | None = None,
    tone: str = "primary",
    rtl: bool | None = None,
) -> Chart:
    """A tiny line with no axes: the shape of a figure over the period, ending in a dot."""
    values = list(values)
    values = numbers(values, len(values))
    rtl = locale_is_rtl() if rtl is None else rtl
    frame = Frame(SPARK_W, rtl)
    if summary is None:
        summary = describe.sparkline_summary(values, fmt)
    columns, rows = describe.sparkline_table(values, fmt, title)
    marks = []
    if any(value is not None for value in values):
        path, (x, y) = _spark_path(values, frame)
        marks = [
            el(
                "path",
                d=path,
                fill="none",
                stroke="currentColor",
                stroke_width=2,
                stroke_linejoin="round",
                stroke_linecap="round",
            ),
            el("circle", cx=x, cy=y, r=2.5, fill="currentColor"),
        ]
    else:
        baseline = SPARK_H - SPARK_PAD
        marks = [
            el(
                "line",
                x1=SPARK_PAD,
                x2=SPARK_W - SPARK_PAD,
                y1=baseline,
                y2=baseline,
                class_="chart-grid",
                stroke="#e5e7eb",
            )
        ]
    body = el("g", join(marks), class_=tone_class(tone))
    svg = svg_root("sparkline", title, summary, body, rtl=rtl, width=SPARK_W, height=SPARK_H)
    return Chart("sparkline", title, summary, svg, columns, rows)
