"""The products list, the product page, stock actions, permissions and tenancy."""

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from kyora.extensions import db
from kyora.inventory import services
from kyora.inventory.models import StockMovement, Variant
from tests.factories import login, make_product, make_tenant, make_user, page_text


@pytest.fixture
def shop(client, request_ctx):
    owner, business = make_tenant()
    return owner, business, f"/b/{business.handle}/products"


def _results(html: str) -> list[str]:
    return re.findall(r'class="inv-name">([^<]+)</a>', html)


def _count(html: str, status: str) -> int:
    match = re.search(rf'id="status-{status}">.*?<span class="badge[^"]*">(\d+)</span>', html, re.S)
    return int(match.group(1))


def test_list_search_filters_sort_and_counts(client, shop):
    owner, business, base = shop
    make_product(business, "Red Scarf", price="50", stock=10, category="Scarves")
    make_product(business, "Blue Scarf", price="45", stock=2, category="Scarves")
    shoe = make_product(business, "Sandal", price="80", stock=0, options={"Size": ["38", "39"]})
    make_product(business, "Tote Bag", price="120", stock=5, threshold=5, category="Bags")
    shoe.variants[1].sku = "SND-39"
    db.session.commit()
    login(client, owner)

    html = page_text(client.get(base + "/"))
    assert _results(html) == ["Blue Scarf", "Red Scarf", "Sandal", "Tote Bag"]
    assert (_count(html, "all"), _count(html, "in"), _count(html, "low"), _count(html, "out")) == (
        4,
        1,
        2,
        1,
    )
    assert "Low stock" in html and "Out of stock" in html

    assert _results(page_text(client.get(base + "/?q=scarf"))) == ["Blue Scarf", "Red Scarf"]
    assert _results(page_text(client.get(base + "/?q=snd-39"))) == ["Sandal"]
    assert _results(page_text(client.get(base + "/?q=bags"))) == ["Tote Bag"]  # category
    assert _results(page_text(client.get(base + "/?q=100%25"))) == []
    assert _results(page_text(client.get(base + "/?stock=low"))) == ["Blue Scarf", "Tote Bag"]
    assert _results(page_text(client.get(base + "/?stock=out"))) == ["Sandal"]
    assert _results(page_text(client.get(base + "/?stock=in"))) == ["Red Scarf"]
    assert _results(page_text(client.get(base + "/?sort=price"))) == [
        "Blue Scarf",
        "Red Scarf",
        "Sandal",
        "Tote Bag",
    ]
    assert _results(page_text(client.get(base + "/?sort=stock")))[0] == "Sandal"
    assert _results(page_text(client.get(base + "/?sort=newest")))[0] == "Tote Bag"
    category_id = db.session.execute(
        sa.text("SELECT id FROM product_category WHERE name='Bags'")
    ).scalar()
    assert _results(page_text(client.get(f"{base}/?category={category_id}"))) == ["Tote Bag"]


def test_active_search_answers_with_the_results_partial(client, shop):
    owner, business, base = shop
    make_product(business, "Red Scarf")
    login(client, owner)
    response = client.get(
        base + "/?q=red", headers={"HX-Request": "true", "HX-Target": "products-results"}
    )
    html = page_text(response)
    assert html.startswith('<section id="products-results"')
    assert "<html" not in html and "Red Scarf" in html
    assert "HX-Request" in response.headers["Vary"]


def test_pagination(client, shop):
    owner, business, base = shop
    for number in range(30):
        make_product(business, f"Item {number:02d}")
    login(client, owner)
    first = page_text(client.get(base + "/"))
    assert len(_results(first)) == 24 and "Page 1 of 2" in first
    second = page_text(client.get(base + "/?page=2"))
    assert _results(second) == [f"Item {n}" for n in range(24, 30)]


def test_inventory_value_for_owners_only(client, shop):
    owner, business, base = shop
    make_product(business, "Cap", cost="12.5", stock=4)
    make_product(business, "Hat", cost="3.333", stock=3)
    db.session.commit()
    login(client, owner)
    html = page_text(client.get(base + "/"))
    # 4 × 12.5 + 3 × 3.333 = 59.999 -> AED 60.00
    assert re.search(r'id="inventory-value">AED\s60\.00<', html)
    assert 'id="inventory-units">7<' in html


