"""CSV files for spreadsheets: formula-safe cells, UTF-8 that Excel opens, tolerant reading.

Every export goes through `csv_response` (or `csv_text`), which neutralises cells a
spreadsheet would run as a formula: text starting with = + - @ tab or carriage
return gets a leading apostrophe. Imports use `decode_csv` and `read_csv`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from urllib.parse import quote

from flask import Response

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
# A plain signed number ("-5.00", "+971501234567") cannot run anything: left as it is.
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


class CSVDecodeError(ValueError):
    """The bytes are not UTF-8 (or UTF-16 with a byte-order mark) text."""


def safe_cell(value) -> str:
    """A cell value as text, with formula-looking text neutralised.

    Numbers stay numbers (a negative amount or a phone number is not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | Decimal):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def unguard_cell(text: str) -> str:
    """Undo `safe_cell` on a cell read back from one of our own exports."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would treat the text as a formula."""
    return bool(text) and text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(text)


def csv_text(headers: Sequence, rows: Iterable[Sequence]) -> str:
    """The CSV text (header row first), every cell passed through `safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(str(h)) for h in headers])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def csv_response(filename: str, headers: Sequence, rows: Iterable[Sequence]) -> Response:
    """A download of the rows as UTF-8 CSV with a byte-order mark (so Excel reads Arabic)."""
    body = BOM + csv_text(headers, rows)
    response = Response(body.encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.csv"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def decode_csv(data: bytes) -> str:
    """Text of an uploaded CSV: UTF-8 (with or without BOM) or UTF-16 with a BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise CSVDecodeError("not utf-16") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CSVDecodeError("not utf-8") from exc
    if "\x00" in text:
        raise CSVDecodeError("binary data")
    return text


def read_csv(text: str) -> list[list[str]]:
    """All rows of CSV `text` (comma, semicolon or tab separated), blank rows dropped.

    Raises CSVDecodeError for text the csv module cannot split (a cell over its size
    limit, a NUL character: no text a person types holds one, and PostgreSQL cannot
    store it)."""
    if "\x00" in text:
        raise CSVDecodeError("binary data")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise CSVDecodeError(str(exc)) from exc
