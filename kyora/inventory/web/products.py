"""Product pages: the list with search and filters, the product page, the product form,
archive and delete."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kyora.core.errors import DomainError, ValidationFailed, apply_to_form
from kyora.core.forms import options
from kyora.core.htmx import render_page_or_partial
from kyora.core.limits import UPLOAD_LIMIT, per_user
from kyora.core.money import quantize
from kyora.core.permissions import can, requires
from kyora.core.tenancy import get_or_404
from kyora.extensions import db, limiter
from kyora.inventory import catalog, queries, services
from kyora.inventory.costing import plain_amount
from kyora.inventory.models import Product
from kyora.inventory.photos import list_photos, prepare_uploads
from kyora.inventory.web.blueprint import bp
from kyora.inventory.web.forms import OPTION_SLOTS, ProductForm
from kyora.inventory.web.variant_rows import form_data, generate_rows

# --- List ---------------------------------------------------------------------------------


@bp.get("/")
@requires("view", "products")
def index():
    business = g.business
    filters = queries.ProductFilters.from_args(request.args)
    result = queries.list_products(business, filters)
    totals = services.stock_value(business) if can("view", "costs") else None
    return render_page_or_partial(
        "inventory/index.html",
        "inventory/_results.html",
        "products-results",
        filters=filters,
        result=result,
        categories=services.list_categories(business),
        totals=totals,
    )


# --- Product page -------------------------------------------------------------------------


@bp.get("/<int:product_id>")
@requires("view", "products")
def show(product_id: int):
    business = g.business
    product = get_or_404(Product, product_id)
    variant_id = request.args.get("variant", type=int)
    history = queries.stock_history(
        business, product, variant_id, request.args.get("page", 1, type=int)
    )
    return render_page_or_partial(
        "inventory/show.html",
        "inventory/_history.html",
        "stock-history",
        product=product,
        variants=queries.product_variants(product),
        history=history,
        variant_filter=variant_id,
        photos=list_photos(product),
        deletable=services.can_delete(product) if can("delete", "products") else False,
    )


# --- The product form ---------------------------------------------------------------------


def _category_choices(form: ProductForm) -> None:
    pairs = [("", _("No category"))]
    pairs += [(str(c.id), c.name) for c in services.list_categories(g.business)]
    form.category_id.choices = options(pairs)


def _build_form(data: dict) -> ProductForm:
    if data.get("mode") == "options":
        data["options"] = (list(data.get("options") or []) + [{}] * 3)[:3]
    form = ProductForm(formdata=None, data=data)
    _category_choices(form)
    return form


def _posted_form() -> ProductForm:
    form = ProductForm()
    _category_choices(form)
    return form


def _plain(amount: Decimal | None) -> str:
    """An amount as the form shows it: currency decimals, more only when they matter."""
    return "" if amount is None else str(plain_amount(amount, g.business.currency))


def _form_for(product: Product) -> ProductForm:
    variants = queries.product_variants(product, include_archived=False)
    names = list(product.option_names or [])
    option_rows = []
    for position, name in enumerate(names):
        values = []
        for variant in variants:
            value = (variant.option_values or [""] * len(names))[position]
            if value and value not in values:
                values.append(value)
        option_rows.append({"name": name, "values": ", ".join(values)})
    rows = []
    for variant in variants:
        row = {
            "id": str(variant.id),
            "sku": variant.sku,
            "price": _plain(variant.price),
            "cost": _plain(quantize(variant.avg_cost, g.business.currency)),
            "stock": "",
            "threshold": ""
            if variant.low_stock_threshold is None
            else str(variant.low_stock_threshold),
        }
        for slot, value in zip(OPTION_SLOTS, variant.option_values or [], strict=False):
            row[slot] = value
        rows.append(row)
    return _build_form(
        {
            "mode": "options" if names else "simple",
            "name": product.name,
            "description": product.description,
            "category_id": str(product.category_id or ""),
            "options": option_rows,
            "variants": rows,
        }
    )


def _form_page(form: ProductForm, product: Product | None, status: int = 200):
    saved = {}
    if product is not None:
        saved = {v.id: v for v in queries.product_variants(product, include_archived=False)}
    return render_page_or_partial(
        "inventory/form.html",
        "inventory/_product_form.html",
        "product-form",
        status=status,
        form=form,
        product=product,
        saved=saved,
        photos=list_photos(product) if product is not None else [],
        action=url_for("inventory.update", product_id=product.id)
        if product
        else url_for("inventory.create"),
    )


def _rework(form: ProductForm, action: str, product: Product | None):
    """The form's helper buttons (options, combinations, rows): no saving, just redraw."""
    data = form_data(form)
    if action == "options":
        data["mode"] = "options"
    elif action == "generate":
        data = generate_rows(data)
    elif action == "add_row":
        last = data["variants"][-1] if data["variants"] else {}
        data["variants"].append(
            {"id": "", "price": last.get("price", ""), "cost": last.get("cost", "")}
        )
    elif action == "simple":
        kept = [row for row in data["variants"] if not row.get("remove")]
        if len(kept) > 1:
            form.form_errors.append(
                _("To remove the options, keep one variant: tick Remove on the others first.")
            )
            return _form_page(form, product, 422)
        data["mode"] = "simple"
        data["options"] = []
        # The one kept row comes first; saved rows being removed stay (hidden) so
        # saving still removes them.
        removed = [row for row in data["variants"] if row.get("remove") and row.get("id")]
        data["variants"] = (kept or [{"id": ""}]) + removed
        for slot in OPTION_SLOTS:
            data["variants"][0][slot] = ""
    return _form_page(_build_form(data), product)


