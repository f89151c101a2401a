"""Forms of the product and stock pages, and their translation into service drafts.

Numbers are typed as text fields and parsed by `kyora.inventory.parsing`, so every
message is ours and translated, and sits beside the field it is about.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)

from kyora.core.forms import options
from kyora.inventory.catalog import MAX_OPTIONS
from kyora.inventory.drafts import ProductDraft, VariantDraft
from kyora.inventory.models import ADJUST_REASONS
from kyora.inventory.parsing import parse_count, parse_money

OPTION_SLOTS = tuple(f"option_{i}" for i in range(MAX_OPTIONS))


class OptionForm(Form):
    name = StringField(_l("Option"))
    values = StringField(_l("Values"))


class VariantRowForm(Form):
    id = HiddenField()
    option_0 = StringField(_l("Option 1"))
    option_1 = StringField(_l("Option 2"))
    option_2 = StringField(_l("Option 3"))
    sku = StringField(_l("SKU"))
    price = StringField(_l("Sale price"))
    cost = StringField(_l("Cost price"))
    stock = StringField(_l("Opening stock"))
    threshold = StringField(_l("Low-stock alert at"))
    remove = BooleanField(_l("Remove"))


class ProductForm(FlaskForm):
    """The one form for a product: details, options and variant rows, photos."""

    mode = HiddenField(default="simple")
    name = StringField(_l("Product name"))
    description = TextAreaField(_l("Description"))
    category_id = SelectField(_l("Category"), validate_choice=False)
    new_category = StringField(_l("Or create a new category"))
    options = FieldList(FormField(OptionForm), min_entries=0, max_entries=MAX_OPTIONS)
    variants = FieldList(FormField(VariantRowForm), min_entries=1, max_entries=200)
    photos = MultipleFileField(_l("Photos"))

    @property
    def has_options(self) -> bool:
        return self.mode.data == "options"

    def option_names(self) -> list[str]:
        return [" ".join((entry.form.name.data or "").split()) for entry in self.options]

    def named_options(self) -> list[str]:
        return [name for name in self.option_names() if name]

    def to_draft(self, currency: str) -> ProductDraft:
        """The draft the catalog service saves. Numbers that don't parse are left out
        and their messages kept in `parse_errors`."""
        errors: dict[str, str] = {}
        self.parse_errors = errors
        names = self.named_options() if self.has_options else []
        rows = []
        for index, entry in enumerate(self.variants):
            row = entry.form
            prefix = f"variants-{index}-"
            try:
                row_id = int(row.id.data) if row.id.data else None
            except ValueError:
                row_id = None
            rows.append(
                VariantDraft(
                    id=row_id,
                    options=[row[slot].data or "" for slot in OPTION_SLOTS[: len(names)]],
                    sku=row.sku.data or "",
                    price=parse_money(row.price.data, currency, prefix + "price", errors),
                    cost=parse_money(row.cost.data, currency, prefix + "cost", errors, 4),
                    stock=parse_count(row.stock.data, prefix + "stock", errors),
                    threshold=parse_count(row.threshold.data, prefix + "threshold", errors),
                    remove=bool(row.remove.data),
                )
            )
        category_id = None
        if self.category_id.data:
            try:
                category_id = int(self.category_id.data)
            except ValueError:
                category_id = None
        return ProductDraft(
            name=self.name.data or "",
            description=self.description.data or "",
            category_id=category_id,
            new_category=self.new_category.data or "",
            option_names=names,
            variants=rows,
        )


class RestockForm(FlaskForm):
    quantity = StringField(_l("How many came in"))
    unit_cost = StringField(_l("Cost per item"))
    paid = RadioField(
        _l("Did you pay for this now?"),
        choices=options(
            [
                ("yes", _l("Yes, I paid for it now (recorded as a purchase)")),
                ("no", _l("No, I found it or already had it")),
            ]
        ),
        default="yes",
    )
    note = StringField(_l("Note"))


class AdjustForm(FlaskForm):
    reason = RadioField(
        _l("What happened?"),
        choices=options(list(ADJUST_REASONS.items())),
        default="damaged",
    )
    quantity = StringField(_l("How many to remove"))
    counted = StringField(_l("How many do you have now?"))
    note = StringField(_l("Reason or note"))


class ThresholdForm(FlaskForm):
    threshold = StringField(_l("Alert me when stock is at or below"))


class PhotoUploadForm(FlaskForm):
    photos = MultipleFileField(_l("Add photos"))
    variant_id = SelectField(_l("Photos of"), validate_choice=False)


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"))
    content = HiddenField()


class CategoryForm(FlaskForm):
    name = StringField(_l("New category"))
