"""What every shop page template needs besides its own content: the cart count,
canonical and language URLs, the shop's contact buttons and how prices treat VAT."""

from __future__ import annotations

from flask import current_app, g, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from kyora.core.i18n import LANGUAGE_NAMES
from kyora.core.money import rate_to_percent
from kyora.storefront.cart import Cart


def _absolute(endpoint: str, **values) -> str:
    """An absolute URL on BASE_URL (what search engines and link previews should keep)."""
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    return base + url_for(endpoint, **{k: v for k, v in values.items() if v is not None})


def text_on(color: str) -> str:
    """Black or white, whichever reads better on `color` ("#rrggbb"), so a light brand
    colour never leaves white text unreadable (WCAG relative luminance)."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    try:
        red, green, blue = (channel(color[i : i + 2]) for i in (1, 3, 5))
    except (ValueError, IndexError):
        return "#fff"
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    # Contrast with white is (1.05)/(L+0.05), with black (L+0.05)/0.05: pick the larger.
    return "#fff" if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 else "#111"


def vat_note(business) -> str | None:
    """How the shown prices treat VAT, or None without VAT."""
    if not business.vat_rate:
        return None
    percent = str(rate_to_percent(business.vat_rate))
    if business.prices_include_vat:
        return _("Prices include VAT (%(rate)s%%).", rate=percent)
    return _("VAT (%(rate)s%%) is added at checkout.", rate=percent)


def contact_links(business, settings) -> list[tuple[str, str, str]]:
    """(kind, label, URL) of the contact buttons the seller chose to show."""
    links = []
    if settings.show_whatsapp and business.whatsapp:
        links.append(("whatsapp", _("WhatsApp"), f"https://wa.me/{business.whatsapp.lstrip('+')}"))
    if settings.show_instagram and business.instagram:
        links.append(
            ("instagram", _("Instagram"), f"https://www.instagram.com/{business.instagram}/")
        )
    if settings.show_tiktok and business.tiktok:
        links.append(("tiktok", _("TikTok"), f"https://www.tiktok.com/@{business.tiktok}"))
    return links


def page_context(cart: Cart, endpoint: str, **values) -> dict:
    """The shared values of a shop page whose URL is `endpoint` with `values`."""
    locale = str(get_locale() or "en")
    present = {key: value for key, value in values.items() if value is not None}
    languages = {
        code: _absolute(endpoint, lang=code, **values) for code in current_app.config["LANGUAGES"]
    }
    return {
        "shop": g.business,
        "shop_settings": g.shop_settings,
        "cart_count": cart.count,
        "canonical_url": languages.get(locale) or _absolute(endpoint, **values),
        "language_urls": languages,
        "language_switch": [
            (code, LANGUAGE_NAMES[code], url_for(endpoint, lang=code, **present))
            for code in current_app.config["LANGUAGES"]
            if code != locale
        ],
        "contacts": contact_links(g.business, g.shop_settings),
        "vat_note": vat_note(g.business),
        "style_nonce": g.get("style_nonce"),
        "on_brand": text_on(g.business.brand_color),
        "on_accent": text_on(g.business.accent_color),
        "logo_url": url_for("core.upload", key=g.business.logo_path)
        if g.business.logo_path
        else None,
    }
