"""Plain words for what happened in the books ("You paid AED 300 for Rent")."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from kyora.accounting.chart import account_name


def _customer(data) -> str:
    return data.get("customer") or _("a customer")


def describe(entry, accounts: dict, money) -> str:
    """One sentence for `entry`; `money` formats an amount, `accounts` maps ids to accounts."""
    data = entry.data or {}
    amount = money(Decimal(data.get("amount") or entry.total))
    number = data.get("number")
    kind = entry.kind
    if kind == "payment":
        return _(
            "%(customer)s paid %(amount)s for order #%(number)s",
            customer=_customer(data),
            amount=amount,
            number=number,
        )
    if kind == "refund":
        return _(
            "You gave %(customer)s back %(amount)s for order #%(number)s",
            customer=_customer(data),
            amount=amount,
            number=number,
        )
    if kind == "sale":
        return _("Order #%(number)s is a sale of %(amount)s", number=number, amount=amount)
    if kind == "cancel":
        return _("Order #%(number)s was cancelled, so its sale was undone", number=number)
    if kind == "return":
        return _("Order #%(number)s came back, so its sale was undone", number=number)
    if kind == "order_edit":
        return _("Order #%(number)s changed: it is now %(amount)s", number=number, amount=amount)
    if kind in ("expense", "expense_reversal"):
        account = accounts.get(data.get("account_id"))
        category = account_name(account) if account is not None else _("an expense")
        if kind == "expense":
            return _("You paid %(amount)s for %(category)s", amount=amount, category=category)
        return _(
            "An expense of %(amount)s for %(category)s was taken off",
            amount=amount,
            category=category,
        )
    simple = {
        "owner_in": _("You put %(amount)s into the business"),
        "owner_out": _("You took %(amount)s out of the business"),
        "equipment": _("You bought equipment for %(amount)s"),
        "stock_purchase": _("You bought stock for %(amount)s"),
        "stock_in": _("Stock worth %(amount)s was added"),
        "stock_loss": _("Stock worth %(amount)s was lost, damaged or removed"),
        "stock_true_up": _("Your stock's value was brought in line (%(amount)s)"),
        "opening": _("You entered what you had when you started (%(amount)s)"),
        "opening_reversal": _("Your earlier starting point was replaced"),
    }
    text = simple.get(kind)
    return text % {"amount": amount} if text else amount
