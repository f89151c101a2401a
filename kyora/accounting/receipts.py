"""Receipt photos of expenses: checked by content, re-encoded, stored.

A receipt is checked and encoded before anything is written. Its file is saved
during the request; if the transaction then rolls back, the file is removed.
"""

from __future__ import annotations

from flask import current_app

from kyora.core.images import encode, load_image
from kyora.core.storage import get_storage, save_in_transaction

DISPLAY_SIDE = 1600


def prepare_receipt(upload, field: str = "receipt") -> bytes | None:
    """The uploaded file (werkzeug FileStorage) as a checked WebP image, or None if empty."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    data = upload.read()
    max_bytes = current_app.config["UPLOAD_MAX_IMAGE_BYTES"]
    return encode(load_image(data, field, max_bytes), DISPLAY_SIDE)


def store_receipt(session, business_id: int, data: bytes) -> str:
    """Save the image; it is removed again unless the transaction commits."""
    return save_in_transaction(session, data, f"receipts/{business_id}", "webp")


def receipt_url(key: str | None) -> str | None:
    return get_storage().url(key) if key else None
