"""The owner's figures, in plain terms, computed from ledger sums.

Signs: the ledger keeps debits positive; here every figure is turned the way the
owner reads it (income and what is owed are positive).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from kyora.accounting import chart as c
from kyora.accounting import queries
from kyora.core.money import ZERO

ASSETS = (c.CASH, c.BANK, c.RECEIVABLE, c.OWED_BEFORE, c.INVENTORY, c.EQUIPMENT)
LIABILITIES = (c.VAT, c.CUSTOMER_CREDIT, c.PAYABLE)
INCOME_CODES = (c.SALES, c.DISCOUNTS, c.SHIPPING_INCOME)
BUFFER_DAYS = 30


@dataclass
class Profit:
    """Profit & earnings for a period."""

    gross_sales: Decimal
    discounts: Decimal
    net_sales: Decimal
    shipping: Decimal
    cost_of_goods: Decimal
    gross_profit: Decimal
    expenses: list = field(default_factory=list)  # [(account, amount)]
    total_expenses: Decimal = ZERO
    net_profit: Decimal = ZERO
    vat_collected: Decimal = ZERO

    @property
    def margin(self) -> Decimal | None:
        """Gross profit as a share of what was sold (None when nothing was sold)."""
        income = self.net_sales + self.shipping
        return None if income == 0 else (self.gross_profit / income * 100).quantize(Decimal("0.1"))

    @property
    def net_margin(self) -> Decimal | None:
        income = self.net_sales + self.shipping
        return None if income == 0 else (self.net_profit / income * 100).quantize(Decimal("0.1"))


def profit_from(sums, expense_rows) -> Profit:
    """Profit figures from a period's account movements."""
    gross = -sums[c.SALES]
    discounts = sums[c.DISCOUNTS]
    net_sales = gross - discounts
    shipping = -sums[c.SHIPPING_INCOME]
    cogs = sums[c.COGS]
    others = [(account, amount) for account, amount in expense_rows if account.code != c.COGS]
    total_expenses = sum((amount for _a, amount in others), ZERO)
    gross_profit = net_sales + shipping - cogs
    return Profit(
        gross_sales=gross,
        discounts=discounts,
        net_sales=net_sales,
        shipping=shipping,
        cost_of_goods=cogs,
        gross_profit=gross_profit,
        expenses=others,
        total_expenses=total_expenses,
        net_profit=gross_profit - total_expenses,
    )


def profit(business, start: date, end: date) -> Profit:
    """Profit & earnings from `start` to `end` (two queries)."""
    sums = queries.period_sums(business, start, end)
    result = profit_from(sums, queries.expense_sums(business, start, end))
    result.vat_collected = -sums[c.VAT]
    return result


@dataclass
class Health:
    """What the business owns and owes, and the owner's stake, at the end of a day."""

    own: list  # [(code, amount)]
    owe: list
    capital: Decimal
    drawings: Decimal
    earnings: Decimal

    @property
    def total_own(self) -> Decimal:
        return sum((amount for _c, amount in self.own), ZERO)

    @property
    def total_owe(self) -> Decimal:
        return sum((amount for _c, amount in self.owe), ZERO)

    @property
    def stake(self) -> Decimal:
        return self.capital - self.drawings + self.earnings


def health_from(balances) -> Health:
    """Health from account balances: earnings are everything not an asset,
    liability or owner account, so own = owe + stake holds by construction."""
    known = set(ASSETS) | set(LIABILITIES) | {c.CAPITAL, c.DRAWINGS, c.RETAINED}
    earnings = -sum((amount for code, amount in balances.items() if code not in known), ZERO)
    return Health(
        own=[(code, balances[code]) for code in ASSETS],
        owe=[(code, -balances[code]) for code in LIABILITIES],
        capital=-balances[c.CAPITAL],
        drawings=balances[c.DRAWINGS],
        earnings=earnings - balances[c.RETAINED],
    )


def health(business, as_of: date) -> Health:
    """Business health at the end of `as_of` (one query)."""
    return health_from(queries.balances(business, as_of))


@dataclass
class Home:
    cash: Decimal
    bank: Decimal
    owed_to_you: Decimal
    vat_owed: Decimal
    buffer: Decimal
    buffer_is_default: bool
    safe_to_take_out: Decimal
    month_profit: Decimal

    @property
    def cash_in_hand(self) -> Decimal:
        return self.cash + self.bank


def safe_amount(cash_total: Decimal, vat_owed: Decimal, buffer: Decimal) -> Decimal:
    """max(0, cash − VAT owed − safety buffer)."""
    return max(ZERO, cash_total - max(vat_owed, ZERO) - buffer)


def home(business, today: date) -> Home:
    """The money home's figures (one query)."""
    month_start = today.replace(day=1)
    buffer_start = today - timedelta(days=BUFFER_DAYS - 1)
    totals, month, spent = queries.home_sums(
        business, today, month_start, buffer_start, c.NON_CASH_EXPENSES
    )
    buffer = business.safety_buffer if business.safety_buffer is not None else spent
    cash_total = totals[c.CASH] + totals[c.BANK]
    vat_owed = -totals[c.VAT]
    month_profit = -sum(
        (amount for code, amount in month.items() if code in _pl_codes(month)), ZERO
    )
    return Home(
        cash=totals[c.CASH],
        bank=totals[c.BANK],
        owed_to_you=totals[c.RECEIVABLE],
        vat_owed=vat_owed,
        buffer=buffer,
        buffer_is_default=business.safety_buffer is None,
        safe_to_take_out=safe_amount(cash_total, vat_owed, buffer),
        month_profit=month_profit,
    )


def _pl_codes(sums) -> set[str]:
    known = set(ASSETS) | set(LIABILITIES) | {c.CAPITAL, c.DRAWINGS, c.RETAINED}
    return {code for code in sums if code not in known}
