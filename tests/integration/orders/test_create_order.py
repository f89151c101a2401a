"""Creating orders through the service: totals, stock, customers, numbers, idempotency."""

from decimal import Decimal as D

import pytest
import sqlalchemy as sa

from kyora.core.errors import Conflict, ValidationFailed
from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.inventory import services as inventory
from kyora.inventory.models import StockMovement, Variant
from kyora.orders import events
from kyora.orders.models import Order, OrderEvent, OrderItem, ShippingZone
from kyora.orders.services import (
    DraftLine,
    MethodDraft,
    OrderDraft,
    create_order,
    update_payment_methods,
)
from tests.factories import make_order, make_product, make_tenant

pytestmark = pytest.mark.usefixtures("request_ctx")


def _stock(variant) -> int:
    return db.session.scalar(sa.select(Variant.stock).where(Variant.id == variant.id))


def _draft(*lines, **fields) -> OrderDraft:
    return OrderDraft(
        lines=[DraftLine(v.id, q, p) for v, q, *rest in lines for p in [rest[0] if rest else None]],
        **fields,
    )


def test_an_order_takes_stock_computes_totals_and_creates_the_customer(shop):
    received = []

    def on_confirmed(sender, **kwargs):
        received.append(kwargs)

    with events.order_confirmed.connected_to(on_confirmed):
        saved = create_order(
            shop.business,
            shop.owner,
            _draft(
                (shop.scarf_m, 2),
                (shop.cap, 1, D("28.50")),
                customer_name="Sara",
                customer_phone="050 123 4567",
                customer_handle="@sara.designs",
                channel="instagram",
                discount_kind="percent",
                discount_value=D("10"),
                shipping_mode="manual",
                shipping_fee=D("15"),
                address_line="Villa 12, Marina",
                address_city="Dubai",
            ),
        )
    order = saved.order
    assert saved.created
    assert order.number == 1001
    assert order.status == "confirmed" and order.confirmed_at is not None
    # 2 × 45 + 28.50 = 118.50; 10 % off = 11.85; VAT 5 % of 106.65 = 5.33; + 15 delivery
    assert (order.subtotal, order.discount, order.vat, order.shipping, order.total) == (
        D("118.50"),
        D("11.85"),
        D("5.33"),
        D("15.00"),
        D("126.98"),
    )
    assert order.cost_total == D("52.50")  # 2 × 20 + 12.50
    assert order.payment_status == "unpaid"
    assert _stock(shop.scarf_m) == 3 and _stock(shop.cap) == 2
    assert inventory.ledger_total(shop.business, shop.scarf_m.id) == 3
    movements = db.session.scalars(
        sa.select(StockMovement).where(StockMovement.source_type == "order")
    ).all()
    assert {m.source_id for m in movements} == {order.id}

    customer = db.session.get(Customer, order.customer_id)
    assert (customer.name, customer.phone, customer.instagram) == (
        "Sara",
        "+971501234567",
        "sara.designs",
    )
    assert customer.orders_count == 1
    assert customer.total_spent == D("126.98") and customer.amount_due == D("126.98")
    assert customer.last_channel == "instagram"
    assert [a.line for a in customer.addresses] == ["Villa 12, Marina"]
    assert order.delivery_address == "Villa 12, Marina, Dubai"

    assert received and received[0]["amounts"].total == D("126.98")
    assert received[0]["amounts"].cost_total == D("52.50")
    assert [i.unit_cost for i in received[0]["items"]] == [D("20"), D("12.5")]
    kinds = db.session.scalars(
        sa.select(OrderEvent.kind).where(OrderEvent.order_id == order.id)
    ).all()
    assert kinds == ["created"]


def test_an_existing_customer_is_found_by_phone(shop):
    first = make_order(
        shop.business,
        shop.owner,
        [(shop.cap, 1)],
        customer_phone="+971501234567",
        customer_name="Sara",
    )
    second = make_order(shop.business, shop.owner, [(shop.cap, 1)], customer_phone="050 123 4567")
    assert first.customer_id == second.customer_id
    customer = db.session.get(Customer, first.customer_id)
    assert customer.orders_count == 2 and customer.total_spent == D("63.00")


