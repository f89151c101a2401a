"""Pages issue the same number of SQL statements at 10 rows as at 1,000."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from kyora.extensions import db
from kyora.inventory import summary
from kyora.inventory.models import Category, Product, ProductPhoto, StockMovement, Variant
from tests.factories import login, make_tenant


def _bulk_catalog(business, products: int, variants_each: int = 1, movements_each: int = 1):
    """Insert a catalog quickly, bypassing the services (only the shape matters here)."""
    category = Category(business_id=business.id, name=f"Cat {products}")
    db.session.add(category)
    db.session.flush()
    product_ids = db.session.scalars(
        sa.insert(Product).returning(Product.id, sort_by_parameter_order=True),
        [
            {
                "business_id": business.id,
                "name": f"Product {p:04d}",
                "sort_name": f"product {p:04d}",
                "category_id": category.id,
                "option_names": ["Size"] if variants_each > 1 else [],
            }
            for p in range(products)
        ],
    ).all()
    db.session.execute(
        sa.insert(ProductPhoto),
        [
            {
                "business_id": business.id,
                "product_id": pid,
                "image_key": f"i{pid}",
                "thumb_key": f"t{pid}",
            }
            for pid in product_ids
        ],
    )
    db.session.execute(
        sa.insert(Variant),
        [
            {
                "business_id": business.id,
                "product_id": pid,
                "position": v,
                "sku": f"P{pid}-{v}",
                "option_values": [str(v)] if variants_each > 1 else [],
                "options_label": str(v) if variants_each > 1 else "",
                "price": Decimal("10"),
                "avg_cost": Decimal("4"),
                "stock": (p + v) % 5,
                "alerted_status": "in",
            }
            for p, pid in enumerate(product_ids)
            for v in range(variants_each)
        ],
    )
    summary.refresh_business(business)
    first_product = db.session.get(Product, product_ids[0])
    variant_ids = db.session.scalars(
        sa.select(Variant.id).where(Variant.product_id == first_product.id)
    ).all()
    db.session.execute(
        sa.insert(StockMovement),
        [
            {
                "business_id": business.id,
                "variant_id": variant_ids[m % len(variant_ids)],
                "kind": "correction",
                "quantity": 1,
                "unit_cost": Decimal("4"),
                "stock_after": 1,
            }
            for m in range(movements_each)
        ],
    )
    db.session.commit()
    return first_product


@pytest.mark.parametrize("path", ["/", "/?q=product&sort=stock", "/?stock=low&sort=price"])
def test_products_list_query_count_does_not_grow(client, path, count_queries):
    counts = []
    for size in (10, 1000):
        owner, business = make_tenant()
        _bulk_catalog(business, size)
        login(client, owner)
        counts.append(count_queries.page(client, f"/b/{business.handle}/products{path}"))
        client.post("/logout")
    assert counts[0] == counts[1], counts
    assert counts[0] <= 10, counts


def test_product_page_query_count_does_not_grow(client, count_queries):
    counts = []
    for size in (10, 1000):
        owner, business = make_tenant()
        product = _bulk_catalog(business, 1, variants_each=size, movements_each=size)
        login(client, owner)
        counts.append(count_queries.page(client, f"/b/{business.handle}/products/{product.id}"))
        client.post("/logout")
    assert counts[0] == counts[1], counts
    assert counts[0] <= 12, counts
