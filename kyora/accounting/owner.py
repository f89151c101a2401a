"""The owner's own money: putting money in, taking it out, buying equipment, and the
one-time "what I have today" starting point."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from kyora.accounting import chart as c
from kyora.accounting import figures
from kyora.accounting.inputs import check_amount, check_day, check_note
from kyora.accounting.ledger import business_day, post, reverse
from kyora.accounting.models import PAID_FROM, JournalEntry
from kyora.core.errors import ValidationFailed
from kyora.core.money import format_money
from kyora.extensions import db

OWNER_KINDS = ("owner_in", "owner_out", "equipment")


class AboveSafe(ValidationFailed):
    """A withdrawal above what is safe to take out, not confirmed yet."""


@dataclass
class OwnerDraft:
    amount: object = None
    day: object = None
    account: str = "cash"
    note: str = ""
    confirmed: bool = False


def _clean(business, draft: OwnerDraft):
    errors, values = {}, {}
    for name, check in (
        ("amount", lambda: check_amount(business, draft.amount)),
        ("day", lambda: check_day(business, draft.day, "day")),
        ("note", lambda: check_note(draft.note)),
    ):
        try:
            values[name] = check()
        except ValidationFailed as error:
            errors.update(error.errors)
    if draft.account not in PAID_FROM:
        errors["account"] = _("Choose cash or bank.")
    if errors:
        raise ValidationFailed(errors)
    return values["amount"], values["day"], values["note"]


def put_money_in(business, actor, draft: OwnerDraft) -> JournalEntry:
    """The owner adds their own money to the business."""
    amount, day, note = _clean(business, draft)
    return post(
        business,
        "owner_in",
        day,
        [(draft.account, amount), (c.CAPITAL, -amount)],
        memo=note,
        actor=actor,
        data={"account": draft.account},
    )


def take_money_out(business, actor, draft: OwnerDraft) -> JournalEntry:
    """The owner takes money for themselves; above the safe amount it needs a confirmation."""
    amount, day, note = _clean(business, draft)
    safe = figures.home(business, business_day(business)).safe_to_take_out
    if amount > safe and not draft.confirmed:
        locale = str(get_locale() or "en")
        raise AboveSafe(
            {
                "amount": _(
                    "This is more than the %(safe)s that is safe to take out: the business may "
                    "be short for VAT or next month's costs. Tick “Yes, take it out” to go ahead.",
                    safe=format_money(safe, business.currency, locale),
                )
            }
        )
    return post(
        business,
        "owner_out",
        day,
        [(c.DRAWINGS, amount), (draft.account, -amount)],
        memo=note,
        actor=actor,
        data={"account": draft.account},
    )


def buy_equipment(business, actor, draft: OwnerDraft) -> JournalEntry:
    """Equipment bought for the business (kept as something it owns, not an expense)."""
    amount, day, note = _clean(business, draft)
    return post(
        business,
        "equipment",
        day,
        [(c.EQUIPMENT, amount), (draft.account, -amount)],
        memo=note,
        actor=actor,
        data={"account": draft.account},
    )


@dataclass
class StartingPoint:
    cash: object = None
    bank: object = None
    owed_to_you: object = None
    you_owe: object = None


def current_opening(business) -> JournalEntry | None:
    """The starting-point entry in force (the newest one not reversed).

    Both reads go through the (business, kind) index: a starting point is only ever
    reversed by an "opening_reversal" entry (`set_starting_point`)."""
    reversed_ids = sa.select(JournalEntry.reverses_id).where(
        JournalEntry.business_id == business.id, JournalEntry.kind == "opening_reversal"
    )
    return db.session.scalar(
        sa.select(JournalEntry)
        .where(
            JournalEntry.business_id == business.id,
            JournalEntry.kind == "opening",
            JournalEntry.id.not_in(reversed_ids),
        )
        .order_by(JournalEntry.id.desc())
        .limit(1)
    )


def opening_figures(business, entry: JournalEntry | None) -> StartingPoint:
    """What a starting-point entry says, field by field."""
    if entry is None:
        return StartingPoint()
    data = entry.data or {}
    return StartingPoint(
        data.get("cash"), data.get("bank"), data.get("owed_to_you"), data.get("you_owe")
    )


def set_starting_point(business, actor, point: StartingPoint) -> JournalEntry | None:
    """What the business has today (cash, bank, owed to it, what it owes), against the
    owner's stake. Entering it again replaces the earlier one."""
    errors, values = {}, {}
    for name in ("cash", "bank", "owed_to_you", "you_owe"):
        try:
            values[name] = check_amount(business, getattr(point, name), name, allow_zero=True)
        except ValidationFailed as error:
            errors.update(error.errors)
    if errors:
        raise ValidationFailed(errors)
    if not any(values.values()):
        raise ValidationFailed({"cash": _("Enter at least one amount.")})
    today = business_day(business)
    earlier = current_opening(business)
    if earlier is not None:
        reverse(business, earlier, "opening_reversal", today, actor=actor)
    stake = values["cash"] + values["bank"] + values["owed_to_you"] - values["you_owe"]
    return post(
        business,
        "opening",
        today,
        [
            (c.CASH, values["cash"]),
            (c.BANK, values["bank"]),
            (c.OWED_BEFORE, values["owed_to_you"]),
            (c.PAYABLE, -values["you_owe"]),
            (c.CAPITAL, -stake),
        ],
        actor=actor,
        data={name: str(value) for name, value in values.items()},
    )
