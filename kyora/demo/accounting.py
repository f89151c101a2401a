"""Demo books for `flask kyora demo`: a year of expenses in several categories, a
monthly rent that books itself, the owner putting money in and taking some out, and
one equipment purchase, all through the accounting services.

Orders inserted in bulk (`--size large`) bypass the services, so their books are
rebuilt from that history first.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from flask_babel import force_locale

from kyora.accounting import chart
from kyora.accounting.books import rebuild_books
from kyora.accounting.expenses import ExpenseDraft, create_category, create_expense
from kyora.accounting.ledger import business_day
from kyora.accounting.owner import OwnerDraft, buy_equipment, put_money_in, take_money_out
from kyora.accounting.recurring import RecurringDraft, create_recurring
from kyora.core.money import quantize

# (category code, typical amount, how many times a year)
SPENDING = (
    ("exp_marketing", 250, 24),
    ("exp_packaging", 90, 18),
    ("exp_shipping", 35, 40),
    ("exp_software", 60, 12),
    ("exp_utilities", 180, 12),
)


def seed(business, owner, size: str, rng: random.Random) -> None:
    """Add a year of books to the demo business (after its orders)."""
    # Category names are compared in a language; the command has no request to pick one.
    with force_locale("en"):
        _seed(business, owner, size, rng)


def _seed(business, owner, size: str, rng: random.Random) -> None:
    today = business_day(business)
    year_ago = today - timedelta(days=364)
    # The demo shop has been selling for a year: its books may start then.
    business.created_at = min(business.created_at, business.created_at - timedelta(days=400))
    if size == "large":
        rebuild_books(business)
    accounts = chart.ensure_chart(business)
    put_money_in(business, owner, OwnerDraft(Decimal("8000"), year_ago, "bank", "Savings"))
    # Restocks are paid in cash: the owner started with a cash float for them.
    put_money_in(business, owner, OwnerDraft(Decimal("30000"), year_ago, "cash", "Stock money"))
    buy_equipment(
        business,
        owner,
        OwnerDraft(Decimal("1850"), year_ago + timedelta(days=12), "bank", "Sewing machine"),
    )
    rent = accounts["exp_rent"]
    create_recurring(
        business,
        owner,
        RecurringDraft(
            Decimal("1500"), rent.id, "bank", "Studio rent", "monthly", year_ago.replace(day=1)
        ),
    )
    photos = create_category(business, owner, "Photography")
    for code_or_account, typical, times in (*SPENDING, (photos, 400, 4)):
        account = accounts[code_or_account] if isinstance(code_or_account, str) else code_or_account
        for _ in range(times):
            day = year_ago + timedelta(days=rng.randrange(365))
            amount = quantize(Decimal(typical) * Decimal(rng.uniform(0.6, 1.4)), business.currency)
            paid_from = rng.choice(("cash", "bank"))
            create_expense(
                business, owner, ExpenseDraft(amount, account.id, min(day, today), paid_from)
            )
    for months_back in (10, 7, 4, 1):
        day = today - timedelta(days=30 * months_back)
        take_money_out(
            business,
            owner,
            OwnerDraft(Decimal("1200"), day, "bank", "Salary for me", confirmed=True),
        )
