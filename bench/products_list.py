"""Benchmark: the products list and a product page on a large catalog (SQLite).

    .venv/bin/python bench/products_list.py [--products 10000] [--requests 50]

Builds a throwaway SQLite database with a business whose catalog has the given
number of products (a third of them with four variants), a photo each and a stock
history, then requests the products list (plain, searched, filtered by stock
status, sorted) and a product page, and prints the server time per request
(median and 95th percentile) and the SQL statements each one issues.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kyora import create_app  # noqa: E402
from kyora.extensions import db  # noqa: E402

PASSWORD = "bench-password-42"


def build(app, products: int) -> tuple[str, int]:
    from kyora.accounts.models import User, Workspace
    from kyora.accounts.passwords import hash_password
    from kyora.businesses.models import Business
    from kyora.core.db import utcnow
    from kyora.inventory.models import Category, Product, ProductPhoto, StockMovement, Variant

    with app.app_context():
        db.create_all()
        workspace = Workspace(name="Bench")
        owner = User(
            workspace=workspace,
            email="bench@kyora.app",
            name="Bench Owner",
            password_hash=hash_password(PASSWORD),
            role="owner",
            email_verified_at=utcnow(),
        )
        business = Business(
            workspace=workspace,
            name="Bench Shop",
            handle="bench-shop",
            country="AE",
            currency="AED",
            timezone="Asia/Dubai",
        )
        db.session.add_all([workspace, owner, business])
        db.session.flush()
        categories = db.session.scalars(
            sa.insert(Category).returning(Category.id, sort_by_parameter_order=True),
            [{"business_id": business.id, "name": f"Category {n}"} for n in range(20)],
        ).all()
        product_ids = db.session.scalars(
            sa.insert(Product).returning(Product.id, sort_by_parameter_order=True),
            [
                {
                    "business_id": business.id,
                    "name": f"Product {n:05d} {'Scarf' if n % 2 else 'Abaya'}",
                    "category_id": categories[n % len(categories)],
                    "option_names": ["Size"] if n % 3 == 0 else [],
                }
                for n in range(products)
            ],
        ).all()
        db.session.execute(
            sa.insert(ProductPhoto),
            [
                {
                    "business_id": business.id,
                    "product_id": pid,
                    "image_key": f"i/{pid}",
                    "thumb_key": f"t/{pid}",
                }
                for pid in product_ids
            ],
        )
        rows = []
        for n, pid in enumerate(product_ids):
            sizes = ["S", "M", "L", "XL"] if n % 3 == 0 else [""]
            for position, size in enumerate(sizes):
                rows.append(
                    {
                        "business_id": business.id,
                        "product_id": pid,
                        "position": position,
                        "sku": f"P{pid}-{position}",
                        "option_values": [size] if size else [],
                        "options_label": size,
                        "price": Decimal(50 + n % 200),
                        "avg_cost": Decimal(20 + n % 50),
                        "stock": (n * 7 + position) % 30,
                        "alerted_status": "in",
                    }
                )
        db.session.execute(sa.insert(Variant), rows)
        first_variant = db.session.scalar(sa.select(sa.func.min(Variant.id)))
        db.session.execute(
            sa.insert(StockMovement),
            [
                {
                    "business_id": business.id,
                    "variant_id": first_variant,
                    "kind": "correction",
                    "quantity": 1,
                    "unit_cost": Decimal("20"),
                    "stock_after": 1,
                }
                for _ in range(2000)
            ],
        )
        db.session.commit()
        return business.handle, product_ids[0]


def measure(client, url: str, requests: int) -> tuple[float, float, int]:
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    client.get(url)
    timings = []
    for _ in range(requests):
        statements.clear()
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        sa.event.remove(db.engine, "before_cursor_execute", listener)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "UPLOAD_DIR": f"{folder}/uploads",
                "MAIL_OUTBOX_DIR": f"{folder}/mail",
                "RATELIMIT_ENABLED": False,
            }
        )
        started = time.perf_counter()
        handle, product_id = build(app, args.products)
        print(f"catalog of {args.products} products built in {time.perf_counter() - started:.1f} s")
        client = app.test_client()
        with app.app_context():
            client.post("/login", data={"email": "bench@kyora.app", "password": PASSWORD})
            base = f"/b/{handle}/products"
            pages = {
                "list": base + "/",
                "search": base + "/?q=scarf",
                "low stock": base + "/?stock=low",
                "by stock, page 50": base + "/?sort=stock&page=50",
                "product page": f"{base}/{product_id}",
            }
            print(f"{'page':<20}{'median ms':>11}{'p95 ms':>9}{'SQL':>6}")
            for name, url in pages.items():
                median, p95, count = measure(client, url, args.requests)
                print(f"{name:<20}{median:>11.1f}{p95:>9.1f}{count:>6}")


if __name__ == "__main__":
    main()
