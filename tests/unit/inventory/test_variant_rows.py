"""Generating variant rows from option values on the product form."""

from kyora.inventory.web.variant_rows import generate_rows, split_values


def data(options, rows):
    return {
        "mode": "options",
        "options": [{"name": name, "values": values} for name, values in options],
        "variants": rows,
    }


def combos(result):
    return [
        (row.get("option_0"), row.get("option_1"), row.get("id"), row["remove"])
        for row in result["variants"]
    ]


def test_split_values_accepts_arabic_commas_and_drops_repeats():
    assert split_values("S, M، l , M,, L") == ["S", "M", "l"]


def test_new_rows_for_every_combination_with_the_first_price():
    result = generate_rows(
        data([("Size", "S, M"), ("Colour", "Red, Blue")], [{"id": "", "price": "90", "cost": "30"}])
    )
    assert combos(result) == [
        ("S", "Red", "", False),
        ("S", "Blue", "", False),
        ("M", "Red", "", False),
        ("M", "Blue", "", False),
    ]
    assert {row["price"] for row in result["variants"]} == {"90"}


def test_a_simple_products_variant_keeps_its_id_in_the_first_combination():
    result = generate_rows(data([("Size", "S, M")], [{"id": "7", "sku": "CAP", "price": "35"}]))
    assert combos(result) == [("S", "", "7", False), ("M", "", "", False)]
    assert result["variants"][0]["sku"] == "CAP"


def test_saved_rows_keep_their_combination_and_gone_ones_are_marked_for_removal():
    rows = [
        {"id": "1", "option_0": "S", "price": "10"},
        {"id": "2", "option_0": "M", "price": "10"},
        {"id": "3", "option_0": "L", "price": "10"},
    ]
    result = generate_rows(data([("Size", "m, s, XL")], rows))
    assert combos(result) == [
        ("m", "", "2", False),
        ("s", "", "1", False),
        ("XL", "", "", False),
        ("L", None, "3", True),
    ]


def test_adding_a_second_option_keeps_saved_variants():
    rows = [{"id": "1", "option_0": "S"}, {"id": "2", "option_0": "M"}]
    result = generate_rows(data([("Size", "S, M"), ("Colour", "Red, Blue")], rows))
    assert combos(result) == [
        ("S", "Red", "1", False),
        ("S", "Blue", "", False),
        ("M", "Red", "2", False),
        ("M", "Blue", "", False),
    ]


def test_no_values_changes_nothing():
    original = data([("Size", "")], [{"id": "", "price": "1"}])
    assert generate_rows(original)["variants"] == [{"id": "", "price": "1"}]
