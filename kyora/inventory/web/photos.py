"""Product photos: upload several, reorder, delete."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from kyora.core.errors import DomainError, ValidationFailed
from kyora.core.htmx import is_htmx, render_page_or_partial, trigger
from kyora.core.limits import UPLOAD_LIMIT, per_user
from kyora.core.permissions import requires
from kyora.core.tenancy import get_or_404, id_or_none
from kyora.extensions import db, limiter
from kyora.inventory import photos as photo_service
from kyora.inventory import queries
from kyora.inventory.models import Product, ProductPhoto
from kyora.inventory.web.blueprint import bp


def _photos_response(product: Product, status: int = 200, error: str | None = None):
    response = render_page_or_partial(
        "inventory/photos.html",
        "inventory/_photos.html",
        "product-photos",
        status=status,
        product=product,
        photos=photo_service.list_photos(product),
        variants=queries.product_variants(product, include_archived=False),
        photo_error=error,
    )
    return trigger(response, "photos-changed") if status == 200 else response


@bp.get("/<int:product_id>/photos")
@requires("edit", "products")
def photos(product_id: int):
    """The photo manager on its own page (the product page shows the same block)."""
    return _photos_response(get_or_404(Product, product_id))


@bp.post("/<int:product_id>/photos")
@limiter.limit(UPLOAD_LIMIT, key_func=per_user)
@requires("edit", "products")
def upload_photos(product_id: int):
    product = get_or_404(Product, product_id)
    variant_id = id_or_none(request.form.get("variant_id"))
    try:
        prepared = photo_service.prepare_uploads(request.files.getlist("photos"))
        if not prepared:
            raise ValidationFailed({"photos": _("Choose one or more photos to upload.")})
        photo_service.attach_photos(g.business, product, prepared, variant_id)
    except DomainError as error:
        db.session.rollback()
        product = get_or_404(Product, product_id)
        return _photos_response(product, 422, error.message)
    db.session.commit()
    flash(ngettext("%(num)d photo added.", "%(num)d photos added.", len(prepared)), "success")
    return redirect(url_for("inventory.show", product_id=product_id) + "#product-photos", 303)


def _photo_of(product_id: int, photo_id: int) -> ProductPhoto:
    photo = get_or_404(ProductPhoto, photo_id)
    if photo.product_id != product_id:
        abort(404)
    return photo


def _after_photo_change(product_id: int):
    db.session.commit()
    product = get_or_404(Product, product_id)
    if is_htmx():
        return _photos_response(product)
    return redirect(url_for("inventory.show", product_id=product_id) + "#product-photos", 303)


@bp.post("/<int:product_id>/photos/<int:photo_id>/move")
@requires("edit", "products")
def move_photo(product_id: int, photo_id: int):
    photo = _photo_of(product_id, photo_id)
    step = -1 if request.form.get("direction") == "earlier" else 1
    photo_service.move_photo(g.business, current_user, photo, step)
    return _after_photo_change(product_id)


@bp.post("/<int:product_id>/photos/<int:photo_id>/delete")
@requires("edit", "products")
def delete_photo(product_id: int, photo_id: int):
    photo = _photo_of(product_id, photo_id)
    photo_service.delete_photo(g.business, current_user, photo)
    return _after_photo_change(product_id)
