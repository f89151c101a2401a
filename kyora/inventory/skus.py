"""SKUs: how a typed SKU is cleaned, which characters it may use, and the SKUs we
generate for variant rows left without one ("Red Silk Scarf", size M -> "RED-SILK-M")."""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.core.errors import ValidationFailed
from kyora.extensions import db
from kyora.inventory.drafts import VariantDraft
from kyora.inventory.models import Variant

SKU_RE = re.compile(r"^[\w][\w.\-/#]*$")


def normalize_sku(value: str | None) -> str:
    """Spaces dropped, upper case, at most 64 characters."""
    return "".join((value or "").split()).upper()[:64]


def _ascii_words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.findall(r"[A-Za-z0-9]+", plain)


def sku_stem(product_name: str) -> str:
    """The start of generated SKUs: "Red Silk Scarf" -> "RED-SILK"."""
    words = _ascii_words(product_name)
    return "-".join(word[:4].upper() for word in words[:2]) or "ITEM"


def _generate_sku(stem: str, options: list[str], taken: set[str]) -> str:
    parts = [stem] + ["".join(_ascii_words(value))[:3].upper() for value in options]
    base = "-".join(part for part in parts if part)[:56]
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


def _taken_skus(business, stem: str, skus: list[str], exclude_ids: set[int]) -> dict[str, int]:
    """SKUs of the business that clash with `skus` or start like generated ones."""
    conditions = [Variant.sku.like(f"{stem}%")]
    if skus:
        conditions.append(Variant.sku.in_(skus))
    rows = db.session.execute(
        sa.select(Variant.sku, Variant.id).where(
            Variant.business_id == business.id, sa.or_(*conditions)
        )
    ).all()
    return {row.sku: row.id for row in rows if row.id not in exclude_ids}


def assign_skus(business, product_name: str, kept: list[tuple[int, VariantDraft]]) -> None:
    """Refuse typed SKUs another variant of the business uses (ValidationFailed on
    `variants-<index>-sku`); give every row without a SKU a free generated one."""
    stem = sku_stem(product_name)
    typed = [row.sku for _index, row in kept if row.sku]
    own_ids = {row.id for _index, row in kept if row.id is not None}
    taken = _taken_skus(business, stem, typed, own_ids)
    errors = {}
    for index, row in kept:
        if row.sku and row.sku in taken:
            errors[f"variants-{index}-sku"] = _("Another product already uses this SKU.")
    if errors:
        raise ValidationFailed(errors)
    used = set(taken) | {row.sku for _index, row in kept if row.sku}
    for _index, row in kept:
        if not row.sku:
            row.sku = _generate_sku(stem, row.options, used)
