"""Adding and editing products through the product form."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from kyora.extensions import db
from kyora.inventory import services
from kyora.inventory.models import Category, Product, StockMovement, Variant
from tests.factories import login, make_product, make_tenant, page_text


@pytest.fixture
def shop(client, request_ctx):
    owner, business = make_tenant()
    login(client, owner)
    return owner, business, f"/b/{business.handle}/products"


def _product(name: str) -> Product:
    db.session.expire_all()
    return db.session.scalar(sa.select(Product).where(Product.name == name))


def test_home_page_offers_add_a_product(client, shop):
    owner, business, base = shop
    home = page_text(client.get(f"/b/{business.handle}/"))
    assert f'href="{base}/new"' in home and "Add a product" in home


def test_new_product_page(client, shop):
    owner, business, base = shop
    page = page_text(client.get(base + "/new"))
    assert "Add a product" in page
    assert 'name="variants-0-price"' in page
    assert "Add options (size, colour…)" in page


def test_create_simple_product_with_generated_sku_and_opening_stock(client, shop):
    owner, business, base = shop
    response = client.post(
        base + "/new",
        data={
            "mode": "simple",
            "name": "  Silk   Scarf ",
            "description": "Hand rolled edges",
            "new_category": "Scarves",
            "variants-0-price": "120",
            "variants-0-cost": "45.5",
            "variants-0-stock": "٧",  # Arabic-Indic digits are numbers too
            "variants-0-threshold": "",
            "variants-0-sku": "",
        },
    )
    assert response.status_code == 303
    product = _product("Silk Scarf")
    assert response.headers["Location"].endswith(f"{base}/{product.id}")
    variant = product.variants[0]
    assert variant.sku == "SILK-SCAR"
    assert (variant.price, variant.avg_cost, variant.stock) == (
        Decimal("120.000"),
        Decimal("45.5000"),
        7,
    )
    assert variant.low_stock_threshold is None
    assert product.category.name == "Scarves"
    movement = db.session.scalar(sa.select(StockMovement))
    assert (movement.kind, movement.quantity, movement.stock_after) == ("initial", 7, 7)
    page = page_text(client.get(response.headers["Location"]))
    assert "Silk Scarf" in page and "Opening stock" in page and "SILK-SCAR" in page


def test_options_generate_the_combinations_then_save(client, shop):
    owner, business, base = shop
    data = {
        "mode": "simple",
        "name": "Linen Shirt",
        "variants-0-price": "90",
        "variants-0-cost": "30",
        "action": "options",
    }
    page = page_text(client.post(base + "/new", data=data))
    assert 'name="options-0-name"' in page and "Make the variants" in page
    data = {
        "mode": "options",
        "name": "Linen Shirt",
        "options-0-name": "Size",
        "options-0-values": "S, M، L",
        "options-1-name": "Colour",
        "options-1-values": "White, Blue",
        "variants-0-price": "90",
        "variants-0-cost": "30",
        "action": "generate",
    }
    response = client.post(
        base + "/new", data=data, headers={"HX-Request": "true", "HX-Target": "product-form"}
    )
    assert response.status_code == 200
    html = page_text(response)
    assert html.lstrip().startswith('<form id="product-form"')  # the partial only
    assert html.count('class="inv-row') == 6
    assert 'value="L"' in html and 'value="Blue"' in html
    rows = {
        "mode": "options",
        "name": "Linen Shirt",
        "options-0-name": "Size",
        "options-0-values": "S, M",
        "options-1-name": "Colour",
        "options-1-values": "White, Blue",
    }
    combos = [("S", "White"), ("S", "Blue"), ("M", "White"), ("M", "Blue")]
    for i, (size, colour) in enumerate(combos):
        rows |= {
            f"variants-{i}-option_0": size,
            f"variants-{i}-option_1": colour,
            f"variants-{i}-price": "90",
            f"variants-{i}-cost": "30",
            f"variants-{i}-stock": str(i),
        }
    rows["variants-3-sku"] = "ls-m-blue"
    assert client.post(base + "/new", data=rows).status_code == 303
    product = _product("Linen Shirt")
    assert product.option_names == ["Size", "Colour"]
    assert [v.title for v in product.variants] == [
        "Linen Shirt — S / White",
        "Linen Shirt — S / Blue",
        "Linen Shirt — M / White",
        "Linen Shirt — M / Blue",
    ]
    assert [v.stock for v in product.variants] == [0, 1, 2, 3]
    assert product.variants[3].sku == "LS-M-BLUE"
    assert product.variants[0].sku == "LINE-SHIR-S-WHI"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Give the product a name."),
        ({"variants-0-price": "-5"}, "variants-0-price", "Amounts can't be negative."),
        ({"variants-0-price": "abc"}, "variants-0-price", "Enter an amount, like 12.50."),
        ({"variants-0-price": "1.234"}, "variants-0-price", "Use at most 2 decimals."),
        ({"variants-0-price": ""}, "variants-0-price", "Enter a sale price."),
        ({"variants-0-stock": "-2"}, "variants-0-stock", "Stock can't be negative."),
        ({"variants-0-stock": "2.5"}, "variants-0-stock", "Enter a whole number."),
        ({"variants-0-threshold": "x"}, "variants-0-threshold", "Enter a whole number."),
        ({"variants-0-sku": "A B=C"}, "variants-0-sku", "Use letters, numbers"),
        ({"category_id": "999999"}, "category_id", "Choose a category from the list."),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_written(
    client, shop, data, field, message
):
    owner, business, base = shop
    form = {"mode": "simple", "name": "Bag", "variants-0-price": "10", **data}
    response = client.post(base + "/new", data=form)
    assert response.status_code == 422
    html = page_text(response)
    assert message in html
    assert f'id="{field}"' in html and 'aria-invalid="true"' in html
    assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 0


def test_sku_clash_and_duplicate_combinations(client, shop):
    owner, business, base = shop
    make_product(business, "Cap", stock=1).variants[0].sku = "CAP-1"
    db.session.commit()
    response = client.post(
        base + "/new",
        data={"mode": "simple", "name": "Hat", "variants-0-price": "10", "variants-0-sku": "cap-1"},
    )
    assert response.status_code == 422
    assert "Another product already uses this SKU." in page_text(response)
    response = client.post(
        base + "/new",
        data={
            "mode": "options",
            "name": "Shoe",
            "options-0-name": "Size",
            "variants-0-option_0": "40",
            "variants-0-price": "10",
            "variants-1-option_0": " 40 ",
            "variants-1-price": "10",
        },
    )
    assert response.status_code == 422
    assert "This combination is already in row 1." in page_text(response)
    assert _product("Shoe") is None


def test_live_check_of_a_field(client, shop):
    owner, business, base = shop
    make_product(business, "Cap").variants[0].sku = "CAP-1"
    db.session.commit()
    headers = {"HX-Request": "true", "HX-Target": "variants-0-sku-check"}
    response = client.get(
        base + "/check?variants-0-sku=cap-1&variants-0-id=",
        headers={**headers, "HX-Trigger-Name": "variants-0-sku"},
    )
    assert "Another product already uses this SKU." in page_text(response)
    assert 'id="variants-0-sku-check"' in page_text(response)
    headers |= {"HX-Trigger-Name": "variants-0-price", "HX-Target": "variants-0-price-check"}
    assert "negative" in page_text(client.get(base + "/check?variants-0-price=-1", headers=headers))
    assert "Enter" not in page_text(
        client.get(base + "/check?variants-0-price=12.5", headers=headers)
    )


def test_edit_changes_price_and_revalues_cost_with_a_movement(client, shop):
    owner, business, base = shop
    product = make_product(business, "Cap", price="35", cost="10", stock=4)
    variant = product.variants[0]
    db.session.commit()
    page = page_text(client.get(f"{base}/{product.id}/edit"))
    assert 'value="35.00"' in page and 'value="10.00"' in page
    response = client.post(
        f"{base}/{product.id}/edit",
        data={
            "mode": "simple",
            "name": "Black Cap",
            "variants-0-id": str(variant.id),
            "variants-0-sku": variant.sku,
            "variants-0-price": "39.5",
            "variants-0-cost": "12",
            "variants-0-threshold": "2",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    variant = db.session.get(Variant, variant.id)
    assert (variant.product.name, variant.price, variant.avg_cost, variant.stock) == (
        "Black Cap",
        Decimal("39.500"),
        Decimal("12.0000"),
        4,
    )
    assert variant.low_stock_threshold == 2
    kinds = db.session.scalars(sa.select(StockMovement.kind).order_by(StockMovement.id)).all()
    assert kinds == ["initial", "cost_change"]


def test_removing_a_variant_deletes_it_or_archives_it_when_it_sold(client, shop):
    owner, business, base = shop
    product = make_product(business, "Shoe", options={"Size": ["40", "41", "42"]}, stock=2)
    v40, v41, v42 = product.variants
    ids = [v40.id, v41.id, v42.id]
    services.take_stock(business, owner, v41.id, 1, source_type="order", source_id=1)
    db.session.commit()
    data = {"mode": "options", "name": "Shoe", "options-0-name": "Size"}
    for i, variant in enumerate((v40, v41, v42)):
        data |= {
            f"variants-{i}-id": str(variant.id),
            f"variants-{i}-option_0": variant.option_values[0],
            f"variants-{i}-sku": variant.sku,
            f"variants-{i}-price": "50",
        }
    data |= {"variants-0-remove": "y", "variants-1-remove": "y"}
    response = client.post(f"{base}/{product.id}/edit", data=data)
    assert response.status_code == 303
    page = page_text(client.get(response.headers["Location"]))
    assert "Shoe — 41 has sales, so it was archived instead of deleted." in page
    db.session.expire_all()
    assert db.session.get(Variant, ids[0]) is None
    assert db.session.get(Variant, ids[1]).archived
    assert not db.session.get(Variant, ids[2]).archived


def test_category_is_reused_whatever_the_letter_case(client, shop):
    owner, business, base = shop
    for name in ("Bag", "Tote"):
        client.post(
            base + "/new",
            data={
                "mode": "simple",
                "name": name,
                "new_category": "scarves" if name == "Bag" else "SCARVES",
                "variants-0-price": "5",
            },
        )
    assert db.session.scalar(sa.select(sa.func.count(Category.id))) == 1


def test_archive_restore_and_delete(client, shop):
    owner, business, base = shop
    sold = make_product(business, "Sold Bag", stock=3)
    fresh = make_product(business, "Fresh Bag", stock=3)
    services.take_stock(business, owner, sold.variants[0].id, 1)
    db.session.commit()
    response = client.post(f"{base}/{sold.id}/delete")
    assert response.status_code == 303
    assert "archived instead of deleted" in page_text(client.get(response.headers["Location"]))
    assert _product("Sold Bag").archived
    assert "Sold Bag" not in page_text(client.get(base + "/"))
    assert "Sold Bag" in page_text(client.get(base + "/?stock=archived"))
    response = client.get(f"{base}/{sold.id}/edit")
    assert response.status_code == 303
    assert "Restore it to edit it." in page_text(client.get(response.headers["Location"]))
    client.post(f"{base}/{sold.id}/unarchive")
    product = _product("Sold Bag")
    assert not product.archived and not product.variants[0].archived
    assert client.post(f"{base}/{fresh.id}/delete").status_code == 303
    assert _product("Fresh Bag") is None
    assert db.session.scalar(sa.select(sa.func.count(StockMovement.id))) == 2


def test_a_simple_product_gets_options_and_keeps_its_stock(client, shop):
    owner, business, base = shop
    product = make_product(business, "Cap", price="35", stock=6)
    variant_id = product.variants[0].id
    db.session.commit()
    url = f"{base}/{product.id}/edit"
    form = {
        "mode": "options",
        "name": "Cap",
        "options-0-name": "Colour",
        "options-0-values": "Black, Beige",
        "variants-0-id": str(variant_id),
        "variants-0-price": "35",
        "action": "generate",
    }
    html = page_text(client.post(url, data=form))
    assert f'name="variants-0-id" type="hidden" value="{variant_id}"' in html
    assert 'name="variants-1-id" type="hidden" value=""' in html
    saved = {
        "mode": "options",
        "name": "Cap",
        "options-0-name": "Colour",
        "variants-0-id": str(variant_id),
        "variants-0-option_0": "Black",
        "variants-0-price": "35",
        "variants-1-option_0": "Beige",
        "variants-1-price": "35",
        "variants-1-stock": "2",
    }
    assert client.post(url, data=saved).status_code == 303
    product = _product("Cap")
    assert [(v.id == variant_id, v.options_label, v.stock) for v in product.variants] == [
        (True, "Black", 6),
        (False, "Beige", 2),
    ]


def test_back_to_a_simple_product_removes_the_other_variants(client, shop):
    owner, business, base = shop
    product = make_product(business, "Shoe", options={"Size": ["40", "41"]}, stock=1)
    keep, drop = (v.id for v in product.variants)
    db.session.commit()
    url = f"{base}/{product.id}/edit"
    form = {
        "mode": "options",
        "name": "Shoe",
        "options-0-name": "Size",
        "variants-0-id": str(keep),
        "variants-0-option_0": "40",
        "variants-0-price": "50",
        "variants-1-id": str(drop),
        "variants-1-option_0": "41",
        "variants-1-price": "50",
    }
    response = client.post(url, data={**form, "action": "simple"})
    assert response.status_code == 422
    assert "keep one variant" in page_text(response)
    html = page_text(client.post(url, data={**form, "variants-1-remove": "y", "action": "simple"}))
    assert 'name="variants-0-price"' in html and "Add options (size, colour…)" in html
    assert f'name="variants-1-id" type="hidden" value="{drop}"' in html
    simple = {
        "mode": "simple",
        "name": "Shoe",
        "variants-0-id": str(keep),
        "variants-0-price": "50",
        "variants-1-id": str(drop),
        "variants-1-remove": "y",
    }
    assert client.post(url, data=simple).status_code == 303
    product = _product("Shoe")
    assert product.option_names == []
    assert [(v.id, v.title) for v in product.variants] == [(keep, "Shoe")]


def test_saving_a_stale_form_is_refused(client, shop):
    owner, business, base = shop
    product = make_product(business, "Shoe", options={"Size": ["40", "41"]})
    first = product.variants[0]
    db.session.commit()
    stale = {
        "mode": "options",
        "name": "Shoe",
        "options-0-name": "Size",
        "variants-0-id": str(first.id),
        "variants-0-option_0": "40",
        "variants-0-price": "50",
    }
    response = client.post(f"{base}/{product.id}/edit", data=stale)
    assert response.status_code == 422
    assert "This product was changed meanwhile. Reload the page." in page_text(response)
