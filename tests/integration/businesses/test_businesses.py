"""Onboarding, the business switcher, settings, archive, logo and tenant isolation."""

import io
from decimal import Decimal

import sqlalchemy as sa
from PIL import Image

from kyora.businesses import events
from kyora.businesses.models import Business
from kyora.extensions import db
from tests.factories import login, make_business, make_tenant, make_user, page_text


def _png(size=(300, 200), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def test_handle_is_suggested_from_the_name_and_checked_live(client):
    user = make_user()
    make_tenant(handle="sara-cakes")
    login(client, user)
    suggestion = client.get(
        "/businesses/handle?name=Sara+Cakes&handle=&handle_auto=1",
        headers={"HX-Request": "true", "HX-Trigger-Name": "name", "HX-Target": "handle-field"},
    )
    assert 'value="sara-cakes-2"' in suggestion.get_data(as_text=True)
    taken = client.get(
        "/businesses/handle?handle=sara-cakes",
        headers={"HX-Request": "true", "HX-Trigger-Name": "handle"},
    )
    assert "This address is taken" in page_text(taken)
    reserved = client.get("/businesses/handle?handle=login", headers={"HX-Request": "true"})
    assert "reserved" in page_text(reserved)
    bad = client.get("/businesses/handle?handle=Not_OK", headers={"HX-Request": "true"})
    assert "lower-case letters" in page_text(bad)
    free = client.get("/businesses/handle?handle=mona-bakes", headers={"HX-Request": "true"})
    assert "/mona-bakes is available." in page_text(free)
    # Once the seller typed a handle, the name no longer overwrites it.
    kept = client.get(
        "/businesses/handle?name=Other&handle=mine&handle_auto=0",
        headers={"HX-Request": "true", "HX-Trigger-Name": "name"},
    )
    assert kept.status_code == 204


def test_onboarding_refuses_bad_input_and_writes_nothing(client):
    user = make_user()
    make_tenant(handle="taken-shop")
    login(client, user)
    for data, message in [
        ({"name": "", "handle": "fine-shop", "country": "AE"}, "Give your business a name."),
        ({"name": "Shop", "handle": "taken-shop", "country": "AE"}, "This address is taken"),
        ({"name": "Shop", "handle": "ab", "country": "AE"}, "Use 3 to 40 characters."),
        ({"name": "Shop", "handle": "fine-shop", "country": "XX"}, "Choose your country"),
    ]:
        response = client.post("/signup/business", data={**data, "locale": "en"})
        assert response.status_code == 422, data
        assert message in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count(Business.id))) == 1


def test_country_sets_currency_and_time_zone(client):
    user = make_user()
    login(client, user)
    client.post("/signup/business", data={"name": "Kuwait Sweets", "country": "KW", "locale": "ar"})
    business = db.session.scalar(sa.select(Business))
    assert (business.handle, business.currency, business.timezone) == (
        "kuwait-sweets",
        "KWD",
        "Asia/Kuwait",
    )
    db.session.expire_all()
    assert db.session.get(type(user), user.id).locale == "ar"


def test_another_workspace_handle_is_a_404(client):
    owner, business = make_tenant()
    stranger, theirs = make_tenant(name="Other Owner")
    login(client, owner)
    assert client.get(f"/b/{business.handle}/").status_code == 200
    for url in (f"/b/{theirs.handle}/", f"/b/{theirs.handle}/settings", "/b/no-such-shop/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/b/{theirs.handle}/settings/archive").status_code == 404
    assert db.session.get(Business, theirs.id).archived_at is None


