"""Analytics periods: the money reports' presets and custom ranges, plus rolling ones
(last 30 and 90 days, last 12 months), read from the URL so a page can be shared or
bookmarked; and the buckets (days, weeks or months) a period is charted in.

Custom ranges are checked by `kyora.accounting.periods.parse_period` (junk dates,
end before start, a future end, more than ten years), so both kinds of page refuse
the same things with the same words. `read_period` turns a refusal into this month's
figures plus the messages to show beside the date fields.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kyora.accounting import periods as money_periods
from kyora.accounting.periods import Period
from kyora.core.errors import ValidationFailed

# The order the period menu shows them in.
PRESETS = {
    "today": money_periods.PRESETS["today"],
    "week": money_periods.PRESETS["week"],
    "month": money_periods.PRESETS["month"],
    "last_month": money_periods.PRESETS["last_month"],
    "last_30": _l("Last 30 days"),
    "last_90": _l("Last 90 days"),
    "year": money_periods.PRESETS["year"],
    "last_12_months": _l("Last 12 months"),
    "custom": money_periods.PRESETS["custom"],
}
ROLLING_DAYS = {"last_30": 30, "last_90": 90}
DEFAULT = "month"

# Up to this many days a chart shows one point per day, up to a year one per week,
# beyond that one per month.
DAILY_UP_TO = 62
WEEKLY_UP_TO = 366
DAY, WEEK, MONTH = "day", "week", "month"


def preset(key: str, today: date) -> Period:
    """The dates of a preset around `today` (this month for an unknown key)."""
    if key in ROLLING_DAYS:
        return Period(key, today - timedelta(days=ROLLING_DAYS[key] - 1), today)
    if key == "last_12_months":
        return Period(key, add_months(today.replace(day=1), -11), today)
    return money_periods.preset(key, today)


def parse(args, today: date) -> Period:
    """The period the URL asks for; raises ValidationFailed with a message per field."""
    key = args.get("period") or DEFAULT
    if key not in PRESETS:
        raise ValidationFailed({"period": _("Choose a period from the list.")})
    if key in money_periods.PRESETS:
        return money_periods.parse_period(args, today)
    return preset(key, today)


def read_period(args, today: date) -> tuple[Period, dict[str, str]]:
    """(the period to show, messages for the period form). A refused period falls
    back to this month, so the page still has figures under the messages."""
    try:
        return parse(args, today), {}
    except ValidationFailed as error:
        return preset(DEFAULT, today), error.errors


def days_in(period: Period) -> int:
    return (period.end - period.start).days + 1


def previous(period: Period) -> Period:
    """The same number of days just before `period`, to compare with."""
    length = days_in(period)
    end = period.start - timedelta(days=1)
    return Period("custom", end - timedelta(days=length - 1), end)


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def granularity(period: Period) -> str:
    length = days_in(period)
    if length <= DAILY_UP_TO:
        return DAY
    if length <= WEEKLY_UP_TO:
        return WEEK
    return MONTH


@dataclass(frozen=True)
class Bucket:
    """One point of a chart: the days from `start` to `end`, inside the period."""

    start: date
    end: date


def _next_start(day: date, step: str) -> date:
    if step == DAY:
        return day + timedelta(days=1)
    if step == WEEK:
        return day - timedelta(days=day.weekday()) + timedelta(days=7)
    return add_months(day, 1)


def buckets(period: Period) -> list[Bucket]:
    """The period cut in days, weeks (from Monday) or months; the first and last may
    be partial, cut at the period's own dates."""
    step = granularity(period)
    found = []
    start = period.start
    while start <= period.end:
        following = _next_start(start, step)
        found.append(Bucket(start, min(following - timedelta(days=1), period.end)))
        start = following
    return found


def bucket_index(found: list[Bucket]):
    """A function from a day of the period to the index of its bucket in `found`."""
    starts = [bucket.start for bucket in found]

    def index(day: date) -> int:
        return max(0, bisect_right(starts, day) - 1)

    return index
