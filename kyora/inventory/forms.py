"""Forms of the product and stock pages, and their translation into service drafts.

Numbers are typed as text and parsed here (Arabic-Indic digits welcome), so every
message is ours and translated, and sits beside the field it is about.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import product as cartesian

from flask_babel import gettext as _
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
from kyora.core.money import minor_units, normalize_digits, parse_amount
from kyora.inventory.catalog import MAX_OPTIONS, ProductDraft, VariantDraft
from kyora.inventory.models import ADJUST_REASONS

OPTION_SLOTS = tuple(f"option_{i}" for i in range(MAX_OPTIONS))


def parse_money(
    text, currency: str, field: str, errors: dict, decimals: int | None = None
) -> Decimal | None:
    """An amount typed by the seller, or None when blank; problems go to `errors`.

    Prices take the currency's decimals; costs may take more (`decimals`), since
    an average cost per unit is often a fraction of the minor unit.
    """
    places = minor_units(currency) if decimals is None else decimals
    try:
        value = parse_amount(text)
    except ValueError:
        errors[field] = _("Enter an amount, like 12.50.")
        return None
    if value is None:
        return None
    exponent = value.normalize().as_tuple().exponent  # "12.50" is fine for 1 decimal
    if isinstance(exponent, int) and -exponent > places:
        errors[field] = _("Use at most %(count)d decimals.", count=places)
        return None
    if value < 0:
        errors[field] = _("Enter 0 or more. Amounts can't be negative.")
        return None
    return value


def parse_count(text, field: str, errors: dict) -> int | None:
    """A whole number of units, or None when blank; problems go to `errors`."""
    cleaned = normalize_digits(str(text or "")).strip().replace(",", "")
    if not cleaned:
        return None
    try:
        value = int(cleaned)
    except ValueError:
        errors[field] = _("Enter a whole number.")
        return None
    if value < 0:
        errors[field] = _("Enter 0 or more. Stock can't be negative.")
        return None
    return value


def split_values(text: str | None) -> list[str]:
    """ "S, M, L" (or Arabic commas) -> ["S", "M", "L"], without blanks or repeats."""
    seen, values = set(), []
    for part in (text or "").replace("،", ",").split(","):
        value = " ".join(part.split())
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            values.append(value)
    return values


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


def row_data(entry) -> dict:
    """A variant row's raw values, to rebuild the rows."""
    form = entry.form
    return {name: form[name].data for name in form._fields}


def form_data(form: ProductForm) -> dict:
    return {
        "mode": form.mode.data,
        "name": form.name.data,
        "description": form.description.data,
        "category_id": form.category_id.data,
        "new_category": form.new_category.data,
        "options": [{"name": e.form.name.data, "values": e.form.values.data} for e in form.options],
        "variants": [row_data(entry) for entry in form.variants],
    }


def _key(values: list[str]) -> tuple:
    return tuple(" ".join((v or "").split()).casefold() for v in values)


def generate_rows(data: dict) -> dict:
    """One row per combination of the option values, keeping rows that already exist.

    A saved variant keeps its combination, or takes the first free one that fits
    the values it has (so a simple product's variant, or one from before a new
    option was added, keeps its stock and history). Saved variants whose
    combination is gone stay listed, marked for removal, so the seller sees what
    will happen before saving.
    """
    option_values = [
        split_values(o["values"]) for o in data["options"] if (o["name"] or "").strip()
    ]
    option_values = [values for values in option_values if values]
    if not option_values:
        return data
    count = len(option_values)
    combos = [list(combo) for combo in cartesian(*option_values)]
    index_of = {_key(combo): i for i, combo in enumerate(combos)}
    rows = data["variants"]
    claimed: dict[int, dict] = {}
    unmatched = []
    for row in rows:
        found = index_of.get(_key([row.get(slot) or "" for slot in OPTION_SLOTS[:count]]))
        if found is not None and found not in claimed:
            claimed[found] = row
        elif row.get("id"):
            unmatched.append(row)
    leftovers = []
    for row in unmatched:
        values = _key([row.get(slot) or "" for slot in OPTION_SLOTS[:count]])
        for i, combo in enumerate(combos):
            fits = all(v in ("", c) for v, c in zip(values, _key(combo), strict=True))
            if i not in claimed and fits:
                claimed[i] = row
                break
        else:
            leftovers.append(row)
    template = next((row for row in rows if row.get("price") or row.get("cost")), {})
    new_rows = []
    for i, combo in enumerate(combos):
        row = claimed.get(i) or {
            "id": "",
            "sku": "",
            "price": template.get("price", ""),
            "cost": template.get("cost", ""),
            "stock": "",
            "threshold": template.get("threshold", ""),
        }
        row = {**row, "remove": False}
        for slot in OPTION_SLOTS:
            row[slot] = ""
        for slot, value in zip(OPTION_SLOTS, combo, strict=False):
            row[slot] = value
        new_rows.append(row)
    new_rows += [{**row, "remove": True} for row in leftovers]
    data["variants"] = new_rows
    return data


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
