"""Parallel requests: no oversell, unique sequential numbers, one order per idempotency key.

Each thread has its own test client (logged in as its own seller) and its own app
context, so each request has its own session and database connection: on SQLite
the writers queue on the database lock, on PostgreSQL on row locks.
"""

import threading

import sqlalchemy as sa

from kyora.extensions import db
from kyora.inventory.models import Variant
from kyora.orders.models import Order, OrderSettings
from tests.factories import login, make_product, make_user, page_text


def _sellers(app, shop, count):
    clients = []
    for n in range(count):
        user = shop.owner if n == 0 else make_user(role="member", workspace=shop.owner.workspace)
        client = app.test_client()
        login(client, user)
        clients.append(client)
    return clients


def _form(variant_id, key, quantity=1, **extra):
    return {
        "action": "save",
        "idempotency_key": key,
        "channel": "instagram",
        "status": "confirmed",
        "payment": "none",
        "delivery": "none",
        "discount_kind": "amount",
        "items-0-variant_id": str(variant_id),
        "items-0-quantity": str(quantity),
        **extra,
    }


def _run_together(app, jobs):
    """Run (client, url, data) posts at the same moment; return the responses in order."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def work(index, client, url, data):
        with app.app_context():
            barrier.wait()
            response = client.post(url, data=data)
            results[index] = (
                response.status_code,
                page_text(response),
                response.headers.get("Location"),
            )
            db.session.remove()

    threads = [threading.Thread(target=work, args=(i, *job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_sellers_selling_the_last_unit_exactly_one_succeeds(app, shop):
    last = make_product(shop.business, "Gold Ring", price="250", stock=1).variants[0]
    url = f"/b/{shop.business.handle}/orders/new"
    first, second = _sellers(app, shop, 2)
    variant_id = last.id
    db.session.commit()
    db.session.close()
    results = _run_together(
        app,
        [
            (first, url, _form(variant_id, "seller-a", customer_name="Amal")),
            (second, url, _form(variant_id, "seller-b", customer_name="Badr")),
        ],
    )
    codes = sorted(code for code, _text, _location in results)
    assert codes == [303, 422]
    refused = next(text for code, text, _location in results if code == 422)
    assert "Gold Ring" in refused and ("out of stock" in refused or "in stock" in refused)
    assert db.session.scalar(sa.select(Variant.stock).where(Variant.id == variant_id)) == 0
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 1


def test_parallel_orders_get_unique_consecutive_numbers(app, shop):
    sticker = make_product(shop.business, "Sticker", price="2", stock=100).variants[0]
    url = f"/b/{shop.business.handle}/orders/new"
    clients = _sellers(app, shop, 4)
    variant_id = sticker.id
    db.session.commit()
    db.session.close()
    results = _run_together(
        app, [(client, url, _form(variant_id, f"k-{n}")) for n, client in enumerate(clients)]
    )
    assert [code for code, _text, _location in results] == [303] * 4
    numbers = sorted(db.session.scalars(sa.select(Order.number)))
    assert numbers == [1001, 1002, 1003, 1004]
    assert db.session.scalar(sa.select(Variant.stock).where(Variant.id == variant_id)) == 96


def test_the_same_key_posted_twice_at_once_makes_one_order(app, shop):
    url = f"/b/{shop.business.handle}/orders/new"
    client_a, client_b = _sellers(app, shop, 2)
    variant_id = shop.cap.id
    data = _form(variant_id, "same-key", customer_phone="0501112233")
    db.session.commit()
    db.session.close()
    results = _run_together(app, [(client_a, url, data), (client_b, url, data)])
    assert [code for code, _text, _location in results] == [303, 303]
    assert results[0][2] == results[1][2]
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 1
    assert db.session.scalar(sa.select(Variant.stock).where(Variant.id == variant_id)) == 2
    # The request that found the key taken gave its number back: no gap before the next.
    assert db.session.scalar(sa.select(OrderSettings.next_number)) == 1002
