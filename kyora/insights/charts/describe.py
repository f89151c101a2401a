"""What a chart says in words (its summary, the text alternative) and its data table.

Every sentence is one translated message with named placeholders; values go through the
caller's formatter, shares through Babel's percent format in the viewer's locale.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal, format_percent
from flask_babel import get_locale
from flask_babel import gettext as _


def nothing_yet() -> str:
    return _("Nothing to show yet.")


def has_data(values: list[Decimal | None]) -> bool:
    """True when some value is there and not zero: zero everywhere is nothing yet."""
    return any(value for value in values if value is not None)


def cell(value: Decimal | None, fmt) -> str:
    return _("no data") if value is None else fmt(value)


def total(values: list[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


def series_sentence(name: str, labels: list[str], values: list[Decimal | None], fmt) -> str:
    """'Sales: highest 900 on 3 Nov, lowest 100 on 1 Nov, total 1,500.'"""
    points = [
        (value, label) for value, label in zip(values, labels, strict=True) if value is not None
    ]
    if not points:
        return _("%(series)s: no data yet.", series=name)
    if len(points) == 1:
        value, label = points[0]
        return _("%(series)s: %(value)s on %(label)s.", series=name, value=fmt(value), label=label)
    high, label_high = max(points, key=lambda point: point[0])
    low, label_low = min(points, key=lambda point: point[0])
    return _(
        "%(series)s: highest %(high)s on %(label)s, lowest %(low)s on %(label_low)s,"
        " total %(total)s.",
        series=name,
        high=fmt(high),
        label=label_high,
        low=fmt(low),
        label_low=label_low,
        total=fmt(total(values)),
    )


def series_summary(labels: list[str], series, rows: list[list[Decimal | None]], fmt) -> str:
    """One sentence per series, or 'nothing yet' when every value is zero or missing."""
    if not any(has_data(values) for values in rows):
        return nothing_yet()
    return " ".join(
        series_sentence(one.name, labels, values, fmt)
        for one, values in zip(series, rows, strict=True)
    )


def stacked_summary(labels: list[str], series, rows: list[list[Decimal | None]], fmt) -> str:
    """The label with the highest combined value, then each series' total."""
    if not any(has_data(values) for values in rows):
        return nothing_yet()
    totals = [total(list(column)) for column in zip(*rows, strict=True)]
    best = max((i for i, value in enumerate(totals) if value is not None), key=lambda i: totals[i])
    sentences = [
        _("Highest total %(total)s on %(label)s.", total=fmt(totals[best]), label=labels[best])
    ]
    for one, values in zip(series, rows, strict=True):
        found = total(values)
        if found is not None:
            sentences.append(_("%(series)s: total %(total)s.", series=one.name, total=fmt(found)))
    return " ".join(sentences)


def series_table(
    labels: list[str], series, rows: list[list[Decimal | None]], fmt, heading, *, totals=False
) -> tuple[list[str], list[list[str]]]:
    """Columns and rows: one row per label, one column per series (and a total)."""
    columns = [heading or _("Period"), *(one.name for one in series)]
    if totals:
        columns.append(_("Total"))
    table = []
    for i, label in enumerate(labels):
        values = [values[i] for values in rows]
        line = [label, *(cell(value, fmt) for value in values)]
        if totals:
            line.append(cell(total(values), fmt))
        table.append(line)
    return columns, table


def share(part: Decimal, whole: Decimal) -> str:
    """'34%' in the viewer's locale; a part of nothing is 0%."""
    ratio = part / whole if whole > 0 and part > 0 else Decimal(0)
    return format_percent(ratio, locale=get_locale() or "en")


def donut_summary(slices: list[tuple[str, Decimal | None]]) -> str:
    """'Instagram is the largest share: 48%.'"""
    positive = [(name, value) for name, value in slices if value is not None and value > 0]
    if not positive:
        return nothing_yet()
    whole = sum((value for _name, value in positive), Decimal(0))
    name, value = max(positive, key=lambda item: item[1])
    return _("%(name)s is the largest share: %(share)s.", name=name, share=share(value, whole))


def donut_table(
    slices: list[tuple[str, Decimal | None]], fmt, heading
) -> tuple[list[str], list[list[str]]]:
    whole = sum((value for _name, value in slices if value is not None and value > 0), Decimal(0))
    columns = [heading or _("Name"), _("Value"), _("Share of total")]
    rows = [[name, cell(value, fmt), share(value or Decimal(0), whole)] for name, value in slices]
    return columns, rows


def sparkline_summary(values: list[Decimal | None], fmt) -> str:
    """'From 120 to 340, highest 400.'"""
    present = [value for value in values if value is not None]
    if not has_data(values):
        return nothing_yet()
    if len(present) == 1:
        return _("Only one value: %(value)s.", value=fmt(present[0]))
    return _(
        "From %(first)s to %(last)s, highest %(high)s.",
        first=fmt(present[0]),
        last=fmt(present[-1]),
        high=fmt(max(present)),
    )


def sparkline_table(values: list[Decimal | None], fmt, title: str):
    columns = [_("Point"), title]
    rows = [
        [format_decimal(i, locale=get_locale() or "en"), cell(value, fmt)]
        for i, value in enumerate(values, start=1)
    ]
    return columns, rows
