"""Reading an uploaded catalog CSV into an import plan (the preview). Writes nothing.

A row whose SKU exists updates that variant; other rows create products (rows
sharing a name become one product with variants) or add variants to an existing
product with options.
"""

from __future__ import annotations

from flask_babel import gettext as _

from kyora.core import csv as csvfile
from kyora.inventory.catalog import clean_text
from kyora.inventory.csv.columns import (
    COLUMNS,
    column_labels,
    header_aliases,
    normalize_heading,
    parse_options,
)
from kyora.inventory.csv.plan import ImportPlan, RowPlan, resolve
from kyora.inventory.parsing import parse_count, parse_money
from kyora.inventory.skus import SKU_RE, normalize_sku

MAX_BYTES = 2_000_000
MAX_ROWS = 2000


def read_file(data: bytes) -> tuple[str | None, str | None]:
    """The file's text, or a message saying why it can't be read."""
    if not data:
        return None, _("Choose a CSV file to import.")
    if len(data) > MAX_BYTES:
        return None, _(
            "This file is too large. Import at most %(count)d rows at a time.", count=MAX_ROWS
        )
    try:
        return csvfile.decode_csv(data), None
    except csvfile.CSVDecodeError:
        return None, _(
            "This file isn't UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and try again."
        )


def _parse_row(plan_row: RowPlan, cells: dict, currency: str) -> None:
    values, errors = plan_row.values, {}
    text = {}
    for key in ("name", "category", "options", "sku"):
        cell = csvfile.unguard_cell((cells.get(key) or "").strip())
        if csvfile.looks_like_formula(cell):
            plan_row.fail(
                _(
                    "%(column)s starts with “%(char)s”, which spreadsheets run as a formula. Remove it.",
                    column=column_labels()[key],
                    char=cell[:1].strip() or "⇥",
                )
            )
            cell = ""
        text[key] = cell
    values.name = clean_text(text["name"], 161)
    if not values.name:
        plan_row.fail(_("The name is missing."))
    elif len(values.name) > 160:
        plan_row.fail(_("The name is longer than %(count)d characters.", count=160))
    values.category = clean_text(text["category"], 80)
    try:
        values.options = parse_options(text["options"])
    except ValueError:
        values.options = []
        plan_row.fail(_("Write options like “Size: M; Colour: Red”."))
    values.sku = normalize_sku(text["sku"])
    if values.sku and not SKU_RE.match(values.sku):
        plan_row.fail(_("The SKU can use letters, numbers and - . / # only."))
    labels = column_labels()
    values.price = parse_money(cells.get("price"), currency, "price", errors)
    values.cost = parse_money(cells.get("cost"), currency, "cost", errors, 4)
    values.stock = parse_count(cells.get("stock"), "stock", errors)
    values.threshold = parse_count(cells.get("threshold"), "threshold", errors)
    for key, message in errors.items():
        plan_row.fail(f"{labels[key]}: {message}")
    plan_row.title = values.name or "—"


def plan_import(business, text: str) -> ImportPlan:
    """What importing `text` would do, row by row. Writes nothing."""
    plan = ImportPlan()
    # The confirm step posts the text back: the same size cap as the upload.
    if len(text) > MAX_BYTES:
        plan.file_error = _(
            "This file is too large. Import at most %(count)d rows at a time.", count=MAX_ROWS
        )
        return plan
    try:
        rows = csvfile.read_csv(text)
    except csvfile.CSVDecodeError:
        plan.file_error = _(
            "We couldn't read this file as a table. Save it from your spreadsheet as CSV and try again."
        )
        return plan
    if not rows:
        plan.file_error = _("This file is empty.")
        return plan
    aliases = header_aliases()
    header = [aliases.get(normalize_heading(cell)) for cell in rows[0]]
    plan.ignored = [
        cell for cell, key in zip(rows[0], header, strict=True) if key is None and cell.strip()
    ]
    if "name" not in header:
        expected = ", ".join(column_labels()[key] for key in COLUMNS)
        plan.file_error = _(
            "The first row must name the columns: %(expected)s. We found: %(found)s.",
            expected=expected,
            found=", ".join(cell.strip() for cell in rows[0]) or "—",
        )
        return plan
    if len(rows) - 1 > MAX_ROWS:
        plan.file_error = _(
            "This file has too many rows. Import at most %(count)d rows at a time.", count=MAX_ROWS
        )
        return plan
    for number, row in enumerate(rows[1:], start=2):
        cells = {key: row[i] if i < len(row) else "" for i, key in enumerate(header) if key}
        plan_row = RowPlan(line=number)
        _parse_row(plan_row, cells, business.currency)
        plan.rows.append(plan_row)
    if not plan.rows:
        plan.file_error = _("This file has column names but no products.")
        return plan
    resolve(business, plan)
    return plan
