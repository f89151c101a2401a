"""The demo catalog: realistic, consistent, and built without a request (as the CLI does)."""

import random

import sqlalchemy as sa

from kyora.demo import inventory as demo
from kyora.extensions import db
from kyora.inventory.models import Category, Product, ProductPhoto, StockMovement, Variant
from tests.factories import make_tenant


def test_demo_catalog_has_simple_and_variant_products_with_history():
    owner, business = make_tenant()
    demo.seed(business, owner, "small", random.Random(7))
    db.session.commit()
    products = db.session.scalars(sa.select(Product)).all()
    assert len(products) == len(demo.CATALOG)
    assert any(p.option_names for p in products) and any(not p.option_names for p in products)
    assert db.session.scalar(sa.select(sa.func.count(Category.id))) == 6
    assert db.session.scalar(sa.select(sa.func.count(ProductPhoto.id))) == len(demo.CATALOG)
    kinds = set(db.session.scalars(sa.select(StockMovement.kind)))
    assert {"initial", "purchase"} <= kinds
    sums = dict(
        db.session.execute(
            sa.select(StockMovement.variant_id, sa.func.sum(StockMovement.quantity)).group_by(
                StockMovement.variant_id
            )
        ).all()
    )
    variants = db.session.scalars(sa.select(Variant)).all()
    assert all(v.stock == sums.get(v.id, 0) for v in variants)
    assert any(v.stock == 0 for v in variants) and any(0 < v.stock <= 3 for v in variants)
    oldest = db.session.scalar(sa.select(sa.func.min(StockMovement.created_at)))
    assert (products[0].updated_at - oldest).days >= 30
