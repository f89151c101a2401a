"""The cart's caps and trimming, and the QR code drawn as one SVG path."""

from __future__ import annotations

import segno

from kyora.storefront.cart import MAX_LINES, MAX_QUANTITY, Cart, parse_quantity
from kyora.storefront.handoff import qr_code


def test_a_cart_keeps_at_most_its_lines_and_units():
    cart = Cart()
    for variant_id in range(1, MAX_LINES + 5):
        cart.add(variant_id, 3)
    cart.add(1, 10_000)
    assert len(cart.lines) == MAX_LINES
    assert cart.lines[1] == MAX_QUANTITY
    assert MAX_LINES + 1 not in cart.lines


def test_trimming_to_what_is_left_reports_the_lines_that_changed():
    cart = Cart({1: 4, 2: 1, 3: 2})
    changed = cart.keep_only({1: 2, 2: 5})
    assert cart.lines == {1: 2, 2: 1}
    assert sorted(changed) == [1, 3]


def test_quantities_as_shoppers_type_them():
    assert parse_quantity("3") == 3
    assert parse_quantity("٣") == 3
    assert parse_quantity("") == 1
    assert parse_quantity("-1") is None
    assert parse_quantity("1e9") is None
    assert parse_quantity("99999999999") is None


def test_the_qr_path_draws_exactly_the_dark_modules():
    url = "https://wa.me/971501112222?text=Hello"
    code = qr_code(url, border=2)
    matrix = segno.make(url, error="l", micro=False).matrix
    assert code.size == len(matrix) + 4
    dark = sum(sum(1 for cell in row if cell) for row in matrix)
    drawn = sum(int(run.split("h")[1].split("v")[0]) for run in code.path.split("z") if run)
    assert drawn == dark
    assert set(code.path) <= set("0123456789Mhvz- ")


def test_text_on_the_brand_colour_stays_readable():
    from kyora.storefront.web.page import text_on

    assert text_on("#0f766e") == "#fff"
    assert text_on("#fde047") == "#111"
    assert text_on("#ffffff") == "#111"
