"""The daily low-stock digest email."""

from decimal import Decimal

import pytest

from kyora.extensions import db
from kyora.inventory import services
from kyora.inventory.digest import run_digest, send_low_stock_digests
from tests.factories import make_product, make_tenant, make_user


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


@pytest.fixture
def shop(app):
    with app.test_request_context("/"):
        owner, business = make_tenant(name="Layla Haddad")
        admin = make_user(name="Omar Admin", role="admin", workspace=owner.workspace, locale="ar")
        make_user(name="Mona Member", role="member", workspace=owner.workspace)
        make_user(name="Unverified Admin", role="admin", workspace=owner.workspace, verified=False)
        scarf = make_product(business, "Red Scarf", options={"Size": ["S", "M"]}, stock=5)
        cap = make_product(business, "Cap", stock=10)
        db.session.commit()
    return owner, admin, business, scarf, cap


def test_digest_lists_new_low_and_out_items_to_owners_and_admins(app, shop, outbox):
    owner, admin, business, scarf, cap = shop
    small, medium = scarf.variants
    with app.test_request_context("/"):
        services.take_stock(business, None, small.id, 5)
        services.take_stock(business, None, medium.id, 3)
        db.session.commit()
    assert run_digest() == 2
    assert sorted(m["To"] for m in outbox) == sorted([owner.email, admin.email])
    english = next(m for m in outbox if m["To"] == owner.email)
    assert english["Subject"] == f"Stock running low at {business.name}"
    text = body(english)
    assert "Hi Layla," in text
    out_part, low_part = text.split("Running low:")
    assert "Out of stock:" in out_part and "Red Scarf — S" in out_part
    assert "Red Scarf — M: 2 left" in low_part
    assert "Cap" not in text
    assert f"/b/{business.handle}/products/?stock=low" in text
    arabic = next(m for m in outbox if m["To"] == admin.email)
    assert 'lang="ar" dir="rtl"' in arabic.get_body(("html",)).get_content()


def test_no_email_when_nothing_changed_and_news_only_once(app, shop, outbox):
    owner, admin, business, scarf, cap = shop
    assert run_digest() == 0
    assert outbox == []
    with app.test_request_context("/"):
        services.take_stock(business, None, cap.variants[0].id, 8)
        db.session.commit()
    assert run_digest() == 2
    outbox.clear()
    assert run_digest() == 0  # already reported
    with app.test_request_context("/"):
        services.take_stock(business, None, cap.variants[0].id, 2)  # low -> out is news
        db.session.commit()
    assert run_digest() == 2
    assert "Out of stock:" in body(outbox[0])
    outbox.clear()
    with app.test_request_context("/"):
        services.restock(business, owner, cap.variants[0].id, 10, Decimal("4"), paid=True)
        services.take_stock(business, None, cap.variants[0].id, 8)  # recovered, then low again
        db.session.commit()
    assert run_digest() == 2
    assert "Cap: 2 left" in body(outbox[0])


def test_archived_products_are_left_out_and_the_job_runs_on_its_own(app, shop, outbox):
    owner, admin, business, scarf, cap = shop
    with app.test_request_context("/"):
        services.take_stock(business, None, cap.variants[0].id, 10)
        services.archive_product(business, owner, cap)
        db.session.commit()
    send_low_stock_digests()
    assert outbox == []


def test_a_new_product_already_low_is_not_news(app, shop, outbox):
    owner, admin, business, scarf, cap = shop
    with app.test_request_context("/"):
        made_to_order = make_product(business, "Birthday Cake", stock=0)
        db.session.commit()
        assert run_digest() == 0
        services.restock(business, owner, made_to_order.variants[0].id, 5, Decimal("20"), paid=True)
        services.take_stock(business, None, made_to_order.variants[0].id, 5)
        db.session.commit()
    assert run_digest() == 2
    assert "Birthday Cake" in body(outbox[0])
