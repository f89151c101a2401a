"""The route map as the security tests see it, and the data to fill in its URLs.

Every route of the app is walked: nothing here lists routes by hand. A route's
access comes from the `kyora_access` attribute its decorator set (`@public`,
`@authenticated`, `@requires`); `@requires(action, resource)` marks both business
pages (under /b/<handle>) and workspace pages such as the team.

URL values are built by parameter name from `PARAMS`. A route with a parameter
name missing there makes the tests fail, naming it: add a builder below when a
new kind of id appears (the builders use tests/factories.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import Flask, current_app
from werkzeug.routing import Rule

from kyora.accounts.models import User
from kyora.accounts.services import open_session
from kyora.businesses.models import Business
from kyora.extensions import db
from tests import factories

STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
NOT_WALKED = {"static"}  # Flask's own file server: no view of ours behind it

# Values that make leaks easy to spot: a member must never see either.
COST = Decimal("12.34")
PRICE = Decimal("99.99")
PROFIT = PRICE - COST  # 87.65 on one unit
COST_MARKERS = ("12.34", "87.65")

# What an attacker would type into a name field (kept under 120 characters).
XSS_PAYLOAD = (
    '<script>alert(1)</script>"><img src=x onerror=alert(2)><b hx-get=/logout hx-trigger=load>'
)
XSS_RAW = ("<script>alert(1)", "<img src=x onerror", "<b hx-get=/logout")


@dataclass(frozen=True)
class Route:
    rule: Rule
    endpoint: str
    method: str
    access: tuple | None
    permission: tuple[str, str] | None

    @property
    def kind(self) -> str | None:
        """public, authenticated, business (under /b/<handle>) or workspace (a role check
        on a workspace page such as the team)."""
        if not self.access:
            return None
        if self.access[0] == "permission":
            return "business" if self.rule.rule.startswith("/b/<handle>") else "workspace"
        return self.access[0]

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(sorted(self.rule.arguments))

    def __str__(self) -> str:
        return f"{self.method} {self.rule.rule} ({self.endpoint})"


def routes(app: Flask) -> list[Route]:
    """Every (rule, method) of the app except Flask's static files, in a stable order."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_WALKED:
            continue
        view = app.view_functions[rule.endpoint]
        access = getattr(view, "kyora_access", None)
        permission = (access[1], access[2]) if access and access[0] == "permission" else None
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append(Route(rule, rule.endpoint, method, access, permission))
    return sorted(found, key=lambda route: (route.rule.rule, route.method))


def unclassified(app: Flask) -> list[str]:
    """Endpoints whose view carries no access decorator."""
    names = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_WALKED:
            continue
        access = getattr(app.view_functions[rule.endpoint], "kyora_access", None)
        if not access or access[0] not in ("public", "authenticated", "permission"):
            names.add(f"{rule.endpoint} ({rule.rule})")
    return sorted(names)


# --- The two tenants and their records ----------------------------------------------


@dataclass
class Tenant:
    """A workspace with three people, one business and (built on demand) its records."""

    label: str
    owner: User
    admin: User
    member: User
    business: Business
    cache: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str, build: Callable[[Tenant], Any]):
        if name not in self.cache:
            # A savepoint, so a builder that fails leaves the rest of the data intact; a
            # request context, so services can translate their messages.
            with current_app.test_request_context(), db.session.begin_nested():
                self.cache[name] = build(self)
        return self.cache[name]


def make_world_tenant(label: str, names: str = "") -> Tenant:
    """A tenant; with `names` (the XSS payload) as its people's and business's names."""
    owner = factories.make_user(name=names or f"Owner {label}", email=f"owner-{label}@example.com")
    admin = factories.make_user(
        name=names or f"Admin {label}",
        email=f"admin-{label}@example.com",
        role="admin",
        workspace=owner.workspace,
    )
    member = factories.make_user(
        name=names or f"Member {label}",
        email=f"member-{label}@example.com",
        role="member",
        workspace=owner.workspace,
    )
    business = factories.make_business(owner, name=names or f"Shop {label}", handle=f"shop-{label}")
    # The public shop is open, so its pages (/s/<handle>/...) are walked like any other.
    business.storefront_enabled = True
    return Tenant(label, owner, admin, member, business)


