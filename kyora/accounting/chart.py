"""The chart of accounts every business gets, and the words each account shows.

Codes are stable (entries and reports refer to them); names are translated when
shown. Expense categories are expense accounts with `is_category` set: the
defaults below plus the owner's own.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from kyora.accounting.models import ASSET, EQUITY, EXPENSE, INCOME, LIABILITY, LedgerAccount
from kyora.core.db import transaction_memo
from kyora.extensions import db

CASH, BANK, RECEIVABLE, INVENTORY, EQUIPMENT = (
    "cash",
    "bank",
    "receivable",
    "inventory",
    "equipment",
)
OWED_BEFORE = "owed_before"
VAT, CUSTOMER_CREDIT, PAYABLE = "vat", "customer_credit", "payable"
CAPITAL, DRAWINGS, RETAINED = "owner_capital", "owner_drawings", "retained_earnings"
SALES, DISCOUNTS, SHIPPING_INCOME = "sales", "discounts", "shipping_income"
COGS, FEES, STOCK_LOSSES = "cogs", "payment_fees", "stock_losses"

# (code, type, words on screen, offered as an expense category)
CHART = (
    (CASH, ASSET, _l("Cash"), False),
    (BANK, ASSET, _l("Bank"), False),
    (RECEIVABLE, ASSET, _l("Customers owe you"), False),
    (OWED_BEFORE, ASSET, _l("Owed to you from before Kyora"), False),
    (INVENTORY, ASSET, _l("Stock"), False),
    (EQUIPMENT, ASSET, _l("Equipment"), False),
    (VAT, LIABILITY, _l("VAT owed"), False),
    (CUSTOMER_CREDIT, LIABILITY, _l("Paid before confirmation"), False),
    (PAYABLE, LIABILITY, _l("What you owe others"), False),
    (CAPITAL, EQUITY, _l("Money you put in"), False),
    (DRAWINGS, EQUITY, _l("Money you took out"), False),
    (RETAINED, EQUITY, _l("Profit kept in the business"), False),
    (SALES, INCOME, _l("Sales"), False),
    (DISCOUNTS, INCOME, _l("Discounts"), False),
    (SHIPPING_INCOME, INCOME, _l("Delivery charged"), False),
    (COGS, EXPENSE, _l("Cost of goods sold"), False),
    (FEES, EXPENSE, _l("Payment fees"), True),
    (STOCK_LOSSES, EXPENSE, _l("Stock losses"), False),
    ("exp_rent", EXPENSE, _l("Rent"), True),
    ("exp_marketing", EXPENSE, _l("Marketing"), True),
    ("exp_shipping", EXPENSE, _l("Delivery costs"), True),
    ("exp_packaging", EXPENSE, _l("Packaging"), True),
    ("exp_software", EXPENSE, _l("Software"), True),
    ("exp_salaries", EXPENSE, _l("Salaries"), True),
    ("exp_utilities", EXPENSE, _l("Utilities"), True),
    ("exp_other", EXPENSE, _l("Other"), True),
)
NAMES = {code: label for code, _type, label, _cat in CHART}
CASH_ACCOUNTS = (CASH, BANK)
# Expenses that are money spent (what the safety buffer looks at), not goods or losses.
NON_CASH_EXPENSES = (COGS, STOCK_LOSSES)


def account_name(account: LedgerAccount) -> str:
    """What the owner sees for `account`, in the current language."""
    if account.name:
        return account.name
    label = NAMES.get(account.code)
    return str(label) if label is not None else account.code


def ensure_chart(business) -> dict[str, LedgerAccount]:
    """The business's accounts by code, creating any missing ones (idempotent)."""
    accounts = {
        account.code: account
        for account in db.session.scalars(
            sa.select(LedgerAccount).where(LedgerAccount.business_id == business.id)
        )
    }
    missing = [row for row in CHART if row[0] not in accounts]
    for position, (code, kind, _label, is_category) in enumerate(CHART):
        if (code, kind, _label, is_category) in missing:
            account = LedgerAccount(
                business_id=business.id,
                code=code,
                type=kind,
                is_category=is_category,
                position=position,
            )
            db.session.add(account)
            accounts[code] = account
    if missing:
        db.session.flush()
    return accounts


def posting_accounts(business) -> dict[str, LedgerAccount]:
    """The accounts by code, as `ensure_chart`, read once per transaction: one save posts
    the sale and then its payment. Postings name only the fixed codes of `CHART`, whose
    rows are never deleted."""
    memo = transaction_memo(db.session(), "kyora.posting_accounts")
    if business.id not in memo:
        # The fixed accounts do not depend on what the caller has pending: read without
        # flushing, the posting's own flush then writes everything in one go.
        with db.session.no_autoflush:
            memo[business.id] = ensure_chart(business)
    return memo[business.id]


def categories(business, include_archived: bool = False) -> list[LedgerAccount]:
    """The expense categories, defaults first, then the owner's own by name."""
    ensure_chart(business)
    query = sa.select(LedgerAccount).where(
        LedgerAccount.business_id == business.id, LedgerAccount.is_category.is_(True)
    )
    if not include_archived:
        query = query.where(LedgerAccount.archived.is_(False))
    return list(db.session.scalars(query.order_by(LedgerAccount.position, LedgerAccount.name)))
