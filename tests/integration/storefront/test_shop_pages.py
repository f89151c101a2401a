"""The shop as shoppers and search engines see it: who gets a 404, what the grid and a
product page say, languages, SEO tags, and the cached home following catalog changes."""

from __future__ import annotations

from decimal import Decimal

from kyora.core.db import utcnow
from kyora.extensions import db
from kyora.inventory.services import ProductDraft, VariantDraft, update_product
from kyora.storefront.settings import SettingsDraft, update_settings
from tests.factories import make_product, make_tenant
from tests.factories import page_text as raw_text


def test_home_shows_products_prices_and_sold_out(client, shop):
    make_product(shop.business, "Gone bag", price="80", stock=0)
    response = client.get(shop.url)
    text = page_text(response)
    assert response.status_code == 200
    assert "Silk scarf" in text and "Cotton cap" in text
    assert "AED 120.00" in text and "AED 45.00" in text
    assert text.count("Sold out") == 1
    assert "Prices include VAT (5%)." in text
    # The shop's own stylesheet only: no app CSS, no htmx on the first view.
    assert "/static/css/storefront." in text
    assert "/static/css/app." not in text and "htmx" not in text


def test_closed_unknown_and_archived_shops_are_not_found(client, shop):
    assert client.get("/s/no-such-shop/").status_code == 404
    assert client.get(f"/s/{'x' * 300}/").status_code == 404
    shop.business.archived_at = utcnow()
    db.session.commit()
    assert client.get(shop.url).status_code == 404
    shop.business.archived_at = None
    shop.business.storefront_enabled = False
    db.session.commit()
    assert client.get(shop.url).status_code == 404
    assert client.get(f"{shop.url}p/{shop.scarf.id}").status_code == 404


def test_a_reserved_word_never_shadows_an_app_page(client, shop):
    for word in ("login", "b", "static"):
        assert client.get(f"/s/{word}/").status_code == 404
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_product_page_offers_only_variants_in_stock(client, shop):
    shop.small.stock = 0
    db.session.commit()
    text = page_text(client.get(f"{shop.url}p/{shop.scarf.id}"))
    assert f'value="{shop.small.id}" disabled' in text
    assert f'value="{shop.medium.id}" checked' in text
    assert "Add to cart" in text


def test_another_shops_product_is_not_found(client, shop):
    _owner, other = make_tenant(handle="other-shop")
    other.storefront_enabled = True
    theirs = make_product(other, "Their hat", price="10", stock=2)
    db.session.commit()
    assert client.get(f"{shop.url}p/{theirs.id}").status_code == 404
    assert client.get(f"{shop.url}p/99999999999").status_code == 404


def test_hidden_categories_stay_out_of_the_shop(client, shop):
    update_settings(
        shop.business, SettingsDraft(enabled=True, all_categories=False, category_ids=[])
    )
    db.session.commit()
    text = page_text(client.get(shop.url))
    assert "Silk scarf" not in text and "Cotton cap" in text  # the cap has no category
    assert client.get(f"{shop.url}p/{shop.scarf.id}").status_code == 404


def test_category_page_lists_its_products(client, shop):
    category_id = shop.scarf.category_id
    text = page_text(client.get(f"{shop.url}c/{category_id}"))
    assert "Silk scarf" in text and "Cotton cap" not in text
    assert client.get(f"{shop.url}c/999999").status_code == 404


def test_arabic_by_the_shoppers_choice(client, shop):
    response = client.get(f"{shop.url}?lang=ar")
    text = page_text(response)
    assert 'lang="ar" dir="rtl"' in text
    assert "kyora_lang=ar" in response.headers.get("Set-Cookie", "")
    # The switch back is a plain link.
    assert f'href="/s/{shop.business.handle}/?lang=en"' in text


def _scarf_photo_page(client, shop, **photo) -> str:
    """The scarf's page once it has one photo (stored keys only, no files)."""
    from kyora.inventory.models import ProductPhoto

    db.session.add(
        ProductPhoto(
            business_id=shop.business.id,
            product_id=shop.scarf.id,
            image_key="products/x/cover.webp",
            thumb_key="products/x/thumb.webp",
            **photo,
        )
    )
    db.session.commit()
    return page_text(client.get(f"{shop.url}p/{shop.scarf.id}"))


