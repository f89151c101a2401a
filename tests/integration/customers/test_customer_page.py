"""The customer page: figures, contact links, sections, notes, addresses, merge, delete."""

from decimal import Decimal

import pytest
import sqlalchemy as sa
from jinja2 import ChoiceLoader, DictLoader

from kyora.core import ui
from kyora.core.db import utcnow
from kyora.customers import services
from kyora.customers.models import Address, Customer, CustomerNote
from kyora.extensions import db
from tests.factories import login, make_customer

BASE = "/b/layla-shop/customers"
HTMX = {"HX-Request": "true", "HX-Target": "customers-results"}


def customer_count():
    return db.session.scalar(sa.select(sa.func.count(Customer.id)))


def stats(customer, count=0, spent="0", due="0", channel=None, when=None):
    services.apply_order_stats(
        customer,
        orders_count=count,
        total_spent=Decimal(spent),
        amount_due=Decimal(due),
        last_order_at=when,
        last_channel=channel,
    )


# --- The customer page -------------------------------------------------------------


@pytest.fixture
def no_sections(app, monkeypatch):
    """The customer page without other domains' sections."""
    monkeypatch.setitem(ui.registry(app).sections, "customer.page", [])


def test_customer_page_shows_stats_contact_and_links(owner_client, tenant, no_sections):
    _, business = tenant
    sara = make_customer(
        business,
        "Sara Ali",
        phone="0501234567",
        instagram="sara.a",
        tiktok="sara.t",
        x_handle="sara_x",
        address={"line": "Marina Heights 4", "area": "Dubai Marina", "city": "Dubai"},
    )
    stats(sara, 3, "450.50", "50", when=utcnow(), channel="instagram")
    body = owner_client.get(f"{BASE}/{sara.id}").get_data(as_text=True)
    assert "Sara Ali" in body
    assert "AED" in body and "450.50" in body and "150.17" in body and "50.00" in body
    assert 'href="https://wa.me/971501234567"' in body and "Message on WhatsApp" in body
    assert 'href="https://www.instagram.com/sara.a/"' in body
    assert 'href="https://www.tiktok.com/@sara.t"' in body
    assert 'href="https://x.com/sara_x"' in body
    assert "Marina Heights 4, Dubai Marina, Dubai" in body
    assert "No orders yet" not in body  # three orders, though no one renders them here


def test_customer_page_without_orders_says_so(owner_client, tenant, no_sections):
    sara = make_customer(tenant[1], "Sara")
    body = owner_client.get(f"{BASE}/{sara.id}").get_data(as_text=True)
    assert "No orders yet" in body
    assert "wa.me" not in body  # no number, no WhatsApp button


def test_other_domains_add_sections_through_the_registry(
    owner_client, member, tenant, app, monkeypatch
):
    """A section registered for `customer.page` renders escaped, with its context, and
    stays hidden from a role its permission excludes."""
    sara = make_customer(tenant[1], "Sara")
    monkeypatch.setattr(
        app.jinja_env,
        "loader",
        ChoiceLoader(
            [
                DictLoader(
                    {"test/_section.html": "<p>{{ section.marker }} for {{ customer.name }}</p>"}
                ),
                app.jinja_env.loader,
            ]
        ),
    )
    seen = []

    def context(*, business, customer):
        seen.append((customer.id, business.handle))
        return {"marker": "<b>Orders here</b>"}

    monkeypatch.setitem(ui.registry(app).sections, "customer.page", [])
    ui.page_section(
        app, "customer.page", "test/_section.html", permission=("view", "costs"), context=context
    )
    body = owner_client.get(f"{BASE}/{sara.id}").get_data(as_text=True)
    assert seen == [(sara.id, "layla-shop")]
    assert "<p>&lt;b&gt;Orders here&lt;/b&gt; for Sara</p>" in body  # escaped, not raw HTML
    assert "No orders yet" not in body
    helper = app.test_client()
    login(helper, member)
    member_body = helper.get(f"{BASE}/{sara.id}").get_data(as_text=True)
    assert "Orders here" not in member_body
    assert seen == [(sara.id, "layla-shop")]  # not even computed for the member


def test_possible_duplicates_on_the_customer_page(owner_client, tenant):
    _, business = tenant
    sara = make_customer(business, "Sara Ali")
    sarah = make_customer(business, "Sarah Ali")
    body = owner_client.get(f"{BASE}/{sara.id}").get_data(as_text=True)
    assert "Possible duplicates" in body and "similar name" in body
    assert f"/customers/{sara.id}/merge?other={sarah.id}" in body


