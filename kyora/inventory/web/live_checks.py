"""Live checks of single product-form fields, as the seller leaves each one (htmx)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import g, render_template, request
from flask_babel import gettext as _

from kyora.core.permissions import requires
from kyora.extensions import db
from kyora.inventory.catalog import clean_text
from kyora.inventory.models import Variant
from kyora.inventory.parsing import parse_count, parse_money
from kyora.inventory.skus import SKU_RE, normalize_sku
from kyora.inventory.web.blueprint import bp

_ROW_FIELD = re.compile(r"^variants-(\d+)-(\w+)$")


@bp.get("/check")
@requires("create", "products")
def check():
    """Live validation of one field of the product form (htmx, on change)."""
    target = request.headers.get("HX-Target") or ""
    message = check_field(g.business, request.headers.get("HX-Trigger-Name") or "", request.args)
    return render_template("inventory/_check.html", target=target, message=message)


def check_field(business, name: str, formdata) -> str:
    """The message to show beside field `name`, or "" when it is fine."""
    value = formdata.get(name, "")
    if name == "name":
        text = clean_text(value, 161)
        if not text:
            return _("Give the product a name.")
        if len(text) > 160:
            return _("Use at most %(count)d characters.", count=160)
        return ""
    match = _ROW_FIELD.match(name)
    if not match:
        return ""
    index, field = match.groups()
    errors: dict[str, str] = {}
    if field == "price":
        if not value.strip():
            return _("Enter a sale price.")
        parse_money(value, business.currency, name, errors)
    elif field == "cost":
        parse_money(value, business.currency, name, errors, 4)
    elif field in ("stock", "threshold"):
        parse_count(value, name, errors)
    elif field == "sku":
        return _sku_problem(business, value, formdata.get(f"variants-{index}-id", ""))
    elif field.startswith("option_") and not value.strip():
        return _("Fill this in.")
    return errors.get(name, "")


def _sku_problem(business, value: str, row_id: str) -> str:
    sku = normalize_sku(value)
    if not sku:
        return ""
    if not SKU_RE.match(sku):
        return _("Use letters, numbers and - . / # only.")
    query = sa.select(Variant.id).where(Variant.business_id == business.id, Variant.sku == sku)
    if row_id.isdigit():
        query = query.where(Variant.id != int(row_id))
    if db.session.scalar(query) is not None:
        return _("Another product already uses this SKU.")
    return ""
