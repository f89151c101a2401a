"""The product page and form on a 390 px phone: a short stock history, an average cost
shown to the currency, and every box in the variant grid named after its own row.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from kyora.extensions import db
from kyora.inventory import services
from kyora.inventory.models import StockMovement, Variant
from tests.factories import PASSWORD, make_business, make_product, make_user

SCREEN = 844


def _log_in(page, live_server, owner, path):
    page.goto(f"{live_server}/login?next={path}")
    page.fill("input[name=email]", owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action^='/login'] button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_product_page_history_is_compact_and_the_form_names_each_box(page, live_server, app):
    with app.test_request_context("/"):
        owner, business, product, red_s = _product()
    db.session.commit()
    avg = db.session.get(Variant, red_s.id).avg_cost
    assert avg != avg.quantize(Decimal("0.01"))
    _test(page, live_server, owner, business, product, red_s, avg)


def _product():
    owner = make_user(name="Layla Owner", email="product-phone@example.com")
    business = make_business(owner, name="Layla Scarves", handle="product-phone")
    product = make_product(
        business,
        "Silk Scarf",
        options={"Colour": ["Red", "Black"], "Size": ["S", "M"]},
        price="120",
        cost="100",
        stock=10,
    )
    red_s = product.variants[0]
    # Restocks at other costs leave an average with more decimals than the currency.
    for cost in ("137", "141.5", "150.25"):
        services.restock(business, owner, red_s.id, 7, Decimal(cost), True, note="Supplier")
    for _ in range(20):
        services.adjust_stock(business, owner, red_s.id, "damaged", quantity=1)
    return owner, business, product, red_s


def _test(page, live_server, owner, business, product, red_s, avg):
    base = f"/b/{business.handle}/products/{product.id}"
    _log_in(page, live_server, owner, base)

    # 24 stock changes fit in a few screens: two lines each, not eight labelled rows.
    row = page.locator("#stock-history tbody tr").first.bounding_box()
    assert row["height"] < 90, row
    assert page.evaluate("document.documentElement.scrollHeight") < 8 * SCREEN

    page.goto(f"{live_server}{base}/edit")
    cost = page.input_value("#variants-0-cost")
    assert cost == str(avg.quantize(Decimal("0.01"))), cost
    labels = page.eval_on_selector_all(
        "#product-form input[aria-label]", "boxes => boxes.map(b => b.getAttribute('aria-label'))"
    )
    assert len(labels) == len(set(labels)), labels
    assert "Colour · Row 2" in labels and "Sale price · Black / S" in labels
    option_labels = page.eval_on_selector_all(
        ".inv-option-row label", "labels => labels.map(l => l.innerText.trim())"
    )
    assert len(option_labels) == len(set(option_labels)), option_labels

    # Saving without touching the cost does not revalue the stock.
    before = db.session.scalar(sa.select(sa.func.count(StockMovement.id)))
    page.click("#product-form button[value=save]:not(.inv-default-submit)")
    page.wait_for_url(f"**{base}")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(StockMovement.id))) == before
    assert db.session.get(Variant, red_s.id).avg_cost == avg
