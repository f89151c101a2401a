"""Test data builders. They add and flush; the test client commits before each request."""

from __future__ import annotations

import html
import itertools
import re
from functools import lru_cache

from kyora.accounts.models import User, Workspace
from kyora.accounts.passwords import hash_password
from kyora.businesses.models import Business
from kyora.core.db import utcnow
from kyora.extensions import db

PASSWORD = "green-tea-at-dawn-42"
_seq = itertools.count(1)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(PASSWORD)


def make_user(
    email: str | None = None,
    name: str = "Sara Ali",
    role: str = "owner",
    workspace: Workspace | None = None,
    verified: bool = True,
    locale: str = "en",
) -> User:
    n = next(_seq)
    workspace = workspace or Workspace(name=f"{name} {n}")
    user = User(
        workspace=workspace,
        email=email or f"user{n}@example.com",
        name=name,
        password_hash=_password_hash(),
        role=role,
        locale=locale,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_business(
    owner: User, name: str = "Sara Designs", handle: str | None = None, country: str = "AE"
) -> Business:
    from kyora.core import i18n

    n = next(_seq)
    business = Business(
        workspace_id=owner.workspace_id,
        name=name,
        handle=handle or f"shop-{n}",
        country=country,
        currency=i18n.country_currency(country),
        timezone=i18n.default_timezone(country),
    )
    db.session.add(business)
    db.session.flush()
    return business


def make_tenant(name: str = "Sara Ali", **business_kwargs) -> tuple[User, Business]:
    """An owner with a verified email and one business."""
    owner = make_user(name=name)
    return owner, make_business(owner, **business_kwargs)


def page_text(response) -> str:
    """The response body with HTML entities decoded (what a reader sees)."""
    return html.unescape(response.get_data(as_text=True))


def login(client, user: User, password: str = PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response


def last_code(outbox) -> str:
    """The 6-digit code in the newest email."""
    body = outbox[-1].get_body(("plain",)).get_content()
    return re.search(r"\b(\d{6})\b", body).group(1)


def last_link(outbox, path_fragment: str) -> str:
    """The path of the first link containing `path_fragment` in the newest email."""
    body = outbox[-1].get_body(("plain",)).get_content()
    url = re.search(r"https?://\S*" + re.escape(path_fragment) + r"\S*", body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def make_product(
    business: Business,
    name: str = "Red Scarf",
    *,
    price: str = "50",
    cost: str = "20",
    stock: int = 0,
    options: dict[str, list[str]] | None = None,
    threshold: int | None = None,
    category: str = "",
    actor: User | None = None,
):
    """A product made through the catalog service. `options={"Size": ["S", "M"]}` gives
    one variant per combination, each with the same price, cost and opening stock."""
    from decimal import Decimal
    from itertools import product as combinations

    from kyora.inventory.services import ProductDraft, VariantDraft, create_product

    names = list(options or {})
    combos = list(combinations(*options.values())) if options else [()]
    rows = [
        VariantDraft(
            options=list(combo),
            price=Decimal(price),
            cost=Decimal(cost),
            stock=stock,
            threshold=threshold,
        )
        for combo in combos
    ]
    draft = ProductDraft(name=name, new_category=category, option_names=names, variants=rows)
    return create_product(business, actor, draft)


def make_customer(
    business: Business, name: str = "Mariam Al Mansoori", actor: User | None = None, **fields
):
    """A customer made through the customers service (`phone`, `instagram`, `email`, ...)."""
    from kyora.customers.services import CustomerDraft, create_customer

    return create_customer(business, actor, CustomerDraft.of(name=name, **fields))


def make_order(business: Business, actor: User | None, lines, **fields):
    """An order saved through the orders service. `lines` is [(variant, quantity), ...] or
    [(variant, quantity, unit_price), ...]; `fields` are OrderDraft fields (status, channel,
    customer_name, customer_phone, shipping_mode, payment, ...)."""
    from kyora.orders.drafts import DraftLine, OrderDraft
    from kyora.orders.services import create_order

    draft_lines = [
        DraftLine(line[0].id, line[1], line[2] if len(line) > 2 else None) for line in lines
    ]
    return create_order(business, actor, OrderDraft(lines=draft_lines, **fields)).order
