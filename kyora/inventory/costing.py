"""Pure stock arithmetic: weighted average cost, plain amounts (no app, no database)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kyora.core.money import quantize

# Average costs keep 4 decimals (the Money(scale=4) column), finer than any currency,
# so rounding each step stays far below a cent over a long run of purchases.
AVG_QUANTUM = Decimal("0.0001")


def weighted_average(stock: int, avg_cost: Decimal, quantity: int, unit_cost: Decimal) -> Decimal:
    """The average cost per unit after adding `quantity` units bought at `unit_cost`.

    With nothing on hand (or a negative count, which cannot happen), the new
    units set the cost on their own.
    """
    stock = max(int(stock), 0)
    total = stock + int(quantity)
    if total <= 0:
        return Decimal(avg_cost).quantize(AVG_QUANTUM, rounding=ROUND_HALF_UP)
    value = Decimal(stock) * Decimal(avg_cost) + Decimal(quantity) * Decimal(unit_cost)
    return (value / Decimal(total)).quantize(AVG_QUANTUM, rounding=ROUND_HALF_UP)


def average_cost_of(quantities_and_costs: list[tuple[int, Decimal]]) -> Decimal | None:
    """The quantity-weighted mean of several (quantity, unit cost) pairs, or None."""
    units = sum(abs(q) for q, _cost in quantities_and_costs)
    if units == 0:
        return None
    value = sum(Decimal(abs(q)) * Decimal(cost) for q, cost in quantities_and_costs)
    return (value / Decimal(units)).quantize(AVG_QUANTUM, rounding=ROUND_HALF_UP)


def plain_amount(amount: Decimal, currency: str) -> Decimal:
    """The currency's decimals, or more when an average cost needs them (15.3125)."""
    rounded = quantize(amount, currency)
    return rounded if rounded == amount else Decimal(format(amount.normalize(), "f"))
