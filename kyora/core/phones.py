"""Phone numbers: parse what people type (any format, Arabic-Indic digits) into E.164."""

from __future__ import annotations

from urllib.parse import quote

import phonenumbers

from kyora.core.money import normalize_digits


def normalize_phone(raw: str | None, region: str | None) -> str | None:
    """E.164 form of `raw` ("050 123 4567" in AE -> "+971501234567"), None when blank.

    Raises ValueError when the text is not a valid number for `region` (the default
    region applies to numbers written without a country code).
    """
    text = normalize_digits((raw or "").strip())
    if not text:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str | None) -> str:
    """An international, readable form of a stored E.164 number."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def whatsapp_link(e164: str | None, text: str = "") -> str | None:
    """A wa.me link that opens a chat with `e164`, with `text` pre-filled."""
    if not e164:
        return None
    link = f"https://wa.me/{e164.lstrip('+')}"
    return f"{link}?text={quote(text)}" if text else link
