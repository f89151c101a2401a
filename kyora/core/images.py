"""Uploaded images: checked by content, re-encoded and resized with Pillow."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kyora.core.errors import ValidationFailed

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000


def _fail(field: str, message: str):
    raise ValidationFailed({field: message})


def load_image(data: bytes, field: str, max_bytes: int) -> Image.Image:
    """Open `data` as an image after checking its size and real format."""
    if not data:
        _fail(field, _("Choose an image file."))
    if len(data) > max_bytes:
        _fail(
            field,
            _(
                "This image is too large. The limit is %(mb)d MB.",
                mb=max(1, max_bytes // 1_000_000),
            ),
        )
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in ALLOWED_FORMATS:
            _fail(field, _("Upload a JPEG, PNG, WebP or GIF image."))
        if image.width * image.height > MAX_PIXELS:
            _fail(field, _("This image has too many pixels."))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        _fail(field, _("This file is not an image we can read."))
    return ImageOps.exif_transpose(image)


def encode(image: Image.Image, max_side: int, square: bool = False) -> bytes:
    """Resize within `max_side` (or crop to a square) and encode as WebP."""
    image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    if square:
        image = ImageOps.fit(image, (max_side, max_side))
    else:
        image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=82, method=4)
    return out.getvalue()
