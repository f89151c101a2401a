"""The orders blueprints. View modules import them from here and attach their routes;
this module imports none of them, so the views and the wiring never import each other.
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import get_locale

from kyora.core.tenancy import business_blueprint

# /b/<handle>/orders/...: the list, an order's page and receipt, quick entry and edits.
bp = business_blueprint("orders", __name__, url_prefix="/orders")
# /b/<handle>/settings/...: delivery zones, payment methods and the default channel.
settings_bp = business_blueprint("order_settings", __name__, url_prefix="/settings")
# /o/<token>: the customer's order status page (no login).
status_bp = Blueprint("order_status", __name__, url_prefix="/o")

BLUEPRINTS = (bp, settings_bp, status_bp)


def locale() -> str:
    """The language of the current request ("en", "ar"), for money and names in views."""
    return str(get_locale() or "en")
