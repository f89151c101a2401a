"""A throwaway SQLite app with a large catalog, and the request timer, shared by the
catalog benchmarks (bench/products_list.py, bench/storefront.py).

The catalog: `products` products in 20 categories, a third of them with four sizes,
a photo each, stock spread from 0 to 29 (some sold out) and a stock history of
2,000 movements on the first variant. With `shop=True` the business's shop is open.
"""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dataset import owner_and_business  # noqa: E402

from kyora import create_app  # noqa: E402
from kyora.extensions import db  # noqa: E402


def throwaway_app(folder: str):
    """The app on a new SQLite database inside `folder`."""
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
            "UPLOAD_DIR": f"{folder}/uploads",
            "MAIL_OUTBOX_DIR": f"{folder}/mail",
            "RATELIMIT_ENABLED": False,
        }
    )


def build(app, products: int, *, shop: bool = False) -> tuple[str, int, int]:
    """Create the bench business and its catalog: (handle, a category id, a product id)."""
    from kyora.inventory import summary
    from kyora.inventory.models import Category, Product, ProductPhoto, StockMovement, Variant
    from kyora.storefront.models import StorefrontSettings

    with app.app_context():
        db.create_all()
        _owner, business = owner_and_business(
            storefront_enabled=shop, whatsapp="+971501112222" if shop else None
        )
        if shop:
            db.session.add(StorefrontSettings(business_id=business.id, about="A bench shop."))
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
                    "sort_name": f"product {n:05d} {'scarf' if n % 2 else 'abaya'}",
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
                        "avg_cost": Decimal(20 + n % 50),
                        "stock": (n * 7 + position) % 30,
                        "alerted_status": "in",
                    }
                )
        db.session.execute(sa.insert(Variant), rows)
        summary.refresh_business(business)
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
        return business.handle, categories[0], product_ids[0]


def measure(client, url: str, requests: int, before=None) -> tuple[float, float, int]:
    """(median ms, p95 ms, SQL statements of the last request) over `requests` GETs;
    `before()`, when given, runs before each one (outside the timing)."""
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