def test_switcher_lists_the_workspace_businesses_and_new_business(client):
    owner, first = make_tenant()
    second = make_business(owner, name="Second Shop")
    make_tenant(name="Someone Else")
    login(client, owner)
    page = page_text(client.get(f"/b/{first.handle}/"))
    assert "Second Shop" in page and "New business" in page
    response = client.post(
        "/businesses/new", data={"name": "Third Shop", "country": "SA", "locale": "en"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/b/third-shop/"
    assert (
        db.session.scalar(sa.select(Business.currency).where(Business.handle == "third-shop"))
        == "SAR"
    )
    assert second.id


def test_settings_save_normalises_and_reports_errors_beside_fields(client):
    owner, business = make_tenant()
    login(client, owner)
    url = f"/b/{business.handle}/settings"
    base = {
        "name": "Sara Designs",
        "handle": business.handle,
        "country": "AE",
        "currency": "AED",
        "timezone": "Asia/Dubai",
        "vat_percent": "5",
        "phone": "050 123 4567",
        "whatsapp": "٠٥٠ ١١١ ٢٢٣٣",
        "instagram": "https://instagram.com/Sara.Designs/",
        "tiktok": "@sara",
    }
    response = client.post(url, data=base)
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(Business, business.id)
    assert saved.vat_rate == Decimal("0.05")
    assert (saved.phone, saved.whatsapp) == ("+971501234567", "+971501112233")
    assert (saved.instagram, saved.tiktok) == ("Sara.Designs", "sara")

    bad = client.post(url, data={**base, "phone": "12", "vat_percent": "140"})
    assert bad.status_code == 422
    text = page_text(bad)
    assert "Enter a valid phone number." in text
    assert "Enter a VAT rate between 0 and 100." in text
    db.session.expire_all()
    assert db.session.get(Business, business.id).phone == "+971501234567"

    partial = client.post(
        url,
        data={**base, "phone": "12"},
        headers={"HX-Request": "true", "HX-Target": "settings-form"},
    )
    assert partial.status_code == 422
    body = partial.get_data(as_text=True)
    assert body.lstrip().startswith('<form method="post"') and "<html" not in body


def test_currency_locks_once_something_depends_on_it(client):
    owner, business = make_tenant()
    login(client, owner)
    base = {
        "name": business.name,
        "handle": business.handle,
        "country": "AE",
        "timezone": "Asia/Dubai",
    }
    assert (
        client.post(f"/b/{business.handle}/settings", data={**base, "currency": "USD"}).status_code
        == 303
    )

    def has_orders(sender):
        return True

    events.currency_change_requested.connect(has_orders)
    try:
        response = client.post(f"/b/{business.handle}/settings", data={**base, "currency": "EUR"})
    finally:
        events.currency_change_requested.disconnect(has_orders)
    assert response.status_code == 422
    assert "cannot change once the business has orders" in page_text(response)
    db.session.expire_all()
    assert db.session.get(Business, business.id).currency == "USD"


def test_logo_upload_is_checked_resized_and_served(client, app):
    owner, business = make_tenant()
    login(client, owner)
    base = {
        "name": business.name,
        "handle": business.handle,
        "country": "AE",
        "currency": "AED",
        "timezone": "Asia/Dubai",
    }
    url = f"/b/{business.handle}/settings"
    fake = client.post(
        url,
        data={**base, "logo": (io.BytesIO(b"<svg>not an image</svg>"), "logo.png")},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 422
    assert "This file is not an image we can read." in page_text(fake)
    app.config["UPLOAD_MAX_IMAGE_BYTES"] = 1000
    try:
        big = client.post(
            url,
            data={**base, "logo": (io.BytesIO(_png((800, 800))), "big.png")},
            content_type="multipart/form-data",
        )
    finally:
        app.config["UPLOAD_MAX_IMAGE_BYTES"] = 5 * 1024 * 1024
    assert big.status_code == 422 and "This image is too large" in page_text(big)
    ok = client.post(
        url,
        data={**base, "logo": (io.BytesIO(_png()), "logo.png")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 303
    db.session.expire_all()
    key = db.session.get(Business, business.id).logo_path
    with client.get(f"/uploads/{key}") as served:
        assert served.status_code == 200
        image = Image.open(io.BytesIO(served.data))
    assert (image.format, image.size) == ("WEBP", (256, 256))


def test_archive_hides_and_unarchive_restores(client):
    owner, business = make_tenant()
    login(client, owner)
    response = client.post(f"/b/{business.handle}/settings/archive")
    assert response.status_code == 303
    # With no open business left, the owner is offered to restore it or start another.
    start = client.get("/start")
    assert start.status_code == 200
    assert "All your businesses are archived" in page_text(start)
    assert f"/b/{business.handle}/settings" in page_text(start)
    page = page_text(client.get(f"/b/{business.handle}/settings"))
    assert "This business is archived" in page
    client.post(f"/b/{business.handle}/settings/unarchive")
    assert client.get("/start").headers["Location"] == f"/b/{business.handle}/"


def test_prices_include_vat_by_default_where_that_is_the_norm(client):
    user = make_user()
    login(client, user)
    client.post("/signup/business", data={"name": "Dubai Abayas", "country": "AE", "locale": "en"})
    gulf = db.session.scalar(sa.select(Business).where(Business.country == "AE"))
    assert gulf.prices_include_vat is True
    other = make_user()
    client.post("/logout")
    login(client, other)
    client.post("/signup/business", data={"name": "Austin Tees", "country": "US", "locale": "en"})
    american = db.session.scalar(sa.select(Business).where(Business.country == "US"))
    assert american.prices_include_vat is False


def test_settings_save_the_vat_mode_and_the_tax_number(client):
    owner, business = make_tenant()
    login(client, owner)
    url = f"/b/{business.handle}/settings"
    page = page_text(client.get(url))
    assert "Tax registration number (TRN)" in page and "Include VAT" in page
    base = {
        "name": "Sara Designs",
        "handle": business.handle,
        "country": "AE",
        "currency": "AED",
        "timezone": "Asia/Dubai",
        "vat_percent": "5",
    }
    response = client.post(
        url, data={**base, "vat_mode": "included", "tax_number": " 100234567800003 "}
    )
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(Business, business.id)
    assert (saved.prices_include_vat, saved.tax_number) == (True, "100234567800003")
    # A form without the fields (an older page) leaves them as they were.
    client.post(url, data=base)
    db.session.expire_all()
    saved = db.session.get(Business, business.id)
    assert (saved.prices_include_vat, saved.tax_number) == (True, "100234567800003")
    client.post(url, data={**base, "vat_mode": "on_top", "tax_number": ""})
    db.session.expire_all()
    saved = db.session.get(Business, business.id)
    assert (saved.prices_include_vat, saved.tax_number) == (False, None)
    too_long = client.post(url, data={**base, "tax_number": "9" * 41})
    assert too_long.status_code == 422


def test_team_and_account_pages_sit_in_the_business_layout_and_time_zone(client):
    from datetime import UTC, datetime

    owner, business = make_tenant()
    helper = make_user(name="Huda Helper", role="member", workspace=owner.workspace)
    helper.last_active_at = datetime(2026, 1, 1, 20, 30, tzinfo=UTC)
    db.session.commit()
    login(client, owner)
    for url in ("/settings/team", "/account", "/account/sessions"):
        page = page_text(client.get(url))
        assert 'class="bottomnav"' in page and 'class="sidenav"' in page, url
        assert f'href="/b/{business.handle}/orders/"' in page, url
        assert "Switch business" in page, url
    team = page_text(client.get("/settings/team"))
    # 20:30 UTC is 00:30 the next day in Dubai, the business's time zone.
    assert "1/2/26, 12:30" in team and "1/1/26, 8:30" not in team


def test_without_a_business_the_account_page_has_no_business_navigation(client):
    user = make_user()
    login(client, user)
    page = page_text(client.get("/account"))
    assert 'class="bottomnav"' not in page


def test_switcher_and_account_menu_names_contain_their_visible_text(client):
    owner, business = make_tenant(name="Layla Haddad")
    login(client, owner)
    page = page_text(client.get(f"/b/{business.handle}/"))
    switcher = page[page.index('class="dropdown switcher"') :]
    summary = switcher[: switcher.index("</summary>")]
    assert "aria-label" not in summary and business.name in summary
    menu = page[page.index('class="dropdown user-menu"') :]
    assert "aria-label" not in menu[: menu.index("</summary>")]
