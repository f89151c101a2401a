"""Property: any sequence of purchases, sales, put-backs and adjustments keeps stock equal
to the sum of its movements, never below zero, and the average cost right to the cent."""

from decimal import Decimal
from fractions import Fraction

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyora.core.errors import OutOfStock, ValidationFailed
from kyora.extensions import db
from kyora.inventory import services
from kyora.inventory.models import StockMovement, Variant
from tests.factories import make_product, make_tenant

costs = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("purchase"), st.integers(1, 20), costs),
        st.tuples(st.just("found"), st.integers(1, 5), st.none()),
        st.tuples(st.just("sale"), st.integers(1, 12), st.none()),
        st.tuples(st.just("put_back"), st.integers(1, 12), st.integers(0, 50)),
        st.tuples(st.just("damaged"), st.integers(1, 6), st.none()),
        st.tuples(st.just("lost"), st.integers(1, 6), st.none()),
        st.tuples(st.just("correction"), st.integers(0, 40), st.none()),
    ),
    min_size=1,
    max_size=30,
)


class Model:
    """The exact expectation: integer stock, average cost as a fraction."""

    def __init__(self, stock: int, cost: Decimal):
        self.stock = stock
        self.avg = Fraction(cost)
        self.sales: list[list] = []  # [remaining units, exact unit cost]

    def add(self, quantity: int, cost: Fraction) -> None:
        if self.stock + quantity > 0:
            self.avg = (self.stock * self.avg + quantity * cost) / (self.stock + quantity)
        self.stock += quantity


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations, opening=st.integers(0, 10))
def test_random_operations_keep_the_ledger_exact(request_ctx, steps, opening):
    owner, business = make_tenant()
    product = make_product(business, "Linen Shirt", cost="20", stock=opening)
    variant_id = product.variants[0].id
    model = Model(opening, Decimal("20"))

    for kind, quantity, extra in steps:
        if kind in ("purchase", "found"):
            cost = extra if kind == "purchase" else None
            services.restock(business, owner, variant_id, quantity, cost, paid=kind == "purchase")
            model.add(quantity, model.avg if cost is None else Fraction(cost))
        elif kind == "sale":
            order_id = len(model.sales)
            if quantity > model.stock:
                try:
                    services.take_stock(business, owner, variant_id, quantity)
                    raise AssertionError("oversold")
                except OutOfStock as error:
                    assert error.variant_id == variant_id
            else:
                services.take_stock(
                    business, owner, variant_id, quantity, source_type="order", source_id=order_id
                )
                model.sales.append([quantity, model.avg])
                model.stock -= quantity
        elif kind == "put_back":
            if not model.sales:
                continue
            order_id = extra % len(model.sales)
            remaining, cost = model.sales[order_id]
            quantity = min(quantity, remaining)
            if quantity == 0:
                continue
            services.put_back_stock(
                business, owner, variant_id, quantity, source_type="order", source_id=order_id
            )
            model.sales[order_id][0] -= quantity
            model.add(quantity, cost)
        elif kind in ("damaged", "lost"):
            try:
                services.adjust_stock(business, owner, variant_id, kind, quantity=quantity)
                model.stock -= quantity
            except ValidationFailed:
                assert quantity > model.stock
        else:
            try:
                services.adjust_stock(business, owner, variant_id, "correction", counted=quantity)
                model.stock = quantity
            except ValidationFailed:
                assert quantity == model.stock

        db.session.expire_all()
        variant = db.session.get(Variant, variant_id)
        assert variant.stock == model.stock >= 0
        assert services.ledger_total(business, variant_id) == variant.stock
        assert abs(Fraction(variant.avg_cost) - model.avg) < Fraction(1, 200), (
            variant.avg_cost,
            float(model.avg),
        )

    last = db.session.scalar(
        sa.select(StockMovement)
        .where(StockMovement.variant_id == variant_id)
        .order_by(StockMovement.id.desc())
        .limit(1)
    )
    if last is not None:
        assert last.stock_after == model.stock
    db.session.rollback()