def test_member_sees_stock_but_never_costs_and_cannot_change_anything(client, shop):
    owner, business, base = shop
    product = make_product(business, "Cap", price="35", cost="12.25", stock=4)
    variant = product.variants[0]
    services.restock(business, owner, variant.id, 1, Decimal("17.75"), paid=True)
    member = make_user(role="member", workspace=owner.workspace)
    db.session.commit()
    login(client, member)
    html = page_text(client.get(base + "/"))
    assert "Cap" in html and "inventory-value" not in html
    page = page_text(client.get(f"{base}/{product.id}")).replace("\xa0", " ")
    assert "AED 35.00" in page and ">5<" in page
    assert "12.25" not in page and "17.75" not in page and "13.35" not in page
    assert "Average cost" not in page and "Cost per item" not in page
    assert "/stock#restock" not in page and "/edit" not in page and "Add photos" not in page
    for method, url in [
        ("get", "/new"),
        ("post", "/new"),
        ("get", f"/{product.id}/edit"),
        ("post", f"/{product.id}/edit"),
        ("post", f"/{product.id}/delete"),
        ("post", f"/{product.id}/archive"),
        ("get", f"/variants/{variant.id}/stock"),
        ("post", f"/variants/{variant.id}/restock"),
        ("post", f"/variants/{variant.id}/adjust"),
        ("post", f"/variants/{variant.id}/threshold"),
        ("get", "/import"),
        ("post", "/import"),
        ("post", "/import/confirm"),
        ("get", "/export.csv"),
        ("post", f"/{product.id}/photos"),
    ]:
        assert getattr(client, method)(base + url).status_code == 403, url
    db.session.expire_all()
    assert db.session.get(Variant, variant.id).stock == 5


def test_another_workspace_gets_404(client, shop):
    owner, business, base = shop
    product = make_product(business, "Cap", stock=4)
    variant = product.variants[0]
    intruder, own_business = make_tenant(name="Omar")
    db.session.commit()
    login(client, intruder)
    assert client.get(base + "/").status_code == 404
    own = f"/b/{own_business.handle}/products"
    for method, url in [
        ("get", f"/{product.id}"),
        ("get", f"/{product.id}/edit"),
        ("post", f"/{product.id}/delete"),
        ("get", f"/variants/{variant.id}/stock"),
        ("post", f"/variants/{variant.id}/restock"),
    ]:
        assert getattr(client, method)(own + url, data={"quantity": "5"}).status_code == 404, url
    db.session.expire_all()
    assert db.session.get(Variant, variant.id).stock == 4


def test_restock_adjust_history_and_low_stock_badge(client, shop):
    owner, business, base = shop
    product = make_product(business, "Cap", cost="10", stock=4)
    variant = product.variants[0]
    db.session.commit()
    login(client, owner)
    stock_page = f"{base}/variants/{variant.id}"
    response = client.post(
        stock_page + "/restock",
        data={"quantity": "6", "unit_cost": "15", "paid": "yes", "note": "From Dubai supplier"},
    )
    assert response.status_code == 303
    response = client.post(
        stock_page + "/adjust", data={"reason": "damaged", "quantity": "8", "note": "Water damage"}
    )
    assert response.status_code == 303
    page = page_text(client.get(f"{base}/{product.id}"))
    assert "Low stock" in page
    history = page[page.index('id="stock-history"') :]
    assert (
        history.index("Damaged") < history.index("Restock (paid)") < history.index("Opening stock")
    )
    assert "Water damage" in history and "From Dubai supplier" in history and "Sara Ali" in history
    assert "−8" in history and "+6" in history
    db.session.expire_all()
    variant = db.session.get(Variant, variant.id)
    assert variant.stock == 2
    assert variant.avg_cost == Decimal("13.0000")  # (4×10 + 6×15) / 10


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("restock", {"quantity": "", "unit_cost": "5", "paid": "yes"}, "Enter how many came in."),
        (
            "restock",
            {"quantity": "-3", "unit_cost": "5", "paid": "yes"},
            "Stock can't be negative.",
        ),
        (
            "restock",
            {"quantity": "3", "unit_cost": "", "paid": "yes"},
            "Enter what you paid for each one.",
        ),
        ("restock", {"quantity": "3", "unit_cost": "abc", "paid": "yes"}, "Enter an amount"),
        ("adjust", {"reason": "lost", "quantity": "9"}, "Only 4 in stock."),
        ("adjust", {"reason": "correction", "counted": "4"}, "Stock is already 4."),
        ("adjust", {"reason": "correction", "counted": "x"}, "Enter a whole number."),
        ("threshold", {"threshold": "-1"}, "Stock can't be negative."),
    ],
)
def test_stock_actions_refuse_bad_input_with_422(client, shop, url, data, message):
    owner, business, base = shop
    product = make_product(business, "Cap", cost="10", stock=4)
    variant_id = product.variants[0].id
    db.session.commit()
    login(client, owner)
    response = client.post(f"{base}/variants/{variant_id}/{url}", data=data)
    assert response.status_code == 422
    assert message in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count(StockMovement.id))) == 1


