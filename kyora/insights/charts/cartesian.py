"""Charts over labels (usually days): lines, grouped bars and stacked bars.

Layout, left to right as English reads: the value axis (3 to 5 round ticks, compact
numbers) on the left, the plot, the labels under it (every n-th when they would
collide), the legend above when there is more than one series. A right-to-left chart is
the same drawing mirrored: the first label at the right, the value axis on the right.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup

from kyora.insights.charts import describe
from kyora.insights.charts.base import (
    CHAR,
    FONT,
    HEIGHT,
    WIDTH,
    Chart,
    Frame,
    Scale,
    Series,
    compact,
    el,
    fit,
    isolate,
    join,
    label_text,
    nice_ticks,
    numbers,
    svg_root,
    text_width,
    tone_class,
)

PAD = 6  # space kept free at the edges of the drawing
GAP = 6  # between an axis and its labels
LEGEND_ROW = 20
MAX_LABEL = 90  # a label never takes more than this width (longer ones get an ellipsis)
MIN_LABEL = 7 * CHAR  # a cut label keeps about six characters
LABELS_TOP = HEIGHT - 5 - FONT - 10  # the plot ends here; the labels sit under it
# Line styles after the first series, so lines differ by more than their colour.
DASHES = (None, "6 4", "2 3", "8 3 2 3")


@dataclass(frozen=True)
class Plot:
    left: float
    right: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left


def _bounds(kind: str, rows: list[list[Decimal | None]]) -> tuple[Decimal, Decimal]:
    """The lowest and highest values to show (for stacks: the sums above and below 0)."""
    if kind == "stacked":
        ups = [
            sum((v for v in column if v and v > 0), Decimal(0))
            for column in zip(*rows, strict=True)
        ]
        downs = [
            sum((v for v in column if v and v < 0), Decimal(0))
            for column in zip(*rows, strict=True)
        ]
        return min(downs, default=Decimal(0)), max(ups, default=Decimal(0))
    present = [value for values in rows for value in values if value is not None]
    return min(present, default=Decimal(0)), max(present, default=Decimal(0))


def _legend(series: list[Series], kind: str, frame: Frame) -> tuple[Markup, float]:
    """Swatches and names above the plot, wrapping onto a second row when needed."""
    if len(series) < 2:
        return join([]), 0
    marks, x, y = [], PAD, PAD + FONT / 2
    for index, one in enumerate(series):
        name = fit(one.name, WIDTH / 2 - 30)
        width = 22 + text_width(name) + 14
        if x + width > WIDTH - PAD and x > PAD:
            x, y = PAD, y + LEGEND_ROW
        if kind == "line":
            swatch = el(
                "line",
                x1=frame.x(x),
                x2=frame.x(x + 16),
                y1=float(y),
                y2=float(y),
                class_=f"chart-line {tone_class(one.tone)}",
                stroke="currentColor",
                stroke_width=3,
                stroke_dasharray=DASHES[index % len(DASHES)],
            )
        else:
            swatch = el(
                "rect",
                x=frame.box_x(x + 2, 12),
                y=float(y - 6),
                width=12,
                height=12,
                rx=2,
                class_=tone_class(one.tone),
                fill="currentColor",
            )
        marks += [
            swatch,
            label_text(isolate(name), frame.x(x + 22), y + FONT * 0.35, anchor="start"),
        ]
        x += width
    return el("g", join(marks), class_="chart-legend"), y + LEGEND_ROW / 2


def _value_axis(scale: Scale, plot: Plot, frame: Frame) -> Markup:
    """Grid lines and tick labels; the zero line drawn stronger (losses go below it)."""
    marks = []
    for tick in scale.ticks:
        y = scale.y(tick)
        marks.append(
            el(
                "line",
                x1=frame.x(plot.left),
                x2=frame.x(plot.right),
                y1=y,
                y2=y,
                class_="chart-zero" if tick == 0 else "chart-grid",
                stroke="#6b7280" if tick == 0 else "#e5e7eb",
            )
        )
        marks.append(
            label_text(compact(tick), frame.x(plot.left - GAP), y + FONT * 0.35, anchor="end")
        )
    return el("g", join(marks), class_="chart-axis")


def _label_axis(labels: list[str], xs: list[float], spacing: float, plot: Plot, frame: Frame):
    """Every n-th label under the plot, n chosen so that no two labels touch."""
    if not labels:
        return join([])
    widest = max(text_width(label) for label in labels)
    if len(labels) == 1 or spacing <= 0:
        step, room = 1, plot.width
    else:
        # Short labels (dates) are never cut: fewer of them are shown. Long ones (names)
        # are cut to the space they have, but never below a few characters.
        wanted = widest if widest <= MAX_LABEL else max(MIN_LABEL, min(MAX_LABEL, spacing - 10))
        step = max(1, math.ceil((wanted + 10) / spacing))
        room = max(wanted, min(MAX_LABEL, spacing * step - 10))
    marks, y = [], HEIGHT - 5
    for index in range(0, len(labels), step):
        text = fit(labels[index], room)
        half = text_width(text) / 2
        x = min(max(xs[index], half + 2), WIDTH - half - 2)
        marks.append(label_text(isolate(text), frame.x(x), y))
    return el("g", join(marks), class_="chart-axis chart-labels")


def _lines(series, rows, xs, scale: Scale, frame: Frame, tip) -> Markup:
    """One path per series, lifted where a value is missing; dots where a point stands
    alone (or on every point when there are few)."""
    marks = []
    for index, (one, values) in enumerate(zip(series, rows, strict=True)):
        path, dots = [], []
        for i, value in enumerate(values):
            if value is None:
                continue
            point = f"{frame.x(xs[i]):.2f},{scale.y(value):.2f}"
            joined = i > 0 and values[i - 1] is not None
            path.append(("L" if joined else "M") + point)
            alone = not joined and (i + 1 >= len(values) or values[i + 1] is None)
            if alone or len(values) <= 16:
                dots.append((i, value))
        group = []
        if path:
            group.append(
                el(
                    "path",
                    d=" ".join(path),
                    class_="chart-line",
                    fill="none",
                    stroke="currentColor",
                    stroke_width=2.5,
                    stroke_linejoin="round",
                    stroke_linecap="round",
                    stroke_dasharray=DASHES[index % len(DASHES)],
                )
            )
        for i, value in dots:
            group.append(
                el(
                    "circle",
                    tip(i, one.name, value),
                    cx=frame.x(xs[i]),
                    cy=scale.y(value),
                    r=3,
                    fill="currentColor",
                )
            )
        marks.append(el("g", join(group), class_=f"chart-series {tone_class(one.tone)}"))
    return join(marks)


def _tooltips(labels: list[str], fmt):
    """A hover text for a point or bar: 'Sales, 3 Nov: AED 1,200.00'."""

    def tooltip(i: int, name: str, value: Decimal) -> Markup:
        text = _("%(series)s, %(label)s: %(value)s", series=name, label=labels[i], value=fmt(value))
        return el("title", text)

    return tooltip


def _bar(x, width, y_from, y_to, tone, tooltip, frame: Frame) -> Markup:
    top, height = min(y_from, y_to), abs(y_to - y_from)
    return el(
        "rect",
        tooltip,
        x=frame.box_x(x, width),
        y=top,
        width=max(width, 1.0),
        height=height,
        class_=f"chart-bar {tone_class(tone)}",
        fill="currentColor",
    )


def _grouped_bars(series, rows, xs, slot, scale: Scale, frame: Frame, tip) -> Markup:
    group = slot * 0.72
    width = group / len(series)
    zero = scale.y(Decimal(0))
    marks = []
    for index, (one, values) in enumerate(zip(series, rows, strict=True)):
        for i, value in enumerate(values):
            if value is None:
                continue
            x = xs[i] - group / 2 + index * width
            tooltip = tip(i, one.name, value)
            gap = 1 if len(series) > 1 else 0
            marks.append(_bar(x, width - gap, zero, scale.y(value), one.tone, tooltip, frame))
    return join(marks)


def _stacked_bars(series, rows, xs, slot, scale: Scale, frame: Frame, tip) -> Markup:
    """Positive parts stack up from zero, negative parts down from it."""
    width = slot * 0.6
    marks = []
    for i, x in enumerate(xs):
        above = below = Decimal(0)
        for one, values in zip(series, rows, strict=True):
            value = values[i]
            if not value:
                continue
            base = above if value > 0 else below
            tooltip = tip(i, one.name, value)
            top = base + value
            marks.append(
                _bar(x - width / 2, width, scale.y(base), scale.y(top), one.tone, tooltip, frame)
            )
            if value > 0:
                above = top
            else:
                below = top
    return join(marks)


def _draw(kind, labels, series, rows, fmt, rtl: bool, title: str, summary: str) -> Markup:
    frame = Frame(WIDTH, rtl)
    low, high = _bounds(kind, rows)
    whole = all(
        value == value.to_integral_value()
        for values in rows
        for value in values
        if value is not None
    )
    ticks = nice_ticks(low, high, whole)
    gutter = PAD + max(text_width(compact(tick)) for tick in ticks) + GAP
    legend, legend_height = _legend(series, kind, frame)
    plot = Plot(gutter, WIDTH - PAD, PAD + legend_height + FONT / 2, LABELS_TOP)
    scale = Scale(ticks, plot.top, plot.bottom)
    count = len(labels)
    if kind == "line":
        inset = 10
        spacing = (plot.width - 2 * inset) / (count - 1) if count > 1 else 0
        xs = (
            [plot.left + inset + i * spacing for i in range(count)]
            if count > 1
            else [plot.left + plot.width / 2] * count
        )
        marks = _lines(series, rows, xs, scale, frame, _tooltips(labels, fmt))
    else:
        spacing = plot.width / count if count else 0
        xs = [plot.left + (i + 0.5) * spacing for i in range(count)]
        draw = _stacked_bars if kind == "stacked" else _grouped_bars
        marks = (
            draw(series, rows, xs, spacing, scale, frame, _tooltips(labels, fmt))
            if series
            else join([])
        )
    parts = [
        legend,
        _value_axis(scale, plot, frame),
        marks,
        _label_axis(labels, xs, spacing, plot, frame),
    ]
    if not any(describe.has_data(values) for values in rows):
        middle = (plot.top + plot.bottom) / 2
        parts.append(
            label_text(
                describe.nothing_yet(),
                frame.x(plot.left + plot.width / 2),
                middle,
                class_="chart-empty",
            )
        )
    return svg_root(kind, title, summary, join(parts), rtl=rtl)


def _chart(
    kind, labels, series, *, title, fmt, rtl=False, summary=None, label_header=None
) -> Chart:
    labels = [str(label) for label in labels]
    series = list(series)
    rows = [numbers(one.values, len(labels)) for one in series]
    if summary is None:
        describe_with = describe.stacked_summary if kind == "stacked" else describe.series_summary
        summary = describe_with(labels, series, rows, fmt)
    columns, table = describe.series_table(
        labels, series, rows, fmt, label_header, totals=kind == "stacked"
    )
    svg = _draw(kind, labels, series, rows, fmt, rtl, title, summary)
    return Chart(kind, title, summary, svg, columns, table)


def line_chart(labels: list[str], series: list[Series], **options) -> Chart:
    """Lines over labels (days, weeks); None values leave gaps. Options (keywords):
    `title`, `fmt` (formats a value for the summary and the table), `rtl`, `summary`
    (replaces the default one), `label_header` (heads the labels' column, default
    "Period")."""
    return _chart("line", labels, series, **options)


def bar_chart(labels: list[str], series: list[Series], **options) -> Chart:
    """Vertical bars, one group per label, one bar per series; losses go below zero.
    Options as for `line_chart`."""
    return _chart("bar", labels, series, **options)


def stacked_bar_chart(labels: list[str], series: list[Series], **options) -> Chart:
    """One bar per label made of each series' part; the table adds a total column.
    Options as for `line_chart`."""
    return _chart("stacked", labels, series, **options)
