"""Deciding what each imported row does (against the catalog), and doing it.

`resolve` only reads; `apply_import` writes through the catalog and stock
services, so an import obeys exactly the rules of the product form. Any
refusal raises, and the caller rolls the whole import back.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from kyora.core.errors import ValidationFailed
from kyora.extensions import db
from kyora.inventory import catalog, stock
from kyora.inventory.catalog import ProductDraft, VariantDraft
from kyora.inventory.costing import plain_amount
from kyora.inventory.csv_io import ImportPlan, RowPlan
from kyora.inventory.models import Product, Variant


def _key(values) -> tuple:
    return tuple(str(v).casefold() for v in values)


def resolve(business, plan: ImportPlan) -> None:
    """Mark each row create / add / update / same / error, with the reason."""
    first_line: dict[str, int] = {}
    for row in plan.rows:
        sku = row.values.get("sku")
        if sku and sku in first_line:
            row.fail(_("Row %(line)d has this SKU too.", line=first_line[sku]))
        elif sku:
            first_line[sku] = row.line
    existing = {}
    if first_line:
        variants = db.session.scalars(
            sa.select(Variant)
            .options(joinedload(Variant.product).joinedload(Product.category))
            .where(Variant.business_id == business.id, Variant.sku.in_(list(first_line)))
        )
        existing = {variant.sku: variant for variant in variants}
    creates = []
    for row in plan.rows:
        variant = existing.get(row.values.get("sku"))
        if variant is None:
            creates.append(row)
        elif first_line.get(variant.sku) == row.line:
            _plan_update(business, row, variant)
    _plan_creates(business, creates)


def _plan_update(business, row: RowPlan, variant: Variant) -> None:
    row.variant, row.title = variant, variant.title
    if variant.archived:
        row.fail(_("This SKU belongs to an archived product. Restore the product first."))
    if row.action == "error":
        return
    values, changes, currency = row.values, [], business.currency
    if values["price"] is not None and values["price"] != variant.price:
        old = plain_amount(variant.price, currency)
        changes.append(_("price %(old)s → %(new)s", old=old, new=values["price"]))
    if values["cost"] is not None and values["cost"] != variant.avg_cost:
        old = plain_amount(variant.avg_cost, currency)
        changes.append(_("cost %(old)s → %(new)s", old=old, new=values["cost"]))
    if values["stock"] is not None and values["stock"] != variant.stock:
        changes.append(_("stock %(old)d → %(new)d", old=variant.stock, new=values["stock"]))
    if values["threshold"] is not None and values["threshold"] != variant.low_stock_threshold:
        changes.append(_("low-stock alert at %(count)d", count=values["threshold"]))
    category = variant.product.category
    if values["category"] and (
        category is None or category.name.casefold() != values["category"].casefold()
    ):
        changes.append(_("category → %(name)s", name=values["category"]))
    row.action = "update" if changes else "same"
    row.messages = changes or [_("Already up to date.")]


def _groups(rows: list[RowPlan]) -> dict[str, list[RowPlan]]:
    groups: dict[str, list[RowPlan]] = {}
    for row in rows:
        if row.values.get("name"):
            groups.setdefault(row.values["name"].casefold(), []).append(row)
    return groups


def _plan_creates(business, rows: list[RowPlan]) -> None:
    groups = _groups(rows)
    if not groups:
        return
    names = [group[0].values["name"] for group in groups.values()]
    products = db.session.scalars(
        sa.select(Product).where(
            Product.business_id == business.id,
            Product.archived_at.is_(None),
            sa.func.lower(Product.name).in_([name.lower() for name in names]),
        )
    ).all()
    by_name = {product.name.casefold(): product for product in products}
    combos: dict[int, set] = {product.id: set() for product in products}
    if products:
        for product_id, values in db.session.execute(
            sa.select(Variant.product_id, Variant.option_values).where(
                Variant.product_id.in_(list(combos)), Variant.archived_at.is_(None)
            )
        ):
            combos[product_id].add(_key(values or []))
    for key, group in groups.items():
        product = by_name.get(key)
        if product is not None:
            _plan_added_variants(product, group, combos[product.id])
        else:
            _plan_new_product(group)


def _order_values(row: RowPlan, names: list[str]) -> list[str] | None:
    """The row's option values in the order of `names`, or None if the names differ."""
    given = {name.casefold(): value for name, value in row.values["options"]}
    if len(given) != len(row.values["options"]) or set(given) != {n.casefold() for n in names}:
        return None
    return [given[name.casefold()] for name in names]


