"""Report periods: presets (today, this week, this month, last month, this year) and
custom ranges read from the URL, checked so a bad range gets a clear message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kyora.core.errors import ValidationFailed

PRESETS = {
    "today": _l("Today"),
    "week": _l("This week"),
    "month": _l("This month"),
    "last_month": _l("Last month"),
    "year": _l("This year"),
    "custom": _l("Choose dates"),
}
MAX_DAYS = 366 * 10
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date

    def args(self) -> dict:
        if self.key == "custom":
            return {"period": "custom", "from": self.start.isoformat(), "to": self.end.isoformat()}
        return {"period": self.key}


def preset(key: str, today: date) -> Period:
    """The dates of a preset period around `today` (weeks start on Monday)."""
    if key == "today":
        return Period(key, today, today)
    if key == "week":
        return Period(key, today - timedelta(days=today.weekday()), today)
    if key == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return Period(key, end.replace(day=1), end)
    if key == "year":
        return Period(key, today.replace(month=1, day=1), today)
    return Period("month", today.replace(day=1), today)


def _date(text: str | None, field: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationFailed({field: _("Enter a date, like 2025-03-31.")}) from None


def parse_period(args, today: date) -> Period:
    """The period the URL asks for (this month when it asks for none)."""
    key = args.get("period") or "month"
    if key not in PRESETS:
        raise ValidationFailed({"period": _("Choose a period from the list.")})
    if key != "custom":
        return preset(key, today)
    start = _date(args.get("from"), "from")
    end = _date(args.get("to"), "to")
    if start < EARLIEST:
        raise ValidationFailed({"from": _("Choose a start date in 2000 or later.")})
    if end < start:
        raise ValidationFailed({"to": _("The end date is before the start date.")})
    if end > today:
        raise ValidationFailed({"to": _("The end date is in the future. Use today or earlier.")})
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed({"to": _("Choose a period of ten years or less.")})
    return Period("custom", start, end)


def parse_day(args, today: date, name: str = "on") -> date:
    """A single 'as of' date from the URL (today when missing)."""
    if not args.get(name):
        return today
    day = _date(args.get(name), name)
    if day < EARLIEST:
        raise ValidationFailed({name: _("Choose a date in 2000 or later.")})
    if day > today:
        raise ValidationFailed({name: _("This date is in the future. Use today or earlier.")})
    return day
