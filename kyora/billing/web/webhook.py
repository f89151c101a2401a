"""The Stripe webhook (/stripe/webhook).

The webhook is exempt from CSRF: Stripe signs the raw body instead, and a request
whose signature does not match changes nothing (400).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import request

from kyora.billing import webhooks
from kyora.billing.web.blueprint import bp
from kyora.core.permissions import public
from kyora.extensions import csrf, db


@bp.post("/stripe/webhook")
@csrf.exempt
@public
def webhook():
    try:
        event = webhooks.verify(
            request.get_data(cache=False), request.headers.get("Stripe-Signature")
        )
    except webhooks.BadSignature:
        return {"error": "invalid signature"}, 400
    try:
        webhooks.handle_event(event)
        db.session.commit()
    except sa.exc.IntegrityError:
        # The same event, delivered twice at once: the other delivery applied it.
        db.session.rollback()
    return {"received": True}, 200