def _invitation(tenant: Tenant):
    from datetime import timedelta

    from kyora.core.db import utcnow
    from kyora.core.security import hash_token, new_token
    from kyora.team.models import Invitation

    invitation = Invitation(
        workspace_id=tenant.owner.workspace_id,
        email=f"invited-{tenant.label}@example.com",
        role="member",
        token_hash=hash_token(new_token()),
        invited_by_id=tenant.owner.id,
        expires_at=utcnow() + timedelta(days=7),
    )
    db.session.add(invitation)
    return invitation


def _session(tenant: Tenant):
    record, _raw = open_session(tenant.owner, "203.0.113.9", "pytest")
    return record


def _product(tenant: Tenant):
    return factories.make_product(
        tenant.business,
        tenant.cache.get("names") or f"Scarf {tenant.label}",
        price=str(PRICE),
        cost=str(COST),
        stock=20,
        category=f"Cat {tenant.label}",
    )


def _variant(tenant: Tenant):
    return tenant.get("product", _product).variants[0]


def _category(tenant: Tenant):
    product = tenant.get("product", _product)
    return product.category


def _customer(tenant: Tenant):
    return factories.make_customer(
        tenant.business,
        tenant.cache.get("names") or f"Customer {tenant.label}",
        phone="+971501234567",
    )


def _address(tenant: Tenant):
    from kyora.customers.services import AddressDraft, add_address

    customer = tenant.get("customer", _customer)
    return add_address(
        tenant.business, tenant.owner, customer, AddressDraft(line="Marina 1", city="Dubai")
    )


def _order(tenant: Tenant):
    variant = tenant.get("variant", _variant)
    customer = tenant.get("customer", _customer)
    return factories.make_order(
        tenant.business,
        tenant.owner,
        [(variant, 1)],
        customer_id=customer.id,
        status="confirmed",
    )


def _payment(tenant: Tenant):
    from kyora.orders.services import record_payment

    order = tenant.get("order", _order)
    return record_payment(tenant.business, tenant.owner, order, amount=Decimal("10"), method="cash")


def _photo(tenant: Tenant):
    from kyora.inventory.models import ProductPhoto

    product = tenant.get("product", _product)
    photo = ProductPhoto(
        business_id=tenant.business.id,
        product_id=product.id,
        image_key=f"photos/{tenant.label}.webp",
        thumb_key=f"photos/{tenant.label}-thumb.webp",
    )
    db.session.add(photo)
    return photo


def _zone(tenant: Tenant):
    from kyora.orders.services import ZoneDraft, save_zone

    draft = ZoneDraft(
        name=(tenant.cache.get("names") or "Dubai")[:80],
        countries=["AE"],
        cities="Dubai",
        cost=Decimal("15"),
    )
    return save_zone(tenant.business, None, draft)


def _expense(tenant: Tenant):
    from kyora.accounting.chart import categories
    from kyora.accounting.expenses import ExpenseDraft, create_expense
    from kyora.accounting.ledger import business_day

    category = categories(tenant.business)[1]
    draft = ExpenseDraft(COST, category.id, business_day(tenant.business), "cash", "Rent")
    return create_expense(tenant.business, tenant.owner, draft)


def _recurring(tenant: Tenant):
    from kyora.accounting.chart import categories
    from kyora.accounting.ledger import business_day
    from kyora.accounting.recurring import RecurringDraft, create_recurring

    category = categories(tenant.business)[1]
    draft = RecurringDraft(COST, category.id, "bank", "", "monthly", business_day(tenant.business))
    return create_recurring(tenant.business, tenant.owner, draft)


@dataclass(frozen=True)
class Param:
    """How to fill a URL parameter for a tenant. `owned`: another tenant's value must 404."""

    build: Callable[[Tenant], Any]
    owned: bool = True


def _cached(name: str, build: Callable[[Tenant], Any], attribute: str = "id"):
    return lambda tenant: getattr(tenant.get(name, build), attribute)


