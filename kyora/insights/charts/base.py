"""Building blocks of the charts: the public data shapes, reading values, round axis
ticks, and a tiny SVG writer that escapes every attribute and every text it is given
(labels can be product names, which are user text)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation

from babel.numbers import format_compact_decimal
from flask_babel import get_locale
from markupsafe import Markup, escape

TONES = ("primary", "secondary", "positive", "negative", "muted")
WIDTH, HEIGHT = 360, 200
# Text size in viewBox units: a 360-unit chart squeezed into the card of a 360 px phone
# (about 294 px wide) still shows it at 11.4 px.
FONT = 14
# A rough average glyph width, enough to keep labels apart without measuring text.
CHAR = 0.58 * FONT
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class Series:
    """One line, or one colour of bars: its legend name (already translated), one value
    per label (None where there is no data) and its colour."""

    name: str
    values: list
    tone: str = "primary"


@dataclass(frozen=True)
class Chart:
    """A drawn chart with its text alternative (`summary`) and its numbers as a table."""

    kind: str
    title: str
    summary: str
    svg: Markup
    columns: list[str]
    rows: list[list[str]]


def number(value) -> Decimal | None:
    """`value` as a Decimal; None for no data (None, NaN, infinity, not a number)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        found = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return found if found.is_finite() else None


def numbers(values, count: int) -> list[Decimal | None]:
    """Exactly `count` values: missing ones at the end count as no data."""
    found = [number(value) for value in list(values)[:count]]
    return found + [None] * (count - len(found))


def tone_class(tone: str) -> str:
    return f"chart-{tone if tone in TONES else 'primary'}"


def locale_is_rtl() -> bool:
    locale = get_locale()
    return bool(locale) and locale.character_order == "right-to-left"


def new_id() -> str:
    """An element id no other chart on the page has (ids tie <svg> to its title)."""
    return f"chart-{secrets.token_hex(4)}"


# ---- Value axis ------------------------------------------------------------------

_MANTISSAS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))


def nice_ticks(low: Decimal, high: Decimal, whole: bool = False) -> list[Decimal]:
    """3 to 5 round values (steps of 1, 2, 2.5 or 5 times a power of ten) from at or
    below min(low, 0) to at or above max(high, 0); only [0] when both are zero.
    `whole` keeps steps whole (counts of orders are never 2.5)."""
    low, high = min(low, Decimal(0)), max(high, Decimal(0))
    if low == high:
        return [Decimal(0)]
    exponent = (high - low).adjusted() - 1
    while True:
        for mantissa in _MANTISSAS:
            step = mantissa.scaleb(exponent)
            if whole and step != step.to_integral_value():
                continue
            first = (low / step).to_integral_value(ROUND_FLOOR)
            last = (high / step).to_integral_value(ROUND_CEILING)
            if last - first <= 4:
                ticks = [step * k for k in range(int(first), int(last) + 1)]
                while len(ticks) < 3:
                    if high > 0:
                        ticks.append(ticks[-1] + step)
                    else:
                        ticks.insert(0, ticks[0] - step)
                return ticks
        exponent += 1


def compact(value: Decimal) -> str:
    """A tick value as the locale writes it short: '1.5K', '1.5 ألف'."""
    return format_compact_decimal(value, locale=get_locale() or "en", fraction_digits=2)


@dataclass(frozen=True)
class Scale:
    """Maps values to heights between `top` and `bottom` of the plot."""

    ticks: list[Decimal]
    top: float
    bottom: float

    def y(self, value: Decimal) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        if high == low:
            high = low + 1
        share = float((value - low) / (high - low))
        return self.bottom - share * (self.bottom - self.top)


@dataclass(frozen=True)
class Frame:
    """Drawing is laid out left to right; a right-to-left chart mirrors every x."""

    width: float
    rtl: bool

    def x(self, x: float) -> float:
        return self.width - x if self.rtl else x

    def box_x(self, x: float, width: float) -> float:
        return self.width - x - width if self.rtl else x


# ---- Text ------------------------------------------------------------------------


def text_width(text: str, size: float = FONT) -> float:
    return len(text) * CHAR * size / FONT


def fit(text: str, width: float, size: float = FONT) -> str:
    """`text`, cut with an ellipsis when it would be wider than `width`."""
    if text_width(text, size) <= width:
        return text
    keep = max(1, int(width / (CHAR * size / FONT)) - 1)
    return text[:keep].rstrip() + ELLIPSIS


def isolate(text: str) -> str:
    """User text (a product name) wrapped in first-strong isolate marks, so its own
    direction decides how it reads, whatever the chart's direction: an English name on
    an Arabic chart keeps its brackets and its ellipsis where they belong."""
    return f"\u2068{text}\u2069"


# ---- SVG writer -------------------------------------------------------------------


def num(value: float) -> str:
    """A coordinate with at most two decimals and no '-0'."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def el(tag: str, content: str | Markup | None = None, **attrs) -> Markup:
    """One SVG element. Attribute names: `class_` -> class, `text_anchor` -> text-anchor.
    Text and attribute values are escaped; Markup content (child elements) is kept.
    (Built as one string: a year's chart has thousands of these.)"""
    parts = [f"<{tag}"]
    for name, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = num(value)
        parts.append(f' {name.rstrip("_").replace("_", "-")}="{escape(str(value))}"')
    parts.append("/>" if content is None else f">{escape(content)}</{tag}>")
    return Markup("".join(parts))  # noqa: S704  (names from the code, values escaped)


def join(parts) -> Markup:
    return Markup("").join(parts)


def svg_root(
    kind: str, title: str, summary: str, body: Markup, *, rtl: bool, width=WIDTH, height=HEIGHT
) -> Markup:
    """The <svg> element: an image named by its <title> and described by its <desc>."""
    chart_id = new_id()
    return el(
        "svg",
        join(
            [
                el("title", title, id=f"{chart_id}-title"),
                el("desc", summary, id=f"{chart_id}-desc"),
                body,
            ]
        ),
        xmlns="http://www.w3.org/2000/svg",
        id=chart_id,
        class_=f"chart-svg chart-svg-{kind}",
        viewBox=f"0 0 {width} {height}",
        width="100%",
        preserveAspectRatio="xMidYMid meet",
        role="img",
        aria_labelledby=f"{chart_id}-title {chart_id}-desc",
        direction="rtl" if rtl else "ltr",
        font_size=FONT,
    )


def label_text(text: str, x: float, y: float, *, anchor: str = "middle", **attrs) -> Markup:
    """A text label; `anchor` is logical (start = the reading start), which stays right
    when the chart is mirrored because the <svg> carries the reading direction."""
    return el("text", text, x=float(x), y=float(y), text_anchor=anchor, **attrs)
