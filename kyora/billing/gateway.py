"""The Stripe client, built from the settings (STRIPE_SECRET_KEY, STRIPE_API_BASE).

One `stripe.StripeClient` per app; STRIPE_API_BASE points it at another address (the
tests' local fake Stripe), so the real SDK is what runs everywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime

import stripe
from flask import current_app


def client() -> stripe.StripeClient:
    """The app's Stripe client (made once, on first use)."""
    cached = current_app.extensions.get("kyora_stripe")
    if cached is None:
        base = current_app.config.get("STRIPE_API_BASE") or None
        cached = stripe.StripeClient(
            current_app.config["STRIPE_SECRET_KEY"],
            base_addresses={"api": base} if base else None,
            max_network_retries=2,
        )
        current_app.extensions["kyora_stripe"] = cached
    return cached


def value(obj, name: str, default=None):
    """A field of a Stripe object or of a plain dict (webhook payloads), else `default`."""
    if obj is None:
        return default
    try:
        found = obj[name]
    except (KeyError, TypeError, AttributeError):
        return default
    return default if found is None else found


def timestamp(seconds) -> datetime | None:
    """A Stripe Unix time as an aware UTC datetime."""
    return datetime.fromtimestamp(int(seconds), UTC) if seconds else None
