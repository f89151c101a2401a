"""After saving: status changes, payments and refunds, edits, deletes, other domains' signals."""

from decimal import Decimal as D

import pytest
import sqlalchemy as sa

from kyora.businesses import services as businesses
from kyora.core.errors import Conflict, InvalidTransition, ValidationFailed
from kyora.customers.merging import merge_customers
from kyora.customers.models import Customer
from kyora.customers.services import delete_customer
from kyora.extensions import db
from kyora.inventory.models import Variant
from kyora.orders import events
from kyora.orders.models import Order, OrderEvent, Payment, PaymentMethod, ShippingZone
from kyora.orders.queries import order_items
from kyora.orders.services import (
    DraftLine,
    MethodDraft,
    OrderDraft,
    add_note,
    bulk_change_status,
    change_status,
    delete_order,
    draft_from_order,
    record_payment,
    refund_payment,
    update_order,
    update_payment_methods,
)
from tests.factories import login, make_order, make_user, page_text

pytestmark = pytest.mark.usefixtures("request_ctx")


def _stock(variant) -> int:
    return db.session.scalar(sa.select(Variant.stock).where(Variant.id == variant.id))


def _listen(signal):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    return received, signal.connected_to(receiver)


def test_status_moves_only_along_valid_steps_and_stamps_each(shop):
    order = make_order(shop.business, shop.owner, [(shop.cap, 1)], status="pending")
    with pytest.raises(InvalidTransition, match="pending can't be marked shipped"):
        change_status(shop.business, shop.owner, order, "shipped")
    confirmed, listening = _listen(events.order_confirmed)
    with listening:
        change_status(shop.business, shop.owner, order, "confirmed")
    assert confirmed and confirmed[0]["amounts"].total == D("31.50")
    for target in ("ready", "shipped", "delivered"):
        change_status(shop.business, shop.owner, order, target)
    assert order.status == "delivered"
    assert order.confirmed_at <= order.ready_at <= order.shipped_at <= order.delivered_at
    with pytest.raises(InvalidTransition):
        change_status(shop.business, shop.owner, order, "cancelled")
    steps = db.session.execute(
        sa.select(OrderEvent.from_status, OrderEvent.to_status, OrderEvent.actor_id)
        .where(OrderEvent.order_id == order.id, OrderEvent.kind == "status")
        .order_by(OrderEvent.id)
    ).all()
    assert [(a, b) for a, b, _actor in steps] == [
        ("pending", "confirmed"),
        ("confirmed", "ready"),
        ("ready", "shipped"),
        ("shipped", "delivered"),
    ]
    assert {actor for *_rest, actor in steps} == {shop.owner.id}


def test_cancel_puts_stock_back_and_tells_accounting(shop):
    order = make_order(
        shop.business, shop.owner, [(shop.scarf_s, 2), (shop.cap, 1)], customer_name="Reem"
    )
    assert (_stock(shop.scarf_s), _stock(shop.cap)) == (3, 2)
    cancelled, listening = _listen(events.order_cancelled)
    with listening:
        change_status(shop.business, shop.owner, order, "cancelled")
    assert (_stock(shop.scarf_s), _stock(shop.cap)) == (5, 3)
    assert cancelled[0]["was_sale"] is True
    assert cancelled[0]["amounts"].cost_total == D("52.50")
    assert order.cancelled_at is not None
    customer = db.session.get(Customer, order.customer_id)
    assert (customer.orders_count, customer.total_spent) == (0, D("0"))


@pytest.mark.parametrize(("resellable", "stock_after"), [(True, 5), (False, 4)])
def test_returns_put_stock_back_only_when_resellable(shop, resellable, stock_after):
    order = make_order(shop.business, shop.owner, [(shop.scarf_s, 1)])
    change_status(shop.business, shop.owner, order, "delivered")
    returned, listening = _listen(events.order_returned)
    with listening:
        change_status(shop.business, shop.owner, order, "returned", resellable=resellable)
    assert _stock(shop.scarf_s) == stock_after
    assert returned[0]["resellable"] is resellable


