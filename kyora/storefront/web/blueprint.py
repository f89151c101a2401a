"""The storefront blueprints and what every shop page shares.

Shop pages load the open shop at `<handle>` (404 when it is closed, archived or
unknown) into `g.business` (its currency and time zone then format the page) and
`g.shop_settings`; `url_defaults` puts the handle back, so `url_for("storefront.cart")`
needs none. The shopper picks the language with `?lang=`, remembered in the same
cookie the rest of Kyora reads.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, current_app, g, request

from kyora.core.i18n import LANG_COOKIE
from kyora.core.security import CSP
from kyora.core.tenancy import business_blueprint
from kyora.storefront.cart import COOKIE, Cart, dump_cart, load_cart
from kyora.storefront.settings import find_open_shop

bp = Blueprint("storefront", __name__, url_prefix="/s/<handle>")
site_bp = Blueprint("storefront_site", __name__)
settings_bp = business_blueprint("storefront_settings", __name__, url_prefix="/settings/shop")

BLUEPRINTS = (bp, site_bp, settings_bp)
YEAR = 365 * 24 * 3600


@bp.url_value_preprocessor
def _pull_handle(_endpoint, values):
    g.shop_handle = (values or {}).pop("handle", None)


@bp.url_defaults
def _push_handle(_endpoint, values):
    shop = g.get("business")
    if "handle" not in values and shop is not None:
        values["handle"] = shop.handle


@bp.before_request
def _load_shop():
    handle = g.get("shop_handle") or ""
    found = find_open_shop(handle) if len(handle) <= 40 else None
    if found is None:
        abort(404)
    g.business, g.shop_settings = found
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        # select_locale() honours a language forced on the request.
        request.kyora_locale = lang
    g.style_nonce = secrets.token_urlsafe(12)
    return None


@bp.after_request
def _shop_headers(response):
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"] and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=YEAR,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    nonce = g.get("style_nonce")
    if nonce and "text/html" in (response.content_type or ""):
        # The shop's own colours come in one small style element carrying this nonce.
        response.headers["Content-Security-Policy"] = CSP.replace(
            "style-src 'self'", f"style-src 'self' 'nonce-{nonce}'"
        )
    return response


def current_cart() -> Cart:
    """The shopper's cart in this shop (empty when there is none or it was tampered with)."""
    if "cart" not in g:
        g.cart = load_cart(request.cookies.get(COOKIE))
    return g.cart


def save_cart(response, cart: Cart):
    """Write `cart` to the shop's cookie on `response` (cleared when empty)."""
    path = f"/s/{g.business.handle}/"
    secure = current_app.config["SESSION_COOKIE_SECURE"]
    if cart.lines:
        response.set_cookie(
            COOKIE,
            dump_cart(cart),
            max_age=30 * 24 * 3600,
            path=path,
            samesite="Lax",
            httponly=True,
            secure=secure,
        )
    else:
        response.delete_cookie(COOKIE, path=path, samesite="Lax", httponly=True, secure=secure)
    return response
