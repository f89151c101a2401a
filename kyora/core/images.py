"""Uploaded images: checked by content, re-encoded and resized with Pillow."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kyora.core.errors import ValidationFailed

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# 20 megapixels, as large as a phone camera's photo; a bigger image is refused from its
# header alone, before anything is decoded.
MAX_PIXELS = 20_000_000
# Image work is bounded: Pillow refuses to open anything past this at all.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS * 2


def _fail(field: str, message: str):
    raise ValidationFailed({field: message})


def read_upload(upload, max_bytes: int) -> bytes | None:
    """The bytes of an uploaded file, reading at most one byte past `max_bytes` (the
    size check then refuses it without holding a huge file in memory)."""
    stream = getattr(upload, "stream", upload)
    return stream.read(max_bytes + 1)


def load_image(data: bytes, field: str, max_bytes: int, max_side: int | None = None) -> Image.Image:
    """Open `data` as an image after checking its size, real format and pixel count.

    With `max_side`, JPEGs are decoded at a reduced scale close to what will be kept,
    which is several times faster and smaller in memory than a full decode.
    """
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
            _fail(field, _("This image is larger than 20 megapixels. Please use a smaller photo."))
        if max_side and image.format == "JPEG":
            image.draft("RGB", (max_side, max_side))
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