def test_part_payment_then_the_rest_then_a_refund(shop):
    update_payment_methods(
        shop.business,
        {
            "cod": MethodDraft(enabled=True),
            "card": MethodDraft(enabled=True, fee_percent=D("2.5"), fee_fixed=D("1")),
        },
    )
    order = make_order(
        shop.business, shop.owner, [(shop.scarf_s, 2)], customer_name="Noor"
    )  # 94.50
    record_payment(
        shop.business, shop.owner, order, amount=D("40"), method="card", reference="TX-1"
    )
    assert (order.payment_status, order.amount_paid, order.fees) == (
        "partially_paid",
        D("40.00"),
        D("2.00"),
    )
    with pytest.raises(ValidationFailed, match="more than the AED\xa054.50 still owed"):
        record_payment(shop.business, shop.owner, order, amount=D("60"), method="cod")
    recorded, listening = _listen(events.payment_recorded)
    with listening:
        record_payment(shop.business, shop.owner, order, amount=D("54.50"), method="cod")
    assert recorded[0]["amount"] == D("54.50") and recorded[0]["fee"] == D("0")
    assert (order.payment_status, order.balance) == ("paid", D("0.00"))
    assert db.session.get(Customer, order.customer_id).amount_due == D("0")

    with pytest.raises(ValidationFailed, match="at most AED\xa094.50"):
        refund_payment(shop.business, shop.owner, order, amount=D("100"))
    refunded, listening = _listen(events.payment_refunded)
    with listening:
        refund_payment(shop.business, shop.owner, order, amount=D("94.50"), method="card")
    assert refunded[0]["fee_reversed"] == D("2.00")
    assert (order.payment_status, order.amount_paid, order.fees) == (
        "refunded",
        D("0.00"),
        D("0.00"),
    )
    signs = db.session.execute(sa.select(Payment.kind, Payment.amount).order_by(Payment.id)).all()
    assert signs[-1] == ("refund", D("-94.50"))


def test_overpayment_is_recorded_once_confirmed(shop):
    order = make_order(shop.business, shop.owner, [(shop.cap, 1)])
    record_payment(
        shop.business, shop.owner, order, amount=D("40"), method="cod", allow_overpay=True
    )
    assert order.payment_status == "paid" and order.balance == D("-8.50")


def test_no_payments_on_cancelled_orders(shop):
    order = make_order(shop.business, shop.owner, [(shop.cap, 1)])
    change_status(shop.business, shop.owner, order, "cancelled")
    with pytest.raises(ValidationFailed, match="takes no more payments"):
        record_payment(shop.business, shop.owner, order, amount=D("5"), method="cod")


def test_editing_moves_stock_by_the_difference_and_recomputes_totals(shop):
    order = make_order(
        shop.business,
        shop.owner,
        [(shop.scarf_s, 2), (shop.cap, 1)],
        payment="full",
        payment_method="cod",
    )
    assert order.payment_status == "paid"
    draft = draft_from_order(order, order_items(order))
    draft.lines = [DraftLine(shop.scarf_s.id, 3, D("45")), DraftLine(shop.scarf_m.id, 1, None)]
    draft.discount_kind, draft.discount_value = "amount", D("10")
    edited, listening = _listen(events.order_edited)
    with listening:
        update_order(shop.business, shop.owner, order, draft, version=order.version)
    assert (_stock(shop.scarf_s), _stock(shop.scarf_m), _stock(shop.cap)) == (2, 4, 3)
    # 4 × 45 = 180 − 10 = 170 + 8.50 VAT
    assert (order.subtotal, order.discount, order.total) == (D("180.00"), D("10.00"), D("178.50"))
    assert order.cost_total == D("80.00")
    assert order.payment_status == "partially_paid"  # 126 paid before the edit
    assert edited[0]["before"].total == D("126.00") and edited[0]["after"].total == D("178.50")
    entry = db.session.scalar(sa.select(OrderEvent).where(OrderEvent.kind == "edited"))
    assert set(entry.data["changes"]) >= {"items", "discount"}
    assert order.version == 2


def test_edits_check_stock_the_version_and_the_status(shop):
    order = make_order(shop.business, shop.owner, [(shop.cap, 2)])
    db.session.commit()
    draft = draft_from_order(order, order_items(order))
    draft.lines = [DraftLine(shop.cap.id, 4, None)]
    with pytest.raises(ValidationFailed, match="Only 3 of Black Cap in stock"):
        update_order(shop.business, shop.owner, order, draft)
    db.session.rollback()
    draft.lines = [DraftLine(shop.cap.id, 3, None)]
    with pytest.raises(Conflict, match="Someone else changed this order"):
        update_order(shop.business, shop.owner, order, draft, version=order.version - 1)
    db.session.rollback()
    change_status(shop.business, shop.owner, order, "shipped")
    with pytest.raises(ValidationFailed, match="shipped"):
        update_order(shop.business, shop.owner, order, draft)


def test_delete_only_pending_or_cancelled_without_payments(shop):
    pending = make_order(shop.business, shop.owner, [(shop.cap, 2)], status="pending")
    assert _stock(shop.cap) == 1
    delete_order(shop.business, shop.owner, pending)
    assert _stock(shop.cap) == 3
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 0
    confirmed = make_order(
        shop.business, shop.owner, [(shop.cap, 1)], payment="full", payment_method="cod"
    )
    with pytest.raises(ValidationFailed, match="Only pending or cancelled"):
        delete_order(shop.business, shop.owner, confirmed)
    change_status(shop.business, shop.owner, confirmed, "cancelled")
    with pytest.raises(ValidationFailed, match="has payments"):
        delete_order(shop.business, shop.owner, confirmed)


