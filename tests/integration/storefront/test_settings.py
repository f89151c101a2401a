"""The seller's shop settings tab: owners and admins only, checked input, and the shop
opening and closing with it."""

from __future__ import annotations

from kyora.extensions import db
from kyora.storefront.settings import get_settings
from tests.factories import make_product, make_tenant, make_user, page_text
from tests.integration.security.routes import sign_in


def _form(**fields) -> dict:
    data = {
        "enabled": "y",
        "brand_color": "#7c3aed",
        "accent_color": "#f59e0b",
        "about": "Handmade silk scarves from Dubai.",
        "all_categories": "y",
        "show_whatsapp": "y",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def test_owner_opens_the_shop_with_colours_and_about(client):
    owner, business = make_tenant(handle="noor-gifts")
    make_product(business, "Candle", price="30", stock=2)
    db.session.commit()
    sign_in(client, owner)
    assert client.get("/s/noor-gifts/").status_code == 404
    page = client.get("/b/noor-gifts/settings/shop")
    assert page.status_code == 200 and "http://localhost/s/noor-gifts/" in page_text(page)
    response = client.post("/b/noor-gifts/settings/shop", data=_form())
    assert response.status_code == 303
    shop = client.get("/s/noor-gifts/")
    text = page_text(shop)
    assert shop.status_code == 200
    assert "--brand:#7c3aed" in text and "Handmade silk scarves from Dubai." in text
    # The colours come in a style element the page's own policy allows, nothing else.
    nonce = text.split('<style nonce="')[1].split('"')[0]
    assert f"style-src 'self' 'nonce-{nonce}'" in shop.headers["Content-Security-Policy"]
    client.post("/b/noor-gifts/settings/shop", data=_form(enabled=None))
    assert client.get("/s/noor-gifts/").status_code == 404


def test_bad_colours_and_foreign_categories_are_refused(client):
    owner, business = make_tenant(handle="noor-gifts")
    _other_owner, other = make_tenant(handle="other-gifts")
    theirs = make_product(other, "Mug", category="Mugs")
    db.session.commit()
    sign_in(client, owner)
    response = client.post(
        "/b/noor-gifts/settings/shop",
        data=_form(
            brand_color="red;}body{display:none",
            about="x" * 1001,
            all_categories=None,
            category_ids=str(theirs.category_id),
        ),
    )
    assert response.status_code == 422
    text = page_text(response)
    assert "Pick a colour." in text
    assert "Use at most 1000 characters." in text
    assert "Pick categories from the list." in text
    assert get_settings(business).id is None


def test_members_cannot_see_or_change_the_shop_settings(client):
    owner, business = make_tenant(handle="noor-gifts")
    member = make_user(role="member", workspace=owner.workspace)
    db.session.commit()
    sign_in(client, member)
    assert client.get("/b/noor-gifts/settings/shop").status_code == 403
    assert client.post("/b/noor-gifts/settings/shop", data=_form()).status_code == 403
    db.session.refresh(business)
    assert business.storefront_enabled is False