def test_numbers_are_sequential_per_business_from_1001(shop):
    numbers = [make_order(shop.business, shop.owner, [(shop.scarf_s, 1)]).number for _ in range(3)]
    assert numbers == [1001, 1002, 1003]
    owner, other = make_tenant()
    cap = make_product(other, "Cap", stock=2).variants[0]
    assert make_order(other, owner, [(cap, 1)]).number == 1001


def test_zone_shipping_is_free_above_the_threshold(shop):
    zone = ShippingZone(
        business_id=shop.business.id,
        name="Dubai",
        cities="Dubai",
        cost=D("20"),
        free_threshold=D("100"),
    )
    db.session.add(zone)
    db.session.flush()
    cheap = make_order(
        shop.business, shop.owner, [(shop.cap, 1)], shipping_mode="zone", shipping_zone_id=zone.id
    )
    big = make_order(
        shop.business,
        shop.owner,
        [(shop.scarf_s, 3)],
        shipping_mode="zone",
        shipping_zone_id=zone.id,
    )
    assert (cheap.shipping, cheap.total) == (D("20.00"), D("51.50"))
    assert (big.shipping, big.total) == (D("0.00"), D("141.75"))


def test_payment_now_records_the_payment_with_its_fee(shop):
    update_payment_methods(
        shop.business,
        {
            "cod": MethodDraft(enabled=True),
            "card": MethodDraft(enabled=True, fee_percent=D("2.9"), fee_fixed=D("1")),
        },
    )
    paid = make_order(
        shop.business, shop.owner, [(shop.scarf_s, 2)], payment="full", payment_method="card"
    )
    assert paid.payment_status == "paid"
    assert paid.amount_paid == D("94.50")
    assert paid.fees == D("3.74")  # 94.50 × 2.9 % = 2.7405 → 2.74, + 1
    part = make_order(
        shop.business,
        shop.owner,
        [(shop.scarf_s, 1)],
        payment="part",
        payment_amount=D("20"),
        payment_method="cod",
    )
    assert (part.payment_status, part.amount_paid, part.balance) == (
        "partially_paid",
        D("20.00"),
        D("27.25"),
    )


@pytest.mark.parametrize(
    ("draft_fields", "field", "message"),
    [
        ({"lines": [("scarf_m", 0)]}, "items-0-quantity", "Enter a quantity of 1 or more."),
        ({"lines": [("scarf_m", -2)]}, "items-0-quantity", "Enter a quantity of 1 or more."),
        ({"lines": [("scarf_m", 1, D("0"))]}, "items-0-unit_price", "The price is 0."),
        ({"lines": [("scarf_m", 1, D("-1"))]}, "items-0-unit_price", "can't be negative"),
        ({"lines": [("scarf_m", 6)]}, "items-0-quantity", "Only 5 of Red Scarf — M in stock."),
        (
            {"lines": [("scarf_m", 1)], "discount_kind": "amount", "discount_value": D("50")},
            "discount_value",
            "can't be more than the subtotal",
        ),
        ({"lines": []}, "items", "Add at least one product."),
        (
            {"lines": [("scarf_m", 1)], "customer_phone": "12"},
            "customer_phone",
            "valid phone number",
        ),
        ({"lines": [("scarf_m", 1)], "status": "shipped"}, "status", "confirmed or pending"),
        (
            {"lines": [("scarf_m", 1)], "shipping_mode": "manual", "shipping_fee": D("-5")},
            "shipping_fee",
            "0 or more",
        ),
        (
            {
                "lines": [("scarf_m", 1)],
                "payment": "part",
                "payment_amount": D("5"),
                "payment_method": "card",
            },
            "payment_method",
            "Choose one of your payment methods.",
        ),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_written(
    shop, draft_fields, field, message
):
    lines = [
        DraftLine(getattr(shop, name).id, qty, *price)
        for name, qty, *price in draft_fields.pop("lines")
    ]
    with pytest.raises(ValidationFailed) as caught:
        create_order(shop.business, shop.owner, OrderDraft(lines=lines, **draft_fields))
    assert message in caught.value.errors[field]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Customer.id))) == 0
    assert _stock(shop.scarf_m) == 5