def test_bulk_change_skips_orders_that_cannot_move(shop):
    first = make_order(shop.business, shop.owner, [(shop.cap, 1)])
    second = make_order(shop.business, shop.owner, [(shop.cap, 1)], status="pending")
    result = bulk_change_status(shop.business, shop.owner, [first.id, second.id], "shipped")
    assert result.changed == [1001]
    assert result.skipped[0][0] == 1002 and "pending" in result.skipped[0][1]
    assert db.session.get(Order, second.id).status == "pending"


def test_notes_go_on_the_timeline(shop):
    order = make_order(shop.business, shop.owner, [(shop.cap, 1)])
    add_note(shop.business, shop.owner, order, "Gift wrap, please")
    with pytest.raises(ValidationFailed):
        add_note(shop.business, shop.owner, order, "   ")
    body = db.session.scalar(sa.select(OrderEvent.body).where(OrderEvent.kind == "note"))
    assert body == "Gift wrap, please"


def test_new_business_gets_cod_and_bank_transfer_and_no_zone_it_did_not_ask_for(app):
    owner = make_user()
    business = businesses.create_business(
        owner.workspace, owner, "Sara Designs", "sara-designs", "SA"
    )
    zone = db.session.scalar(sa.select(ShippingZone).where(ShippingZone.business_id == business.id))
    assert zone is None
    enabled = db.session.scalars(
        sa.select(PaymentMethod.kind).where(
            PaymentMethod.business_id == business.id, PaymentMethod.enabled
        )
    ).all()
    assert sorted(enabled) == ["bank_transfer", "cod"]


def test_currency_locks_once_there_are_orders(shop):
    assert not businesses.currency_locked(shop.business)
    make_order(shop.business, shop.owner, [(shop.cap, 1)])
    assert businesses.currency_locked(shop.business)


def test_merging_customers_moves_their_orders_and_recomputes_figures(shop):
    first = make_order(
        shop.business,
        shop.owner,
        [(shop.cap, 1)],
        customer_name="Sara A",
        customer_phone="0501234567",
    )
    second = make_order(
        shop.business,
        shop.owner,
        [(shop.scarf_s, 1)],
        customer_name="Sara",
        customer_handle="sara.a",
    )
    kept = db.session.get(Customer, first.customer_id)
    merged = db.session.get(Customer, second.customer_id)
    merge_customers(shop.business, shop.owner, kept, merged)
    owner_of_second = db.session.scalar(sa.select(Order.customer_id).where(Order.id == second.id))
    assert owner_of_second == kept.id
    assert (kept.orders_count, kept.total_spent) == (2, D("78.75"))


def test_customers_with_orders_cannot_be_deleted(shop):
    order = make_order(
        shop.business, shop.owner, [(shop.cap, 1)], customer_name="Dana", status="pending"
    )
    customer = db.session.get(Customer, order.customer_id)
    with pytest.raises(Conflict, match="has orders"):
        delete_customer(shop.business, shop.owner, customer)


def test_lines_of_an_edit_draft_come_from_the_order(shop):
    order = make_order(
        shop.business,
        shop.owner,
        [(shop.cap, 2, D("25"))],
        shipping_mode="manual",
        shipping_fee=D("7"),
    )
    draft = draft_from_order(order, order_items(order))
    assert draft.lines == [DraftLine(shop.cap.id, 2, D("25.000"))]
    assert (draft.shipping_mode, draft.shipping_fee) == ("manual", D("7.000"))
    assert isinstance(draft, OrderDraft)


def test_bulk_demo_orders_keep_customer_figures_right(shop):
    from kyora.demo.orders_bulk import insert_orders

    insert_orders(shop.business, shop.owner, 300, seed=4)
    sale = Order.status.in_(("confirmed", "ready", "shipped", "delivered"))
    expected = dict(
        db.session.execute(
            sa.select(Order.customer_id, sa.func.count(Order.id))
            .where(sale)
            .group_by(Order.customer_id)
        ).all()
    )
    customers = db.session.scalars(
        sa.select(Customer).where(Customer.business_id == shop.business.id)
    ).all()
    db.session.expire_all()
    assert customers and all(c.orders_count == expected.get(c.id, 0) for c in customers)
    assert sorted(db.session.scalars(sa.select(Order.number)))[:2] == [1001, 1002]
    assert make_order(shop.business, shop.owner, [(shop.cap, 1)]).number == 1301


def test_the_business_home_asks_for_delivery_fees_until_a_zone_exists(client, app):
    owner = make_user()
    business = businesses.create_business(
        owner.workspace, owner, "Sara Designs", "sara-designs", "AE"
    )
    db.session.commit()
    login(client, owner)
    home = page_text(client.get(f"/b/{business.handle}/"))
    assert "Set your delivery fees" in home and f"/b/{business.handle}/settings/shipping" in home
    db.session.add(
        ShippingZone(business_id=business.id, name="Dubai", countries="AE", cities="", cost=D("20"))
    )
    db.session.commit()
    assert "Set your delivery fees" not in page_text(client.get(f"/b/{business.handle}/"))