def _keep_average_costs(draft, product: Product):
    """The form shows an average cost rounded to the currency (137.05, not 137.0526); a
    cost sent back as shown is the same cost, not a change to revalue the stock at."""
    saved = {v.id: v for v in queries.product_variants(product, include_archived=False)}
    for row in draft.variants:
        variant = saved.get(row.id) if row.id else None
        shown = quantize(variant.avg_cost, g.business.currency) if variant else None
        if variant is not None and row.cost is not None and row.cost == shown:
            row.cost = variant.avg_cost
    return draft


def _draft(form: ProductForm, product: Product | None):
    """Parse the form; report number problems and rule problems together."""
    draft = form.to_draft(g.business.currency)
    if form.parse_errors:
        errors = catalog.validate_product(g.business, draft, product)
        raise ValidationFailed({**errors, **form.parse_errors})
    draft.photos = prepare_uploads(request.files.getlist("photos"))
    return draft


@bp.get("/new")
@requires("create", "products")
def new():
    return _form_page(_build_form({"mode": "simple", "variants": [{"id": ""}]}), None)


@bp.post("/new")
@limiter.limit(UPLOAD_LIMIT, key_func=per_user, exempt_when=lambda: not request.files)
@requires("create", "products")
def create():
    form = _posted_form()
    action = request.form.get("action", "save")
    if action != "save":
        return _rework(form, action, None)
    try:
        product = services.create_product(g.business, current_user, _draft(form, None))
    except DomainError as error:
        apply_to_form(form, error)
        return _form_page(form, None, 422)
    db.session.commit()
    flash(_("%(name)s is in your catalog.", name=product.name), "success")
    return redirect(url_for("inventory.show", product_id=product.id), 303)


@bp.get("/<int:product_id>/edit")
@requires("edit", "products")
def edit(product_id: int):
    product = get_or_404(Product, product_id)
    if product.archived:
        return _archived_redirect(product)
    return _form_page(_form_for(product), product)


def _archived_redirect(product: Product):
    flash(_("%(name)s is archived. Restore it to edit it.", name=product.name), "warning")
    return redirect(url_for("inventory.show", product_id=product.id), 303)


@bp.post("/<int:product_id>/edit")
@limiter.limit(UPLOAD_LIMIT, key_func=per_user, exempt_when=lambda: not request.files)
@requires("edit", "products")
def update(product_id: int):
    product = get_or_404(Product, product_id)
    if product.archived:
        return _archived_redirect(product)
    form = _posted_form()
    action = request.form.get("action", "save")
    if action != "save":
        return _rework(form, action, product)
    try:
        draft = _keep_average_costs(_draft(form, product), product)
        notices = services.update_product(g.business, current_user, product, draft)
    except DomainError as error:
        apply_to_form(form, error)
        product = get_or_404(Product, product_id)
        return _form_page(form, product, 422)
    db.session.commit()
    flash(_("Changes to %(name)s are saved.", name=product.name), "success")
    for notice in notices:
        flash(notice, "warning")
    return redirect(url_for("inventory.show", product_id=product.id), 303)


# --- Archive and delete -------------------------------------------------------------------


@bp.post("/<int:product_id>/delete")
@requires("delete", "products")
def delete(product_id: int):
    """Delete a product that never sold; one with sales is archived instead."""
    product = get_or_404(Product, product_id)
    name = product.name
    if services.can_delete(product):
        services.delete_product(g.business, current_user, product)
        db.session.commit()
        flash(_("%(name)s is deleted.", name=name), "success")
        return redirect(url_for("inventory.index"), 303)
    services.archive_product(g.business, current_user, product)
    db.session.commit()
    flash(_("%(name)s has sales, so it was archived instead of deleted.", name=name), "warning")
    return redirect(url_for("inventory.show", product_id=product_id), 303)


@bp.post("/<int:product_id>/archive")
@requires("edit", "products")
def archive(product_id: int):
    product = get_or_404(Product, product_id)
    services.archive_product(g.business, current_user, product)
    db.session.commit()
    flash(_("%(name)s is archived. It no longer shows in orders.", name=product.name), "success")
    return redirect(url_for("inventory.show", product_id=product_id), 303)


@bp.post("/<int:product_id>/unarchive")
@requires("edit", "products")
def unarchive(product_id: int):
    product = get_or_404(Product, product_id)
    services.unarchive_product(g.business, current_user, product)
    db.session.commit()
    flash(_("%(name)s is back in your catalog.", name=product.name), "success")
    return redirect(url_for("inventory.show", product_id=product_id), 303)
