"""The sales rollup stays right through every change an order can go through, and
always equals a rebuild from the orders."""

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from kyora.accounting.ledger import business_day
from kyora.core.db import utcnow
from kyora.customers.merging import merge_customers
from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.insights import queries
from kyora.insights.models import SalesDay
from kyora.insights.rebuild import differences, rebuild
from kyora.orders import services as orders
from kyora.orders import status as st
from kyora.orders.models import OrderItem


def today(shop):
    return business_day(shop.business)


def month(shop):
    day = today(shop)
    return queries.totals(shop.business, {"m": (day.replace(day=1), day)})["m"]


def product_units(shop, start, end):
    rows = queries.by_key(shop.business, "product", start, end)
    return {int(key): delta.units for key, delta in rows.items()}


def test_a_sale_counts_on_its_day_with_its_products(shop):
    shop.order([(shop.scarf, 2), (shop.cap, 1)], channel="instagram")
    shop.order([(shop.cap, 3)], channel="whatsapp", customer_name="Huda")
    db.session.commit()
    sold = month(shop)
    assert (sold.orders, sold.units) == (2, 6)
    assert sold.sales == Decimal("210.00")  # 2×45 + 30 + 3×30
    assert sold.cost == Decimal("90.00")  # 2×20 + 12.5 + 3×12.5
    assert sold.new_customers == 2
    day = today(shop)
    units = product_units(shop, day, day)
    assert units == {shop.scarf.product_id: 2, shop.cap.product_id: 4}
    channels = queries.by_key(shop.business, "channel", day, day)
    assert channels["instagram"].sales == Decimal("120.00")
    assert channels["whatsapp"].orders == 1
    shop.agrees()


def test_pending_orders_are_not_sales_until_confirmed(shop):
    order = shop.order([(shop.scarf, 1)], status=st.PENDING)
    db.session.commit()
    assert month(shop).orders == 0
    orders.change_status(shop.business, shop.owner, order, st.CONFIRMED)
    db.session.commit()
    assert month(shop).orders == 1
    shop.agrees()


def test_cancel_and_return_take_the_sale_away_from_its_day(shop):
    kept = shop.order([(shop.scarf, 1)])
    cancelled = shop.order([(shop.cap, 2)], customer_name="Huda")
    returned = shop.order([(shop.scarf, 3)], customer_name="Aisha")
    db.session.commit()
    orders.change_status(shop.business, shop.owner, cancelled, st.CANCELLED)
    orders.change_status(shop.business, shop.owner, returned, st.SHIPPED)
    orders.change_status(shop.business, shop.owner, returned, st.RETURNED, resellable=True)
    db.session.commit()
    sold = month(shop)
    assert (sold.orders, sold.units, sold.sales) == (1, 1, Decimal("45.00"))
    # Huda and Aisha bought nothing that still counts: only Mona is a new customer.
    assert sold.new_customers == 1
    assert kept.status == st.CONFIRMED
    shop.agrees()


def test_an_edit_moves_the_sale_between_customers_channels_and_products(shop):
    order = shop.order([(shop.scarf, 1)], channel="instagram")
    db.session.commit()
    huda = Customer(business_id=shop.business.id, name="Huda", country="SA")
    db.session.add(huda)
    db.session.flush()
    items = list(db.session.scalars(sa.select(OrderItem).where(OrderItem.order_id == order.id)))
    draft = orders.draft_from_order(order, items)
    draft.lines = [orders.DraftLine(shop.cap.id, 2)]
    draft.channel = "tiktok"
    draft.customer_id = huda.id
    orders.update_order(shop.business, shop.owner, order, draft)
    db.session.commit()
    day = today(shop)
    channels = queries.by_key(shop.business, "channel", day, day)
    assert "instagram" not in {key for key, delta in channels.items() if delta.orders}
    assert channels["tiktok"].sales == Decimal("60.00")
    assert product_units(shop, day, day) == {shop.scarf.product_id: 0, shop.cap.product_id: 2}
    assert queries.by_key(shop.business, "country", day, day)["SA"].orders == 1
    assert month(shop).new_customers == 1  # Huda now, not Mona
    shop.agrees()


def test_a_back_dated_order_counts_on_its_own_day(shop):
    placed = utcnow() - timedelta(days=40)
    shop.order([(shop.scarf, 2)], placed_at=placed)
    db.session.commit()
    day = business_day(shop.business, placed)
    assert queries.totals(shop.business, {"d": (day, day)})["d"].units == 2
    assert month(shop).orders == 0 or day.month == today(shop).month
    shop.agrees()


def test_second_sales_count_as_returning_customers(shop):
    first = shop.order([(shop.scarf, 1)], placed_at=utcnow() - timedelta(days=3))
    shop.order([(shop.cap, 1)], customer_id=first.customer_id)
    db.session.commit()
    everything = queries.lifetime(shop.business)
    assert (everything.new_customers, everything.returning_customers) == (1, 1)
    orders.change_status(shop.business, shop.owner, first, st.CANCELLED)
    db.session.commit()
    everything = queries.lifetime(shop.business)
    # The cancelled first order no longer counts: the second one is her first.
    assert (everything.new_customers, everything.returning_customers) == (1, 0)
    shop.agrees()


def test_merging_customers_moves_their_firsts(shop):
    one = shop.order([(shop.scarf, 1)], customer_name="Mona A")
    two = shop.order([(shop.cap, 1)], customer_name="Mona B")
    db.session.commit()
    assert queries.lifetime(shop.business).new_customers == 2
    kept = db.session.get(Customer, one.customer_id)
    merged = db.session.get(Customer, two.customer_id)
    merge_customers(shop.business, shop.owner, kept, merged)
    db.session.commit()
    everything = queries.lifetime(shop.business)
    assert (everything.new_customers, everything.returning_customers) == (1, 1)
    shop.agrees()


def test_rebuild_restores_a_damaged_rollup_and_check_names_the_difference(shop):
    shop.order([(shop.scarf, 2)])
    db.session.commit()
    db.session.execute(sa.update(SalesDay).values(units=SalesDay.units + 5))
    db.session.commit()
    problems = differences(shop.business)
    assert any("('all'" in problem for problem in problems)
    rebuild(shop.business)
    db.session.commit()
    assert differences(shop.business) == []
    assert month(shop).units == 2


def test_the_commands_check_and_rebuild_the_rollup(app, shop):
    shop.order([(shop.scarf, 1)])
    db.session.commit()
    runner = app.test_cli_runner()
    handle = shop.business.handle
    agree = runner.invoke(args=["kyora", "insights", "check", "--business", handle])
    assert agree.exit_code == 0, agree.output
    db.session.execute(sa.update(SalesDay).values(orders=SalesDay.orders + 1))
    db.session.commit()
    differ = runner.invoke(args=["kyora", "insights", "check", "--business", handle])
    assert differ.exit_code == 1 and "the orders say" in differ.output
    fixed = runner.invoke(args=["kyora", "insights", "rebuild", "--business", handle])
    assert fixed.exit_code == 0 and "1 sales counted" in fixed.output
    assert runner.invoke(args=["kyora", "insights", "check"]).exit_code == 0
