"""The quick entry page: taps re-render the form, totals come from the server, one save."""

import re
from decimal import Decimal as D

import pytest
import sqlalchemy as sa

from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.inventory.models import Variant
from kyora.orders.models import Order
from tests.factories import (
    login,
    make_customer,
    make_order,
    make_product,
    make_tenant,
    make_user,
    page_text,
)


def _url(shop, path=""):
    return f"/b/{shop.business.handle}/orders{path}"


def _form(shop, **fields):
    data = {
        "idempotency_key": "key-1",
        "channel": "instagram",
        "status": "confirmed",
        "payment": "none",
        "payment_method": "cod",
        "delivery": "none",
        "discount_kind": "amount",
    }
    data.update({key: str(value) for key, value in fields.items()})
    return data


def _stock(variant) -> int:
    return db.session.scalar(sa.select(Variant.stock).where(Variant.id == variant.id))


@pytest.fixture
def seller(client, shop):
    login(client, shop.owner)
    return client


def test_the_quick_entry_page_offers_a_fresh_key_and_the_last_channel(seller, shop):
    page = seller.get(_url(shop, "/new"))
    assert page.status_code == 200
    text = page_text(page)
    key = re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]{32})"', text)
    assert key
    assert '<option selected value="instagram">' in text
    make_order(shop.business, shop.owner, [(shop.cap, 1)], channel="tiktok")
    again = page_text(seller.get(_url(shop, "/new")))
    assert '<option selected value="tiktok">' in again
    assert re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]{32})"', again).group(
        1
    ) != key.group(1)


def test_saving_creates_the_order_with_server_totals_ignoring_posted_ones(seller, shop):
    response = seller.post(
        _url(shop, "/new"),
        data=_form(
            shop,
            action="save",
            customer_name="Sara",
            customer_phone="050 123 4567",
            **{
                "items-0-variant_id": shop.scarf_m.id,
                "items-0-quantity": 2,
                "items-0-unit_price": "45",
            },
            delivery="manual",
            shipping_fee="15",
            total="1.00",
            subtotal="1.00",
        ),
    )
    assert response.status_code == 303
    order = db.session.scalar(sa.select(Order))
    assert response.headers["Location"].endswith(f"/orders/{order.id}")
    assert order.total == D("109.50")  # 90 + 4.50 VAT + 15
    assert _stock(shop.scarf_m) == 3
    page = page_text(seller.get(response.headers["Location"]))
    assert "Order #1001 saved." in page
    assert "AED\xa0109.50" in page
    assert db.session.scalar(sa.select(Customer.phone)) == "+971501234567"


def test_the_totals_box_matches_the_saved_order_to_the_cent(seller, shop):
    fields = {
        "items-0-variant_id": shop.scarf_s.id,
        "items-0-quantity": 3,
        "items-0-unit_price": "33.33",
        "items-1-variant_id": shop.cap.id,
        "items-1-quantity": 1,
        "discount_kind": "percent",
        "discount_value": "12.5",
        "delivery": "manual",
        "shipping_fee": "9.99",
    }
    preview = seller.post(
        _url(shop, "/new/totals"), data=_form(shop, **fields), headers={"HX-Request": "true"}
    )
    assert preview.status_code == 200
    text = page_text(preview)
    assert text.lstrip().startswith('<section id="order-totals"')
    shown = re.search(r'id="order-total">([^<]+)<', text).group(1)
    seller.post(_url(shop, "/new"), data=_form(shop, action="save", **fields))
    order = db.session.scalar(sa.select(Order))
    # 99.99 + 30 = 129.99; 12.5 % = 16.25; VAT 5 % of 113.74 = 5.69; + 9.99
    assert order.total == D("129.42")
    assert shown == "AED\xa0129.42"


