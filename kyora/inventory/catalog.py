"""Catalog operations: categories, and creating and editing products with their variants.

Products are written from a `ProductDraft` (what the product form or a CSV import
describes). Every problem is collected and raised at once as ValidationFailed,
keyed by the form's field names (`name`, `variants-2-sku`, ...), before anything
is written.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.core.errors import ValidationFailed
from kyora.extensions import db
from kyora.inventory import archive, stock
from kyora.inventory.drafts import ProductDraft, VariantDraft
from kyora.inventory.models import Category, Product, Variant, stock_status
from kyora.inventory.photos import attach_photos
from kyora.inventory.skus import SKU_RE, assign_skus, normalize_sku

MAX_OPTIONS = 3
MAX_VARIANTS = 100
MAX_PRICE = Decimal("1000000000")


# --- Categories ------------------------------------------------------------------------


def clean_text(value: str | None, limit: int) -> str:
    """Trimmed, with runs of spaces collapsed, cut to `limit` characters."""
    return " ".join((value or "").split())[:limit]


def list_categories(business) -> list[Category]:
    """The business's categories, by name (any letter case)."""
    return list(
        db.session.scalars(
            sa.select(Category)
            .where(Category.business_id == business.id)
            .order_by(sa.func.lower(Category.name))
        )
    )


def get_or_create_category(business, name: str, field_name: str = "new_category") -> Category:
    """The business's category called `name` (any letter case), created when new."""
    name = clean_text(name, 80)
    if not name:
        raise ValidationFailed({field_name: _("Give the category a name.")})
    found = db.session.scalar(
        sa.select(Category).where(
            Category.business_id == business.id, sa.func.lower(Category.name) == name.lower()
        )
    )
    if found is not None:
        return found
    category = Category(business_id=business.id, name=name)
    db.session.add(category)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:  # created a moment ago by someone else
        return db.session.scalar(
            sa.select(Category).where(Category.business_id == business.id, Category.name == name)
        )
    return category


# --- Validation ---------------------------------------------------------------------------


def _check_amount(errors, key, value, required=False, limit=MAX_PRICE):
    if value is None:
        if required:
            errors[key] = _("Enter a sale price.")
        return
    if not isinstance(value, Decimal) or not value.is_finite():
        errors[key] = _("Enter an amount, like 12.50.")
    elif value < 0:
        errors[key] = _("Enter 0 or more. Amounts can't be negative.")
    elif value > limit:
        errors[key] = _("That amount is too large.")


def _check_count(errors, key, value):
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool):
        errors[key] = _("Enter a whole number.")
    elif value < 0:
        errors[key] = _("Enter 0 or more. Stock can't be negative.")
    elif value > stock.MAX_QUANTITY:
        errors[key] = _("That is more than we can count. Check the number.")


def _validate(business, draft: ProductDraft, product: Product | None, existing: dict):
    """Collect every problem with `draft`; return the cleaned option names."""
    errors: dict[str, str] = {}
    draft.name = clean_text(draft.name, 161)
    if not draft.name:
        errors["name"] = _("Give the product a name.")
    elif len(draft.name) > 160:
        errors["name"] = _("Use at most %(count)d characters.", count=160)
    draft.description = (draft.description or "").strip()
    if len(draft.description) > 4000:
        errors["description"] = _("Use at most %(count)d characters.", count=4000)
    if draft.category_id and not draft.new_category.strip():
        found = db.session.scalar(
            sa.select(Category.id).where(
                Category.id == draft.category_id, Category.business_id == business.id
            )
        )
        if found is None:
            errors["category_id"] = _("Choose a category from the list.")

    names = [clean_text(name, 31) for name in draft.option_names]
    names = [name for name in names if name]
    seen_names: set[str] = set()
    for index, name in enumerate(names):
        if len(name) > 30:
            errors[f"options-{index}-name"] = _("Use at most %(count)d characters.", count=30)
        if name.casefold() in seen_names:
            errors[f"options-{index}-name"] = _("This option is listed twice.")
        seen_names.add(name.casefold())
    if len(names) > MAX_OPTIONS:
        errors["options-0-name"] = _("Use at most %(count)d options.", count=MAX_OPTIONS)

    kept = [row for row in draft.variants if not row.remove]
    if not kept:
        errors["variants"] = _("Keep at least one variant.")
    elif not names and len(kept) > 1:
        errors["variants"] = _("Name the options (like Size) that tell these variants apart.")
    if len(kept) > MAX_VARIANTS:
        errors["variants"] = _("Use at most %(count)d variants.", count=MAX_VARIANTS)
    # Every saved variant must be in the draft (kept or removed), or the options and
    # the variants could disagree; a missing one was added by someone else meanwhile.
    if set(existing) - {row.id for row in draft.variants if row.id is not None}:
        errors["variants"] = _("This product was changed meanwhile. Reload the page.")

    combos: dict[tuple, int] = {}
    skus: dict[str, int] = {}
    for index, row in enumerate(draft.variants):
        prefix = f"variants-{index}-"
        if row.id is not None and row.id not in existing:
            errors["variants"] = _("This product was changed meanwhile. Reload the page.")
            continue
        if row.remove:
            continue
        row.options = [clean_text(value, 41) for value in row.options][: len(names)]
        row.options += [""] * (len(names) - len(row.options))
        for position, value in enumerate(row.options):
            if not value:
                errors[f"{prefix}option_{position}"] = _(
                    "Fill in the %(option)s.", option=names[position]
                )
            elif len(value) > 40:
                errors[f"{prefix}option_{position}"] = _(
                    "Use at most %(count)d characters.", count=40
                )
        key = tuple(value.casefold() for value in row.options)
        if names and all(row.options):
            if key in combos:
                errors[f"{prefix}option_0"] = _(
                    "This combination is already in row %(row)d.", row=combos[key] + 1
                )
            combos.setdefault(key, index)
        _check_amount(errors, f"{prefix}price", row.price, required=True)
        _check_amount(errors, f"{prefix}cost", row.cost)
        if row.id is None:
            _check_count(errors, f"{prefix}stock", row.stock)
        _check_count(errors, f"{prefix}threshold", row.threshold)
        row.sku = normalize_sku(row.sku)
        if row.sku:
            if not SKU_RE.match(row.sku):
                errors[f"{prefix}sku"] = _("Use letters, numbers and - . / # only.")
            elif row.sku in skus:
                errors[f"{prefix}sku"] = _("Row %(row)d has this SKU too.", row=skus[row.sku] + 1)
            skus.setdefault(row.sku, index)
    if errors:
        raise ValidationFailed(errors)
    return names


