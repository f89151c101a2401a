"""CSV import (preview, all or nothing) and export of the catalog."""

import base64
import csv
import io
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyora.core.errors import ValidationFailed
from kyora.extensions import db
from kyora.inventory import catalog
from kyora.inventory.models import Product, StockMovement, Variant
from tests.factories import login, make_product, make_tenant, page_text

HEADER = "name,category,options,sku,price,cost,stock,threshold\n"


@pytest.fixture
def shop(client, request_ctx):
    owner, business = make_tenant()
    login(client, owner)
    return owner, business, f"/b/{business.handle}/products"


def upload(client, base, content: bytes | str, name="products.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        base + "/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def confirm(client, base, response):
    content = re.search(r'name="content" type="hidden" value="([^"]+)"', page_text(response))
    return client.post(base + "/import/confirm", data={"content": content.group(1)})


def read_export(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


def test_import_previews_then_creates_products_and_variants(client, shop):
    owner, business, base = shop
    content = HEADER + (
        "Silk Scarf,Scarves,Colour: Red,,120,45,10,\n"
        "Silk Scarf,Scarves,Colour: Black,SS-BLK,120,45.5,4,2\n"
        "Gift Box,Packaging,,,25,8,30,5\n"
    )
    preview = upload(client, base, content)
    assert preview.status_code == 200
    html = page_text(preview)
    assert html.count("Will create") == 3 and "Import 3 rows" in html
    assert count(Product) == 0  # nothing is written before confirming
    response = confirm(client, base, preview)
    assert response.status_code == 303
    assert "Import done: 3 new, 0 updated." in page_text(client.get(response.headers["Location"]))
    scarf = db.session.scalar(sa.select(Product).where(Product.name == "Silk Scarf"))
    assert scarf.option_names == ["Colour"] and scarf.category.name == "Scarves"
    assert [(v.options_label, v.sku, v.stock) for v in scarf.variants] == [
        ("Red", "SILK-SCAR-RED", 10),
        ("Black", "SS-BLK", 4),
    ]
    assert scarf.variants[1].avg_cost == Decimal("45.5000")
    assert scarf.variants[1].low_stock_threshold == 2
    assert count(StockMovement) == 3


def test_import_updates_by_sku_and_adds_variants_to_existing_products(client, shop):
    owner, business, base = shop
    shirt = make_product(business, "Shirt", price="90", cost="30", stock=5, options={"Size": ["S"]})
    sku = shirt.variants[0].sku
    db.session.commit()
    content = HEADER + f"Shirt,,Size: S,{sku},95,,8,\nShirt,,Size: M,,95,30,2,\n"
    preview = upload(client, base, content)
    html = page_text(preview)
    assert "Will update" in html and "price 90.00 → 95" in html and "stock 5 → 8" in html
    assert "Will add variant" in html and "Shirt — M" in html
    assert confirm(client, base, preview).status_code == 303
    db.session.expire_all()
    variants = db.session.scalars(sa.select(Variant).order_by(Variant.id)).all()
    assert [(v.options_label, v.price, v.stock) for v in variants] == [
        ("S", Decimal("95.000"), 8),
        ("M", Decimal("95.000"), 2),
    ]
    kinds = db.session.scalars(sa.select(StockMovement.kind).order_by(StockMovement.id)).all()
    assert kinds == ["initial", "correction", "initial"]


def test_one_bad_row_reports_each_row_and_imports_nothing(client, shop):
    owner, business, base = shop
    content = HEADER + (
        "Cap,Hats,,,35,10,5,\n"
        "Hat,Hats,,,-4,abc,2.5,\n"
        '=HYPERLINK("http://x"),,,,10,,,\n'
        "Scarf,,Colour Red,,10,,,\n"
        "Bag,,,CAP-9,10,,,\n"
        "Tote,,,cap-9,10,,,\n"
        ",,,,10,,,\n"
    )
    response = upload(client, base, content)
    assert response.status_code == 422
    html = page_text(response)
    assert "Nothing was imported." in html and "Import 7 rows" not in html
    assert html.count("Will create") == 2

    def row(number):
        start = html.index(f'id="import-row-{number}"')
        return html[start : html.index("</tr>", start)]

    assert "Price: Enter 0 or more. Amounts can't be negative." in row(3)
    assert "Cost: Enter an amount, like 12.50." in row(3)
    assert "Stock: Enter a whole number." in row(3)
    assert "spreadsheets run as a formula" in row(4)
    assert "Write options like “Size: M; Colour: Red”." in row(5)
    assert "Row 6 has this SKU too." in row(7)
    assert "The name is missing." in row(8)
    response = client.post(
        base + "/import/confirm",
        data={"content": base64.b64encode(content.encode()).decode()},
    )
    assert response.status_code == 422
    assert count(Product) == 0


def test_confirm_is_all_or_nothing_when_a_save_is_refused(client, shop, monkeypatch):
    owner, business, base = shop
    preview = upload(client, base, HEADER + "Cap,,,,35,,5,\nHat,,,,40,,5,\n")
    real = catalog.create_product

    def refuse_the_hat(business, actor, draft):
        if draft.name == "Hat":
            raise ValidationFailed({"variants-0-sku": "Another product already uses this SKU."})
        return real(business, actor, draft)

    monkeypatch.setattr(catalog, "create_product", refuse_the_hat)
    response = confirm(client, base, preview)
    assert response.status_code == 422
    assert "Row 3: Another product already uses this SKU." in page_text(response)
    assert count(Product) == 0 and count(StockMovement) == 0


def test_utf8_bom_arabic_text_semicolons_and_arabic_headers(client, shop):
    owner, business, base = shop
    content = "\ufeffname;price;stock;options\nوشاح حرير;٥٠;٣;المقاس: كبير\n"
    preview = upload(client, base, content.encode("utf-8"))
    assert preview.status_code == 200, page_text(preview)
    assert confirm(client, base, preview).status_code == 303
    variant = db.session.scalar(sa.select(Variant))
    assert variant.title == "وشاح حرير — كبير"
    assert (variant.price, variant.stock, variant.sku) == (Decimal("50.000"), 3, "ITEM")


def test_file_level_problems(client, shop):
    owner, business, base = shop
    response = upload(client, base, "product;cost\nCap;3\n")
    assert response.status_code == 422
    assert "The first row must name the columns" in page_text(response)
    assert "We found: product, cost." in page_text(response)
    response = upload(client, base, "name,price\nCafé crème,5\n".encode("cp1252"))
    assert response.status_code == 422
    assert "save it as “CSV UTF-8”" in page_text(response)
    response = upload(client, base, b"")
    assert "Choose a CSV file to import." in page_text(response)
    response = upload(client, base, HEADER)
    assert "no products" in page_text(response)


def test_export_with_costs_values_and_neutralised_formulas(client, shop):
    owner, business, base = shop
    make_product(business, '=HYPERLINK("http://evil")', price="10", cost="4", stock=5)
    make_product(
        business,
        "Sandal",
        price="80.5",
        cost="30.125",
        stock=2,
        options={"Size": ["38"]},
        category="Shoes",
    )
    db.session.commit()
    response = client.get(base + "/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="products-' in response.headers["Content-Disposition"]
    rows = read_export(response)
    assert rows[0] == [
        "Name",
        "Category",
        "Options",
        "SKU",
        "Price",
        "Cost",
        "Stock",
        "Low-stock alert",
        "Stock value",
        "Status",
    ]
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][4:] == ["10.00", "4.00", "5", "", "20.00", "In stock"]
    assert rows[2][:3] == ["Sandal", "Shoes", "Size: 38"]
    assert rows[2][4:] == ["80.50", "30.125", "2", "", "60.25", "Low stock"]


def test_export_then_import_is_a_no_op(client, shop):
    owner, business, base = shop
    make_product(
        business, "Sandal", price="80", cost="30.125", stock=2, options={"Size": ["38", "39"]}
    )
    make_product(business, "وشاح", price="50", stock=1, threshold=0)
    db.session.commit()
    exported = client.get(base + "/export.csv").get_data()
    preview = upload(client, base, exported)
    assert preview.status_code == 200
    html = page_text(preview)
    assert html.count("No change") == 3 and "Columns we don't use were ignored" not in html
    assert confirm(client, base, preview).status_code == 303
    assert count(StockMovement) == 3


def test_a_giant_cell_and_an_oversized_confirm_are_refused_plainly(client, shop):
    owner, business, base = shop
    giant = HEADER + "Cap," + "x" * 140_000 + ",,,35,,5,\n"
    response = upload(client, base, giant)
    assert response.status_code == 422
    assert "couldn't read this file as a table" in page_text(response)
    # The confirm step cannot smuggle in more than the upload may carry.
    rows = "".join(f"Cap {n},,,,35,,5,\n" for n in range(200_000))
    big = base64.b64encode((HEADER + rows).encode()).decode()
    assert len(big) > 5_000_000
    response = client.post(base + "/import/confirm", data={"content": big})
    assert response.status_code == 422
    assert "This file is too large." in page_text(response)
    assert count(Product) == 0


def test_a_nul_character_in_a_cell_is_a_plain_file_error(shop):
    """PostgreSQL cannot store NUL: a file holding one is refused before any lookup."""
    from kyora.inventory.csv.reading import plan_import

    plan = plan_import(shop[1], HEADER + ",,,\x00")
    assert plan.file_error and not plan.rows
    assert count(Product) == 0


CSV_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(
    list(',;\t"\n\r=+-@٠١٢:.')
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.text(CSV_ALPHABET, max_size=60) | st.sampled_from(["Size: M", "12.5", "-3", "=1+1"]),
        max_size=40,
    ).map(",".join)
)
def test_any_text_gets_a_plan_or_a_plain_file_error(shop, text):
    """Whatever a file holds, the preview is a plan (rows with their problems) or a
    plain message about the file; nothing is written."""
    from kyora.inventory.csv.reading import plan_import

    plan = plan_import(shop[1], HEADER + text)
    assert plan.file_error or all(row.title for row in plan.rows)
    assert count(Product) == 0