def test_steppers_pick_and_remove_work_without_javascript(seller, shop):
    data = _form(shop, action="refresh", **{"items-0-query": "scarf", "items-0-quantity": 1})
    page = page_text(seller.post(_url(shop, "/new"), data=data))
    assert (
        f'value="pick:0:{shop.scarf_s.id}"' in page and f'value="pick:0:{shop.scarf_m.id}"' in page
    )
    data["action"] = f"pick:0:{shop.scarf_m.id}"
    page = page_text(seller.post(_url(shop, "/new"), data=data))
    assert f'name="items-0-variant_id" type="hidden" value="{shop.scarf_m.id}"' in page
    assert 'name="items-0-unit_price" placeholder="Price" type="text" value="45"' in page
    assert "5 in stock" in page
    data = _form(
        shop,
        action="inc:0",
        **{
            "items-0-variant_id": shop.scarf_m.id,
            "items-0-quantity": 1,
            "items-0-unit_price": "45",
        },
    )
    page = page_text(seller.post(_url(shop, "/new"), data=data))
    assert 'name="items-0-quantity" size="3" type="text" value="2"' in page
    assert "AED\xa090.00" in page
    data["action"] = "remove:0"
    page = page_text(seller.post(_url(shop, "/new"), data=data))
    assert 'name="items-0-variant_id" type="hidden" value=""' in page
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 0


def test_htmx_taps_get_just_the_form(seller, shop):
    response = seller.post(
        _url(shop, "/new"),
        data=_form(shop, action="refresh"),
        headers={"HX-Request": "true", "HX-Target": "order-form"},
    )
    assert response.status_code == 200
    assert response.get_data(as_text=True).lstrip().startswith('<form id="order-form"')


def test_an_htmx_save_redirects_the_browser_to_the_order(seller, shop):
    response = seller.post(
        _url(shop, "/new"),
        data=_form(
            shop, action="save", **{"items-0-variant_id": shop.cap.id, "items-0-quantity": 1}
        ),
        headers={"HX-Request": "true", "HX-Target": "order-form"},
    )
    order = db.session.scalar(sa.select(Order))
    assert response.headers["HX-Redirect"].endswith(f"/orders/{order.id}")


def test_a_double_tap_saves_one_order_and_a_changed_replay_is_409(seller, shop):
    data = _form(shop, action="save", **{"items-0-variant_id": shop.cap.id, "items-0-quantity": 1})
    first = seller.post(_url(shop, "/new"), data=data)
    second = seller.post(_url(shop, "/new"), data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 1
    assert _stock(shop.cap) == 2
    changed = seller.post(_url(shop, "/new"), data={**data, "items-0-quantity": "2"})
    assert changed.status_code == 409
    text = page_text(changed)
    assert "already saved as order #1001 with different details" in text
    assert "Open order #1001" in text
    assert 'value="key-1"' not in text  # a deliberate new tap saves a new order
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"items-0-variant_id": "{m}", "items-0-quantity": "0"}, "Enter a quantity of 1 or more."),
        ({"items-0-variant_id": "{m}", "items-0-quantity": "-3"}, "Enter a quantity of 1 or more."),
        (
            {"items-0-variant_id": "{m}", "items-0-quantity": "1", "items-0-unit_price": "0"},
            "Tick “Some items are free”",
        ),
        (
            {"items-0-variant_id": "{m}", "items-0-quantity": "9"},
            "Only 5 of Red Scarf — M in stock.",
        ),
        (
            {"items-0-variant_id": "{m}", "items-0-quantity": "1", "discount_value": "80"},
            "can't be more than the subtotal",
        ),
        (
            {"items-0-variant_id": "{m}", "items-0-quantity": "1", "customer_phone": "123"},
            "valid phone number",
        ),
        ({"items-0-variant_id": "{m}", "items-0-quantity": "abc"}, "Enter a whole number."),
        ({"items-0-variant_id": "999999", "items-0-quantity": "1"}, "not in your catalog"),
        ({"items-0-query": "umbrella", "items-0-quantity": "1"}, "Pick a product for this line."),
    ],
)
def test_bad_input_shows_the_message_beside_the_field_with_422(seller, shop, fields, message):
    fields = {key: value.replace("{m}", str(shop.scarf_m.id)) for key, value in fields.items()}
    response = seller.post(_url(shop, "/new"), data=_form(shop, action="save", **fields))
    assert response.status_code == 422
    text = page_text(response)
    assert message in text
    assert 'role="alert"' in text
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Customer.id))) == 0
    assert _stock(shop.scarf_m) == 5


