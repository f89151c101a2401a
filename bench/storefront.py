"""Benchmark: the public shop's home with a catalog of 500 products (SQLite).

    .venv/bin/python bench/storefront.py [--products 500] [--requests 200]

Builds a throwaway SQLite database with an open shop whose catalog has the given
number of products (a third with four sizes, each with a photo, some sold out),
then requests the shop's home, a later page of it, a category and a product page
through the Flask test client, and prints the server time per request (median and
95th percentile) and the SQL statements each issues. "home, cold" re-reads the
catalog every time (its cache emptied before each request); the others run warm,
as a busy shop does between two catalog changes.
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


def build(app, products: int) -> tuple[str, int, int]:
    """The open shop: (handle, a category id, a product id)."""
    from kyora.accounts.models import User, Workspace
    from kyora.businesses.models import Business
    from kyora.core.db import utcnow
    from kyora.inventory.models import Category, Product, ProductPhoto, Variant
    from kyora.storefront.models import StorefrontSettings

    with app.app_context():
        db.create_all()
        workspace = Workspace(name="Bench")
        owner = User(
            workspace=workspace,
            email="bench@kyora.app",
            name="Bench Owner",
            password_hash="-",
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
            storefront_enabled=True,
            whatsapp="+971501112222",
        )
        db.session.add_all([workspace, owner, business])
        db.session.flush()
        db.session.add(StorefrontSettings(business_id=business.id, about="A bench shop."))
        categories = db.session.scalars(
            sa.insert(Category).returning(Category.id, sort_by_parameter_order=True),
            [{"business_id": business.id, "name": f"Category {n}"} for n in range(12)],
        ).all()
        product_ids = db.session.scalars(
            sa.insert(Product).returning(Product.id, sort_by_parameter_order=True),
            [
                {
                    "business_id": business.id,
                    "name": f"Product {n:04d} {'Scarf' if n % 2 else 'Abaya'}",
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
                    "image_key": f"i/{pid}.webp",
                    "thumb_key": f"t/{pid}.webp",
                    "width": 1200,
                    "height": 1200,
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
                        "avg_cost": Decimal(20),
                        "stock": (n * 7 + position) % 30,
                        "alerted_status": "in",
                    }
                )
        db.session.execute(sa.insert(Variant), rows)
        db.session.commit()
        return business.handle, categories[0], product_ids[0]


def measure(client, url: str, requests: int, before=None) -> tuple[float, float, int]:
    """(median ms, p95 ms, SQL statements of the last request) over `requests` GETs."""
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    client.get(url)
    timings = []
    for _ in range(requests):
        if before is not None:
            before()
        statements.clear()
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        sa.event.remove(db.engine, "before_cursor_execute", listener)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return (
        statistics.median(timings),
        timings[max(int(len(timings) * 0.95) - 1, 0)],
        len(statements),
    )


def main() -> None:
    from kyora.storefront.catalog import clear_cache

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
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
        handle, category_id, product_id = build(app, args.products)
        client = app.test_client()
        base = f"/s/{handle}"
        pages = {
            "home, cold": (f"{base}/", clear_cache),
            "home": (f"{base}/", None),
            "home, page 5": (f"{base}/?page=5", None),
            "home, Arabic": (f"{base}/?lang=ar", None),
            "category": (f"{base}/c/{category_id}", None),
            "product page": (f"{base}/p/{product_id}", None),
        }
        print(f"shop of {args.products} products, {args.requests} requests per page")
        print(f"{'page':<16}{'median ms':>11}{'p95 ms':>9}{'SQL':>6}")
        with app.app_context():
            for name, (url, before) in pages.items():
                median, p95, count = measure(client, url, args.requests, before)
                print(f"{name:<16}{median:>11.1f}{p95:>9.1f}{count:>6}")


if __name__ == "__main__":
    main()