def validate_product(business, draft: ProductDraft, product: Product | None = None) -> dict:
    """Every rule problem with `draft` (field name -> message), without writing."""
    existing = _active_variants(product) if product is not None else {}
    try:
        _validate(business, draft, product, existing)
    except ValidationFailed as error:
        return dict(error.errors)
    return {}


# --- Creating and editing ---------------------------------------------------------------


def _category_for(business, draft: ProductDraft) -> int | None:
    if draft.new_category.strip():
        return get_or_create_category(business, draft.new_category).id
    return draft.category_id or None


def _flush_or_sku_clash(kept) -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as exc:  # a SKU taken by another request a moment ago
        raise ValidationFailed(
            {f"variants-{kept[0][0]}-sku": _("Another product already uses this SKU.")}
        ) from exc


def create_product(business, actor, draft: ProductDraft) -> Product:
    """Create a product with its variants, opening stock and photos."""
    names = _validate(business, draft, None, {})
    kept = [(index, row) for index, row in enumerate(draft.variants) if not row.remove]
    assign_skus(business, draft.name, kept)
    product = Product(
        business_id=business.id,
        name=draft.name,
        description=draft.description,
        category_id=_category_for(business, draft),
        option_names=names,
    )
    db.session.add(product)
    variants = []
    for position, (_index, row) in enumerate(kept):
        variant = _new_variant(business, product, row, position)
        variants.append((variant, row))
    _flush_or_sku_clash(kept)
    for variant, row in variants:
        if row.stock:
            stock.record_opening_stock(business, actor, variant, row.stock)
    if draft.photos:
        attach_photos(business, product, draft.photos)
    db.session.flush()
    return product


def _new_variant(business, product: Product, row: VariantDraft, position: int) -> Variant:
    variant = Variant(
        business_id=business.id,
        product=product,
        position=position,
        sku=row.sku,
        option_values=list(row.options),
        options_label=" / ".join(row.options),
        price=row.price,
        avg_cost=row.cost or Decimal("0"),
        stock=0,
        low_stock_threshold=row.threshold,
    )
    # A new variant's low-stock alerts start from its opening count: only a later
    # drop is news for the digest.
    threshold = business.low_stock_threshold if row.threshold is None else row.threshold
    variant.alerted_status = stock_status(row.stock or 0, threshold)
    db.session.add(variant)
    return variant


def _active_variants(product: Product) -> dict[int, Variant]:
    rows = db.session.scalars(
        sa.select(Variant).where(Variant.product_id == product.id, Variant.archived_at.is_(None))
    )
    return {variant.id: variant for variant in rows}


def update_product(business, actor, product: Product, draft: ProductDraft) -> list[str]:
    """Save the product form. Returns notices for the seller (e.g. variants archived
    instead of deleted because they have sales)."""
    existing = _active_variants(product)
    names = _validate(business, draft, product, existing)
    kept = [(index, row) for index, row in enumerate(draft.variants) if not row.remove]
    assign_skus(business, draft.name, kept)
    # Removals go first, so a SKU or combination they free can be reused in this save.
    removed = [existing[row.id] for row in draft.variants if row.remove and row.id is not None]
    notices = archive.remove_variants(business, actor, removed)
    db.session.flush()
    product.name = draft.name
    product.description = draft.description
    product.category_id = _category_for(business, draft)
    product.option_names = names
    new_rows, cost_changes = [], []
    for position, (_index, row) in enumerate(kept):
        if row.id is None:
            new_rows.append((_new_variant(business, product, row, position), row))
            continue
        variant = existing[row.id]
        variant.position = position
        variant.sku = row.sku
        variant.option_values = list(row.options)
        variant.options_label = " / ".join(row.options)
        variant.price = row.price
        variant.low_stock_threshold = row.threshold
        if row.cost is not None and row.cost != variant.avg_cost:
            cost_changes.append((variant, row.cost))
    _flush_or_sku_clash(kept)
    for variant, cost in cost_changes:
        stock.change_cost(business, actor, variant, cost)
    for variant, row in new_rows:
        if row.stock:
            stock.record_opening_stock(business, actor, variant, row.stock)
    if draft.photos:
        attach_photos(business, product, draft.photos)
    db.session.flush()
    return notices