def test_found_stock_and_threshold_override(client, shop):
    owner, business, base = shop
    product = make_product(business, "Cap", cost="10", stock=4)
    variant_id = product.variants[0].id
    db.session.commit()
    login(client, owner)
    client.post(f"{base}/variants/{variant_id}/restock", data={"quantity": "2", "paid": "no"})
    client.post(f"{base}/variants/{variant_id}/threshold", data={"threshold": "8"})
    db.session.expire_all()
    variant = db.session.get(Variant, variant_id)
    assert (variant.stock, variant.avg_cost, variant.low_stock_threshold) == (
        6,
        Decimal("10.0000"),
        8,
    )
    assert "Low stock" in page_text(client.get(f"{base}/{product.id}"))
    client.post(f"{base}/variants/{variant_id}/threshold", data={"threshold": ""})
    db.session.expire_all()
    assert db.session.get(Variant, variant_id).low_stock_threshold is None


def test_business_wide_alert_level(client, shop):
    owner, business, base = shop
    make_product(business, "Cap", stock=5)
    member = make_user(role="member", workspace=owner.workspace)
    db.session.commit()
    login(client, owner)
    assert "Low-stock alerts start at 3." in page_text(client.get(base + "/"))
    response = client.post(base + "/alerts", data={"threshold": "-2"})
    assert response.status_code == 422 and "Stock can't be negative." in page_text(response)
    assert client.post(base + "/alerts", data={"threshold": "5"}).status_code == 303
    html = page_text(client.get(base + "/"))
    assert "Low-stock alerts start at 5." in html and _count(html, "low") == 1
    client.post("/logout")
    login(client, member)
    assert client.post(base + "/alerts", data={"threshold": "9"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(type(business), business.id).low_stock_threshold == 5


def test_a_page_of_the_plain_list_has_the_figures_of_the_whole_catalog_reading(shop):
    """The plain list picks its page first and sums stock for those products alone; its
    rows must equal those the status-filtered reading (which sums every product) gives."""
    from kyora.inventory.queries import ProductFilters, list_products

    owner, business, _base = shop
    for n in range(30):
        product = make_product(
            business,
            f"Scarf {n:02d}",
            price=str(20 + n),
            stock=10 + n,
            options={"Size": ["S", "M"]},
        )
        product.variants[1].price = Decimal(40 + n)
    db.session.commit()

    def figures(rows):
        return [
            (row.Product.name, row.variants, row.stock, row.min_price, row.max_price, row.status)
            for row in rows
        ]

    # Every product is in stock, so "in stock" lists the same products, summed the
    # whole-catalog way.
    for sort in ("name", "newest"):
        plain = list_products(business, ProductFilters(sort=sort, page=2), per_page=12)
        summed = list_products(
            business, ProductFilters(sort=sort, page=2, status="in"), per_page=12
        )
        assert plain.total == summed.total == 30 and plain.page == 2
        assert len(plain.rows) == 12
        assert figures(plain.rows) == figures(summed.rows)
    first = list_products(business, ProductFilters(page=1), per_page=12).rows[0]
    assert (first.Product.name, first.variants, first.stock) == ("Scarf 00", 2, 20)
    assert (first.min_price, first.max_price) == (Decimal("20"), Decimal("40"))


def test_search_ignores_case_and_takes_wildcards_literally(client, shop):
    owner, business, base = shop
    make_product(business, "Sale 50% Scarf", price="50", stock=10)
    make_product(business, "Tote_Bag/Tan", price="50", stock=10)
    make_product(business, "Plain Abaya", price="50", stock=10)
    db.session.commit()
    login(client, owner)

    def found(q):
        return _results(page_text(client.get(base + "/", query_string={"q": q})))

    assert found("SCARF") == ["Sale 50% Scarf"]
    assert found("50%") == ["Sale 50% Scarf"]
    assert found("%") == ["Sale 50% Scarf"]
    assert found("_") == ["Tote_Bag/Tan"]
    assert found("g/t") == ["Tote_Bag/Tan"]
    assert found("a_a") == []