def test_a_free_item_is_allowed_when_confirmed(shop):
    order = make_order(shop.business, shop.owner, [(shop.cap, 1, D("0"))], allow_zero_price=True)
    assert order.total == D("0.00") and order.payment_status == "paid"


def test_unknown_and_archived_variants_are_refused(shop):
    owner, other = make_tenant()
    foreign = make_product(other, "Cap", stock=2).variants[0]
    with pytest.raises(ValidationFailed) as caught:
        make_order(shop.business, shop.owner, [(foreign, 1)])
    assert caught.value.errors["items-0-variant_id"] == "This product is not in your catalog."
    db.session.rollback()
    inventory.archive_product(shop.business, shop.owner, shop.cap.product)
    with pytest.raises(ValidationFailed) as caught:
        make_order(shop.business, shop.owner, [(shop.cap, 1)])
    assert "archived" in caught.value.errors["items-0-variant_id"]


def test_the_same_key_saves_once_and_a_different_body_conflicts(shop):
    draft = _draft((shop.scarf_s, 2), idempotency_key="k-1", customer_name="Huda")
    first = create_order(shop.business, shop.owner, draft)
    again = create_order(
        shop.business,
        shop.owner,
        _draft((shop.scarf_s, 2), idempotency_key="k-1", customer_name="Huda"),
    )
    assert first.created and not again.created
    assert again.order.id == first.order.id
    assert _stock(shop.scarf_s) == 3
    with pytest.raises(Conflict, match="already saved as order #1001"):
        create_order(shop.business, shop.owner, _draft((shop.scarf_s, 3), idempotency_key="k-1"))
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(OrderItem.id))) == 1


def test_pending_orders_hold_stock_but_are_not_sales(shop):
    order = make_order(
        shop.business, shop.owner, [(shop.cap, 2)], status="pending", customer_name="Lina"
    )
    assert order.confirmed_at is None
    assert _stock(shop.cap) == 1
    customer = db.session.get(Customer, order.customer_id)
    assert customer.orders_count == 0 and customer.last_order_at is not None


def test_prices_that_include_vat_send_amounts_that_book_net_sales_and_vat(shop):
    shop.business.prices_include_vat = True
    received = []

    def on_confirmed(sender, **kwargs):
        received.append(kwargs["amounts"])

    with events.order_confirmed.connected_to(on_confirmed):
        saved = create_order(
            shop.business,
            shop.owner,
            _draft(
                (shop.scarf_m, 2),
                (shop.cap, 1),
                customer_name="Mona",
                shipping_mode="manual",
                shipping_fee=D("15"),
            ),
        )
    order = saved.order
    # 120 with VAT inside: 5.71; the customer pays 120 + 15 delivery.
    assert (order.subtotal, order.vat, order.total) == (D("120.00"), D("5.71"), D("135.00"))
    assert order.vat_included and order.net_sales == D("114.29")
    (amounts,) = received
    assert (amounts.net_sales, amounts.vat, amounts.total) == (D("114.29"), D("5.71"), D("135.00"))
    assert amounts.subtotal - amounts.discount + amounts.vat + amounts.shipping == amounts.total


def test_an_edited_order_keeps_the_vat_mode_it_was_sold_with(shop):
    from kyora.orders.queries import order_items
    from kyora.orders.services import draft_from_order, update_order

    shop.business.prices_include_vat = True
    order = create_order(shop.business, shop.owner, _draft((shop.scarf_m, 1))).order
    shop.business.prices_include_vat = False
    draft = draft_from_order(order, order_items(order))
    draft.lines[0].quantity = 2
    update_order(shop.business, shop.owner, order, draft, version=order.version)
    assert (order.total, order.vat) == (D("90.00"), D("4.29"))