def _check_price(row: RowPlan) -> None:
    if row.values["price"] is None and row.action != "error":
        row.fail(_("Price: Enter a sale price."))


def _plan_added_variants(product: Product, group: list[RowPlan], taken: set) -> None:
    names = list(product.option_names or [])
    for row in group:
        row.product = product
        if not names:
            row.fail(
                _(
                    "A product called “%(name)s” is already in your catalog. Add its SKU to this row to update it.",
                    name=product.name,
                )
            )
            continue
        ordered = _order_values(row, names)
        if ordered is None:
            row.fail(
                _(
                    "“%(name)s” has the options %(options)s. Use the same names, like “%(example)s: …”.",
                    name=product.name,
                    options=", ".join(names),
                    example=names[0],
                )
            )
            continue
        row.values["ordered"] = ordered
        row.title = f"{product.name} — {' / '.join(ordered)}"
        if _key(ordered) in taken:
            row.fail(
                _(
                    "“%(title)s” is already in your catalog. Add its SKU to this row to update it.",
                    title=row.title,
                )
            )
            continue
        taken.add(_key(ordered))
        _check_price(row)
        if row.action != "error":
            row.action = "add"


def _plan_new_product(group: list[RowPlan]) -> None:
    first = group[0]
    names = [name for name, _value in first.values["options"]]
    seen: dict[tuple, int] = {}
    for row in group:
        if len(group) > 1 and not row.values["options"]:
            row.fail(
                _(
                    "Several rows are called “%(name)s”: give each one its options, like “Size: M”.",
                    name=row.values["name"],
                )
            )
            continue
        ordered = _order_values(row, names)
        if ordered is None:
            row.fail(
                _(
                    "Use the same option names as row %(line)d (%(options)s).",
                    line=first.line,
                    options=", ".join(names),
                )
            )
            continue
        row.values["ordered"] = ordered
        if ordered:
            row.title = f"{first.values['name']} — {' / '.join(ordered)}"
        if _key(ordered) in seen:
            row.fail(_("Row %(line)d has the same options.", line=seen[_key(ordered)]))
            continue
        seen[_key(ordered)] = row.line
        _check_price(row)


# --- Applying -----------------------------------------------------------------------------


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
        options=list(values.get("ordered") or []),
        sku=values["sku"],
        price=values["price"],
        cost=values["cost"],
        stock=values["stock"],
        threshold=values["threshold"],
    )


def _apply_update(business, actor, row: RowPlan) -> None:
    variant, values = row.variant, row.values
    note = _("CSV import")
    if values["price"] is not None:
        variant.price = values["price"]
    if values["threshold"] is not None:
        variant.low_stock_threshold = values["threshold"]
    if values["category"]:
        variant.product.category_id = catalog.get_or_create_category(
            business, values["category"], "file"
        ).id
    if values["cost"] is not None and values["cost"] != variant.avg_cost:
        stock.change_cost(business, actor, variant, values["cost"], note)
    if values["stock"] is not None and values["stock"] != variant.stock:
        stock.adjust_stock(
            business, actor, variant.id, "correction", counted=values["stock"], note=note
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
    new_groups = _groups([row for row in plan.rows if row.action == "create"])
    for group in new_groups.values():
        first = group[0]
        draft = ProductDraft(
            name=first.values["name"],
            new_category=next((r.values["category"] for r in group if r.values["category"]), ""),
            option_names=[name for name, _value in first.values["options"]],
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
