"""Analytics periods from the URL: presets, custom ranges, refusals with a fallback,
the period before, and the buckets a chart is drawn in."""

from datetime import date

import pytest

from kyora.core.errors import ValidationFailed
from kyora.insights import periods as p

TODAY = date(2026, 3, 18)  # a Wednesday


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("today", date(2026, 3, 18), date(2026, 3, 18)),
        ("week", date(2026, 3, 16), date(2026, 3, 18)),
        ("month", date(2026, 3, 1), date(2026, 3, 18)),
        ("last_month", date(2026, 2, 1), date(2026, 2, 28)),
        ("last_30", date(2026, 2, 17), date(2026, 3, 18)),
        ("last_90", date(2025, 12, 19), date(2026, 3, 18)),
        ("year", date(2026, 1, 1), date(2026, 3, 18)),
        ("last_12_months", date(2025, 4, 1), date(2026, 3, 18)),
    ],
)
def test_presets_cover_the_days_their_names_promise(key, start, end):
    period = p.parse({"period": key}, TODAY)
    assert (period.key, period.start, period.end) == (key, start, end)
    assert period.args() == {"period": key}


def test_no_period_in_the_url_is_this_month():
    assert p.parse({}, TODAY) == p.preset("month", TODAY)


def test_a_custom_range_round_trips_through_the_url():
    args = {"period": "custom", "from": "2025-11-03", "to": "2026-01-10"}
    period = p.parse(args, TODAY)
    assert (period.start, period.end) == (date(2025, 11, 3), date(2026, 1, 10))
    assert period.args() == args


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"period": "forever"}, "period"),
        ({"period": "custom", "from": "2026-03-10", "to": "2026-03-01"}, "to"),
        ({"period": "custom", "from": "1926-01-01", "to": "2026-01-01"}, "from"),
        ({"period": "custom", "from": "2010-01-01", "to": "2026-01-01"}, "to"),
        ({"period": "custom", "from": "2026-03-01", "to": "2026-04-01"}, "to"),
        ({"period": "custom", "from": "2027-01-01", "to": "2027-02-01"}, "to"),
        ({"period": "custom", "from": "yesterday", "to": "2026-03-01"}, "from"),
        ({"period": "custom", "from": "2026-02-30", "to": "2026-03-01"}, "from"),
        ({"period": "custom", "from": "2026-01-01", "to": "99999-01-01"}, "to"),
        ({"period": "custom"}, "from"),
    ],
)
def test_bad_periods_are_refused_beside_the_right_field_and_fall_back_to_this_month(args, field):
    with pytest.raises(ValidationFailed) as refused:
        p.parse(args, TODAY)
    assert field in refused.value.errors
    period, errors = p.read_period(args, TODAY)
    assert period == p.preset("month", TODAY)
    assert errors == refused.value.errors


def test_the_period_before_has_the_same_number_of_days():
    before = p.previous(p.parse({"period": "last_30"}, TODAY))
    assert (before.start, before.end) == (date(2026, 1, 18), date(2026, 2, 16))
    before = p.previous(p.preset("today", TODAY))
    assert (before.start, before.end) == (date(2026, 3, 17), date(2026, 3, 17))


def test_charts_use_days_up_to_two_months_then_weeks_then_months():
    assert p.granularity(p.preset("last_30", TODAY)) == p.DAY
    days = p.buckets(p.preset("month", TODAY))
    assert len(days) == 18 and days[0] == p.Bucket(date(2026, 3, 1), date(2026, 3, 1))

    weeks = p.buckets(p.preset("last_90", TODAY))
    assert p.granularity(p.preset("last_90", TODAY)) == p.WEEK
    # Partial first week (Friday to Sunday), whole weeks from Monday, partial last one.
    assert weeks[0] == p.Bucket(date(2025, 12, 19), date(2025, 12, 21))
    assert weeks[1] == p.Bucket(date(2025, 12, 22), date(2025, 12, 28))
    assert weeks[-1] == p.Bucket(date(2026, 3, 16), date(2026, 3, 18))

    long = p.parse({"period": "custom", "from": "2024-02-10", "to": "2026-03-18"}, TODAY)
    months = p.buckets(long)
    assert p.granularity(long) == p.MONTH
    assert months[0] == p.Bucket(date(2024, 2, 10), date(2024, 2, 29))
    assert months[1] == p.Bucket(date(2024, 3, 1), date(2024, 3, 31))
    assert months[-1] == p.Bucket(date(2026, 3, 1), date(2026, 3, 18))
    assert len(months) == 26


def test_every_day_of_a_period_lands_in_the_bucket_that_holds_it():
    period = p.preset("last_12_months", TODAY)
    found = p.buckets(period)
    index = p.bucket_index(found)
    day = period.start
    while day <= period.end:
        bucket = found[index(day)]
        assert bucket.start <= day <= bucket.end
        day = date.fromordinal(day.toordinal() + 1)
    assert sum((b.end - b.start).days + 1 for b in found) == p.days_in(period)
