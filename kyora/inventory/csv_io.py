"""CSV import (preview first, then all-or-nothing) and export of the catalog.

One row per variant: name, category, options ("Size: M; Colour: Red"), SKU,
price, cost, stock, low-stock alert. A row whose SKU exists updates that
variant; other rows create products (rows sharing a name become one product
with variants) or add variants to an existing product with options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from kyora.core import csv as csvfile
from kyora.core.money import quantize
from kyora.extensions import db
from kyora.inventory.catalog import SKU_RE, clean_text, normalize_sku
from kyora.inventory.costing import plain_amount
from kyora.inventory.forms import parse_count, parse_money
from kyora.inventory.models import Category, Product, Variant

COLUMNS = ("name", "category", "options", "sku", "price", "cost", "stock", "threshold")
EXPORT_ONLY = ("value", "status")
MAX_BYTES = 2_000_000
MAX_ROWS = 2000


def column_labels() -> dict[str, str]:
    """Column headings in the current language."""
    return {
        "name": _("Name"),
        "category": _("Category"),
        "options": _("Options"),
        "sku": _("SKU"),
        "price": _("Price"),
        "cost": _("Cost"),
        "stock": _("Stock"),
        "threshold": _("Low-stock alert"),
        "value": _("Stock value"),
        "status": _("Status"),
    }


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", text or "").split()).casefold()


def header_aliases() -> dict[str, str]:
    """Every heading we accept, in English and Arabic, to its column key."""
    aliases = {_norm(key): key for key in (*COLUMNS, *EXPORT_ONLY)}
    aliases.update({"low stock threshold": "threshold", "quantity": "stock", "title": "name"})
    for locale in ("en", "ar"):
        with force_locale(locale):
            aliases.update({_norm(label): key for key, label in column_labels().items()})
    aliases.update({_norm(label): key for key, label in column_labels().items()})
    return aliases


def parse_options(text: str) -> list[tuple[str, str]]:
    """ "Size: M; Colour: Red" -> [("Size", "M"), ("Colour", "Red")]; ValueError if malformed."""
    text = (text or "").strip()
    if not text:
        return []
    parts = [p for p in re.split(r"[;؛]", text) if p.strip()]
    if len(parts) == 1 and " / " in text:
        parts = text.split(" / ")
    pairs = []
    for part in parts:
        name, sep, value = part.partition(":")
        name, value = clean_text(name, 31), clean_text(value, 41)
        if not sep or not name or not value:
            raise ValueError(part)
        pairs.append((name, value))
    return pairs


def format_options(names: list[str], values: list[str]) -> str:
    return "; ".join(f"{n}: {v}" for n, v in zip(names, values, strict=False))


@dataclass
class RowPlan:
    line: int
    action: str = "create"  # create | add | update | same | error
    title: str = ""
    messages: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    variant: Variant | None = None
    product: Product | None = None

    def fail(self, message: str) -> None:
        self.action = "error"
        self.messages.append(message)


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    file_error: str | None = None
    ignored: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for row in self.rows if row.action == "error")

    @property
    def ok(self) -> bool:
        return self.file_error is None and self.errors == 0 and bool(self.rows)

    def count(self, *actions: str) -> int:
        return sum(1 for row in self.rows if row.action in actions)


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
    for key in ("name", "category", "options", "sku"):
        text = csvfile.unguard_cell((cells.get(key) or "").strip())
        if csvfile.looks_like_formula(text):
            plan_row.fail(
                _(
                    "%(column)s starts with “%(char)s”, which spreadsheets run as a formula. Remove it.",
                    column=column_labels()[key],
                    char=text[:1].strip() or "⇥",
                )
            )
            text = ""
        values[key] = text
    values["name"] = clean_text(values["name"], 161)
    if not values["name"]:
        plan_row.fail(_("The name is missing."))
    elif len(values["name"]) > 160:
        plan_row.fail(_("The name is longer than %(count)d characters.", count=160))
    values["category"] = clean_text(values["category"], 80)
    try:
        values["options"] = parse_options(values["options"])
    except ValueError:
        values["options"] = []
        plan_row.fail(_("Write options like “Size: M; Colour: Red”."))
    values["sku"] = normalize_sku(values["sku"])
    if values["sku"] and not SKU_RE.match(values["sku"]):
        plan_row.fail(_("The SKU can use letters, numbers and - . / # only."))
    labels = column_labels()
    values["price"] = parse_money(cells.get("price"), currency, "price", errors)
    values["cost"] = parse_money(cells.get("cost"), currency, "cost", errors, 4)
    values["stock"] = parse_count(cells.get("stock"), "stock", errors)
    values["threshold"] = parse_count(cells.get("threshold"), "threshold", errors)
    for key, message in errors.items():
        plan_row.fail(f"{labels[key]}: {message}")
    plan_row.title = values["name"] or "—"


def plan_import(business, text: str) -> ImportPlan:
    """What importing `text` would do, row by row. Writes nothing."""
    plan = ImportPlan()
    rows = csvfile.read_csv(text)
    if not rows:
        plan.file_error = _("This file is empty.")
        return plan
    aliases = header_aliases()
    header = [aliases.get(_norm(cell)) for cell in rows[0]]
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
    from kyora.inventory.csv_plan import resolve

    resolve(business, plan)
    return plan


def export_rows(business, include_costs: bool):
    """Header and rows of the catalog export (active products, one row per variant)."""
    from kyora.inventory.models import stock_status

    labels = column_labels()
    keys = ["name", "category", "options", "sku", "price"]
    keys += ["cost"] if include_costs else []
    keys += ["stock", "threshold"]
    keys += ["value"] if include_costs else []
    keys += ["status"]
    status_words = {"in": _("In stock"), "low": _("Low stock"), "out": _("Out of stock")}
    query = (
        sa.select(Variant, Product.name, Product.option_names, Category.name)
        .join(Product, Product.id == Variant.product_id)
        .join(Category, Category.id == Product.category_id, isouter=True)
        .where(
            Variant.business_id == business.id,
            Variant.archived_at.is_(None),
            Product.archived_at.is_(None),
        )
        .order_by(sa.func.lower(Product.name), Product.id, Variant.position, Variant.id)
    )
    currency = business.currency

    def rows():
        for variant, name, option_names, category in db.session.execute(query):
            threshold = variant.threshold(business.low_stock_threshold)
            values = {
                "name": name,
                "category": category or "",
                "options": format_options(option_names or [], variant.option_values or []),
                "sku": variant.sku,
                "price": quantize(variant.price, currency),
                "cost": plain_amount(variant.avg_cost, currency),
                "stock": variant.stock,
                "threshold": ""
                if variant.low_stock_threshold is None
                else variant.low_stock_threshold,
                "value": quantize(variant.stock * variant.avg_cost, currency),
                "status": status_words[stock_status(variant.stock, threshold)],
            }
            yield [values[key] for key in keys]

    return [labels[key] for key in keys], rows()
