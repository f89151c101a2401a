"""The stock service API that orders rely on: take, put back, restock, adjust."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from kyora.core.errors import OutOfStock, ValidationFailed
from kyora.extensions import db
from kyora.inventory import events, services
from kyora.inventory.models import StockMovement, Variant
from tests.factories import make_product, make_tenant


@pytest.fixture
def shop(request_ctx):
    owner, business = make_tenant()
    product = make_product(business, "Red Scarf", options={"Size": ["S", "M"]}, stock=3, cost="20")
    return owner, business, product


def _fresh(variant_id) -> Variant:
    db.session.expire_all()
    return db.session.get(Variant, variant_id)


def test_take_stock_decrements_and_snapshots_average_cost(shop):
    owner, business, product = shop
    variant = product.variants[1]
    movement = services.take_stock(
        business, owner, variant.id, 2, source_type="order", source_id=1001, note="Order 1001"
    )
    assert (movement.kind, movement.quantity, movement.stock_after) == ("sale", -2, 1)
    assert movement.unit_cost == Decimal("20.0000")
    assert (movement.source_type, movement.source_id) == ("order", 1001)
    assert _fresh(variant.id).stock == 1
    assert services.ledger_total(business, variant.id) == 1


def test_take_stock_refuses_below_zero_naming_the_variant(shop):
    owner, business, product = shop
    variant = product.variants[1]
    services.take_stock(business, owner, variant.id, 2)
    with pytest.raises(OutOfStock) as caught:
        services.take_stock(business, owner, variant.id, 2)
    assert caught.value.message == "Only 1 left of Red Scarf — M."
    assert caught.value.variant_id == variant.id
    assert _fresh(variant.id).stock == 1
    services.take_stock(business, owner, variant.id, 1)
    with pytest.raises(OutOfStock, match="Red Scarf — M is out of stock."):
        services.take_stock(business, owner, variant.id, 1)


def test_take_stock_refuses_archived_and_foreign_variants(shop):
    owner, business, product = shop
    services.archive_product(business, owner, product)
    with pytest.raises(OutOfStock, match="no longer sold"):
        services.take_stock(business, owner, product.variants[0].id, 1)
    other_owner, other_business = make_tenant()
    other = make_product(other_business, "Cap", stock=5)
    with pytest.raises(OutOfStock, match="no longer in your catalog"):
        services.take_stock(business, owner, other.variants[0].id, 1)
    assert _fresh(other.variants[0].id).stock == 5


def test_take_stock_needs_a_positive_whole_quantity(shop):
    owner, business, product = shop
    for bad in (0, -1, "x", Decimal("1.5")):
        with pytest.raises(ValidationFailed):
            services.take_stock(business, owner, product.variants[0].id, bad)


def test_put_back_returns_units_at_the_cost_they_left_at(shop):
    owner, business, product = shop
    variant = product.variants[0]
    services.take_stock(business, owner, variant.id, 2, source_type="order", source_id=7)
    # A later purchase at a different cost moves the average...
    services.restock(business, owner, variant.id, 1, Decimal("32"), paid=True)
    assert _fresh(variant.id).avg_cost == Decimal("26.0000")  # (1×20 + 1×32) / 2
    # ...and the cancelled order's two units come back at 20 each.
    movement = services.put_back_stock(
        business, owner, variant.id, 2, kind="cancel", source_type="order", source_id=7
    )
    assert (movement.kind, movement.quantity, movement.stock_after) == ("cancel", 2, 4)
    assert movement.unit_cost == Decimal("20.0000")
    assert _fresh(variant.id).avg_cost == Decimal("23.0000")  # (2×26 + 2×20) / 4
    assert services.ledger_total(business, variant.id) == 4


def test_restock_purchase_emits_cash_amount_and_reweights_cost(shop):
    owner, business, product = shop
    variant = product.variants[0]
    seen = []

    def on_purchase(sender, movement, amount):
        seen.append((sender.id, movement.kind, amount))

    with events.stock_purchased.connected_to(on_purchase):
        services.restock(
            business, owner, variant.id, 5, Decimal("12.5"), paid=True, note="Supplier"
        )
    assert seen == [(business.id, "purchase", Decimal("62.50"))]
    fresh = _fresh(variant.id)
    assert fresh.stock == 8
    # (3×20 + 5×12.5) / 8 = 15.3125
    assert fresh.avg_cost == Decimal("15.3125")


def test_found_stock_is_not_a_purchase(shop):
    owner, business, product = shop
    variant = product.variants[0]
    purchases, adjustments = [], []
    with (
        events.stock_purchased.connected_to(lambda s, **kw: purchases.append(kw)),
        events.stock_adjusted.connected_to(lambda s, **kw: adjustments.append(kw)),
    ):
        movement = services.restock(business, owner, variant.id, 2, None, paid=False)
    assert movement.kind == "found"
    assert movement.unit_cost == Decimal("20.0000")
    assert purchases == []
    assert adjustments[0]["amount"] == Decimal("40.00")


def test_adjust_damaged_and_count_correction(shop):
    owner, business, product = shop
    variant = product.variants[0]
    amounts = []
    with events.stock_adjusted.connected_to(lambda s, **kw: amounts.append(kw["amount"])):
        services.adjust_stock(business, owner, variant.id, "damaged", quantity=1, note="Torn")
        services.adjust_stock(business, owner, variant.id, "correction", counted=5)
    assert amounts == [Decimal("-20.00"), Decimal("60.00")]
    assert _fresh(variant.id).stock == 5
    with pytest.raises(ValidationFailed) as caught:
        services.adjust_stock(business, owner, variant.id, "lost", quantity=6)
    assert caught.value.errors == {"quantity": "Only 5 in stock."}
    with pytest.raises(ValidationFailed, match="already 5"):
        services.adjust_stock(business, owner, variant.id, "correction", counted=5)
    kinds = db.session.scalars(
        sa.select(StockMovement.kind)
        .where(StockMovement.variant_id == variant.id)
        .order_by(StockMovement.id)
    ).all()
    assert kinds == ["initial", "damaged", "correction"]
    assert services.ledger_total(business, variant.id) == 5


def test_search_variants_and_catalog_entries(shop):
    owner, business, product = shop
    make_product(business, "Black Cap", price="35", stock=1)
    archived = make_product(business, "Old Bag", stock=1)
    services.archive_product(business, owner, archived)
    found = services.search_variants(business, "scarf m")
    assert [v.title for v in found] == ["Red Scarf — M"]
    assert [v.title for v in services.search_variants(business, "")] == [
        "Black Cap",
        "Red Scarf — S",
        "Red Scarf — M",
    ]
    sku = found[0].sku
    assert services.search_variants(business, sku.lower())[0].id == found[0].id
    assert services.search_variants(business, "bag") == []
    entries = services.catalog_entries(business)
    assert {e["product_name"] for e in entries} == {"Black Cap", "Red Scarf"}
    scarf_m = next(e for e in entries if e["option_values"] == ["M"])
    assert scarf_m == {
        "variant_id": found[0].id,
        "product_name": "Red Scarf",
        "option_values": ["M"],
        "sku": sku,
        "price": Decimal("50.000"),
        "stock": 3,
    }