PARAMS: dict[str, Param] = {
    "handle": Param(lambda tenant: tenant.business.handle),
    # Link tokens are unguessable secrets: any wrong one is simply not found.
    "token": Param(lambda tenant: "not-a-real-token-0123456789", owned=False),
    "key": Param(lambda tenant: "missing/nothing.webp", owned=False),
    "user_id": Param(lambda tenant: tenant.member.id),
    "invitation_id": Param(_cached("invitation", _invitation)),
    "session_id": Param(_cached("session", _session)),
    "product_id": Param(_cached("product", _product)),
    "variant_id": Param(_cached("variant", _variant)),
    "category_id": Param(_cached("category", _category)),
    "photo_id": Param(_cached("photo", _photo)),
    "customer_id": Param(_cached("customer", _customer)),
    "address_id": Param(_cached("address", _address)),
    "order_id": Param(_cached("order", _order)),
    "payment_id": Param(_cached("payment", _payment)),
    "zone_id": Param(_cached("zone", _zone)),
    "expense_id": Param(_cached("expense", _expense)),
    "recurring_id": Param(_cached("recurring", _recurring)),
}


class MissingParamFixture(LookupError):
    pass


def url_values(route: Route, tenant: Tenant, overrides: dict | None = None) -> dict:
    """Values for every parameter of `route`, from `tenant` (and `overrides`)."""
    values = {}
    for name in route.params:
        if overrides and name in overrides:
            values[name] = overrides[name]
            continue
        param = PARAMS.get(name)
        if param is None:
            raise MissingParamFixture(
                f"{route}: no fixture for URL parameter {name!r}. Add a builder for it to "
                "PARAMS in tests/integration/security/routes.py."
            )
        values[name] = param.build(tenant)
    return values


def owned_params(route: Route) -> list[str]:
    """Parameters that name a tenant's own rows (ids), other than the business handle."""
    return [
        name
        for name in route.params
        if name != "handle" and PARAMS.get(name, Param(lambda tenant: None)).owned
    ]


def build_url(app: Flask, route: Route, values: dict) -> str:
    adapter = app.url_map.bind("localhost")
    url = adapter.build(route.endpoint, values, method=route.method)
    assert adapter.match(url, method=route.method)[0] == route.endpoint, (route, url)
    return url


def sign_in(client, user: User) -> None:
    """Log `client` in as `user` with a real server-side session (no password check)."""
    from kyora.accounts.sessions import SESSION_KEY

    _record, raw_key = open_session(user, "127.0.0.1", "pytest")
    with client.session_transaction() as session:
        session[SESSION_KEY] = raw_key
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


class Crashed:
    """Stands in for the response of a request whose view raised (reported, not skipped)."""

    status_code = 500

    def __init__(self, error: Exception):
        self.error = error
        self.headers: dict = {}

    def get_data(self, as_text: bool = False):
        return "" if as_text else b""

    def __repr__(self) -> str:
        return f"<crashed: {self.error!r}>"


def request(client, route: Route, url: str, htmx: bool = False, data: dict | None = None, **kw):
    """Send `route`'s method to `url`; a view that raises gives a `Crashed` (status 500)."""
    headers = {"HX-Request": "true"} if htmx else {}
    headers.update(kw.pop("headers", {}))
    try:
        if route.method in STATE_CHANGING:
            response = client.open(url, method=route.method, data=data or {}, headers=headers, **kw)
        else:
            response = client.open(url, method=route.method, headers=headers, **kw)
    except Exception as error:  # the walk goes on and lists every failure at the end
        db.session.rollback()
        return Crashed(error)
    # Read the body now and close the response (downloads hold open files until closed).
    response.get_data()
    response.close()
    return response


def page_text(response) -> str:
    """The body as text for the checks that read pages; downloads that are not text
    (a ZIP, an image) have no text to show."""
    kind = getattr(response, "mimetype", None) or ""
    if kind.startswith("text/") or kind in ("application/json", "image/svg+xml") or not kind:
        return response.get_data(as_text=True)
    return ""


def describe(response) -> str:
    error = getattr(response, "error", None)
    return f"{response.status_code} {error!r}" if error is not None else str(response.status_code)
