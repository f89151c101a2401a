"""Weighted average cost arithmetic."""

from decimal import Decimal

from kyora.inventory.costing import average_cost_of, weighted_average
from kyora.inventory.models import stock_status


def test_weighted_average_of_a_purchase():
    # 3 at 20 plus 5 at 12.50 -> 122.5 / 8
    assert weighted_average(3, Decimal("20"), 5, Decimal("12.5")) == Decimal("15.3125")


def test_first_units_set_the_cost_and_rounding_is_half_up_to_four_places():
    assert weighted_average(0, Decimal("99"), 4, Decimal("7.25")) == Decimal("7.2500")
    assert weighted_average(2, Decimal("1"), 1, Decimal("0")) == Decimal("0.6667")
    assert weighted_average(0, Decimal("5"), 0, Decimal("9")) == Decimal("5.0000")


def test_average_cost_of_several_takes():
    assert average_cost_of([(-2, Decimal("10")), (-1, Decimal("16"))]) == Decimal("12.0000")
    assert average_cost_of([]) is None


def test_stock_status_boundaries():
    assert stock_status(0, 3) == "out"
    assert stock_status(1, 3) == "low"
    assert stock_status(3, 3) == "low"
    assert stock_status(4, 3) == "in"
    assert stock_status(1, 0) == "in"  # threshold 0: only "out" is news
