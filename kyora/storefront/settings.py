"""The shop's settings: open or closed, colours, about text, categories shown and
contact buttons. Opening the shop and its colours are the business's own columns;
the rest is the `StorefrontSettings` row (`models.py`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.businesses.models import Business
from kyora.core.errors import ValidationFailed
from kyora.extensions import db
from kyora.inventory.services import list_categories
from kyora.storefront.models import ABOUT_MAX, StorefrontSettings

COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass
class SettingsDraft:
    """What the shop settings form says."""

    enabled: bool = False
    brand_color: str = "#0f766e"
    accent_color: str = "#f59e0b"
    about: str = ""
    all_categories: bool = True
    category_ids: list[int] = field(default_factory=list)
    show_whatsapp: bool = True
    show_instagram: bool = True
    show_tiktok: bool = True


def get_settings(business) -> StorefrontSettings:
    """The business's shop settings; defaults (not yet saved) when it never set any."""
    row = db.session.scalar(
        sa.select(StorefrontSettings).where(StorefrontSettings.business_id == business.id)
    )
    if row is None:
        row = StorefrontSettings(
            business_id=business.id,
            about="",
            shown_category_ids=None,
            show_whatsapp=True,
            show_instagram=True,
            show_tiktok=True,
            catalog_version=1,
        )
    return row


def find_open_shop(handle: str):
    """(business, settings) of the open shop at `handle`, or None (closed, archived or
    unknown: the shopper sees the same 404 for all three)."""
    business = db.session.scalar(sa.select(Business).where(Business.handle == handle))
    if business is None or not business.storefront_enabled or business.archived:
        return None
    return business, get_settings(business)


def update_settings(business, draft: SettingsDraft) -> StorefrontSettings:
    """Check and save the shop settings (opening it needs nothing else set up)."""
    errors: dict[str, str] = {}
    colors = {}
    for name in ("brand_color", "accent_color"):
        value = (getattr(draft, name) or "").strip()
        if not COLOR_RE.match(value):
            errors[name] = _("Pick a colour.")
        colors[name] = value.lower()
    about = (draft.about or "").strip()
    if len(about) > ABOUT_MAX:
        errors["about"] = _("Use at most %(count)d characters.", count=ABOUT_MAX)
    known = {category.id for category in list_categories(business)}
    chosen = sorted(set(draft.category_ids))
    if not draft.all_categories and any(cid not in known for cid in chosen):
        errors["category_ids"] = _("Pick categories from the list.")
    if errors:
        raise ValidationFailed(errors)
    row = get_settings(business)
    if row.id is None:
        db.session.add(row)
    business.storefront_enabled = bool(draft.enabled)
    business.brand_color = colors["brand_color"]
    business.accent_color = colors["accent_color"]
    row.about = about
    row.shown_category_ids = None if draft.all_categories else chosen
    row.show_whatsapp = bool(draft.show_whatsapp)
    row.show_instagram = bool(draft.show_instagram)
    row.show_tiktok = bool(draft.show_tiktok)
    # What the shop shows changed: its cached home must be read again.
    row.catalog_version = (row.catalog_version or 1) + 1
    db.session.flush()
    return row