def test_a_free_item_saves_once_ticked(seller, shop):
    fields = {
        "items-0-variant_id": shop.cap.id,
        "items-0-quantity": 1,
        "items-0-unit_price": "0",
        "allow_zero_price": "y",
    }
    assert (
        seller.post(_url(shop, "/new"), data=_form(shop, action="save", **fields)).status_code
        == 303
    )


def test_a_picked_customer_and_their_address(seller, shop):
    customer = make_customer(shop.business, "Huda", phone="+971509998877")
    db.session.flush()
    found = page_text(seller.get(_url(shop, "/customers") + "?customer_query=hud"))
    assert f'value="customer:{customer.id}"' in found and "Huda" in found
    page = page_text(
        seller.post(_url(shop, "/new"), data=_form(shop, action=f"customer:{customer.id}"))
    )
    assert "<strong>Huda</strong>" in page
    response = seller.post(
        _url(shop, "/new"),
        data=_form(
            shop,
            action="save",
            customer_id=customer.id,
            address_line="Tower 3, JLT",
            address_city="Dubai",
            **{"items-0-variant_id": shop.cap.id, "items-0-quantity": 1},
        ),
    )
    assert response.status_code == 303
    order = db.session.scalar(sa.select(Order))
    assert order.customer_id == customer.id
    assert order.delivery_address == "Tower 3, JLT, Dubai"


def test_variant_type_ahead_shows_stock(seller, shop):
    text = page_text(seller.get(_url(shop, "/variants") + "?line=2&items-2-query=cap"))
    assert text.lstrip().startswith('<div id="line-2-suggestions"')
    assert f'value="pick:2:{shop.cap.id}"' in text and "3 in stock" in text


def test_pasting_a_message_prefills_the_form(seller, shop):
    message = "Hi! 2 red scarves size M and 1 black cap and a blue umbrella, deliver to Villa 5, Marina 050 123 4567 @sara.designs"
    page = page_text(
        seller.post(_url(shop, "/new"), data=_form(shop, action="parse", message=message))
    )
    assert 'name="customer_phone" type="text" value="+971501234567"' in page
    assert 'value="@sara.designs"' in page
    assert f'name="items-0-variant_id" type="hidden" value="{shop.scarf_m.id}"' in page
    assert 'name="items-0-quantity" size="3" type="text" value="2"' in page
    assert f'name="items-1-variant_id" type="hidden" value="{shop.cap.id}"' in page
    assert "<mark>blue umbrella</mark>" in page
    assert 'value="blue umbrella"' in page  # an unmatched request becomes a line to fix
    assert 'name="address_line" type="text" value="Villa 5, Marina"' in page
    assert "AED\xa0126.00" in page  # 90 + 30 + 6 VAT


def test_members_can_enter_orders_but_other_tenants_cannot(client, shop):
    member = make_user(role="member", workspace=shop.owner.workspace)
    login(client, member)
    assert client.get(_url(shop, "/new")).status_code == 200
    owner, other = make_tenant()
    assert client.get(f"/b/{other.handle}/orders/new").status_code == 404


def test_edit_moves_stock_and_keeps_payments(seller, shop):
    order = make_order(
        shop.business, shop.owner, [(shop.cap, 1)], payment="full", payment_method="cod"
    )
    page = page_text(seller.get(_url(shop, f"/{order.id}/edit")))
    assert f'name="items-0-variant_id" type="hidden" value="{shop.cap.id}"' in page
    data = _form(
        shop,
        action="save",
        version=1,
        **{"items-0-variant_id": shop.cap.id, "items-0-quantity": 3, "items-0-unit_price": "30"},
    )
    response = seller.post(_url(shop, f"/{order.id}/edit"), data=data)
    assert response.status_code == 303
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert (order.total, order.payment_status, _stock(shop.cap)) == (
        D("94.50"),
        "partially_paid",
        0,
    )
    stale = seller.post(_url(shop, f"/{order.id}/edit"), data=data)
    assert stale.status_code == 409
    assert "Someone else changed this order" in page_text(stale)


