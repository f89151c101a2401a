"""Receipt photos of expenses: checked by content, re-encoded, stored.

A receipt is checked and encoded before anything is written. Its file is saved
during the request; if the transaction then rolls back, the file is removed.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from kyora.core.images import encode, load_image
from kyora.core.storage import get_storage

DISPLAY_SIDE = 1600
_PENDING = "kyora_new_receipts"


def prepare_receipt(upload, field: str = "receipt") -> bytes | None:
    """The uploaded file (werkzeug FileStorage) as a checked WebP image, or None if empty."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    data = upload.read()
    max_bytes = current_app.config["UPLOAD_MAX_IMAGE_BYTES"]
    return encode(load_image(data, field, max_bytes), DISPLAY_SIDE)


def store_receipt(session, business_id: int, data: bytes) -> str:
    """Save the image; it is removed again unless the transaction commits."""
    key = get_storage().save(data, f"receipts/{business_id}", "webp")
    session.info.setdefault(_PENDING, []).append(key)
    return key


def receipt_url(key: str | None) -> str | None:
    return get_storage().url(key) if key else None


@sa.event.listens_for(Session, "after_commit")
def _keep(session):
    session.info.pop(_PENDING, None)


@sa.event.listens_for(Session, "after_transaction_end")
def _drop(session, transaction):
    if transaction.parent is not None or transaction.nested:
        return
    keys = session.info.pop(_PENDING, None)
    if keys:
        storage = get_storage()
        for key in keys:
            storage.delete(key)
