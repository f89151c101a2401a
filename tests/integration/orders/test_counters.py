"""Orders per status and payment status are kept right through every change, and the
orders list's tabs read them whatever the number of orders."""

from decimal import Decimal

import sqlalchemy as sa

from kyora.extensions import db
from kyora.orders import services as orders
from kyora.orders import status as st
from kyora.orders.counters import counts, differences, recount
from kyora.orders.models import OrderCount
from tests.factories import login


def _order(shop, lines, **fields):
    draft_lines = [orders.DraftLine(variant.id, quantity) for variant, quantity in lines]
    fields.setdefault("customer_name", "Mona")
    return orders.create_order(
        shop.business, shop.owner, orders.OrderDraft(lines=draft_lines, **fields)
    ).order


def test_every_change_keeps_the_counts(app, request_ctx, shop):
    first = _order(shop, [(shop.scarf_s, 1)])
    pending = _order(shop, [(shop.cap, 1)], status=st.PENDING)
    paid = _order(shop, [(shop.scarf_m, 1)])
    db.session.commit()
    assert counts(shop.business) == {("confirmed", "unpaid"): 2, ("pending", "unpaid"): 1}
    orders.record_payment(shop.business, shop.owner, paid, amount=Decimal("20"), method="cod")
    orders.change_status(shop.business, shop.owner, pending, st.CONFIRMED)
    orders.bulk_change_status(shop.business, shop.owner, [first.id], st.SHIPPED)
    db.session.commit()
    assert differences(shop.business) == []
    assert counts(shop.business)[("confirmed", "partially_paid")] == 1
    assert counts(shop.business)[("shipped", "unpaid")] == 1
    orders.change_status(shop.business, shop.owner, pending, st.CANCELLED)
    orders.delete_order(shop.business, shop.owner, pending)
    db.session.commit()
    kept = {key: n for key, n in counts(shop.business).items() if n}
    assert kept == {("confirmed", "partially_paid"): 1, ("shipped", "unpaid"): 1}
    assert differences(shop.business) == []


def test_a_rolled_back_change_leaves_the_counts_alone(app, request_ctx, shop):
    _order(shop, [(shop.cap, 1)])
    db.session.commit()
    _order(shop, [(shop.cap, 1)])
    db.session.rollback()
    assert counts(shop.business) == {("confirmed", "unpaid"): 1}


def test_recount_mends_counts_written_around_the_session(app, request_ctx, shop):
    _order(shop, [(shop.cap, 1)])
    db.session.commit()
    db.session.execute(sa.update(OrderCount).values(count=OrderCount.count + 7))
    assert differences(shop.business)
    recount(shop.business)
    assert differences(shop.business) == []


def test_the_list_tabs_count_from_the_kept_counts(app, client, shop, count_queries):
    with app.test_request_context("/"):
        _order(shop, [(shop.cap, 1)])
        _order(shop, [(shop.scarf_s, 1)], status=st.PENDING)
    db.session.commit()
    login(client, shop.owner)
    url = f"/b/{shop.business.handle}/orders/"
    few = count_queries.page(client, url)
    page = client.get(url).get_data(as_text=True)
    assert "2 orders" in page
    with app.test_request_context("/"):
        for _ in range(2):
            _order(shop, [(shop.scarf_m, 1)])
    db.session.commit()
    assert count_queries.page(client, url) == few
    with count_queries() as statements:
        client.get(url)
    assert not [sql for sql in statements if "GROUP BY sales_order.status" in sql]
