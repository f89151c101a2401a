"""Product photos: checked by content, re-encoded to a display size, a medium size for
phone screens and a square thumbnail, stored through the storage backend, ordered and deleted.

Images are checked and encoded before anything is written; files are written to
storage last and removed again if the transaction does not commit.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from kyora.core.errors import ValidationFailed
from kyora.core.images import encode, load_image, read_upload
from kyora.core.mail import after_commit
from kyora.core.storage import get_storage, save_in_transaction
from kyora.extensions import db
from kyora.inventory.models import MEDIUM_SIDE, Product, ProductPhoto, Variant

DISPLAY_SIDE = 1200
# A phone shows a photo the width of its screen: 360-430 CSS pixels at about 1.75-2
# device pixels each. Photos larger than MEDIUM_SIDE also get a copy at that size,
# offered through `srcset` so a phone need not download the 1200 px image.
THUMB_SIDE = 320
MAX_PHOTOS = 12


@dataclass
class PreparedPhoto:
    """An upload that passed the checks, encoded and ready to store."""

    display: bytes
    thumb: bytes
    width: int
    height: int
    medium: bytes | None = None  # only when the display image is larger than MEDIUM_SIDE


def prepare_uploads(files, field: str = "photos") -> list[PreparedPhoto]:
    """Check and encode uploaded files (werkzeug FileStorage); skip empty inputs.

    The count is checked before any file is read, and each file's size and pixel count
    before it is decoded, so one request can never keep a worker busy for long.
    """
    max_bytes = current_app.config["UPLOAD_MAX_IMAGE_BYTES"]
    uploads = [upload for upload in files if upload is not None and getattr(upload, "filename", "")]
    if len(uploads) > MAX_PHOTOS:
        raise ValidationFailed({field: _("Add up to %(count)d photos.", count=MAX_PHOTOS)})
    prepared = []
    for upload in uploads:
        data = read_upload(upload, max_bytes)
        try:
            image = load_image(data, field, max_bytes, max_side=DISPLAY_SIDE * 2)
        except ValidationFailed as error:
            name = upload.filename[:80]
            raise ValidationFailed({field: f"{name}: {error.message}"}) from None
        prepared.append(prepare_image(image))
    return prepared


def prepare_image(image) -> PreparedPhoto:
    """Encode a decoded image at the display, medium and thumbnail sizes."""
    width, height = image.size
    scale = min(1.0, DISPLAY_SIDE / max(width, height, 1))
    medium = encode(image, MEDIUM_SIDE) if max(width, height) * scale > MEDIUM_SIDE else None
    return PreparedPhoto(
        encode(image, DISPLAY_SIDE),
        encode(image, THUMB_SIDE, square=True),
        round(width * scale),
        round(height * scale),
        medium,
    )


def attach_photos(
    business, product: Product, prepared: list[PreparedPhoto], variant_id: int | None = None
) -> list[ProductPhoto]:
    """Store prepared photos and add them after the product's existing ones."""
    if not prepared:
        return []
    if variant_id is not None:
        found = db.session.scalar(
            sa.select(Variant.id).where(
                Variant.id == variant_id,
                Variant.product_id == product.id,
                Variant.business_id == business.id,
            )
        )
        if found is None:
            raise ValidationFailed({"variant_id": _("Choose a variant of this product.")})
    db.session.flush()
    count, last = db.session.execute(
        sa.select(sa.func.count(ProductPhoto.id), sa.func.max(ProductPhoto.position)).where(
            ProductPhoto.product_id == product.id
        )
    ).one()
    if count + len(prepared) > MAX_PHOTOS:
        raise ValidationFailed(
            {
                "photos": _(
                    "A product can have up to %(count)d photos. Delete some first.",
                    count=MAX_PHOTOS,
                )
            }
        )
    folder = f"products/{business.id}"
    position = (last if last is not None else -1) + 1
    photos = []
    for item in prepared:
        image_key = save_in_transaction(db.session, item.display, folder, "webp")
        thumb_key = save_in_transaction(db.session, item.thumb, folder, "webp")
        medium_key = (
            save_in_transaction(db.session, item.medium, folder, "webp") if item.medium else None
        )
        photo = ProductPhoto(
            business_id=business.id,
            product_id=product.id,
            variant_id=variant_id,
            position=position,
            image_key=image_key,
            thumb_key=thumb_key,
            medium_key=medium_key,
            width=item.width,
            height=item.height,
        )
        db.session.add(photo)
        photos.append(photo)
        position += 1
    db.session.flush()
    return photos


def list_photos(product: Product) -> list[ProductPhoto]:
    """The product's photos in display order; the first is the cover."""
    return list(
        db.session.scalars(
            sa.select(ProductPhoto)
            .where(ProductPhoto.product_id == product.id)
            .order_by(ProductPhoto.position, ProductPhoto.id)
        )
    )


def move_photo(business, actor, photo: ProductPhoto, step: int) -> None:
    """Move a photo one place earlier (step -1) or later (+1); the first is the cover."""
    photos = list_photos(db.session.get(Product, photo.product_id))
    index = next(i for i, item in enumerate(photos) if item.id == photo.id)
    other = index + (1 if step > 0 else -1)
    if not 0 <= other < len(photos):
        return
    photos[index], photos[other] = photos[other], photos[index]
    for position, item in enumerate(photos):
        item.position = position
    db.session.flush()


def delete_photo(business, actor, photo: ProductPhoto) -> None:
    """Remove a photo; its files go once the deletion is committed."""
    keys = [key for key in (photo.image_key, photo.thumb_key, photo.medium_key) if key]
    db.session.delete(photo)
    db.session.flush()
    storage = get_storage()
    after_commit(db.session(), lambda: [storage.delete(key) for key in keys])


def photo_keys(product: Product) -> list[str]:
    """Every stored file of a product's photos."""
    rows = db.session.execute(
        sa.select(ProductPhoto.image_key, ProductPhoto.thumb_key, ProductPhoto.medium_key).where(
            ProductPhoto.product_id == product.id
        )
    ).all()
    return [key for row in rows for key in row if key]
