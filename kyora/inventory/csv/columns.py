"""The columns of the catalog CSV, their headings, and the options cell.

One row per variant: name, category, options ("Size: M; Colour: Red"), SKU,
price, cost, stock, low-stock alert; an export adds stock value and status.
"""

from __future__ import annotations

import re

from flask_babel import force_locale
from flask_babel import gettext as _

from kyora.inventory.catalog import clean_text

COLUMNS = ("name", "category", "options", "sku", "price", "cost", "stock", "threshold")
EXPORT_ONLY = ("value", "status")


def column_labels() -> dict[str, str]:
    """Column headings in the current language."""
    return {
        "name": _("Name"),
        "category": _("Category"),
        "options": _("Options"),
        "sku": _("SKU"),
        "price": _("Price"),
        "cost": _("Cost"),
        "stock": _("Stock"),
        "threshold": _("Low-stock alert"),
        "value": _("Stock value"),
        "status": _("Status"),
    }


def normalize_heading(text: str) -> str:
    """A heading as compared: separators as spaces, spaces collapsed, case folded."""
    return " ".join(re.sub(r"[_\-]+", " ", text or "").split()).casefold()


def header_aliases() -> dict[str, str]:
    """Every heading we accept, in English and Arabic, to its column key."""
    aliases = {normalize_heading(key): key for key in (*COLUMNS, *EXPORT_ONLY)}
    aliases.update({"low stock threshold": "threshold", "quantity": "stock", "title": "name"})
    for locale in ("en", "ar"):
        with force_locale(locale):
            aliases.update(
                {normalize_heading(label): key for key, label in column_labels().items()}
            )
    aliases.update({normalize_heading(label): key for key, label in column_labels().items()})
    return aliases


def parse_options(text: str) -> list[tuple[str, str]]:
    """ "Size: M; Colour: Red" -> [("Size", "M"), ("Colour", "Red")]; ValueError if malformed."""
    text = (text or "").strip()
    if not text:
        return []
    parts = [p for p in re.split(r"[;؛]", text) if p.strip()]
    if len(parts) == 1 and " / " in text:
        parts = text.split(" / ")
    pairs = []
    for part in parts:
        name, sep, value = part.partition(":")
        name, value = clean_text(name, 31), clean_text(value, 41)
        if not sep or not name or not value:
            raise ValueError(part)
        pairs.append((name, value))
    return pairs


def format_options(names: list[str], values: list[str]) -> str:
    """The options cell of a variant: "Size: M; Colour: Red"."""
    return "; ".join(f"{n}: {v}" for n, v in zip(names, values, strict=False))
