"""A seller manages a catalog on a phone: products with and without variants, restock,
damage, history and low-stock badges, a CSV import with a bad row, a CSV export."""

from __future__ import annotations

from pathlib import Path

from kyora.extensions import db
from tests.e2e.conftest import htmx_ready, switch_to_arabic
from tests.factories import PASSWORD, make_business, make_product, make_user


def _log_in(page, live_server, user, business):
    page.goto(f"{live_server}/login?next=/b/{business.handle}/products/")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action^='/login'] button[type=submit]")
    page.wait_for_selector("#products-results")


def _shop(app, handle: str):
    owner = make_user(name="Layla Owner", email=f"{handle}@example.com")
    business = make_business(owner, name="Layla Boutique", handle=handle)
    db.session.commit()
    return owner, business


def _row(page, text: str):
    return page.locator("#variants tbody tr", has_text=text)


def test_seller_builds_a_catalog_and_keeps_stock_right(app, page, live_server, tmp_path):
    owner, business = _shop(app, "layla-stock")
    base = f"{live_server}/b/{business.handle}/products"
    _log_in(page, live_server, owner, business)
    assert page.is_visible("text=Your catalog is empty")

    # A simple product, with live validation on the way.
    page.click("#products-results >> text=Add a product")
    htmx_ready(page)
    page.fill("#name", "Gift Box")
    page.fill("#variants-0-price", "-5")
    page.locator("#variants-0-price").blur()
    page.wait_for_selector("#variants-0-price-check:text('Amounts can\\'t be negative.')")
    page.fill("#variants-0-price", "25")
    page.fill("#variants-0-cost", "8")
    page.fill("#variants-0-stock", "30")
    page.click("button.inv-save")
    page.wait_for_selector("h1:text('Gift Box')")
    assert page.is_visible("text=Gift Box is in your catalog.")

    # A product with Size × Colour variants.
    page.goto(base + "/new")
    page.fill("#name", "Linen Shirt")
    page.fill("#variants-0-price", "90")
    page.fill("#variants-0-cost", "30")
    page.click("button[value=options]")
    page.wait_for_selector("#options-0-name")
    page.fill("#options-0-name", "Size")
    page.fill("#options-0-values", "S, M")
    page.fill("#options-1-name", "Colour")
    page.fill("#options-1-values", "White, Blue")
    page.click("button[value=generate]")
    page.wait_for_selector("#variants-3-option_1")
    assert page.input_value("#variants-3-option_0") == "M"
    assert page.input_value("#variants-3-option_1") == "Blue"
    assert page.input_value("#variants-3-price") == "90"
    for index, count in enumerate(["6", "6", "6", "3"]):
        page.fill(f"#variants-{index}-stock", count)
    page.click("button.inv-save")
    page.wait_for_selector("h1:text('Linen Shirt')")
    assert _row(page, "M / Blue").locator(".inv-stock").inner_text() == "3"

    # Restock one variant with what was paid.
    _row(page, "S / White").locator("text=Restock").click()
    page.wait_for_selector("#restock")
    page.fill("#quantity", "4")
    page.fill("#unit_cost", "24")
    page.click("#restock button[type=submit]")
    page.wait_for_selector("text=Added 4 to Linen Shirt — S / White.")
    assert _row(page, "S / White").locator(".inv-stock").inner_text() == "10"

    # Adjust another as damaged: it drops to the low-stock level.
    _row(page, "M / Blue").locator("text=Adjust").click()
    page.wait_for_selector("#adjust")
    page.check("#adjust input[value=damaged]")
    page.locator("#adjust #quantity").fill("1")
    page.fill("#adjust #note", "Torn seam")
    page.click("#adjust button[type=submit]")
    page.wait_for_selector("text=Linen Shirt — M / Blue now has 2 in stock.")
    assert _row(page, "M / Blue").locator(".badge").inner_text() == "Low stock"

    history = page.locator("#stock-history")
    assert history.locator("tr[data-kind=damaged]").count() == 1
    assert "Torn seam" in history.locator("tr[data-kind=damaged]").inner_text()
    assert history.locator("tr[data-kind=purchase]").count() == 1
    assert history.locator("tr[data-kind=initial]").count() == 4

    # The list shows the badge and the counts per status.
    page.goto(base + "/")
    assert page.locator("#status-low .badge").inner_text() == "1"
    assert (
        page.locator("#products-results tr", has_text="Linen Shirt").locator(".badge").inner_text()
        == "Low stock"
    )

    # Import a CSV with one bad row: each row is reported and nothing is imported.
    csv_file = Path(tmp_path) / "catalog.csv"
    csv_file.write_text(
        "name,category,options,sku,price,cost,stock,threshold\n"
        "Silk Scarf,Scarves,Colour: Red,,120,45,10,\n"
        "Tote Bag,Bags,,,-20,90,5,\n",
        encoding="utf-8-sig",
    )
    page.click("text=Import CSV")
    page.set_input_files("#file", str(csv_file))
    page.click("form[action$='/import'] button[type=submit]")
    page.wait_for_selector("#import-row-3")
    assert "Will create" in page.locator("#import-row-2").inner_text()
    assert "Amounts can't be negative." in page.locator("#import-row-3").inner_text()
    assert page.is_visible("text=Nothing was imported.")
    page.goto(base + "/?q=scarf")
    assert page.is_visible("text=No products match.")

    # Export the catalog.
    page.goto(base + "/")
    with page.expect_download() as download_info:
        page.click("text=Export CSV")
    exported = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert exported.splitlines()[0].startswith("Name,Category,Options,SKU,Price,Cost,Stock")
    assert "Linen Shirt,,Size: M; Colour: Blue," in exported


def test_products_pages_in_arabic(app, page, live_server):
    owner, business = _shop(app, "layla-arabic")
    with app.test_request_context("/"):
        make_product(
            business, "وشاح حرير", price="120", stock=2, options={"اللون": ["أحمر", "أسود"]}
        )
        db.session.commit()
    _log_in(page, live_server, owner, business)
    switch_to_arabic(page)
    assert page.get_attribute("html", "dir") == "rtl"
    page.wait_for_selector("#products-results :text('وشاح حرير')")
    page.click("#products-results :text('وشاح حرير')")
    page.wait_for_selector("h1:text('وشاح حرير')")
    assert page.locator("#variants tbody tr").count() == 2
    product_url = page.url
    # Restock in Arabic, typing Arabic-Indic digits.
    page.locator("#variants tbody tr", has_text="أسود").locator("a[href$='#restock']").click()
    page.wait_for_selector("#restock")
    page.fill("#quantity", "٥")
    page.fill("#unit_cost", "٤٠")
    page.click("#restock button[type=submit]")
    page.wait_for_selector("#variants")
    assert (
        page.locator("#variants tbody tr", has_text="أسود").locator(".inv-stock").inner_text()
        == "7"
    )
    assert page.get_attribute("html", "dir") == "rtl"
    page.goto(product_url + "/edit")
    page.wait_for_selector("#variants-1-option_0")
    assert page.input_value("#variants-1-option_0") == "أسود"
