"""The product form's rows as plain data, and the buttons that rework them without
saving: generating one variant row per combination of the option values."""

from __future__ import annotations

from itertools import product as cartesian

from kyora.inventory.web.forms import OPTION_SLOTS, ProductForm


def split_values(text: str | None) -> list[str]:
    """ "S, M, L" (or Arabic commas) -> ["S", "M", "L"], without blanks or repeats."""
    seen, values = set(), []
    for part in (text or "").replace("،", ",").split(","):
        value = " ".join(part.split())
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            values.append(value)
    return values


def row_data(entry) -> dict:
    """A variant row's raw values, to rebuild the rows."""
    form = entry.form
    return {name: form[name].data for name in form._fields}


def form_data(form: ProductForm) -> dict:
    """The posted form as plain data, to rework and draw it again."""
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
