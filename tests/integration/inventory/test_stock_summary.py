"""Each product's kept stock status, units and lowest price follow every change to its
variants, in the same transaction, and the products list shows them."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from kyora.extensions import db
from kyora.inventory import services, summary
from kyora.inventory.models import Product
from kyora.orders import status as st
from kyora.orders.status_changes import change_status
from tests.factories import login, make_order, make_product, make_tenant, page_text


@pytest.fixture
def tenant(request_ctx):
    return make_tenant()


def _kept(product) -> tuple[str, int, Decimal | None]:
    row = db.session.execute(
        sa.select(Product.stock_status, Product.stock_units, Product.min_price).where(
            Product.id == product.id
        )
    ).one()
    return tuple(row)


def test_stock_moves_sales_and_cancellations_keep_the_figures(tenant):
    owner, business = tenant
    scarf = make_product(business, "Scarf", price="50", stock=5, options={"Size": ["S", "M"]})
    small, medium = scarf.variants
    assert _kept(scarf) == ("in", 10, Decimal("50"))

    order = make_order(business, owner, [(small, 5)], status=st.CONFIRMED)
    assert _kept(scarf) == ("low", 5, Decimal("50"))  # S is out: one of two is short
    make_order(business, owner, [(medium, 5)], status=st.CONFIRMED)
    assert _kept(scarf) == ("out", 0, Decimal("50"))

    change_status(business, owner, order, st.CANCELLED)
    assert _kept(scarf) == ("low", 5, Decimal("50"))
    services.restock(business, owner, medium.id, 20, Decimal("20"), paid=False)
    assert _kept(scarf) == ("in", 25, Decimal("50"))
    services.adjust_stock(business, owner, small.id, "damaged", quantity=3)
    assert _kept(scarf) == ("low", 22, Decimal("50"))  # 2 left of S, at the threshold (3)
    assert summary.differences(business) == []


def test_a_sale_does_not_count_as_an_edit_of_the_product(tenant):
    owner, business = tenant
    scarf = make_product(business, "Scarf", stock=5)
    db.session.commit()
    edited = scarf.updated_at
    make_order(business, owner, [(scarf.variants[0], 1)], status=st.CONFIRMED)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Product, scarf.id).updated_at == edited


def test_thresholds_prices_and_archived_variants_keep_the_figures(tenant):
    owner, business = tenant
    bag = make_product(business, "Bag", price="80", stock=4, options={"Colour": ["Red", "Tan"]})
    red, tan = bag.variants
    assert _kept(bag) == ("in", 8, Decimal("80"))

    services.set_threshold(business, owner, red.id, 4)
    assert _kept(bag)[0] == "low"
    services.set_threshold(business, owner, red.id, None)
    assert _kept(bag)[0] == "in"

    tan.price = Decimal("65")
    db.session.flush()
    assert _kept(bag) == ("in", 8, Decimal("65"))

    services.remove_variants(business, owner, [tan])  # never sold: deleted
    assert _kept(bag) == ("in", 4, Decimal("80"))
    make_order(business, owner, [(red, 1)], status=st.CONFIRMED)
    services.remove_variants(business, owner, [red])  # sold: archived
    assert _kept(bag) == ("in", 0, None)  # no active variant left
    assert summary.differences(business) == []


def test_the_business_threshold_moves_its_own_products_only(tenant):
    owner, business = tenant
    _other_owner, other = make_tenant("Huda Said")
    mine = make_product(business, "Mine", stock=5)
    theirs = make_product(other, "Theirs", stock=5)
    assert _kept(mine)[0] == _kept(theirs)[0] == "in"  # both defaults are 3
    assert mine.stock_status == "in"

    services.set_default_threshold(business, owner, 5)
    assert _kept(mine)[0] == "low"
    assert mine.stock_status == "low"  # the loaded product reads its new status
    assert _kept(theirs)[0] == "in"
    other.low_stock_threshold = 4  # its own threshold, not the other shop's 5
    db.session.flush()
    assert _kept(theirs)[0] == "in"
    other.low_stock_threshold = 6
    db.session.flush()
    assert _kept(theirs)[0] == "low"
    assert summary.differences(business) == summary.differences(other) == []


def test_a_loaded_product_reads_its_new_figures_after_the_flush(tenant):
    owner, business = tenant
    scarf = make_product(business, "Scarf", stock=1)
    assert scarf.stock_status == "low"
    make_order(business, owner, [(scarf.variants[0], 1)], status=st.CONFIRMED)
    assert scarf.stock_status == "out" and scarf.stock_units == 0


def test_differences_name_a_product_whose_figures_drifted(tenant):
    _owner, business = tenant
    scarf = make_product(business, "Scarf", stock=6)
    db.session.execute(sa.update(Product).values(stock_units=99, stock_status="out"))
    problems = summary.differences(business)
    assert len(problems) == 2 and all(f"product {scarf.id}" in p for p in problems)
    summary.refresh_business(business)
    assert summary.differences(business) == []
    assert _kept(scarf) == ("in", 6, Decimal("50"))


def test_the_list_moves_a_product_to_out_when_its_last_unit_sells(client, tenant):
    owner, business = tenant
    scarf = make_product(business, "Last Scarf", stock=1)
    make_product(business, "Plenty", stock=30)
    db.session.commit()
    login(client, owner)
    base = f"/b/{business.handle}/products/"
    assert "Last Scarf" in page_text(client.get(base + "?stock=low"))

    make_order(business, owner, [(scarf.variants[0], 1)], status=st.CONFIRMED)
    db.session.commit()
    out = page_text(client.get(base + "?stock=out"))
    assert "Last Scarf" in out and "Plenty" not in out
    assert "Last Scarf" not in page_text(client.get(base + "?stock=low"))
    by_stock = page_text(client.get(base + "?sort=stock"))
    assert by_stock.index("Last Scarf") < by_stock.index("Plenty")
