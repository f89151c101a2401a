"""Carrying out an import plan, all rows or none.

Every write goes through the catalog and stock services, so an import obeys
exactly the rules of the product form. Any refusal raises ValidationFailed, told
with the CSV line it is about, and the caller rolls the whole import back.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.core.errors import ValidationFailed
from kyora.extensions import db
from kyora.inventory import catalog, stock
from kyora.inventory.csv.plan import ImportPlan, RowPlan, group_by_name
from kyora.inventory.drafts import ProductDraft, VariantDraft
from kyora.inventory.models import Product, Variant


def _row_error(rows: list[RowPlan], error: ValidationFailed):
    """A service refusal, told with the CSV line it is about."""
    messages = []
    for key, message in error.errors.items():
        parts = (key or "").split("-")
        if (
            len(parts) > 1
            and parts[0] == "variants"
            and parts[1].isdigit()
            and int(parts[1]) < len(rows)
        ):
            messages.append(
                _("Row %(line)d: %(message)s", line=rows[int(parts[1])].line, message=message)
            )
        else:
            messages.append(_("Row %(line)d: %(message)s", line=rows[0].line, message=message))
    return ValidationFailed({"file": " ".join(messages)})


def _draft_row(row: RowPlan) -> VariantDraft:
    values = row.values
    return VariantDraft(
        options=list(values.ordered),
        sku=values.sku,
        price=values.price,
        cost=values.cost,
        stock=values.stock,
        threshold=values.threshold,
    )


def _apply_update(business, actor, row: RowPlan) -> None:
    variant, values = row.variant, row.values
    note = _("CSV import")
    if values.price is not None:
        variant.price = values.price
    if values.threshold is not None:
        variant.low_stock_threshold = values.threshold
    if values.category:
        variant.product.category_id = catalog.get_or_create_category(
            business, values.category, "file"
        ).id
    if values.cost is not None and values.cost != variant.avg_cost:
        stock.change_cost(business, actor, variant, values.cost, note)
    if values.stock is not None and values.stock != variant.stock:
        stock.adjust_stock(
            business, actor, variant.id, "correction", counted=values.stock, note=note
        )


def apply_import(business, actor, plan: ImportPlan) -> dict[str, int]:
    """Write a plan that has no errors. Raises ValidationFailed (the caller rolls back)."""
    if not plan.ok:
        raise ValidationFailed({"file": _("Fix the rows marked with an error first.")})
    done = {"created": 0, "added": 0, "updated": 0}
    for row in plan.rows:
        if row.action == "update":
            try:
                _apply_update(business, actor, row)
            except ValidationFailed as error:
                raise _row_error([row], error) from None
            done["updated"] += 1
    new_groups = group_by_name([row for row in plan.rows if row.action == "create"])
    for group in new_groups.values():
        first = group[0]
        draft = ProductDraft(
            name=first.values.name,
            new_category=next((r.values.category for r in group if r.values.category), ""),
            option_names=[name for name, _value in first.values.options],
            variants=[_draft_row(row) for row in group],
        )
        try:
            catalog.create_product(business, actor, draft)
        except ValidationFailed as error:
            raise _row_error(group, error) from None
        done["created"] += len(group)
    by_product: dict[int, list[RowPlan]] = {}
    for row in plan.rows:
        if row.action == "add":
            by_product.setdefault(row.product.id, []).append(row)
    for rows in by_product.values():
        _add_variants(business, actor, rows[0].product, rows)
        done["added"] += len(rows)
    return done


def _add_variants(business, actor, product: Product, rows: list[RowPlan]) -> None:
    current = db.session.scalars(
        sa.select(Variant)
        .where(Variant.product_id == product.id, Variant.archived_at.is_(None))
        .order_by(Variant.position, Variant.id)
    ).all()
    kept = [
        VariantDraft(
            id=v.id,
            options=list(v.option_values or []),
            sku=v.sku,
            price=v.price,
            threshold=v.low_stock_threshold,
        )
        for v in current
    ]
    draft = ProductDraft(
        name=product.name,
        description=product.description,
        category_id=product.category_id,
        option_names=list(product.option_names or []),
        variants=kept + [_draft_row(row) for row in rows],
    )
    try:
        catalog.update_product(business, actor, product, draft)
    except ValidationFailed as error:
        offset = len(kept)
        shifted = {}
        for key, message in error.errors.items():
            parts = (key or "").split("-")
            if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) >= offset:
                parts[1] = str(int(parts[1]) - offset)
            shifted["-".join(parts)] = message
        raise _row_error(rows, ValidationFailed(shifted)) from None
