"""Concurrent orders never oversell: the conditional UPDATE decides who gets the last units."""

import threading
from types import SimpleNamespace

import sqlalchemy as sa

from kyora.core.errors import OutOfStock
from kyora.extensions import db
from kyora.inventory import services
from kyora.inventory.models import StockMovement, Variant
from tests.factories import make_product, make_tenant


def test_parallel_takes_sell_exactly_what_is_in_stock(app):
    with app.test_request_context("/"):
        owner, business = make_tenant()
        variant_id = make_product(business, "Last Scarves", stock=5).variants[0].id
        # What the service needs of the business, without a query that would take
        # the write lock before every buyer is ready.
        shop = SimpleNamespace(id=business.id, currency="AED", low_stock_threshold=3)
        db.session.commit()

    workers = 12
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def order():
        # Each buyer is its own write request with its own session and connection.
        with app.app_context(), app.test_request_context("/", method="POST"):
            barrier.wait()
            try:
                services.take_stock(shop, None, variant_id, 1, source_type="order", source_id=1)
                db.session.commit()
                result = "sold"
            except OutOfStock as error:
                db.session.rollback()
                result = error.message
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=order) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("sold") == 5
    assert outcomes.count("Last Scarves is out of stock.") == workers - 5
    db.session.expire_all()
    assert db.session.get(Variant, variant_id).stock == 0
    sales = db.session.scalars(
        sa.select(StockMovement.stock_after).where(StockMovement.kind == "sale")
    ).all()
    assert sorted(sales) == [0, 1, 2, 3, 4]
