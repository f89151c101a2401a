"""`flask kyora billing sync-plans`: the paid plans as Stripe products and prices.

Idempotent by lookup key: a run finds each plan's price by its lookup key and only
creates what is missing. A changed amount makes a new price that takes the lookup key
over (Stripe prices cannot change their amount); the old one is archived.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from kyora.billing import gateway, plans
from kyora.billing.gateway import value

billing_cli = AppGroup("billing", help="Stripe billing: plans.")


def _minor_units(plan: plans.Plan) -> int:
    return int(plan.price * 100)


def sync_plan(plan: plans.Plan, currency: str) -> str:
    """Make sure `plan` has a Stripe product and a monthly price; says what was done."""
    client = gateway.client().v1
    found = client.prices.list(
        params={"lookup_keys": [plan.lookup_key], "expand": ["data.product"], "limit": 1}
    ).data
    existing = found[0] if found else None
    amount, code = _minor_units(plan), currency.lower()
    if (
        existing is not None
        and value(existing, "unit_amount") == amount
        and (value(existing, "currency") == code)
    ):
        product = value(existing, "product")
        if value(product, "name") != f"Kyora {plan.key.title()}":
            client.products.update(
                value(product, "id"), params={"name": f"Kyora {plan.key.title()}"}
            )
            return "renamed"
        return "unchanged"
    if existing is not None:
        product_id = value(value(existing, "product"), "id")
    else:
        product_id = client.products.create(
            params={"name": f"Kyora {plan.key.title()}", "metadata": {"plan": plan.key}},
            options={"idempotency_key": f"kyora-product-{plan.key}"},
        ).id
    client.prices.create(
        params={
            "product": product_id,
            "currency": code,
            "unit_amount": amount,
            "recurring": {"interval": "month"},
            "lookup_key": plan.lookup_key,
            "transfer_lookup_key": True,
            "metadata": {"plan": plan.key},
        },
        options={"idempotency_key": f"kyora-price-{plan.key}-{code}-{amount}"},
    )
    if existing is not None:
        client.prices.update(value(existing, "id"), params={"active": False})
        return "updated"
    return "created"


@billing_cli.command("sync-plans")
def sync_plans_command():
    """Create or update the Stripe products and prices of the paid plans."""
    from flask import current_app

    if not plans.enabled():
        raise click.ClickException("STRIPE_SECRET_KEY is not set: billing is off.")
    currency = current_app.config["BILLING_CURRENCY"]
    for plan in plans.all_plans():
        if plan.is_free:
            continue
        click.echo(f"{plan.key}: {sync_plan(plan, currency)}")
