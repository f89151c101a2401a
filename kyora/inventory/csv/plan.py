"""Deciding what each imported row does against the catalog: create a product, add a
variant to one, update the variant with that SKU, nothing (same), or an error.

`resolve` only reads; `applying.py` carries the plan out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from kyora.extensions import db
from kyora.inventory.costing import plain_amount
from kyora.inventory.models import Product, Variant


@dataclass
class RowValues:
    """One row's cells, cleaned and parsed (a number is None when blank or unreadable)."""

    name: str = ""
    category: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    sku: str = ""
    price: Decimal | None = None
    cost: Decimal | None = None
    stock: int | None = None
    threshold: int | None = None
    # The option values in the order of the product's option names, once matched.
    ordered: list[str] = field(default_factory=list)


@dataclass
class RowPlan:
    """What one row of the file will do, with the reasons shown in the preview."""

    line: int
    action: str = "create"  # create | add | update | same | error
    title: str = ""
    messages: list[str] = field(default_factory=list)
    values: RowValues = field(default_factory=RowValues)
    variant: Variant | None = None
    product: Product | None = None

    def fail(self, message: str) -> None:
        self.action = "error"
        self.messages.append(message)


@dataclass
class ImportPlan:
    """The whole file's plan; only a plan without errors may be applied."""

    rows: list[RowPlan] = field(default_factory=list)
    file_error: str | None = None
    ignored: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for row in self.rows if row.action == "error")

    @property
    def ok(self) -> bool:
        return self.file_error is None and self.errors == 0 and bool(self.rows)

    def count(self, *actions: str) -> int:
        return sum(1 for row in self.rows if row.action in actions)


def _key(values) -> tuple:
    return tuple(str(v).casefold() for v in values)


def resolve(business, plan: ImportPlan) -> None:
    """Mark each row create / add / update / same / error, with the reason."""
    first_line: dict[str, int] = {}
    for row in plan.rows:
        sku = row.values.sku
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
        variant = existing.get(row.values.sku)
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
    if values.price is not None and values.price != variant.price:
        old = plain_amount(variant.price, currency)
        changes.append(_("price %(old)s → %(new)s", old=old, new=values.price))
    if values.cost is not None and values.cost != variant.avg_cost:
        old = plain_amount(variant.avg_cost, currency)
        changes.append(_("cost %(old)s → %(new)s", old=old, new=values.cost))
    if values.stock is not None and values.stock != variant.stock:
        changes.append(_("stock %(old)d → %(new)d", old=variant.stock, new=values.stock))
    if values.threshold is not None and values.threshold != variant.low_stock_threshold:
        changes.append(_("low-stock alert at %(count)d", count=values.threshold))
    category = variant.product.category
    if values.category and (
        category is None or category.name.casefold() != values.category.casefold()
    ):
        changes.append(_("category → %(name)s", name=values.category))
    row.action = "update" if changes else "same"
    row.messages = changes or [_("Already up to date.")]


def group_by_name(rows: list[RowPlan]) -> dict[str, list[RowPlan]]:
    """Rows by product name (any letter case): rows sharing a name are one product."""
    groups: dict[str, list[RowPlan]] = {}
    for row in rows:
        if row.values.name:
            groups.setdefault(row.values.name.casefold(), []).append(row)
    return groups


def _plan_creates(business, rows: list[RowPlan]) -> None:
    groups = group_by_name(rows)
    if not groups:
        return
    names = [group[0].values.name for group in groups.values()]
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
    given = {name.casefold(): value for name, value in row.values.options}
    if len(given) != len(row.values.options) or set(given) != {n.casefold() for n in names}:
        return None
    return [given[name.casefold()] for name in names]


def _check_price(row: RowPlan) -> None:
    if row.values.price is None and row.action != "error":
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
        row.values.ordered = ordered
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
    names = [name for name, _value in first.values.options]
    seen: dict[tuple, int] = {}
    for row in group:
        if len(group) > 1 and not row.values.options:
            row.fail(
                _(
                    "Several rows are called “%(name)s”: give each one its options, like “Size: M”.",
                    name=row.values.name,
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
        row.values.ordered = ordered
        if ordered:
            row.title = f"{first.values.name} — {' / '.join(ordered)}"
        if _key(ordered) in seen:
            row.fail(_("Row %(line)d has the same options.", line=seen[_key(ordered)]))
            continue
        seen[_key(ordered)] = row.line
        _check_price(row)