def test_another_tenants_variant_cannot_be_sold(seller, shop):
    owner, other = make_tenant()
    foreign = make_product(other, "Secret", stock=9).variants[0]
    response = seller.post(
        _url(shop, "/new"),
        data=_form(
            shop, action="save", **{"items-0-variant_id": foreign.id, "items-0-quantity": 1}
        ),
    )
    assert response.status_code == 422
    assert "Secret" not in page_text(response)


def test_a_paste_fills_name_channel_city_and_zone_and_keeps_size_words_on_their_item(seller, shop):
    from kyora.orders.models import ShippingZone

    zone = ShippingZone(
        business_id=shop.business.id,
        name="Dubai",
        countries="AE",
        cities="Dubai, Dubai Marina",
        cost=D("25"),
    )
    db.session.add(zone)
    db.session.commit()
    message = "2 red scarf size XL and 1 black cap. Dubai Marina 050 123 4567 @mona.k"
    page = page_text(
        seller.post(
            _url(shop, "/new"), data=_form(shop, action="parse", channel="other", message=message)
        )
    )
    assert 'name="customer_name" type="text" value="Mona K"' in page
    assert '<option selected value="instagram">' in page
    assert 'name="address_city" type="text" value="Dubai Marina"' in page
    assert f'<option selected value="zone-{zone.id}">' in page
    # "XL" fits no option of the scarf: the line stays one line to pick, not a search for "XL".
    lines = re.findall(r'name="items-(\d+)-query"[^>]*type="search"[^>]*value="([^"]*)"', page)
    assert [line for line in lines if line[1]] == [("0", "2 red scarf size XL")], lines
    assert 'value="XL"' not in page
    # The unpicked item is not shown as matched.
    assert '<span class="ord-parsed-pick">2 red scarf size </span><mark>XL</mark>' in page


def test_a_phone_only_message_is_a_whatsapp_order(seller, shop):
    page = page_text(
        seller.post(
            _url(shop, "/new"),
            data=_form(shop, action="parse", channel="other", message="1 black cap 0501234567"),
        )
    )
    assert '<option selected value="whatsapp">' in page


def test_a_failed_save_lists_each_problem_at_the_top_with_a_link(seller, shop):
    data = _form(
        shop,
        action="save",
        **{
            "items-0-variant_id": shop.cap.id,
            "items-0-quantity": 9,
            "items-1-query": "umbrella",
            "items-1-quantity": 1,
        },
    )
    response = seller.post(_url(shop, "/new"), data=data)
    assert response.status_code == 422
    page = page_text(response)
    summary = page[page.index('id="order-errors"') : page.index('id="customer_query-field"')]
    assert "data-focus-on-load" in page[: page.index('id="order-errors"') + 200]
    assert '<a href="#items-0-quantity">Quantity: Only 3 of Black Cap in stock.</a>' in summary
    assert '<a href="#line-1">Product: Pick a product for this line.</a>' in summary


def test_each_line_has_its_own_accessible_names(seller, shop):
    data = _form(
        shop,
        action="refresh",
        **{
            "items-0-variant_id": shop.cap.id,
            "items-0-quantity": 1,
            "items-1-variant_id": shop.scarf_m.id,
            "items-1-quantity": 1,
        },
    )
    page = page_text(seller.post(_url(shop, "/new"), data=data))
    for name in ("Black Cap", "Red Scarf — M"):
        assert f'aria-label="Quantity of {name}"' in page
        assert f'aria-label="Remove {name}"' in page
        assert f"Price of {name}" in page


def test_rare_fields_wait_behind_more_options_unless_they_have_errors(seller, shop):
    page = page_text(seller.get(_url(shop, "/new")))
    more = page[page.index('class="card ord-more"') :]
    assert more.startswith('class="card ord-more">')  # closed
    for name in ("payment_reference", "allow_zero_price", "note", "discount_value"):
        assert f'id="{name}"' in more
    bad = seller.post(
        _url(shop, "/new"),
        data=_form(
            shop,
            action="save",
            discount_value="-5",
            **{"items-0-variant_id": shop.cap.id, "items-0-quantity": 1},
        ),
    )
    assert bad.status_code == 422
    assert 'class="card ord-more" open>' in page_text(bad)