def test_seo_tags_canonical_and_open_graph_photo(client, shop):
    text = _scarf_photo_page(client, shop, width=1200, height=900)
    assert "<title>Silk scarf · Sara Designs</title>" in text
    assert (
        f'rel="canonical" href="http://kyora.test/s/layla-scarves/p/{shop.scarf.id}?lang=en"'
        in text
    )
    assert 'property="og:image" content="http://kyora.test/uploads/products/x/cover.webp"' in text
    assert 'width="1200" height="900"' in text
    assert "srcset" not in text  # no medium copy: the one image


def test_product_photo_offers_phones_the_medium_copy(client, shop):
    text = _scarf_photo_page(
        client, shop, medium_key="products/x/medium.webp", width=900, height=1200
    )
    assert 'src="/uploads/products/x/medium.webp"' in text
    assert (
        'srcset="/uploads/products/x/medium.webp 540w, /uploads/products/x/cover.webp 900w"' in text
    )
    assert 'sizes="(min-width: 640px) 520px, 100vw"' in text


def test_sitemap_and_robots(client, shop):
    sitemap = client.get(f"{shop.url}sitemap.xml")
    assert sitemap.mimetype == "application/xml"
    body = sitemap.get_data(as_text=True)
    assert f"http://kyora.test/s/layla-scarves/p/{shop.scarf.id}?lang=ar" in body
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Allow: /s/" in robots and "Disallow: /b/" in robots


def test_home_cache_follows_catalog_changes(client, shop, count_queries):
    assert "Silk scarf" in page_text(client.get(shop.url))
    draft = ProductDraft(
        name="Silk scarf deluxe",
        new_category="Scarves",
        option_names=["Size"],
        variants=[
            VariantDraft(
                id=v.id,
                options=list(v.option_values),
                sku=v.sku,
                price=Decimal("150"),
                cost=Decimal("20"),
            )
            for v in shop.scarf.variants
        ],
    )
    update_product(shop.business, shop.owner, shop.scarf, draft)
    db.session.commit()
    text = page_text(client.get(shop.url))
    assert "Silk scarf deluxe" in text and "AED 150.00" in text


def test_home_reads_the_catalog_once_per_change(client, shop, count_queries):
    for number in range(30):
        make_product(shop.business, f"Bag {number}", price="10", stock=1)
    db.session.commit()
    warm = count_queries.page(client, shop.url)
    # The shop and its settings; the catalog itself comes from memory.
    assert warm <= 3
    shop.cap_variant.stock = 0
    db.session.commit()
    assert "Sold out" in page_text(client.get(shop.url))


def page_text(response) -> str:
    """What a reader sees, with money's non-breaking spaces as plain ones."""
    return raw_text(response).replace("\xa0", " ")


def test_grid_photos_are_thumbnails_with_sizes_lazy_below_the_first_row(client, shop):
    from kyora.inventory.models import ProductPhoto

    products = [make_product(shop.business, f"Bag {n}", price="10", stock=1) for n in range(6)]
    for product in products + [shop.scarf, shop.cap]:
        db.session.add(
            ProductPhoto(
                business_id=shop.business.id,
                product_id=product.id,
                image_key=f"products/x/{product.id}.webp",
                thumb_key=f"products/x/{product.id}-thumb.webp",
                width=1200,
                height=1200,
            )
        )
    db.session.commit()
    text = page_text(client.get(shop.url))
    assert text.count('width="320" height="320"') == 8
    assert text.count("-thumb.webp") == 8
    assert text.count('fetchpriority="high"') == 1
    assert text.count('loading="lazy"') == 4


def test_shop_text_is_escaped_everywhere(client, shop):
    from tests.integration.security.routes import XSS_PAYLOAD, XSS_RAW

    shop.business.name = XSS_PAYLOAD
    shop.scarf.name = XSS_PAYLOAD
    shop.scarf.description = XSS_PAYLOAD
    update_settings(shop.business, SettingsDraft(enabled=True, about=XSS_PAYLOAD))
    db.session.commit()
    for url in (shop.url, f"{shop.url}p/{shop.scarf.id}", f"{shop.url}sitemap.xml"):
        body = client.get(url).get_data(as_text=True)
        assert not any(raw in body for raw in XSS_RAW), url