def test_notes_timeline_htmx_and_plain(owner_client, tenant):
    sara = make_customer(tenant[1], "Sara")
    url = f"{BASE}/{sara.id}/notes"
    response = owner_client.post(
        url,
        data={"body": "Wants the blue gift box"},
        headers={"HX-Request": "true", "HX-Target": "customer-notes"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="card" id="customer-notes"')
    assert "Wants the blue gift box" in body and "Layla Haddad" in body
    assert "customer-notes-changed" in response.headers["HX-Trigger"]

    response = owner_client.post(url, data={"body": "Second note"})
    assert response.status_code == 303
    page = owner_client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.index("Second note") < page.index("Wants the blue gift box")  # newest first

    response = owner_client.post(
        url, data={"body": "  "}, headers={"HX-Request": "true", "HX-Target": "customer-notes"}
    )
    assert response.status_code == 422
    assert "Write a note first." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(CustomerNote.id))) == 2


def test_addresses_add_edit_remove(owner_client, tenant):
    sara = make_customer(tenant[1], "Sara")
    htmx = {"HX-Request": "true", "HX-Target": "customer-addresses"}
    response = owner_client.post(
        f"{BASE}/{sara.id}/addresses",
        data={
            "new-label": "Work",
            "new-line": "Bay Central 2",
            "new-city": "Dubai",
            "new-country": "AE",
        },
        headers=htmx,
    )
    assert response.status_code == 200
    assert "Bay Central 2" in response.get_data(as_text=True)
    response = owner_client.post(
        f"{BASE}/{sara.id}/addresses",
        data={"new-line": "Villa 9", "new-city": "Sharjah", "new-country": "AE"},
    )
    assert response.status_code == 303
    response = owner_client.post(
        f"{BASE}/{sara.id}/addresses", data={"new-city": "Dubai"}, headers=htmx
    )
    assert response.status_code == 422 and "Enter the street" in response.get_data(as_text=True)

    first, second = db.session.scalars(sa.select(Address).order_by(Address.id)).all()
    page = owner_client.get(f"{BASE}/{sara.id}/addresses/{first.id}/edit")
    assert 'value="Bay Central 2"' in page.get_data(as_text=True)
    response = owner_client.post(
        f"{BASE}/{sara.id}/addresses/{first.id}/edit",
        data={"edit-line": "Bay Central 3", "edit-city": "Dubai", "edit-country": "OM"},
    )
    assert response.status_code == 303
    response = owner_client.post(f"{BASE}/{sara.id}/addresses/{second.id}/delete", headers=htmx)
    assert response.status_code == 200 and "Villa 9" not in response.get_data(as_text=True)
    db.session.expire_all()
    sara = db.session.get(Customer, sara.id)
    assert [(a.line, a.country) for a in sara.addresses] == [("Bay Central 3", "OM")]
    assert sara.country == "OM"


# --- Merge and delete ----------------------------------------------------------------


def test_merge_flow(owner_client, tenant):
    _, business = tenant
    sara = make_customer(business, "Sara Ali", phone="0501234567")
    sarah = make_customer(
        business, "Sarah Ali", instagram="sarah.a", address={"line": "Villa 9", "city": "Dubai"}
    )
    sarah_id = sarah.id
    picker = owner_client.get(f"{BASE}/{sara.id}/merge").get_data(as_text=True)
    assert "Sarah Ali" in picker
    found = owner_client.get(
        f"{BASE}/{sara.id}/merge?q=sarah.a",
        headers={"HX-Request": "true", "HX-Target": "merge-candidates"},
    ).get_data(as_text=True)
    assert found.lstrip().startswith('<section id="merge-candidates"') and "Sarah Ali" in found
    compare = owner_client.get(f"{BASE}/{sara.id}/merge?other={sarah.id}").get_data(as_text=True)
    assert "Keep Sara Ali" in compare and "Keep Sarah Ali" in compare

    response = owner_client.post(
        f"{BASE}/{sara.id}/merge", data={"other": sarah.id, "keep": sara.id}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/customers/{sara.id}")
    page = owner_client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Villa 9" in page and "@sarah.a" in page and "Merged Sarah Ali into this customer." in page
    )
    assert owner_client.get(f"{BASE}/{sarah_id}").status_code == 404


def test_delete_customer(owner_client, tenant):
    sara = make_customer(tenant[1], "Sara")
    response = owner_client.post(f"{BASE}/{sara.id}/delete")
    assert response.status_code == 303
    assert customer_count() == 0
    busy = make_customer(tenant[1], "Busy")
    stats(busy, 1, "10")
    response = owner_client.post(f"{BASE}/{busy.id}/delete")
    assert response.status_code == 303
    assert "can&#39;t be deleted" in owner_client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert customer_count() == 1
