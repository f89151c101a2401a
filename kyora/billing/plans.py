"""The plans from the settings (BILLING_PLANS), with their names and Stripe lookup keys.

A limit of None is unlimited: `allows(limit, count)` is the one place that reads it,
so "unlimited" never turns into "nothing allowed".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l

STARTER = "starter"

NAMES = {
    "starter": _l("Starter"),
    "professional": _l("Professional"),
    "enterprise": _l("Enterprise"),
}


@dataclass(frozen=True)
class Plan:
    key: str
    price: Decimal
    orders: int | None
    members: int | None
    businesses: int | None

    @property
    def name(self) -> str:
        return str(NAMES.get(self.key, self.key.title()))

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def lookup_key(self) -> str:
        """The Stripe price's lookup key (stable across price changes)."""
        return f"kyora_{self.key}_monthly"

    @property
    def rank(self) -> int:
        return [plan.key for plan in all_plans()].index(self.key)


def enabled() -> bool:
    """Billing is on only when a Stripe secret key is configured."""
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def all_plans() -> list[Plan]:
    return [
        Plan(
            key=row["key"],
            price=Decimal(str(row["price"])),
            orders=row.get("orders"),
            members=row.get("members"),
            businesses=row.get("businesses"),
        )
        for row in current_app.config["BILLING_PLANS"]
    ]


def get_plan(key: str | None) -> Plan | None:
    return next((plan for plan in all_plans() if plan.key == key), None)


def free_plan() -> Plan:
    return next(plan for plan in all_plans() if plan.is_free)


def plan_for_lookup_key(lookup_key: str | None) -> Plan | None:
    return next((plan for plan in all_plans() if plan.lookup_key == lookup_key), None)


def allows(limit: int | None, count: int) -> bool:
    """True when `count` things fit in `limit` (None: unlimited)."""
    return limit is None or count <= limit
